"""Master data in the hash chain: every master-data row hashed, every import sealed.

A figure depends on master data as much as on postings (a measure's district shares decide which
district gets the cents), so each master-data version is sealed like an import batch:

- each row stores `row_hash = sha256(table name + the row's text)` over all its columns (import
  id and key included, so a row moved to another import or key changes too);
- each import stores `seal = link(previous seal, record digest : rows digest : row count)`, where
  the rows digest is the sha256 of its rows' hashes in table and key order, and the previous
  seal is the newest seal of the ledger when it was written (a batch's or a master import's).

`after_batch` (the newest batch when the import was written) places the import in the one
sequence of seals the ledger has: batch K, then the master imports with after_batch = K in id
order, then batch K + 1. A batch continues from the seal before it in that sequence, so the
newest seal, the ledger's head, covers postings, batches and master data alike.

The text of a value is fixed by its column's type, not by the Python type a reader happens to
hand over (a pandas Timestamp, a numpy float, SQLite's date text in a migration): dates ISO,
floats `repr`, whole numbers digits, missing empty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from imports.record_text import SEPARATOR, sha256_hex
from ledger.integrity import digest, link
from ledger.verify_problems import part

# Every stored column of each master-data table but the hash, in a fixed order; the migration
# that sealed existing ledgers uses the same lists.
MASTER_ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "district": ("import_id", "code", "name"),
    "population": ("import_id", "district", "period", "population"),
    "indicator_value": (
        "import_id",
        "district",
        "indicator",
        "period",
        "period_start",
        "period_end",
        "value",
    ),
    "measure": (
        "import_id",
        "seq",
        "code",
        "name",
        "program",
        "start_date",
        "end_date",
        "cost_center",
        "product",
        "account",
        "order_no",
    ),
    "allocation": (
        "import_id",
        "seq",
        "measure",
        "district",
        "share",
        "valid_from",
        "valid_to",
        "basis",
    ),
    "plan_amount": ("import_id", "seq", "measure", "product", "year", "amount_cents"),
    "district_boundary": ("import_id", "district", "name", "srid", "area_m2", "geometry"),
    "grid_cell": ("import_id", "cell", "x", "y", "size_m", "value", "weight", "district"),
    "price_index": ("import_id", "series", "year", "level", "unit"),
    "facility": (
        "import_id",
        "seq",
        "type",
        "name",
        "x",
        "y",
        "district",
        "measure",
        "valid_from",
        "valid_to",
    ),
}
# The tables that existed when existing ledgers were sealed (migration 0010); the geodata tables
# (migration 0012), the price index (0016) and places of help (0017) came later and are sealed
# from their first row.
SEALED_IN_0010 = (
    "district",
    "population",
    "indicator_value",
    "measure",
    "allocation",
    "plan_amount",
)
# Primary key of each table (the order rows are hashed and checked in).
MASTER_ROW_KEYS: dict[str, tuple[str, ...]] = {
    "district": ("import_id", "code"),
    "population": ("import_id", "district", "period"),
    "indicator_value": ("import_id", "district", "indicator", "period"),
    "measure": ("import_id", "seq"),
    "allocation": ("import_id", "seq"),
    "plan_amount": ("import_id", "seq"),
    "district_boundary": ("import_id", "district"),
    "grid_cell": ("import_id", "cell"),
    "price_index": ("import_id", "series", "year"),
    "facility": ("import_id", "seq"),
}
# Fields that name a row in a problem, besides its key.
_ROW_LABELS: dict[str, tuple[str, ...]] = {
    "district": ("code",),
    "population": ("district", "period"),
    "indicator_value": ("district", "indicator", "period"),
    "measure": ("code",),
    "allocation": ("measure", "district"),
    "plan_amount": ("measure", "product", "year"),
    "district_boundary": ("district",),
    "grid_cell": ("cell",),
    "price_index": ("series", "year"),
    "facility": ("type", "name"),
}
# The codes (ledger.verify_problems) that name tables, fields and kinds of import in a problem.
_TABLE_CODES: dict[str, str] = {
    "district": "table_district",
    "population": "table_population",
    "indicator_value": "table_indicator_value",
    "measure": "table_measure",
    "allocation": "table_allocation",
    "plan_amount": "table_plan_amount",
    "district_boundary": "table_district_boundary",
    "grid_cell": "table_grid_cell",
    "price_index": "table_price_index",
    "facility": "table_facility",
}
_FIELD_CODES: dict[str, str] = {
    "code": "field_code",
    "district": "field_district",
    "period": "field_period",
    "indicator": "field_indicator",
    "measure": "field_measure",
    "product": "field_product",
    "year": "field_year",
    "cell": "field_cell",
    "series": "field_series",
    "type": "field_type",
    "name": "field_name",
}
_KIND_CODES: dict[str, str] = {
    "districts": "kind_districts",
    "indicators": "kind_indicators",
    "measures": "kind_measures",
    "plan": "kind_plan",
    "boundaries": "kind_boundaries",
    "grid": "kind_grid",
    "prices": "kind_prices",
    "facilities": "kind_facilities",
}
DATE_FIELDS = {"period_start", "period_end", "start_date", "end_date", "valid_from", "valid_to"}
_FLOATS = {"value", "area_m2", "x", "y", "weight"}
_WHOLE = {"import_id", "seq", "population", "year", "amount_cents", "srid", "size_m"}
# Binary columns (a polygon's WKB): hashed as their hex text.
BYTES_FIELDS = {"geometry"}

MASTER_SEALED_FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "file_name",
    "file_size",
    "sha256",
    "os_user",
    "imported_at",
    "rows",
    "summary",
    "after_batch",
    "sealed_rows",
)


def canonical_value(name: str, value: object) -> object:
    """The value as the ledger stores and hashes it (None for a missing one)."""
    if value is None or value != value:  # NaN and NaT are missing
        return None
    if name in DATE_FIELDS:
        if isinstance(value, datetime):
            return value.date()
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if name in _FLOATS:
        return float(value)  # type: ignore[arg-type]
    if name in _WHOLE:
        return int(value)  # type: ignore[call-overload]
    if name in BYTES_FIELDS:
        return bytes(value)  # type: ignore[call-overload]
    return str(value)


def row_hash(table: str, row: Mapping[str, object]) -> str:
    """The hash of one master-data row given by column name (any Python types)."""
    fields = MASTER_ROW_FIELDS[table]
    return row_hashes(table, {name: [canonical_value(name, row[name])] for name in fields})[0]


def row_template(table: str) -> str:
    """The %-template of a row's hashed text, to be filled with a row's values in field order:
    the table's name, then `name=value` per field joined by the unit separator (the form of
    `imports.record_text`). A value's text is its `str` (a float's `str` is its `repr`, a
    date's ISO), a missing one empty, bytes their hex."""
    return table + SEPARATOR + SEPARATOR.join(f"{name}=%s" for name in MASTER_ROW_FIELDS[table])


