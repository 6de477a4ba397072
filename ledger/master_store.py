"""Store one master-data import as a new version, and read master data as of a version."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update

from imports.fingerprint import Fingerprint
from ledger.database import write_transaction
from ledger.master_models import (
    Allocation,
    District,
    IndicatorValue,
    MasterImport,
    Measure,
    PlanAmount,
    Population,
    PriceIndex,
)
from ledger.master_seal import MASTER_ROW_FIELDS, canonical_value, master_seal, row_hash
from ledger.master_tables import MASTER_MODELS
from ledger.posting_queries import ledger_head
from ledger.trip_wire import suspended

_CHUNK = 20_000


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, object]]:
    values = frame[columns].astype(object)
    values = values.where(values.notna(), None)
    return values.to_dict(orient="records")


@dataclass(frozen=True)
class StoredMaster:
    """The version a master-data file is in the ledger as: `import_id`, and `unchanged` where
    the file was the ledger's newest master import already (nothing written)."""

    import_id: int
    unchanged: bool = False


def store_master_import(
    engine: Engine,
    *,
    kind: str,
    print_: Fingerprint,
    os_user: str,
    rows: int,
    tables: dict[str, pd.DataFrame],
    summary: dict[str, object],
) -> StoredMaster:
    """Write one import (a new version) in one transaction, sealed into the ledger's hash chain
    (`ledger.master_seal`).

    An unchanged re-import writes nothing: where the ledger's newest master import is of the
    same kind, from the same bytes, with the same summary and exactly these rows, a new version
    would change no figure and only lengthen the chain, so that version is returned as is.

    tables: table name (district, population, …) -> frame with that table's columns (without
    import_id; tables with a `seq` key get it numbered here).
    """
    filled = {name: frame for name, frame in tables.items() if not frame.empty}
    summary_text = json.dumps(summary, ensure_ascii=False, default=str)
    with write_transaction(engine) as connection:
        same = _unchanged(connection, kind, print_, summary_text, filled)
        if same is not None:
            return StoredMaster(same, unchanged=True)
        head = ledger_head(connection)
        record: dict[str, object] = {
            "kind": kind,
            "file_name": print_.name,
            "file_size": print_.size,
            "sha256": print_.sha256,
            "os_user": os_user,
            "imported_at": datetime.now(UTC),
            "rows": rows,
            "summary": summary_text,
            "after_batch": head.batch_id,
            "sealed_rows": 0,
            "seal": "",  # written below, once the rows' hashes are known
        }
        import_id = connection.execute(
            insert(MasterImport).values(**record).returning(MasterImport.id)
        ).scalar_one()
        hashes: list[str] = []
        with suspended(connection, tuple(filled), derived=False):
            for name, frame in filled.items():
                records = _sealed_records(name, frame, int(import_id))
                hashes.extend(record["row_hash"] for record in records)  # type: ignore[misc]
                for start in range(0, len(records), _CHUNK):
                    connection.execute(insert(MASTER_MODELS[name]), records[start : start + _CHUNK])
        record.update(id=import_id, sealed_rows=len(hashes))
        connection.execute(
            update(MasterImport)
            .where(MasterImport.id == import_id)
            .values(sealed_rows=len(hashes), seal=master_seal(record, head.seal, sorted(hashes)))
        )
    return StoredMaster(int(import_id))


def _unchanged(
    connection: Connection,
    kind: str,
    print_: Fingerprint,
    summary: str,
    tables: dict[str, pd.DataFrame],
) -> int | None:
    """The ledger's newest master import if it holds this very file and these rows (their
    hashes as that import's rows), else None."""
    newest = connection.execute(
        select(MasterImport.__table__).order_by(MasterImport.id.desc()).limit(1)
    ).first()
    if newest is None or (newest.kind, newest.sha256, newest.file_size, newest.summary) != (
        kind,
        print_.sha256,
        print_.size,
        summary,
    ):
        return None
    rows = sum(len(frame) for frame in tables.values())
    if rows != newest.sealed_rows:
        return None
    again = sorted(
        str(record["row_hash"])
        for name, frame in tables.items()
        for record in _sealed_records(name, frame, newest.id)
    )
    stored = sorted(
        hash_
        for model in MASTER_MODELS.values()
        for hash_ in connection.execute(
            select(model.__table__.c.row_hash).where(model.__table__.c.import_id == newest.id)
        ).scalars()
    )
    return newest.id if again == stored else None


