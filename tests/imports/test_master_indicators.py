"""`import indicators`: long and wide files, periods, missing symbols, aliases from settings."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from imports.master_data import IndicatorsFile, MasterDataError, parse_indicators
from imports.master_data.crosswalk import Crosswalk, Joined, join_through, read_crosswalk
from imports.master_data.periods import read_periods, resolve_periods
from tests.exports import write_csv, write_xlsx

D = dt.date
ALIASES = {
    "sgb2_quote": ("SGB-II-Quote", "s3_percentage_transfer_payments_recipients"),
    "kinderarmut": ("Kinderarmut",),
}


def cells(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype=object)


@pytest.mark.parametrize(
    ("cell", "label", "start", "end"),
    [
        (2024, "2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("2024", "2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("2024-Q3", "2024-Q3", D(2024, 7, 1), D(2024, 9, 30)),
        ("2024 q3", "2024-Q3", D(2024, 7, 1), D(2024, 9, 30)),
        ("Q3/2024", "2024-Q3", D(2024, 7, 1), D(2024, 9, 30)),
        ("3. Quartal 2024", "2024-Q3", D(2024, 7, 1), D(2024, 9, 30)),
        ("2024-03", "2024-03", D(2024, 3, 1), D(2024, 3, 31)),
        ("03/2024", "2024-03", D(2024, 3, 1), D(2024, 3, 31)),
        ("Februar 2024", "2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("31.12.2024", "2024", D(2024, 1, 1), D(2024, 12, 31)),  # a lone date: its year
        (dt.datetime(2023, 12, 31), "2023", D(2023, 1, 1), D(2023, 12, 31)),
    ],
)
def test_periods_normalise_to_labels_with_first_and_last_day(
    cell: object, label: str, start: dt.date, end: dt.date
) -> None:
    parsed, bad, _ = read_periods(cells(cell))
    (period,) = resolve_periods(parsed, cells("x"), cells("S01"))
    assert not bad.iloc[0]
    assert (period.label, period.start, period.end) == (label, start, end)


@pytest.mark.parametrize("cell", ["2024-13", "Q5/2024", "irgendwann", 24.5, 12, True])
def test_cells_that_are_no_period_are_bad(cell: object) -> None:
    _, bad, _ = read_periods(cells(cell))
    assert bad.iloc[0]


def test_dates_follow_the_series_quarters_or_their_own_spacing() -> None:
    """Per indicator: quarter labels make its dates quarters; a district with two dates in one
    year makes them quarters, two in one quarter makes them months; else years."""
    parsed, _, _ = read_periods(
        cells("2024-Q1", D(2024, 6, 30), D(2024, 3, 31), D(2024, 6, 30), "2023", D(2024, 12, 31))
    )
    series = cells("quarterly", "quarterly", "spaced", "spaced", "yearly", "yearly")
    unit = cells("S01", "S01", "S02", "S02", "S03", "S03")
    labels = [p.label for p in resolve_periods(parsed, series, unit)]
    assert labels == ["2024-Q1", "2024-Q2", "2024-Q1", "2024-Q2", "2023", "2024"]
    monthly, _, _ = read_periods(cells(D(2024, 1, 31), D(2024, 2, 29)))
    labels = [p.label for p in resolve_periods(monthly, cells("m", "m"), cells("S01", "S01"))]
    assert labels == ["2024-01", "2024-02"]


def test_long_file_with_aliases_missing_symbols_and_german_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "indikatoren.xlsx",
        [
            ["Indikatoren je Sozialraum"],
            ["Sozial-Raum", "INDIKATOR", "Zeit-raum", "Wert"],
            ["S01", "SGB-II-Quote", 2023, "18,5"],
            ["S01", "sgb2_quote", "2024", 19.25],
            ["S02", "sgb2_quote", "2024", "."],
            ["S02", "kinderarmut", "2024", "-"],
            ["S02", "kinderarmut", "2023", None],
            ["S03", "kinderarmut", "2023", "…"],
        ],
        sheet="Indikatoren",
    )
    parsed = parse_indicators(path, indicator_columns=ALIASES)
    assert parsed.errors == ()
    assert parsed.layout == "long"
    assert parsed.missing == 4
    values = parsed.values
    assert values[["district", "indicator", "period", "row"]].values.tolist() == [
        ["S01", "sgb2_quote", "2023", 3],
        ["S01", "sgb2_quote", "2024", 4],
        ["S02", "sgb2_quote", "2024", 5],
        ["S02", "kinderarmut", "2024", 6],
        ["S02", "kinderarmut", "2023", 7],
        ["S03", "kinderarmut", "2023", 8],
    ]
    assert values["value"].tolist()[:2] == [18.5, 19.25]
    assert values["value"].iloc[2:].isna().all()  # missing, never zero
    assert values["period_end"].iloc[0] == D(2023, 12, 31)


def test_long_file_errors_name_row_and_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "werte.csv",
        [
            ["district", "indicator", "period", "value"],
            ["S01", "sgb2_quote", "2024", "viel"],
            ["S01", "sgb2_quote", "2024-Q5", "1"],
            ["S01", "", "31.12.2024", "1"],
            ["S02", "sgb2_quote", "2024", "1"],
            ["S02", "sgb2_quote", "2024", "2"],
        ],
    )
    parsed = parse_indicators(path)
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (2, "value", "not a number: 'viel'"),
        (
            3,
            "period",
            "not a period: '2024-Q5'; expected a year (2024), quarter (2024-Q3), month "
            "(2024-03) or a date (31.12.2024)",
        ),
        (4, "indicator", "empty: every row needs an indicator"),
        (6, "period", "district 'S02', indicator 'sgb2_quote', period 2024 already in row 5"),
    ]
    assert parsed.values["row"].tolist() == [5]


def wide_rows() -> list[Sequence[object]]:
    return [
        ["Sozialraumdaten der Stadt, 31.12.2024"],
        ["Quelle: Bundesagentur für Arbeit"],
        [],
        ["Nr.", "Sozialraum", "Einwohner", "SGB II Quote (%)", "Kinder-armut", "Fläche km²"],
        [1, "Nord", "8.200", "18,5", ".", 3.1],
        [2, "Süd", 310, "x", "22,1", 2.0],
        [3, "Ost", None, "/", "…", 1.0],
        ["Stadt insgesamt", None, 8510, "15,0", None, 6.1],
        ["1) vorläufige Werte"],
    ]


def test_wide_file_with_aliases_population_ignored_columns_and_missing_symbols(
    tmp_path: Path,
) -> None:
    path = write_xlsx(tmp_path / "statistik.xlsx", wide_rows(), sheet="Tabelle 1")
    parsed = parse_indicators(path, period="2024", indicator_columns=ALIASES)
    assert parsed.errors == ()
    assert parsed.layout == "wide"
    assert parsed.ignored_columns == ("Sozialraum", "Fläche km²")
    assert parsed.columns["sgb2_quote"] == "SGB II Quote (%)"
    assert (parsed.missing, parsed.skipped_total, parsed.skipped_notes) == (4, 1, 1)
    values = parsed.values
    assert values[["district", "indicator", "period", "row"]].values.tolist() == [
        ["1", "sgb2_quote", "2024", 5],
        ["1", "kinderarmut", "2024", 5],
        ["2", "sgb2_quote", "2024", 6],
        ["2", "kinderarmut", "2024", 6],
        ["3", "sgb2_quote", "2024", 7],
        ["3", "kinderarmut", "2024", 7],
    ]
    got = values["value"].tolist()
    assert got[0] == 18.5 and got[3] == 22.1
    assert all(math.isnan(v) for v in (got[1], got[2], got[4], got[5]))
    assert parsed.population[["district", "period", "population", "row"]].values.tolist() == [
        ["1", "2024", 8200, 5],
        ["2", "2024", 310, 6],
    ]


def test_wide_file_with_period_column_and_a_bad_value(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "wide.csv",
        [
            ["Sozialraum", "Stichtag", "s3_percentage_transfer_payments_recipients", "Notiz"],
            ["S01", "31.12.2023", "12,5", "ok"],
            ["S01", "31.12.2024", "zwölf", ""],
            ["S01", "2024-12-31", "13", ""],
        ],
    )
    parsed = parse_indicators(path, indicator_columns=ALIASES)
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (3, "s3_percentage_transfer_payments_recipients", "not a number: 'zwölf'"),
        (4, "Stichtag", "district 'S01', period 2024 already in row 3"),
    ]
    assert parsed.ignored_columns == ("Notiz",)
    assert parsed.values[["indicator", "period", "value"]].values.tolist() == [
        ["sgb2_quote", "2023", 12.5]
    ]


def test_wide_file_without_known_indicator_columns_is_refused_with_the_aliases(
    tmp_path: Path,
) -> None:
    path = write_xlsx(tmp_path / "statistik.xlsx", wide_rows())
    with pytest.raises(MasterDataError) as raised:
        parse_indicators(path, period="2024", indicator_columns={"alq": ("Arbeitslose",)})
    assert "alq: 'alq', 'Arbeitslose'" in str(raised.value)


def test_period_option_and_a_period_column_together_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "w.csv", [["Sozialraum", "Jahr", "Kinderarmut"], ["S01", 2024, 1]])
    with pytest.raises(MasterDataError, match="has its own period column 'Jahr'"):
        parse_indicators(path, period="2024", indicator_columns=ALIASES)
    with pytest.raises(MasterDataError, match="is not a period"):
        parse_indicators(path, period="letztes Jahr", indicator_columns=ALIASES)


# --- as statistical offices publish (issue 9: Berlin's MSS) ----------------------------------


def test_header_over_three_rows_with_titles_legends_notes_and_a_notes_column(
    tmp_path: Path,
) -> None:
    """The layout of Berlin's MSS workbooks: `Planungsraum` merged over `Nummer | Name` two
    rows below, indicator headers merged down, a blank row before the data, a sentence below
    the table and remarks in a column without a header."""
    path = write_xlsx(
        tmp_path / "mss.xlsx",
        [
            ["Senatsverwaltung"],
            ["Monitoring Soziale Stadtentwicklung 2017"],
            [None, None, None, "Klassengrenzen:", None, "mittel: -1 <= x <= 1"],
            ["Planungsraum", None, "EW 31.12. 2016", "Kinderarmut", "SGB-II-Quote"],
            [],
            ["Nummer", "Name"],
            [],
            ["01011101", "Stülerstraße", 3114, 0.5, 1.25],
            ["01011102", "Großer Tiergarten", 192, 0, 0, "nicht berücksichtigt (unter 300 EW)"],
            ["Die Gruppenzuordnung basiert auf fünf Nachkommastellen der Werte."],
        ],
    )
    parsed = parse_indicators(
        path, period="2016", indicator_columns=ALIASES, zero_rows_missing=True
    )
    assert parsed.errors == ()
    assert parsed.header_row == 4
    assert parsed.columns["district"] == "Planungsraum / Nummer"
    assert parsed.columns["population"] == "EW 31.12. 2016"
    assert parsed.ignored_columns == ("Name", "F")
    assert parsed.unnamed_columns == ("F",)
    assert parsed.skipped_notes == 1
    assert parsed.values[["district", "indicator", "row"]].values.tolist() == [
        ["01011101", "kinderarmut", 8],
        ["01011101", "sgb2_quote", 8],
        ["01011102", "kinderarmut", 9],
        ["01011102", "sgb2_quote", 9],
    ]
    assert parsed.values["value"].tolist()[:2] == [0.5, 1.25]
    assert parsed.values["value"].iloc[2:].isna().all()  # not computed: missing
    assert (parsed.not_computed, parsed.not_computed_rows) == (1, (9,))
    assert parsed.population["population"].tolist() == [3114, 192]


def test_a_row_below_the_header_is_data_unless_it_labels_empty_columns_with_known_headers(
    tmp_path: Path,
) -> None:
    """District codes written as words under a complete header are data, and so is a sub-header
    the table does not know (it shows up as rejected rows instead of vanishing)."""
    words = write_csv(
        tmp_path / "words.csv",
        [["Sozialraum", "Kinderarmut", ""], ["Nordstadt", "12,5", "Bemerkung"]],
    )
    parsed = parse_indicators(words, period="2024", indicator_columns=ALIASES)
    assert parsed.values[["district", "row"]].values.tolist() == [["Nordstadt", 2]]
    assert (parsed.ignored_columns, parsed.unnamed_columns) == (("C",), ("C",))
    unknown = write_csv(
        tmp_path / "unknown.csv",
        [["Sozialraum", "Kinderarmut", ""], ["", "männlich", "weiblich"], ["S01", "1", "2"]],
    )
    parsed = parse_indicators(unknown, period="2024", indicator_columns=ALIASES)
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (2, "Kinderarmut", "not a number: 'männlich'"),
        (2, "Sozialraum", "empty: every row needs a district code"),
    ]


def test_rows_of_zeros_are_missing_only_under_the_publishers_convention(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "wide.csv",
        [
            ["Sozialraum", "Einwohner", "SGB-II-Quote", "Kinderarmut"],
            ["S01", "2930.0", "0", "0"],
            ["S02", "8.200", "0", "3,5"],  # one true zero beside a value: kept
            ["S03", "410", "0", "-"],  # a single zero, the other missing: kept
        ],
    )
    plain = parse_indicators(path, period="2018", indicator_columns=ALIASES)
    assert plain.values["value"].fillna(-1).tolist() == [0.0, 0.0, 0.0, 3.5, 0.0, -1]
    assert plain.not_computed == 0
    berlin = parse_indicators(
        path, period="2018", indicator_columns=ALIASES, zero_rows_missing=True
    )
    values = berlin.values.set_index(["district", "indicator"])["value"]
    assert math.isnan(values["S01", "sgb2_quote"]) and math.isnan(values["S01", "kinderarmut"])
    assert values["S02", "sgb2_quote"] == 0.0 and values["S03", "sgb2_quote"] == 0.0
    assert berlin.not_computed_rows == (2,)
    # Counts a converter wrote as floats, and German thousands: whole inhabitants.
    assert berlin.population["population"].tolist() == [2930, 8200, 410]


def test_the_zero_convention_in_a_long_file_needs_two_values_of_a_district_and_period(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "long.csv",
        [
            ["Sozialraum", "Indikator", "Jahr", "Wert"],
            ["S01", "sgb2_quote", "2018", "0"],
            ["S01", "kinderarmut", "2018", "0"],
            ["S02", "sgb2_quote", "2018", "0"],
        ],
    )
    parsed = parse_indicators(path, indicator_columns=ALIASES, zero_rows_missing=True)
    assert parsed.values["value"].isna().tolist() == [True, True, False]
    assert (parsed.not_computed, parsed.not_computed_rows) == (1, (2, 3))


def test_the_zero_convention_refuses_a_wide_file_with_one_indicator_column(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "one.csv", [["Sozialraum", "Kinderarmut"], ["S01", "0"]])
    with pytest.raises(MasterDataError, match="needs at least two indicator columns"):
        parse_indicators(path, period="2018", indicator_columns=ALIASES, zero_rows_missing=True)


# Crosswalk: a file in another area system carried to the ledger's districts
# (imports.master_data.crosswalk). Old districts A, B, C, D, E; the file's new areas n1 … n7.
OLD = {"A": "Altstadt", "B": "Bahnhof", "C": "Chaussee", "D": "Dorf", "E": "Elbufer"}


def new_areas(tmp_path: Path, rows: Sequence[tuple[str, object, object]]) -> IndicatorsFile:
    header = ("Planungsraum", "Einwohner", "SGB-II-Quote")
    path = write_csv(tmp_path / "neu.csv", [header, *rows], encoding="utf-8", delimiter=",")
    return parse_indicators(path, period="2020", indicator_columns=ALIASES)


def crosswalk(tmp_path: Path, mapping: dict[str, object]) -> Crosswalk:
    path = tmp_path / "zuordnung.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    return read_crosswalk(path)


def earlier(**population: int) -> pd.DataFrame:
    rows = [(code, "2018", count) for code, count in population.items()]
    return pd.DataFrame(rows, columns=["district", "period", "population"])


def carried(joined: Joined) -> dict[str, float]:
    return dict(zip(joined.values["district"], joined.values["value"], strict=True))


def inhabitants(joined: Joined) -> dict[str, int]:
    frame = joined.population
    return dict(zip(frame["district"], frame["population"], strict=True))


def test_crosswalk_carries_one_to_one_and_merges_parts_by_population(tmp_path: Path) -> None:
    parsed = new_areas(tmp_path, [("n1", 1000, 10.0), ("n2", 3000, 20.0), ("n3", 1000, 30.0)])
    # n1 is A; B was split into n2 and n3 (listed once under the old code, once under the new).
    walk = crosswalk(tmp_path, {"n1": ["A"], "B": ["n2"], "n3": "B"})
    joined = join_through(parsed.values, parsed.population, walk, OLD, earlier(), 0.25)
    assert carried(joined) == {"A": 10.0, "B": pytest.approx((3000 * 20 + 1000 * 30) / 4000)}
    assert inhabitants(joined) == {"A": 1000, "B": 4000}
    assert joined.summary["one_to_one"] == 1
    assert joined.summary["many_to_one"] == {"B": ["n2", "n3"]}
    assert joined.summary["not_covered"] == {"C": "Chaussee", "D": "Dorf", "E": "Elbufer"}


def test_crosswalk_carries_no_part_of_a_split_and_names_it(tmp_path: Path) -> None:
    parsed = new_areas(tmp_path, [("n1", 1000, 10.0), ("n4", 2000, 40.0), ("n5", 500, 50.0)])
    # n4 overlaps C and D: its share cannot be divided. n5 lies in D alone, but D is then only
    # partly covered, so D gets nothing either.
    walk = crosswalk(tmp_path, {"n1": ["A"], "n4": ["C", "D"], "n5": ["D"]})
    joined = join_through(parsed.values, parsed.population, walk, OLD, earlier(), 0.25)
    assert carried(joined) == {"A": 10.0}
    assert joined.summary["splits"] == [{"code": "n4", "into": {"C": "Chaussee", "D": "Dorf"}}]
    assert set(joined.summary["not_covered"]) == {"B", "C", "D", "E"}


def test_crosswalk_names_every_code_it_cannot_place_and_keeps_known_codes(tmp_path: Path) -> None:
    parsed = new_areas(tmp_path, [("n1", 1000, 10.0), ("n9", 800, 12.0), ("E", 700, 7.0)])
    walk = crosswalk(tmp_path, {"n1": ["A"], "A-alt": ["X-neu"]})
    with pytest.raises(MasterDataError, match="links no code of the file"):
        join_through(parsed.values, parsed.population, walk, {"Z": "Zoo"}, earlier(), 0.25)
    joined = join_through(parsed.values, parsed.population, walk, OLD, earlier(), 0.25)
    # E is a ledger district the crosswalk does not list: kept as it is; n9 is nowhere.
    assert carried(joined) == {"A": 10.0, "E": 7.0}
    assert joined.summary["unmatched"] == ["n9"]


def test_a_merged_value_is_missing_when_one_part_is_missing(tmp_path: Path) -> None:
    parsed = new_areas(tmp_path, [("n2", 3000, 20.0), ("n3", 200, "-")])
    walk = crosswalk(tmp_path, {"n2": ["B"], "n3": ["B"]})
    joined = join_through(parsed.values, parsed.population, walk, OLD, earlier(), 0.25)
    assert math.isnan(carried(joined)["B"])
    assert joined.summary["incomplete"] == ["B"]
    assert inhabitants(joined) == {"B": 3200}


def test_parts_without_population_cannot_be_weighted_and_are_not_carried(tmp_path: Path) -> None:
    parsed = new_areas(tmp_path, [("n1", None, 10.0), ("n2", 3000, 20.0), ("n3", None, 30.0)])
    walk = crosswalk(tmp_path, {"n1": ["A"], "n2": ["B"], "n3": ["B"]})
    joined = join_through(parsed.values, parsed.population, walk, OLD, earlier(), 0.25)
    assert carried(joined) == {"A": 10.0}  # one to one needs no weight
    assert joined.summary["no_population"] == {"B": "Bahnhof"}
    assert "B" in joined.summary["not_covered"]


@pytest.mark.parametrize(("before", "kept"), [(1250, True), (1340, False), (700, False)])
def test_a_carried_population_far_from_the_districts_earlier_one_is_refused(
    tmp_path: Path, before: int, kept: bool
) -> None:
    """1,000 inhabitants now: within 25 % of 1,250 (−20 %), not of 1,340 (−25.4 %) or 700."""
    parsed = new_areas(tmp_path, [("n1", 1000, 10.0)])
    walk = crosswalk(tmp_path, {"n1": ["A"]})
    if not kept:
        with pytest.raises(MasterDataError, match="population check failed for A"):
            join_through(parsed.values, parsed.population, walk, OLD, earlier(A=before), 0.25)
        return
    joined = join_through(parsed.values, parsed.population, walk, OLD, earlier(A=before), 0.25)
    assert carried(joined) == {"A": 10.0}
    assert joined.summary["population_mismatch"] == {}


def test_a_population_mismatch_is_named_with_both_populations(tmp_path: Path) -> None:
    parsed = new_areas(tmp_path, [("n1", 1000, 10.0), ("n2", 3000, 20.0)])
    walk = crosswalk(tmp_path, {"n1": ["A"], "n2": ["B"]})
    joined = join_through(parsed.values, parsed.population, walk, OLD, earlier(B=6000), 0.25)
    assert carried(joined) == {"A": 10.0}
    assert joined.summary["population_mismatch"] == {
        "B": {"name": "Bahnhof", "period": "2020", "population": 3000,
              "earlier_period": "2018", "earlier_population": 6000}
    }  # fmt: skip


def test_a_crosswalk_table_with_old_and_new_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "zuordnung.csv", [("alt", "neu"), ("A", "n1"), ("B", "n2")])
    walk = read_crosswalk(path)
    assert sorted(map(tuple, walk.pairs.to_numpy())) == [("A", "n1"), ("B", "n2")]
    parsed = new_areas(tmp_path, [("n1", 1000, 10.0), ("n2", 3000, 20.0)])
    joined = join_through(parsed.values, parsed.population, walk, OLD, earlier(), 0.25)
    assert carried(joined) == {"A": 10.0, "B": 20.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [("[1, 2]", "is an object"), ("{}", "lists no pair"), ("{nope", "not a readable JSON")],
)
def test_a_crosswalk_that_is_no_mapping_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "zuordnung.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MasterDataError, match=message):
        read_crosswalk(path)


def test_the_bas_secret_star_is_missing_and_every_symbol_keeps_its_meaning(tmp_path: Path) -> None:
    """The Federal Employment Agency writes `*` for counts kept secret; it used to refuse the
    file as "not a number". Now it is missing like the other symbols, counted by meaning."""
    rows = [
        ["Sozialraum", "SGB-II-Quote", "Kinderarmut"],
        ["S01", "*", "12,5"],
        ["S02", "–", "x"],
        ["S03", "...", "/"],
        ["S04", ".", "*"],
    ]
    path = write_csv(tmp_path / "ba.csv", rows)
    parsed = parse_indicators(path, period="2024", indicator_columns=ALIASES)
    assert parsed.errors == ()
    assert parsed.missing == 7 and parsed.values["value"].notna().sum() == 1
    assert parsed.missing_by_meaning == {
        "not_applicable": 1,
        "not_yet_available": 1,
        "nothing": 1,
        "secret": 2,
        "unknown": 1,
        "unreliable": 1,
    }


def test_a_column_without_header_is_named_by_its_letter_in_the_readers_words(tmp_path: Path):
    """SPEC §2: the JSON says the same in every language (the letter, "F"); the summary says
    "Spalte F (ohne Überschrift)" in German and "column F (no header)" in English."""
    from click.testing import CliRunner

    from monitor.cli import cli
    from monitor.language import LANG_ENV

    districts = write_csv(tmp_path / "d.csv", [["Sozialraum", "Bezeichnung"], ["S01", "Nord"]])
    values = write_csv(
        tmp_path / "i.csv",
        [["Sozialraum", "Indikator", "Jahr", "Wert", "Notiz", ""],
         ["S01", "kinderarmut", "2024", "12,5", "a", "x"]],
    )  # fmt: skip
    run = CliRunner(env={LANG_ENV: ""}).invoke
    said = {
        "de": "(2): Notiz, Spalte F (ohne Überschrift)",
        "en": "(2): Notiz, column F (no header)",
    }
    for lang, named in said.items():
        text_db, json_db = (
            ["--db", f"sqlite:///{tmp_path / lang}{n}.db", "--lang", lang] for n in "12"
        )
        for db in (text_db, json_db):
            assert run(cli, [*db, "import", "districts", str(districts)]).exit_code == 0
        assert named in run(cli, [*text_db, "import", "indicators", str(values)]).stdout
        document = json.loads(
            run(cli, [*json_db, "import", "indicators", str(values), "--json"]).stdout
        )
        assert (document["ignored_columns"], document["unnamed_columns"]) == (["Notiz", "F"], ["F"])
