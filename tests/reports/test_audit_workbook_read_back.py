"""Auditor workbooks read back with openpyxl (issue 16 item 6): booking dates are Excel dates, not
text; measures carry their names beside their codes; districts are "Quartier" on every sheet, as
in the report; no number or date is wider than its column (Excel would show `####`); the
unattributed amount has its own sheet with every code.

The small city of tests/ledger/test_spend_trace.py: S01 gets 25.00 + 2.50 - 1.25 from JZ-A
(Jugendzentrum A) in 2024; PLAN (Planung, no allocation) 50.00 and doc 8 (no measure) 30.00 are
unattributed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_currency
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from reports.audit_workbook import write_need_workbook, write_spend_workbook
from tests.conftest import Monitor
from tests.ledger.test_spend_trace import city  # noqa: F401 (a fixture)


def shown(cell) -> str | None:
    """The text Excel shows for a number or date cell in German, computed with Babel and
    strftime rather than the workbook's own code; None for text and empty cells."""
    if isinstance(cell.value, datetime):
        return cell.value.strftime("%d.%m.%Y")
    if isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool):
        if "€" in cell.number_format:
            return format_currency(Decimal(str(cell.value)), "EUR", locale="de_DE")
        if cell.number_format == "0.00":
            return f"{cell.value:.2f}"
        return str(cell.value)
    return None


def too_narrow(sheet: Worksheet) -> list[str]:
    """Cells whose number or date is wider than their column: Excel shows `####` there."""
    narrow = []
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            text = shown(cell)
            width = sheet.column_dimensions[cell.column_letter].width
            if text is not None and len(text) + 1 > width:
                narrow.append(f"{sheet.title}!{cell.coordinate} {text!r} in width {width}")
    return narrow


def test_trace_workbook_has_dates_names_quartier_and_room(
    monitor: Monitor,
    city,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "trace.xlsx"
    monitor.run("trace", "--district", "S01", "--year", "2024", "--xlsx", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["Übersicht", "Einzelposten", "Zeitraum"]
    summary = [[c.value for c in row] for row in book["Übersicht"].iter_rows()]
    assert summary[0] == ["Maßnahme", "Bezeichnung der Maßnahme", "Betrag"]
    assert summary[1][:2] == ["JZ-A", "Jugendzentrum A"]
    assert summary[1][2] == 26.25
    detail = book["Einzelposten"]
    header = [c.value for c in detail[1]]
    day = header.index("Buchungsdatum") + 1
    assert header[:2] == ["Maßnahme", "Bezeichnung der Maßnahme"]
    dates = [detail.cell(row=r, column=day) for r in range(2, detail.max_row + 1)]
    assert [c.value.date() for c in dates] == [date(2024, 1, 2), date(2024, 1, 3), date(2024, 1, 4)]
    assert all(c.is_date and c.number_format == "DD.MM.YYYY" for c in dates)
    assert {detail.cell(row=r, column=2).value for r in range(2, detail.max_row + 1)} == {
        "Jugendzentrum A"
    }
    period = [[c.value for c in row] for row in book["Zeitraum"].iter_rows()]
    assert period == [
        ["von", datetime(2024, 1, 1)],
        ["bis", datetime(2024, 12, 31)],
        ["Quartier", "S01"],
    ]
    words = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row}
    assert not any("Bezirk" in w for w in words)
    assert [n for sheet in book for n in too_narrow(sheet)] == []


def test_spend_workbook_says_quartier_and_what_is_not_attributed(
    monitor: Monitor,
    city,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "spend.xlsx"
    monitor.run("spend", "--year", "2024", "--xlsx", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["Ausgaben", "nicht zugeordnet", "Zeitraum"]
    assert [c.value for c in book["Ausgaben"][1]][:2] == ["Nr.", "Quartier"]
    rows = [[c.value for c in row] for row in book["nicht zugeordnet"].iter_rows()]
    assert rows == [
        ["Art", "Schlüssel", "Bezeichnung", "Betrag", "Buchungen"],
        ["ohne Maßnahme", None, None, 30, None],
        ["Maßnahme ohne Aufteilung", "PLAN", "Planung", 50, 1],
        ["Sachkonto", "529100", None, 80, 2],
        ["Produkt", "06.02.01", None, 80, 2],
        ["Kostenstelle", "36999", None, 50, 1],
        ["Kostenstelle", "99999", None, 30, 1],
    ]
    assert book["Zeitraum"]["B3"].value == "alle"
    assert [n for sheet in book for n in too_narrow(sheet)] == []


def test_the_english_workbook_has_english_sheets_and_headers(
    monitor: Monitor,
    city,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "trace-en.xlsx"
    monitor.run("--lang", "en", "trace", "--district", "S01", "--year", "2024", "--xlsx", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Items", "Period"]
    assert book["Period"]["A3"].value == "District"
    assert book["Items"]["G2"].number_format == "YYYY-MM-DD"


def test_large_amounts_and_long_names_never_show_hashes(tmp_path: Path) -> None:
    rows = [
        {"key": f"SR{n:02}", "name": "Innenstadt-Nord " * n, "amount": amount,
         "population": 123456, "per_capita": "-98765.43"}
        for n, amount in enumerate(["-123456789012.34", "999999999999.99", "0.01", "7.00"])
    ]  # fmt: skip
    document = {
        "by": "district",
        "from": "2024-01-01",
        "to": "2024-12-31",
        "rows": rows,
        "unattributed": "-987654321.00",
        "total": "1000000000000.00",
    }
    write_spend_workbook(document, tmp_path / "s.xlsx")
    book = load_workbook(tmp_path / "s.xlsx")
    assert [n for sheet in book for n in too_narrow(sheet)] == []
    # A long name is cut to 60 characters of width, not a column across the screen.
    assert book["Ausgaben"].column_dimensions["B"].width <= 62


def test_need_workbook_names_classes_in_words_and_districts_quartier(tmp_path: Path) -> None:
    document = {
        "period": "2023",
        "districts": [
            {"need_rank": 1, "key": "SR03", "name": "Nord-Düren", "population": 8673,
             "need_index": 1.93456, "need_class": "very_high", "change": -0.1234, "persistent": 3}
        ],
        "suppressed": [{"key": "SR10", "reason": "population 196 below 300"}],
    }  # fmt: skip
    write_need_workbook(document, tmp_path / "n.xlsx")
    sheet = load_workbook(tmp_path / "n.xlsx")["Bedarf 2023"]
    assert [c.value for c in sheet[1]][:3] == ["Rang", "Nr.", "Quartier"]
    assert sheet["F2"].value == "sehr hoch"
    assert sheet["E2"].number_format == "0.00"
    assert too_narrow(sheet) == []
