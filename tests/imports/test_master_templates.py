"""Templates import as written, and the demo city's master files import without a loss."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from imports.master_data import (
    TEMPLATE_KINDS,
    parse_districts,
    parse_indicators,
    parse_measures,
    parse_plan,
    write_template,
)
from monitor.demo import export_writers
from monitor.demo.synthetic_city import build_city

PARSERS: dict[str, Callable[[Path], object]] = {
    "districts": parse_districts,
    "indicators": parse_indicators,
    "measures": parse_measures,
    "plan": parse_plan,
}


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_template_example_rows_import_without_errors(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    write_template(kind, path, today=dt.date(2025, 3, 1))
    parsed = PARSERS[kind](path)
    assert parsed.errors == ()  # type: ignore[attr-defined]
    book = load_workbook(path)
    assert book.sheetnames[-1] == "Anleitung"
    instructions = [row for row in book["Anleitung"].iter_rows(values_only=True)]
    described = {(row[0], row[1]) for row in instructions if row and row[1]}
    for name in book.sheetnames[:-1]:
        headers = next(book[name].iter_rows(max_row=1, values_only=True))
        assert all((name, header) in described for header in headers)  # every column explained


def test_template_rows_are_the_documented_examples(tmp_path: Path) -> None:
    today = dt.date(2025, 3, 1)
    write_template("measures", tmp_path / "m.xlsx", today=today)
    write_template("plan", tmp_path / "p.xlsx", today=today)
    measures = parse_measures(tmp_path / "m.xlsx")
    assert measures.measures[["measure", "cost_center", "account"]].values.tolist() == [
        ["JZ-A", "36050", "5291*, 5431*"]
    ]
    assert measures.allocations["share"].tolist() == [Decimal("0.6"), Decimal("0.4")]
    plan = parse_plan(tmp_path / "p.xlsx")
    assert plan.amounts[["year", "amount_cents"]].values.tolist() == [
        [2025, 12000000],
        [2026, 12500000],
    ]


def test_unknown_template_kind_names_the_kinds(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="districts, indicators, measures, plan"):
        write_template("postings", tmp_path / "x.xlsx")


def test_demo_city_master_files_import_completely(tmp_path: Path) -> None:
    city = build_city(0, districts=8, years=range(2019, 2023), scale=0.1)
    as_of = dt.datetime(2023, 1, 15)
    districts = parse_districts(
        export_writers.write_districts(
            city.districts, city.population, tmp_path / "d.xlsx", as_of=as_of
        )
    )
    indicators = parse_indicators(
        export_writers.write_indicators(city.indicators, tmp_path / "i.xlsx", as_of=as_of)
    )
    measures = parse_measures(
        export_writers.write_measures(
            city.measures, city.allocations, tmp_path / "m.xlsx", as_of=as_of
        )
    )
    plan = parse_plan(
        export_writers.write_plan(city.plan, city.measures, tmp_path / "p.xlsx", as_of=as_of)
    )
    for parsed in (districts, indicators, measures, plan):
        assert parsed.errors == ()
    assert districts.districts["district"].tolist() == city.districts["district"].tolist()
    assert len(districts.population) == len(city.population)
    merged = indicators.values.merge(
        city.indicators, on=["district", "indicator", "period"], suffixes=("", "_city")
    )
    assert len(merged) == len(indicators.values) == len(city.indicators)
    same = (merged["value"] == merged["value_city"]) | (
        merged["value"].isna() & merged["value_city"].isna()
    )
    assert same.all()
    assert indicators.missing == int(city.indicators["value"].isna().sum())
    assert measures.measures["measure"].tolist() == city.measures["measure"].tolist()
    assert len(measures.allocations) == len(city.allocations)
    assert int(plan.amounts["amount_cents"].sum()) == sum(int(a * 100) for a in city.plan["amount"])
