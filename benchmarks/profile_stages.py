"""Where an import's time goes, by pipeline stage, from a pyinstrument call tree.

Every sample is charged to the stage of the innermost project function on its stack, so the
stages add up to the whole run: pandas called from `parse_amount_cents` counts as normalising,
SQLAlchemy called from `_insert_postings` as inserting. Functions are listed per stage by
cumulative time (a recursive function counted once per stack).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

STAGES = ("reading", "normalising", "hashing", "comparing", "inserting", "start-up & CLI")
_OTHER = STAGES[-1]
_PROJECT = Path(__file__).resolve().parents[1].as_posix() + "/"
_SHORTEN = re.compile(r"^.*/(site-packages|lib/python3\.\d+)/")  # library paths from there on

# (file path fragment, function or None for the whole file, stage); the first match wins.
_RULES: tuple[tuple[str, str | None, str], ...] = (
    ("", "<module>", _OTHER),  # loading modules, even lazily in the middle of a stage
    ("imports/readers/", None, "reading"),
    ("imports/fingerprint.py", None, "reading"),
    ("imports/german_values.py", None, "normalising"),
    ("imports/header_detection.py", None, "normalising"),
    ("imports/postings.py", "_collapse_same_key", "comparing"),  # duplicates within the file
    ("imports/postings.py", None, "normalising"),
    ("imports/posting_identity.py", None, "hashing"),
    ("ledger/integrity.py", None, "hashing"),  # the hash chain sealing what is inserted
    ("ledger/posting_queries.py", "ledger_head", "inserting"),  # where the chain continues
    ("ledger/posting_queries.py", None, "comparing"),
    ("ledger/export_comparison.py", None, "comparing"),
    # posting_store by function; its helpers (_posting_records, …) take their caller's stage.
    ("ledger/posting_store.py", "_store", "comparing"),  # picking the changed rows
    ("ledger/posting_store.py", "find_imported_file", "comparing"),
    ("ledger/posting_store.py", "_imported_batch", "comparing"),
    ("ledger/posting_store.py", "imported_batch", "comparing"),
    ("ledger/posting_store.py", "_insert_batch", "inserting"),
    ("ledger/posting_store.py", "close_batch", "inserting"),
    ("ledger/posting_batch.py", None, "inserting"),
    # A PostgreSQL import appends while it parses: the stream's checks compare, the rest inserts.
    ("ledger/streamed_store.py", "_new_years", "comparing"),
    ("ledger/streamed_store.py", "_wrote", "comparing"),
    ("ledger/streamed_store.py", None, "inserting"),
    ("ledger/bulk_insert.py", None, "inserting"),
    ("ledger/posting_store.py", "_unchanged_in", "inserting"),
    ("ledger/posting_store.py", "record_unchanged", "inserting"),
    # store_export's own frame holds the write transaction, so its commit is inserting too.
    ("ledger/posting_store.py", "store_export", "inserting"),
    ("ledger/database.py", "write_transaction", "inserting"),
)


class CallFrame(Protocol):
    """The part of pyinstrument's Frame this module reads."""

    @property
    def function(self) -> str: ...
    @property
    def file_path(self) -> str | None: ...
    @property
    def line_no(self) -> int | None: ...
    @property
    def is_synthetic(self) -> bool: ...
    @property
    def total_self_time(self) -> float: ...
    @property
    def children(self) -> list[CallFrame]: ...

    time: float


@dataclass(frozen=True)
class FunctionTime:
    stage: str
    function: str  # a project function, or "caller → library function"
    where: str  # "imports/german_values.py:41", or a library path after site-packages
    seconds: float  # cumulative: the function and everything it called


