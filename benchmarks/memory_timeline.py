"""Wall time and resident memory of the import's main functions, without a profiler's overhead.

Selected functions of the importer are wrapped (in this process only, for the benchmark) to
record when they run; a thread samples this process's RSS every few milliseconds. That gives
each function's seconds, its memory at entry, highest during and at exit, and, from the nesting
of the spans, a split of the import's time by stage that a profiler cannot bias: pyinstrument
slows every Python call, so it inflates per-row Python loops relative to C code.
"""

from __future__ import annotations

import functools
import importlib
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE")

# "module:function" where the caller looks it up (so the wrapper is what runs; "a|b" for a
# function renamed between versions) -> the stage its own time belongs to; time in watched
# functions it calls is theirs.
WATCHED: dict[str, str] = {
    "monitor.import_commands:import_postings_file|_import_one": "start-up & CLI",
    "monitor.import_commands:fingerprint": "reading",
    "monitor.import_commands:find_imported_file": "comparing",
    "monitor.import_commands:parse_postings": "normalising",
    "imports.postings:read_tables": "reading",
    "imports.postings:fingerprint": "reading",
    "imports.postings:find_header": "normalising",
    "imports.postings:_parse_sheet": "normalising",  # with the rows read chunk by chunk
    "imports.postings:_parse_chunk": "normalising",
    "imports.postings:identity_hashes": "hashing",
    "imports.postings:_collapse_same_key": "comparing",
    "monitor.import_commands:store_export": "inserting",  # what is left of it: the commit
    "ledger.posting_store:_store": "comparing",  # what is left of it: the merge
    "ledger.posting_store:month_totals": "comparing",
    "ledger.posting_store:holds_postings": "comparing",
    "ledger.posting_queries:bulk_insert": "comparing",  # the export's keys, a temporary table
    "ledger.posting_store:current_versions|changed_versions": "comparing",
    "ledger.posting_store:compare_with_ledger": "comparing",
    "ledger.posting_store:_insert_batch|close_batch": "inserting",
    "ledger.posting_store:_posting_columns|_posting_records": "inserting",
    "ledger.posting_store:bulk_insert_postings|bulk_insert": "inserting",
    "ledger.posting_store:posting_chain": "hashing",
    # Since the postings are appended batch by batch (a PostgreSQL import writes while it parses,
    # ledger.streamed_store): the appending inside the parse is counted as inserting.
    "ledger.posting_batch:_posting_columns": "inserting",
    "ledger.posting_batch:posting_chain": "hashing",
    "ledger.streamed_store:compare_with_ledger": "comparing",
    "ledger.streamed_store:holds_postings": "comparing",
}


def _rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE / 2**20


@dataclass(frozen=True)
class Span:
    name: str
    stage: str
    start: float
    end: float
    entry_mib: float
    exit_mib: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


class MemoryTimeline:
    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.samples: list[tuple[float, float]] = []
        self.spans: list[Span] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), _rss_mib()))
            self._stop.wait(self.interval)

    @contextmanager
    def running(self) -> Iterator[MemoryTimeline]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()

    def watch(self, targets: dict[str, str] | None = None) -> list[str]:
        """Wrap each target that exists; returns the ones not found (the code moved on)."""
        missing = []
        for target, stage in (targets or WATCHED).items():
            module_name, names = target.split(":")
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:  # a module of another version
                missing.append(target)
                continue
            found = [name for name in names.split("|") if callable(getattr(module, name, None))]
            if not found:
                missing.append(target)
                continue
            name = found[0]
            setattr(module, name, self._wrapped(name, stage, getattr(module, name)))
        return missing

    def _wrapped(self, name: str, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start, entry = time.perf_counter(), _rss_mib()
            try:
                return function(*args, **kwargs)
            finally:
                end = time.perf_counter()
                self.spans.append(Span(name, stage, start, end, entry, _rss_mib()))

        return wrapper

    def stage_seconds(self) -> dict[str, float]:
        """Each span's own time (minus the watched spans nested in it), summed by stage."""
        spans = sorted(self.spans, key=lambda s: (s.start, -s.end))
        own = {id(span): span.seconds for span in spans}
        open_spans: list[Span] = []
        for span in spans:
            while open_spans and open_spans[-1].end <= span.start:
                open_spans.pop()
            if open_spans:
                own[id(open_spans[-1])] -= span.seconds
            open_spans.append(span)
        totals: dict[str, float] = defaultdict(float)
        for span in spans:
            totals[span.stage] += own[id(span)]
        return dict(totals)

    def render(self) -> str:
        peak = max((rss for _, rss in self.samples), default=0.0)
        lines = [
            f"peak RSS {peak:.0f} MiB (sampled every {self.interval * 1000:.0f} ms)",
            f"{'function':<20} {'stage':<15} {'seconds':>8} {'entry MiB':>10} {'max MiB':>9} "
            f"{'exit MiB':>9}",
        ]
        for span in sorted(self.spans, key=lambda s: (s.start, -s.end)):
            during = [rss for t, rss in self.samples if span.start <= t <= span.end]
            highest = max([span.entry_mib, span.exit_mib, *during])
            lines.append(
                f"{span.name:<20} {span.stage:<15} {span.seconds:8.2f} {span.entry_mib:10.0f} "
                f"{highest:9.0f} {span.exit_mib:9.0f}"
            )
        stages = self.stage_seconds()
        total = sum(stages.values())
        lines += ["", f"{'stage, unprofiled':<20} {'seconds':>8} {'share':>7}  (of the above)"]
        for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]):
            share = f"{100 * seconds / total:.1f} %" if total else "-"
            lines.append(f"{stage:<20} {seconds:8.2f} {share:>7}")
        return "\n".join(lines)
