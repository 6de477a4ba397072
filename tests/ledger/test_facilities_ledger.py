"""`import facilities` on SQLite and PostgreSQL: the formats, the fields, `outside`, a new
version replacing the places of its types only, the seal, bad rows, and migration 0017.

The hand-made city of tests/ledger/test_geodata_ledger.py: three 1 km squares S01-S03 side by
side from x = 300,000, y = 5,640,000 (EPSG:25832).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely.geometry import Point, Polygon
from sqlalchemy import select, text

from ledger.database import create_ledger_engine
from ledger.facility_models import Facility
from ledger.facility_store import places
from ledger.master_models import MasterImport
from ledger.schema import HEAD_REVISION, current_revision, downgrade, upgrade
from tests.conftest import Monitor
from tests.exports import write_xlsx
from tests.ledger.test_geodata_ledger import X0, Y0, three_squares
from tests.ledger.test_spend_trace import _workbook

TO_WGS84 = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)


def lon_lat(x: float, y: float) -> tuple[float, float]:
    return TO_WGS84.transform(x, y)


def write_points(path: Path, points: list[tuple[float, float, dict]]) -> Path:
    """A GeoJSON in WGS84 (no crs member, RFC 7946) of points given in EPSG:25832."""
    features = [
        {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Point", "coordinates": list(lon_lat(x, y))},
        }
        for x, y, props in points
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def make_city(monitor: Monitor, tmp_path: Path) -> Monitor:
    """The three districts with their boundaries."""
    listed = _workbook(
        tmp_path / "districts.xlsx",
        {"Sozialräume": [["Sozialraum", "Bezeichnung"], ["S01", "Nord"], ["S02", "Mitte"],
                         ["S03", "Süd"]]},
    )  # fmt: skip
    monitor.json("import", "districts", str(listed))
    monitor.json("import", "boundaries", str(three_squares(tmp_path / "city.geojson")))
    return monitor


@pytest.fixture
def city(monitor: Monitor, tmp_path: Path) -> Monitor:
    return make_city(monitor, tmp_path)


def _stored(monitor: Monitor, **kwargs) -> list[tuple]:
    engine = create_ledger_engine(monitor.database_url)
    with engine.connect() as connection:
        frame = places(connection, **kwargs)
    engine.dispose()
    return [
        (t, n, d, round(x), round(y))
        for t, n, d, x, y in zip(
            frame["type"], frame["name"], frame["district"], frame["x"], frame["y"], strict=True
        )
    ]


def test_geojson_points_get_their_district_and_outside_ones_are_counted_and_named(
    city: Monitor, tmp_path: Path
) -> None:
    source = write_points(
        tmp_path / "places.geojson",
        [
            (X0 + 500, Y0 + 500, {"name": "Beratung Nord", "Art": "beratung"}),
            (X0 + 1500, Y0 + 200, {"name": "Jugendzentrum Mitte", "Art": "jugend"}),
            (X0 + 2500, Y0 + 900, {"name": "Beratung Süd", "Art": "beratung"}),
            (X0 + 9000, Y0, {"name": "Beratung Umland", "Art": "beratung"}),
        ],
    )
    document = city.json("import", "facilities", str(source))
    assert {k: document[k] for k in ("facilities", "types", "outside")} == {
        "facilities": 4,
        "types": {"beratung": 3, "jugend": 1},
        "outside": 1,
    }
    assert document["outside_places"] == ["Beratung Umland (beratung, #4)"]
    assert document["source_crs"] == "EPSG:4326" and document["crs"] == "EPSG:25832"
    assert _stored(city) == [
        ("beratung", "Beratung Nord", "S01", X0 + 500, Y0 + 500),
        ("beratung", "Beratung Süd", "S03", X0 + 2500, Y0 + 900),
        ("beratung", "Beratung Umland", None, X0 + 9000, Y0),
        ("jugend", "Jugendzentrum Mitte", "S02", X0 + 1500, Y0 + 200),
    ]


def test_a_new_version_replaces_the_places_of_its_types_and_keeps_the_others(
    city: Monitor, tmp_path: Path
) -> None:
    first = write_points(tmp_path / "a.geojson", [
        (X0 + 500, Y0 + 500, {"name": "Beratung Nord", "type": "beratung"}),
        (X0 + 1500, Y0 + 500, {"name": "JZ Mitte", "type": "jugend"}),
    ])  # fmt: skip
    old = city.json("import", "facilities", str(first))["import"]
    second = write_points(tmp_path / "b.geojson", [(X0 + 2500, Y0 + 500, {"name": "Beratung Süd"})])
    city.json("import", "facilities", str(second), "--type", "beratung")
    now = [(t, n) for t, n, *_ in _stored(city)]
    assert now == [("beratung", "Beratung Süd"), ("jugend", "JZ Mitte")]
    before = [(t, n) for t, n, *_ in _stored(city, as_of=old)]
    assert before == [("beratung", "Beratung Nord"), ("jugend", "JZ Mitte")]


def test_a_table_with_x_y_needs_crs_and_one_with_lon_lat_does_not(
    city: Monitor, tmp_path: Path
) -> None:
    rows = [["Typ", "Bezeichnung", "Rechtswert", "Hochwert", "Gültig ab"],
            ["beratung", "Nord", X0 + 100, Y0 + 100, "01.01.2024"],
            ["beratung", "Mitte", X0 + 1100, Y0 + 100, None]]  # fmt: skip
    table = write_xlsx(tmp_path / "places.xlsx", rows)
    refused = city.run("import", "facilities", str(table), expect=1)
    assert "--crs" in refused.stderr
    document = city.json("import", "facilities", str(table), "--crs", "EPSG:25832")
    assert document["types"] == {"beratung": 2} and document["outside"] == 0
    lon, lat = lon_lat(X0 + 2100, Y0 + 100)
    csv = tmp_path / "places.csv"
    csv.write_text(
        f"name;lat;lon;type\nSüd;{lat:.7f};{lon:.7f};jugend\n".replace(".", ","), "utf-8"
    )
    assert city.json("import", "facilities", str(csv))["types"] == {"jugend": 1}
    stored = _stored(city)
    assert stored[-1][:3] == ("jugend", "Süd", "S03")
    assert abs(stored[-1][3] - (X0 + 2100)) <= 1 and abs(stored[-1][4] - (Y0 + 100)) <= 1
    engine = create_ledger_engine(city.database_url)
    with engine.connect() as connection:
        valid = connection.execute(select(Facility.valid_from).order_by(Facility.seq)).scalars()
        assert [str(v) for v in valid][:2] == ["2024-01-01", "None"]
    engine.dispose()


def test_zipped_shapefile_and_geopackage_with_areas_placed_inside_them(
    city: Monitor, tmp_path: Path
) -> None:
    frame = gpd.GeoDataFrame(
        {"KIND": ["beratung", "jugend"], "TITLE": ["Haus A", "Haus B"]},
        geometry=[Point(X0 + 300, Y0 + 300),
                  Polygon([(X0 + 1200, Y0 + 200), (X0 + 1400, Y0 + 200), (X0 + 1400, Y0 + 400),
                           (X0 + 1200, Y0 + 400)])],
        crs="EPSG:25832",
    )  # fmt: skip
    frame.to_file(tmp_path / "haus.gpkg", layer="haus", driver="GPKG")
    document = city.json("import", "facilities", str(tmp_path / "haus.gpkg"),
                         "--type-field", "KIND", "--name-field", "TITLE")  # fmt: skip
    assert document["from_areas"] == [2] and document["types"] == {"beratung": 1, "jugend": 1}
    assert _stored(city)[1][:3] == ("jugend", "Haus B", "S02")
    shp = tmp_path / "shp"
    shp.mkdir()
    frame.iloc[:1].to_file(shp / "haus.shp")
    with zipfile.ZipFile(tmp_path / "haus.zip", "w") as archive:
        for part in shp.iterdir():
            archive.write(part, part.name)
    document = city.json("import", "facilities", str(tmp_path / "haus.zip"), "--type", "kita")
    assert document["types"] == {"kita": 1} and document["source_crs"] == "EPSG:25832"


def test_bad_rows_are_refused_naming_row_and_column_and_nothing_is_stored(
    city: Monitor, tmp_path: Path
) -> None:
    rows = [["type", "name", "lon", "lat", "measure", "valid from", "valid to"],
            ["beratung", "ok", 6.5, 50.8, None, None, None],
            [None, "ohne Typ", 6.5, 50.8, None, None, None],
            ["beratung", "ohne Lage", "x-y", 50.8, None, None, None],
            ["beratung", "rückwärts", 6.5, 50.8, None, "01.02.2024", "01.01.2024"],
            ["beratung", "unbekannt", 6.5, 50.8, "M-99", None, None]]  # fmt: skip
    document = city.json("import", "facilities", str(write_xlsx(tmp_path / "bad.xlsx", rows)),
                         expect=1)  # fmt: skip
    assert [(e["row"], e["column"]) for e in document["errors"]] == [
        (3, "type"), (4, "lon"), (5, "valid to"), (6, "measure")]  # fmt: skip
    assert "no measure 'M-99' in " in document["errors"][-1]["message"]
    assert _stored(city) == []


def test_a_bad_feature_of_a_geodata_file_is_named_as_a_feature_not_a_row(
    city: Monitor, tmp_path: Path
) -> None:
    """In a GeoJSON the number is the feature's place in its layer: the clerk is told
    "Objekt 2", not "Zeile 2" of a sheet the file does not have."""
    source = write_points(tmp_path / "places.geojson", [
        (X0 + 500, Y0 + 500, {"type": "beratung", "name": "A"}),
        (X0 + 1500, Y0 + 500, {"type": None, "name": "ohne Typ"})])  # fmt: skip
    document = city.json("import", "facilities", str(source), expect=1)
    assert [(e["row"], e["column"], e.get("feature")) for e in document["errors"]] == [
        (2, "type", True)
    ]
    said = city.run("import", "facilities", str(source), expect=1).stderr
    assert "places.geojson, Objekt 2, Spalte „type“" in said, said
    assert "Zeile" not in said
    assert _stored(city) == []


def test_places_are_sealed_and_an_edit_outside_the_program_is_named(
    city: Monitor, tmp_path: Path
) -> None:
    source = write_points(tmp_path / "p.geojson", [(X0 + 500, Y0 + 500, {"name": "A"})])
    city.json("import", "facilities", str(source), "--type", "beratung")
    assert city.json("verify")["ok"]
    engine = create_ledger_engine(city.database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE facility SET x = x + 5000"))
    engine.dispose()
    messages = " ".join(p["message"] for p in city.json("verify", expect=1)["problems"])
    assert "facility row 1 (type beratung, name A) was changed" in messages


def test_migration_0017_down_removes_the_places_and_up_again_takes_them(
    city: Monitor, tmp_path: Path
) -> None:
    source = write_points(tmp_path / "p.geojson", [(X0 + 500, Y0 + 500, {"name": "A"})])
    city.json("import", "facilities", str(source), "--type", "beratung")
    engine = create_ledger_engine(city.database_url)
    downgrade(engine, "0016")
    assert current_revision(engine) == "0016"
    with engine.connect() as connection:
        kinds = list(connection.execute(select(MasterImport.kind)).scalars())
    assert "facilities" not in kinds and "boundaries" in kinds
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
    engine.dispose()
    assert city.json("import", "facilities", str(source), "--type", "beratung")["facilities"] == 1


def test_boundaries_and_places_append_their_heads_to_the_anchor_file(
    city: Monitor, tmp_path: Path
) -> None:
    # Every import that writes a head appends it to [ledger] anchor_file (issue 15 item 5).
    (city.workdir / "settings.toml").write_text('[ledger]\nanchor_file = "heads.txt"\n', "utf-8")
    city.json("import", "boundaries", str(three_squares(tmp_path / "again.geojson")))
    source = write_points(tmp_path / "p.geojson", [(X0 + 500, Y0 + 500, {"name": "A"})])
    city.json("import", "facilities", str(source), "--type", "beratung")
    lines = (city.workdir / "heads.txt").read_text("utf-8").splitlines()
    assert len(lines) == 2
    assert city.json("verify")["head"] in lines[-1]
