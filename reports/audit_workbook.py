"""Excel workbooks for auditors: a summary sheet and a detail sheet they can filter.

Amounts are real numbers with a euro format (exact: written from Decimal), the header row is
frozen and filtered, and text that Excel would read as a formula (`=`, `+`, `-`, `@`) is stored
as text with Excel's quote prefix, so that a booking text can never run as a formula.

A text longer than an Excel cell holds (32,767 characters, e.g. a long booking text) is cut
visibly: its cell ends in the catalogue's note with the full length ("… [gekürzt: 40.000
Zeichen]"), and the first sheet names every cut cell, so nobody takes a cut text for the whole.
The full text stays in the ledger and in the command's JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.formatting import LocaleFormat
from reports.messages import Messages

EURO = '#,##0.00 "€";-#,##0.00 "€"'
_FORMULA_STARTS = ("=", "+", "-", "@")
# The most characters an Excel cell holds (Excel's specifications and limits).
CELL_LIMIT = 32_767


@dataclass
class _Cuts:
    """The workbook's language, and the cells whose text was cut to CELL_LIMIT ("Sheet!N2")."""

    lang: str = "de"
    cells: list[str] = field(default_factory=list)

    def fit(self, sheet: Worksheet, row: int, column: int, text: str) -> str:
        """`text` as it fits a cell: cut, and ending in a note with its full length."""
        if len(text) <= CELL_LIMIT:
            return text
        note = Messages(self.lang)(
            "workbook.cut", length=LocaleFormat(self.lang).integer(len(text))
        )
        self.cells.append(f"{sheet.title}!{get_column_letter(column)}{row}")
        return text[: CELL_LIMIT - len(note)] + note

    def note(self, workbook: Workbook) -> None:
        """A line on the first sheet, two rows below its table, naming every cut cell."""
        if not self.cells:
            return
        sheet = workbook.worksheets[0]
        text = Messages(self.lang)(
            "workbook.cut_summary",
            n=LocaleFormat(self.lang).integer(len(self.cells)),
            limit=LocaleFormat(self.lang).integer(CELL_LIMIT),
            cells=", ".join(self.cells),
        )
        cell = sheet.cell(row=sheet.max_row + 2, column=1, value=text)
        cell.font = Font(bold=True)


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: Any,
    money: bool = False,
    cuts: _Cuts | None = None,
) -> None:
    cell = sheet.cell(row=row, column=column)
    if money and value is not None:
        cell.value = Decimal(str(value))
        cell.number_format = EURO
        return
    if isinstance(value, str):
        value = (cuts or _Cuts()).fit(sheet, row, column, value)
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _table(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    money_columns: set[int],
    cuts: _Cuts | None = None,
) -> None:
    for column, title in enumerate(header, start=1):
        _put(sheet, 1, column, title)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _put(sheet, number, column, value, money=column in money_columns, cuts=cuts)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    for column, title in enumerate(header, start=1):
        width = max([len(str(title)), *(len(str(r[column - 1] or "")) for r in rows[:500])])
        sheet.column_dimensions[get_column_letter(column)].width = min(60, width + 2)


def write_spend_workbook(document: dict[str, Any], path: Path, lang: str = "de") -> None:
    cuts = _Cuts(lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ausgaben"
    by = document["by"]
    extra = ["Einwohner", "Euro je Einwohner"] if by == "district" else ["Plan"]
    rows = [
        [
            r["key"],
            r["name"],
            r["amount"],
            *([r["population"], r["per_capita"]] if by == "district" else [r["plan"]]),
        ]
        for r in document["rows"]
    ]
    rows.append(["", "nicht zugeordnet", document["unattributed"], *([None] * len(extra))])
    rows.append(["", "Summe", document["total"], *([None] * len(extra))])
    money = {3, 5} if by == "district" else {3, 4}
    _table(sheet, ["Schlüssel", "Bezeichnung", "Betrag", *extra], rows, money, cuts)
    _period_sheet(workbook, document)
    cuts.note(workbook)
    workbook.save(path)


def write_trace_workbook(document: dict[str, Any], path: Path, lang: str = "de") -> None:
    """The trace (SPEC §6): per measure on the summary sheet, every allocated posting with its
    source file and row on the detail sheet; texts over CELL_LIMIT cut with a note."""
    cuts = _Cuts(lang)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Übersicht"
    by_measure: dict[str, Decimal] = {}
    for item in document["items"]:
        by_measure[item["measure"]] = by_measure.get(item["measure"], Decimal(0)) + Decimal(
            item["allocated"]
        )
    rows = [[m, str(v)] for m, v in sorted(by_measure.items())]
    rows.append(["Summe", document["total"]])
    _table(summary, ["Maßnahme", "Betrag"], rows, {2}, cuts)
    detail = workbook.create_sheet("Einzelposten")
    header = [
        "Maßnahme",
        "Anteil",
        "Grundlage",
        "zugeordnet",
        "Buchungsbetrag",
        "Buchungsdatum",
        "Haushaltsjahr",
        "Belegnummer",
        "Zeile",
        "Sachkonto",
        "Kostenstelle",
        "Produkt",
        "Auftrag",
        "Buchungstext",
        "Stapel",
        "Datei",
        "SHA-256",
        "Blatt",
        "Zeile in Datei",
    ]
    detail_rows = [
        [
            i["measure"],
            Decimal(i["share"]),
            i.get("basis"),
            i["allocated"],
            i["posting"]["amount"],
            i["posting"]["booking_date"],
            i["posting"]["fiscal_year"],
            i["posting"]["document_no"],
            i["posting"]["line_no"],
            i["posting"]["account"],
            i["posting"]["cost_center"],
            i["posting"]["product"],
            i["posting"].get("order"),
            i["posting"].get("text"),
            i["source"]["batch"],
            i["source"]["file"],
            i["source"]["sha256"],
            i["source"]["sheet"],
            i["source"]["row"],
        ]
        for i in document["items"]
    ]
    _table(detail, header, detail_rows, {4, 5}, cuts)
    _period_sheet(workbook, document)
    cuts.note(workbook)
    workbook.save(path)


def _period_sheet(workbook: Workbook, document: dict[str, Any]) -> None:
    sheet = workbook.create_sheet("Zeitraum")
    for row, (label, value) in enumerate(
        [
            ("von", document["from"]),
            ("bis", document["to"]),
            ("Bezirk", document.get("district", "alle")),
        ],
        start=1,
    ):
        _put(sheet, row, 1, label)
        _put(sheet, row, 2, value)


def write_need_workbook(document: dict[str, Any], path: Path, lang: str = "de") -> None:
    """The need table (SPEC §7 `need`) with its suppressed districts and their reasons."""
    cuts = _Cuts(lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Bedarf {document['period']}"
    rows = [
        [
            r["need_rank"],
            r["key"],
            r["name"],
            r["population"],
            r["need_index"],
            r["need_class"],
            r["change"],
            r["persistent"],
        ]
        for r in document["districts"]
    ]
    _table(
        sheet,
        [
            "Rang",
            "Schlüssel",
            "Bezeichnung",
            "Einwohner",
            "Bedarfsindex",
            "Klasse",
            "Veränderung",
            "Perioden hoher Bedarf",
        ],
        rows,
        set(),
        cuts,
    )
    hidden = workbook.create_sheet("Unterdrückt")
    _table(
        hidden,
        ["Schlüssel", "Grund"],
        [[s["key"], s["reason"]] for s in document["suppressed"]],
        set(),
        cuts,
    )
    cuts.note(workbook)
    workbook.save(path)
