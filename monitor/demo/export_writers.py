"""Write synthetic postings and master data in the layouts real finance systems export.

Each writer reproduces the quirks the importer must handle (SPEC §4/§5, DOMAIN §3): title lines
above the header, header cells padded with blanks, account and document numbers stored as
numbers, unsigned amounts with a Soll/Haben indicator, German text amounts with a trailing minus,
Windows-1252 CSV, total rows at the end. Every file says SYNTHETISCHE DATEN in its first line or
in a "Hinweis" sheet, and in the workbook title.

Input postings: the frame of `monitor.demo.synthetic_city` (amount: Decimal euros, signed,
debit positive). Amounts are never floats here, except where Excel itself stores numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

SYNTHETIC = "SYNTHETISCHE DATEN"
CITY = "Synthetische Stadt nach dem Vorbild Dürens"
NOTICE = (
    f"{SYNTHETIC}: {CITY}. Alle Zahlen sind erfunden und beschreiben keine echten Stadtteile, "
    "Einrichtungen oder Personen. Erzeugt von `budget-monitor demo`."
)
COMPANY_CODE = 1000

SAP_HEADER = (
    "Buchungskreis", "Geschäftsjahr", "Belegnummer", "Position", " Buchungsdatum", "Belegdatum",
    "Sachkonto", "Kostenstelle", "Auftrag", "Text", "  Betrag in Hauswährung", "Hauswährung",
    "Soll/Haben-Kennz.",
)  # fmt: skip
JOURNAL_HEADER = (
    "Haushaltsjahr", "Belegnr.", "Buchungsdatum", "Sachkonto", "Produkt", "Kostenstelle",
    "Auftrag", "Buchungstext", "Betrag",
)  # fmt: skip
CSV_HEADER = (
    "Haushaltsjahr", "Belegnr.", "Pos.", "Buchungsdatum", "Sachkonto", "Produkt", "Kostenstelle",
    "Auftrag", "Buchungstext", "Betrag",
)  # fmt: skip
_DATE_FORMAT = "DD.MM.YYYY"


def german_amounts(amounts: Iterable[Decimal], *, trailing_minus: bool) -> list[str]:
    """`1.234,56` for debits; credits as `1.234,56-` or `-1.234,56`."""
    out = []
    for amount in amounts:
        text = format(abs(amount), ",.2f").translate(str.maketrans(",.", ".,"))
        if amount < 0:
            text = f"{text}-" if trailing_minus else f"-{text}"
        out.append(text)
    return out


def _total(postings: pd.DataFrame) -> Decimal:
    return sum(postings["amount"], Decimal("0.00"))


def _workbook(title: str, as_of: datetime) -> Workbook:
    """A write-only workbook whose properties say it is synthetic. The creation time is fixed so
    the content is a function of the data; openpyxl stamps "modified" (and the zip entries) with
    the time of writing."""
    wb = Workbook(write_only=True)
    wb.properties.title = f"{SYNTHETIC} – {title}"
    wb.properties.subject = CITY
    wb.properties.description = NOTICE
    wb.properties.creator = "budget-monitor demo (synthetisch)"
    wb.properties.created = as_of
    return wb


def _date_cell(ws: WriteOnlyWorksheet, value: date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if value is not None:
        cell.number_format = _DATE_FORMAT
    return cell


def _as_of(postings: pd.DataFrame) -> datetime:
    """When the export was made: a few days after its last booking (deterministic)."""
    last = postings["booking_date"].max() if len(postings) else pd.Timestamp("2000-01-01")
    return datetime(last.year, last.month, last.day, 7, 42) + timedelta(days=5)


def _blank(value: object) -> object:
    return None if pd.isna(value) else value


def write_sap_line_items(
    postings: pd.DataFrame, path: Path, *, selection: str | None = None
) -> Path:
    """SAP line-item list (FBL3N-style) as Excel, sheet "Export".

    Four title lines and a blank row above the header (row 6); account, document number,
    position and fiscal year stored as numbers; amount unsigned in "  Betrag in Hauswährung" with
    "S" (debit) or "H" (credit) in "Soll/Haben-Kennz."; real Excel dates; the last row is the sum
    line: "*" in Buchungskreis, "Summe" in Text, the absolute net total with its S/H.
    """
    as_of = _as_of(postings)
    first, last = postings["booking_date"].min(), postings["booking_date"].max()
    years = sorted(postings["fiscal_year"].unique())
    if selection is None:
        selection = (
            f"Selektion: Geschäftsjahr {', '.join(str(y) for y in years)}, Buchungsdatum "
            f"{first:%d.%m.%Y} bis {last:%d.%m.%Y}, Sachkonten 4*, 5*, 7*"
        )
    wb = _workbook(f"Einzelpostenliste Sachkonten {', '.join(str(y) for y in years)}", as_of)
    ws = wb.create_sheet("Export")
    ws.append([f"Einzelpostenliste Sachkonten — {SYNTHETIC}"])
    ws.append([f"Buchungskreis {COMPANY_CODE} {CITY}"])
    ws.append([selection])
    ws.append([f"Stand: {as_of:%d.%m.%Y %H:%M} — alle Beträge erfunden"])
    ws.append([])
    ws.append(list(SAP_HEADER))
    booking = postings["booking_date"].dt.date.tolist()
    shift = pd.to_timedelta(postings["document_no"].astype("int64") % 6, unit="D")
    document = (postings["booking_date"] - shift).dt.date.tolist()
    for row, b_date, d_date in zip(
        postings.itertuples(index=False), booking, document, strict=True
    ):
        amount = row.amount
        ws.append(
            [
                COMPANY_CODE,
                int(row.fiscal_year),
                int(row.document_no),
                int(row.line_no),
                _date_cell(ws, b_date),
                _date_cell(ws, d_date),
                int(row.account),
                row.cost_center,
                _blank(row.order),
                row.text,
                float(abs(amount)),
                "EUR",
                "H" if amount < 0 else "S",
            ]
        )
    total = _total(postings)
    ws.append(
        [
            "*",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "Summe",
            float(abs(total)),
            "EUR",
            "H" if total < 0 else "S",
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_journal(postings: pd.DataFrame, path: Path) -> Path:
    """Journal export of a municipal finance system as Excel, every cell text, sheet "Journal".

    A title line and a blank row above the header (row 3); no line numbers (a posting is
    identified by year, document, account, product and cost center); dates "31.12.2024";
    amounts "1.234,56", credits "1.234,56-"; a final "Summe" row with the signed total.
    """
    as_of = _as_of(postings)
    years = sorted(postings["fiscal_year"].unique())
    label = ", ".join(str(y) for y in years)
    wb = _workbook(f"Buchungsjournal {label}", as_of)
    ws = wb.create_sheet("Journal")
    ws.append([f"Buchungsjournal Haushaltsjahr {label} – {SYNTHETIC} ({CITY})"])
    ws.append([])
    ws.append(list(JOURNAL_HEADER))
    dates = postings["booking_date"].dt.strftime("%d.%m.%Y").tolist()
    amounts = german_amounts(postings["amount"], trailing_minus=True)
    for row, booked, amount in zip(postings.itertuples(index=False), dates, amounts, strict=True):
        ws.append(
            [
                str(row.fiscal_year),
                row.document_no,
                booked,
                row.account,
                row.product,
                row.cost_center,
                _blank(row.order),
                row.text,
                amount,
            ]
        )
    total = german_amounts([_total(postings)], trailing_minus=True)[0]
    ws.append(["Summe", None, None, None, None, None, None, None, total])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_journal_csv(postings: pd.DataFrame, path: Path) -> Path:
    """Journal export as CSV: `;`-separated, Windows-1252, CRLF line ends.

    Line 1 is a title, line 2 blank, line 3 the header (with "Pos."); amounts German text with a
    leading minus for credits; the last line "Gesamtsumme" with the signed total.
    """
    years = sorted(postings["fiscal_year"].unique())
    label = ", ".join(str(y) for y in years)
    dates = postings["booking_date"].dt.strftime("%d.%m.%Y").tolist()
    amounts = german_amounts(postings["amount"], trailing_minus=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            [f"Buchungsjournal Haushaltsjahr {label} – {SYNTHETIC} ({CITY}), Beträge in €"]
        )
        writer.writerow([])
        writer.writerow(CSV_HEADER)
        for row, booked, amount in zip(
            postings.itertuples(index=False), dates, amounts, strict=True
        ):
            writer.writerow(
                [
                    row.fiscal_year,
                    row.document_no,
                    row.line_no,
                    booked,
                    row.account,
                    row.product,
                    row.cost_center,
                    "" if pd.isna(row.order) else row.order,
                    row.text,
                    amount,
                ]
            )
        total = german_amounts([_total(postings)], trailing_minus=False)[0]
        writer.writerow(["Gesamtsumme", *[""] * (len(CSV_HEADER) - 2), total])
    return path


def cumulative_label(cutoff: date) -> str:
    """Label of a year-to-date export: "2024-03" for the export up to 31 March 2024."""
    return f"{cutoff.year}-{cutoff.month:02d}"


def write_cumulative_exports(
    postings: pd.DataFrame,
    folder: Path,
    *,
    fiscal_year: int,
    cutoffs: Sequence[date],
    correction: tuple[tuple[int, str, int], Decimal] | None = None,
    stem: str = "Einzelposten_Sachkonten",
) -> dict[str, Path]:
    """Year-to-date SAP exports of one fiscal year, each repeating everything before it.

    The export up to `cutoffs[i]` holds every posting of `fiscal_year` booked on or before that
    day. `correction` = (key, old_amount): the first export carries `old_amount` under `key`
    (fiscal_year, document_no, line_no), every later export the amount in `postings` — the
    corrected amount under the same key. Returns label ("2024-03") -> path, in cutoff order.
    """
    year = postings[postings["fiscal_year"] == fiscal_year]
    written: dict[str, Path] = {}
    for i, cutoff in enumerate(sorted(cutoffs)):
        part = year[year["booking_date"] <= pd.Timestamp(cutoff)].copy()
        if correction is not None and i == 0:
            key, old_amount = correction
            hit = (
                (part["fiscal_year"] == key[0])
                & (part["document_no"] == key[1])
                & (part["line_no"] == key[2])
            )
            if int(hit.sum()) != 1:
                raise ValueError(f"correction key {key} is not in the first export")
            part.loc[hit, "amount"] = old_amount
        label = cumulative_label(cutoff)
        path = folder / f"{stem}_{fiscal_year}_bis_{cutoff.month:02d}_SYNTHETISCH.xlsx"
        selection = (
            f"Selektion: Geschäftsjahr {fiscal_year}, Buchungsdatum 01.01.{fiscal_year} bis "
            f"{cutoff:%d.%m.%Y} (kumuliert), Sachkonten 4*, 5*, 7*"
        )
        written[label] = write_sap_line_items(part, path, selection=selection)
    return written


# --- master data (SPEC §5): header in row 1, a "Hinweis" sheet last -------------------------


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[object]]):
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for row in rows:
        ws.append([_date_cell(ws, v) if isinstance(v, date) else v for v in row])


def _save_with_notice(wb: Workbook, path: Path) -> Path:
    ws = wb.create_sheet("Hinweis")
    ws.append([SYNTHETIC])
    ws.append([NOTICE])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _day(value: object) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def write_districts(
    districts: pd.DataFrame, population: pd.DataFrame, path: Path, *, as_of: datetime
) -> Path:
    """Sheets "Sozialräume" (Sozialraum, Bezeichnung) and "Einwohner" (Sozialraum, Jahr,
    Einwohner)."""
    wb = _workbook("Sozialräume und Einwohner", as_of)
    _sheet(
        wb,
        "Sozialräume",
        ("Sozialraum", "Bezeichnung"),
        districts[["district", "name"]].itertuples(index=False),
    )
    _sheet(
        wb,
        "Einwohner",
        ("Sozialraum", "Jahr", "Einwohner"),
        (
            (d, int(y), int(p))
            for d, y, p in population[["district", "year", "population"]].itertuples(index=False)
        ),
    )
    return _save_with_notice(wb, path)


def write_indicators(indicators: pd.DataFrame, path: Path, *, as_of: datetime) -> Path:
    """Long format, sheet "Indikatoren": Sozialraum, Indikator (code), Zeitraum, Wert.

    Yearly periods are numbers (2016), quarters text ("2016-Q1"). Missing values are written as
    official statistics write them: "." (unknown or confidential) and "-".
    """
    symbols = iter(("." if i % 2 == 0 else "-") for i in range(len(indicators)))

    def cell(value: float) -> object:
        return next(symbols) if pd.isna(value) else float(value)

    def period(value: str) -> object:
        return int(value) if value.isdigit() else value

    rows = (
        (d, i, period(p), cell(v))
        for d, i, p, v in indicators[["district", "indicator", "period", "value"]].itertuples(
            index=False
        )
    )
    wb = _workbook("Sozialraumindikatoren", as_of)
    _sheet(wb, "Indikatoren", ("Sozialraum", "Indikator", "Zeitraum", "Wert"), rows)
    return _save_with_notice(wb, path)


def write_measures(
    measures: pd.DataFrame, allocations: pd.DataFrame, path: Path, *, as_of: datetime
) -> Path:
    """Sheets "Maßnahmen" (catalog and posting rules) and "Zuordnung" (shares per district)."""
    wb = _workbook("Maßnahmenkatalog", as_of)
    catalog = (
        (
            r.measure,
            r.name,
            r.program,
            _day(r.start),
            _day(r.end),
            _blank(r.cost_center),
            _blank(r.product),
            _blank(r.account),
            _blank(r.order),
        )
        for r in measures.itertuples(index=False)
    )
    _sheet(
        wb,
        "Maßnahmen",
        (
            "Maßnahme",
            "Bezeichnung",
            "Programm",
            "Beginn",
            "Ende",
            "Kostenstelle",
            "Produkt",
            "Sachkonto",
            "Auftrag",
        ),
        catalog,
    )
    shares = (
        (r.measure, r.district, float(r.share), _day(r.valid_from), _day(r.valid_to), r.basis)
        for r in allocations.itertuples(index=False)
    )
    _sheet(
        wb,
        "Zuordnung",
        ("Maßnahme", "Sozialraum", "Anteil", "Gültig ab", "Gültig bis", "Grundlage"),
        shares,
    )
    return _save_with_notice(wb, path)


def write_plan(plan: pd.DataFrame, measures: pd.DataFrame, path: Path, *, as_of: datetime) -> Path:
    """Budget plan in the wide layout cities publish: one row per measure, one column per year
    ("Ansatz 2024"), whole euros; empty where the measure had no budget that year."""
    years = sorted(plan["year"].unique())
    wide = plan.pivot(index="measure", columns="year", values="amount")
    names = measures.set_index("measure")["name"]
    rows = []
    for measure in measures["measure"]:
        values = wide.loc[measure] if measure in wide.index else pd.Series(dtype=object)
        rows.append(
            [measure, names[measure]]
            + [None if pd.isna(values.get(y)) else float(values.get(y)) for y in years]
        )
    wb = _workbook("Haushaltsansätze", as_of)
    _sheet(
        wb, "Haushaltsansätze", ("Maßnahme", "Bezeichnung", *(f"Ansatz {y}" for y in years)), rows
    )
    return _save_with_notice(wb, path)
