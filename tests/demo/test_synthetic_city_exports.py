"""The synthetic city's files: the layouts of SPEC §4/§5, labelled synthetic, exact to the cent."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from monitor.demo import SyntheticCity, build_city, write_city
from monitor.demo.export_writers import (
    CSV_HEADER,
    JOURNAL_HEADER,
    SAP_HEADER,
    write_indicators,
    write_journal,
    write_journal_csv,
    write_sap_line_items,
)


@pytest.fixture(scope="module")
def city() -> SyntheticCity:
    return build_city(0)


@pytest.fixture(scope="module")
def files(city: SyntheticCity, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_city(city, tmp_path_factory.mktemp("city"))


def _rows(path: Path, sheet: str | None = None) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def _german(text: str) -> Decimal:
    """'1.234,56', '-1.234,56' or '1.234,56-' as a signed Decimal."""
    negative = text.startswith("-") or text.endswith("-")
    value = Decimal(text.strip("-").replace(".", "").replace(",", "."))
    return -value if negative else value


def _year(city: SyntheticCity, year: int) -> pd.DataFrame:
    return city.postings[city.postings["fiscal_year"] == year]


def _total(frame: pd.DataFrame) -> Decimal:
    return sum(frame["amount"], Decimal("0.00"))


def _years_with(city: SyntheticCity, layout: str) -> list[int]:
    return [y for y, name in city.export_layouts.items() if name == layout]


def test_write_city_writes_every_file_in_import_order(
    city: SyntheticCity, files: dict[str, Path]
) -> None:
    last = city.years[-1]
    expected = ["readme", "districts", "indicators", "measures", "plan"]
    expected += [f"postings_{y}" for y in city.years[:-1]]
    expected += [f"postings_{last}_{m:02d}" for m in (3, 6, 9, 12)]
    assert list(files) == expected
    assert all(path.is_file() for path in files.values())


def test_every_file_says_it_is_synthetic(files: dict[str, Path]) -> None:
    for name, path in files.items():
        if path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            assert "SYNTHETISCHE DATEN" in (wb.properties.title or ""), name
            # exports: in the title line; master data: in a "Hinweis" sheet after the data
            ws = wb["Hinweis"] if "Hinweis" in wb.sheetnames else wb.worksheets[0]
            first_cell = next(ws.iter_rows(max_row=1, max_col=1, values_only=True))[0]
            wb.close()
            assert "SYNTHETISCHE DATEN" in first_cell, name
        else:
            encoding = "cp1252" if path.suffix == ".csv" else "utf-8"
            first_line = path.read_text(encoding=encoding).splitlines()[0]
            assert "SYNTHETISCHE DATEN" in first_line, name
        if name.startswith("postings"):
            assert "SYNTHETISCH" in path.name


def test_sap_line_items_round_trip_to_the_cent(city: SyntheticCity, files: dict[str, Path]) -> None:
    for year in _years_with(city, "sap"):
        rows = _rows(files[f"postings_{year}"])
        assert rows[0][0].startswith("Einzelpostenliste Sachkonten — SYNTHETISCHE DATEN")
        assert rows[1][0].startswith("Buchungskreis")
        assert rows[2][0].startswith("Selektion")
        assert all(c is None for c in rows[4])
        header = rows[5]
        assert header == SAP_HEADER
        assert header[10] == "  Betrag in Hauswährung"  # padded like SAP does
        data, sum_line = rows[6:-1], rows[-1]
        assert len(data) == len(_year(city, year))
        total = Decimal("0.00")
        for row in data:
            assert isinstance(row[6], int)  # account stored as a number
            assert isinstance(row[2], int)  # document number too
            assert isinstance(row[4], dt.datetime) and isinstance(row[5], dt.datetime)
            assert row[10] >= 0 and row[12] in ("S", "H")
            amount = Decimal(str(row[10])).quantize(Decimal("0.01"))
            total += -amount if row[12] == "H" else amount
        assert total == _total(_year(city, year))
        assert sum_line[0] == "*" and sum_line[9] == "Summe"
        stated = Decimal(str(sum_line[10])).quantize(Decimal("0.01"))
        assert (-stated if sum_line[12] == "H" else stated) == total


def test_sap_rows_carry_each_posting_unchanged(city: SyntheticCity, files: dict[str, Path]) -> None:
    year = _years_with(city, "sap")[0]
    rows = _rows(files[f"postings_{year}"])[6:-1]
    read = pd.DataFrame(
        {
            "document_no": [str(r[2]) for r in rows],
            "line_no": [r[3] for r in rows],
            "booking_date": [pd.Timestamp(r[4]) for r in rows],
            "account": [str(r[6]) for r in rows],
            "cost_center": [r[7] for r in rows],
            "order": [r[8] for r in rows],
            "text": [r[9] for r in rows],
        }
    )
    written = _year(city, year).reset_index(drop=True)
    for column in ("document_no", "line_no", "account", "cost_center", "text"):
        assert read[column].tolist() == written[column].tolist(), column
    assert read["booking_date"].tolist() == written["booking_date"].tolist()
    assert read["order"].fillna("").tolist() == written["order"].fillna("").tolist()


def test_journal_xlsx_is_all_text_with_trailing_minus(
    city: SyntheticCity, files: dict[str, Path]
) -> None:
    for year in _years_with(city, "journal"):
        rows = _rows(files[f"postings_{year}"])
        assert "SYNTHETISCHE DATEN" in rows[0][0]
        assert rows[2] == JOURNAL_HEADER
        data, sum_line = rows[3:-1], rows[-1]
        assert len(data) == len(_year(city, year))
        assert all(isinstance(c, str) for r in data for c in r if c is not None)
        assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", r[2]) for r in data)
        amounts = [r[8] for r in data]
        assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{2}-?", a) for a in amounts)
        assert any(a.endswith("-") for a in amounts)
        total = sum((_german(a) for a in amounts), Decimal("0.00"))
        assert total == _total(_year(city, year))
        assert sum_line[0] == "Summe" and _german(sum_line[8]) == total


def test_journal_csv_is_windows_1252_with_a_grand_total(
    city: SyntheticCity, files: dict[str, Path]
) -> None:
    for year in _years_with(city, "csv"):
        raw = files[f"postings_{year}"].read_bytes()
        assert b"\r\n" in raw
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # umlauts are single Windows-1252 bytes
        text = raw.decode("cp1252")
        assert "ü" in text and "Ü" in text
        lines = list(csv.reader(text.splitlines(), delimiter=";"))
        assert lines[1] == []
        assert tuple(lines[2]) == CSV_HEADER
        data, total_line = lines[3:-1], lines[-1]
        assert len(data) == len(_year(city, year))
        assert any(r[9].startswith("-") for r in data)
        total = sum((_german(r[9]) for r in data), Decimal("0.00"))
        assert total == _total(_year(city, year))
        assert total_line[0] == "Gesamtsumme" and _german(total_line[-1]) == total


def _sap_amounts(path: Path) -> dict[tuple[int, str, int], Decimal]:
    amounts = {}
    for row in _rows(path)[6:-1]:
        amount = Decimal(str(row[10])).quantize(Decimal("0.01"))
        amounts[(row[1], str(row[2]), row[3])] = -amount if row[12] == "H" else amount
    return amounts


def test_cumulative_exports_overlap_and_carry_one_correction(
    city: SyntheticCity, files: dict[str, Path]
) -> None:
    last = city.years[-1]
    exports = [_sap_amounts(files[f"postings_{last}_{m:02d}"]) for m in (3, 6, 9, 12)]
    c = city.correction
    for earlier, later in itertools.pairwise(exports):
        assert set(earlier) < set(later)  # every later export repeats the earlier one
    assert exports[0][c.key] == c.old_amount
    for export in exports[1:]:
        assert export[c.key] == c.new_amount
    changed = [k for k in exports[0] if exports[0][k] != exports[1][k]]
    assert changed == [c.key]  # exactly one correction, everything else identical
    final = _year(city, last)
    assert len(exports[-1]) == len(final)
    assert sum(exports[-1].values(), Decimal("0.00")) == _total(final)
    by_cutoff = final[final["booking_date"] <= pd.Timestamp(city.cumulative_cutoffs[1])]
    assert len(exports[1]) == len(by_cutoff)


def test_master_data_files_use_the_spec_headers(
    city: SyntheticCity, files: dict[str, Path]
) -> None:
    wb = load_workbook(files["districts"], read_only=True)
    assert wb.sheetnames == ["Sozialräume", "Einwohner", "Hinweis"]
    wb.close()
    districts = _rows(files["districts"], "Sozialräume")
    assert districts[0] == ("Sozialraum", "Bezeichnung")
    assert [r[0] for r in districts[1:]] == city.districts["district"].tolist()
    population = _rows(files["districts"], "Einwohner")
    assert population[0] == ("Sozialraum", "Jahr", "Einwohner")
    assert sum(r[2] for r in population[1:]) == city.population["population"].sum()

    indicators = _rows(files["indicators"])
    assert indicators[0] == ("Sozialraum", "Indikator", "Zeitraum", "Wert")
    values = [r[3] for r in indicators[1:]]
    symbols = [v for v in values if isinstance(v, str)]
    assert set(symbols) == {".", "-"}
    assert len(symbols) == int(city.indicators["value"].isna().sum())
    assert {type(r[2]) for r in indicators[1:]} == {int, str}  # 2024 and "2024-Q3"

    catalog = _rows(files["measures"], "Maßnahmen")
    assert catalog[0] == ("Maßnahme", "Bezeichnung", "Programm", "Beginn", "Ende",
                          "Kostenstelle", "Produkt", "Sachkonto", "Auftrag")  # fmt: skip
    assert len(catalog) - 1 == len(city.measures)
    shares = _rows(files["measures"], "Zuordnung")
    assert shares[0] == ("Maßnahme", "Sozialraum", "Anteil", "Gültig ab", "Gültig bis", "Grundlage")
    assert len(shares) - 1 == len(city.allocations)

    plan = _rows(files["plan"])
    years = sorted(city.plan["year"].unique())
    assert plan[0] == ("Maßnahme", "Bezeichnung", *(f"Ansatz {y}" for y in years))
    written = sum(Decimal(str(v)) for r in plan[1:] for v in r[2:] if v is not None)
    assert written == sum(city.plan["amount"], Decimal(0))


def _contents(path: Path) -> object:
    """Everything but the time of writing, which openpyxl stamps into "modified" and the zip."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    wb = load_workbook(path, read_only=True)
    content = (
        wb.properties.title,
        wb.properties.created,
        [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets],
    )
    wb.close()
    return content


