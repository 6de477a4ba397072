"""Places of help, access and siting on real data: Köln's 86 Stadtteile (Stadt Köln, CC BY),
the Zensus 2011 1 km grid (dl-de/by-2-0) and OpenStreetMap points of social facilities, youth
and community centres, 2014 (© OpenStreetMap contributors, ODbL); tests/data/real/README.md.

The ledger's figures are checked against a computation of their own: cells placed in Stadtteile
by matplotlib's point-in-polygon on the shapefile's own coordinates
(`test_geodata_real.independent_cells`), and distances measured as geodesics on the GRS80
ellipsoid between longitudes and latitudes (pyproj.Geod), with no projection and no k-d tree.
UTM 32N shortens distances around Köln by about 0.015 % (scale factor ≈ 0.99985 two degrees west
of its central meridian), so distances agree to 1e-3 and a cell counts as covered in both unless
it lies within a metre of the limit.
"""

from __future__ import annotations

import json
from itertools import combinations

import numpy as np
import pytest
from pyproj import Geod, Transformer

from tests.real_data.cli import REAL, Ledger
from tests.real_data.test_geodata_real import GRID, STADTTEILE, independent_cells

POIS = REAL / "koeln-osm-pois"
GEOD = Geod(ellps="GRS80")
LAEA_TO_WGS84 = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)


