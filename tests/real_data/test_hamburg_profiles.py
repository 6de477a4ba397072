"""Hamburg's Stadtteilprofile 2014 (Statistikamt Nord, dl-de/by-2-0; tests/data/real/README.md)
through `import indicators` with examples/hamburg-stadtteilprofile/settings.toml: a header over
three rows (topic groups merged across columns, short names, a row of definitions, and
"Stadtgebiet" merged down over all three), 99 Stadtteile followed by the 7 Bezirke and the
city, `.` for values unknown or kept secret.

Checked against an independent reading with pandas (`read_excel(header=None)` and fixed cell
positions): every value stored equals the workbook's cell, every `.` is a missing value with
its meaning counted (never a zero), the population column is stored as the period's
population, and the closing aggregate rows are left out and named.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from openpyxl import Workbook

from ledger.database import create_ledger_engine
from ledger.master_store import indicator_values, population
from tests.real_data.cli import EXAMPLES, REAL, Ledger

WORKBOOK = REAL / "hamburg-stadtteilprofile" / "Daten_fuer_die_Stadtteilprofile_2014.xlsx"
SETTINGS = EXAMPLES / "hamburg-stadtteilprofile" / "settings.toml"
# Zero-based column of each configured indicator in the workbook (row 3 names them).
COLUMNS = {
    "sgb2_empfaenger": 37,
    "sgb2_quote": 38,
    "arbeitslose_anteil": 32,
    "kinder_mindestsicherung": 40,
    "grundstueckspreis": 55,
}
POPULATION_COLUMN = 1
FIRST, STADTTEILE, AGGREGATES = 4, 99, 8  # zero-based first data row, then the row counts


@pytest.fixture(scope="module")
def sheet() -> pd.DataFrame:
    return pd.read_excel(WORKBOOK, header=None, sheet_name=0, engine="openpyxl")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, sheet: pd.DataFrame):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("hamburg")
    ledger = Ledger(folder, SETTINGS)
    listed = Workbook()
    listed.active.title = "Stadtteile"
    listed.active.append(["Stadtteil", "Name"])
    for name in sheet.iloc[FIRST : FIRST + STADTTEILE, 0]:
        listed.active.append([name, name])
    listed.save(folder / "stadtteile.xlsx")
    ledger.json("import", "districts", folder / "stadtteile.xlsx")
    document = ledger.json("import", "indicators", WORKBOOK, "--period", "2013")
    engine = create_ledger_engine(ledger.url)
    with engine.connect() as connection:
        values, counts = indicator_values(connection), population(connection)
    engine.dispose()
    return document, values, counts


def test_the_three_row_header_and_the_closing_aggregates_are_understood(
    imported, sheet: pd.DataFrame
) -> None:  # type: ignore[no-untyped-def]
    document, _, _ = imported
    assert document["errors"] == [] and document["layout"] == "wide"
    assert sorted(document["indicators"]) == sorted([*COLUMNS, "sgb2_rate"])
    closing = sheet.iloc[FIRST + STADTTEILE : FIRST + STADTTEILE + AGGREGATES, 0].tolist()
    assert document["skipped_aggregates"] == closing
    assert closing[0] == "Hamburg-Mitte" and closing[-1] == "Hamburg"
    # a column is known by all three of its labels, joined
    ignored = document["ignored_columns"]
    assert "Haushalte / Anzahl der Haushalte" in ignored
    assert len(ignored) == 68 - 1 - len(COLUMNS)  # every other column but the population


def test_every_value_equals_the_workbooks_cell_and_dots_are_missing_never_zero(
    imported, sheet: pd.DataFrame
) -> None:  # type: ignore[no-untyped-def]
    document, values, _ = imported
    rows = sheet.iloc[FIRST : FIRST + STADTTEILE]
    stored = values[values["indicator"] != "sgb2_rate"].set_index(["district", "indicator"])
    stored = stored["value"]
    dots = 0
    for code, column in COLUMNS.items():
        for name, cell in zip(rows[0], rows[column], strict=True):
            if cell == ".":
                dots += 1
                assert math.isnan(stored[(name, code)]), (name, code)  # stored, as missing
            else:
                assert stored[(name, code)] == pytest.approx(float(cell), rel=1e-12), (name, code)
    assert dots == 4  # the land prices of Hamburg-Altstadt … kept secret
    assert document["missing"] == dots
    assert document["missing_by_meaning"] == {"unknown": dots}
    # a missing value is a row too; the computed rate adds one row per Stadtteil
    assert document["values"] == (len(COLUMNS) + 1) * STADTTEILE
    assert set(values["period"]) == {"2013"}


def test_the_population_column_is_stored_as_the_periods_population(
    imported, sheet: pd.DataFrame
) -> None:  # type: ignore[no-untyped-def]
    _, _, counts = imported
    rows = sheet.iloc[FIRST : FIRST + STADTTEILE]
    expected = dict(zip(rows[0], rows[POPULATION_COLUMN].astype(int), strict=True))
    stored = counts[counts["period"] == "2013"].set_index("district")["population"].to_dict()
    assert stored == expected


def test_the_rate_is_computed_from_the_count_and_the_population_of_its_row(
    imported, sheet: pd.DataFrame
) -> None:  # type: ignore[no-untyped-def]
    """sgb2_rate = SGB II recipients / population × 100 (the settings' numerator and
    denominator), against pandas on the same cells; and within the rounding of the share the
    Statistikamt publishes beside it (one decimal)."""
    document, values, _ = imported
    rows = sheet.iloc[FIRST : FIRST + STADTTEILE]
    rate = values[values["indicator"] == "sgb2_rate"].set_index("district")["value"]
    count = rows[COLUMNS["sgb2_empfaenger"]].astype(float).to_numpy()
    people = rows[POPULATION_COLUMN].astype(float).to_numpy()
    expected = pd.Series(count / people * 100, index=rows[0].to_numpy())
    assert rate.sort_index().to_numpy() == pytest.approx(expected.sort_index().to_numpy(),
                                                         rel=1e-12)  # fmt: skip
    published = pd.Series(rows[COLUMNS["sgb2_quote"]].astype(float).to_numpy(),
                          index=rows[0].to_numpy())  # fmt: skip
    assert (rate.sort_index() - published.sort_index()).abs().max() <= 0.05 + 1e-9
    assert document["computed_rates"] == {"sgb2_rate": STADTTEILE}
