"""Check every master-data row against its hash, and collect each import's hashes for its seal.

Master data is checked whole every time, by `verify`, `report` and every figure command alike
(SPEC §6), so this check has to be cheap even for a city with hundreds of thousands of grid
cells. It therefore reads each table with one query through the driver's own cursor, in chunks:
no ORM row objects and no type processing, since the text a row is hashed over is the `str` of
each value as the driver hands it over (ISO dates, `repr` of floats, digits, text), exactly the
canonical text `ledger.master_seal` stores (`row_template`). A whole row is formatted by one
%-template in C and hashed in one list comprehension; the per-row Python work is that and a
comparison (figures in docs/performance-ledger.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy import Column, Connection, Date, Integer, LargeBinary, String, select

from imports.record_text import sha256_hex
from ledger.master_models import MasterImport
from ledger.master_seal import MASTER_ROW_FIELDS, row_label, row_template
from ledger.master_tables import MASTER_MODELS
from ledger.verify_problems import verify_problem

# Rows fetched and hashed at a time: bounds the memory of a table of a million grid cells.
_CHUNK = 50_000


@dataclass
class MasterRows:
    """What the master-data tables hold: each import's stored row hashes, rows that do not match
    their hash, rows of imports that are not in the ledger."""

    hashes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    problems: list[dict[str, object]] = field(default_factory=list)
    rows: int = 0


def master_imports(connection: Connection) -> list[dict[str, object]]:
    """Every master import's record, oldest first."""
    result = connection.execute(select(MasterImport.__table__).order_by(MasterImport.id))
    return [dict(row) for row in result.mappings()]


def check_master_rows(connection: Connection, known: set[int]) -> MasterRows:
    """Recompute the hash of every master-data row; `known`: the ids of the master imports."""
    found = MasterRows()
    for table in MASTER_MODELS:
        fields = MASTER_ROW_FIELDS[table]
        # The stored hash comes last and is consumed by "%.0s", which prints nothing.
        template = row_template(table) + "%.0s"
        for chunk in _driver_rows(connection, table):
            found.rows += len(chunk)
            computed = sha256_hex(
                template % (row if None not in row else _empty(row)) for row in chunk
            )
            stored = [row[-1] for row in chunk]
            # import_id is every table's first field; rows come in runs of one import.
            at = 0
            for import_id, run in groupby(row[0] for row in chunk):
                count = sum(1 for _ in run)
                found.hashes[import_id].extend(stored[at : at + count])
                at += count
            pairs = enumerate(zip(computed, stored, strict=True))
            for index in [i for i, (again, kept) in pairs if again != kept]:
                row = chunk[index]
                if row[0] in known:
                    found.problems.append(_changed(table, dict(zip(fields, row, strict=False))))
    for import_id, hashes in sorted(found.hashes.items()):
        if import_id not in known:
            found.problems.append(
                verify_problem(
                    "master_import",
                    "master_orphans",
                    {"master_import": import_id},
                    count=len(hashes),
                    number=import_id,
                )
            )
    return found


def _driver_rows(connection: Connection, table: str) -> Iterator[list[tuple[object, ...]]]:
    """Every row of one table as the driver returns it, the sealed fields in order and then
    `row_hash`, in chunks, each value prepared by the database where it can do so exactly
    (`_selected`). Table and column names are the ledger's own constants."""
    columns = MASTER_MODELS[table].__table__.c
    sqlite = connection.dialect.name == "sqlite"
    selected = [_selected(columns[name], sqlite) for name in MASTER_ROW_FIELDS[table]]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"SELECT {', '.join(selected)}, row_hash FROM {table}")
        while chunk := cursor.fetchmany(_CHUNK):
            yield chunk if isinstance(chunk[0], tuple) else [tuple(row) for row in chunk]
    finally:
        cursor.close()


def _selected(column: Column[object], sqlite: bool) -> str:
    """How one column is read: a missing value as '' (its text) and bytes as hex where the
    database does that exactly, so most rows reach Python without a value to convert.

    SQLite keeps a date as text: date() gives the ISO form that SQLAlchemy reads it as (another
    spelling of the same day is the same value for every figure). On PostgreSQL a missing
    float stays None (its text form is not Python's `repr`) and is emptied in Python.
    """
    name = column.name
    if isinstance(column.type, LargeBinary):
        value = f"lower(hex({name}))" if sqlite else f"encode({name}, 'hex')"
    elif isinstance(column.type, Date):
        value = f"date({name})" if sqlite else f"to_char({name}, 'YYYY-MM-DD')"
        if not sqlite and not column.nullable:
            return name  # a date object, whose str is ISO
    elif sqlite or isinstance(column.type, String):
        value = name
    elif isinstance(column.type, Integer):
        value = f"{name}::text" if column.nullable else name
    else:
        return name
    return f"coalesce({value}, '')" if column.nullable else value


def _empty(row: tuple[object, ...]) -> tuple[object, ...]:
    """A missing value's text is empty."""
    return tuple("" if value is None else value for value in row)


def _changed(table: str, row: dict[str, object]) -> dict[str, object]:
    return verify_problem(
        "master_changed",
        "master_row_changed",
        {"master_import": row["import_id"], "table": table},
        number=row["import_id"],
        row=row_label(table, row),
    )
