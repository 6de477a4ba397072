"""Which districts of a map carry their key, which a number, and which nothing.

A label is written only where it fits: the text's box (measured in the chart font, plus a small
margin) must lie inside the district's polygon, centred on the polygon's pole of inaccessibility
(the inside point farthest from the edge; shapely's `polylabel`), which for the L- and
crescent-shaped quarters cities have lies inside where a centroid may not. A district whose key
does not fit gets a short number (1, 2, …, in the order of the keys) if that fits, listed with
its key and name in a table under the map; a district too small for either stays unlabelled
and is counted. Thirteen Stadtteile keep their keys; Berlin's 447 planning areas get numbers
where they are large enough and stay a readable map instead of a blot of eight-digit labels.

Everything here is in points (1/72 inch) on the finished figure, so the decision depends on the
printed size, never on the data's units.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shapely import Polygon, box, make_valid, union_all
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

PointRing = Sequence[tuple[float, float]]
# Space kept between a label's text and the district's edge, in points.
LABEL_MARGIN = 1.0


@dataclass(frozen=True)
class AreaLabel:
    """One district's label: `text` is its key, its number or "" (too small for either);
    (x, y) is where the text's centre goes, in points."""

    key: str
    text: str
    x: float
    y: float

    @property
    def numbered(self) -> bool:
        return self.text != "" and self.text != self.key


def area_geometry(polygons: Sequence[Sequence[PointRing]]) -> BaseGeometry:
    """A district's polygons ([outer ring, hole, …] each) as one valid shapely geometry (a
    district delivered as two features is one area)."""
    return union_all([make_valid(Polygon(rings[0], rings[1:])) for rings in polygons])


def label_anchor(geometry: BaseGeometry) -> tuple[float, float]:
    """The pole of inaccessibility of the largest part (to a tenth of a point)."""
    polygons = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)]
    if not polygons:
        point = geometry.representative_point()
        return point.x, point.y
    largest = max(polygons, key=lambda p: p.area)
    point = polylabel(largest, tolerance=0.1)
    return point.x, point.y


def fits(geometry: BaseGeometry, x: float, y: float, width: float, height: float) -> bool:
    """Whether a text box of width × height points centred on (x, y) lies inside."""
    half_w, half_h = width / 2 + LABEL_MARGIN, height / 2 + LABEL_MARGIN
    return bool(geometry.contains(box(x - half_w, y - half_h, x + half_w, y + half_h)))


def label_areas(
    areas: Sequence[tuple[str, Sequence[Sequence[PointRing]]]],
    text_width: Callable[[str], float],
    text_height: float,
) -> list[AreaLabel]:
    """Each district's label in the order given (keys sorted by the caller): its key where it
    fits, else its number where that fits, else nothing. Numbers count only the districts that
    show one (1, 2, … without gaps), so they stay short."""
    labels: list[AreaLabel] = []
    number = 0
    for key, polygons in areas:
        geometry = area_geometry(polygons)
        x, y = label_anchor(geometry)
        if fits(geometry, x, y, text_width(key), text_height):
            labels.append(AreaLabel(key, key, x, y))
            continue
        candidate = str(number + 1)
        if fits(geometry, x, y, text_width(candidate), text_height):
            number += 1
            labels.append(AreaLabel(key, candidate, x, y))
        else:
            labels.append(AreaLabel(key, "", x, y))
    return labels
