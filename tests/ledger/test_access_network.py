"""`access --network`: walking distances along the footpaths of a real OpenStreetMap extract
(the small PBF pyrosm ships, a part of Kouvola, © OpenStreetMap contributors, ODbL), on
SQLite and PostgreSQL. A one-district city drawn around the extract, residents in grid cells,
two places of help. The network distances themselves are checked against networkx in
tests/evaluation/test_walking.py; here: the command measures the ledger's residents with them
(the same figures as the pure function on the same points) and never finds a way shorter than
the straight line; `siting --network` chooses as brute force over networkx distances does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyrosm
import pytest
from pyproj import Transformer

from evaluation.walking import walking_distances
from imports.geodata.walking_network import read_walking_network
from tests.conftest import Monitor
from tests.evaluation.test_walking import networkx_distances
from tests.ledger.test_facilities_ledger import write_points
from tests.ledger.test_geodata_ledger import write_city, write_grid

EXTRACT = Path(pyrosm.__file__).parent / "data" / "test.osm.pbf"
TO_METRIC = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
FROM_LAEA = Transformer.from_crs("EPSG:3035", "EPSG:25832", always_xy=True)
TO_LAEA = Transformer.from_crs("EPSG:25832", "EPSG:3035", always_xy=True)


def _metric(lon: float, lat: float) -> tuple[float, float]:
    x, y = TO_METRIC.transform(lon, lat)
    return float(x), float(y)


@pytest.fixture
def kouvola(monitor: Monitor, tmp_path: Path) -> tuple[Monitor, np.ndarray, np.ndarray]:
    corners = [(26.93, 60.52), (26.97, 60.52), (26.97, 60.54), (26.93, 60.54), (26.93, 60.52)]
    ring = [list(_metric(lon, lat)) for lon, lat in corners]
    monitor.json("import", "boundaries", str(write_city(tmp_path / "city.geojson",
                 [("K1", "Kouvola", ring)])), "--create-districts", "--key", "SR",
                 "--name", "NAME")  # fmt: skip
    rng = np.random.default_rng(17)
    lons, lats = rng.uniform(26.935, 26.965, 12), rng.uniform(60.523, 60.537, 12)
    cells = [_metric(lon, lat) for lon, lat in zip(lons, lats, strict=True)]
    grid = write_grid(tmp_path / "grid.csv", [(x, y, "40", "50") for x, y in cells])
    monitor.json("import", "grid", str(grid), "--value", "Einwohner", "--population",
                 "--period", "2022")  # fmt: skip
    places = [_metric(26.945, 60.528), _metric(26.958, 60.533)]
    monitor.json("import", "facilities", str(write_points(tmp_path / "p.geojson",
                 [(x, y, {"name": f"Neuvonta {i}"}) for i, (x, y) in enumerate(places)])),
                 "--type", "beratung")  # fmt: skip
    # the residents as the ledger holds them: written in EPSG:3035 to one decimal, read back
    laea = np.round(np.column_stack(TO_LAEA.transform(*np.array(cells).T)), 1)
    residents = np.column_stack(FROM_LAEA.transform(laea[:, 0], laea[:, 1]))
    return monitor, residents, np.array(places)


def test_access_with_a_network_walks_the_footpaths_and_never_beats_the_beeline(
    kouvola: tuple[Monitor, np.ndarray, np.ndarray],
) -> None:
    monitor, residents, places = kouvola
    straight = monitor.json("access", "--type", "beratung", "--within", "500")
    walked = monitor.json("access", "--type", "beratung", "--within", "500",
                          "--network", str(EXTRACT))  # fmt: skip
    assert (straight["distance"], walked["distance"]) == ("straight_line", "walking")
    paths = read_walking_network(EXTRACT, "EPSG:25832")
    expected = walking_distances(paths.nodes, paths.u, paths.v, paths.length, residents, places)
    assert np.isfinite(expected).all()
    total = walked["total"]
    assert total["people"] == 480
    assert total["mean_distance_m"] == round(expected.mean())
    assert total["covered"] == 40 * int((expected <= 500).sum())
    assert total["mean_distance_m"] > straight["total"]["mean_distance_m"]
    assert total["covered"] <= straight["total"]["covered"]


def test_a_network_file_that_is_no_extract_is_refused(
    kouvola: tuple[Monitor, np.ndarray, np.ndarray], tmp_path: Path
) -> None:
    monitor = kouvola[0]
    bad = tmp_path / "streets.osm.pbf"
    bad.write_bytes(b"not a protobuf file")
    refused = monitor.run("access", "--type", "beratung", "--network", str(bad), expect=1)
    assert "streets.osm.pbf" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize("objective", ["coverage", "distance"])
def test_siting_with_a_network_chooses_the_best_site_by_walking_distances_as_networkx_does(
    kouvola: tuple[Monitor, np.ndarray, np.ndarray], objective: str
) -> None:
    """Both objectives, one new place among the twelve resident cells: the command's choice is
    the best of all twelve by an independent networkx computation (geodesic segment lengths,
    brute-force snapping). The ledger measures in UTM zone 32N, which at Kouvola's 27° E
    stretches lengths by about 1 %, so the figures agree to 2 % and the choice exactly."""
    monitor, residents, places = kouvola
    found = monitor.json("siting", "--type", "beratung", "--add", "1", "--within", "500",
                         "--objective", objective, "--network", str(EXTRACT))  # fmt: skip
    assert found["distance"] == "walking" and found["optimal"]
    to_lonlat = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
    lonlat = np.column_stack(to_lonlat.transform(residents[:, 0], residents[:, 1]))
    place_lonlat = np.column_stack(to_lonlat.transform(places[:, 0], places[:, 1]))
    osm = pyrosm.OSM(str(EXTRACT)).get_network(network_type="walking", nodes=True)
    walked = networkx_distances(osm, lonlat, lonlat, "EPSG:25832")  # residents × candidates
    before = networkx_distances(osm, lonlat, place_lonlat, "EPSG:25832").min(axis=1)
    people = 40.0
    chosen = [found["added"][0]["x"], found["added"][0]["y"]]
    if objective == "coverage":
        gains = [people * ((before > 500) & (walked[:, j] <= 500)).sum() for j in range(12)]
        assert found["covered_after"] - found["covered_before"] == max(gains)
        best = [j for j in range(12) if gains[j] == max(gains)]
    else:
        means = [np.minimum(before, walked[:, j]).mean() for j in range(12)]
        assert found["mean_distance_after"] == pytest.approx(min(means), rel=0.02)
        assert found["mean_distance_before"] == pytest.approx(before.mean(), rel=0.02)
        best = [int(np.argmin(means))]
    assert any(chosen == pytest.approx(residents[j], abs=0.1) for j in best)
    straight = monitor.json("siting", "--type", "beratung", "--add", "1", "--within", "500",
                            "--objective", objective)  # fmt: skip
    assert straight["distance"] == "straight_line"
