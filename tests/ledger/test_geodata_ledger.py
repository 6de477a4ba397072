"""Boundaries and grid cells as versioned master data, on SQLite and PostgreSQL: what is stored,
what is reported, `--as-of`, the report's map, and migration 0012 (geodata) down and up.

A hand-made city of three 1 km squares in EPSG:25832 (S01, S02, S03 side by side along x from
x = 300,000, y = 5,640,000) and a grid whose cells are placed by hand inside or outside them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyproj import Transformer
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from ledger.database import create_ledger_engine
from ledger.geo_models import DistrictBoundary, GridCell
from ledger.geo_store import boundaries, grid_cells
from ledger.master_models import MasterImport
from ledger.master_store import districts, population
from ledger.schema import HEAD_REVISION, current_revision, downgrade, upgrade
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_xlsx
from tests.ledger.test_spend_trace import POSTINGS, _workbook

X0, Y0 = 300_000.0, 5_640_000.0
TO_LAEA = Transformer.from_crs("EPSG:25832", "EPSG:3035", always_xy=True)


def _square(x: float, y: float, size: float = 1000.0) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def write_city(path: Path, features: list[tuple[str | None, str, list | None]]) -> Path:
    """A GeoJSON FeatureCollection in EPSG:25832 (declared with a crs member)."""
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"SR": code, "NAME": name},
                "geometry": None if ring is None else {"type": "Polygon", "coordinates": [ring]},
            }
            for code, name, ring in features
        ],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def three_squares(path: Path) -> Path:
    return write_city(
        path,
        [(f"S0{i + 1}", f"Quartier {i + 1}", _square(X0 + 1000 * i, Y0)) for i in range(3)],
    )


def write_grid(path: Path, cells: list[tuple[float, float, str, str]]) -> Path:
    """A Zensus-2022-like grid: centres given in EPSG:25832, written in EPSG:3035; `;`,
    German decimals."""
    lines = ["GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner;Anteil_Frauen"]
    for x, y, people, women in cells:
        lx, ly = TO_LAEA.transform(x, y)
        lines.append(
            f"CRS3035RES100mN{int(ly - 50)}E{int(lx - 50)};{lx:.1f};{ly:.1f};{people};{women}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def city(monitor: Monitor, tmp_path: Path) -> Monitor:
    listed = _workbook(
        tmp_path / "districts.xlsx",
        {"Sozialräume": [["Sozialraum", "Bezeichnung"], ["S01", "Nord"], ["S02", "Mitte"],
                         ["S03", "Süd"], ["S04", "Hafen"]]},
    )  # fmt: skip
    monitor.json("import", "districts", str(listed))
    return monitor


def test_boundaries_report_matches_gaps_unknowns_and_duplicates_and_store_a_version(
    city: Monitor, tmp_path: Path
) -> None:
    source = write_city(
        tmp_path / "city.geojson",
        [
            ("S01", "Nord", _square(X0, Y0)),
            ("S02", "Mitte", _square(X0 + 1000, Y0, 500)),
            ("S02", "Mitte", [[X0 + 1500, Y0], [X0 + 2000, Y0], [X0 + 2000, Y0 + 1000],
                              [X0 + 1500, Y0 + 1000], [X0 + 1500, Y0]]),
            ("999", "Umland", _square(X0 + 5000, Y0)),
            (None, "ohne Code", _square(X0 + 7000, Y0)),
            ("S03", "Süd", None),
            # a bow tie: self-intersecting, repaired into two triangles
            ("S04", "Hafen", [[X0, Y0 + 2000], [X0 + 1000, Y0 + 3000], [X0 + 1000, Y0 + 2000],
                              [X0, Y0 + 3000], [X0, Y0 + 2000]]),
        ],
    )  # fmt: skip
    document = city.json("import", "boundaries", str(source))
    assert {k: document[k] for k in ("crs", "source_crs", "features", "matched", "created")} == {
        "crs": "EPSG:25832",
        "source_crs": "EPSG:25832",
        "features": 7,
        "matched": 5,
        "created": 0,
    }
    assert document["key"] == "SR"
    assert document["without_geometry"] == ["S03"]
    assert document["unknown"] == ["999"]
    assert document["without_key"] == [5]
    assert document["duplicates"] == ["S02"]
    assert document["repaired"] == ["S04"]
    engine = create_ledger_engine(city.database_url)
    with engine.connect() as connection:
        stored = boundaries(connection).set_index("district")
    assert sorted(stored.index) == ["S01", "S02", "S04"]
    assert stored.loc["S02", "area_m2"] == pytest.approx(750_000.0)  # 500x1000 + 500x1000 merged
    assert stored.loc["S04", "area_m2"] == pytest.approx(500_000.0)  # two triangles
    assert all(g.is_valid for g in stored["geometry"])
    engine.dispose()


def test_without_key_the_field_matching_the_known_codes_is_taken_and_as_of_gives_the_old(
    city: Monitor, tmp_path: Path
) -> None:
    first = city.json("import", "boundaries", str(three_squares(tmp_path / "a.geojson")))
    moved = write_city(tmp_path / "b.geojson", [("S01", "Nord", _square(X0, Y0, 2000))])
    second = city.json("import", "boundaries", str(moved))
    assert second["without_geometry"] == ["S02", "S03", "S04"]
    engine = create_ledger_engine(city.database_url)
    with engine.connect() as connection:
        assert list(boundaries(connection)["district"]) == ["S01"]
        old = boundaries(connection, first["import"])
    assert sorted(old["district"]) == ["S01", "S02", "S03"]
    engine.dispose()


def test_create_districts_adds_the_unknown_codes_to_a_new_district_list(
    monitor: Monitor, tmp_path: Path
) -> None:
    refused = monitor.run("import", "boundaries", str(three_squares(tmp_path / "c.geojson")),
                          expect=1)  # fmt: skip
    assert "import districts" in refused.stderr
    document = monitor.json(
        "import", "boundaries", str(tmp_path / "c.geojson"), "--create-districts", "--key", "SR"
    )
    assert (document["created"], document["created_districts"]) == (3, ["S01", "S02", "S03"])
    engine = create_ledger_engine(monitor.database_url)
    with engine.connect() as connection:
        listed = districts(connection)
    assert dict(zip(listed["code"], listed["name"], strict=True)) == {
        "S01": "Quartier 1",
        "S02": "Quartier 2",
        "S03": "Quartier 3",
    }
    engine.dispose()


def test_an_unknown_key_field_is_refused_naming_the_fields(city: Monitor, tmp_path: Path) -> None:
    result = city.run("import", "boundaries", str(three_squares(tmp_path / "k.geojson")),
                      "--key", "CODE", expect=1)  # fmt: skip
    assert "k.geojson: --key 'CODE' ist kein Feld der Ebene 'k'; ihre Felder: " in result.stderr
    assert "SR ('S01', 'S02', 'S03'); NAME ('Quartier 1'" in result.stderr
    english = city.run("--lang", "en", "import", "boundaries", str(tmp_path / "k.geojson"),
                       "--key", "CODE", expect=1)  # fmt: skip
    assert "--key 'CODE' is not a field of layer 'k'; its fields: SR ('S01'" in english.stderr


def _grid_cells() -> list[tuple[float, float, str, str]]:
    return [
        (X0 + 250, Y0 + 250, "100", "50,0"),  # S01
        (X0 + 750, Y0 + 750, "300", "40,0"),  # S01
        (X0 + 1500, Y0 + 500, "-1", "-1"),  # S02, secret
        (X0 + 1250, Y0 + 250, "7", "–"),  # S02
        (X0 + 9000, Y0 + 500, "55", "10,0"),  # outside
    ]


def test_grid_population_is_summed_per_district_and_the_cells_are_kept(
    city: Monitor, tmp_path: Path
) -> None:
    city.json("import", "boundaries", str(three_squares(tmp_path / "b.geojson")))
    grid = write_grid(tmp_path / "grid.csv", _grid_cells())
    document = city.json(
        "import", "grid", str(grid), "--value", "Einwohner", "--population", "--period", "2022"
    )
    assert {k: document[k] for k in ("cells", "inside", "outside", "missing")} == {
        "cells": 5,
        "inside": 4,
        "outside": 1,
        "missing": 1,
    }
    assert document["districts"] == [
        {"key": "S01", "value": 400, "cells": 2},
        {"key": "S02", "value": 7, "cells": 2},
    ]
    assert document["without_cells"] == ["S03"]
    engine = create_ledger_engine(city.database_url)
    with engine.connect() as connection:
        people = population(connection)
        cells = grid_cells(connection, document["import"])
    assert sorted(zip(people["district"], people["period"], people["population"], strict=True)) == [
        ("S01", "2022", 400),
        ("S02", "2022", 7),
    ]
    assert len(cells) == 5 and cells["district"].isna().sum() == 1
    assert cells["value"].isna().sum() == 1  # -1 kept as missing, never as a number
    engine.dispose()


def test_grid_rates_are_weighted_by_the_weight_column(city: Monitor, tmp_path: Path) -> None:
    city.json("import", "boundaries", str(three_squares(tmp_path / "b.geojson")))
    grid = write_grid(tmp_path / "grid.csv", _grid_cells())
    document = city.json("import", "grid", str(grid), "--value", "Anteil_Frauen", "--indicator",
                         "frauenanteil", "--weight", "Einwohner", "--period", "2022")  # fmt: skip
    by_key = {d["key"]: d for d in document["districts"]}
    assert by_key["S01"]["value"] == pytest.approx((100 * 50 + 300 * 40) / 400)
    assert by_key["S02"]["value"] is None  # one cell secret, the other without a rate
    assert document["missing_by_meaning"] == {"negative": 1, "nothing": 1}
    assert document["missing"] == 2


def test_grid_needs_boundaries_and_one_target(city: Monitor, tmp_path: Path) -> None:
    grid = write_grid(tmp_path / "grid.csv", _grid_cells())
    result = city.run("import", "grid", str(grid), "--value", "Einwohner", "--population",
                      "--period", "2022", expect=1)  # fmt: skip
    assert "import boundaries" in result.stderr
    city.run("import", "grid", str(grid), "--value", "Einwohner", "--period", "2022", expect=2)


def test_the_report_draws_the_imported_boundaries(city: Monitor, tmp_path: Path) -> None:
    city.json("import", "boundaries", str(three_squares(tmp_path / "b.geojson")))
    # A report needs something to report besides the map: a ledger with postings.
    journal = write_xlsx(tmp_path / "journal.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS])
    city.json("import", "postings", str(journal))
    city.json("report", "--period", "2024")
    sidecar = json.loads((city.workdir / "Sozialbericht_2024.json").read_text(encoding="utf-8"))
    assert sidecar["boundaries"]["features"] == 3


def test_migration_down_keeps_grid_values_and_up_again_restores_the_tables(
    city: Monitor, tmp_path: Path
) -> None:
    city.json("import", "boundaries", str(three_squares(tmp_path / "b.geojson")))
    grid = write_grid(tmp_path / "grid.csv", _grid_cells())
    city.json(
        "import", "grid", str(grid), "--value", "Einwohner", "--population", "--period", "2022"
    )
    engine = create_ledger_engine(city.database_url)
    downgrade(engine, "0011")
    assert current_revision(engine) == "0011"
    with engine.connect() as connection:
        kinds = connection.execute(select(MasterImport.kind).order_by(MasterImport.id)).scalars()
        assert list(kinds) == [
            "districts",
            "indicators",
        ]  # grid kept as its values, boundaries gone
        assert len(population(connection)) == 2
        with pytest.raises(IntegrityError):  # the kind check is the old one again
            connection.execute(
                text("INSERT INTO master_import (kind, file_name, file_size, sha256, os_user, "
                     "imported_at, rows, summary) VALUES ('grid', 'f', 0, 'x', 'u', "
                     "'2026-01-01', 0, '{}')")
            )  # fmt: skip
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
    city.json("import", "boundaries", str(tmp_path / "b.geojson"))
    city.json(
        "import", "grid", str(grid), "--value", "Einwohner", "--population", "--period", "2022"
    )
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(GridCell)).scalar_one() == 5
        assert (
            connection.execute(select(func.count()).select_from(DistrictBoundary)).scalar_one() == 3
        )
    engine.dispose()


def test_boundaries_and_grid_cells_are_sealed_and_an_edit_outside_the_program_is_named(
    city: Monitor, tmp_path: Path
) -> None:
    """A district's polygon moved, or a cell's people changed, by SQL: verify names the row and
    the figure commands refuse (issue 15: everything a figure depends on is in the chain)."""
    city.json("import", "boundaries", str(three_squares(tmp_path / "b.geojson")))
    grid = write_grid(tmp_path / "grid.csv", _grid_cells())
    city.json(
        "import", "grid", str(grid), "--value", "Einwohner", "--population", "--period", "2022"
    )
    assert city.json("verify")["ok"]
    engine = create_ledger_engine(city.database_url)
    with engine.begin() as connection:
        cell = connection.execute(select(GridCell.cell).limit(1)).scalar_one()
        connection.execute(
            text("UPDATE grid_cell SET value = value + 1 WHERE cell = :c"), {"c": cell}
        )
        connection.execute(text("UPDATE district_boundary SET area_m2 = area_m2 * 2"))
    engine.dispose()
    messages = " ".join(p["message"] for p in city.json("verify", expect=1)["problems"])
    assert f"grid_cell row (cell {cell}) was changed" in messages
    for code in ("S01", "S02", "S03"):
        assert f"district_boundary row (district {code}) was changed" in messages
    city.run("spend", "--year", "2024", expect=1)
