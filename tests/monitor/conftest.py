"""The demo city, built once for the monitor's tests that read it: a folder holding
`budget-monitor-demo`, as after `budget-monitor demo` run there (so that the help's examples,
which name that folder, run as written from it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.language import LANG_ENV


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-city")
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        built = CliRunner(env={LANG_ENV: ""}).invoke(cli, ["demo"])
    finally:
        os.chdir(cwd)
    assert built.exit_code == 0, built.output
    return folder


@pytest.fixture(scope="session")
def demo_url(demo_folder: Path) -> str:
    return f"sqlite:///{demo_folder / 'budget-monitor-demo' / 'ledger.db'}"
