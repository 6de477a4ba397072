"""Figures only from a verified ledger: spend, trace, need, targeting, evaluate and report check
the hash chain first, refuse an altered ledger, and mark what `--unverified` computes anyway."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import Monitor
from tests.ledger.test_known_heads import import_later_batch
from tests.ledger.test_verify_master_data import execute

MOVE_SHARES = (
    "UPDATE allocation SET share = '0.75' WHERE measure = 'JZ-A' AND district = 'S01'"
    " AND valid_from IS NOT NULL",
    "UPDATE allocation SET share = '0.25' WHERE measure = 'JZ-A' AND district = 'S03'",
    "DELETE FROM allocation_cache",
)
FIGURE_COMMANDS = [
    ("spend", "--year", "2024"),
    ("trace", "--district", "S01", "--year", "2024"),
    ("need",),
    ("targeting", "--year", "2024"),
    ("evaluate", "--indicator", "sgb2_quote", "--program", "Jugendzentren"),
    ("report", "--period", "2024"),
]


@pytest.mark.parametrize("command", FIGURE_COMMANDS, ids=lambda c: c[0])
def test_figure_commands_refuse_master_data_changed_outside_the_program(
    monitor: Monitor, city, command: tuple[str, ...]
) -> None:
    execute(monitor.database_url, *MOVE_SHARES)
    result = monitor.run(*command, expect=1)
    assert "Problem: Stammdatenimport 2: Zuordnung, Zeile 3 (Maßnahme JZ-A, Quartier S01)" in (
        result.stderr
    )
    assert "Die Prüfung hat 2 Veränderung(en) außerhalb des Programms gefunden" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_spend_unverified_computes_the_altered_figures_and_marks_them(
    monitor: Monitor, city
) -> None:
    honest = monitor.json("spend", "--year", "2024")
    assert "unverified" not in honest
    execute(monitor.database_url, *MOVE_SHARES)
    altered = monitor.json("spend", "--year", "2024", "--unverified")
    assert altered["unverified"] is True
    assert [p["kind"] for p in altered["verify_problems"]] == ["master_changed"] * 2
    amounts = {r["key"]: r["amount"] for r in altered["rows"]}
    assert amounts["S01"] != {r["key"]: r["amount"] for r in honest["rows"]}["S01"]
    trace = monitor.json("trace", "--district", "S01", "--year", "2024", "--unverified")
    assert trace["unverified"] is True and trace["total"] == amounts["S01"]
    text = monitor.run("spend", "--year", "2024", "--unverified")
    assert "UNGEPRÜFT" in text.stdout and "Hinweis: Die Prüfung hat" in text.stderr


def test_a_posting_changed_after_the_last_check_is_caught_incrementally(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    monitor.json("spend", "--year", "2024")  # verifies and notes where
    import_later_batch(monitor, tmp_path)
    execute(monitor.database_url, "UPDATE posting SET amount_cents = 999 WHERE id = 9")
    result = monitor.run("spend", "--year", "2024", expect=1)
    assert (
        "Problem: Buchung 9 wurde außerhalb des Programms geändert oder eingefügt" in result.stderr
    )


def test_spend_hashes_only_what_came_since_and_verify_and_report_hash_everything(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    """The documented scope: an older posting edited after a check is beyond spend's check
    (it would cost a full re-hash every time), never beyond verify's or report's."""
    monitor.json("spend", "--year", "2024")
    import_later_batch(monitor, tmp_path)
    monitor.json("spend", "--year", "2024")
    verified = monitor.json("verify")
    assert verified["scope"] == "full" and verified["postings"] == 9
    execute(monitor.database_url, "UPDATE posting SET amount_cents = 999 WHERE id = 3")
    monitor.json("spend", "--year", "2024")  # the chain after the last check still holds
    assert monitor.json("verify", expect=1)["problems"][0]["posting"] == 3
    assert "Buchung 3 wurde außerhalb" in monitor.run("report", "--period", "2024", expect=1).stderr


def test_an_edit_at_the_last_checked_posting_makes_spend_verify_everything(
    monitor: Monitor, city
) -> None:
    monitor.json("spend", "--year", "2024")
    execute(monitor.database_url, "UPDATE posting SET chain_hash = 'x' WHERE id = 8")
    assert "Buchung 8 wurde außerhalb" in monitor.run("spend", "--year", "2024", expect=1).stderr


def test_report_unverified_says_so_on_every_page_and_in_the_sidecar(monitor: Monitor, city) -> None:
    execute(monitor.database_url, *MOVE_SHARES)
    document = monitor.json("report", "--period", "2024", "--unverified")
    assert document["unverified"] is True
    sidecar = (monitor.workdir / document["sidecar"]).read_text(encoding="utf-8")
    assert '"unverified": true' in sidecar
    pages = PdfReader(monitor.workdir / document["file"]).pages
    assert all("UNGEPRÜFT" in page.extract_text() for page in pages)


@pytest.mark.parametrize(
    "command",
    [
        ("spend", "--year", "2024"),
        ("trace", "--district", "S01", "--year", "2024"),
    ],
    ids=lambda c: c[0],
)
def test_a_workbook_of_unverified_figures_says_so_on_every_sheet(
    monitor: Monitor, city, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Issue 15 item 6: every output of `--unverified` is marked, the workbook too."""
    honest = tmp_path / "honest.xlsx"
    monitor.run(*command, "--xlsx", str(honest))
    assert not [c for c in _column_a(honest) if "UNGEPRÜFT" in c]
    execute(monitor.database_url, *MOVE_SHARES)
    altered = tmp_path / "altered.xlsx"
    monitor.run(*command, "--unverified", "--xlsx", str(altered))
    book = load_workbook(altered)
    for sheet in book.worksheets:
        [note] = [
            c.value for c in sheet["A"] if isinstance(c.value, str) and "UNGEPRÜFT" in c.value
        ]
        assert note.startswith("UNGEPRÜFT: Die Hash-Kette des Hauptbuchs ist verletzt (2 Ver")


def _column_a(path: Path) -> list[str]:
    return [
        c.value for s in load_workbook(path).worksheets for c in s["A"] if isinstance(c.value, str)
    ]
