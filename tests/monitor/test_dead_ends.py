"""No dead ends (issue 16 item 4, SPEC §2): a database URL that cannot be used, or a ledger that
does not exist, is exit 1 with a message from the catalogue naming what is wrong; no traceback,
nothing created."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from monitor.cli import cli
from monitor.language import LANG_ENV

READING = [
    ["spend"],
    ["trace", "--district", "SR03"],
    ["need"],
    ["targeting"],
    ["evaluate", "--indicator", "sgb2_quote", "--program", "Jugendzentrum"],
    ["report"],
    ["batches"],
    ["verify"],
]


def _run(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    monkeypatch.delenv("BUDGET_MONITOR_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(cli, args)


@pytest.mark.parametrize("command", READING, ids=lambda c: c[0])
def test_reading_command_on_a_mistyped_sqlite_path_creates_no_ledger(
    command, tmp_path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'dat' / 'ledgr.db'}"
    result = _run(["--db", url, *command], tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert "Fehler: Unter " + url + " gibt es noch kein Hauptbuch" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "dat").exists()


def test_the_missing_ledger_is_named_in_english_on_request(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ledgr.db'}"
    result = _run(["--lang", "en", "--db", url, "batches"], tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert f"error: There is no ledger at {url} yet" in result.stderr
    assert not (tmp_path / "ledgr.db").exists()


def test_a_reading_command_on_an_empty_sqlite_file_leaves_it_empty(tmp_path, monkeypatch):
    (tmp_path / "empty.db").touch()
    result = _run(["--db", f"sqlite:///{tmp_path / 'empty.db'}", "verify"], tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert "kein Hauptbuch" in result.stderr
    assert (tmp_path / "empty.db").stat().st_size == 0


def test_init_still_creates_a_new_ledger(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'new' / 'ledger.db'}"
    assert _run(["--db", url, "init"], tmp_path, monkeypatch).exit_code == 0
    assert _run(["--db", url, "batches"], tmp_path, monkeypatch).exit_code == 0


@pytest.mark.parametrize(
    ("url", "german", "english"),
    [
        ("postgres://127.0.0.1/test", "bitte „postgresql+psycopg://…“", "write “postgresql+psy"),
        ("mysqlx://127.0.0.1/test", "Datenbank-Art „mysqlx“", "database type “mysqlx”"),
        ("postgresql+nodriver://127.0.0.1/t", "treiber „nodriver“", "driver “nodriver”"),
        ("not a url", "keine gültige URL", "not a valid URL"),
    ],
    ids=["postgres-scheme", "unknown-scheme", "unknown-driver", "not-a-url"],
)
def test_a_url_that_cannot_be_used_names_its_wrong_part(
    url, german, english, tmp_path, monkeypatch
):
    result = _run(["--db", url, "batches"], tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert german in result.stderr and "Traceback" not in result.output
    result = _run(["--lang", "en", "--db", url, "init"], tmp_path, monkeypatch)
    assert english in result.stderr, result.output


def _server_part(server: str, **changes: object) -> str:
    return make_url(server).set(**changes).render_as_string(hide_password=False)


@pytest.mark.parametrize(
    ("changes", "german", "english"),
    [
        ({"port": 1}, "Am Port 1 ", "on port 1 "),
        ({"username": "nobody"}, "Anmeldung als „nobody“", "login as “nobody”"),
        ({"database": "nonexistent"}, "Datenbank „nonexistent“", "database “nonexistent”"),
        ({"host": "nohost.invalid"}, "Datenbankserver „nohost.invalid“", "“nohost.invalid”"),
    ],
    ids=["port", "role", "database", "host"],
)
def test_a_postgresql_url_that_does_not_connect_names_its_wrong_part(
    postgres_server, changes, german, english, tmp_path, monkeypatch
):
    url = _server_part(postgres_server, **changes)
    result = _run(["--db", url, "spend"], tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert german in result.stderr and "Traceback" not in result.output
    # A writing command says the same: nothing can be created at a URL that cannot be used.
    result = _run(["--lang", "en", "--db", url, "init"], tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert english in result.stderr


def test_a_reading_command_on_a_database_without_a_ledger_creates_none(
    database_url, tmp_path, monkeypatch
):
    result = _run(["--db", database_url, "batches"], tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert "gibt es noch kein Hauptbuch" in result.stderr
    assert _run(["--db", database_url, "init"], tmp_path, monkeypatch).exit_code == 0
    assert _run(["--db", database_url, "batches"], tmp_path, monkeypatch).exit_code == 0
