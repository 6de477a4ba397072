"""`import boundaries` and `import grid` with real files (tests/data/real/README.md).

- Köln: the city's Stadtteil and Stadtbezirk shapefiles (Stadt Köln, CC BY; offenedaten-koeln.de),
  whose .prj declares UTM 32N with a false easting of 2,500,000 (x = ETRS89/UTM easting +
  2,000,000), and the Stadtbezirke as WGS84 GeoJSON converted by KoelnAPI.
- Flensburg: the Stadtteile shapefile zip of the Sozialatlas repository (CC0; Stadt Flensburg).
- Zensus 2011 population on the 1 km grid, Aachen–Düren–Köln extract (dl-de/by-2-0).

The grid sums per Stadtteil are checked against a point-in-polygon computation written here
with pyproj and matplotlib's Path, on the shapefile's own coordinates, without geopandas.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from matplotlib.path import Path as MplPath
from pyproj import CRS, Transformer

from ledger.database import create_ledger_engine
from ledger.geo_store import boundaries
from ledger.master_store import population
from tests.real_data.cli import REAL, Ledger

KOELN = REAL / "koeln-geo-more"
STADTTEILE = KOELN / "Stadtteil.shp"
FLENSBURG = REAL / "flensburg" / "flensburg_stadtteile.zip"
GRID = REAL / "zensus2011-grid-1km" / "Zensus2011_1km_Spitze_Werte_AC_DN_K.csv"


def _ledger(tmp_path: Path) -> Ledger:
    tmp_path.mkdir(parents=True, exist_ok=True)
    settings = tmp_path / "settings.toml"
    settings.write_text("", encoding="utf-8")
    return Ledger(tmp_path, settings)


def _stored(ledger: Ledger) -> dict[str, tuple[float, shapely.Geometry]]:
    engine = create_ledger_engine(ledger.url)
    with engine.connect() as connection:
        frame = boundaries(connection)
    engine.dispose()
    return {d: (a, g) for d, a, g in zip(frame["district"], frame["area_m2"], frame["geometry"],
                                          strict=True)}  # fmt: skip


@pytest.fixture(scope="module")
def koeln(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, dict]:
    ledger = _ledger(tmp_path_factory.mktemp("koeln"))
    document = ledger.json("import", "boundaries", STADTTEILE, "--create-districts",
                           "--key", "STT_NR", "--name", "STT_NAME")  # fmt: skip
    return ledger, document


def test_koeln_shapefile_with_shifted_false_easting_lands_in_true_utm_32n(koeln) -> None:
    ledger, document = koeln
    assert (document["features"], document["created"], document["crs"]) == (86, 86, "EPSG:25832")
    assert document["source_crs"].startswith("custom")  # false easting 2,500,000: no EPSG code
    assert document["without_geometry"] == [] and document["unknown"] == []
    stored = _stored(ledger)
    xmin, ymin, xmax, ymax = shapely.union_all([g for _, g in stored.values()]).bounds
    # The offset-free coordinates of the README (stadtteile_epsg25832.geojson): x 343,915–370,674.
    assert (xmin, xmax) == (pytest.approx(343_914.68, abs=2), pytest.approx(370_674.31, abs=2))
    assert (ymin, ymax) == (pytest.approx(5_632_759.23, abs=2), pytest.approx(5_661_476.08, abs=2))


def test_koeln_areas_equal_the_areas_of_the_citys_gis_and_invalid_rings_are_repaired(koeln):
    ledger, document = koeln
    stored = _stored(ledger)
    gis = {
        r["STT_NR"]: r["SHAPE_AREA"] for r in pyogrio.read_dataframe(STADTTEILE).to_dict("records")
    }
    assert set(stored) == set(gis)
    for code, (area, geometry) in stored.items():
        assert area == pytest.approx(gis[code], rel=1e-3), code
        assert geometry.is_valid
    assert document["repaired"]  # the city's file has self-touching rings
    assert set(document["repaired"]) <= set(gis)


def _areas(ledger: Ledger) -> dict[str, float]:
    return {code: area for code, (area, _) in _stored(ledger).items()}


def test_wgs84_geojson_and_the_utm_shapefile_give_the_same_district_areas(tmp_path) -> None:
    utm = _ledger(tmp_path / "utm")
    utm.json("import", "boundaries", KOELN / "Stadtbezirk.shp", "--create-districts", "--key",
             "STB_NR")  # fmt: skip
    wgs = _ledger(tmp_path / "wgs")
    document = wgs.json("import", "boundaries", KOELN / "stadtbezirke_wgs84.geojson",
                        "--create-districts", "--key", "STB_NR")  # fmt: skip
    assert document["source_crs"] in ("OGC:CRS84", "EPSG:4326")
    first, second = _areas(utm), _areas(wgs)
    assert sorted(first) == [str(i) for i in range(1, 10)] == sorted(second)
    for code in first:
        assert second[code] == pytest.approx(first[code], rel=2e-3), code


def _flensburg_frame():  # type: ignore[no-untyped-def]
    return pyogrio.read_dataframe(f"/vsizip/{FLENSBURG.resolve()}/Stadtteile.shp")


@pytest.fixture(scope="module")
def flensburg_areas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    ledger = _ledger(tmp_path_factory.mktemp("flensburg"))
    document = ledger.json("import", "boundaries", FLENSBURG, "--create-districts",
                           "--key", "AREA_ID", "--name", "AREA_NAME")  # fmt: skip
    assert (document["format"], document["source_crs"], document["created"]) == (
        "Shapefile", "EPSG:25832", 13
    )  # fmt: skip
    return _areas(ledger)


@pytest.mark.parametrize(
    "driver, suffix", [("GPKG", ".gpkg"), ("GML", ".gml"), ("GeoJSON", ".geojson")]
)
def test_flensburg_in_every_format_gives_the_same_districts(
    driver: str, suffix: str, flensburg_areas: dict[str, float], tmp_path: Path
) -> None:
    target = tmp_path / f"stadtteile{suffix}"
    frame = _flensburg_frame()
    if driver == "GeoJSON":  # written in WGS84, the only CRS a plain GeoJSON has
        frame = frame.to_crs("EPSG:4326")
    pyogrio.write_dataframe(frame, target, driver=driver)
    ledger = _ledger(tmp_path)
    document = ledger.json("import", "boundaries", target, "--create-districts", "--key", "AREA_ID")
    assert document["created"] == 13
    areas = _areas(ledger)
    assert sorted(areas) == sorted(flensburg_areas)
    for code, area in areas.items():
        assert area == pytest.approx(
            flensburg_areas[code], rel=1e-6 if driver != "GeoJSON" else 1e-3
        )


def test_an_unzipped_shapefile_without_prj_is_refused(tmp_path) -> None:
    with zipfile.ZipFile(FLENSBURG) as archive:
        archive.extractall(tmp_path)
    (tmp_path / "Stadtteile.prj").unlink()
    result = _ledger(tmp_path).run("import", "boundaries", tmp_path / "Stadtteile.shp",
                                   "--create-districts", "--key", "AREA_ID", expect=1)  # fmt: skip
    assert "Stadtteile.shp: gibt kein Koordinatenbezugssystem an (keine .prj-Datei)" in (
        result.stderr
    )


# --- the grid --------------------------------------------------------------------------------


def independent_cells() -> tuple[list[dict[str, str]], np.ndarray]:
    """The populated grid cells (CSV rows) and the Stadtteil holding each centre (None outside):
    cell centres (EPSG:3035) transformed with pyproj into the shapefile's own CRS (its .prj,
    false easting and all), then matplotlib's point-in-polygon on each outer ring minus its
    holes."""
    frame = pyogrio.read_dataframe(STADTTEILE)
    own = CRS.from_wkt(STADTTEILE.with_suffix(".prj").read_text())
    to_own = Transformer.from_crs("EPSG:3035", own, always_xy=True)
    with GRID.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if int(r["Einwohner"]) > 0]
    xs, ys = to_own.transform([float(r["x_mp_1km"]) for r in rows],
                              [float(r["y_mp_1km"]) for r in rows])  # fmt: skip
    points = np.column_stack([xs, ys])
    district = np.full(len(points), None, dtype=object)
    for code, geometry in zip(frame["STT_NR"], frame.geometry, strict=True):
        inside = np.zeros(len(points), dtype=bool)
        for polygon in getattr(geometry, "geoms", [geometry]):
            within = MplPath(np.asarray(polygon.exterior.coords)).contains_points(points)
            for hole in polygon.interiors:
                within &= ~MplPath(np.asarray(hole.coords)).contains_points(points)
            inside |= within
        district[inside] = code
    return rows, district


def _independent_sums() -> dict[str, int]:
    """Einwohner per Stadtteil from `independent_cells`."""
    rows, district = independent_cells()
    sums: dict[str, int] = {}
    for row, code in zip(rows, district, strict=True):
        if code is not None:
            sums[code] = sums.get(code, 0) + int(row["Einwohner"])
    return sums


def test_grid_sums_per_stadtteil_equal_an_independent_point_in_polygon(koeln, tmp_path) -> None:
    ledger, _ = koeln
    grid = tmp_path / GRID.name
    shutil.copy(GRID, grid)
    document = ledger.json("import", "grid", grid, "--value", "Einwohner", "--population",
                           "--period", "2011")  # fmt: skip
    assert document["cells"] == 5979 and document["inside"] + document["outside"] == 5979
    expected = _independent_sums()
    got = {d["key"]: d["value"] for d in document["districts"] if d["value"] is not None}
    assert got == expected
    # Köln's Zensus 2011 population was 1,005,775 (Zensus 2011, Gemeinde Köln); 1 km cells
    # are cut by the city boundary, so the grid sum is close but not equal.
    assert sum(got.values()) == pytest.approx(1_005_775, rel=0.01)
    engine = create_ledger_engine(ledger.url)
    with engine.connect() as connection:
        stored = population(connection)
    engine.dispose()
    assert dict(zip(stored["district"], stored["population"], strict=True)) == expected


def test_grid_given_by_inspire_ids_with_german_decimals_gives_the_same_sums(koeln, tmp_path):
    """The 2011 ids (1kmN…E…) without centre columns, and the 2022 ids (CRS3035RES1000mN…E…),
    comma-separated with decimal commas."""
    ledger, _ = koeln
    with GRID.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    only_ids = tmp_path / "ids2011.csv"
    only_ids.write_text("Gitter_ID_1km;Einwohner\n" + "".join(
        f"{r['Gitter_ID_1km']};{r['Einwohner']}\n" for r in rows), encoding="utf-8")  # fmt: skip
    ids_2022 = tmp_path / "ids2022.csv"
    ids_2022.write_text('GITTER_ID_1km,Einwohner\n' + "".join(
        f'CRS3035RES1000mN{int(float(r["y_mp_1km"])) - 500}E{int(float(r["x_mp_1km"])) - 500},'
        f'"{r["Einwohner"]},0"\n' for r in rows), encoding="utf-8")  # fmt: skip
    expected = _independent_sums()
    for path in (only_ids, ids_2022):
        document = ledger.json("import", "grid", path, "--value", "Einwohner", "--population",
                               "--period", "2011")  # fmt: skip
        assert document["layout"] == "cell_ids"
        got = {d["key"]: d["value"] for d in document["districts"] if d["value"] is not None}
        assert got == expected, path.name


def test_koeln_crs_without_epsg_code_is_said_in_the_readers_words(koeln, tmp_path) -> None:
    """The JSON names the CRS the same in every language ("custom: …", SPEC §2) with its code
    beside it; the summary says it in German by default, in English on request."""
    _, document = koeln
    assert document["source_crs"] == "custom: WGS 84 / UTM zone 32N"
    assert document["source_crs_problem"] == {
        "code": "crs_custom",
        "values": {"name": "WGS 84 / UTM zone 32N"},
    }
    said = {"de": "eigenes Bezugssystem „WGS 84 / UTM zone 32N“ ohne EPSG-Code → EPSG:25832",
            "en": "custom: WGS 84 / UTM zone 32N → EPSG:25832"}  # fmt: skip
    for lang, words in said.items():
        shown = _ledger(tmp_path / lang).run(
            "--lang", lang, "import", "boundaries", STADTTEILE, "--create-districts",
            "--key", "STT_NR", "--name", "STT_NAME",
        ).stdout  # fmt: skip
        assert words in shown
