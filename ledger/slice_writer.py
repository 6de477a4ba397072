"""A writer thread that inserts prepared posting slices while the caller prepares the next."""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType

from sqlalchemy import Connection

from ledger.bulk_insert import bulk_insert

_DONE = None


class SliceWriter:
    """Inserts column-wise slices into `posting` on `connection`, in order, in one thread.

    The queue holds one slice, so at most two are in memory besides the one being written. An
    error in the thread is raised again in the caller (at the next `put` or on leaving)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._slices: queue.Queue[Mapping[str, Sequence[object]] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, name="posting-writer", daemon=True)

    def __enter__(self) -> SliceWriter:
        self._thread.start()
        return self

    def put(self, columns: Mapping[str, Sequence[object]]) -> None:
        self._raise_error()
        while self._thread.is_alive():
            try:
                self._slices.put(columns, timeout=0.1)
                return
            except queue.Full:
                continue
        self._raise_error()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop()
        if kind is None:
            self._raise_error()

    def _stop(self) -> None:
        while self._thread.is_alive():
            try:
                self._slices.put(_DONE, timeout=0.1)
                break
            except queue.Full:
                continue
        self._thread.join()

    def _write(self) -> None:
        try:
            while (columns := self._slices.get()) is not _DONE:
                bulk_insert(self._connection, "posting", columns)
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            self._error = error

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error
