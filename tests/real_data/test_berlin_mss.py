"""Berlin's Monitoring Soziale Stadtentwicklung (MSS) through `import indicators` and `need`.

Data (tests/data/real/README.md): the CSV conversions of the MSS tables "2-1" (status and dynamics
indicators per planning area, PLR) by Open Lifeworlds, CC BY 4.0; excerpts hold the PLR of Mitte
(01…) and Marzahn-Hellersdorf (10…) and Stadion Wilmersdorf (04041239). The original workbook
"3.IndexInd_z_WerteMSS2017.xlsx" of the Senatsverwaltung is whole. Edition Y is period Y−1.
The settings are the shipped example, examples/settings-berlin-mss.toml.
"""

from __future__ import annotations

import csv
import math
import statistics
from pathlib import Path

import pytest
from openpyxl import load_workbook

from imports.master_data import parse_indicators
from monitor.settings import load_settings
from tests.real_data.cli import EXAMPLES, REAL, Ledger, settings_variant

MSS = REAL / "berlin-mss"
EXCERPT = MSS / "excerpt"
WORKBOOK = REAL / "berlin-mss-original" / "3.IndexInd_z_WerteMSS2017.xlsx"
SETTINGS = EXAMPLES / "settings-berlin-mss.toml"
EDITIONS = {2013: "2012", 2015: "2014", 2017: "2016", 2019: "2018"}
STATUS = {
    "arbeitslosigkeit": "s1_percentage_unemployed",
    "transferbezug": "s3_percentage_transfer_payments_recipients",
    "kinderarmut": "s4_percentage_transfer_payments_recipients_below_15_years",
}
# The MSS's status classes, with the sign turned to need (SPEC §7).
MSS_CLASS = {"hoch": "low", "mittel": "medium", "niedrig": "high", "sehr niedrig": "very_high"}


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """The excerpt's four editions 2013–2019 in one ledger, as docs/case-study-berlin.md does."""
    ledger = Ledger(tmp_path_factory.mktemp("berlin"), SETTINGS)
    ledger.run("import", "districts", EXCERPT / "mss-2013-2-1.csv")
    for edition, period in EDITIONS.items():
        ledger.run("import", "indicators", EXCERPT / f"mss-{edition}-2-1.csv", "--period", period)
    return ledger


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def independent_need_index(path: Path, columns: list[str]) -> dict[str, float]:
    """SPEC §7 recomputed with the csv and statistics modules: areas with at least 300
    inhabitants and not all zero, z-scores with the population SD, equal weights."""
    rows = read_rows(path)
    ranked = [
        r for r in rows if float(r["inhabitants"]) >= 300 and any(float(r[c]) for c in columns)
    ]
    z: dict[str, list[float]] = {r["id"]: [] for r in ranked}
    for column in columns:
        values = [float(r[column]) for r in ranked]
        mean, sd = statistics.fmean(values), statistics.pstdev(values)
        for r in ranked:
            z[r["id"]].append((float(r[column]) - mean) / sd)
    return {key: statistics.fmean(scores) for key, scores in z.items()}


def test_each_edition_imports_as_a_wide_file_with_population_and_not_computed_rows(
    tmp_path: Path,
) -> None:
    ledger = Ledger(tmp_path, SETTINGS)
    districts = ledger.json("import", "districts", EXCERPT / "mss-2013-2-1.csv")
    assert districts["districts"] == 75
    not_computed = {}
    for edition, period in EDITIONS.items():
        summary = ledger.json(
            "import", "indicators", EXCERPT / f"mss-{edition}-2-1.csv", "--period", period
        )
        assert summary["errors"] == []
        assert summary["layout"] == "wide"
        assert summary["ignored_columns"] == ["name"]  # inhabitants is the population
        not_computed[edition] = summary["not_computed"]
        # S2/D2 (long-term unemployment) are no longer in the 2019 table.
        assert ("langzeitarbeitslosigkeit" in summary["indicators"]) == (edition < 2019)
    # All-zero rows in every edition (checked with awk in the excerpt files): Großer Tiergarten,
    # Westhafen, Stadion Wilmersdorf, Gewerbegebiet Bitterfelder Straße.
    assert not_computed == {2013: 4, 2015: 4, 2017: 4, 2019: 4}


