"""`verify` covers master data: a row changed, inserted or removed in the database is named.

The case of issue 15: a measure's district shares changed by SQL and the derived cache cleared
moved spending between districts while `verify` said "intact".
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from ledger.database import create_ledger_engine
from ledger.master_seal import row_hash
from ledger.schema import HEAD_REVISION, current_revision, downgrade, upgrade
from ledger.verification import verify_ledger
from tests.conftest import Monitor
from tests.ledger.test_spend_trace import import_second_catalog


def execute(database_url: str, *statements: str) -> None:
    """SQL outside the program, as someone with write access to the database could run it."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def past_the_trip_wire(*statements: str) -> tuple[str, ...]:
    """Statements run under a writer mark committed by hand, as someone who knows the trip
    wire (`ledger.trip_wire`) would: its triggers stay silent."""
    return ("INSERT INTO ledger_writer (id) VALUES (1)", *statements, "DELETE FROM ledger_writer")


def _messages(report: dict) -> str:
    return "\n".join(p["message"] for p in report["problems"])


def test_untouched_master_data_verifies(monitor: Monitor, city) -> None:
    report = monitor.json("verify")
    assert report["ok"] and report["problems"] == []
    assert (report["master_imports"], report["master_rows"]) == (2, 14)


def test_changed_share_is_caught_although_the_cache_was_cleared(monitor: Monitor, city) -> None:
    before = monitor.json("spend", "--by", "district", "--year", "2024")
    execute(
        monitor.database_url,
        "UPDATE allocation SET share = '0.75' WHERE measure = 'JZ-A' AND district = 'S01'"
        " AND valid_from IS NOT NULL",
        "UPDATE allocation SET share = '0.25' WHERE measure = 'JZ-A' AND district = 'S03'",
        "DELETE FROM allocation_cache",
    )
    report = monitor.json("verify", expect=1)
    assert not report["ok"]
    assert [(p["kind"], p["master_import"], p["table"]) for p in report["problems"]] == [
        ("master_changed", 2, "allocation"),
        ("master_changed", 2, "allocation"),
    ]
    assert "master import 2: allocation row 3 (measure JZ-A, district S01) was changed" in (
        _messages(report)
    )
    assert before["total"] == "385.01"


def test_inserted_population_row_is_caught(monitor: Monitor, city) -> None:
    execute(
        monitor.database_url,
        "INSERT INTO population (import_id, district, period, population, row_hash)"
        " VALUES (1, 'S04', '2024', 500, 'x')",
    )
    report = monitor.json("verify", expect=1)
    messages = _messages(report)
    assert "population row (district S04, period 2024) was changed or inserted" in messages
    assert "master import 1 (districts) sealed 6 rows, the ledger holds 7" in messages


def test_removed_district_is_caught(monitor: Monitor, city) -> None:
    execute(monitor.database_url, "DELETE FROM district WHERE code = 'S02'")
    report = monitor.json("verify", expect=1)
    assert "master import 1 (districts) sealed 6 rows, the ledger holds 5 (rows removed" in (
        _messages(report)
    )


def test_edit_with_a_recomputed_row_hash_still_breaks_the_import_seal(
    monitor: Monitor, city
) -> None:
    row = {"import_id": 1, "code": "S02", "name": "Mitte-Ost"}
    execute(
        monitor.database_url,
        f"UPDATE district SET name = 'Mitte-Ost', row_hash = '{row_hash('district', row)}'"
        " WHERE code = 'S02'",
    )
    report = monitor.json("verify", expect=1)
    assert [p["kind"] for p in report["problems"]] == ["master_import"]
    assert "master import 1 (districts): its record or its rows were changed" in (_messages(report))


def test_changed_import_record_is_caught(monitor: Monitor, city) -> None:
    execute(monitor.database_url, "UPDATE master_import SET file_name = 'x.xlsx' WHERE id = 2")
    report = monitor.json("verify", expect=1)
    assert "master import 2 (measures): its record or its rows were changed" in _messages(report)


def test_master_imports_between_batches_form_one_chain_with_them(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    first = monitor.json("verify")
    import_second_catalog(monitor, tmp_path)
    second = monitor.json("verify")
    assert second["ok"] and second["head"] != first["head"]
    # The head after a master import is that import's seal, and the next batch continues it.
    engine = create_ledger_engine(monitor.database_url)
    with engine.connect() as connection:
        seal = connection.execute(text("SELECT seal FROM master_import WHERE id = 3")).scalar()
    engine.dispose()
    assert second["head"] == seal
    monitor.json("import", "postings", str(city["postings"]))  # an unchanged batch
    third = monitor.json("verify")
    assert third["ok"] and third["batches"] == 2
    # Removing the master import between the two batches breaks the later batch's seal.
    execute(
        monitor.database_url,
        "DELETE FROM allocation WHERE import_id = 3",
        "DELETE FROM measure WHERE import_id = 3",
        "DELETE FROM allocation_cache",
        "DELETE FROM master_import WHERE id = 3",
    )
    report = monitor.json("verify", expect=1)
    assert [(p["kind"], p.get("batch")) for p in report["problems"]] == [("batch", 2)]


def test_downgrade_and_upgrade_keep_a_verifying_ledger(monitor: Monitor, city) -> None:
    engine = create_ledger_engine(monitor.database_url)
    before = verify_ledger(engine)
    downgrade(engine, "0009")
    assert current_revision(engine) == "0009"
    with engine.connect() as connection:  # sealed among themselves, as revision 0009 checks
        batch_seal = connection.execute(text("SELECT seal FROM import_batch")).scalar()
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
    after = verify_ledger(engine)
    assert after.ok and after.master_rows == before.master_rows == 14
    with engine.connect() as connection:
        assert connection.execute(text("SELECT seal FROM import_batch")).scalar() == batch_seal
    engine.dispose()
    # Sealed by the migration, tampering is caught as for master data imported since.
    execute(monitor.database_url, "UPDATE measure SET cost_center = '99999' WHERE code = 'JZ-A'")
    assert "measure row 1 (code JZ-A) was changed" in _messages(monitor.json("verify", expect=1))


def test_the_row_text_form_is_pinned() -> None:
    """The text a master-data row is hashed over is part of the ledger: a change would make
    every sealed row look altered (dates ISO, floats repr, missing empty)."""
    import hashlib
    from datetime import date

    text = (
        "indicator_value\x1fimport_id=3\x1fdistrict=S01\x1findicator=sgb2_quote\x1fperiod=2024"
        "\x1fperiod_start=2024-01-01\x1fperiod_end=2024-12-31\x1fvalue=0.1"
    )
    row = {
        "import_id": 3,
        "district": "S01",
        "indicator": "sgb2_quote",
        "period": "2024",
        "period_start": date(2024, 1, 1),
        "period_end": "2024-12-31",
        "value": 0.1,
    }
    assert row_hash("indicator_value", row) == hashlib.sha256(text.encode()).hexdigest()
    missing = {**row, "value": None}
    assert (
        row_hash("indicator_value", missing)
        == hashlib.sha256(text.replace("value=0.1", "value=").encode()).hexdigest()
    )
