"""Shared fixtures: a ledger on SQLite and on a real PostgreSQL server, and a CLI runner.

PostgreSQL's URL comes from BUDGET_MONITOR_TEST_POSTGRES (default: the server these machines run
on 127.0.0.1:5432). Without a reachable server the PostgreSQL variants skip with the reason on a
laptop, but fail under CI=true, where a skipped database test would hide a broken ledger.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from monitor.cli import cli
from monitor.language import LANG_ENV

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_url() -> str:
    return os.environ.get("BUDGET_MONITOR_TEST_POSTGRES", DEFAULT_POSTGRES)


def _postgres_unavailable() -> str | None:
    try:
        engine = create_engine(_postgres_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server for this run
        return f"no PostgreSQL at {_postgres_url()} ({type(exc).__name__})"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> str:
    problem = _postgres_unavailable()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem}; under CI=true the PostgreSQL tests must run")
        pytest.skip(f"{problem}; set BUDGET_MONITOR_TEST_POSTGRES to run these tests")
    return _postgres_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty ledger database: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Monitor:
    """Runs `budget-monitor` in-process against one database, from a working folder."""

    database_url: str
    workdir: Path

    def run(self, *args: str, expect: int | None = 0) -> Result:
        runner = CliRunner()
        cwd = Path.cwd()
        os.chdir(self.workdir)
        try:
            result = runner.invoke(cli, ["--db", self.database_url, *args], catch_exceptions=False)
        finally:
            os.chdir(cwd)
        if expect is not None:
            assert result.exit_code == expect, (result.exit_code, result.output, result.stderr)
        return result

    def json(self, *args: str, expect: int | None = 0) -> dict:
        result = self.run(*args, "--json", expect=expect)
        return json.loads(result.stdout)


@pytest.fixture
def monitor(database_url: str, tmp_path: Path) -> Monitor:
    workdir = tmp_path / "work"
    workdir.mkdir()
    return Monitor(database_url, workdir)


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo city, built once for the tests that read it: a folder holding
    `budget-monitor-demo`, as after `budget-monitor demo` run there (so that the help's
    examples, which name that folder, run as written from it)."""
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
