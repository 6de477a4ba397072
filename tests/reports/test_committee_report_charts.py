"""Charts are vector drawings with real text; maps draw GeoJSON polygons without a GIS stack."""

from __future__ import annotations

from decimal import Decimal

import pytest
from reportlab.graphics.shapes import Drawing, Group, Image, String

from reports.chart_labels import LabelPlacement, label_box, overlap_area, place_labels
from reports.charts import (
    MAX_CHART_HEIGHT,
    concentration_chart,
    need_scatter,
    period_spending_chart,
    spending_bars,
)
from reports.district_map import (
    centroid,
    district_maps,
    feature_polygons,
    polygon_path,
    signed_area,
    spending_classes,
)
from reports.effect_charts import event_study_chart, trajectory_chart
from reports.formatting import LocaleFormat
from reports.messages import Messages
from reports.report_data import DistrictSpending
from tests.reports.test_committee_report import sample_report_data

T, FMT = Messages("de"), LocaleFormat("de")
WIDTH = 480.0


def shapes(node: Drawing | Group) -> list[object]:
    found: list[object] = []
    for child in node.contents:
        found.append(child)
        if isinstance(child, Group):
            found += shapes(child)
    return found


def texts(drawing: Drawing) -> list[str]:
    return [s.text.replace("\xa0", " ") for s in shapes(drawing) if isinstance(s, String)]


@pytest.fixture(scope="module")
def drawings() -> dict[str, Drawing]:
    data = sample_report_data()
    program = data.programs[0]
    assert data.targeting is not None and program.evaluation is not None
    return {
        "bars": spending_bars(data.districts, data.unattributed, T, FMT, WIDTH),
        "scatter": need_scatter(data.districts, T, FMT, WIDTH),
        "curve": concentration_chart(
            [tuple(p) for p in data.targeting["concentration_curve"]], 0.312, T, FMT, WIDTH
        ),
        "periods": period_spending_chart(program.spending_by_period, T, FMT, WIDTH),
        "event": event_study_chart(
            program.evaluation["event_study"], "Prozentpunkte", T, FMT, WIDTH
        ),
        "maps": district_maps(data.boundaries or {}, data.districts, T, FMT, WIDTH).drawings[0],
    }


def test_charts_hold_no_raster_image_and_are_as_wide_as_asked(drawings):
    for name, drawing in drawings.items():
        assert not any(isinstance(s, Image) for s in shapes(drawing)), name
        assert drawing.width == pytest.approx(WIDTH, abs=0.5), name


def test_chart_labels_are_text_in_the_report_language(drawings):
    bars = texts(drawings["bars"])
    assert "Am Weiher & Mühle" in bars
    assert "nicht zugeordnet" in bars
    assert "100.000 €" in bars  # axis ticks formatted like the text
    assert "Bezugsperiode (−1)" in texts(drawings["event"])
    assert "-1,0" in texts(drawings["event"])
    assert "bedürftigstes Fünftel: 31 %" in texts(drawings["curve"])
    assert "20 %" in texts(drawings["curve"])
    assert {"D01", "D06", "sehr hoch", "keine Angabe"} <= set(texts(drawings["maps"]))


def test_districts_without_need_or_population_are_left_out_of_the_scatter(drawings):
    labels = texts(drawings["scatter"])
    assert "Altstadt" in labels
    assert "Westfeld" not in labels


def test_rings_are_oriented_so_holes_stay_holes():
    outer_clockwise = [(0, 0), (0, 4), (4, 4), (4, 0), (0, 0)]
    hole_counter_clockwise = [(1, 1), (2, 1), (2, 2), (1, 2), (1, 1)]
    path = polygon_path([outer_clockwise, hole_counter_clockwise])
    rings = path.to_polygons(closed_only=False)
    assert signed_area([tuple(p) for p in rings[0]]) > 0  # outer ring counter-clockwise
    assert signed_area([tuple(p) for p in rings[1]]) < 0  # hole clockwise


def test_geometry_kinds_and_label_position():
    square = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    polygon = {"geometry": {"type": "Polygon", "coordinates": [square]}}
    multi = {"geometry": {"type": "MultiPolygon", "coordinates": [[square], [square]]}}
    point = {"geometry": {"type": "Point", "coordinates": [1, 1]}}
    assert len(feature_polygons(polygon)) == 1
    assert len(feature_polygons(multi)) == 2
    assert feature_polygons(point) == []
    assert feature_polygons({"geometry": None}) == []
    assert centroid(feature_polygons(polygon)) == pytest.approx((1.0, 1.0))


