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
# Space kept between two labels (points), so that neighbouring names never touch.
LABEL_GAP = 2.0
# Cost of a leader line running through a label, per sample point inside it (as if that much
# area of two labels overlapped): a line through a name reads as striking it out.
LEADER_CROSSING = 40.0
_LEADER_SAMPLES = 12


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
    others: Sequence[tuple[float, float]] = (),
) -> list[LabelPlacement]:
    """One placement per point (in the given order).

    points: marker centres in points; widths: each label's width in points; height: the
    labels' height; bounds: the plot area (labels should stay inside); marker: marker radius;
    others: markers without a label, which labels must keep clear of too. Labels keep
    LABEL_GAP from each other, and leader lines are kept from running through labels.
    """
    markers = [(x - marker, y - marker, x + marker, y + marker) for x, y in [*points, *others]]
    placed: list[Box] = []
    leaders: list[list[tuple[float, float]]] = []  # sample points of the leader lines so far
    result: list[LabelPlacement] = []
    for index, ((x, y), width) in enumerate(zip(points, widths, strict=True)):
        best: tuple[float, Box, LabelPlacement] | None = None
        for dx, dy, ha in CANDIDATES:
            box = label_box(x, y, dx, dy, ha, width, height)
            placement = LabelPlacement(dx, dy, ha)
            line = _leader_samples(x, y, dx, dy) if placement.needs_leader else []
            cost = (
                sum(overlap_area(_grown(box, LABEL_GAP), other) for other in placed)
                + sum(overlap_area(box, m) for j, m in enumerate(markers) if j != index)
                + _outside(box, bounds)
                + LEADER_CROSSING * sum(_inside(p, box) for samples in leaders for p in samples)
                + LEADER_CROSSING * sum(_inside(p, other) for p in line for other in placed)
            )
            if best is None or cost < best[0]:
                best = (cost, box, placement)
            if cost == 0:
                break
        assert best is not None
        placed.append(best[1])
        result.append(best[2])
        if best[2].needs_leader:
            leaders.append(_leader_samples(x, y, best[2].dx, best[2].dy))
    return result


def _leader_samples(x: float, y: float, dx: float, dy: float) -> list[tuple[float, float]]:
    """Points along a leader line, from just off its marker to the label's anchor."""
    steps = range(1, _LEADER_SAMPLES + 1)
    return [(x + dx * k / _LEADER_SAMPLES, y + dy * k / _LEADER_SAMPLES) for k in steps]


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _grown(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)
