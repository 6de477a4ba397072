"""The district map as server-rendered SVG, from the boundaries the ledger holds.

No tiles and no map library in the browser: each district is one `<path>` (its polygons, holes
kept by the even-odd rule) inside a link to its page, with its name and value as the link's
accessible name, so the map works offline, by keyboard and with a screen reader. The stored
boundaries are in a metric CRS (`ledger.geo_store`), drawn 1:1 with y flipped; each shape is
simplified to a tolerance of a fraction of the map's width, so that 447 planning areas stay a
few hundred kilobytes. Colours and classes are the report's (`reports.charts.NEED_COLOURS`,
`reports.district_map.spending_classes`), so the atlas and the PDF read alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from matplotlib import colormaps
from matplotlib.colors import to_hex

from reports.charts import NEED_COLOURS, NO_DATA
from reports.district_map import spending_classes

# The SVG's own width in user units; the page scales it to the column.
MAP_WIDTH = 1000.0
# Shapes are simplified to this share of the map's extent (half a pixel at 1000 px).
_TOLERANCE = 0.0005
NEED_ORDER = ("very_high", "high", "medium", "low")


@dataclass(frozen=True)
class MapArea:
    key: str
    name: str
    path: str
    fill: str
    label: str


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


@dataclass(frozen=True)
class DistrictMap:
    view_box: str
    areas: tuple[MapArea, ...]
    legend: tuple[LegendEntry, ...]


def _ring_path(coordinates: np.ndarray, left: float, top: float, scale: float) -> str:
    xs = (coordinates[:, 0] - left) * scale
    ys = (top - coordinates[:, 1]) * scale
    points = " ".join(f"{x:.1f} {y:.1f}" for x, y in zip(xs, ys, strict=True))
    return f"M{points}Z"


def _geometry_path(geometry: shapely.Geometry, left: float, top: float, scale: float) -> str:
    parts = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if not isinstance(polygon, shapely.Polygon) or polygon.is_empty:
            continue
        rings = [polygon.exterior, *polygon.interiors]
        parts += [_ring_path(np.asarray(ring.coords), left, top, scale) for ring in rings]
    return "".join(parts)


def need_fill(need_class: str | None) -> str:
    return NEED_COLOURS.get(need_class or "", NO_DATA)


def graded_fills(
    values: Mapping[str, float | None], describe: Callable[[float, float], str]
) -> tuple[dict[str, str], tuple[LegendEntry, ...]]:
    """A colour per district from a few classes with round bounds (the report's € per
    inhabitant classes), and the legend naming each class by `describe(low, high)`."""
    known = [v for v in values.values() if v is not None]
    if not known:
        return {key: NO_DATA for key in values}, ()
    bounds = spending_classes(known)
    palette = [to_hex(c) for c in colormaps["Blues"](np.linspace(0.2, 0.9, len(bounds) - 1))]
    fills = {}
    for key, value in values.items():
        if value is None:
            fills[key] = NO_DATA
            continue
        index = int(np.clip(np.searchsorted(bounds, value, side="right") - 1, 0, len(palette) - 1))
        fills[key] = palette[index]
    legend = tuple(
        LegendEntry(colour, describe(float(bounds[i]), float(bounds[i + 1])))
        for i, colour in enumerate(palette)
    )
    return fills, legend


def district_map(
    shapes: pd.DataFrame,
    fills: Mapping[str, str],
    labels: Mapping[str, str],
    legend: tuple[LegendEntry, ...],
) -> DistrictMap | None:
    """The map of the boundaries in `shapes` (district, name, geometry as `geo_store.boundaries`
    hands them out); None without boundaries. `labels`: each district's value in words."""
    if shapes.empty:
        return None
    geometries = shapes["geometry"].to_numpy()
    left, bottom, right, top = shapely.total_bounds(geometries)
    width, height = max(right - left, 1e-9), max(top - bottom, 1e-9)
    scale = MAP_WIDTH / width
    simplified = shapely.simplify(geometries, tolerance=width * _TOLERANCE, preserve_topology=True)
    areas = []
    for key, name, geometry in zip(shapes["district"], shapes["name"], simplified, strict=True):
        path = _geometry_path(geometry, left, top, scale)
        if path:
            key = str(key)
            areas.append(
                MapArea(key, str(name or key), path, fills.get(key, NO_DATA), labels.get(key, ""))
            )
    view_box = f"0 0 {MAP_WIDTH:.0f} {height * scale:.0f}"
    return DistrictMap(view_box, tuple(sorted(areas, key=lambda a: a.key)), legend)
