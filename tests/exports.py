"""Small export files written by the tests themselves, in the layouts finance systems produce."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

SAP_HEADER = [
    "Buchungskreis",
    "Geschäftsjahr",
    "Belegnummer",
    "Position",
    "Buchungsdatum",
    "Sachkonto",
    "Kostenstelle",
    "Auftrag",
    "Text",
    "  Betrag in Hauswährung",
    "Hauswährung",
    "Soll/Haben-Kennz.",
]
JOURNAL_HEADER = [
    "Haushaltsjahr",
    "Belegnr.",
    "Zeile",
    "Buchungsdatum",
    "Sachkonto",
    "Produkt",
    "Kostenstelle",
    "Buchungstext",
    "Betrag",
]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], sheet: str = "Export") -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], encoding: str = "cp1252", delimiter: str = ";"
) -> Path:
    text = "\r\n".join(delimiter.join("" if c is None else str(c) for c in row) for row in rows)
    path.write_bytes((text + "\r\n").encode(encoding))
    return path


def sap_export(path: Path, lines: Sequence[tuple[int, int, dt.date, str, str, str, str]]) -> Path:
    """SAP line items: (document, position, date, account, cost center, amount text, S/H).

    Title block above the header, account numbers stored as numbers, amounts as text, a sum line.
    """
    rows: list[list[object]] = [
        ["Einzelpostenliste Sachkonten"],
        ["Buchungskreis 1000 Stadt"],
        ["Selektion: Geschäftsjahr 2024"],
        [],
        SAP_HEADER,
    ]
    for document, position, day, account, cost_center, amount, marker in lines:
        rows.append(
            [
                "1000",
                2024,
                document,
                position,
                day,
                float(account),
                cost_center,
                None,
                f"Beleg {document}",
                amount,
                "EUR",
                marker,
            ]
        )
    rows.append(["*", None, None, None, None, None, None, None, None, "99.999,99", "EUR", None])
    return write_xlsx(path, rows)


def journal_rows(lines: Sequence[tuple[int, int, str, str, str, str]]) -> list[list[object]]:
    """Journal rows, everything text: (document, line, date text, account, amount text, text)."""
    rows: list[list[object]] = [["Buchungsjournal 2024"], JOURNAL_HEADER]
    for document, line, day, account, amount, text in lines:
        rows.append(
            ["2024", str(document), str(line), day, account, "06.02.01", "36050", text, amount]
        )
    rows.append(["Summe", None, None, None, None, None, None, None, None])
    return rows