def _sealed_records(name: str, frame: pd.DataFrame, import_id: int) -> list[dict[str, object]]:
    """The rows of one table as stored: values in their canonical form (what is hashed is
    exactly what is stored), import id, numbered `seq` where the table has one, row hash."""
    fields = MASTER_ROW_FIELDS[name]
    own = [c for c in fields if c not in ("import_id", "seq")]
    records = _records(frame, own)
    for number, record in enumerate(records, start=1):
        record["import_id"] = import_id
        if "seq" in fields:
            record["seq"] = number
        for column in own:
            record[column] = canonical_value(column, record[column])
        record["row_hash"] = row_hash(name, record)
    return records


def resolve_as_of(connection: Connection, as_of: str | None) -> int | None:
    """The newest master import in force: all (None), up to import N ("7"), or up to the end
    of a day ("2025-03-31")."""
    if as_of is None:
        return None
    if as_of.isdigit():
        return int(as_of)
    day = date.fromisoformat(as_of)
    limit = datetime.combine(day, time.max, tzinfo=UTC)
    found = connection.execute(
        select(MasterImport.id)
        .where(MasterImport.imported_at <= limit)
        .order_by(MasterImport.id.desc())
        .limit(1)
    ).scalar()
    return int(found) if found is not None else 0


def newest_import(
    connection: Connection, kind: str | None = None, as_of: int | None = None
) -> int | None:
    """The id of the newest master import (of that kind), at or before `as_of`; None if none."""
    query = select(MasterImport.id)
    if kind is not None:
        query = query.where(MasterImport.kind == kind)
    if as_of is not None:
        query = query.where(MasterImport.id <= as_of)
    found = connection.execute(query.order_by(MasterImport.id.desc()).limit(1)).scalar()
    return int(found) if found is not None else None


def _frame(connection: Connection, model: type, as_of: int | None) -> pd.DataFrame:
    table = model.__table__
    # The row hash is the chain's business (ledger.master_verification), not the readers'.
    query = select(*(column for column in table.c if column.name != "row_hash"))
    if as_of is not None:
        query = query.where(table.c.import_id <= as_of)
    result = connection.execute(query.order_by(table.c.import_id))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _latest_snapshot(
    connection: Connection, model: type, kind: str, as_of: int | None
) -> pd.DataFrame:
    newest = newest_import(connection, kind, as_of)
    frame = _frame(connection, model, as_of)
    return frame[frame["import_id"] == newest].reset_index(drop=True) if newest else frame.iloc[0:0]


def _newest_per_key(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    return frame.drop_duplicates(key, keep="last").reset_index(drop=True)


def districts(connection: Connection, as_of: int | None = None) -> pd.DataFrame:
    """code, name of the district list in force: the newest import that wrote one (a
    districts file, or boundaries imported with --create-districts)."""
    query = select(func.max(District.import_id))
    if as_of is not None:
        query = query.where(District.import_id <= as_of)
    newest = connection.execute(query).scalar()
    if newest is None:
        return pd.DataFrame({"code": pd.Series(dtype=object), "name": pd.Series(dtype=object)})
    result = connection.execute(
        select(District.code, District.name).where(District.import_id == newest)
    )
    return pd.DataFrame(result.fetchall(), columns=["code", "name"])


def population(connection: Connection, as_of: int | None = None) -> pd.DataFrame:
    """district, period, population — the newest value per district and period."""
    frame = _newest_per_key(_frame(connection, Population, as_of), ["district", "period"])
    return frame[["district", "period", "population"]]


def indicator_values(connection: Connection, as_of: int | None = None) -> pd.DataFrame:
    frame = _newest_per_key(
        _frame(connection, IndicatorValue, as_of), ["district", "indicator", "period"]
    )
    return frame.drop(columns="import_id")


def catalog(connection: Connection, as_of: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(measures, allocations) of the catalog version in force; shares as Decimal."""
    measures = _latest_snapshot(connection, Measure, "measures", as_of)
    allocations = _latest_snapshot(connection, Allocation, "measures", as_of)
    if not allocations.empty:
        allocations["share"] = allocations["share"].map(Decimal)
    return measures, allocations


def price_index(connection: Connection, as_of: int | None = None) -> pd.DataFrame:
    """series, year, level (exact decimal text), unit: the newest value per series and year."""
    frame = _frame(connection, PriceIndex, as_of)
    frame = _newest_per_key(frame.sort_values(["import_id"], kind="stable"), ["series", "year"])
    return frame[["series", "year", "level", "unit"]]


def plan_amounts(connection: Connection, as_of: int | None = None) -> pd.DataFrame:
    frame = _frame(connection, PlanAmount, as_of)
    frame = _newest_per_key(frame.sort_values(["import_id", "seq"]), ["measure", "product", "year"])
    return frame[["measure", "product", "year", "amount_cents"]]
