"""Read the boundaries and grid cells in force (`ledger.geo_models`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import shapely
from sqlalchemy import Connection, select

from ledger.geo_models import DistrictBoundary, GridCell
from ledger.master_store import newest_import


def boundaries(connection: Connection, as_of: int | None = None) -> pd.DataFrame:
    """district, name, srid, area_m2, geometry (shapely) of the newest boundaries import up to
    `as_of`; empty when none was imported. attrs["import_id"]: that import."""
    newest = newest_import(connection, "boundaries", as_of)
    columns = ["district", "name", "srid", "area_m2", "geometry"]
    if newest is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    table = DistrictBoundary.__table__
    result = connection.execute(
        select(*(table.c[c] for c in columns)).where(table.c.import_id == newest)
    )
    frame = pd.DataFrame(result.fetchall(), columns=columns)
    frame["geometry"] = shapely.from_wkb(frame["geometry"].map(bytes).to_numpy())
    frame.attrs["import_id"] = newest
    return frame


def boundaries_geojson(connection: Connection, as_of: int | None = None) -> dict[str, Any] | None:
    """The boundaries in force as a GeoJSON FeatureCollection (properties: key, name; the
    coordinates in the stored metric CRS, which the report's maps draw 1:1); None without."""
    frame = boundaries(connection, as_of)
    if frame.empty:
        return None
    return {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": f"EPSG:{int(frame['srid'].iloc[0])}"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"key": district, "name": name},
                "geometry": shapely.geometry.mapping(geometry),
            }
            for district, name, geometry in zip(
                frame["district"], frame["name"], frame["geometry"], strict=True
            )
        ],
    }


def grid_cells(connection: Connection, import_id: int) -> pd.DataFrame:
    """cell, x, y, size_m, value, weight, district of one grid import."""
    table = GridCell.__table__
    columns = ["cell", "x", "y", "size_m", "value", "weight", "district"]
    result = connection.execute(
        select(*(table.c[c] for c in columns))
        .where(table.c.import_id == import_id)
        .order_by(table.c.cell)
    )
    return pd.DataFrame(result.fetchall(), columns=columns)
