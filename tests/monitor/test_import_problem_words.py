"""An import's problems reach the clerk in German (issue 16 item 1): imports/ says what is wrong
as a code and its values, the front door words it from the catalogue (German by default, English
with --lang en), and the JSON keeps SPEC §2's English `message` beside the code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from imports.problems import (
    ENGLISH,
    Problem,
    ProblemError,
    field_word,
    problem,
    template_fields,
)
from imports.profile import CANONICAL_FIELDS
from imports.readers import FileRefused, ReadLimits, read_tables
from monitor.cli import cli
from monitor.language import LANG_ENV
from monitor.problem_words import problem_key, refusal_text, worded_problem
from reports.messages import LANGUAGES, Messages, catalogue, placeholders

HEADER = "Buchungsdatum;Belegnummer;Position;Sachkonto;Kostenstelle;Produkt;Betrag;Buchungstext\n"


def _run(tmp_path: Path, *args: str, expect: int) -> tuple[str, str]:
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    result = CliRunner(env={LANG_ENV: ""}).invoke(cli, ["--db", db, *args])
    assert result.exit_code == expect, (args, result.output)
    assert "Traceback" not in result.output
    return result.stdout, result.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_problem_code_has_words_with_the_english_placeholders(lang):
    words = catalogue(lang)
    missing = [code for code in ENGLISH if problem_key(code) not in words]
    assert missing == []
    differing = [
        code
        for code, english in ENGLISH.items()
        if placeholders(words[problem_key(code)]) != template_fields(english)
    ]
    assert differing == []


def test_the_english_catalogue_says_what_the_python_api_says():
    """--lang en and the JSON `message` must not tell two different stories."""
    words = catalogue("en")
    assert {c: words[problem_key(c)] for c in ENGLISH} == dict(ENGLISH)


def test_a_problem_is_worded_with_its_nested_parts_and_money_in_the_locale():
    amount = problem("implausible_amount", value="'1e15'", limit_cents=99_999_999_999_999)
    assert "999.999.999.999,99\xa0€" in worded_problem(amount, Messages("de"))
    assert "than €999,999,999,999.99 (" in worded_problem(amount, Messages("en"))
    assert "than 999999999999.99 (" in amount.english  # the JSON's machine form
    nested = problem("in_file", file="a.csv", detail=problem("not_year", value="'x'"))
    assert worded_problem(nested.to_dict(), Messages("de")) == "a.csv: keine Jahreszahl: 'x'"


def test_a_problem_refuses_an_unknown_code_or_missing_values():
    with pytest.raises(ValueError, match="unknown import problem code"):
        problem("no_such_code")
    with pytest.raises(ValueError, match="needs the values"):
        problem("not_year")
    assert str(ProblemError(problem("not_year", value="'x'"))) == "not a year: 'x'"
    assert ProblemError("plain").problem is None
    assert isinstance(Problem("list", {"first": "a"}).english, str)


def _bad_postings(tmp_path: Path) -> Path:
    path = tmp_path / "journal.csv"
    path.write_text(
        HEADER
        + "31.01.2024;1001;1;5010;KST01;P1;1.234,56;gut\n"
        + "32.01.2024;1002;1;5010;KST01;P1;10,00;kein Datum\n"
        + "01.02.2024;1003;1;5010;KST01;P1;zehn;kein Betrag\n",
        encoding="utf-8",
    )
    return path


def test_row_errors_are_german_by_default_with_file_row_column_and_what_was_expected(tmp_path):
    path = _bad_postings(tmp_path)
    _, shown = _run(tmp_path, "import", "postings", str(path), expect=1)
    assert "Zeile 3, Spalte „Buchungsdatum“: kein Datum: '32.01.2024'; erwartet wird ein Datum" in (
        shown
    )
    assert (
        "Zeile 4, Spalte „Betrag“: kein Betrag: 'zehn'; erwartet wird eine Zahl wie 1.234,56"
        in (shown)
    )
    assert "journal.csv" in shown
    assert "not a date" not in shown and "expected" not in shown


def test_row_errors_are_english_on_request_and_the_json_keeps_the_code(tmp_path):
    path = _bad_postings(tmp_path)
    _, shown = _run(tmp_path, "--lang", "en", "import", "postings", str(path), expect=1)
    assert "not a date: '32.01.2024'; expected a date such as 31.12.2024" in shown
    out, _ = _run(tmp_path, "import", "postings", str(path), "--json", expect=1)
    document = json.loads(out)
    date_error = next(e for e in document["errors"] if e["row"] == 3)
    assert date_error["message"].startswith("not a date: '32.01.2024'")  # SPEC §2, English
    assert date_error["problem"] == {"code": "not_date", "values": {"value": "'32.01.2024'"}}


def test_the_profile_choice_is_explained_in_german(tmp_path):
    path = tmp_path / "journal.csv"
    path.write_text(HEADER + "31.01.2024;1001;1;5010;KST01;P1;1.234,56;gut\n", encoding="utf-8")
    out, _ = _run(tmp_path, "import", "postings", str(path), "--dry-run", expect=0)
    assert "Profil 'generic' (eingebaut): Die Kopfzeile in Zeile 1 des Blatts" in out
    flat = " ".join(out.split())
    assert "8 Felder zu (Belegnummer, Buchungszeile, Buchungsdatum, Sachkonto," in flat
    assert "document_no" not in flat
    out, _ = _run(tmp_path, "import", "postings", str(path), "--dry-run", "--json", expect=0)
    assert json.loads(out)["profile_reason"].startswith("profile 'generic' (built-in)")


def test_a_file_no_profile_fits_is_refused_in_german_naming_what_is_missing(tmp_path):
    path = tmp_path / "fremd.csv"
    path.write_text("Datum;Wert\n01.01.2024;5\n", encoding="utf-8")
    _, shown = _run(tmp_path, "import", "postings", str(path), expect=1)
    assert "Kein Zuordnungsprofil passt zur Kopfzeile dieser Datei." in shown
    assert "Gefunden in Blatt 'fremd.csv', Zeile 1: 'Datum', 'Wert'" in shown
    assert "Dem Profil 'generic' fehlt" in shown
    # the field in words, and its code as a profile names it ([imports.profiles.NAME.columns])
    assert "Betrag (amount in einem Profil): eine von 'Betrag'" in " ".join(shown.split())
    assert "no mapping profile" not in shown


def test_a_header_without_rows_is_refused_in_german(tmp_path):
    path = tmp_path / "leer.csv"
    path.write_text(HEADER, encoding="utf-8")
    _, shown = _run(tmp_path, "import", "postings", str(path), expect=1)
    assert "keine Zeilen: Unter der Kopfzeile in Zeile 1 des Blatts 'leer.csv'" in shown
    assert "stehen keine Daten" in shown


def test_a_master_data_file_without_its_table_is_refused_in_german(tmp_path):
    path = tmp_path / "quartiere.csv"
    path.write_text("Farbe;Form\nrot;rund\n", encoding="utf-8")
    _, shown = _run(tmp_path, "import", "districts", str(path), expect=1)
    assert "quartiere.csv: keine Tabelle der Quartiere gefunden." in shown
    assert "Es fehlt die Spalte Quartier: eine von" in shown
    _, shown = _run(tmp_path, "--lang", "en", "import", "districts", str(path), expect=1)
    assert "quartiere.csv: no districts table found." in shown


def test_a_file_of_the_wrong_kind_is_named_in_german(tmp_path):
    pdf = tmp_path / "journal.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    _, shown = _run(tmp_path, "import", "postings", str(pdf), expect=1)
    assert "sieht aus wie ein PDF-Dokument, nicht wie CSV-Text" in shown
    text = tmp_path / "export.txt"
    text.write_text("Buchungsdatum;Betrag\n", encoding="utf-8")
    _, shown = _run(tmp_path, "import", "postings", str(text), expect=1)
    assert "Dateiart nicht unterstützt (.txt); unterstützt:" in shown
    _, shown = _run(tmp_path, "--lang", "en", "import", "postings", str(text), expect=1)
    assert "unsupported file type (.txt); supported:" in shown


def test_every_problem_code_is_made_somewhere_in_imports():
    """No dead codes: each is written as a literal where its condition is detected (the kinds
    of table are made from the tables' titles by `table_title`, the fields by `field_word`,
    lists by `joined`)."""
    root = Path(__file__).resolve().parents[2] / "imports"
    sources = "".join(
        path.read_text("utf-8") for path in root.rglob("*.py") if path.name != "problems.py"
    )
    made_elsewhere = {"list"}
    unused = [
        c
        for c in ENGLISH
        if f'"{c}"' not in sources
        and not c.startswith(("table_", "field_"))
        and c not in made_elsewhere
    ]
    assert unused == []


def test_limits_and_counts_are_grouped_in_the_locale_but_row_numbers_are_not():
    """A clerk reads 1.048.576, not 1048576; Excel's row 1048577 stays as Excel shows it."""
    too_wide = problem(
        "too_many_columns_in_row", table="'T'", columns=20_000, row=1_048_577, limit=16_384
    )
    assert worded_problem(too_wide, Messages("de")) == (
        "Tabelle 'T' hat in Zeile 1048577 20.000 Spalten, mehr als die Grenze von 16.384"
    )
    assert worded_problem(too_wide, Messages("en")) == (
        "table 'T' has 20,000 columns in row 1048577, more than the limit of 16,384"
    )
    assert "20000 columns in row 1048577" in too_wide.english  # the JSON's machine form


