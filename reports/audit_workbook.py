"""Excel workbooks for auditors: a summary sheet and a detail sheet they can filter.

Amounts are real numbers with a euro format (exact: written from Decimal), booking dates real
Excel dates (sortable, filterable by month), the header row is frozen and filtered, and text
that Excel would read as a formula (`=`, `+`, `-`, `@`) is stored as text with Excel's quote
prefix, so that a booking text can never run as a formula. Every word comes from the catalogue
(sheet names, headers, need classes), districts are "Quartier" throughout as in the report, and
measures carry their names beside their codes. A column is as wide as its widest number or date
as Excel shows it, so no cell shows `####`.

A text longer than an Excel cell holds (32,767 characters, e.g. a long booking text) is cut
visibly: its cell ends in the catalogue's note with the full length ("… [gekürzt: 40.000
Zeichen]"), and the first sheet names every cut cell, so nobody takes a cut text for the whole.
The full text stays in the ledger and in the command's JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.formatting import LocaleFormat
from reports.messages import Messages
from reports.unattributed_words import DIMENSIONS, code_words

EURO = '#,##0.00 "€";-#,##0.00 "€"'
# Excel shows a date in the format stored with it, whatever the reader's locale.
DATE_FORMATS = {"de": "DD.MM.YYYY", "en": "YYYY-MM-DD"}
INDEX = "0.00"
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


def _unverified_note(workbook: Workbook, document: dict[str, Any], t: Messages) -> None:
    """Figures computed with `--unverified` from a ledger that did not verify: a bold red line
    below the table of every sheet, as the PDF carries its banner on every page."""
    if not document.get("unverified"):
        return
    text = t("workbook.unverified", count=len(document.get("verify_problems", ())))
    for sheet in workbook.worksheets:
        cell = sheet.cell(row=sheet.max_row + 2, column=1, value=text)
        cell.font = Font(bold=True, color="C00000")


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
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMATS[cuts.lang if cuts else "de"]
        return
    if isinstance(value, str):
        value = (cuts or _Cuts()).fit(sheet, row, column, value)
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def shown_width(value: Any, money: bool) -> int:
    """How many characters Excel needs to show `value` in this workbook's formats: an amount
    with thousands separators, sign and " €"; a date as DD.MM.YYYY; an index with two decimals.
    A column narrower than that shows `####`."""
    if value is None:
        return 0
    if money:
        return len(f"{Decimal(str(value)):,.2f}") + 2
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return len(str(value))


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
            if isinstance(value, float):
                sheet.cell(row=number, column=column).number_format = INDEX
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    for column, title in enumerate(header, start=1):
        values = [r[column - 1] for r in rows]
        # Numbers and dates show `####` when the column is too narrow: measure every one.
        # Text only spills into the next cell: the first rows say enough, up to 60 characters.
        numbers = [v for v in values if not isinstance(v, str) or column in money_columns]
        texts = [v for v in values[:500] if isinstance(v, str) and column not in money_columns]
        width = max(
            [
                len(title) + 3,  # bold, and the filter button beside it
                *(shown_width(v, column in money_columns) + 2 for v in numbers),
                *(min(60, len(v)) + 2 for v in texts),
            ]
        )
        sheet.column_dimensions[get_column_letter(column)].width = width


def write_spend_workbook(document: dict[str, Any], path: Path, lang: str = "de") -> None:
    """The `spend` document: one row per district, measure or programme with the unattributed
    and total lines, and a sheet saying what the unattributed amount is."""
    t, cuts = Messages(lang), _Cuts(lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t("workbook.sheet.spending")
    by = document["by"]
    if by == "district":
        header = [
            t("spending.col_key"),
            t("spending.col_district"),
            t("workbook.col.amount"),
            t("spending.col_population"),
            t("spending.col_per_capita"),
        ]
    else:
        key = t("workbook.col.measure" if by == "measure" else "workbook.col.program")
        name = t("workbook.col.measure_name" if by == "measure" else "workbook.col.name")
        header = [key, name, t("workbook.col.amount"), t("workbook.col.plan")]
    extra = len(header) - 3
    rows = [
        [
            r["key"],
            r["name"],
            r["amount"],
            *([r["population"], r["per_capita"]] if by == "district" else [r["plan"]]),
        ]
        for r in document["rows"]
    ]
    rows.append(["", t("spending.unattributed_row"), document["unattributed"], *[None] * extra])
    rows.append(["", t("spending.total_row"), document["total"], *[None] * extra])
    money = {3, 5} if by == "district" else {3, 4}
    _table(sheet, header, rows, money, cuts)
    if "unattributed_breakdown" in document:
        _unattributed_sheet(workbook, document["unattributed_breakdown"], t, cuts)
    _period_sheet(workbook, document, t, cuts)
    cuts.note(workbook)
    _unverified_note(workbook, document, t)
    workbook.save(path)


def _unattributed_sheet(
    workbook: Workbook, breakdown: dict[str, Any], t: Messages, cuts: _Cuts
) -> None:
    """Every code of the unattributed amount (`ledger.unattributed`): the postings without a
    measure, each measure without allocation by name, then every account, product and cost
    centre, largest first; each of these groups sums to the unattributed amount."""
    rows: list[list[Any]] = [
        [t("workbook.unattributed.no_measure"), "", "", breakdown["no_measure"], None]
    ]
    rows += [
        [t("workbook.unattributed.measure"), m["measure"], m["name"], m["amount"], m["postings"]]
        for m in breakdown["measures_without_allocation"]
    ]
    for key in DIMENSIONS:
        rows += [
            [t(f"unattributed.{key}"), code_words(i["key"], t), "", i["amount"], i["postings"]]
            for i in breakdown[key]
        ]
    header = ["kind", "code", "name", "amount", "postings"]
    sheet = workbook.create_sheet(t("unattributed.sheet"))
    _table(sheet, [t(f"workbook.col.{h}") for h in header], rows, {4}, cuts)


def write_trace_workbook(document: dict[str, Any], path: Path, lang: str = "de") -> None:
    """The trace (SPEC §6): per measure (code and name) on the summary sheet, every allocated
    posting with its source file and row on the detail sheet; texts over CELL_LIMIT cut with a
    note."""
    t, cuts = Messages(lang), _Cuts(lang)
    workbook = Workbook()
    summary = workbook.active
    summary.title = t("workbook.sheet.summary")
    by_measure: dict[str, Decimal] = {}
    names: dict[str, str | None] = {}
    for item in document["items"]:
        code = item["measure"]
        by_measure[code] = by_measure.get(code, Decimal(0)) + Decimal(item["allocated"])
        names[code] = item.get("measure_name")
    rows = [[m, names[m], str(v)] for m, v in sorted(by_measure.items())]
    rows.append([t("spending.total_row"), None, document["total"]])
    header = ["measure", "measure_name", "amount"]
    _table(summary, [t(f"workbook.col.{h}") for h in header], rows, {3}, cuts)
    detail = workbook.create_sheet(t("workbook.sheet.detail"))
    header = [
        "measure",
        "measure_name",
        "share",
        "basis",
        "allocated",
        "posting_amount",
        "booking_date",
        "fiscal_year",
        "document_no",
        "line_no",
        "account",
        "cost_center",
        "product",
        "order",
        "text",
        "batch",
        "file",
        "sha256",
        "sheet",
        "source_row",
    ]
    detail_rows = [
        [
            i["measure"],
            i.get("measure_name"),
            Decimal(i["share"]),
            i.get("basis"),
            i["allocated"],
            i["posting"]["amount"],
            date.fromisoformat(i["posting"]["booking_date"]),
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
    _table(detail, [t(f"workbook.col.{h}") for h in header], detail_rows, {5, 6}, cuts)
    _period_sheet(workbook, document, t, cuts)
    cuts.note(workbook)
    _unverified_note(workbook, document, t)
    workbook.save(path)


def _period_sheet(workbook: Workbook, document: dict[str, Any], t: Messages, cuts: _Cuts) -> None:
    """From, to (real dates) and the district ("alle" for a `spend` workbook)."""
    sheet = workbook.create_sheet(t("workbook.sheet.period"))
    lines = [
        (t("workbook.period.from"), date.fromisoformat(document["from"])),
        (t("workbook.period.to"), date.fromisoformat(document["to"])),
        (t("spending.col_district"), document.get("district") or t("workbook.period.all")),
    ]
    for row, (label, value) in enumerate(lines, start=1):
        _put(sheet, row, 1, label, cuts=cuts)
        _put(sheet, row, 2, value, cuts=cuts)
    sheet.column_dimensions["A"].width = max(len(label) for label, _ in lines) + 2
    sheet.column_dimensions["B"].width = max(shown_width(v, False) for _, v in lines) + 2


def write_need_workbook(document: dict[str, Any], path: Path, lang: str = "de") -> None:
    """The need table (SPEC §7 `need`) with its suppressed districts and their reasons; need
    classes in words."""
    t, cuts = Messages(lang), _Cuts(lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t("workbook.sheet.need", period=document["period"])
    rows = [
        [
            r["need_rank"],
            r["key"],
            r["name"],
            r["population"],
            r["need_index"],
            t(f"need_class.{r['need_class']}") if r["need_class"] else None,
            r["change"],
            r["persistent"],
        ]
        for r in document["districts"]
    ]
    header = [
        t("workbook.col.rank"),
        t("spending.col_key"),
        t("spending.col_district"),
        t("spending.col_population"),
        t("workbook.col.need_index"),
        t("spending.col_need_class"),
        t("workbook.col.change"),
        t("workbook.col.persistent"),
    ]
    _table(sheet, header, rows, set(), cuts)
    hidden = workbook.create_sheet(t("workbook.sheet.suppressed"))
    _table(
        hidden,
        [t("spending.col_key"), t("workbook.col.reason")],
        [[s["key"], s["reason"]] for s in document["suppressed"]],
        set(),
        cuts,
    )
    cuts.note(workbook)
    _unverified_note(workbook, document, t)
    workbook.save(path)