def test_same_seed_writes_the_same_contents(tmp_path: Path) -> None:
    years = range(2021, 2025)
    first = write_city(build_city(7, years=years, scale=0.2), tmp_path / "a")
    second = write_city(build_city(7, years=years, scale=0.2), tmp_path / "b")
    assert list(first) == list(second)
    for name in first:
        assert _contents(first[name]) == _contents(second[name]), name
    other = build_city(8, years=years, scale=0.2)
    other_indicators = write_indicators(
        other.indicators, tmp_path / "other.xlsx", as_of=dt.datetime(2025, 1, 15)
    )
    assert _contents(first["indicators"])[2] != _contents(other_indicators)[2]


def test_writers_handle_a_hand_made_posting(tmp_path: Path) -> None:
    postings = pd.DataFrame(
        {
            "fiscal_year": [2024, 2024],
            "document_no": ["24000001", "24000002"],
            "line_no": [1, 1],
            "booking_date": pd.to_datetime(["2024-12-31", "2024-12-31"]),
            "account": ["531800", "414100"],
            "product": ["06.02.01", "06.02.01"],
            "cost_center": ["51201", "51201"],
            "order": pd.Series([None, "700101"], dtype="str"),
            "text": ["Jugendzentrum Süd-Ost, Miete", "Zuweisung Land"],
            "amount": [Decimal("1234.56"), Decimal("-1234567.89")],
        }
    )
    sap = _rows(write_sap_line_items(postings, tmp_path / "sap.xlsx"))
    assert [r[10:] for r in sap[6:8]] == [(1234.56, "EUR", "S"), (1234567.89, "EUR", "H")]
    journal = _rows(write_journal(postings, tmp_path / "journal.xlsx"))
    assert [r[8] for r in journal[3:]] == ["1.234,56", "1.234.567,89-", "1.233.333,33-"]
    assert journal[3][2] == "31.12.2024"
    text = write_journal_csv(postings, tmp_path / "journal.csv").read_bytes().decode("cp1252")
    assert "Jugendzentrum Süd-Ost, Miete;1.234,56\r\n" in text
    assert text.endswith("Gesamtsumme;;;;;;;;;-1.233.333,33\r\n")
