"""Maps that read at any size (issue 17 item 4): labels only where they fit, numbers with a
table where keys do not, classes named in the legend, and every district the map cannot show
named under it. Checked with synthetic squares (the fitting rule by hand) and with real
boundaries: Flensburg's 13 Stadtteile and Köln's 86 (tests/data/real)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from shapely import Polygon

from reports.district_map import SIDE_BY_SIDE_MAX, district_maps, district_shapes
from reports.formatting import LocaleFormat
from reports.map_labels import fits, label_areas
from reports.map_page import coverage_notes, number_rows, number_table
from reports.messages import Messages
from reports.report_data import DistrictSpending
from reports.report_layout import Layout
from tests.reports.test_committee_report_charts import texts

T, FMT = Messages("de"), LocaleFormat("de")
WIDTH = 480.0
REAL = Path(__file__).parents[1] / "data" / "real"


def square(x0: float, y0: float, size: float) -> list[list[tuple[float, float]]]:
    return [[(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size), (x0, y0)]]


def width_of(text: str) -> float:
    return 4.0 * len(text)  # 4 points per character: a fixed, checkable font


def test_a_label_is_written_only_where_its_box_fits_inside_the_area() -> None:
    big = Polygon(square(0, 0, 40)[0])
    assert fits(big, 20, 20, 32, 5)  # 8 characters: 32 + 2 × 1 margin < 40
    assert not fits(big, 20, 20, 40, 5)  # as wide as the square: touches its edges
    assert not fits(big, 5, 20, 12, 5)  # near the edge it would stick out


def test_keys_where_they_fit_numbers_where_only_they_fit_else_nothing() -> None:
    areas = [
        ("01011101", [square(0, 0, 40)]),  # 32 points of key: fits
        ("01011102", [square(100, 0, 20)]),  # key does not fit, "1" (4 points) does
        ("01011103", [square(200, 0, 5)]),  # not even one digit: unlabelled
        ("01011104", [square(300, 0, 12)]),  # the next number is 2, not 3: no gaps
    ]
    labels = label_areas(areas, width_of, 5.0)
    assert [(label.key, label.text) for label in labels] == [
        ("01011101", "01011101"),
        ("01011102", "1"),
        ("01011103", ""),
        ("01011104", "2"),
    ]
    assert labels[1].numbered and not labels[0].numbered and not labels[2].numbered
    # Labels sit at the pole of inaccessibility: the middle of a square.
    assert (labels[0].x, labels[0].y) == pytest.approx((20, 20), abs=0.2)


def test_an_l_shaped_area_is_labelled_inside_its_thick_part() -> None:
    ell = [[(0, 0), (60, 0), (60, 12), (12, 12), (12, 60), (0, 60), (0, 0)]]
    (label,) = label_areas([("7", [ell])], width_of, 5.0)
    assert Polygon(ell[0]).contains(Polygon(
        [(label.x - 3, label.y - 3.5), (label.x + 3, label.y - 3.5),
         (label.x + 3, label.y + 3.5), (label.x - 3, label.y + 3.5)]
    ))  # fmt: skip
    assert label.text == "7"


def test_the_numbers_table_reads_down_each_column_group() -> None:
    rows = number_rows([(str(i), f"K{i}") for i in range(1, 6)], {"K1": "Eins"}, 2)
    assert rows == [
        ["1", "K1", "Eins", "4", "K4", ""],
        ["2", "K2", "", "5", "K5", ""],
        ["3", "K3", "", "", "", ""],
    ]


def feature(key: str, ring: list[tuple[float, float]]) -> dict:
    return {"properties": {"key": key}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def district(key: str, per_capita: str | None, need: str | None) -> DistrictSpending:
    amount = Decimal(0) if per_capita is None else Decimal(per_capita) * 1000
    people = None if per_capita is None else 1000
    value = None if per_capita is None else Decimal(per_capita)
    return DistrictSpending(key, f"Quartier {key}", amount, people, value, 0.0, need)


def test_districts_the_map_cannot_show_are_named_and_duplicates_drawn_once() -> None:
    """Berlin's planning areas: 04030417 has figures but no geometry, 09041403 a geometry but
    no figures, 06010102 comes twice (tests/data/real/README.md, berlin-geo)."""
    boundaries = {
        "features": [
            feature("06010102", square(0, 0, 1000)[0]),
            feature("06010102", square(1000, 0, 1000)[0]),
            feature("09041403", square(0, 1000, 1000)[0]),
            feature("01011101", square(1000, 1000, 1000)[0]),
        ]
    }
    shapes, duplicates = district_shapes(boundaries)
    assert [key for key, _ in shapes] == ["01011101", "06010102", "09041403"]
    assert duplicates == ("06010102",) and len(dict(shapes)["06010102"]) == 2
    districts = [
        district("01011101", "12.5", "high"),
        district("06010102", "3", "low"),
        district("04030417", "8", "medium"),
    ]
    maps = district_maps(boundaries, districts, T, FMT, WIDTH)
    assert maps.coverage.without_geometry == ("04030417",)
    assert maps.coverage.without_data == ("09041403",)
    assert maps.coverage.duplicates == ("06010102",)
    assert [label.key for label in maps.labels] == ["01011101", "06010102", "09041403"]
    layout = Layout(T, FMT, WIDTH)
    notes = [p.getPlainText() for p in coverage_notes(maps, {"04030417": "Lichterfelde"}, layout)]
    assert (
        "Ohne Fläche auf den Karten, obwohl Zahlen vorliegen (1): Lichterfelde (04030417)." in notes
    )
    assert "Flächen ohne Quartier in den Daten, grau gezeichnet (1): 09041403." in notes
    assert "Mehrfach geliefert und als eine Fläche gezeichnet: 06010102." in notes


def test_the_legends_name_every_class_drawn() -> None:
    boundaries = {"features": [feature(f"D{i}", square(i * 1000, 0, 1000)[0]) for i in range(4)]}
    districts = [
        district("D0", "0.5", "very_high"),
        district("D1", "12", "medium"),
        district("D2", "27", "low"),
        district("D3", None, None),
    ]
    (drawing,) = district_maps(boundaries, districts, T, FMT, WIDTH).drawings
    words = set(texts(drawing))
    assert {"sehr hoch", "mittel", "niedrig", "keine Angabe"} <= words
    assert "hoch" not in words  # a class no district has is not in the legend
    assert {"0 € – 10 €", "10 € – 20 €", "20 € – 30 €"} <= words


def geojson_with_keys(path: Path, field: str) -> dict:
    import geopandas as gpd

    frame = gpd.read_file(path)
    frame["key"] = frame[field].astype(str)
    return json.loads(frame[["key", "geometry"]].to_json())


@pytest.mark.parametrize(
    ("source", "field", "areas", "keys_at_least"),
    [
        ("zip://" + str(REAL / "flensburg" / "flensburg_stadtteile.zip"), "AREA_ID", 13, 10),
        (str(REAL / "koeln-geo-more" / "Stadtteil.shp"), "STT_NR", 86, 70),
    ],
    ids=["Flensburg 13", "Köln 86"],
)
def test_real_cities_keep_most_keys_and_number_the_rest(
    source: str, field: str, areas: int, keys_at_least: int
) -> None:
    """Looked at in the rendered report (docs/maps.md): Flensburg side by side, Köln stacked.
    Every label drawn lies inside its own area, and no two overlap."""
    boundaries = geojson_with_keys(Path(source) if "://" not in source else source, field)
    keys = sorted({f["properties"]["key"] for f in boundaries["features"]})
    districts = [district(k, str(i % 40), "medium") for i, k in enumerate(keys)]
    maps = district_maps(boundaries, districts, T, FMT, WIDTH)
    assert len(maps.labels) == areas
    assert len(maps.drawings) == (1 if areas <= SIDE_BY_SIDE_MAX else 2)
    shown = [label for label in maps.labels if label.text]
    assert sum(1 for label in shown if label.text == label.key) >= keys_at_least
    assert [n for n, _ in maps.numbered] == [str(i) for i in range(1, len(maps.numbered) + 1)]
    drawn = [t for drawing in maps.drawings for t in texts(drawing)]
    for label in shown:
        assert label.text in drawn
    layout = Layout(T, FMT, WIDTH)
    assert bool(number_table(maps, {}, layout)) == bool(maps.numbered)
    assert maps.coverage.without_geometry == maps.coverage.without_data == ()