def row_texts(table: str, rows: Iterable[tuple[object, ...]]) -> Iterator[str]:
    """The hashed text of each row given as a tuple of canonical values in field order."""
    fields = MASTER_ROW_FIELDS[table]
    template = row_template(table)
    binary = tuple(i for i, name in enumerate(fields) if name in BYTES_FIELDS)
    for row in rows:
        if binary:
            row = tuple(
                bytes(v).hex() if i in binary and v is not None else v  # type: ignore[call-overload]
                for i, v in enumerate(row)
            )
        yield template % (row if None not in row else tuple("" if v is None else v for v in row))


def row_hashes(table: str, columns: Mapping[str, Sequence[object]]) -> list[str]:
    """The hashes of master-data rows given column-wise with canonical values."""
    fields = MASTER_ROW_FIELDS[table]
    return sha256_hex(row_texts(table, zip(*(columns[name] for name in fields), strict=True)))


def rows_digest(hashes: Iterable[str]) -> str:
    """One digest over the row hashes of an import, in table and key order."""
    return hashlib.sha256("".join(hashes).encode("ascii")).hexdigest()


def master_seal(record: Mapping[str, object], previous: str, hashes: Sequence[str]) -> str:
    """The seal of one master import: its record, its rows' hashes and their number, chained to
    the ledger's seal before it."""
    return link(
        previous, f"{digest(record, MASTER_SEALED_FIELDS)}:{rows_digest(hashes)}:{len(hashes)}"
    )


@dataclass(frozen=True)
class SealedEvent:
    """A batch or a master import as a link of the ledger's one sequence of seals."""

    kind: str  # "batch" or "master"
    id: int
    after_batch: int  # batches: their own id
    seal: str

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.after_batch, 0, 0) if self.kind == "batch" else (self.after_batch, 1, self.id)


def sequence(events: Iterable[SealedEvent]) -> list[SealedEvent]:
    """Batches and master imports in the order their seals were written."""
    return sorted(events, key=lambda event: event.order)


def row_label(table: str, row: Mapping[str, object]) -> dict[str, object]:
    """`allocation row 3 (measure JZ-A, district S03)`: how a problem names a row, as a part
    (ledger.verify_problems) whose table and field names each language words itself."""
    fields = [
        part("row_field", name=part(_FIELD_CODES[name]), value=str(row[name]))
        for name in _ROW_LABELS[table]
        if row[name] is not None
    ]
    named = fields[0] if fields else part("row_unnamed")
    for further in fields[1:]:
        named = part("row_fields", first=named, second=further)
    words = part(_TABLE_CODES[table])
    if "seq" in MASTER_ROW_KEYS[table]:
        return part("master_row_numbered", table=words, seq=row["seq"], named=named)
    return part("master_row", table=words, named=named)


def import_kind(kind: str) -> dict[str, object]:
    """A kind of master import ("measures") as a part, so that each language names it."""
    return part(_KIND_CODES[kind])
