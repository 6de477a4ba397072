"""`budget-monitor template KIND OUT.xlsx`: an empty master-data workbook to fill in.

Each template has the data sheets with German headers (the names the importers look for
first), one example row (two in the allocations sheet, to show shares that sum to 1), and an
"Anleitung" sheet that explains every column in German and English. A template written here
imports without errors: the tests write each one and parse it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

TEMPLATE_KINDS = ("districts", "indicators", "measures", "plan")
INSTRUCTIONS_SHEET = "Anleitung"
_REQUIRED = "ja / yes"
_OPTIONAL = "nein / no"


@dataclass(frozen=True)
class _Column:
    header: str
    required: str
    german: str
    english: str
    number_format: str | None = None


@dataclass(frozen=True)
class _Sheet:
    name: str
    columns: tuple[_Column, ...]
    examples: tuple[tuple[object, ...], ...]


_CODE_NOTE_DE = "Text; als Text formatieren, damit führende Nullen bleiben"
_CODE_NOTE_EN = "text; format the column as text to keep leading zeros"
_DISTRICT = _Column(
    "Sozialraum",
    _REQUIRED,
    f"Kennung des Sozialraums, z. B. S01 ({_CODE_NOTE_DE}). Auch: Bezirk, Stadtteil, Kennziffer.",
    f"District code, e.g. S01 ({_CODE_NOTE_EN}). Also: district, Bezirk, Stadtteil, Kennziffer.",
)
_DATE = "DD.MM.YYYY"


def _rule(header: str, german: str, english: str) -> _Column:
    return _Column(
        header,
        "mind. eine / at least one",
        f"Buchungsregel: {german}. Mehrere Werte mit Komma trennen; ein * am Ende passt auf "
        "jeden Wert, der so beginnt (3606* passt auf 36061). Eine Buchung gehört zur "
        "Maßnahme, wenn alle ausgefüllten Regelspalten passen.",
        f"Posting rule: {english}. Separate alternatives by commas; a trailing * matches every "
        "value starting so (3606* matches 36061). A posting belongs to the measure when every "
        "filled rule column matches.",
    )


def _sheets(kind: str, year: int) -> tuple[_Sheet, ...]:
    if kind == "districts":
        return (
            _Sheet(
                "Sozialräume",
                (
                    _DISTRICT,
                    _Column("Bezeichnung", _REQUIRED, "Name des Sozialraums.", "District name."),
                ),
                (("S01", "Nord (Beispiel)"),),
            ),
            _Sheet(
                "Einwohner",
                (
                    _DISTRICT,
                    _Column(
                        "Jahr", _REQUIRED, "Jahr des Bestands (31.12.).", "Year (stock at 31 Dec)."
                    ),
                    _Column(
                        "Einwohner",
                        _REQUIRED,
                        "Einwohnerzahl, ganze Zahl (8200 oder 8.200).",
                        "Number of inhabitants, a whole number (8200 or 8.200).",
                    ),
                ),
                (("S01", year - 1, 4200),),
            ),
        )
    if kind == "indicators":
        return (
            _Sheet(
                "Indikatoren",
                (
                    _DISTRICT,
                    _Column(
                        "Indikator",
                        _REQUIRED,
                        "Kennung des Indikators wie in den Einstellungen ([indicators.KENNUNG]), "
                        "z. B. sgb2_quote, oder einer seiner Spaltennamen.",
                        "Indicator code as in the settings ([indicators.CODE]), e.g. sgb2_quote, "
                        "or one of its column aliases.",
                    ),
                    _Column(
                        "Zeitraum",
                        _REQUIRED,
                        "Jahr (2024), Quartal (2024-Q3), Monat (2024-03) oder Stichtag "
                        "(31.12.2024: der Zeitraum, der ihn enthält).",
                        "Year (2024), quarter (2024-Q3), month (2024-03) or a reference date "
                        "(31.12.2024: the period that contains it).",
                    ),
                    _Column(
                        "Wert",
                        _OPTIONAL,
                        "Zahl (12,5). Leer oder -, ., x, /, … bedeutet: fehlt (nie 0).",
                        "Number (12,5 or 12.5). Empty or -, ., x, /, … means missing (never 0).",
                    ),
                ),
                (("S01", "sgb2_quote", str(year - 1), 18.5),),
            ),
        )
    if kind == "measures":
        return (
            _Sheet(
                "Maßnahmen",
                (
                    _Column(
                        "Maßnahme",
                        _REQUIRED,
                        "Kennung der Maßnahme, z. B. JZ-A. Eine Kennung darf mehrmals "
                        "vorkommen, wenn sich ihre Regeln ändern; die Zeiträume (Beginn–Ende) "
                        "dürfen sich dann nicht überschneiden.",
                        "Measure code, e.g. JZ-A. A code may appear in several rows when its "
                        "rules change; their windows (start–end) must not overlap.",
                    ),
                    _Column("Bezeichnung", _REQUIRED, "Name der Maßnahme.", "Measure name."),
                    _Column(
                        "Programm",
                        _OPTIONAL,
                        "Programm, zu dem die Maßnahme gehört. Leer: die Maßnahme ist ihr "
                        "eigenes Programm.",
                        "Program the measure belongs to. Empty: the measure is its own program.",
                    ),
                    _Column(
                        "Beginn",
                        _OPTIONAL,
                        "Erster Tag (leer = offen).",
                        "First day (empty = open).",
                        _DATE,
                    ),
                    _Column(
                        "Ende",
                        _OPTIONAL,
                        "Letzter Tag (leer = offen).",
                        "Last day (empty = open).",
                        _DATE,
                    ),
                    _rule("Kostenstelle", "Kostenstelle", "cost center"),
                    _rule("Produkt", "Produkt", "product"),
                    _rule("Sachkonto", "Sachkonto", "account"),
                    _rule("Auftrag", "Innenauftrag", "internal order"),
                ),
                (
                    (
                        "JZ-A",
                        "Jugendzentrum Nord (Beispiel)",
                        "Jugendzentren",
                        dt.date(year, 1, 1),
                        None,
                        "36050",
                        None,
                        "5291*, 5431*",
                        None,
                    ),
                ),
            ),
            _Sheet(
                "Zuordnung",
                (
                    _Column(
                        "Maßnahme",
                        _REQUIRED,
                        "Kennung aus dem Blatt Maßnahmen.",
                        "Measure code from sheet Maßnahmen.",
                    ),
                    _DISTRICT,
                    _Column(
                        "Anteil",
                        _REQUIRED,
                        "Anteil des Sozialraums an den Ausgaben: 0,5 oder 50 %. Die an einem "
                        "Tag gültigen Anteile einer Maßnahme ergeben zusammen 1 (100 %). Ohne "
                        "Zuordnung bleiben die Ausgaben keinem Sozialraum zugeordnet.",
                        "The district's share of the spending: 0,5 or 50 %. The shares of a "
                        "measure valid on one day sum to 1 (100 %). Without any row the "
                        "spending is not attributed to a district.",
                        "0%",
                    ),
                    _Column(
                        "Gültig ab",
                        _OPTIONAL,
                        "Erster Tag (leer = offen).",
                        "Valid from (empty = open).",
                        _DATE,
                    ),
                    _Column(
                        "Gültig bis",
                        _OPTIONAL,
                        "Letzter Tag (leer = offen).",
                        "Valid to (empty = open).",
                        _DATE,
                    ),
                    _Column(
                        "Grundlage",
                        _OPTIONAL,
                        "Warum dieser Anteil: Einzugsbereich, Wohnort der Teilnehmenden, Fläche …",
                        "Why this share: catchment, participants' residence, floor area …",
                    ),
                ),
                (
                    ("JZ-A", "S01", 0.6, dt.date(year, 1, 1), None, "Einzugsbereich (Beispiel)"),
                    ("JZ-A", "S02", 0.4, dt.date(year, 1, 1), None, "Einzugsbereich (Beispiel)"),
                ),
            ),
        )
    if kind == "plan":
        amount = "#,##0.00"
        return (
            _Sheet(
                "Haushaltsansätze",
                (
                    _Column(
                        "Maßnahme",
                        "eine davon / one of them",
                        "Kennung der Maßnahme (oder stattdessen das Produkt).",
                        "Measure code (or the product instead).",
                    ),
                    _Column(
                        "Produkt",
                        "eine davon / one of them",
                        "Produkt des Haushalts.",
                        "Budget product.",
                    ),
                    *(
                        _Column(
                            f"Ansatz {y}",
                            _OPTIONAL,
                            f"Haushaltsansatz {y} in Euro (1.234,56). Weitere Jahre als weitere "
                            "Spalten (Ansatz 2027, Plan 2027 oder 2027). Spalten wie "
                            "'Ergebnis 2023' oder 'Ist 2023' werden nicht eingelesen.",
                            f"Budgeted amount {y} in euros. More years as more columns (Ansatz "
                            "2027, Plan 2027 or 2027). Columns such as 'Ergebnis 2023' or "
                            "'Ist 2023' (actuals) are ignored.",
                            amount,
                        )
                        for y in (year, year + 1)
                    ),
                ),
                (("JZ-A", None, 120000.0, 125000.0),),
            ),
        )
    raise ValueError(f"unknown template {kind!r}; choose one of {', '.join(TEMPLATE_KINDS)}")


_GENERAL = (
    (
        "Spaltennamen: Groß-/Kleinschreibung, Leerzeichen, Punkte und Bindestriche zählen nicht; "
        "deutsche oder englische Namen. Zeilen über der Kopfzeile (Titel) sind erlaubt.",
        "Column names: case, spaces, dots and hyphens do not matter; German or English names. "
        "Title lines above the header row are allowed.",
    ),
    (
        "Zeilen, die mit 'Summe' oder 'Gesamt' beginnen, werden übersprungen.",
        "Rows starting with 'Summe' or 'Gesamt' (totals) are skipped.",
    ),
    (
        "Die Beispielzeilen ersetzen oder löschen. Jeder Import legt eine neue Version an.",
        "Replace or delete the example rows. Every import creates a new version.",
    ),
)


def write_template(kind: str, out: Path, *, today: dt.date | None = None) -> None:
    """Write the template workbook of `kind` (one of TEMPLATE_KINDS) to `out`.

    today: fixes the example years (default: the current date), for reproducible files.
    """
    year = (today or dt.date.today()).year
    sheets = _sheets(kind, year)
    workbook = Workbook()
    default = workbook.active
    for sheet in sheets:
        _write_data_sheet(workbook.create_sheet(sheet.name), sheet)
    _write_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), kind, sheets)
    if default is not None:
        workbook.remove(default)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)


def _write_data_sheet(ws: Worksheet, sheet: _Sheet) -> None:
    ws.append([c.header for c in sheet.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for example in sheet.examples:
        ws.append(list(example))
        for column, cell in zip(sheet.columns, ws[ws.max_row], strict=True):
            if column.number_format and cell.value is not None:
                cell.number_format = column.number_format
            elif isinstance(cell.value, str):
                cell.number_format = "@"
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[ws.cell(1, index).column_letter].width = max(
            14, len(column.header) + 4
        )
    ws.freeze_panes = "A2"


def _write_instructions(ws: Worksheet, kind: str, sheets: Sequence[_Sheet]) -> None:
    ws.append([f"Vorlage / template: {kind}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Bitte die Datenblätter ausfüllen. / Please fill in the data sheets."])
    ws.append([])
    ws.append(["Blatt / sheet", "Spalte / column", "Pflicht / required", "Bedeutung", "Meaning"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for sheet in sheets:
        for column in sheet.columns:
            ws.append([sheet.name, column.header, column.required, column.german, column.english])
    ws.append([])
    for german, english in _GENERAL:
        ws.append(["Hinweis / note", None, None, german, english])
    widths = {"A": 18, "B": 18, "C": 22, "D": 70, "E": 70}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in row[3:5]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
