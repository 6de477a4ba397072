"""Heads known from outside: `verify --head`, the anchor file and the latest report run.

A ledger whose newest batch was removed, or whose history was rewritten with the project's own
hash functions, verifies by itself; only a head kept outside the database shows it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, select, text

from ledger.integrity import POSTING_SEALED_FIELDS, batch_seal, posting_chain
from ledger.models import ImportBatch, Posting
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_xlsx
from tests.ledger.test_spend_trace import _posting
from tests.ledger.test_verify_master_data import execute, past_the_trip_wire

LATER = [_posting(9, "09.02.2024", "529100", "36050", "40,00", "Nachtrag")]


def import_later_batch(monitor: Monitor, tmp_path: Path, *global_options: str) -> dict:
    later = write_xlsx(tmp_path / "later.xlsx", [["Journal"], JOURNAL_HEADER, *LATER])
    return monitor.json(*global_options, "import", "postings", str(later))


def remove_newest_batch(database_url: str) -> None:
    """Delete the newest batch with everything that points at it, as SQL outside the program
    by someone who knows the trip wire (the derived rows it deletes would trip it)."""
    execute(
        database_url,
        *past_the_trip_wire(
            "DELETE FROM posting_allocation WHERE posting_id IN (SELECT id FROM posting WHERE"
            " batch_id = (SELECT max(id) FROM import_batch))",
            "DELETE FROM allocation_month",
            "DELETE FROM allocation_cache",
            "DELETE FROM chain_check",
            "DELETE FROM batch_month_total WHERE batch_id = (SELECT max(id) FROM import_batch)",
            "DELETE FROM posting WHERE batch_id = (SELECT max(id) FROM import_batch)",
            "DELETE FROM import_batch WHERE id = (SELECT max(id) FROM import_batch)",
        ),
    )


def rewrite_history(database_url: str) -> None:
    """Change a posting's amount and recompute its chain and its batch's seal with the project's
    own functions: the one ledger with a single batch after the master imports."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE posting SET amount_cents = 1 WHERE id = 2"))
        columns = [getattr(Posting, name) for name in POSTING_SEALED_FIELDS]
        rows = connection.execute(select(*columns).order_by(Posting.id)).all()
        values = {name: [row[i] for row in rows] for i, name in enumerate(POSTING_SEALED_FIELDS)}
        chain = posting_chain(values, "0" * 64)
        for posting_id, chain_hash in zip(values["id"], chain, strict=True):
            connection.execute(
                text("UPDATE posting SET chain_hash = :h WHERE id = :i"),
                {"h": chain_hash, "i": posting_id},
            )
        previous = connection.execute(text("SELECT seal FROM master_import WHERE id = 2")).scalar()
        batch = connection.execute(select(ImportBatch.__table__)).mappings().one()
        seal = batch_seal(batch, previous, chain[-1], len(chain))
        connection.execute(text("UPDATE import_batch SET seal = :s"), {"s": seal})
        connection.execute(text("DELETE FROM chain_check"))
    engine.dispose()


def _settings(tmp_path: Path) -> Path:
    path = tmp_path / "work" / "settings.toml"
    path.write_text('[ledger]\nanchor_file = "anchor/heads.txt"\n', encoding="utf-8")
    return path


def _heads(report: dict) -> list[dict]:
    """The heads `verify` checked, without the wording of their source (`source_said`)."""
    return [{k: v for k, v in h.items() if k != "source_said"} for h in report["heads"]]