def test_maps_grey_out_districts_without_data_and_skip_other_geometries():
    data = sample_report_data()
    ring = [[500000, 5600000], [501000, 5600000], [501000, 5601000], [500000, 5601000]]
    boundaries = {
        "features": [
            {
                "properties": {"key": "D01"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
            },
            {"properties": {"key": "X99"}, "geometry": {"type": "Polygon", "coordinates": [ring]}},
            {"properties": {"key": "D02"}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
        ]
    }
    maps = district_maps(boundaries, data.districts, T, FMT, WIDTH)
    labels = texts(maps.drawings[0])
    assert "X99" in labels
    assert "D02" not in labels
    assert "keine Angabe" in labels


def test_spending_classes_are_round_and_cover_every_value():
    assert list(spending_classes([0.3, 12.0, 12.68, 28.13, 30.49])) == [0, 10, 20, 30, 40]
    assert list(spending_classes([5.0])) == [0, 1, 2, 3, 4, 5]
    assert list(spending_classes([0.0])) == [0, 1]  # no spread: one class
    bounds = spending_classes([-3.0, 7.0])  # refunds can make a district negative
    assert bounds[0] <= -3 and bounds[-1] >= 7


def test_labels_of_points_on_top_of_each_other_do_not_overlap():
    points = [(100.0, 100.0)] * 6 + [(104.0, 101.0)] * 4
    widths = [40.0] * 10
    placements = place_labels(points, widths, 7.0, bounds=(0, 0, 400, 300))
    boxes = [
        label_box(x, y, p.dx, p.dy, p.ha, w, 7.0)
        for (x, y), w, p in zip(points, widths, placements, strict=True)
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert overlap_area(a, b) == 0
    # The first takes the nearest spot that keeps clear of the neighbouring marker on its right.
    assert placements[0] == LabelPlacement(-4, 2, "right")
    assert any(p.needs_leader for p in placements)


def test_a_label_stays_inside_the_plot():
    placement = place_labels([(395.0, 150.0)], [40.0], 7.0, bounds=(0, 0, 400, 300))[0]
    assert placement.ha == "right"


def test_the_bar_chart_of_many_districts_still_fits_a_page():
    many = [
        DistrictSpending(f"S{i:02d}", f"Quartier {i}", Decimal(i), 100, Decimal(1), 0.0, None)
        for i in range(1, 81)
    ]
    drawing = spending_bars(many, Decimal(0), T, FMT, WIDTH)
    assert drawing.height <= MAX_CHART_HEIGHT
    assert "Quartier 80" in texts(drawing)


def test_chart_amounts_accept_decimals():
    drawing = period_spending_chart([("2024-Q1", Decimal("1234.56"))], T, FMT, WIDTH)
    assert "2024-Q1" in texts(drawing)


def test_the_synthetic_comparison_chart_labels_years_without_grouping_and_marks_the_start():
    rows = [
        {"time": year, "cohort": 2019, "treated": 31.0 - 0.3 * i, "synthetic": 31.0 - 0.1 * i}
        for i, year in enumerate(range(2016, 2025))
    ]
    drawing = trajectory_chart(rows, "SGB-II-Quote (%)", T, FMT, WIDTH)
    labels = texts(drawing)
    assert {"gefördert", "synthetischer Vergleich", "Beginn", "SGB-II-Quote (%)"} <= set(labels)
    assert "2018" in labels and "2.018" not in labels
    assert not any(isinstance(s, Image) for s in shapes(drawing))


def test_programme_spending_in_constant_prices_is_a_labelled_line_over_the_bars():
    """Issue 17 item 6: the programme chart names both series, current and constant prices."""
    nominal = [("2022", Decimal("110200")), ("2023", Decimal("116700"))]
    real = [("2022", Decimal("100000")), ("2023", Decimal("100000"))]
    drawing = period_spending_chart(nominal, T, FMT, WIDTH, real, 2020)
    assert {"in jeweiligen Preisen", "in Preisen von 2020"} <= set(texts(drawing))
    assert "in Preisen von 2020" not in texts(period_spending_chart(nominal, T, FMT, WIDTH))
