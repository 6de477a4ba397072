"""The report's "Kurze Wege" section on the demo city (with its places, grid and the SGB II rate
as the outcome, in per cent): the sidecar holds exactly what `access` and `siting` compute, the
page names the districts of high need with the lowest share reached, fewest first, and the
suggestion; the map is drawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.context import AppContext
from monitor.demo import build_city, write_city
from monitor.demo.synthetic_places import write_places
from monitor.demo.walkthrough import demo_context, import_city, import_places
from monitor.places_commands import access_document, siting_document
from monitor.report_command import create_report
from monitor.settings import load_settings
from reports.short_ways import burdened_least_reached
from reports.short_ways_data import DistrictReach
from tests.reports.test_report_on_demo_city import german_integer, text_of


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[AppContext, dict, list[str]]:
    folder = tmp_path_factory.mktemp("short_ways")
    city = build_city(0, scale=0.05)
    app = demo_context(AppContext(load_settings(None), "sqlite://"), folder)
    import_city(app, write_city(city, folder / "exports"))
    import_places(app, write_places(city, folder / "exports"), "2024")
    made = create_report(app, "2024", folder / "Sozialbericht_2024.pdf", "de")
    sidecar = json.loads(Path(made["sidecar"]).read_text(encoding="utf-8"))
    return app, sidecar, text_of(Path(made["file"]))


def test_the_sidecar_holds_what_access_and_siting_compute(report) -> None:
    app, sidecar, _ = report
    sections = {s["type"]: s for s in sidecar["short_ways"]}
    assert sorted(sections) == ["beratung", "familienzentrum"]
    section = sections["beratung"]
    assert (section["weight"], section["within"], section["period"]) == ("sgb2_quote", 1000, "2024")
    assert (section["distance"], section["network"]) == ("straight_line", None)  # no network
    access, _, _ = access_document(app, "beratung", 1000.0, None, "sgb2_quote", None)
    assert (section["people"], section["covered"]) == (
        access["total"]["people"], access["total"]["covered"])  # fmt: skip
    by_key = {d["key"]: d for d in access["districts"]}
    for row in section["districts"]:
        assert (row["people"], row["covered"], row["need_class"]) == (
            by_key[row["key"]]["people"], by_key[row["key"]]["covered"],
            by_key[row["key"]]["need_class"])  # fmt: skip
    siting = siting_document(app, "beratung", 2, 1000.0, None, None, "sgb2_quote", None)
    assert [s["district"] for s in section["suggested"]] == [a["district"] for a in siting["added"]]
    assert section["covered_after"] == siting["covered_after"] and section["optimal"]


def test_the_page_names_the_needy_districts_least_reached_and_the_suggestion(report) -> None:
    _, sidecar, pages = report
    section = next(s for s in sidecar["short_ways"] if s["type"] == "beratung")
    assert section["name"] == "Beratungsstellen"  # the type's display name, not its code
    [page] = [p for p in pages if "Kurze Wege: Beratungsstellen" in p]
    assert "„beratung“" not in page and "(Beratungsstellen: " in page
    burdened = ("high", "very_high")
    needy = [d for d in section["districts"]
             if d["need_class"] in burdened and d["covered"] < d["people"]]  # fmt: skip
    needy.sort(key=lambda d: d["covered"] / d["people"])
    assert needy, "the demo city has needy districts beyond reach"
    for district in needy[:3]:
        far = german_integer(district["people"] - district["covered"])
        assert f"In {district['name']} (Bedarf " in page
        assert f"wohnen {far} Menschen mit Bedarf (SGB-II-Quote) weiter als 1 km Luftlinie" in page
    order = [page.index(f"In {d['name']} (Bedarf") for d in needy[:3]]
    assert order == sorted(order)
    first = section["suggested"][0]
    assert f"1. neue Anlaufstelle in {first['district_name']}" in page
    assert "beweisbar die beste" in page


def test_districts_named_are_the_needy_ones_fewest_reached_first() -> None:
    rows = (
        DistrictReach("A", "A", 100, 90, 0.9, 300, "very_high"),
        DistrictReach("B", "B", 100, 10, 0.1, 900, "high"),
        DistrictReach("C", "C", 100, 0, 0.0, 2000, "medium"),  # not needy
        DistrictReach("D", "D", 100, 100, 1.0, 200, "very_high"),  # fully reached
        DistrictReach("E", "E", 200, 20, 0.1, 900, "very_high"),  # same share, more beyond
        DistrictReach("F", "F", 0, 0, None, None, "high"),  # nobody lives there
        DistrictReach("G", "G", 100, 50, 0.5, 800, "high"),
    )
    assert [d.key for d in burdened_least_reached(rows)] == ["E", "B", "G"]