def test_a_file_over_the_row_limit_is_refused_with_the_limit_grouped(tmp_path):
    path = tmp_path / "lang.csv"
    path.write_text("a;b\n" + "1;2\n" * 1_001, encoding="utf-8")
    with pytest.raises(FileRefused) as refused:
        read_tables(path, ReadLimits(max_rows=1_000))
    assert "mehr als 1.000 Zeilen, die Grenze" in refusal_text(refused.value, Messages("de"))
    assert "more than 1,000 rows, the limit" in refusal_text(refused.value, Messages("en"))


def test_every_field_a_column_is_read_for_has_words_and_is_never_shown_as_its_code():
    from imports.geodata.facility_files import FACILITY_FIELDS
    from imports.master_data import crosswalk, districts, indicators, measures, plan

    specs = (measures.MEASURES, measures.ALLOCATIONS, districts.DISTRICTS, districts.POPULATION)
    fields = {*CANONICAL_FIELDS, *FACILITY_FIELDS, "lon", "lat", "x", "y", "value", "weight"}
    fields |= {f for spec in (*specs, plan.plan_spec(), crosswalk._TABLE) for f in spec.fields}
    fields |= {*indicators._FIELDS, *indicators._WIDE_FIELDS}
    assert sorted(f for f in fields if field_word(f).code != f"field_{f}") == []
    assert worded_problem(field_word("cost_center"), Messages("de")) == "Kostenstelle"
    assert worded_problem(field_word("cost_center"), Messages("en")) == "cost center"
    assert field_word("x_mp_1km").english == "'x_mp_1km'"  # a census grid's column, no field


def test_two_amount_columns_name_the_field_in_german_and_in_english_on_request(tmp_path):
    path = tmp_path / "doppelt.csv"
    path.write_text(
        HEADER.replace("Betrag;", "Betrag;Betrag EUR;")
        + "31.01.2024;1001;1;5010;KST01;P1;1,00;1,00;gut\n",
        encoding="utf-8",
    )
    _, german = _run(tmp_path, "import", "postings", str(path), expect=1)
    assert "Betrag: 'Betrag' (Spalte G) und 'Betrag EUR' (Spalte H)" in german
    _, english = _run(tmp_path, "--lang", "en", "import", "postings", str(path), expect=1)
    assert "amount: 'Betrag' (column G) and 'Betrag EUR' (column H)" in english