@dataclass(frozen=True)
class StageReport:
    total: float
    stage_seconds: dict[str, float]  # exclusive: adds up to total
    project: tuple[FunctionTime, ...]  # project functions, largest cumulative time first
    library: tuple[FunctionTime, ...]  # library calls made directly by project code

    def render(self, top: int = 8) -> str:
        lines = [f"total {self.total:.2f} s (sampled)", ""]
        lines.append(f"{'stage':<16} {'seconds':>8} {'share':>7}")
        for stage in STAGES:
            seconds = self.stage_seconds.get(stage, 0.0)
            lines.append(f"{stage:<16} {seconds:8.2f} {_share(seconds, self.total):>7}")
        for stage in STAGES:
            own = [f for f in self.project if f.stage == stage][:top]
            called = [f for f in self.library if f.stage == stage][:top]
            if not own and not called:
                continue
            lines += ["", f"{stage} ({_share(self.stage_seconds.get(stage, 0.0), self.total)})"]
            lines += ["  project functions, cumulative:"] + [self._line(f) for f in own]
            lines += ["  library calls from project code, cumulative:"]
            lines += [self._line(f) for f in called]
        return "\n".join(lines)

    def _line(self, item: FunctionTime) -> str:
        share = _share(item.seconds, self.total)
        return f"  {item.seconds:7.2f} s {share:>6}  {item.function}  ({item.where})"


def stage_of(frame: CallFrame, outer: str) -> str:
    """The stage a frame belongs to: by its own file and name, else the caller's stage."""
    path = (frame.file_path or "").replace("\\", "/")
    for fragment, function, stage in _RULES:
        if fragment in path and function in (None, frame.function):
            return stage
    return outer


def stage_report(root: CallFrame) -> StageReport:
    """Charge each frame's self time to its stage; sum cumulative time per function.

    A function that appears several times on one stack (recursion) is counted once there.
    """
    stage_seconds: dict[str, float] = defaultdict(float)
    project: dict[tuple[str, str, str], float] = defaultdict(float)
    library: dict[tuple[str, str, str], float] = defaultdict(float)
    # (frame, caller's stage, calling project function or None, keys already on the stack).
    # Iterative: pandas and SQLAlchemy stacks are deep enough to make recursion fragile.
    pending: list[tuple[CallFrame, str, str | None, frozenset[tuple[str, str, str]]]] = [
        (root, _OTHER, None, frozenset())
    ]
    while pending:
        frame, outer, caller, on_stack = pending.pop()
        if frame.is_synthetic:
            continue
        if _is_benchmark(frame) and frame is not root:
            # The benchmark's own wrappers (memory_timeline) are transparent.
            stage_seconds[outer] += frame.total_self_time
            pending.extend((child, outer, caller, on_stack) for child in frame.children)
            continue
        stage = stage_of(frame, outer)
        stage_seconds[stage] += frame.total_self_time
        mine = _is_project(frame)
        if mine:
            key, totals = (stage, frame.function, _where(frame)), project
        elif caller is not None:
            key, totals = (stage, f"{caller} → {frame.function}", _where(frame)), library
        else:
            key, totals = None, None
        if key is not None and totals is not None and key not in on_stack:
            totals[key] += frame.time
            on_stack = on_stack | {key}
        below = frame.function if mine else None
        pending.extend((child, stage, below, on_stack) for child in frame.children)
    return StageReport(
        total=root.time,
        stage_seconds=dict(stage_seconds),
        project=_ranked(project),
        library=_ranked(library),
    )


def _ranked(totals: dict[tuple[str, str, str], float]) -> tuple[FunctionTime, ...]:
    items = (FunctionTime(*key, seconds) for key, seconds in totals.items())
    return tuple(sorted(items, key=lambda f: -f.seconds))


def _is_benchmark(frame: CallFrame) -> bool:
    return (frame.file_path or "").replace("\\", "/").startswith(_PROJECT + "benchmarks/")


def _is_project(frame: CallFrame) -> bool:
    """Code of the monitor itself, not of this benchmark, and not module loading."""
    path = (frame.file_path or "").replace("\\", "/")
    return (
        path.startswith(_PROJECT)
        and not path.startswith(_PROJECT + "benchmarks/")
        and "/.venv/" not in path
        and frame.function != "<module>"
    )


def _where(frame: CallFrame) -> str:
    path = (frame.file_path or "?").replace("\\", "/")
    path = _SHORTEN.sub("", path.removeprefix(_PROJECT))
    return f"{path}:{frame.line_no}" if frame.line_no else path


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"