@pytest.fixture(scope="module")
def koeln(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    folder = tmp_path_factory.mktemp("koeln_places")
    settings = folder / "settings.toml"
    settings.write_text("", encoding="utf-8")
    ledger = Ledger(folder, settings)
    ledger.json("import", "boundaries", STADTTEILE, "--create-districts", "--key", "STT_NR",
                "--name", "STT_NAME")  # fmt: skip
    ledger.json("import", "grid", GRID, "--value", "Einwohner", "--population", "--period", "2011")
    return ledger


def _places(kind: str) -> np.ndarray:
    """lon, lat of every point of one OSM file, read as plain JSON."""
    document = json.loads((POIS / f"amenity_{kind}.geojson").read_text(encoding="utf-8"))
    return np.array([f["geometry"]["coordinates"][:2] for f in document["features"]])


def _cells() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lon/lat, people and Stadtteil of the populated cells inside the city."""
    rows, district = independent_cells()
    inside = np.array([d is not None for d in district])
    lon, lat = LAEA_TO_WGS84.transform([float(r["x_mp_1km"]) for r in rows],
                                       [float(r["y_mp_1km"]) for r in rows])  # fmt: skip
    people = np.array([float(r["Einwohner"]) for r in rows])
    return np.column_stack([lon, lat])[inside], people[inside], district[inside]


def _geodesic(points: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """n×m metres between every point and every target on the ellipsoid."""
    lon1 = np.repeat(points[:, 0], len(targets))
    lat1 = np.repeat(points[:, 1], len(targets))
    lon2 = np.tile(targets[:, 0], len(points))
    lat2 = np.tile(targets[:, 1], len(points))
    _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.asarray(metres).reshape(len(points), len(targets))


def test_the_osm_places_are_imported_with_those_outside_koeln_counted(koeln: Ledger) -> None:
    social = koeln.json("import", "facilities", POIS / "amenity_social_facility.geojson",
                        "--type", "social_facility")  # fmt: skip
    assert (social["facilities"], social["outside"]) == (25, 4)
    assert social["columns"] == {"name": "tags/name"} and social["source_crs"] == "EPSG:4326"
    assert "JugendZentrum der Stadt Hürth (social_facility, #12)" in social["outside_places"]
    youth = koeln.json("import", "facilities", POIS / "amenity_youth_centre.geojson",
                       "--type", "youth_centre")  # fmt: skip
    assert (youth["facilities"], youth["outside"]) == (8, 2)


@pytest.mark.parametrize("kind, within", [("social_facility", 1000), ("youth_centre", 2000)])
def test_access_per_stadtteil_equals_geodesic_distances_on_the_ellipsoid(
    koeln: Ledger, kind: str, within: int
) -> None:
    koeln.json("import", "facilities", POIS / f"amenity_{kind}.geojson", "--type", kind)
    document = koeln.json("access", "--type", kind, "--within", str(within))
    assert document["residents"] == "grid" and document["period"] == "2011"
    points, people, district = _cells()
    nearest = _geodesic(points, _places(kind)).min(axis=1)
    unclear = np.abs(nearest - within) < 1.0
    assert not unclear.any()  # no cell on the limit: coverage is the same in both computations
    rows = {d["key"]: d for d in document["districts"]}
    for code in sorted(set(district)):
        mine = district == code
        assert rows[code]["people"] == people[mine].sum(), code
        assert rows[code]["covered"] == people[mine & (nearest <= within)].sum(), code
        mean = (people[mine] * nearest[mine]).sum() / people[mine].sum()
        assert rows[code]["mean_distance_m"] == pytest.approx(mean, rel=1e-3, abs=1), code
    total = document["total"]
    assert total["people"] == people.sum() == 1_006_916
    assert total["covered"] == people[nearest <= within].sum()
    assert rows["203"]["people"] == 0 and rows["203"]["share"] is None  # no cell centre in it


def test_siting_two_places_is_the_best_pair_of_all_populated_cells(koeln: Ledger) -> None:
    """Every pair of the populated cells' centres (C(343, 2) = 58,653 pairs), coverage by
    geodesic distance: the best pair reaches exactly as many people as the solver's."""
    koeln.json("import", "facilities", POIS / "amenity_social_facility.geojson",
               "--type", "social_facility")  # fmt: skip
    document = koeln.json("siting", "--type", "social_facility", "--add", "2",
                          "--within", "1500")  # fmt: skip
    points, people, _ = _cells()
    covered = _geodesic(points, _places("social_facility")).min(axis=1) <= 1500
    reach = _geodesic(points[~covered], points) <= 1500  # uncovered cells × candidate cells
    weights = people[~covered]
    alone = weights @ reach
    pairs = combinations(range(len(points)), 2)
    best = max(alone[i] + weights @ (reach[:, j] & ~reach[:, i]) for i, j in pairs)
    assert document["optimal"] is True and document["candidates"] == len(points)
    assert document["covered_after"] - document["covered_before"] == best
    assert document["covered_before"] == people[covered].sum()
    assert document["curve"][0]["newly_covered"] == alone.max()


def test_siting_by_distance_two_places_is_the_best_pair_by_geodesic_distances(
    koeln: Ledger,
) -> None:
    """p-median on Köln: every pair of populated cells' centres, each person's way the geodesic
    to the nearest of the pair and the 2014 social facilities; the best pair's mean distance
    equals the solver's (to the 0.015 % by which UTM 32N shortens distances here)."""
    koeln.json("import", "facilities", POIS / "amenity_social_facility.geojson",
               "--type", "social_facility")  # fmt: skip
    document = koeln.json("siting", "--type", "social_facility", "--add", "2",
                          "--objective", "distance")  # fmt: skip
    points, people, _ = _cells()
    before = _geodesic(points, _places("social_facility")).min(axis=1)
    between = _geodesic(points, points)  # people's cells × candidate cells
    weight, nearest = people[:, None], before[:, None]
    best_one = float((weight * np.minimum(nearest, between)).sum(axis=0).min())
    best_two = min(
        float(
            (weight * np.minimum(np.minimum(nearest, between[:, [i]]), between)).sum(axis=0).min()
        )
        for i in range(len(points))
    )
    total = people.sum()
    assert document["optimal"] is True and document["candidates"] == len(points)
    assert document["mean_distance_before"] == pytest.approx((people * before).sum() / total,
                                                             rel=1e-3, abs=1)  # fmt: skip
    assert document["mean_distance_after"] == pytest.approx(best_two / total, rel=1e-3, abs=1)
    curve = [step["mean_distance_m"] for step in document["curve"]]
    assert curve[0] == pytest.approx(best_one / total, rel=1e-3, abs=1)
    assert curve[1] == document["mean_distance_after"] < curve[0]
