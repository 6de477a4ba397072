"""The trip wire (issue 15 items 4 and 6): writes outside the program to the derived allocation
tables and to master data are noticed by the cheap check of the figure commands, and `verify`
names them, on SQLite and PostgreSQL.

- A cache edited by SQL moves no figure: its trigger deletes the key, so spend, trace and report
  compute from the verified ledger (and the next spend or trace rebuilds the table); `verify`
  names the table until then.
- A cache edited past the trip wire (the writer mark committed by hand) is found by `verify`,
  which compares the table with its recomputation and deletes the key.
- The figure commands hash only master imports after the last check; a foreign write to master
  data makes them hash all of it, which names the row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.database import create_ledger_engine
from ledger.schema import downgrade, upgrade
from ledger.trip_wire import integrity_problems
from ledger.verification import verify_ledger
from tests.conftest import Monitor
from tests.ledger.test_figures_verified import MOVE_SHARES
from tests.ledger.test_spend_trace import import_second_catalog
from tests.ledger.test_verify_master_data import execute, past_the_trip_wire

# Spending of S01 counted for S02, in the detail rows and in the monthly sums alike.
MOVE_CACHED_CENTS = (
    "UPDATE posting_allocation SET district = 'S02' WHERE district = 'S01'",
    "UPDATE allocation_month SET district = 'S02' WHERE district = 'S01'",
)
SPEND = ("spend", "--year", "2024")
TRACE = ("trace", "--district", "S01", "--year", "2024")


def _messages(document: dict) -> str:
    return "\n".join(p["message"] for p in document["problems"])


def test_a_cache_edited_by_sql_moves_no_figure_and_verify_names_it(monitor: Monitor, city) -> None:
    honest, trace = monitor.json(*SPEND), monitor.json(*TRACE)
    assert monitor.json("verify")["derived"]["compared"] is True
    execute(monitor.database_url, *MOVE_CACHED_CENTS)
    named = monitor.json("verify", expect=1)
    assert [p["table"] for p in named["problems"]] == ["allocation_month", "posting_allocation"]
    assert "the derived table posting_allocation was written" in _messages(named)
    assert monitor.json(*SPEND) == honest  # rebuilt from the verified ledger first
    assert monitor.json(*TRACE) == trace
    assert monitor.json("verify")["ok"]  # the rebuild settled the writes


def test_a_report_after_a_cache_edit_shows_the_verified_figures(monitor: Monitor, city) -> None:
    honest = monitor.json(*SPEND)
    execute(monitor.database_url, *MOVE_CACHED_CENTS)
    document = monitor.json("report", "--period", "2024")
    assert "unverified" not in document
    sidecar = (monitor.workdir / document["sidecar"]).read_text(encoding="utf-8")
    for row in honest["rows"]:
        assert f'"key": "{row["key"]}"' in sidecar
    amounts = {r["key"]: r["amount"] for r in honest["rows"]}
    assert f'"amount": "{amounts["S01"]}"' in sidecar and amounts["S01"] != "0.00"


def test_the_cache_key_edited_by_sql_is_rebuilt(monitor: Monitor, city) -> None:
    honest = monitor.json(*SPEND)
    execute(monitor.database_url, "UPDATE allocation_cache SET last_posting_id = 0")
    assert "allocation_cache was written" in _messages(monitor.json("verify", expect=1))
    assert monitor.json(*SPEND) == honest


def test_a_cache_edited_past_the_trip_wire_is_found_by_verify_and_no_longer_used(
    monitor: Monitor, city
) -> None:
    honest, trace = monitor.json(*SPEND), monitor.json(*TRACE)
    earlier = monitor.json("trace", "--district", "S01", "--year", "2023")
    execute(monitor.database_url, *past_the_trip_wire(*MOVE_CACHED_CENTS))
    assert monitor.json(*SPEND) != honest  # the cheap path trusts the trip wire
    found = monitor.json("verify", expect=1)
    [problem] = found["problems"]
    assert "differs from its recomputation from the verified ledger" in problem["message"]
    moved = {item["posting"]["id"] for item in trace["items"] + earlier["items"]}
    assert problem["postings"] == sorted(moved)
    assert problem["months"] and "its key is deleted" in problem["message"]
    assert monitor.json(*SPEND) == honest and monitor.json(*TRACE) == trace
    assert monitor.json("verify")["ok"]


def test_a_committed_writer_mark_is_a_problem_of_every_check(monitor: Monitor, city) -> None:
    execute(monitor.database_url, "INSERT INTO ledger_writer (id) VALUES (1)")
    refused = monitor.run(*SPEND, expect=1)
    assert "Die Schreibmarke (Tabelle ledger_writer) wurde festgeschrieben" in refused.stderr
    assert "writer mark" in _messages(monitor.json("verify", expect=1))


def test_a_trigger_dropped_or_disabled_is_a_problem_of_every_check(monitor: Monitor, city) -> None:
    postgresql = monitor.database_url.startswith("postgresql")
    trigger = "trip_allocation" if postgresql else "trip_allocation_update"
    execute(
        monitor.database_url,
        f"ALTER TABLE allocation DISABLE TRIGGER {trigger}"
        if postgresql
        else f"DROP TRIGGER {trigger}",
    )
    refused = monitor.run(*SPEND, expect=1)
    assert f"Problem: Der Trigger {trigger} fehlt oder ist abgeschaltet" in refused.stderr
    assert trigger in _messages(monitor.json("verify", expect=1))


# --- master data: hashed from the last check on, unless the trip wire says otherwise ----------


def _incremental(database_url: str):
    engine = create_ledger_engine(database_url)
    try:
        return verify_ledger(engine, incremental=True)
    finally:
        engine.dispose()


def test_figure_commands_hash_only_the_master_imports_after_the_last_check(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    full = monitor.json("verify")
    assert full["checked_after_master_import"] == 0 and full["master_imports"] == 2
    import_second_catalog(monitor, tmp_path)
    check = _incremental(monitor.database_url)
    assert check.ok and check.scope == "incremental"
    assert check.checked_after_master_import == 2  # import 3 hashed, 1 and 2 counted
    assert check.master_rows == monitor.json("verify")["master_rows"]


def test_master_data_edited_by_sql_after_a_check_is_named_by_the_next_figure_command(
    monitor: Monitor, city
) -> None:
    monitor.json(*SPEND)  # the check passes and notes where
    execute(monitor.database_url, *MOVE_SHARES)
    refused = monitor.run(*SPEND, expect=1)
    assert "Problem: Stammdatenimport 2: allocation row 3 (measure JZ-A, district S01)" in (
        refused.stderr
    )
    check = _incremental(monitor.database_url)
    assert check.checked_after_master_import == 0  # the trip wire: all master data hashed


def test_a_master_row_removed_past_the_trip_wire_is_still_counted(monitor: Monitor, city) -> None:
    monitor.json(*SPEND)
    execute(
        monitor.database_url,
        *past_the_trip_wire("DELETE FROM population WHERE district = 'S03'"),
    )
    refused = monitor.run(*SPEND, expect=1)
    assert "Stammdatenimport 1 (districts) hat 6 Zeilen versiegelt, das Hauptbuch enthält 5" in (
        refused.stderr
    )


@pytest.mark.parametrize("command", [("verify",), ("report", "--period", "2024")])
def test_a_master_value_changed_past_the_trip_wire_is_caught_by_the_full_check(
    monitor: Monitor, city, command: tuple[str, ...]
) -> None:
    """The documented limit of the cheap path: a value changed with the trip wire bypassed
    keeps every count; verify and report, which hash everything, name it."""
    monitor.json(*SPEND)
    execute(monitor.database_url, *past_the_trip_wire(*MOVE_SHARES[:2]))
    assert monitor.run(*SPEND).exit_code == 0
    refused = monitor.run(*command, expect=1)
    assert "allocation row 3 (measure JZ-A, district S01)" in refused.stderr


def test_the_trip_wire_goes_with_a_downgrade_and_comes_back_with_the_upgrade(
    monitor: Monitor, city
) -> None:
    engine = create_ledger_engine(monitor.database_url)
    downgrade(engine, "0012")
    execute(monitor.database_url, "UPDATE allocation SET basis = 'by hand'")  # no trigger now
    upgrade(engine)
    with engine.connect() as connection:
        assert integrity_problems(connection) == []
    engine.dispose()
    execute(monitor.database_url, "UPDATE allocation SET basis = NULL")
    assert "allocation row 1" in monitor.run(*SPEND, expect=1).stderr
