"""The least a re-import of a re-export costs in this ledger's design: nothing compared or written.

Run by import_postings.py as two reference steps, after the re-import of the re-export:

    python -m benchmarks.reexport_floor parse FILE
    python -m benchmarks.reexport_floor keys LEDGER_URL

- `parse`: `imports.postings.parse_postings` of FILE alone: the file read, every cell normalised,
  every row's key and content hash taken. A posting's identity in the ledger is those hashes over
  its canonical text (pinned, `tests/imports/test_pinned_hashes.py`), so an importer must do this
  much to know that a row of another export is not new.
- `keys`: every posting's key and content hash read from the ledger at LEDGER_URL, as one text each
  and in slices of 100,000 rows, as `ledger.current_keys` reads them: the least the comparison
  must read.

Together (no start-up, no comparison, no write) they are the floor a re-export's import is set
against. Only the work is timed, after the modules are loaded.

Prints one JSON line: {"seconds": wall, "cpu_seconds": user + system, "postings": n}.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from imports.postings import parse_postings
from imports.profile import builtin_profiles
from ledger.database import create_ledger_engine

_FETCH_ROWS = 100_000


def _parse(file: str) -> int:
    return len(parse_postings(Path(file), builtin_profiles()).postings)


def _keys(url: str) -> int:
    engine = create_ledger_engine(url)
    count = 0
    with engine.connect() as connection:
        result = connection.exec_driver_sql("SELECT key_hash || content_hash FROM posting")
        while rows := result.fetchmany(_FETCH_ROWS):
            count += len(rows)
    engine.dispose()
    return count


_MODES: dict[str, Callable[[str], int]] = {"parse": _parse, "keys": _keys}


def main() -> None:
    mode, argument = sys.argv[1], sys.argv[2]
    started, cpu = time.perf_counter(), os.times()
    postings = _MODES[mode](argument)
    seconds, after = time.perf_counter() - started, os.times()
    cpu_seconds = (after.user - cpu.user) + (after.system - cpu.system)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "postings": postings}))


if __name__ == "__main__":
    main()
