"""An export compared with the current postings of its fiscal years, in memory.

When the profile's key holds the fiscal year, an export's keys can only be among the postings of
the years it covers, so those postings' keys and content hashes are read once, in file order, and
joined with the export's in polars. The other way, the export's keys in a temporary table and
one index lookup per key and per ledger posting (`ledger.posting_queries.export_keys`), took
about 9 s CPU for a re-export of 1,000,000 postings against 2.7 s this way (issue 19). It holds
the years' keys in memory (about 155 MiB per million postings), which is why a key without the
fiscal year, which could match a posting of any year, still compares inside the database.
"""

from __future__ import annotations

import pandas as pd
import polars as pl
from sqlalchemy import Connection, String, cast, select

from ledger.models import Posting
from ledger.posting_queries import current_filter

# Rows fetched and turned into columns at a time: only these exist as Python objects at once.
_FETCH_ROWS = 100_000
_SCHEMA = {
    "key_hash": pl.String,
    "content_hash": pl.String,
    "posting_id": pl.Int64,
    "version": pl.Int64,
    "fiscal_year": pl.Int64,
    "booking_date": pl.String,
}


def current_versions(connection: Connection, fiscal_years: list[int]) -> pl.DataFrame:
    """Key and content hash, id, version, fiscal year and ISO booking day of every current
    posting of these fiscal years."""
    query = select(
        Posting.key_hash,
        Posting.content_hash,
        Posting.id,
        Posting.version,
        Posting.fiscal_year,
        cast(Posting.booking_date, String),  # ISO text, without a date object per row
    ).where(current_filter(), Posting.fiscal_year.in_(fiscal_years))
    # Through the driver's cursor: SQLAlchemy's row objects cost more than the rows' reading.
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    parameters = (
        [compiled.params[name] for name in compiled.positiontup or ()]
        if compiled.positional
        else compiled.params
    )
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        parts = []
        while rows := cursor.fetchmany(_FETCH_ROWS):
            parts.append(pl.DataFrame(rows, schema=_SCHEMA, orient="row"))
    finally:
        cursor.close()
    return pl.concat(parts) if parts else pl.DataFrame(schema=_SCHEMA)


def changed_versions_of(current: pl.DataFrame, postings: pd.DataFrame) -> pd.DataFrame:
    """As `ledger.posting_queries.changed_versions`: key_hash, posting_id, version of every
    export key whose current version has other content, or none (new: <NA>)."""
    exported = _export_keys(postings)
    changed = exported.join(current, on="key_hash", how="left", suffix="_ledger").filter(
        pl.col("posting_id").is_null() | (pl.col("content_hash") != pl.col("content_hash_ledger"))
    )
    return pd.DataFrame(
        {
            "key_hash": changed["key_hash"].to_list(),
            "posting_id": pd.array(changed["posting_id"].to_list(), dtype="Int64"),
            "version": pd.array(changed["version"].to_list(), dtype="Int64"),
        }
    )


def missing_in_months(
    current: pl.DataFrame, postings: pd.DataFrame, totals: pd.DataFrame, examples: int
) -> tuple[int, list[int]]:
    """As `ledger.posting_queries.missing_from_export`: how many current postings of the months
    in `totals` (fiscal_year, month "YYYY-MM") have a key the export lacks, and the ids of the
    first `examples` of them, oldest first."""
    months = pl.DataFrame(
        {"fiscal_year": totals["fiscal_year"].tolist(), "month": totals["month"].tolist()},
        schema={"fiscal_year": pl.Int64, "month": pl.String},
    )
    missing = (
        current.with_columns(month=pl.col("booking_date").str.slice(0, 7))
        .join(months, on=["fiscal_year", "month"], how="semi")
        .join(_export_keys(postings), on="key_hash", how="anti")
        .sort("posting_id")
    )
    return missing.height, missing["posting_id"].head(examples).to_list()


def _export_keys(postings: pd.DataFrame) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "key_hash": postings["key_hash"].to_numpy(dtype=object),
            "content_hash": postings["content_hash"].to_numpy(dtype=object),
        },
        schema={"key_hash": pl.String, "content_hash": pl.String},
    )
