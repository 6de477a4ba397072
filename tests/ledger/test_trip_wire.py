"""The trip wire (issue 15 items 4 and 6): writes outside the program to the derived allocation
tables and to master data are noticed by the cheap check of the figure commands, and `verify`
names them, on SQLite and PostgreSQL.

- A cache edited by SQL moves no figure: its trigger deletes the key, so spend, trace and report
  compute from the verified ledger (and the next spend or trace rebuilds the table); `verify`
  names the table until then.
- A cache edited past the trip wire (the writer mark committed by hand) is found by `verify`,
  which compares the table with its recomputation and deletes the key.
- Master data is hashed whole by every check, the figure commands' too (SPEC §6): a value
  changed past the trip wire is named by `spend`, `trace` and `need` as by `verify`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from ledger.database import create_ledger_engine
from ledger.master_seal import row_hash
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


def test_an_empty_code_is_stored_as_null_in_the_unattributed_sums(monitor: Monitor, city) -> None:
    """A posting without product or measure: its code is NULL, never the text 'NaN' (which
    PostgreSQL stored for pandas' missing value until `verify` compared the table)."""
    monitor.json(*SPEND)
    engine = create_ledger_engine(monitor.database_url)
    with engine.connect() as connection:
        codes = connection.execute(text("SELECT field, code FROM unattributed_month")).all()
    engine.dispose()
    assert ("measure", None) in codes and all(code != "NaN" for _, code in codes)
    assert monitor.json("verify")["ok"]


def test_unattributed_sums_edited_past_the_trip_wire_are_found_by_verify_and_rebuilt(
    monitor: Monitor, city
) -> None:
    """`unattributed_month` (what `spend` says its unattributed amount is) is recomputed and
    compared by `verify` like the allocation rows: a changed row is named by its month."""
    honest = monitor.json(*SPEND)
    assert monitor.json("verify")["ok"]
    execute(
        monitor.database_url,
        *past_the_trip_wire(
            "UPDATE unattributed_month SET allocated_cents = allocated_cents + 100000"
            " WHERE id = (SELECT min(id) FROM unattributed_month)"
        ),
    )
    found = monitor.json("verify", expect=1)
    [problem] = found["problems"]
    assert problem["postings"] == [] and problem["months"] == []
    [month] = problem["unattributed_months"]
    message = problem["message"]
    assert f"the monthly sums without district (unattributed_month) of {month}" in message
    assert monitor.json(*SPEND) == honest  # the key was deleted: rebuilt from the ledger
    assert monitor.json("verify")["ok"]


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


# --- master data: hashed whole by every check, the trip wire a second line ------------------


def _incremental(database_url: str):
    engine = create_ledger_engine(database_url)
    try:
        return verify_ledger(engine, incremental=True)
    finally:
        engine.dispose()


def test_figure_commands_hash_all_master_data_every_time(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    """SPEC §6: master data is checked whole every time; only postings are incremental."""
    full = monitor.json("verify")
    assert full["master_imports"] == 2
    import_second_catalog(monitor, tmp_path)
    check = _incremental(monitor.database_url)
    assert check.ok and check.scope == "incremental"  # no posting hashed twice
    assert check.master_imports == 3
    assert check.master_rows == monitor.json("verify")["master_rows"] > full["master_rows"]


def test_master_data_edited_by_sql_after_a_check_is_named_by_the_next_figure_command(
    monitor: Monitor, city
) -> None:
    monitor.json(*SPEND)  # the check passes and notes where
    execute(monitor.database_url, *MOVE_SHARES)
    refused = monitor.run(*SPEND, expect=1)
    assert "Problem: Stammdatenimport 2: Zuordnung, Zeile 3 (Maßnahme JZ-A, Quartier S01)" in (
        refused.stderr
    )


def test_a_master_row_removed_past_the_trip_wire_is_still_counted(monitor: Monitor, city) -> None:
    monitor.json(*SPEND)
    execute(
        monitor.database_url,
        *past_the_trip_wire("DELETE FROM population WHERE district = 'S03'"),
    )
    refused = monitor.run(*SPEND, expect=1)
    assert "Stammdatenimport 1 (Quartiere) hat 6 Zeilen versiegelt, das Hauptbuch enthält 5" in (
        refused.stderr
    )


@pytest.mark.parametrize(
    "command",
    [
        SPEND,
        TRACE,
        ("need",),
        ("targeting", "--year", "2024"),
        ("verify",),
        ("report", "--period", "2024"),
    ],
    ids=lambda c: c[0],
)
def test_a_master_value_changed_past_the_trip_wire_is_caught_by_every_check(
    monitor: Monitor, city, command: tuple[str, ...]
) -> None:
    """A value changed with the trip wire bypassed (the writer mark faked in the same
    transaction) keeps every count and leaves no foreign write: the figure commands catch it
    all the same, since they hash master data whole, after a check that passed as before."""
    monitor.json(*SPEND)  # the check passes and notes where: nothing left to rely on
    execute(monitor.database_url, *past_the_trip_wire(*MOVE_SHARES[:2]))
    refused = monitor.run(*command, expect=1)
    assert "Problem: Stammdatenimport 2: Zuordnung, Zeile 3 (Maßnahme JZ-A, Quartier S01)" in (
        refused.stderr
    )
    assert "Traceback" not in refused.stderr
    if command[0] != "verify":  # the figure commands print no figure
        assert refused.stdout == ""


def test_a_share_changed_past_the_trip_wire_with_its_row_hash_recomputed_is_caught(
    monitor: Monitor, city
) -> None:
    """The row hash rewritten with the program's own function: the import's seal names it."""
    monitor.json(*SPEND)
    engine = create_ledger_engine(monitor.database_url)
    with engine.connect() as connection:
        row = dict(
            connection.execute(
                text("SELECT * FROM allocation WHERE measure = 'JZ-A' AND district = 'S03'")
            )
            .mappings()
            .one()
        )
    engine.dispose()
    row["share"] = "0.25"
    execute(
        monitor.database_url,
        *past_the_trip_wire(
            f"UPDATE allocation SET share = '0.25', row_hash = '{row_hash('allocation', row)}'"
            f" WHERE import_id = {row['import_id']} AND seq = {row['seq']}"
        ),
    )
    refused = monitor.run(*TRACE, expect=1)
    assert "Stammdatenimport 2 (Maßnahmen): Sein Eintrag oder seine Zeilen wurden" in refused.stderr


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
    assert "Zuordnung, Zeile 1 (Maßnahme JZ-A" in monitor.run(*SPEND, expect=1).stderr
