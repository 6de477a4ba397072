"""District maps from a GeoJSON FeatureCollection, drawn with matplotlib patches (no GIS stack).

Each feature's `properties.key` names the district (the `DistrictSpending.key`); Polygon and
MultiPolygon geometries are drawn, anything else is ignored. Rings are re-oriented (outer ring
counter-clockwise, holes clockwise, as RFC 7946 asks but not every export delivers), so holes
stay holes under SVG's non-zero fill rule. Coordinates that look like longitude/latitude are
shown with the east-west axis shortened by cos(latitude), which is how a city-sized area looks
on a map; projected coordinates (metres) are shown 1:1.

Two panels: need class (categorical) and € per inhabitant in a few equal classes, each with a
patch legend naming its classes (a colorbar would be rasterised, see reports.charts); side by
side up to 40 districts, else one full-width map each, with thinner edges. A district is
labelled with its key where the key fits inside it, else with a number where that fits (the
page lists numbers, keys and names under the map), else not at all (`reports.map_labels`), so
that 13 Stadtteile and 447 planning areas both stay readable. Districts with figures but no
polygon, polygons of no known district and districts delivered twice are returned as
`MapCoverage`, for the page to name them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextPath
from matplotlib.ticker import MaxNLocator
from reportlab.graphics.shapes import Drawing

from reports.charts import (
    CHART_RC,
    MAX_CHART_HEIGHT,
    NEED_COLOURS,
    NO_DATA,
    need_legend,
    new_figure,
    to_drawing,
)
from reports.fonts import CHART_FAMILY
from reports.formatting import LocaleFormat
from reports.map_labels import AreaLabel, label_areas
from reports.messages import Messages
from reports.report_data import DistrictSpending

Ring = list[tuple[float, float]]


def feature_polygons(feature: dict[str, Any]) -> list[list[Ring]]:
    """A feature's polygons, each as [outer ring, hole, ...] of (x, y) points."""
    geometry = feature.get("geometry") or {}
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [
        [[(float(p[0]), float(p[1])) for p in ring] for ring in polygon if len(ring) >= 3]
        for polygon in polygons
    ]


def signed_area(ring: Ring) -> float:
    """Shoelace area: positive when the ring runs counter-clockwise."""
    xs = np.array([p[0] for p in ring])
    ys = np.array([p[1] for p in ring])
    return float(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1))) / 2


def polygon_path(polygon: list[Ring]) -> MplPath:
    """One compound path: outer ring counter-clockwise, holes clockwise."""
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for index, ring in enumerate(polygon):
        points = ring[:-1] if ring[0] == ring[-1] else ring
        clockwise = signed_area(points) < 0
        if clockwise == (index == 0):
            points = points[::-1]
        vertices += [*points, points[0]]
        codes += [MplPath.MOVETO, *[MplPath.LINETO] * (len(points) - 1), MplPath.CLOSEPOLY]
    return MplPath(vertices, codes)


def centroid(polygons: list[list[Ring]]) -> tuple[float, float]:
    """Area-weighted centroid of the outer rings (where the district's label goes)."""
    total, cx, cy = 0.0, 0.0, 0.0
    for polygon in polygons:
        ring = polygon[0]
        xs = np.array([p[0] for p in ring])
        ys = np.array([p[1] for p in ring])
        cross = xs * np.roll(ys, -1) - np.roll(xs, -1) * ys
        area = cross.sum() / 2
        if area == 0:
            continue
        total += area
        cx += float(((xs + np.roll(xs, -1)) * cross).sum()) / 6
        cy += float(((ys + np.roll(ys, -1)) * cross).sum()) / 6
    if total == 0:
        ring = polygons[0][0]
        return float(np.mean([p[0] for p in ring])), float(np.mean([p[1] for p in ring]))
    return cx / total, cy / total


