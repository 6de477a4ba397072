"""The layout of the Federal Employment Agency's tables on a small workbook shaped like its
monthly Kreis tables (the real one: tests/real_data/test_ba_tables.py): a group label holds to
its right until its row or a row above starts another, footnote marks and the column numbers
are left out, a month per column, the BA's symbols counted by meaning; a table that only cites
the BA as its source stays a city's own wide file."""

from __future__ import annotations

import math
from pathlib import Path

from imports.master_data.indicators import parse_indicators
from tests.exports import write_xlsx

ALIASES = {
    "arbeitslose": ("Arbeitslose / Insgesamt",),
    "arbeitslose_frauen": ("Frauen",),
    "alo_quote": ("Quote",),
}
ROWS = [
    ["Arbeitslose nach Kreisen"],
    [],
    ["Region", "Arbeitslose", None, None, None, "Quote"],
    [None, "Insgesamt", None, "darunter", None, None],
    [None, None, None, "Frauen1)", None, None],
    [None, "Juni 2023", "Juni 2024", "Juni 2023", "Juni 2024", "Juni 2024"],
    [None, 1, 2, 3, 4, 5],
    ["Deutschland", 2_600_000, 2_730_000, 1_150_000, 1_210_000, 5.8],
    ["05315 Köln, Stadt", 48_000, "*", 21_000, "-", 8.9],
    ["05358 Düren", ".", 9_100, 4_000, 4_200, 6.4],
    [],
    ["Erstellungsdatum: 01.07.2024, © Statistik der Bundesagentur für Arbeit"],
    ["1) Frauen: Personen mit Geschlecht weiblich."],
]


def test_group_labels_periods_symbols_and_aggregates_of_a_ba_table(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "alo-kreise.xlsx", ROWS, sheet="Kreise")
    parsed = parse_indicators(path, indicator_columns=ALIASES)
    assert (parsed.source, parsed.layout, parsed.errors) == ("ba", "wide", ())
    assert parsed.columns == {
        "district": "Region",
        "arbeitslose": "Kreise / Arbeitslose / Insgesamt",
        "arbeitslose_frauen": "Kreise / Arbeitslose / Frauen",  # "darunter" and "1)" left out
        "alo_quote": "Kreise / Quote",  # "Frauen" does not reach into the new group
    }
    got = {
        (d, i, p): v
        for d, i, p, v in parsed.values[["district", "indicator", "period", "value"]].values
    }
    assert len(got) == 2 * 5 and got["05315", "arbeitslose", "2023-06"] == 48_000
    assert got["05358", "alo_quote", "2024-06"] == 6.4
    assert all(
        math.isnan(got[key])
        for key in [
            ("05315", "arbeitslose", "2024-06"),
            ("05315", "arbeitslose_frauen", "2024-06"),
            ("05358", "arbeitslose", "2023-06"),
        ]
    )
    assert parsed.missing_by_meaning == {"nothing": 1, "secret": 1, "unknown": 1}
    assert (parsed.aggregates, parsed.skipped_notes, parsed.ignored_columns) == (
        ("Deutschland",),
        2,
        (),
    )


def test_a_table_citing_the_ba_as_its_source_is_the_citys_own_wide_file(tmp_path: Path) -> None:
    rows = [
        ["Sozialraumdaten 2024"],
        ["Quelle: Statistik der Bundesagentur für Arbeit, eigene Berechnungen"],
        ["Nr.", "Sozialraum", "SGB II Quote (%)"],
        [1, "Nord", "18,5"],
        [2, "Süd", "*"],
    ]
    path = write_xlsx(tmp_path / "sozialraeume.xlsx", rows)
    parsed = parse_indicators(
        path, period="2024", indicator_columns={"sgb2_quote": ("SGB II Quote",)}
    )
    assert (parsed.source, parsed.layout) == (None, "wide")
    assert parsed.values["district"].tolist() == ["1", "2"]
    assert parsed.missing_by_meaning == {"secret": 1}