def test_head_option_catches_the_newest_batch_removed(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    import_later_batch(monitor, tmp_path)
    head = monitor.json("verify")["head"]
    assert _heads(monitor.json("verify", "--head", head)) == [
        {"source": "--head", "head": head, "extended": True}
    ]
    remove_newest_batch(monitor.database_url)
    assert monitor.json("verify")["ok"]  # a shorter chain is a valid chain
    report = monitor.json("verify", "--head", head, expect=1)
    assert [p["kind"] for p in report["problems"]] == ["head"]
    assert f"the ledger does not extend head {head} (--head)" in report["problems"][0]["message"]


def test_an_older_head_is_extended_by_later_imports(monitor: Monitor, city, tmp_path) -> None:
    older = monitor.json("verify")["head"]
    import_later_batch(monitor, tmp_path)
    assert monitor.json("verify", "--head", older)["ok"]


def test_head_option_catches_a_rewritten_history(monitor: Monitor, city) -> None:
    head = monitor.json("verify")["head"]
    rewrite_history(monitor.database_url)
    assert monitor.json("verify")["ok"]  # every hash recomputed: only the head tells
    assert not monitor.json("verify", "--head", head, expect=1)["ok"]


def test_anchor_file_receives_every_head_and_catches_the_newest_batch_removed(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    anchor = settings.parent / "anchor" / "heads.txt"
    assert not anchor.exists()  # the city was imported without the setting
    import_later_batch(monitor, tmp_path, "--settings", str(settings))
    lines = anchor.read_text(encoding="utf-8").splitlines()
    head = monitor.json("--settings", str(settings), "verify")["head"]
    assert len(lines) == 1 and lines[0].split()[0] == head and lines[0].endswith("batch 2")
    assert _heads(monitor.json("--settings", str(settings), "verify")) == [
        {"source": f"anchor file {anchor.resolve()}", "head": head, "extended": True}
    ]
    remove_newest_batch(monitor.database_url)
    report = monitor.json("--settings", str(settings), "verify", expect=1)
    assert "(anchor file" in report["problems"][0]["message"]
    refused = monitor.run("--settings", str(settings), "spend", "--year", "2024", expect=1)
    assert "setzt den Prüfwert" in refused.stderr


def test_master_imports_append_their_heads_too(monitor: Monitor, city, tmp_path: Path) -> None:
    from tests.ledger.test_spend_trace import import_second_catalog

    settings = _settings(tmp_path)
    import_second_catalog(monitor, tmp_path)  # settings.toml in the working folder
    anchor = settings.parent / "anchor" / "heads.txt"
    line = anchor.read_text(encoding="utf-8").splitlines()[-1]
    assert line.endswith("master import 3")
    assert line.split()[0] == monitor.json("verify")["head"]


def test_verify_checks_the_head_of_the_latest_report_run(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    import_later_batch(monitor, tmp_path)
    document = monitor.json("report", "--period", "2024")
    sidecar = (monitor.workdir / document["sidecar"]).read_text(encoding="utf-8")
    head = monitor.json("verify")["head"]
    assert f'"ledger_head": "{head}"' in sidecar  # the sidecar records the head it saw
    assert _heads(monitor.json("verify")) == [
        {"source": f"report run {document['run']}", "head": head, "extended": True}
    ]
    remove_newest_batch(monitor.database_url)
    report = monitor.json("verify", expect=1)
    assert f"(report run {document['run']})" in report["problems"][0]["message"]
    german = monitor.run("verify", expect=1).stderr
    assert f"(Berichtslauf {document['run']})" in german and "report run" not in german


def test_report_rerun_checks_the_anchor_file_like_a_new_report(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    monitor.json("report", "--period", "2024")  # run 1, whose own state stays intact below
    import_later_batch(monitor, tmp_path, "--settings", str(settings))
    remove_newest_batch(monitor.database_url)
    refused = monitor.run("--settings", str(settings), "report", "--rerun", "1", expect=1)
    assert "setzt den Prüfwert" in refused.stderr and "(Prüfwert-Datei " in refused.stderr
    marked = monitor.json("--settings", str(settings), "report", "--rerun", "1", "--unverified")
    assert marked["unverified"] is True and marked["rerun_of"] == 1
    assert [p["kind"] for p in marked["verify_problems"]] == ["head"]
