"""MSS 2021 (new planning areas from 2021) carried to the old planning areas through the
crosswalk, with `import indicators --crosswalk`.

Data (tests/data/real/README.md): the MSS table "2-1" of 2021 in the CSV conversion by Open
Lifeworlds (CC BY 4.0; data: Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen Berlin,
MSS 2021), excerpt of the new planning areas of Mitte (01…) and Marzahn-Hellersdorf (10…);
the old→new LOR crosswalk `berlin-lor-matches.json` of Open Data Product (CC BY 4.0), whole.
The ledger holds the excerpts of MSS 2013–2019 (old planning areas of the same two Bezirke),
as tests/real_data/test_berlin_mss.py imports them. Expected values are recomputed from the
files with the csv and json modules.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.real_data.cli import EXAMPLES, REAL, Ledger

MSS = REAL / "berlin-mss"
EXCERPT = MSS / "excerpt"
MSS_2021 = MSS / "crosswalk" / "mss-2021-2-1.csv"
CROSSWALK = REAL / "berlin-geo" / "berlin-lor-matches.json"
SETTINGS = EXAMPLES / "settings-berlin-mss.toml"
EDITIONS = {2013: "2012", 2015: "2014", 2017: "2016", 2019: "2018"}
S3 = "s3_percentage_transfer_payments_recipients"


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, dict[str, Any]]:
    """The 2013–2019 excerpts in one ledger, then MSS 2021 through the crosswalk as 2020."""
    ledger = Ledger(tmp_path_factory.mktemp("berlin-crosswalk"), SETTINGS)
    ledger.run("import", "districts", EXCERPT / "mss-2013-2-1.csv")
    for edition, period in EDITIONS.items():
        ledger.run("import", "indicators", EXCERPT / f"mss-{edition}-2-1.csv", "--period", period)
    summary = ledger.json(
        "import", "indicators", MSS_2021, "--period", "2020", "--crosswalk", CROSSWALK
    )
    return ledger, summary


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def stored(ledger: Ledger, indicator: str, period: str) -> dict[str, float | None]:
    """The ledger's values of one indicator and period, read with sqlite3."""
    with sqlite3.connect(ledger.url.removeprefix("sqlite:///")) as connection:
        found = connection.execute(
            "select district, value from indicator_value where indicator = ? and period = ?",
            (indicator, period),
        ).fetchall()
    return dict(found)


def test_the_new_areas_import_into_the_old_ledger_through_the_crosswalk(
    joined: tuple[Ledger, dict[str, Any]],
) -> None:
    _, summary = joined
    assert summary["errors"] == []
    walk = summary["crosswalk"]
    assert walk["file"] == "berlin-lor-matches.json"
    # 75 old areas in the ledger: 66 carried, 2 split, 2 failing the population check,
    # 2 (Westhafen, Stadion Wilmersdorf) and Bitterfelder Straße linked to nothing in the file.
    assert (walk["carried"], walk["one_to_one"], len(walk["many_to_one"])) == (66, 54, 12)
    assert walk["carried"] + len(walk["not_covered"]) == 75


def test_a_one_to_one_match_carries_the_value_and_population_as_published(
    joined: tuple[Ledger, dict[str, Any]],
) -> None:
    ledger, _ = joined
    matches = json.loads(CROSSWALK.read_text(encoding="utf-8"))
    assert matches["01011101"] == ["01100101"]  # Stülerstraße, old and new
    new = rows(MSS_2021)["01100101"]
    assert stored(ledger, "transferbezug", "2020")["01011101"] == pytest.approx(float(new[S3]))


def test_several_new_areas_of_one_old_area_give_their_population_weighted_mean(
    joined: tuple[Ledger, dict[str, Any]],
) -> None:
    ledger, summary = joined
    parts = summary["crosswalk"]["many_to_one"]["01033101"]  # Soldiner Straße
    assert parts == ["01300730", "01300731", "01300732"]
    new = rows(MSS_2021)
    weights = [float(new[p]["inhabitants"]) for p in parts]
    expected = sum(w * float(new[p][S3]) for w, p in zip(weights, parts, strict=True)) / sum(
        weights
    )
    assert stored(ledger, "transferbezug", "2020")["01033101"] == pytest.approx(expected)
    need = ledger.json("need", "--period", "2020")
    soldiner = next(d for d in need["districts"] if d["key"] == "01033101")
    assert soldiner["population"] == sum(weights)


def test_splits_unmatched_codes_and_failed_population_checks_are_named(
    joined: tuple[Ledger, dict[str, Any]],
) -> None:
    ledger, summary = joined
    walk = summary["crosswalk"]
    tiergarten = {"01011102": "Großer Tiergarten", "01011105": "Nördlicher Landwehrkanal"}
    assert {"code": "01100102", "into": tiergarten} in walk["splits"]
    assert walk["unmatched"] == ["01401046"]  # Nordufer: in no pair of the crosswalk
    assert rows(MSS_2021)["01401046"]["name"] == "Nordufer"
    # Sparrplatz: its 2021 parts in the crosswalk hold 7,867 of its 17,122 inhabitants of 2018.
    assert walk["population_mismatch"]["01044202"] == {
        "name": "Sparrplatz", "period": "2020", "population": 7867,
        "earlier_period": "2018", "earlier_population": 17122,
    }  # fmt: skip
    values = stored(ledger, "transferbezug", "2020")
    assert not {"01011102", "01011105", "01044202"} & set(values)
    need = ledger.json("need", "--period", "2020")
    suppressed = {row["key"]: row["reason"] for row in need["suppressed"]}
    assert "missing" in suppressed["01044202"]


def test_without_the_crosswalk_every_new_code_is_an_unknown_district(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path, SETTINGS)
    ledger.run("import", "districts", EXCERPT / "mss-2013-2-1.csv")
    refused = ledger.json("import", "indicators", MSS_2021, "--period", "2020", expect=1)
    assert refused["import"] is None
    assert len({e["row"] for e in refused["errors"]}) == 89
