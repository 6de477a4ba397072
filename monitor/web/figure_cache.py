"""The atlas's figures, computed once per ledger state.

A page asks for the same documents again and again (the overview needs `spend` and `need` of a
year; the district page `spend`, `need` and a `trace`), and they change only when the ledger
does. So each document is kept, keyed by the function, its arguments, the language and the
ledger's bound (newest posting, master import and batch, `ledger.posting_queries`): any import
makes a new bound and every document is computed afresh. The ledger check (`checked_ledger`,
what every figure command runs first) still runs on every request, so a ledger altered outside
the program is refused as the CLI refuses it, cached documents or not. The documents are the
functions' own (nothing is recomputed differently); they are shared, so callers must not
change them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledger.posting_queries import ledger_bound
from monitor.context import AppContext
from monitor.ledger_check import checked_ledger

# Documents kept: a trace of tens of thousands of items is a few MB, so not too many.
CAPACITY = 64


class FigureCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._kept: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._capacity = capacity

    def at(self, app: AppContext) -> Figures:
        """The figures of the ledger as it is now, after the ledger check every figure command
        runs first (once per request: a page asking for several documents checks once)."""
        checked_ledger(app, False)
        with app.engine.connect() as connection:
            bound = ledger_bound(connection)
        return Figures(self, app, (bound.posting_id, bound.master_import_id, bound.batch_id))

    def kept(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        document = compute()
        with self._lock:
            self._kept[key] = document
            while len(self._kept) > self._capacity:
                self._kept.popitem(last=False)
        return document


@dataclass(frozen=True)
class Figures:
    """The documents of one checked ledger state, in one request's language."""

    cache: FigureCache
    app: AppContext
    bound: tuple[int, int, int]

    def __call__(self, function: Callable[..., Any], *args: Any) -> Any:
        """`function(app, *args)`, or the document it gave for the same ledger state."""
        return self.made(
            f"{function.__module__}.{function.__qualname__}",
            args,
            lambda: function(self.app, *args),
        )

    def made(self, label: str, args: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """`compute()`, kept under `label` and `args` for this ledger state and language (for
        what is made from a document, such as its workbook)."""
        return self.cache.kept((label, args, self.app.lang, self.bound), compute)
