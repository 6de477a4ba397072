"""`budget-monitor report` on a small ledger (SQLite and PostgreSQL): runs, sidecars, reruns.

The city is the hand-calculated one of tests/ledger/test_spend_trace.py: three districts,
postings and a measure catalog, but no indicators, so no need index and no evaluation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, select, text

from ledger.master_models import ReportRun
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_xlsx
from tests.ledger.test_spend_trace import POSTINGS, _posting, _workbook

# Run-specific fields of a sidecar; everything else is a number or text of the report.
RUN_FIELDS = ("run", "created", "rerun_of")


def numbers(sidecar: dict) -> dict:
    return {k: v for k, v in sidecar.items() if k not in RUN_FIELDS}


def pdf_text(path: Path) -> str:
    pages = [page.extract_text() for page in PdfReader(path).pages]
    return " ".join(" ".join(pages).replace("\xa0", " ").split())


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def small_city(monitor: Monitor, tmp_path: Path) -> Monitor:
    districts = _workbook(
        tmp_path / "districts.xlsx",
        {
            "Sozialräume": [["Sozialraum", "Bezeichnung"], ["S01", "Nord"], ["S02", "Mitte"]],
            "Einwohner": [["Sozialraum", "Jahr", "Einwohner"], ["S01", 2024, 1000]],
        },
    )
    measures = _workbook(
        tmp_path / "measures.xlsx",
        {
            "Maßnahmen": [
                ["Maßnahme", "Bezeichnung", "Programm", "Kostenstelle"],
                ["JZ-A", "Jugendzentrum A", "Jugendzentren", "36050"],
            ],
            "Zuordnung": [["Maßnahme", "Sozialraum", "Anteil"], ["JZ-A", "S01", 1]],
        },
    )
    postings = write_xlsx(tmp_path / "postings.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS])
    monitor.json("import", "districts", str(districts))
    monitor.json("import", "measures", str(measures))
    monitor.json("import", "postings", str(postings))
    return monitor


def test_report_without_indicators_says_why_need_targeting_and_effects_are_missing(
    small_city: Monitor,
) -> None:
    document = small_city.json("report", "--period", "2024")
    pdf = small_city.workdir / "Sozialbericht_2024.pdf"
    assert document["file"] == "Sozialbericht_2024.pdf" and document["run"] == 1
    assert document["sidecar"] == "Sozialbericht_2024.json"
    words = pdf_text(pdf)
    assert (
        "Ob die Ausgaben dem Bedarf folgen, lässt sich nicht beurteilen: Es sind keine "
        "Sozialindikatoren importiert (budget-monitor import indicators)." in words
    )
    assert "Kein Bedarfsindex für den Berichtszeitraum. Es sind keine Sozialindikatoren" in words
    assert "Ohne Bedarfsklassen: Es sind keine Sozialindikatoren importiert" in words
    assert "Kein Quartier ist in eine höhere Bedarfsklasse gewechselt" not in words
    assert (
        "Jugendzentren: Keine Wirkungsschätzung. Für den Indikator sgb2_quote sind keine "
        "Werte importiert." in words
    )
    sidecar = read_json(small_city.workdir / "Sozialbericht_2024.json")
    assert (sidecar["need"], sidecar["targeting"], sidecar["need_missing"]) == (
        None,
        None,
        "no_indicators",
    )
    [program] = sidecar["programs"]
    assert program["evaluation"] is None
    reason = program["unavailable_reason"]
    assert (reason["code"], reason["values"]["indicator"]) == ("no_indicator_values", "sgb2_quote")
    assert reason["text"].startswith("Für den Indikator sgb2_quote sind keine Werte importiert")
    assert program["actual"] == "105.01"
    assert program["spending_by_period"] == [["2023", "100.00"], ["2024", "105.01"]]
    assert (sidecar["total"], sidecar["unattributed"]) == ("385.01", "280.00")


def test_report_without_a_catalog_says_that_no_program_can_be_evaluated(
    monitor: Monitor, tmp_path: Path
) -> None:
    postings = write_xlsx(tmp_path / "postings.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS])
    monitor.json("import", "postings", str(postings))
    monitor.json("report", "--period", "2024", "--lang", "en")
    words = pdf_text(monitor.workdir / "Sozialbericht_2024.pdf")
    assert "No programs are evaluated: No measure catalogue has been imported" in words
    assert "Spending in the period: €385.01, of which €385.01 is not attributed" in words


def test_rerun_after_a_correction_reproduces_the_numbers_and_a_new_report_shows_the_new(
    small_city: Monitor, tmp_path: Path
) -> None:
    first = small_city.json("report", "--period", "2024", "--out", "first.pdf")
    corrected = [
        _posting(2, "02.01.2024", "501100", "36050", "150,00", "@Honorar"),  # was 100,00
        *POSTINGS[2:],
        _posting(9, "09.01.2024", "501100", "36050", "20,00", "Nachtrag"),
    ]
    later = write_xlsx(tmp_path / "later.xlsx", [["Journal"], JOURNAL_HEADER, *corrected])
    imported = small_city.json("import", "postings", str(later))
    assert (imported["imported"], imported["corrections"]) == (1, 1)

    fresh = small_city.json("report", "--period", "2024", "--out", "second.pdf")
    rerun = small_city.json("report", "--rerun", str(first["run"]))

    original = read_json(small_city.workdir / first["sidecar"])
    new = read_json(small_city.workdir / fresh["sidecar"])
    again = read_json(small_city.workdir / rerun["sidecar"])
    assert numbers(again) == numbers(original)
    assert rerun["file"] == "first-rerun-1.pdf" and rerun["rerun_of"] == 1
    assert again["rerun_of"] == 1 and again["run"]["run"] == rerun["run"] == 3
    amounts = {d["key"]: d["amount"] for d in original["districts"]}
    assert (amounts["S01"], original["total"]) == ("105.01", "385.01")
    assert {d["key"]: d["amount"] for d in new["districts"]}["S01"] == "175.01"
    assert new["total"] == "455.01"
    # The new report counts from the first; the rerun counts as the first did.
    assert new["changes"] | {"new_measures": []} == {
        "previous_report": 1,
        "new_postings": 1,
        "corrections": 1,
        "new_measures": [],
        "revised_indicator_values": 0,
    }
    assert again["changes"] == original["changes"]
    # The PDFs differ only by their creation time and the rerun's note on its cover.
    note = (
        "Neuberechnung von Bericht Nr. 1 mit dessen Datenstand: gleiche Zahlen, nur der "
        "Erstellungszeitpunkt ist neu. "
    )
    shown, shown_again = (
        re.sub(r"Erstellt am [\d.]+, [\d:]+ ", "", pdf_text(small_city.workdir / name))
        for name in (first["file"], rerun["file"])
    )
    assert note in shown_again and shown_again.replace(note, "") == shown

    engine = create_engine(small_city.database_url)
    with engine.connect() as connection:
        runs = {r.id: r for r in connection.execute(select(ReportRun))}
    engine.dispose()
    assert (runs[3].rerun_of, runs[3].last_posting_id) == (1, runs[1].last_posting_id)
    assert runs[2].last_posting_id > runs[1].last_posting_id
    assert runs[1].sha256 == original["run"]["sha256"] != runs[3].sha256  # creation time
    assert runs[3].sidecar == "first-rerun-1.json"


def test_rerun_of_an_unknown_run_is_refused(small_city: Monitor) -> None:
    result = small_city.run("report", "--rerun", "7", expect=1)
    assert "Einen Berichtslauf 7 gibt es nicht" in result.stderr


def test_rerun_refuses_a_ledger_changed_outside_the_program(small_city: Monitor) -> None:
    small_city.json("report", "--period", "2024")
    engine = create_engine(small_city.database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE posting SET amount_cents = 1 WHERE id = 2"))
    engine.dispose()
    result = small_city.run("report", "--rerun", "1", expect=1)
    assert "Die Prüfung hat 1 Veränderung(en) außerhalb" in result.stderr
    assert not (small_city.workdir / "Sozialbericht_2024-rerun-1.pdf").exists()


def test_rerun_unverified_computes_on_an_altered_ledger_and_marks_every_output(
    small_city: Monitor,
) -> None:
    first = small_city.json("report", "--period", "2024")
    engine = create_engine(small_city.database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE posting SET amount_cents = 1 WHERE id = 2"))
    engine.dispose()
    rerun = small_city.json("report", "--rerun", "1", "--unverified")
    assert rerun["unverified"] is True and rerun["rerun_of"] == 1
    assert [p["posting"] for p in rerun["verify_problems"]] == [2]
    sidecar = read_json(small_city.workdir / rerun["sidecar"])
    assert sidecar["unverified"] is True
    # The sidecar of the rerun records the head of the run it reproduces, like the original's.
    assert sidecar["ledger_head"] == read_json(small_city.workdir / first["sidecar"])["ledger_head"]
    pages = PdfReader(small_city.workdir / rerun["file"]).pages
    assert all("UNGEPRÜFT" in page.extract_text() for page in pages)
