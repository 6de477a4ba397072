"""Regression file: the bundled sample export's whole import summary, compared as a document.

Any change in how the sample is read shows up as a diff against tests/data/expected/. To accept
an intended change, rerun with BUDGET_MONITOR_UPDATE_EXPECTED=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import Monitor

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "journal-2024.csv"
EXPECTED = REPO / "tests" / "data" / "expected" / "journal-2024.json"
VOLATILE = ("batch", "file")


def test_sample_journal_import_summary_is_unchanged(monitor: Monitor) -> None:
    result = monitor.json("import", "postings", str(SAMPLE))
    stable = {k: v for k, v in result.items() if k not in VOLATILE}
    if os.environ.get("BUDGET_MONITOR_UPDATE_EXPECTED") == "1":
        EXPECTED.write_text(json.dumps(stable, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert stable == json.loads(EXPECTED.read_text("utf-8"))
