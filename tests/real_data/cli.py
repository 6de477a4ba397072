"""Running `budget-monitor` in-process on a SQLite ledger, with a settings file, for the tests on
real data (one database is enough here: the PostgreSQL variants are covered by the ledger tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from monitor.cli import cli

REPO = Path(__file__).parents[2]
REAL = REPO / "tests" / "data" / "real"
EXAMPLES = REPO / "examples"


class Ledger:
    """One SQLite ledger and one settings file; `run` returns the CLI's result."""

    def __init__(self, folder: Path, settings: Path) -> None:
        self.url = f"sqlite:///{folder / 'ledger.db'}"
        self.settings = settings

    def run(self, *args: str | Path, expect: int = 0) -> Result:
        argv = ["--settings", str(self.settings), "--db", self.url, *map(str, args)]
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == expect, (result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    def json(self, *args: str | Path, expect: int = 0) -> dict[str, Any]:
        return json.loads(self.run("--json", *args, expect=expect).stdout)


def settings_variant(example: Path, folder: Path, **replace: str) -> Path:
    """A copy of an example settings file with whole lines `key = …` replaced."""
    lines = example.read_text(encoding="utf-8").splitlines()
    for key, value in replace.items():
        lines = [f"{key} = {value}" if line.startswith(f"{key} =") else line for line in lines]
    path = folder / example.name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
