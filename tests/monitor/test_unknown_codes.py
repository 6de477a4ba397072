"""No dead ends (issue 16 item 4): an unknown district, measure, programme or indicator code names
the closest known ones, and a period without postings names the years that have some; exit 1
instead of zeros, in the catalogue's words."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.known_codes import closest_codes
from monitor.cli import cli
from monitor.language import LANG_ENV


def _run(url: str, *args: str):
    return CliRunner(env={LANG_ENV: ""}).invoke(cli, ["--db", url, *args])


def test_closest_codes_ignore_case_and_prefer_codes_containing_the_typed_one():
    known = ["SR01", "SR03", "SR23", "sgb2_quote", "kinderarmut"]
    assert closest_codes("S03", known)[0] == "SR03"
    assert closest_codes("SGB2", known)[0] == "sgb2_quote"
    assert closest_codes("zzz", ["A", "B", "C", "D"]) == ("A", "B", "C")


UNKNOWN = {
    "district": (
        ["trace", "--district", "S03"],
        "Quartier „S03“ ist unbekannt. Am ähnlichsten: SR03",
        "District “S03” is unknown. Closest: SR03",
    ),
    "measure": (
        ["trace", "--district", "SR03", "--measure", "JZ"],
        "Maßnahme „JZ“ ist unbekannt. Am ähnlichsten: JZ-01",
        "Measure “JZ” is unknown",
    ),
    "program": (
        ["evaluate", "--indicator", "sgb2_quote", "--program", "Jugendzentrn"],
        "Programm „Jugendzentrn“ ist unbekannt. Am ähnlichsten: Jugendzentren",
        "Programme “Jugendzentrn” is unknown",
    ),
    "indicator": (
        ["evaluate", "--indicator", "sgb2", "--program", "Jugendzentren"],
        "Indikator „sgb2“ ist unbekannt. Am ähnlichsten: sgb2_quote",
        "Indicator “sgb2” is unknown",
    ),
}


@pytest.mark.parametrize(("args", "german", "english"), UNKNOWN.values(), ids=UNKNOWN.keys())
def test_an_unknown_code_names_the_closest_known_ones(demo_url, args, german, english):
    result = _run(demo_url, *args)
    assert result.exit_code == 1, result.output
    assert german in result.stderr and result.stdout == ""
    assert english in _run(demo_url, "--lang", "en", *args).stderr


@pytest.mark.parametrize("year", ["24", "2031"])
def test_a_year_without_postings_names_the_years_with_postings(demo_url, year):
    result = _run(demo_url, "spend", "--year", year)
    assert result.exit_code == 1 and result.stdout == ""
    assert f"Im Jahr {year} gibt es keine Buchungen" in result.stderr
    assert "2016, 2017" in result.stderr and "2024" in result.stderr


def test_a_period_without_postings_says_so_in_english_on_request(demo_url):
    result = _run(demo_url, "--lang", "en", "spend", "--from", "2031-01-01", "--to", "2031-03-31")
    assert result.exit_code == 1
    assert "no postings from 2031-01-01 to 2031-03-31. Years with postings: 2016" in result.stderr
    result = _run(demo_url, "trace", "--district", "SR03", "--year", "2031")
    assert "Im Jahr 2031 gibt es keine Buchungen" in result.stderr


def test_known_codes_and_years_still_answer(demo_url):
    assert _run(demo_url, "--json", "trace", "--district", "SR03", "--year", "2024").exit_code == 0
    assert _run(demo_url, "--json", "spend", "--year", "2024").exit_code == 0


def test_a_ledger_without_postings_says_to_import_some(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert _run(url, "init").exit_code == 0
    result = _run(url, "spend", "--year", "2024")
    assert result.exit_code == 1
    assert "noch keine Buchungen eingelesen" in result.stderr