def spending_classes(values: Sequence[float], count: int = 5) -> np.ndarray:
    """Class bounds for € per inhabitant: round numbers from 0 (or the minimum) to the maximum."""
    low = min(0.0, min(values))
    high = max(values)
    if high <= low:
        return np.array([low, low + 1.0])
    ticks = MaxNLocator(nbins=count, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    below, above = np.flatnonzero(ticks <= low), np.flatnonzero(ticks >= high)
    start = below[-1] if below.size else 0
    stop = above[0] if above.size else ticks.size - 1
    return ticks[start : stop + 1]


# Up to this many districts the two maps stand side by side; more get a full width each.
SIDE_BY_SIDE_MAX = 40
MAP_LABEL_SIZE = 6.0


@dataclass(frozen=True)
class MapCoverage:
    """What the map cannot show as the data say, named under it: districts with figures but no
    polygon, polygons of no known district, and districts delivered as several features (drawn
    once, as one area)."""

    without_geometry: tuple[str, ...]
    without_data: tuple[str, ...]
    duplicates: tuple[str, ...]


@dataclass(frozen=True)
class DistrictMaps:
    """The need and spending maps (one drawing side by side, or two stacked), each district's
    label (`reports.map_labels`) and the coverage notes."""

    drawings: tuple[Drawing, ...]
    labels: tuple[AreaLabel, ...]
    coverage: MapCoverage

    @property
    def numbered(self) -> list[tuple[str, str]]:
        """(number, key) of the districts labelled with a number, for the table under the map."""
        return [(label.text, label.key) for label in self.labels if label.numbered]

    @property
    def unlabelled(self) -> list[str]:
        """Keys of the districts too small for any label."""
        return [label.key for label in self.labels if not label.text]


def district_shapes(
    boundaries: dict[str, Any],
) -> tuple[list[tuple[str, list[list[Ring]]]], tuple[str, ...]]:
    """Each district's polygons, sorted by key, features of one key merged; and the keys
    delivered more than once."""
    merged: dict[str, list[list[Ring]]] = {}
    seen: dict[str, int] = {}
    for feature in boundaries.get("features", []):
        key = str((feature.get("properties") or {}).get("key", ""))
        polygons = feature_polygons(feature)
        if not polygons:
            continue
        seen[key] = seen.get(key, 0) + 1
        merged.setdefault(key, []).extend(polygons)
    duplicates = tuple(sorted(k for k, n in seen.items() if n > 1))
    return sorted(merged.items()), duplicates


def map_coverage(
    shape_keys: Sequence[str], duplicates: tuple[str, ...], districts: Sequence[DistrictSpending]
) -> MapCoverage:
    known = {d.key for d in districts}
    drawn = set(shape_keys)
    return MapCoverage(
        without_geometry=tuple(sorted(known - drawn)),
        without_data=tuple(sorted(drawn - known)),
        duplicates=duplicates,
    )


def district_maps(
    boundaries: dict[str, Any],
    districts: Sequence[DistrictSpending],
    t: Messages,
    fmt: LocaleFormat,
    width: float,
) -> DistrictMaps:
    """The need class map and the € per inhabitant map, labelled where labels fit."""
    by_key = {d.key: d for d in districts}
    shapes, duplicates = district_shapes(boundaries)
    values = [float(d.per_capita) for d in districts if d.per_capita is not None]
    bounds = spending_classes(values) if values else np.array([0.0, 1.0])
    palette = colormaps["Blues"](np.linspace(0.2, 0.9, len(bounds) - 1))

    def spending_colour(district: DistrictSpending | None) -> Any:
        if district is None or district.per_capita is None:
            return NO_DATA
        index = int(np.searchsorted(bounds, float(district.per_capita), side="right")) - 1
        return palette[min(max(index, 0), len(palette) - 1)]

    def need_colour(district: DistrictSpending | None) -> Any:
        return NEED_COLOURS.get(district.need_class or "", NO_DATA) if district else NO_DATA

    def need_key(axes: Any) -> None:
        present = {by_key[k].need_class if k in by_key else None for k, _ in shapes}
        need_legend(axes, present, t, loc="upper center", bbox_to_anchor=(0.5, 0), ncols=3)

    def money_key(axes: Any) -> None:
        handles = [
            Patch(
                facecolor=palette[i],
                label=f"{fmt.money(bounds[i], cents=False)} – "
                f"{fmt.money(bounds[i + 1], cents=False)}",
            )
            for i in range(len(palette))
        ]
        if any(by_key.get(k) is None or by_key[k].per_capita is None for k, _ in shapes):
            handles.append(Patch(facecolor=NO_DATA, label=t("chart.no_class")))
        axes.legend(
            handles=handles,
            fontsize=6.5,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, 0),
            ncols=3,
        )

    panels = (
        (t("chart.map_need"), need_colour, need_key),
        (t("chart.map_spending"), spending_colour, money_key),
    )
    side_by_side = len(shapes) <= SIDE_BY_SIDE_MAX
    edge = 0.8 if side_by_side else 0.25
    with matplotlib.rc_context(CHART_RC):
        if side_by_side:
            figure = new_figure(width, width * 0.52)
            figures = [(figure, list(zip(figure.subplots(1, 2), panels, strict=True)))]
        else:
            figures = []
            for panel in panels:
                figure = new_figure(width, _stacked_height(shapes, width))
                figures.append((figure, [(figure.subplots(), panel)]))
        for figure, pairs in figures:
            for axes, (title, colour_of, legend) in pairs:
                for key, polygons in shapes:
                    for polygon in polygons:
                        axes.add_patch(
                            PathPatch(
                                polygon_path(polygon),
                                facecolor=colour_of(by_key.get(key)),
                                edgecolor="white",
                                linewidth=edge,
                            )
                        )
                _frame(axes, shapes)
                axes.set_title(title)
                legend(axes)
            figure.draw_without_rendering()  # fixes the layout: data positions map to points
        every_axes = [axes for _, pairs in figures for axes, _ in pairs]
        smallest = min(every_axes, key=lambda a: a.get_window_extent().width)
        labels = _labels(smallest, shapes)
        for _, pairs in figures:
            for axes, (_, colour_of, _) in pairs:
                _write_labels(axes, labels, smallest, {k: colour_of(by_key.get(k)) for k in by_key})
        drawings = tuple(to_drawing(figure) for figure, _ in figures)
    coverage = map_coverage([k for k, _ in shapes], duplicates, districts)
    return DistrictMaps(drawings, tuple(labels), coverage)


