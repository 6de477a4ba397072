"""What `verify` finds reaches the auditor in German (issue 16 item 1): every problem is a code
and its values (ledger.verify_problems), worded from the catalogue ("verify.<code>") in the
chosen language; the JSON keeps its English `message` (SPEC §6) beside the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.master_models import MASTER_KINDS
from ledger.master_seal import MASTER_ROW_KEYS, import_kind, row_label
from ledger.verify_problems import ENGLISH, part, template_fields, verify_problem
from monitor.problem_words import verify_text
from reports.messages import LANGUAGES, Messages, catalogue, placeholders
from tests.conftest import Monitor
from tests.ledger.test_verify_master_data import execute


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_verification_code_has_words_with_the_english_placeholders(lang):
    words = catalogue(lang)
    missing = [code for code in ENGLISH if f"verify.{code}" not in words]
    assert missing == []
    differing = [
        code
        for code, english in ENGLISH.items()
        if placeholders(words[f"verify.{code}"]) != template_fields(english)
    ]
    assert differing == []
    if lang == "en":
        assert {c: words[f"verify.{c}"] for c in ENGLISH} == dict(ENGLISH)


def test_a_problem_keeps_its_kind_ids_and_english_message_and_is_worded_with_its_parts():
    where = part(
        "derived_and",
        first=part("derived_postings", count=2, named="4, 7"),
        second=part("derived_months", months="2024-03"),
    )
    problem = verify_problem("derived", "derived_differs", {"table": "t"}, where=where)
    assert (problem["kind"], problem["table"], problem["code"]) == (
        "derived",
        "t",
        "derived_differs",
    )
    assert (
        "in the rows of 2 posting(s) (posting 4, 7) and the monthly sums of 2024-03:"
        in (problem["message"])
    )
    german = verify_text(problem, Messages("de"))
    assert "in den Zeilen von 2 Buchung(en) (Buchung 4, 7) und den Monatssummen von 2024-03:" in (
        german
    )
    assert verify_text({"kind": "old", "message": "as written"}, Messages("de")) == "as written"
    with pytest.raises(ValueError, match="needs the values"):
        verify_problem("batch", "batch_count", batch=1)


@pytest.mark.postgres
def test_verify_names_a_changed_posting_in_german_and_in_english_on_request(
    monitor: Monitor, city
) -> None:
    execute(monitor.database_url, "UPDATE posting SET amount_cents = 999 WHERE id = 2")
    german = monitor.run("verify", expect=1).stderr
    assert "Problem: Buchung 2 wurde außerhalb des Programms geändert oder eingefügt" in german
    english = monitor.run("--lang", "en", "verify", expect=1).stderr
    assert "Problem: posting 2 was changed or inserted outside the program" in english
    document = monitor.json("verify", expect=1)
    changed = next(p for p in document["problems"] if p.get("posting") == 2)
    assert changed["code"] == "posting_changed" and changed["kind"] == "changed"
    assert changed["message"] == "posting 2 was changed or inserted outside the program"


def test_every_verification_code_is_made_somewhere():
    root = Path(__file__).resolve().parents[2]
    sources = "".join(
        path.read_text("utf-8")
        for folder in ("ledger", "monitor")
        for path in (root / folder).rglob("*.py")
        if path.name != "verify_problems.py"
    )
    assert [code for code in ENGLISH if f'"{code}"' not in sources] == []


def test_verify_names_a_master_row_its_fields_and_kind_of_import_in_german(
    monitor: Monitor, city
) -> None:
    """The row's table, its fields and the kind of import are words of the catalogue too: no
    `population row (district S04, period 2024)` or `(districts)` in a German sentence."""
    execute(
        monitor.database_url,
        "INSERT INTO population (import_id, district, period, population, row_hash)"
        " VALUES (1, 'S04', '2024', 500, 'x')",
    )
    german = monitor.run("verify", expect=1).stderr
    assert "Stammdatenimport 1: Einwohnerzahl (Quartier S04, Zeitraum 2024) wurde au" in german
    assert "Stammdatenimport 1 (Quartiere) hat 6 Zeilen versiegelt" in german
    assert "population" not in german and "districts" not in german
    english = monitor.run("--lang", "en", "verify", expect=1).stderr
    assert "population row (district S04, period 2024) was changed or inserted" in english
    assert "master import 1 (districts) sealed 6 rows" in english
    document = monitor.json("verify", expect=1)
    counted = next(p for p in document["problems"] if p["code"] == "master_count")
    assert counted["values"]["kind"] == {"code": "kind_districts", "values": {}}


def test_every_kind_of_import_and_master_table_has_its_words() -> None:
    for kind in MASTER_KINDS:
        assert verify_text(
            verify_problem("master_import", "master_seal", number=1, kind=import_kind(kind)),
            Messages("de"),
        ).startswith("Stammdatenimport 1 (")
    row = {name: "x" for name in ("code", "district", "period", "indicator", "measure", "product",
                                  "year", "cell", "series", "type", "name", "seq")}  # fmt: skip
    for table in MASTER_ROW_KEYS:
        problem = verify_problem("master_changed", "master_row_changed", number=1,
                                 row=row_label(table, row))  # fmt: skip
        assert f"{table} row" in problem["message"]
        assert verify_text(problem, Messages("de")).startswith("Stammdatenimport 1: ")
