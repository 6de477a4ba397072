"""Where the scatter plot's district names go, so that 20 to 40 names stay readable.

Greedy placement (as cartographers label points): each name tries a list of positions around
its marker, nearest first, and takes the first one that overlaps no name placed before, no
other marker and does not leave the plot; if none is free, the one that overlaps least. Labels
set further away get a thin leader line. Everything is in points (1/72 inch), computed from the
markers' positions on the finished axes, so the result does not depend on the data's units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points

# (dx, dy, horizontal alignment): offsets of the label's anchor from the marker, in points.
CANDIDATES: tuple[tuple[float, float, str], ...] = (
    (4, 2, "left"),
    (-4, 2, "right"),
    (4, -8, "left"),
    (-4, -8, "right"),
    (0, 6, "center"),
    (0, -13, "center"),
    (10, 10, "left"),
    (-10, 10, "right"),
    (10, -17, "left"),
    (-10, -17, "right"),
    (0, 17, "center"),
    (0, -24, "center"),
    (18, -3, "left"),
    (-18, -3, "right"),
    (14, 24, "left"),
    (-14, 24, "right"),
    (14, -31, "left"),
    (-14, -31, "right"),
)
# A label further than this from its marker gets a leader line.
LEADER_FROM = 9.0


@dataclass(frozen=True)
class LabelPlacement:
    """Offset of the label's baseline anchor from its marker (points) and its alignment."""

    dx: float
    dy: float
    ha: str

    @property
    def needs_leader(self) -> bool:
        return (self.dx**2 + self.dy**2) ** 0.5 > LEADER_FROM


def label_box(
    x: float, y: float, dx: float, dy: float, ha: str, width: float, height: float
) -> Box:
    left = x + dx - {"left": 0.0, "right": width, "center": width / 2}[ha]
    return (left, y + dy, left + width, y + dy + height)


def overlap_area(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _outside(box: Box, bounds: Box | None) -> float:
    if bounds is None:
        return 0.0
    area = (box[2] - box[0]) * (box[3] - box[1])
    return area - overlap_area(box, bounds)


def place_labels(
    points: Sequence[tuple[float, float]],
    widths: Sequence[float],
    height: float,
    bounds: Box | None = None,
    marker: float = 3.0,
) -> list[LabelPlacement]:
    """One placement per point (in the given order).

    points: marker centres in points; widths: each label's width in points; height: the
    labels' height; bounds: the plot area (labels should stay inside); marker: marker radius.
    """
    markers = [(x - marker, y - marker, x + marker, y + marker) for x, y in points]
    placed: list[Box] = []
    result: list[LabelPlacement] = []
    for index, ((x, y), width) in enumerate(zip(points, widths, strict=True)):
        best: tuple[float, Box, LabelPlacement] | None = None
        for dx, dy, ha in CANDIDATES:
            box = label_box(x, y, dx, dy, ha, width, height)
            cost = (
                sum(overlap_area(box, other) for other in placed)
                + sum(overlap_area(box, m) for j, m in enumerate(markers) if j != index)
                + _outside(box, bounds)
            )
            if best is None or cost < best[0]:
                best = (cost, box, LabelPlacement(dx, dy, ha))
            if cost == 0:
                break
        assert best is not None
        placed.append(best[1])
        result.append(best[2])
    return result
