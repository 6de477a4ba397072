"""District maps from a GeoJSON FeatureCollection, drawn with matplotlib patches (no GIS stack).

Each feature's `properties.key` names the district (the `DistrictSpending.key`); Polygon and
MultiPolygon geometries are drawn, anything else is ignored. Rings are re-oriented (outer ring
counter-clockwise, holes clockwise, as RFC 7946 asks but not every export delivers), so holes
stay holes under SVG's non-zero fill rule. Coordinates that look like longitude/latitude are
shown with the east-west axis shortened by cos(latitude), which is how a city-sized area looks
on a map; projected coordinates (metres) are shown 1:1.

Two panels: need class (categorical) and € per inhabitant in a few equal classes with a
patch legend (a colorbar would be rasterised, see reports.charts). Districts are labelled with
their key, which the spending table lists beside each name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib import colormaps
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import MaxNLocator
from reportlab.graphics.shapes import Drawing

from reports.charts import CHART_RC, NEED_COLOURS, NO_DATA, need_legend, new_figure, to_drawing
from reports.formatting import LocaleFormat
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


def district_maps(
    boundaries: dict[str, Any],
    districts: Sequence[DistrictSpending],
    t: Messages,
    fmt: LocaleFormat,
    width: float,
) -> Drawing:
    """Two maps side by side: need class, and € per inhabitant in classes."""
    by_key = {d.key: d for d in districts}
    shapes = [
        (str((f.get("properties") or {}).get("key", "")), feature_polygons(f))
        for f in boundaries.get("features", [])
    ]
    shapes = [(key, polygons) for key, polygons in shapes if polygons]
    values = [float(d.per_capita) for d in districts if d.per_capita is not None]
    bounds = spending_classes(values) if values else np.array([0.0, 1.0])
    palette = colormaps["Blues"](np.linspace(0.2, 0.9, len(bounds) - 1))

    def spending_colour(district: DistrictSpending | None) -> Any:
        if district is None or district.per_capita is None:
            return NO_DATA
        index = int(np.searchsorted(bounds, float(district.per_capita), side="right")) - 1
        return palette[min(max(index, 0), len(palette) - 1)]

    with matplotlib.rc_context(CHART_RC):
        figure = new_figure(width, width * 0.52)
        need_axes, money_axes = figure.subplots(1, 2)
        for axes, colour_of in (
            (need_axes, lambda d: NEED_COLOURS.get(d.need_class or "", NO_DATA) if d else NO_DATA),
            (money_axes, spending_colour),
        ):
            for key, polygons in shapes:
                colour = colour_of(by_key.get(key))
                for polygon in polygons:
                    axes.add_patch(
                        PathPatch(
                            polygon_path(polygon),
                            facecolor=colour,
                            edgecolor="white",
                            linewidth=0.8,
                        )
                    )
                x, y = centroid(polygons)
                axes.text(x, y, key, ha="center", va="center", fontsize=6)
            _frame(axes, shapes)
        need_axes.set_title(t("chart.map_need"))
        money_axes.set_title(t("chart.map_spending"))
        present = {by_key[k].need_class if k in by_key else None for k, _ in shapes}
        need_legend(need_axes, present, t, loc="upper center", bbox_to_anchor=(0.5, 0), ncols=3)
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
        money_axes.legend(
            handles=handles,
            fontsize=6.5,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, 0),
            ncols=3,
        )
        return to_drawing(figure)


def _frame(axes: Any, shapes: list[tuple[str, list[list[Ring]]]]) -> None:
    points = np.array([p for _, polygons in shapes for polygon in polygons for p in polygon[0]])
    if points.size == 0:
        axes.set_axis_off()
        return
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    pad_x, pad_y = (x1 - x0) * 0.03 or 1.0, (y1 - y0) * 0.03 or 1.0
    axes.set_xlim(x0 - pad_x, x1 + pad_x)
    axes.set_ylim(y0 - pad_y, y1 + pad_y)
    geographic = abs(points[:, 0]).max() <= 180 and abs(points[:, 1]).max() <= 90
    latitude = math.radians(float(points[:, 1].mean())) if geographic else 0.0
    axes.set_aspect(1 / math.cos(latitude))
    axes.set_axis_off()
