"""`access` and `siting` on SQLite and PostgreSQL, in the hand-made city of
tests/ledger/test_geodata_ledger.py (three 1 km squares S01-S03 from x = 300,000, y = 5,640,000
in EPSG:25832) with a census grid and one place of help in the middle of S01."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Monitor
from tests.ledger.test_facilities_ledger import make_city, write_points
from tests.ledger.test_geodata_ledger import X0, Y0, write_grid
from tests.ledger.test_spend_trace import _workbook


@pytest.fixture
def city(monitor: Monitor, tmp_path: Path) -> Monitor:
    return make_city(monitor, tmp_path)


@pytest.fixture
def gridded(city: Monitor, tmp_path: Path) -> Monitor:
    grid = write_grid(tmp_path / "grid.csv", [
        (X0 + 250, Y0 + 250, "100", "50"),   # S01, 354 m from the place
        (X0 + 1400, Y0 + 500, "300", "50"),  # S02, 900 m
        (X0 + 2500, Y0 + 500, "50", "50"),   # S03, 2,000 m
        (X0 + 2900, Y0 + 900, "-1", "-1"),   # S03, secret: nobody counted
        (X0 + 9000, Y0 + 500, "999", "50"),  # outside the city
    ])  # fmt: skip
    city.json("import", "grid", str(grid), "--value", "Einwohner", "--population",
              "--period", "2022")  # fmt: skip
    places = write_points(tmp_path / "p.geojson", [(X0 + 500, Y0 + 500, {"name": "Beratung"})])
    city.json("import", "facilities", str(places), "--type", "beratung")
    return city


def test_access_counts_grid_residents_by_district_within_the_distance(gridded: Monitor) -> None:
    document = gridded.json("access", "--type", "beratung")
    assert {k: document[k] for k in ("type", "within", "period", "weight", "residents")} == {
        "type": "beratung", "within": 1000, "period": "2022", "weight": "population",
        "residents": "grid",
    }  # fmt: skip
    rows = {d["key"]: d for d in document["districts"]}
    assert [(rows[k]["people"], rows[k]["covered"], rows[k]["mean_distance_m"]) for k in
            ("S01", "S02", "S03")] == [(100, 100, 354), (300, 300, 900), (50, 0, 2000)]  # fmt: skip
    assert rows["S03"]["share"] == 0.0 and rows["S01"]["name"] == "Nord"
    assert "need_class" in rows["S01"]
    mean = round((35355 + 270000 + 100000) / 450)
    assert document["total"] == {"people": 450, "covered": 400, "share": 0.889,
                                 "mean_distance_m": mean}  # fmt: skip
    narrow = gridded.json("access", "--type", "beratung", "--within", "500")
    assert narrow["total"]["covered"] == 100


def test_access_weights_people_by_an_indicator_share(gridded: Monitor, tmp_path: Path) -> None:
    values = _workbook(tmp_path / "sgb2.xlsx", {"Indikatoren": [
        ["Sozialraum", "Indikator", "Jahr", "Wert"],
        ["S01", "sgb2", 2022, 0.1], ["S02", "sgb2", 2022, 0.2],
        ["S03", "sgb2", 2022, 0.4]]})  # fmt: skip
    gridded.json("import", "indicators", str(values))
    document = gridded.json("access", "--type", "beratung", "--weight", "sgb2")
    assert document["total"]["people"] == 90 and document["total"]["covered"] == 70
    refused = gridded.run("access", "--type", "beratung", "--weight", "unknown", expect=1)
    assert "sgb2" in refused.stderr


def test_siting_puts_the_new_place_where_the_uncovered_people_live(gridded: Monitor) -> None:
    document = gridded.json("siting", "--type", "beratung", "--add", "1")
    assert document["optimal"] is True
    assert (document["covered_before"], document["covered_after"]) == (400, 450)
    [added] = document["added"]
    assert added["district"] == "S03" and added["newly_covered"] == 50
    assert abs(added["x"] - (X0 + 2500)) < 1 and abs(added["y"] - (Y0 + 500)) < 1
    assert 6.0 < added["lon"] < 7.5 and 50.5 < added["lat"] < 51.5
    assert document["curve"] == [
        {"places": 1, "covered": 450, "newly_covered": 50, "cost_per_person": None}
    ]
    assert document["running_cost_per_place"] is None  # no place names its measure


def test_siting_by_distance_brings_the_most_people_closest_rather_than_over_the_limit(
    gridded: Monitor,
) -> None:
    """p-median: a place at S02's cell (300 people at 900 m, and S03's 50 from 2,000 m to
    1,100 m) shortens the ways by 315,000 person-metres; one at S03's cell, the coverage
    choice, only by 100,000. Sums by hand from the cell positions above."""
    document = gridded.json("siting", "--type", "beratung", "--add", "1",
                            "--objective", "distance")  # fmt: skip
    assert document["objective"] == "distance" and document["optimal"] is True
    [added] = document["added"]
    assert added["district"] == "S02" and added["served"] == 350 and added["newly_covered"] == 0
    before = (100 * 250 * 2**0.5 + 300 * 900 + 50 * 2000) / 450
    after = (100 * 250 * 2**0.5 + 50 * 1100) / 450
    assert document["mean_distance_before"] == round(before) == 901
    assert document["mean_distance_after"] == round(after) == 201
    assert (document["covered_before"], document["covered_after"]) == (400, 400)
    assert document["curve"] == [{"places": 1, "covered": 400, "newly_covered": 0,
                                  "cost_per_person": None, "mean_distance_m": 201}]  # fmt: skip
    shown = gridded.run("siting", "--type", "beratung", "--add", "1", "--objective", "distance")
    assert "Mittlere Entfernung zur nächsten Anlaufstelle: bisher 901 m, danach 201 m." in (
        shown.stdout
    )
    coverage = gridded.json("siting", "--type", "beratung", "--add", "1")
    assert coverage["objective"] == "coverage" and coverage["added"][0]["district"] == "S03"


def test_siting_takes_candidates_from_a_file(gridded: Monitor, tmp_path: Path) -> None:
    sites = write_points(tmp_path / "sites.geojson", [(X0 + 2000, Y0 + 500, {}),
                                                      (X0 + 2600, Y0 + 600, {})])  # fmt: skip
    document = gridded.json("siting", "--type", "beratung", "--add", "1",
                            "--candidates", str(sites))  # fmt: skip
    assert document["candidates"] == 2 and document["added"][0]["newly_covered"] == 50


def test_without_a_grid_districts_count_at_a_point_inside_them(
    city: Monitor,
    tmp_path: Path,
) -> None:
    counts = _workbook(tmp_path / "people.xlsx", {"Sozialräume": [
        ["Sozialraum", "Bezeichnung"], ["S01", "Nord"], ["S02", "Mitte"], ["S03", "Süd"]],
        "Einwohner": [
        ["Sozialraum", "Jahr", "Einwohner"], ["S01", 2024, 1000], ["S02", 2024, 2000],
        ["S03", 2024, 500]]})  # fmt: skip
    city.json("import", "districts", str(counts))
    places = write_points(tmp_path / "p.geojson", [(X0 + 500, Y0 + 500, {"name": "Beratung"})])
    city.json("import", "facilities", str(places), "--type", "beratung")
    document = city.json("access", "--type", "beratung")
    assert (document["residents"], document["period"]) == ("districts", "2024")
    assert [d["covered"] for d in document["districts"]] == [1000, 2000, 0]


def test_an_unknown_type_is_refused_naming_the_known_ones(gridded: Monitor) -> None:
    result = gridded.run("access", "--type", "kita", expect=1)
    assert "beratung" in result.stderr
    gridded.run("siting", "--type", "beratung", "--add", "0", expect=2)
