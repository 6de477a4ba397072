"""Census grid cells to districts: each cell belongs to the district containing its centre.

The cell centres (EPSG:3035) are transformed with pyproj into the boundaries' CRS and joined
with geopandas' spatial join (an STRtree underneath) on `within`. A centre that lies in no
polygon is `outside`; one that lies in two overlapping polygons — a drawing error of the GIS —
is given to the first district in code order and listed, so that no person is counted twice.

Per district: counts (population, or an indicator without weight) are summed over the cells
with a value; with a weight the value is the weighted mean sum(value·weight) / sum(weight) over
the cells where both are present and the weight is positive (for rates and shares: the share
of women weighted by inhabitants). A district whose cells all lack a value gets no value (not
zero); one without any cell is listed as `without_cells`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from imports.geodata.boundary_files import STORAGE_CRS
from imports.geodata.census_grid import GRID_CRS


@dataclass(frozen=True)
class GridAssignment:
    """district: the district code of each cell (None outside), aligned with the cells.
    values: district, value (float), cells (number of cells in the district), valued (cells
    with a value) — one row per district with at least one cell, in code order.
    in_two_districts: cells whose centre lies in two polygons."""

    district: pd.Series
    values: pd.DataFrame
    without_cells: list[str]
    in_two_districts: list[str]


def assign_cells(
    cells: pd.DataFrame,
    polygons: pd.DataFrame,
    *,
    weighted: bool,
    crs: str = STORAGE_CRS,
) -> GridAssignment:
    """cells: x, y (EPSG:3035 centres), value, weight, cell; polygons: district, geometry (in
    `crs`). See the module docstring for the rules."""
    located = locate_points(cells["x"], cells["y"], GRID_CRS, polygons, crs=crs)
    district = pd.Series(located.district.to_numpy(), index=cells.index, dtype=object)
    in_two = sorted(set(cells["cell"].iloc[list(located.in_two)].astype(str)))

    frame = pd.DataFrame(
        {"district": district, "value": cells["value"], "weight": cells["weight"]}
    ).dropna(subset=["district"])
    if weighted:
        usable = frame["value"].notna() & frame["weight"].notna() & (frame["weight"] > 0)
    else:
        usable = frame["value"].notna()
    frame = frame.assign(
        product=(frame["value"] * frame["weight"]).where(usable),
        used_weight=frame["weight"].where(usable),
        used_value=frame["value"].where(usable),
        valued=usable.astype(int),
    )
    grouped = frame.groupby("district", sort=False)
    values = pd.DataFrame(
        {
            "cells": grouped.size(),
            "valued": grouped["valued"].sum(),
            "total": grouped["used_value"].sum(min_count=1),
            "product": grouped["product"].sum(min_count=1),
            "weight": grouped["used_weight"].sum(min_count=1),
        }
    )
    values["value"] = values["product"] / values["weight"] if weighted else values["total"]
    values = values.reset_index().sort_values("district", key=_natural_order, kind="stable")
    without = [d for d in located.order if d not in set(values["district"])]
    return GridAssignment(
        district=district,
        values=values[["district", "value", "cells", "valued"]].reset_index(drop=True),
        without_cells=without,
        in_two_districts=in_two,
    )


@dataclass(frozen=True)
class LocatedPoints:
    """district: the district code of each point (None outside), by position. in_two: positions
    of points in two polygons (given to the first district in code order). order: the
    districts' codes in code order."""

    district: pd.Series
    in_two: tuple[int, ...]
    order: tuple[str, ...]


def locate_points(
    x: pd.Series | np.ndarray,
    y: pd.Series | np.ndarray,
    points_crs: str,
    polygons: pd.DataFrame,
    *,
    crs: str = STORAGE_CRS,
) -> LocatedPoints:
    """The district whose polygon (district, geometry in `crs`) holds each point (x, y in
    `points_crs`): transformed with pyproj, joined with geopandas' spatial join on `within`.
    Shared by grid cells and places of help, so both follow one rule."""
    points = gpd.GeoDataFrame(
        {"position": np.arange(len(x))},
        geometry=gpd.points_from_xy(np.asarray(x, float), np.asarray(y, float)),
        crs=points_crs,
    ).to_crs(crs)
    areas = gpd.GeoDataFrame(
        {"district": polygons["district"].to_numpy()},
        geometry=gpd.GeoSeries(polygons["geometry"].to_numpy(), crs=crs),
        crs=crs,
    ).sort_values("district", key=_natural_order, kind="stable")
    joined = gpd.sjoin(points, areas, how="inner", predicate="within")
    order = _natural_order(joined["district"])
    joined = joined.assign(_order=order.to_numpy()).sort_values(["position", "_order"])
    doubled = joined["position"].duplicated(keep="first")
    in_two = tuple(sorted(int(p) for p in set(joined.loc[doubled, "position"])))
    joined = joined[~doubled]
    district = pd.Series(None, index=pd.RangeIndex(len(x)), dtype=object)
    district.iloc[joined["position"].to_numpy()] = joined["district"].to_numpy()
    return LocatedPoints(district, in_two, tuple(areas["district"]))


def _natural_order(codes: pd.Series) -> pd.Series:
    """Numeric codes by number, then the others as text (as `boundary_keys` lists them)."""
    text = codes.astype(str)
    numeric = text.str.fullmatch(r"\d+")
    return pd.Series(
        [f"0{int(c):030d}" if n else f"1{c}" for c, n in zip(text, numeric, strict=True)],
        index=codes.index,
    )
