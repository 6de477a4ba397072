"""The demo city's geography and places of help: district squares, a 100 m grid that sums to the
districts' population, counselling services in the middle and family centres paid by their
measures; `access` and `siting` answer on it, and the neediest district is the least reached."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.context import AppContext
from monitor.demo import build_city, write_city
from monitor.demo.synthetic_places import district_squares, write_places
from monitor.demo.walkthrough import demo_context, import_city, import_places
from monitor.settings import load_settings


def _json(db: str, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--db", db, *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, object]:
    folder = tmp_path_factory.mktemp("demo_places")
    city = build_city(0, scale=0.05)
    app = demo_context(AppContext(load_settings(None), "sqlite://"), folder)
    import_city(app, write_city(city, folder / "exports"))
    import_places(app, write_places(city, folder / "exports"), str(city.years[-1]))
    return app.database_url, city


def test_the_squares_put_the_core_town_in_the_middle() -> None:
    corners = district_squares([f"SR{i:02d}" for i in range(1, 24)])
    assert corners["SR01"] == (318_000.0 + 2 * 1500, 5_624_000.0 + 2 * 1500)  # the middle of 5×5
    assert len(set(corners.values())) == 23


def test_the_grid_sums_to_each_districts_population_and_places_are_placed(ledger) -> None:
    db, city = ledger
    last = city.population[city.population["year"] == city.years[-1]]
    access = _json(db, "access", "--type", "beratung")
    people = {d["key"]: d["people"] for d in access["districts"]}
    assert people == dict(zip(last["district"], last["population"].astype(int), strict=True))
    assert (access["residents"], access["places"], access["period"]) == ("grid", 4, "2024")
    family = _json(db, "access", "--type", "familienzentrum")
    assert family["places"] == 3  # FZ-01..FZ-03 in the districts they pay for; FZ-04 ended 2023


def test_siting_gives_the_cost_per_person_from_the_measures_that_pay_the_places(ledger) -> None:
    db, _ = ledger
    spent = _json(db, "spend", "--by", "measure", "--year", "2024")
    paid = {r["key"]: Decimal(r["amount"]) for r in spent["rows"] if r["key"] in
            ("FZ-01", "FZ-02", "FZ-03")}  # fmt: skip
    per_place = sum(paid.values()) / 3
    siting = _json(db, "siting", "--type", "familienzentrum", "--add", "2")
    cost = Decimal(siting["running_cost_per_place"])
    assert cost == per_place.quantize(Decimal("0.01"), ROUND_HALF_UP)
    for step in siting["curve"]:
        expected = cost * step["places"] / step["newly_covered"]
        assert abs(Decimal(step["cost_per_person"]) - expected) <= Decimal("0.01")


def test_the_neediest_district_is_barely_reached_and_siting_puts_a_place_there(ledger) -> None:
    db, _ = ledger
    access = _json(db, "access", "--type", "beratung")
    rows = {d["key"]: d for d in access["districts"]}
    assert rows["SR03"]["need_class"] == "very_high" and rows["SR03"]["share"] < 0.1
    siting = _json(db, "siting", "--type", "beratung", "--add", "1")
    assert siting["optimal"] and siting["added"][0]["district"] == "SR03"
