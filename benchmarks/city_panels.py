"""Three real public panels at a city's scale, as long DataFrames (unit, period, outcome).

The city-scale placebo study (benchmarks/placebo_city_scale.py, docs/placebo-city-scale.md)
draws fake programmes on these; nobody on the team wrote their numbers.

- Berlin MSS: S3 Transferbezug (non-unemployed SGB II/XII recipients per 100 inhabitants) of the
  434 planning areas computed in every edition, data years 2012, 2014, 2016, 2018, built exactly as
  benchmarks/placebo_berlin.py builds it (through the product's own import and ledger).
- Flensburg Sozialatlas: the SGB II share (Regelleistungsberechtigte per 100 residents under 65,
  the Sozialatlas's own definition) of the 13 Stadtteile, 2018–2022, parsed from the SQL INSERTs
  of OK Lab Flensburg's transcription (tests/data/real/flensburg-sozialatlas/README.md).
- California Proposition 99: cigarette sales in packs per capita of the 38 states that are not
  California, 1970–2000 (tests/data/prop99/README.md).

Units are text, periods integers (years), outcomes floats; rows sorted by unit and period; every
panel is balanced.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd

from benchmarks.placebo_berlin import build_panel

REPO = Path(__file__).resolve().parents[1]
BERLIN_MSS = Path("/work/shared/data/real/berlin-mss")  # the full MSS CSVs, mss-YYYY-2-1.csv
FLENSBURG_SQL = (
    REPO / "tests" / "data" / "real" / "flensburg-sozialatlas" / "flensburg_sozialatlas.sql"
)
PROP99_CSV = REPO / "tests" / "data" / "prop99" / "california_prop99.csv"
COLUMNS = ["unit", "period", "outcome"]


def berlin_mss_panel(mss: Path = BERLIN_MSS) -> pd.DataFrame:
    """S3 of the planning areas with a value in all four periods (434 in the full MSS).

    Goes through `placebo_berlin.build_panel` (a throw-away SQLite ledger), so the panel is the
    one the Berlin placebo study and the case study evaluate.
    """
    with tempfile.TemporaryDirectory() as folder:
        panel = build_panel(mss, Path(folder))
    frame = panel.rename(columns={"time": "period", "y": "outcome"})[COLUMNS]
    return _tidy(frame)


def sql_table(text: str, table: str) -> pd.DataFrame:
    """The rows of every `INSERT INTO table [(columns)] VALUES (...), ...;` as a DataFrame.

    Without a column list the columns are those of the table's CREATE TABLE, in order. Values
    are numbers, NULL or single-quoted text without embedded quotes or parentheses, which is all
    the Sozialatlas dump holds; NULL becomes NaN (district_id NULL is the city's unassigned rest).
    """
    pattern = re.compile(
        rf"INSERT INTO {re.escape(table)}\s*(?:\(([^)]*)\))?\s*VALUES(.*?);\s*$", re.S | re.M
    )
    rows: list[list[object]] = []
    columns: list[str] = []
    for match in pattern.finditer(text):
        listed = match.group(1)
        columns = _split_names(listed) if listed else _created_columns(text, table)
        for values in re.findall(r"\(([^()]*)\)", match.group(2)):
            rows.append([_sql_value(v) for v in _split_values(values)])
    if not columns:
        raise ValueError(f"no INSERT INTO {table} in the SQL text")
    return pd.DataFrame(rows, columns=columns)


def _split_names(names: str) -> list[str]:
    return [name.strip() for name in names.split(",")]


def _created_columns(text: str, table: str) -> list[str]:
    """Column names of `CREATE TABLE [IF NOT EXISTS] table (...)`, constraints left out."""
    match = re.search(
        rf"CREATE TABLE (?:IF NOT EXISTS )?{re.escape(table)}\s*\((.*?)\);", text, re.S
    )
    if match is None:
        raise ValueError(f"no CREATE TABLE {table} in the SQL text")
    lines = [line.strip() for line in match.group(1).splitlines() if line.strip()]
    skip = ("PRIMARY KEY", "FOREIGN KEY", "UNIQUE", "CONSTRAINT")
    return [line.split()[0] for line in lines if not line.upper().startswith(skip)]


def _split_values(values: str) -> list[str]:
    return [v.strip() for v in re.findall(r"'[^']*'|[^,]+", values)]


def _sql_value(token: str) -> object:
    if token.upper() == "NULL":
        return float("nan")
    if token.startswith("'"):
        return token[1:-1]
    return float(token)


def flensburg_sgb2_panel(sql: Path = FLENSBURG_SQL) -> pd.DataFrame:
    """SGB II Regelleistungsberechtigte per 100 residents under 65, 13 Stadtteile × 2018–2022.

    Residents under 65 = Tabelle 1 (all residents) minus Tabelle 8 (65 and over); the numerator is
    Tabelle 18. Units are the Stadtteil names of `fl_district`; rows without a Stadtteil (the
    city's unassigned rest) are left out.
    """
    text = sql.read_text(encoding="utf-8")
    names = sql_table(text, "fl_district").set_index("id")["name"]
    keys = ["year", "district_id"]
    recipients = sql_table(text, "fl_beneficiaries_by_district").dropna(subset=keys)
    residents = sql_table(text, "fl_residents_by_district").dropna(subset=keys)
    older = sql_table(text, "fl_residents_age_65_and_above_by_district").dropna(subset=keys)
    frame = recipients.merge(residents, on=keys, suffixes=("", "_all")).merge(
        older, on=keys, suffixes=("", "_65")
    )
    frame["outcome"] = 100 * frame["residents"] / (frame["residents_all"] - frame["residents_65"])
    frame["unit"] = frame["district_id"].map(names)
    frame["period"] = frame["year"].astype(int)
    return _tidy(frame[COLUMNS])


def prop99_panel(csv: Path = PROP99_CSV) -> pd.DataFrame:
    """Packs per capita of the 38 states without a tobacco programme in the data (California,
    the treated state of Abadie, Diamond & Hainmueller 2010, is left out), 1970–2000."""
    data = pd.read_csv(csv, sep=";")
    data = data[data["State"] != "California"]
    frame = data.rename(columns={"State": "unit", "Year": "period", "PacksPerCapita": "outcome"})
    return _tidy(frame[COLUMNS])


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"unit": str, "period": int, "outcome": float})
    counts = frame.groupby("unit")["period"].nunique()
    if counts.nunique() != 1 or frame["outcome"].isna().any():
        raise ValueError("the panel is not balanced")
    return frame.sort_values(["unit", "period"], ignore_index=True)
