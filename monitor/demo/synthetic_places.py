"""The synthetic city's geography: district squares, a 100 m population grid and places of help.

Invented like every other figure of the demo. The districts are squares of DISTRICT_SIZE metres
on a square layout around Düren's position in ETRS89 / UTM 32N, the first codes (the core
town) nearest the middle and the villages around it. Each district's population of the last
year is spread over its 100 m cells (multinomial, so the cells sum exactly to the district),
written as a Zensus-2022-like grid in EPSG:3035. Places: counselling services ("beratung") in a
few central districts, so that needy districts at the edge are not reached, and one family
centre ("familienzentrum") in the district each family-centre measure pays for, with the
measure's code, so the place's running cost is traceable in the ledger.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import Transformer

from monitor.demo.synthetic_city import SyntheticCity

DISTRICT_SIZE = 1500.0
CELL = 100.0
# Lower-left corner of the layout (EPSG:25832): the squares lie around Düren's centre.
ORIGIN = (318_000.0, 5_624_000.0)
# Districts (by code) that hold a counselling service: three in the core town, one village.
COUNSELLING = ("SR01", "SR02", "SR06", "SR12")
FAMILY_CENTRE_PROGRAM = "Familienzentren"
_TO_LAEA = Transformer.from_crs("EPSG:25832", "EPSG:3035", always_xy=True)
_TO_WGS84 = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
NOTICE = "SYNTHETISCHE DATEN: erfundene Demo-Stadt"


def district_squares(codes: list[str]) -> dict[str, tuple[float, float]]:
    """Lower-left corner (EPSG:25832) of each district's square: codes in order take the
    positions nearest the middle of a side × side layout first."""
    side = math.ceil(math.sqrt(len(codes)))
    middle = (side - 1) / 2
    positions = sorted(
        ((row, col) for row in range(side) for col in range(side)),
        key=lambda p: ((p[0] - middle) ** 2 + (p[1] - middle) ** 2, p),
    )
    return {
        code: (ORIGIN[0] + col * DISTRICT_SIZE, ORIGIN[1] + row * DISTRICT_SIZE)
        for code, (row, col) in zip(codes, positions, strict=False)
    }


def write_places(city: SyntheticCity, folder: Path) -> dict[str, Path]:
    """Write boundaries (GeoJSON, EPSG:25832), grid (CSV, EPSG:3035) and places (GeoJSON,
    WGS84) of `city` into `folder`; returns kind -> path in import order."""
    folder.mkdir(parents=True, exist_ok=True)
    corners = district_squares(list(city.districts["district"]))
    names = dict(zip(city.districts["district"], city.districts["name"], strict=True))
    return {
        "boundaries": _write_boundaries(
            corners, names, folder / "Sozialraeume_SYNTHETISCH.geojson"
        ),
        "grid": _write_grid(city, corners, folder / "Zensusgitter_100m_SYNTHETISCH.csv"),
        "facilities": _write_facilities(
            city, corners, folder / "Anlaufstellen_SYNTHETISCH.geojson"
        ),
    }


def _write_boundaries(
    corners: dict[str, tuple[float, float]], names: dict[str, str], path: Path
) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"Sozialraum": code, "Name": names[code]},
            "geometry": {"type": "Polygon", "coordinates": [_square(x, y)]},
        }
        for code, (x, y) in corners.items()
    ]
    collection = {
        "type": "FeatureCollection",
        "name": NOTICE,
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": features,
    }
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def _square(x: float, y: float) -> list[list[float]]:
    s = DISTRICT_SIZE
    return [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]


def _write_grid(city: SyntheticCity, corners: dict[str, tuple[float, float]], path: Path) -> Path:
    last = city.population[city.population["year"] == city.years[-1]]
    people = dict(zip(last["district"], last["population"], strict=True))
    rng = np.random.default_rng([city.seed, 18])
    per_side = int(DISTRICT_SIZE / CELL)
    offsets = (np.arange(per_side) + 0.5) * CELL
    lines = ["GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner"]
    for code, (x0, y0) in corners.items():
        xs, ys = np.meshgrid(x0 + offsets, y0 + offsets)
        # Uneven density: a few dense blocks, many thin ones, some cells empty (fields, parks).
        weights = rng.gamma(0.6, size=xs.size) * (rng.random(xs.size) > 0.15)
        counts = rng.multinomial(int(people[code]), weights / weights.sum())
        lx, ly = _TO_LAEA.transform(xs.ravel(), ys.ravel())
        for cx, cy, count in zip(lx, ly, counts, strict=True):
            value = str(count) if count > 0 else "-1"
            cell = f"CRS3035RES100mN{int(cy - 50)}E{int(cx - 50)}"
            lines.append(f"{cell};{cx:.1f};{cy:.1f};{value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _write_facilities(
    city: SyntheticCity, corners: dict[str, tuple[float, float]], path: Path
) -> Path:
    names = dict(zip(city.districts["district"], city.districts["name"], strict=True))
    places: list[tuple[float, float, dict[str, Any]]] = []
    for code in COUNSELLING:
        if code in corners:
            x, y = corners[code]
            name = f"Beratungsstelle {names[code]}"
            places.append((x + 950, y + 600, {"Typ": "beratung", "Name": name}))
    for measure, district, start, end in _family_centres(city):
        x, y = corners[district]
        fields = {"Typ": "familienzentrum", "Name": f"Familienzentrum {names[district]}",
                  "Massnahme": measure, "Gueltig ab": start, "Gueltig bis": end}  # fmt: skip
        places.append((x + 450, y + 1000, fields))
    features = []
    for x, y, properties in places:
        lon, lat = _TO_WGS84.transform(x, y)
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
            }
        )
    collection = {"type": "FeatureCollection", "name": NOTICE, "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def _family_centres(city: SyntheticCity) -> list[tuple[str, str, str, str]]:
    """(measure, district with its largest share, start, end as ISO dates or "") of each
    family centre: the place is open while its measure runs."""
    measures = city.measures[city.measures["program"] == FAMILY_CENTRE_PROGRAM]
    shares = city.allocations.assign(share=city.allocations["share"].astype(float))
    found = []
    for measure, start, end in zip(measures["measure"], measures["start"], measures["end"],
                                   strict=True):  # fmt: skip
        own = shares[shares["measure"] == measure].sort_values("share", ascending=False)
        if not own.empty:
            found.append((measure, own["district"].iloc[0], _iso(start), _iso(end)))
    return found


def _iso(day: object) -> str:
    return "" if pd.isna(day) else pd.Timestamp(day).date().isoformat()
