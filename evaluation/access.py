"""Who lives how far from the nearest place of help (SPEC §9 `access`): kurze Wege.

Residents are points with a number of people (census grid cell centres, or each district's
population at its polygon's representative point) and the district they live in; places are
points. Both come in one metric CRS (the ledger's EPSG:25832, metres), so the straight-line
distance is the Euclidean one: nearest places are found with a k-d tree (scipy's cKDTree,
O(log m) per resident), never in degrees.

A resident point is covered when its nearest place is at most `within` metres away (a place
exactly on the boundary counts). Per district: people, covered people, their share, and the
people-weighted mean distance to the nearest place; the same for the whole city. Points
without people (empty cells) count for nothing. Without any place nobody is covered and no mean
distance is given.

Pure: frames in, a frozen result out; nothing here touches the ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

# Decimals of a share in the JSON document (0.893: tenths of a per cent are what a committee
# reads; the frames keep full precision).
SHARE_DECIMALS = 3


@dataclass(frozen=True)
class Access:
    """residents: x, y, people, district, distance_m (to the nearest place), covered — one row
    per resident point with people. districts: district, name, people, covered, share,
    mean_distance_m, need_class — one row per district, in the order given. total: people,
    covered, share, mean_distance_m."""

    within: float
    places: int
    residents: pd.DataFrame
    districts: pd.DataFrame
    total: Mapping[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        """The `districts` and `total` parts of `access --json` (SPEC §9)."""
        return {
            "districts": [
                {
                    "key": row.district,
                    "name": row.name,
                    "people": _count(row.people),
                    "covered": _count(row.covered),
                    "share": _share(row.share),
                    "mean_distance_m": _metres(row.mean_distance_m),
                    "need_class": row.need_class,
                }
                for row in self.districts.itertuples(index=False)
            ],
            "total": {
                "people": _count(self.total["people"]),
                "covered": _count(self.total["covered"]),
                "share": _share(self.total["share"]),
                "mean_distance_m": _metres(self.total["mean_distance_m"]),
            },
        }


def nearest_distances(points: np.ndarray, places: np.ndarray) -> np.ndarray:
    """The straight-line distance (metres) from each point (n×2) to its nearest place (m×2);
    infinite when there is no place."""
    if len(places) == 0:
        return np.full(len(points), np.inf)
    if len(points) == 0:
        return np.zeros(0)
    distances, _ = cKDTree(places).query(points, k=1)
    return np.asarray(distances, dtype=float)


def access(
    residents: pd.DataFrame,
    places: pd.DataFrame,
    districts: pd.DataFrame,
    within: float,
    measure: Callable[[np.ndarray, np.ndarray], np.ndarray] = nearest_distances,
) -> Access:
    """residents: x, y, people, district; places: x, y; districts: district, name, need_class
    (every district to list, in order). measure: the distance from each point to its nearest
    place, straight-line by default (`evaluation.walking` measures along footpaths). See the
    module docstring."""
    if within <= 0:
        raise ValueError(f"the distance must be positive, not {within}")
    living = residents[residents["people"] > 0]
    distance = measure(living[["x", "y"]].to_numpy(float), places[["x", "y"]].to_numpy(float))
    living = living.assign(distance_m=distance, covered=distance <= within).reset_index(drop=True)
    grouped = living.assign(
        covered_people=living["people"].where(living["covered"], 0.0),
        weighted=living["people"] * distance,
    ).groupby("district")
    sums = pd.DataFrame(
        {
            "people": grouped["people"].sum(),
            "covered": grouped["covered_people"].sum(),
            "weighted": grouped["weighted"].sum(),
        }
    )
    table = districts[["district", "name", "need_class"]].merge(
        sums, left_on="district", right_index=True, how="left"
    )
    table[["people", "covered"]] = table[["people", "covered"]].fillna(0.0)
    table["share"] = _ratio(table["covered"], table["people"])
    table["mean_distance_m"] = _ratio(table["weighted"], table["people"])
    people = float(living["people"].sum())
    covered = float(living.loc[living["covered"], "people"].sum())
    total = {
        "people": people,
        "covered": covered,
        "share": covered / people if people else None,
        "mean_distance_m": float((living["people"] * distance).sum() / people)
        if people and len(places)
        else None,
    }
    columns = ["district", "name", "people", "covered", "share", "mean_distance_m", "need_class"]
    return Access(
        within=float(within),
        places=len(places),
        residents=living,
        districts=table[columns].reset_index(drop=True),
        total=total,
    )


def weighted_by_share(residents: pd.DataFrame, shares: Mapping[str, float]) -> pd.DataFrame:
    """The residents counted as people in need: each point's people times its district's share
    (0..1, e.g. the SGB II share); points of districts without a share count for nothing."""
    share = residents["district"].map(shares).astype(float)
    return residents.assign(people=(residents["people"] * share).fillna(0.0))


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, None where nobody lives or no distance is finite."""
    ratio = numerator / denominator.where(denominator > 0)
    return ratio.where(np.isfinite(ratio)).astype(object).where(lambda r: r.notna(), None)


def _count(value: float) -> int:
    return round(float(value))


def _share(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), SHARE_DECIMALS)


def _metres(value: float | None) -> int | None:
    return None if value is None or pd.isna(value) else round(float(value))
