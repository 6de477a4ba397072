"""The atlas's users and sessions in the ledger, on SQLite and PostgreSQL alike
(`ledger.web_accounts`)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from ledger.database import create_ledger_engine
from ledger.web_accounts import (
    UnknownUser,
    access_log,
    close_session,
    credentials,
    live_session,
    log_access,
    open_session,
    remove_user,
)
from monitor.cli import cli
from monitor.web.passwords import password_matches

PASSWORD = "ein-langes-Kennwort-7"


@pytest.mark.postgres
def test_users_sessions_and_the_access_log_round_trip(monitor):
    added = CliRunner().invoke(
        cli,
        ["--db", monitor.database_url, "user", "add", "anna", "--role", "auditor", "--json"],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["role"] == "auditor"
    engine = create_ledger_engine(monitor.database_url)
    found = credentials(engine, "anna")
    assert found is not None and password_matches(found[1], PASSWORD)
    assert not password_matches(found[1], PASSWORD + "x")
    account = found[0]
    open_session(engine, account, "token-1", "csrf-1", timedelta(minutes=5))
    session = live_session(engine, "token-1", timedelta(minutes=5))
    assert session is not None and session.account.name == "anna" and session.csrf_token == "csrf-1"
    assert live_session(engine, "token-2", timedelta(minutes=5)) is None
    log_access(engine, account, "trace_xlsx", "/trace.xlsx?district=S1", {"items": 3})
    assert access_log(engine)[0] | {"at": None} == {
        "at": None,
        "user": "anna",
        "role": "auditor",
        "action": "trace_xlsx",
        "path": "/trace.xlsx?district=S1",
        "detail": {"items": 3},
    }
    close_session(engine, "token-1")
    assert live_session(engine, "token-1", timedelta(minutes=5)) is None
    open_session(engine, account, "token-3", "csrf-3", timedelta(minutes=5))
    remove_user(engine, "anna")
    assert live_session(engine, "token-3", timedelta(minutes=5)) is None
    assert access_log(engine)[0]["user"] == "anna"  # the log keeps the name
    with pytest.raises(UnknownUser):
        remove_user(engine, "anna")
    listed = json.loads(monitor.run("user", "list", "--json").stdout)
    assert listed == {"users": []}
