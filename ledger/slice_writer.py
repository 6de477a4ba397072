"""Insert prepared slices of rows in a second thread while the caller prepares the next one.

Why a thread pays: PostgreSQL digests a COPY in its own server process and Python's sqlite3
releases the GIL inside each `sqlite3_step`, so the database's share of a slice (parsing,
constraints, index maintenance) runs while the caller builds the next slice's column lists and
chain links. Measured in docs/performance-import.md ("Third round").

The writer uses the caller's connection, inside the caller's transaction: nothing is committed
here, so one file stays one transaction, and a failure anywhere rolls back every slice written.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType

from sqlalchemy import Connection

from ledger.bulk_insert import bulk_insert

Columns = Mapping[str, Sequence[object]]
# How often a blocked hand-over looks whether the writer has died (seconds).
_POLL_SECONDS = 0.1


class SliceWriter:
    """A context in which `put(columns)` queues a slice for `bulk_insert` into `table`.

    Slices are written in the order given. The queue holds one slice, so besides the one being
    written and the one being prepared at most one more is in memory. The caller must not use
    the connection inside the context. An error of the writer is raised in the caller at the
    next `put` or on leaving the context. Leaving waits until every queued slice is written, or,
    when the caller leaves with an error, until the slice being written is done.
    """

    def __init__(self, connection: Connection, table: str) -> None:
        self._connection = connection
        self._table = table
        self._slices: queue.Queue[Columns | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, name=f"{table}-writer", daemon=True)

    def __enter__(self) -> SliceWriter:
        self._thread.start()
        return self

    def put(self, columns: Columns) -> None:
        self._hand_over(columns)
        self._raise_error()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is not None:
            # The transaction will be rolled back: a queued slice need not be written first.
            with contextlib.suppress(queue.Empty):
                self._slices.get_nowait()
        self._hand_over(None)  # the end: the writer finishes what it has and stops
        self._thread.join()
        if kind is None:
            self._raise_error()

    def _hand_over(self, item: Columns | None) -> None:
        """Queue `item`, waiting for room unless the writer has stopped (after an error)."""
        while self._thread.is_alive():
            try:
                self._slices.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue

    def _write(self) -> None:
        try:
            while (columns := self._slices.get()) is not None:
                bulk_insert(self._connection, self._table, columns)
        except BaseException as error:  # raised again in the caller's thread
            self._error = error

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error
