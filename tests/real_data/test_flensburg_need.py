"""Flensburg's need index 2017–2022 from its Sozialatlas (docs/case-study-flensburg.md), imported
through the product's own commands with examples/settings-flensburg.toml, and checked against an
independent computation from the Sozialatlas' own tables (tests/data/real/flensburg-sozialatlas:
Tabellen 1, 7, 12, 14, read here with a regular expression, not with the product or the script
that wrote the example file).

The rule written out (SPEC §7): z-score each share across the 13 Stadtteile of a year (population
standard deviation), average the two, standardise that mean again for the class: z ≥ 1.5 very
high, ≥ 1.0 high, ≤ −1.0 low, else medium.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.real_data.cli import EXAMPLES, REAL, Ledger

SQL = REAL / "flensburg-sozialatlas" / "flensburg_sozialatlas.sql"
SHAPES = REAL / "flensburg" / "flensburg_stadtteile.zip"
SETTINGS = EXAMPLES / "settings-flensburg.toml"
INDICATORS = EXAMPLES / "flensburg" / "sozialatlas-2017-2022.csv"
YEARS = range(2017, 2023)


def table(name: str) -> dict[tuple[int, str], int]:
    """(year, key) -> count of one Sozialatlas table: `INSERT INTO name (year, district_id, x)`."""
    text = SQL.read_text(encoding="utf-8")
    block = text.split(f"INSERT INTO {name} (year, district_id, residents) VALUES", 1)[1]
    block = block.split(";", 1)[0]
    return {
        (int(year), f"STGT{int(district):02d}"): int(count)
        for year, district, count in re.findall(r"\((\d{4}), (\d+), (\d+)\)", block)
    }


def independent_need() -> dict[int, dict[str, tuple[float, str]]]:
    residents = table("fl_residents_by_district")
    working_age = table("fl_residents_age_18_to_under_65_by_district")
    unemployed = table("fl_unemployed_residents_by_district")
    housing = table("fl_housing_benefit_by_district")
    result = {}
    for year in YEARS:
        keys = sorted(k for y, k in unemployed if y == year)
        shares = np.array(
            [
                [
                    100 * unemployed[(year, k)] / working_age[(year, k)],
                    100 * housing[(year, k)] / residents[(year, k)],
                ]
                for k in keys
            ]
        )
        z = (shares - shares.mean(axis=0)) / shares.std(axis=0)
        index = z.mean(axis=1)
        again = (index - index.mean()) / index.std()
        classes = [
            "very_high" if v >= 1.5 else "high" if v >= 1.0 else "low" if v <= -1.0 else "medium"
            for v in again
        ]
        result[year] = {k: (float(i), c) for k, i, c in zip(keys, index, classes, strict=True)}
    return result


@pytest.fixture(scope="module")
def flensburg(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    ledger = Ledger(tmp_path_factory.mktemp("flensburg"), SETTINGS)
    boundaries = ledger.json("import", "boundaries", SHAPES, "--key", "AREA_ID", "--name",
                             "AREA_NAME", "--create-districts")  # fmt: skip
    assert boundaries["created"] == 13
    imported = ledger.json("import", "indicators", INDICATORS)
    assert imported["errors"] == []
    return ledger


def test_the_need_index_of_every_year_equals_the_independent_computation(flensburg) -> None:
    expected = independent_need()
    for year in YEARS:
        document = flensburg.json("need", "--period", str(year))
        assert document["suppressed"] == []
        got = {d["key"]: (d["need_index"], d["need_class"]) for d in document["districts"]}
        assert got.keys() == expected[year].keys()
        for key, (index, need_class) in expected[year].items():
            # The example file holds the shares to four decimals: the index agrees to 1e-3.
            assert got[key][0] == pytest.approx(index, abs=1e-3), (year, key)
            assert got[key][1] == need_class, (year, key)


def test_the_case_study_figures(flensburg) -> None:
    """What docs/case-study-flensburg.md says about 2022 and the years before."""
    newest = flensburg.json("need", "--period", "2022")
    ranked = sorted(newest["districts"], key=lambda d: d["need_rank"])
    assert [d["name"] for d in ranked[:3]] == ["03 Nordstadt", "02 Neustadt", "10 Fruerlund"]
    high = {d["name"]: d["persistent"] for d in ranked if d["need_class"] in ("high", "very_high")}
    assert high == {"03 Nordstadt": 4, "02 Neustadt": 1, "10 Fruerlund": 3}
    assert [d["name"] for d in ranked if d["need_class"] == "low"] == ["13 Tarup"]
    tarup = [flensburg.json("need", "--period", str(y)) for y in YEARS]
    assert all(
        next(d for d in year["districts"] if d["key"] == "STGT13")["need_rank"] == 13
        for year in tarup
    )  # the least burdened Stadtteil in every year
