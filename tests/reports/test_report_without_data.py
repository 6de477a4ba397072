"""`budget-monitor report` on a ledger without postings, indicators or measures (issue 15/7).

A report with nothing to show (no postings in its period and no indicators) is refused with exit 1,
naming the imports to run; otherwise it is built and says on the pages concerned what is missing.
Never a library's error text on a page: before this, a ledger with the demo city's master data
but no postings printed pandas' "You are trying to merge on object and float64 columns …" twelve
times (once per programme on the overview, once on each programme's page).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from monitor.demo.synthetic_city import build_city, write_city
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_xlsx
from tests.ledger.test_spend_trace import POSTINGS

# Words that only a library, not the report's catalogue, would put on a page.
LIBRARY_WORDS = ("Traceback", "merge on", "pandas", "pd.concat", "float64", "Error")


@pytest.fixture(scope="module")
def city_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_city(build_city(0), tmp_path_factory.mktemp("city") / "exports")


def pdf_text(path: Path) -> str:
    pages = [page.extract_text() for page in PdfReader(path).pages]
    return " ".join(" ".join(pages).replace("\xa0", " ").split())


def import_master(monitor: Monitor, files: dict[str, Path], *kinds: str) -> None:
    for kind in kinds:
        assert monitor.json("import", kind, str(files[kind]))["errors"] == []


def test_report_without_postings_and_indicators_is_refused_naming_the_imports(
    monitor: Monitor, city_files: dict[str, Path]
) -> None:
    import_master(monitor, city_files, "districts", "measures", "plan")
    result = monitor.run("report", "--period", "2024", expect=1)
    assert (
        "Für 2024 gibt es nichts zu berichten: Es sind keine Buchungen und keine "
        "Sozialindikatoren importiert." in result.stderr
    )
    assert "budget-monitor import postings" in result.stderr
    assert "budget-monitor import indicators" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (monitor.workdir / "Sozialbericht_2024.pdf").exists()


def test_report_of_a_period_without_postings_says_so_and_names_the_booked_span(
    monitor: Monitor, tmp_path: Path
) -> None:
    """A quarter in which nothing was booked is still a report (the scheduled service builds
    one every quarter); it says so instead of refusing."""
    postings = write_xlsx(tmp_path / "postings.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS])
    monitor.json("import", "postings", str(postings))
    document = monitor.json("--lang", "en", "report", "--period", "2022")
    pdf = PdfReader(monitor.workdir / document["file"])
    text = " ".join(pdf.pages[i].extract_text() for i in range(2))
    assert "No posting is booked in the reporting period; the imported postings run from" in (
        " ".join(text.split())
    )


def test_report_without_postings_says_so_where_spending_and_effects_would_be(
    monitor: Monitor, city_files: dict[str, Path]
) -> None:
    import_master(monitor, city_files, "districts", "indicators", "measures", "plan")
    document = monitor.json("report", "--period", "2024")
    words = pdf_text(monitor.workdir / document["file"])
    for library in LIBRARY_WORDS:
        assert library not in words, library
    assert "Datenstand: keine Buchungen importiert" in words
    # The overview and the spending page, instead of a table of zeros without a word why.
    assert words.count("Es sind keine Buchungen importiert; Ausgaben lassen sich daher nicht") == 2
    # Each of the six programmes, on the overview and on its own page.
    assert words.count("Keine Wirkungsschätzung. In der Zeit, für die Werte des Indikators") == 12
    sidecar = json.loads((monitor.workdir / document["sidecar"]).read_text("utf-8"))
    assert (sidecar["postings_missing"], sidecar["postings_span"]) == ("no_postings", None)
    assert {p["unavailable_reason"]["code"] for p in sidecar["programs"]} == {"no_postings"}

    monitor.json("report", "--period", "2024", "--lang", "en", "--out", "report-en.pdf")
    english = pdf_text(monitor.workdir / "report-en.pdf")
    assert "No postings have been imported, so there is no spending to show" in english
    assert "No spending is booked in the time the indicator has values for" in english
    for library in LIBRARY_WORDS:
        assert library not in english, library
