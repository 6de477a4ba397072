"""A text longer than an Excel cell holds is cut with a visible note, never silently (issue 15/7).

Excel's cells hold at most 32,767 characters ("Excel specifications and limits"); a 40,000-character
booking text used to reach the trace workbook cut to that length without a word.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from reports.audit_workbook import CELL_LIMIT, _Cuts, write_trace_workbook
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_csv
from tests.ledger.test_spend_trace import _posting, city  # noqa: F401 (a fixture)

LONG_TEXT = "Honorar laut Vertrag " + "x" * (40_000 - 21)


def test_a_40000_character_booking_text_is_cut_with_a_note_in_cell_and_summary(
    monitor: Monitor,
    city,  # noqa: F811
    tmp_path: Path,
) -> None:
    assert len(LONG_TEXT) == 40_000
    long_posting = _posting(9, "09.01.2024", "529100", "36050", "40,00", LONG_TEXT)
    # CSV: an .xlsx export could not carry the text whole (openpyxl cuts it when it reads).
    postings = write_csv(tmp_path / "long.csv", [JOURNAL_HEADER, long_posting])
    monitor.json("import", "postings", str(postings))
    traced = monitor.json("trace", "--district", "S01", "--year", "2024")
    assert LONG_TEXT in {i["posting"]["text"] for i in traced["items"]}  # the ledger keeps it all

    out = tmp_path / "trace.xlsx"
    monitor.run("trace", "--district", "S01", "--year", "2024", "--xlsx", str(out))
    book = load_workbook(out)
    detail = book["Einzelposten"]
    [row] = [r for r in range(2, detail.max_row + 1) if detail.cell(r, 9).value == "9"]
    cell = detail.cell(row, 15)
    assert len(cell.value) <= CELL_LIMIT
    assert cell.value.startswith("Honorar laut Vertrag xxx")
    assert cell.value.endswith("xx… [gekürzt: 40.000 Zeichen]")
    summary = [c.value for c in book["Übersicht"]["A"] if c.value]
    assert summary[-1] == (
        "Hinweis: 1 Text(e) länger als die 32.767 Zeichen, die eine Excel-Zelle fasst, wurden "
        f"gekürzt (Einzelposten!O{row}); den vollständigen Text zeigt die Ausgabe mit --json."
    )


def test_a_cut_formula_like_text_stays_text_and_the_note_is_english_on_request(
    tmp_path: Path,
) -> None:
    text = "=" + "1" * 39_999
    item = {
        "measure": "JZ-A",
        "share": "1",
        "allocated": "40.00",
        "posting": {
            "amount": "40.00",
            "booking_date": "2024-01-09",
            "fiscal_year": 2024,
            "document_no": "9",
            "line_no": 1,
            "account": "529100",
            "cost_center": "36050",
            "product": "06.02.01",
            "text": text,
        },
        "source": {"batch": 1, "file": "a.xlsx", "sha256": "0" * 64, "sheet": "J", "row": 3},
    }
    document = {"items": [item], "total": "40.00", "from": "2024-01-01", "to": "2024-12-31"}
    write_trace_workbook(document, tmp_path / "t.xlsx", lang="en")
    cell = load_workbook(tmp_path / "t.xlsx")["Items"]["O2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert len(cell.value) == CELL_LIMIT and cell.value.endswith("… [cut: 40,000 characters]")


def test_a_text_that_fits_is_left_whole() -> None:
    sheet = Workbook().active
    cuts = _Cuts()
    assert cuts.fit(sheet, 2, 14, "y" * CELL_LIMIT) == "y" * CELL_LIMIT
    assert cuts.cells == []
