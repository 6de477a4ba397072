"""Each guide's commands work when pasted in order (bash and python blocks, in a fresh folder).

Blocks fenced as ```text are shown, not run (they need the user's own files).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```(bash|python)\n(.*?)^```", re.S | re.M)
GUIDES = sorted((REPO / "docs").glob("guide-*.md"))


def _blocks(guide: Path) -> list[tuple[str, str]]:
    return FENCE.findall(guide.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("guide", GUIDES, ids=[g.stem for g in GUIDES])
def test_guide_commands_run_in_order(guide: Path, tmp_path: Path) -> None:
    blocks = _blocks(guide)
    assert blocks, f"{guide.name} has no runnable block"
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    shutil.copytree(
        REPO / "tests" / "data" / "did-reference", tmp_path / "tests" / "data" / "did-reference"
    )
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
    }
    environment.pop("BUDGET_MONITOR_DB", None)
    script = "set -euo pipefail\n" + "\n".join(
        code if kind == "bash" else f"{sys.executable} - <<'PYTHON'\n{code}PYTHON\n"
        for kind, code in blocks
    )
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{guide.name}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