def _stacked_height(shapes: list[tuple[str, list[list[Ring]]]], width: float) -> float:
    """A full-width map's height from the area's proportions, plus room for title and legend;
    never more than most of a page."""
    points = np.array([p for _, polygons in shapes for polygon in polygons for p in polygon[0]])
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    ratio = (y1 - y0) * _aspect(points) / max(x1 - x0, 1e-9)
    return float(min(width * ratio + 70.0, MAX_CHART_HEIGHT * 0.9))


def _labels(axes: Any, shapes: list[tuple[str, list[list[Ring]]]]) -> list[AreaLabel]:
    """Each district's label decided on the finished axes, in points."""
    to_points = 72 / axes.figure.dpi
    transform = axes.transData.transform
    in_points = [
        (
            key,
            [
                [[tuple(p) for p in transform(np.array(ring)) * to_points] for ring in polygon]
                for polygon in polygons
            ],
        )
        for key, polygons in shapes
    ]
    font = FontProperties(family=CHART_FAMILY, size=MAP_LABEL_SIZE)
    return label_areas(
        in_points,
        lambda text: TextPath((0, 0), text, prop=font).get_extents().width,
        MAP_LABEL_SIZE * 0.8,
    )


def _write_labels(
    axes: Any, labels: Sequence[AreaLabel], measured: Any, fills: dict[str, Any]
) -> None:
    """The labels at their places (points on `measured`, the axes they were decided on, mapped
    to this axes' data), dark on light fills and white on dark ones."""
    to_pixels = axes.figure.dpi / 72
    back = measured.transData.inverted()
    for label in labels:
        if not label.text:
            continue
        x, y = back.transform((label.x * to_pixels, label.y * to_pixels))
        fill = to_rgb(fills.get(label.key, NO_DATA))
        luminance = 0.2126 * fill[0] + 0.7152 * fill[1] + 0.0722 * fill[2]
        axes.text(
            x,
            y,
            label.text,
            ha="center",
            va="center",
            fontsize=MAP_LABEL_SIZE,
            color="white" if luminance < 0.45 else "black",
        )


def _frame(axes: Any, shapes: list[tuple[str, list[list[Ring]]]]) -> None:
    points = np.array([p for _, polygons in shapes for polygon in polygons for p in polygon[0]])
    if points.size == 0:
        axes.set_axis_off()
        return
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    pad_x, pad_y = (x1 - x0) * 0.03 or 1.0, (y1 - y0) * 0.03 or 1.0
    axes.set_xlim(x0 - pad_x, x1 + pad_x)
    axes.set_ylim(y0 - pad_y, y1 + pad_y)
    axes.set_aspect(_aspect(points))
    axes.set_axis_off()


def _aspect(points: np.ndarray) -> float:
    """y units per x unit on paper: 1 in metres, 1/cos(latitude) in degrees."""
    geographic = abs(points[:, 0]).max() <= 180 and abs(points[:, 1]).max() <= 90
    latitude = math.radians(float(points[:, 1].mean())) if geographic else 0.0
    return 1 / math.cos(latitude)
