"""The report's "Kurze Wege" section on a city with a walking network (`[places] network`): the
Kouvola ledger of tests/ledger/test_access_network.py (a real OpenStreetMap extract, twelve
grid cells, two places of help). With the network the section's figures are the ones
`access --network` and `siting --network` print, and its sentences say "Fußweg"; without one
they are the straight-line figures of `access`/`siting`, as before, and say "Luftlinie". A
rerun walks the network its run was built with."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_xlsx
from tests.ledger.test_access_network import EXTRACT, kouvola  # noqa: F401 (a fixture)
from tests.ledger.test_spend_trace import POSTINGS
from tests.reports.test_report_on_demo_city import text_of

# What the report measures with (monitor.report_short_ways: WITHIN metres, SUGGESTED places).
WITHIN, SUGGESTED = "1000", "2"


def _report(monitor: Monitor, *options: str, out: str) -> tuple[dict, str]:
    """The report's "Kurze Wege" sidecar section and the text of its page."""
    made = monitor.json(*options, "report", "--period", "2022", "--out", out)
    sidecar = json.loads((monitor.workdir / made["sidecar"]).read_text("utf-8"))
    [section] = sidecar["short_ways"]
    [page] = [p for p in text_of(monitor.workdir / made["file"]) if "Kurze Wege:" in p]
    return section, page


def _as_report_shows(access: dict, siting: dict) -> dict:
    """The CLI's figures in the shape of the report's sidecar."""
    return {
        "distance": access["distance"],
        "people": access["total"]["people"],
        "covered": access["total"]["covered"],
        "districts": [
            (d["key"], d["people"], d["covered"], d["share"], d["mean_distance_m"])
            for d in access["districts"]
        ],
        "suggested": [(a["x"], a["y"], a["newly_covered"]) for a in siting["added"]],
        "covered_after": siting["covered_after"],
        "curve": [[step["places"], step["covered"]] for step in siting["curve"]],
        "optimal": siting["optimal"],
    }


def _shown(section: dict) -> dict:
    return {
        "distance": section["distance"],
        "people": section["people"],
        "covered": section["covered"],
        "districts": [
            (
                d["key"],
                d["people"],
                d["covered"],
                None if d["share"] is None else round(d["share"], 3),  # as `access --json`
                d["mean_distance_m"],
            )
            for d in section["districts"]
        ],
        "suggested": [  # to a tenth of a metre, as `siting --json`
            (round(s["x"], 1), round(s["y"], 1), s["newly_covered"]) for s in section["suggested"]
        ],
        "covered_after": section["covered_after"],
        "curve": section["curve"],
        "optimal": section["optimal"],
    }


def test_the_report_walks_the_citys_network_as_access_and_siting_network_do(
    kouvola: tuple[Monitor, np.ndarray, np.ndarray],  # noqa: F811
    tmp_path: Path,
) -> None:
    monitor = kouvola[0]
    postings = write_xlsx(tmp_path / "postings.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS])
    monitor.json("import", "postings", str(postings))
    settings = tmp_path / "settings.toml"
    settings.write_text(f"[places]\nnetwork = {json.dumps(str(EXTRACT))}\n", encoding="utf-8")
    walking = ("--within", WITHIN, "--network", str(EXTRACT))
    walked_cli = _as_report_shows(
        monitor.json("access", "--type", "beratung", *walking),
        monitor.json("siting", "--type", "beratung", "--add", SUGGESTED, *walking),
    )
    straight_cli = _as_report_shows(
        monitor.json("access", "--type", "beratung", "--within", WITHIN),
        monitor.json("siting", "--type", "beratung", "--add", SUGGESTED, "--within", WITHIN),
    )
    assert (walked_cli["distance"], straight_cli["distance"]) == ("walking", "straight_line")
    # the extract's detours must show at this distance, or the test could not tell them apart
    assert walked_cli["covered"] < straight_cli["covered"]
    assert walked_cli["suggested"] != straight_cli["suggested"]

    walked, walked_page = _report(monitor, "--settings", str(settings), out="walked.pdf")
    assert _shown(walked) == walked_cli
    assert walked["network"] == "test.osm.pbf"
    assert "1 km Fußweg von der nächsten Anlaufstelle" in walked_page
    assert "Gemessen auf Fußwegen" in walked_page and "test.osm.pbf" in walked_page
    assert "Luftlinie von" not in walked_page

    # The settings' network is the commands' too, without --network.
    assert (
        _as_report_shows(
            monitor.json("--settings", str(settings), "access", "--type", "beratung"),
            monitor.json(
                "--settings", str(settings), "siting", "--type", "beratung", "--add", SUGGESTED
            ),
        )
        == walked_cli
    )

    straight, straight_page = _report(monitor, out="straight.pdf")
    assert _shown(straight) == straight_cli
    assert straight["network"] is None
    assert "1 km Luftlinie von der nächsten Anlaufstelle" in straight_page
    assert "Gemessen in Luftlinie" in straight_page and "Fußweg" not in straight_page

    # A rerun of the walked report walks the same network, from settings that name none.
    rerun = monitor.json("report", "--rerun", "1", "--out", "rerun.pdf")
    again = json.loads((monitor.workdir / rerun["sidecar"]).read_text("utf-8"))["short_ways"]
    assert again == [walked]


def test_a_missing_network_named_in_the_settings_is_refused_in_german(
    kouvola: tuple[Monitor, np.ndarray, np.ndarray],  # noqa: F811
    tmp_path: Path,
) -> None:
    monitor = kouvola[0]
    settings = tmp_path / "settings.toml"
    settings.write_text('[places]\nnetwork = "Dueren.osm.pbf"\n', encoding="utf-8")
    refused = monitor.run("--settings", str(settings), "access", "--type", "beratung", expect=1)
    assert "Das Wegenetz" in refused.stderr and "Dueren.osm.pbf" in refused.stderr
    assert "Traceback" not in refused.stderr
