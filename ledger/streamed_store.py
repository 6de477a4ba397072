"""Write an export into a PostgreSQL ledger while the rest of it is still being parsed.

Why: PostgreSQL digests a COPY in its own server process (about 10 s of a million postings), while
the importing process only waits; the parse of the next chunk (normalising and hashing, about 3.4 s
of a million rows) fits into that wait. SQLite writes inside the importing process and competes
with the parse for the GIL (docs/performance-import.md, "Third round"), so it is not streamed.

Only where the result is sure to be what `ledger.posting_store.store_export` writes after the whole
parse: every row new, because the ledger holds no posting of the rows' fiscal years (none at all
when the profile's key lacks the fiscal year). `finish` checks the written rows against the
complete parse (the same keys, contents and row numbers in the same order); anything else, such as
a year the ledger holds, a key the file repeats with other content, a file read again with its cell
types, or the same bytes imported meanwhile by another process, rolls the stream back, `finish`
returns None, and the caller stores the parse as always. One transaction throughout: nothing is
committed before `finish`, and a process killed on the way leaves the ledger as it was.

The checks read the ledger through a second connection: the write connection belongs to the writer
thread while the stream is open, and the second one sees the ledger as it was before this import,
which is what the export must be compared with (the import lock keeps other imports out).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from imports.fingerprint import Fingerprint
from imports.postings import ParsedExport
from imports.profile import Profile
from ledger.database import write_transaction
from ledger.export_comparison import compare_with_ledger, month_totals
from ledger.posting_batch import PostingBatch
from ledger.posting_queries import holds_postings
from ledger.posting_store import StoreOutcome, batch_counts, close_batch, imported_batch

# Stands in `StreamedExport._years` for all years at once.
_EVERY_YEAR = 0
# What `finish` compares, in order, between the rows written and the complete parse.
_IDENTITY = ("key_hash", "content_hash", "row")


class _Abandoned(Exception):
    """Rolls the stream's transaction back."""


class StreamedExport:
    """A `imports.postings.PostingSink` that writes each chunk's new postings as it comes."""

    def __init__(self, engine: Engine, print_: Fingerprint, os_user: str, started: datetime):
        self._engine = engine
        self._print = print_
        self._os_user, self._started = os_user, started
        self._stack = ExitStack()
        self._open = self._abandoned = False
        self._connection: Connection | None = None
        self._reader: Connection | None = None
        self._batch: PostingBatch | None = None
        self._years: set[int] = set()  # fiscal years the ledger was found to hold no postings of
        self._keys: set[str] = set()
        self._written: list[pd.DataFrame] = []

    def take(self, profile: Profile, good: pd.DataFrame) -> None:
        if self._abandoned or good.empty:
            return
        if not self._open:
            self._begin()
        if self._abandoned or not self._new_years(profile, good):
            self.abandon()
            return
        if self._batch is None:
            assert self._connection is not None
            self._batch = self._stack.enter_context(
                PostingBatch(
                    self._connection,
                    print_=self._print,
                    profile=profile.name,
                    os_user=self._os_user,
                    started=self._started,
                )
            )
        rows = good[~good["key_hash"].duplicated()]
        if not self._keys.isdisjoint(rows["key_hash"]):
            rows = rows[~rows["key_hash"].isin(list(self._keys))]  # collapsed as the parse does
        self._keys.update(rows["key_hash"])
        self._written.append(rows[list(_IDENTITY)])
        self._batch.append(
            rows.assign(version=1, supersedes_id=pd.Series(pd.NA, index=rows.index, dtype="Int64"))
        )

    def abandon(self) -> None:
        """Write nothing more and roll back what was written (which frees the import lock)."""
        self._abandoned = True
        self.close(commit=False)

    def finish(self, parsed: ParsedExport, *, accept_partial: bool = False) -> StoreOutcome | None:
        """Seal and commit the batch if what was written is `parsed`'s postings, all new;
        otherwise roll back and return None (the caller stores `parsed` as always). With
        rejects, only under `accept_partial` (as `ledger.posting_store.store_export`)."""
        if parsed.errors and not accept_partial:
            raise ValueError("a file with rejected rows is stored only with accept_partial")
        if not self._open or self._batch is None or not self._wrote(parsed):
            self.close(commit=False)
            return None
        assert self._connection is not None and self._reader is not None
        postings = parsed.postings
        totals = month_totals(postings)
        comparison = compare_with_ledger(self._reader, postings, totals, keys_loaded=False)
        counts = batch_counts(
            parsed, imported=len(postings), duplicates=parsed.duplicates_in_file, corrections=0
        )
        outcome = close_batch(self._connection, self._batch, parsed, counts, totals, comparison)
        self.close(commit=True)
        return outcome

    def close(self, *, commit: bool) -> None:
        """Commit or roll back the stream's transaction, once."""
        if self._open:
            self._open = False
            if commit:
                self._stack.close()
            else:
                self._stack.__exit__(_Abandoned, _Abandoned(), None)

    def _begin(self) -> None:
        """Take the import lock and look whether these bytes were imported meanwhile."""
        self._open = True
        self._connection = self._stack.enter_context(write_transaction(self._engine))
        self._reader = self._stack.enter_context(self._engine.connect())
        self._abandoned = imported_batch(self._reader, self._print.sha256) is not None

    def _new_years(self, profile: Profile, good: pd.DataFrame) -> bool:
        """Whether the ledger holds no posting that one of these rows could correct."""
        assert self._reader is not None
        if "fiscal_year" in profile.key:
            years = {int(y) for y in good["fiscal_year"].unique()} - self._years
            restrict: list[int] | None = sorted(years)
        else:  # a key without the year can match a posting of any year
            years, restrict = {_EVERY_YEAR} - self._years, None
        if years and holds_postings(self._reader, restrict):
            return False
        self._years |= years
        return True

    def _wrote(self, parsed: ParsedExport) -> bool:
        """Whether the rows written are exactly `parsed.postings`, in order."""
        if parsed.fingerprint.sha256 != self._print.sha256:
            return False
        postings = parsed.postings
        written = pd.concat(self._written) if self._written else postings.iloc[:0]
        return len(written) == len(postings) and all(
            np.array_equal(written[c].to_numpy(), postings[c].to_numpy()) for c in _IDENTITY
        )


@contextmanager
def streamed_export(
    engine: Engine, print_: Fingerprint, *, os_user: str, started: datetime, dry_run: bool
) -> Iterator[StreamedExport | None]:
    """A stream for the parse of the file `print_` if the ledger is PostgreSQL and this is no
    dry run (else None); rolled back on leaving unless finished."""
    if dry_run or engine.dialect.name != "postgresql":
        yield None
        return
    stream = StreamedExport(engine, print_, os_user, started)
    try:
        yield stream
    finally:
        stream.close(commit=False)