def test_a_row_of_zeros_is_missing_under_the_berlin_convention_and_zeros_without_it() -> None:
    path = EXCERPT / "mss-2019-2-1.csv"
    aliases = {code: ind.columns for code, ind in load_settings(SETTINGS).indicators.items()}
    berlin = parse_indicators(
        path, period="2018", indicator_columns=aliases, zero_rows_missing=True
    )
    plain = parse_indicators(path, period="2018", indicator_columns=aliases)
    bitterfelder = berlin.values[berlin.values["district"] == "10010203"]
    assert len(bitterfelder) == 6 and bitterfelder["value"].isna().all()
    assert (plain.values[plain.values["district"] == "10010203"]["value"] == 0).all()
    # The population of a row that was not computed is still the population: 1330 inhabitants.
    population = berlin.population.set_index("district")["population"]
    assert population["10010203"] == 1330
    assert berlin.not_computed_rows == (3, 21, 43, 46)  # CSV lines of the four areas


def test_need_2018_ranks_planning_areas_and_suppresses_those_below_300(panel: Ledger) -> None:
    """Hand check for Soldiner Straße (01033101), from the excerpt's 71 ranked areas:
    means / population SDs of S1, S3, S4: 4.13249 / 2.21914, 14.38775 / 9.00420,
    31.02503 / 19.41962; its shares 8.26159, 31.43089, 66.09945 give z = 1.86068, 1.89280,
    1.80613 and a need index of 1.85320, the highest; standardised again 1.87444: very_high."""
    need = panel.json("need", "--period", "2018")
    assert need["period"] == "2018"
    assert need["indicators"] == ["arbeitslosigkeit", "transferbezug", "kinderarmut"]
    rows = {row["key"]: row for row in need["districts"]}
    assert len(rows) == 71
    first = need["districts"][0]
    assert (first["key"], first["name"], first["need_rank"]) == ("01033101", "Soldiner Straße", 1)
    assert first["need_index"] == pytest.approx(1.85320, abs=5e-6)
    assert first["need_class"] == "very_high"
    assert first["population"] == 27088
    # Leopoldplatz is just above the bound of 1.5 (z = 1.50068), Brunnenstraße just below.
    assert rows["01044203"]["need_class"] == "very_high"
    assert rows["01033201"]["need_class"] == "high"
    assert rows["10030727"]["need_rank"] == 71 and rows["10030727"]["need_class"] == "low"
    assert need["suppressed"] == [
        {"key": "01011102", "reason": "population 196 below 300; indicators "
         "arbeitslosigkeit, transferbezug, kinderarmut missing"},
        {"key": "01022103", "reason": "population 272 below 300; indicators "
         "arbeitslosigkeit, transferbezug, kinderarmut missing"},
        {"key": "04041239", "reason": "indicators arbeitslosigkeit, transferbezug, "
         "kinderarmut missing"},
        {"key": "10010203", "reason": "indicators arbeitslosigkeit, transferbezug, "
         "kinderarmut missing"},
    ]  # fmt: skip
    expected = independent_need_index(EXCERPT / "mss-2019-2-1.csv", list(STATUS.values()))
    assert expected.keys() == rows.keys()
    for key, value in expected.items():
        assert rows[key]["need_index"] == pytest.approx(value, abs=1e-9), key


def test_need_change_and_persistence_follow_the_earlier_editions(panel: Ledger) -> None:
    need = {row["key"]: row for row in panel.json("need", "--period", "2018")["districts"]}
    before = independent_need_index(EXCERPT / "mss-2017-2-1.csv", list(STATUS.values()))
    now = independent_need_index(EXCERPT / "mss-2019-2-1.csv", list(STATUS.values()))
    assert need["01033101"]["change"] == pytest.approx(now["01033101"] - before["01033101"])
    # Soldiner Straße was in a high-need class in every period 2012–2018.
    for period in EDITIONS.values():
        table = {r["key"]: r for r in panel.json("need", "--period", period)["districts"]}
        assert table["01033101"]["need_class"] in ("high", "very_high"), period
    assert need["01033101"]["persistent"] == 4


