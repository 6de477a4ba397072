"""What the report's "Kurze Wege" section shows: plain, frozen data (assembled in
`monitor.report_short_ways`, drawn by `reports.short_ways`).

Coordinates are metres in EPSG:25832, the CRS of the imported boundaries the map draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DistrictReach:
    """One district: people counted (residents, or people in need), of them within reach,
    their share (None without people), mean distance in metres (None without a place), class."""

    key: str
    name: str
    people: int
    covered: int
    share: float | None
    mean_distance_m: int | None
    need_class: str | None


@dataclass(frozen=True)
class SuggestedPlace:
    """A new place of the siting suggestion: where, in which district, how many it reaches."""

    x: float
    y: float
    district: str | None
    district_name: str | None
    newly_covered: int


@dataclass(frozen=True)
class ShortWaysSection:
    """One place type's access and siting.

    kind: the place type's code; name: how the report names it (`[places.names]`, in the
    plural: "Beratungsstellen"). weight: "population" or an indicator code; weight_name: how
    the report names that indicator (its `[indicators.CODE] name`, else the code). places:
    (x, y) of the places; uncovered: (x, y, people) of resident points beyond `within`. curve:
    (places added, people covered then). optimal: the solver proved the suggestion optimal.
    distance: how every distance was measured, "straight_line" or "walking" (as `access
    --json` says); network: the file name of the walking network's extract (None: straight).
    """

    kind: str
    name: str
    within: int
    period: str
    weight: str
    weight_name: str | None
    residents_from: str
    districts: tuple[DistrictReach, ...]
    people: int
    covered: int
    places: tuple[tuple[float, float], ...]
    uncovered: tuple[tuple[float, float, float], ...]
    suggested: tuple[SuggestedPlace, ...]
    covered_after: int
    curve: tuple[tuple[int, int], ...]
    optimal: bool
    distance: str
    network: str | None

    @property
    def share(self) -> float | None:
        return self.covered / self.people if self.people else None

    def to_dict(self) -> dict[str, Any]:
        """The figures for the report's sidecar: the point lists as counts, not geometry."""
        return {
            "type": self.kind,
            "name": self.name,
            "within": self.within,
            "distance": self.distance,
            "network": self.network,
            "period": self.period,
            "weight": self.weight,
            "residents": self.residents_from,
            "people": self.people,
            "covered": self.covered,
            "places": len(self.places),
            "uncovered_points": len(self.uncovered),
            "districts": [vars(d) for d in self.districts],
            "suggested": [vars(s) for s in self.suggested],
            "covered_after": self.covered_after,
            "curve": [list(step) for step in self.curve],
            "optimal": self.optimal,
        }
