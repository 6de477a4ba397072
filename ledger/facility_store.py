"""Read the places of help in force and the residents' grid that `access` and `siting` use."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import Connection, select

from ledger.facility_models import Facility
from ledger.geo_store import grid_cells
from ledger.master_models import MasterImport
from ledger.master_seal import MASTER_ROW_FIELDS

# Every stored column but the hash, as sealed.
PLACE_COLUMNS = list(MASTER_ROW_FIELDS["facility"])


def places(
    connection: Connection, as_of: int | None = None, kind: str | None = None
) -> pd.DataFrame:
    """The places in force (PLACE_COLUMNS; x, y in EPSG:25832): for each type, those of the
    newest facilities import (up to `as_of`) that holds the type — a new version replaces the
    places of the types it holds (SPEC §9). `kind`: only places of that type."""
    table = Facility.__table__
    query = select(*(table.c[c] for c in PLACE_COLUMNS))
    if as_of is not None:
        query = query.where(table.c.import_id <= as_of)
    if kind is not None:
        query = query.where(table.c.type == kind)
    frame = pd.DataFrame(connection.execute(query).fetchall(), columns=PLACE_COLUMNS)
    newest = frame.groupby("type")["import_id"].transform("max")
    frame = frame[frame["import_id"] == newest].sort_values(["type", "seq"]).reset_index(drop=True)
    for column in ("name", "district", "measure"):  # empty is None, never NaN
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def place_types(connection: Connection, as_of: int | None = None) -> list[str]:
    """The types of the places in force, for messages naming what could be asked for."""
    return sorted(set(places(connection, as_of)["type"]))


def population_grid(
    connection: Connection, period: str | None = None, as_of: int | None = None
) -> tuple[str, pd.DataFrame] | None:
    """(period, cells) of the newest `import grid --population` (for `period`, if given, up to
    `as_of`); cells as `ledger.geo_store.grid_cells`. None when the ledger holds none."""
    query = select(MasterImport.id, MasterImport.summary).where(MasterImport.kind == "grid")
    if as_of is not None:
        query = query.where(MasterImport.id <= as_of)
    for import_id, text in connection.execute(query.order_by(MasterImport.id.desc())):
        summary = json.loads(text)
        if summary.get("target") != "population":
            continue
        if period is None or summary.get("period") == period:
            return str(summary.get("period")), grid_cells(connection, import_id)
    return None
