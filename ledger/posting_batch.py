"""Append one import batch and its postings to the ledger, sealed into the hash chain.

The batch row goes first (the postings' foreign key needs it); its counts, chain end and seal are
written when the batch is closed, at the end of the same transaction, once they are known. The
postings go in slices (the chain's text forms of a million rows at once would take more memory
than the rest of the import); a slice's columns and chain links are prepared while a writer thread
inserts the slice before (ledger.slice_writer). Rows may be appended in several calls, so that an
export can be written while it is still being parsed (ledger.streamed_store). A batch that brings
at least as many postings as the ledger holds builds the posting indexes after its rows on
SQLite (ledger.deferred_indexes).
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import TracebackType

import pandas as pd
from sqlalchemy import Connection, insert, text, update

from imports.fingerprint import Fingerprint
from imports.record_text import iso_days
from ledger.deferred_indexes import DeferredIndexes
from ledger.integrity import BATCH_COUNTS, batch_seal, posting_chain
from ledger.models import ImportBatch, Posting
from ledger.posting_queries import ledger_head
from ledger.slice_writer import SliceWriter

# Posting rows chained and inserted at a time.
_SLICE = 100_000


class PostingBatch:
    """A context that opens a batch, takes its new posting rows, and seals it on `close`.

    Ids are assigned here rather than by the database because they are part of what the chain
    seals; imports are serialised (`ledger.database.write_transaction`), so max(id) + 1 cannot
    collide (and, since postings are never deleted, the last id is their number). `adding`: how
    many postings the caller will append, if it knows. Leaving the context stops the writer
    thread (with an error, after the slice being written) and leaves commit or rollback to the
    caller's transaction.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        print_: Fingerprint,
        profile: str,
        os_user: str,
        started: datetime,
        same_as: int | None = None,
        adding: int = 0,
    ) -> None:
        self._connection = connection
        self._head = ledger_head(connection)
        self.id = self._head.batch_id + 1
        self._batch: dict[str, object] = {
            "id": self.id,
            "file_name": print_.name,
            "file_size": print_.size,
            "sha256": print_.sha256,
            "profile": profile,
            "os_user": os_user,
            "started_at": started,
            "same_as_batch_id": same_as,
        }
        self._previous, self.postings = self._head.chain, 0
        self._writer = SliceWriter(connection, "posting")
        self._indexes = DeferredIndexes(connection, Posting.__table__)
        self._adding = adding

    def __enter__(self) -> PostingBatch:
        self._connection.execute(
            insert(ImportBatch),
            [{**self._batch, "finished_at": datetime.now(UTC), **_UNTIL_CLOSED}],
        )
        if DeferredIndexes.pay(
            self._connection, adding=self._adding, holding=self._head.posting_id
        ):
            self._indexes.drop()
        self._writer.__enter__()
        return self

    def append(self, rows: pd.DataFrame) -> None:
        """Chain and queue `rows` (`ParsedExport.postings` columns with version and
        supersedes_id), in their order, after those appended before."""
        for i in range(0, len(rows), _SLICE):
            part = rows.iloc[i : i + _SLICE]
            columns = _posting_columns(self.id, self._head.posting_id + self.postings, part)
            chain = posting_chain(columns, self._previous)
            self._writer.put({**columns, "chain_hash": chain})
            self._previous, self.postings = chain[-1], self.postings + len(part)

    def close(self, status: str, counts: dict[str, int]) -> None:
        """Wait for the writer, build the indexes it went without, then write the batch's
        status, counts, chain end and seal."""
        self._writer.__exit__(None, None, None)
        self._indexes.build()
        batch = {
            **self._batch,
            "finished_at": datetime.now(UTC),
            "status": status,
            **counts,
            "postings": self.postings,
        }
        batch["seal"] = batch_seal(batch, self._head.seal, self._previous, self.postings)
        written = {k: v for k, v in batch.items() if k != "id"}
        self._connection.execute(
            update(ImportBatch).where(ImportBatch.id == self.id).values(written)
        )
        if self._connection.dialect.name == "postgresql":
            self._set_sequences()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # After `close` the writer has stopped and the indexes are built; a batch left unclosed
        # is rolled back by its caller, indexes included.
        self._writer.__exit__(kind, error, trace)

    def _set_sequences(self) -> None:
        if self.postings:
            self._connection.execute(
                text("SELECT setval(pg_get_serial_sequence('posting', 'id'), :last)"),
                {"last": self._head.posting_id + self.postings},
            )
        self._connection.execute(
            text("SELECT setval(pg_get_serial_sequence('import_batch', 'id'), :last)"),
            {"last": self.id},
        )


# What an open batch says until it is closed (inside the transaction: nobody else sees it).
_UNTIL_CLOSED: dict[str, object] = dict.fromkeys((*BATCH_COUNTS, "postings"), 0) | {
    "status": "imported",
    "seal": "",
}


def _posting_columns(batch_id: int, last_id: int, rows: pd.DataFrame) -> dict[str, list[object]]:
    """Plain Python values per column (what the chain hashes is exactly what is stored).

    Dates are ISO text, as SQLAlchemy's Date stores them in SQLite and as COPY reads them: that
    spares the driver's per-row date adapter, and the chain's text form of a date is ISO."""

    def whole(column: pd.Series) -> list[int | None]:
        numbers = column.astype("Int64")
        if not numbers.hasnans:
            return numbers.astype("int64").tolist()
        return numbers.astype(object).where(numbers.notna(), None).tolist()

    def text_or_none(column: pd.Series) -> list[str | None]:
        return column.astype(object).where(column.notna(), None).tolist()

    return {
        "id": list(range(last_id + 1, last_id + 1 + len(rows))),
        "batch_id": [batch_id] * len(rows),
        "key_hash": rows["key_hash"].tolist(),
        "version": whole(rows["version"]),
        "supersedes_id": whole(rows["supersedes_id"]),
        "fiscal_year": whole(rows["fiscal_year"]),
        "document_no": text_or_none(rows["document_no"]),
        "line_no": whole(rows["line_no"]),
        "booking_date": iso_days(rows["booking_date"]),
        "account": text_or_none(rows["account"]),
        "product": text_or_none(rows["product"]),
        "cost_center": text_or_none(rows["cost_center"]),
        "order_no": text_or_none(rows["order"]),
        "text": text_or_none(rows["text"]),
        "amount_cents": whole(rows["amount_cents"]),
        "debit_credit": text_or_none(rows["debit_credit"]),
        "source_sheet": rows["sheet"].tolist(),
        "source_row": whole(rows["row"]),
        "content_hash": rows["content_hash"].tolist(),
    }