def test_the_2021_edition_uses_the_new_lor_ids_and_is_refused_naming_each_row(
    panel: Ledger,
) -> None:
    refused = panel.json(
        "import", "indicators", EXCERPT / "mss-2021-2-1.csv", "--period", "2020", expect=1
    )
    assert refused["import"] is None
    first = refused["errors"][0]
    assert (first["row"], first["column"]) == (2, "id")
    assert first["message"].startswith("unknown district '01100101'")
    assert len(refused["errors"]) == 4


def test_the_original_mss_2017_workbook_reads_through_the_same_import() -> None:
    """Title rows 1–3, legends 4–15, a header over rows 16–18 (`Planungsraum` merged over
    `Nummer | Name`), data from row 20, two notes below the table and a notes column R."""
    aliases = {code: ind.columns for code, ind in load_settings(SETTINGS).indicators.items()}
    parsed = parse_indicators(
        WORKBOOK, period="2016", indicator_columns=aliases, zero_rows_missing=True
    )
    assert parsed.errors == ()
    assert (parsed.sheet, parsed.header_row) == ("3.IndexInd_z_Werte_MSS2015", 16)
    assert parsed.columns["district"] == "Planungsraum / Nummer"
    assert parsed.columns["population"] == "EW 31.12. 2016"
    assert parsed.skipped_notes == 2
    assert parsed.not_computed == 11  # 9 below 300 inhabitants, 2 outliers (sheet 2)
    assert set(parsed.values["indicator"]) == {
        "z_arbeitslosigkeit", "z_langzeitarbeitslosigkeit", "z_transferbezug", "z_kinderarmut",
        "mss_status_index",
    }  # fmt: skip
    assert parsed.values["value"].notna().sum() == 5 * 436
    assert parsed.ignored_columns[0] == "Name"
    assert parsed.ignored_columns[-1] == "R"  # the remarks, under no header
    assert parsed.unnamed_columns == ("R",)
    first = parsed.values.iloc[0]
    assert (first["district"], first["row"], first["value"]) == ("01011101", 20, -0.41152)
    assert parsed.population.set_index("district")["population"]["01011101"] == 3114


def test_need_reproduces_the_mss_2017_status_index_of_all_436_planning_areas(
    tmp_path: Path,
) -> None:
    """With the four status indicators of the 2017 edition, the need index standardised again
    is the MSS's Status-Index (standardised status sum) up to the rounding of the published
    shares, and every class is the MSS's class: read from the workbook with openpyxl."""
    settings = settings_variant(
        SETTINGS,
        tmp_path,
        need_index='["arbeitslosigkeit", "langzeitarbeitslosigkeit", "transferbezug", '
        '"kinderarmut"]',
    )
    ledger = Ledger(tmp_path, settings)
    ledger.run("import", "districts", MSS / "mss-2017-2-1.csv")
    ledger.run("import", "indicators", MSS / "mss-2017-2-1.csv", "--period", "2016")
    need = ledger.json("need", "--period", "2016")
    index = {row["key"]: row["need_index"] for row in need["districts"]}
    mean, sd = statistics.fmean(index.values()), statistics.pstdev(index.values())
    sheet = load_workbook(WORKBOOK, read_only=True).worksheets[0]
    published = {
        row[0]: (row[8], row[9])
        for row in sheet.iter_rows(min_row=20, values_only=True)
        if isinstance(row[0], str) and row[9]
    }
    assert len(published) == len(index) == 436
    for key, (status_index, _) in published.items():
        assert (index[key] - mean) / sd == pytest.approx(status_index, abs=2e-5), key
    classes = {row["key"]: row["need_class"] for row in need["districts"]}
    assert classes == {key: MSS_CLASS[c.strip()] for key, (_, c) in published.items()}
    assert len(need["suppressed"]) == 11
    assert not any(math.isnan(v) for v in index.values())
