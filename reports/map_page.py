"""The report's map page: the need and spending maps, the numbers under them, and what the map
cannot show.

A map with more districts than fit their keys labels the small ones with numbers; the table
under it gives each number's key and name, in columns, so that 447 planning areas take a few
lines rather than pages. Every district with figures but no polygon, every polygon of no known
district and every district delivered as several features is named here, never dropped
silently (issue 17).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from reports.district_map import DistrictMaps, district_maps
from reports.overview_sections import disclosure_notes
from reports.report_data import ReportData
from reports.report_layout import Layout

# (number, key, name) groups side by side in the table of numbers.
NUMBER_COLUMNS = 2
# Up to this many districts too small for a label are named; more are counted.
NAMED_UNLABELLED = 30


def district_map_page(data: ReportData, layout: Layout) -> list[Flowable]:
    t = layout.t
    assert data.boundaries is not None
    maps = district_maps(data.boundaries, data.districts, t, layout.fmt, layout.width)
    if len(maps.drawings) == 1:
        figures = [layout.figure(maps.drawings[0], t("maps.caption"))]
    else:
        need, money = maps.drawings
        figures = [
            layout.figure(need, t("maps.caption_need")),
            layout.figure(money, t("maps.caption_spending")),
        ]
    names = {d.key: d.name for d in data.districts}
    return [
        layout.h1(t("section.maps")),
        *figures,
        *number_table(maps, names, layout),
        *coverage_notes(maps, names, layout),
        *disclosure_notes(data, layout, with_rule=False),
    ]


def number_rows(
    numbered: Sequence[tuple[str, str]], names: dict[str, str], columns: int
) -> list[list[str]]:
    """(number, key, name) triples laid out in `columns` groups, read down each group first."""
    triples = [(number, key, names.get(key, "")) for number, key in numbered]
    height = -(-len(triples) // columns)
    rows = []
    for r in range(height):
        row: list[str] = []
        for c in range(columns):
            index = c * height + r
            row += list(triples[index]) if index < len(triples) else ["", "", ""]
        rows.append(row)
    return rows


def number_table(maps: DistrictMaps, names: dict[str, str], layout: Layout) -> list[Flowable]:
    t = layout.t
    if not maps.numbered:
        return []
    columns = NUMBER_COLUMNS if len(maps.numbered) > 8 else 1
    w = layout.width / columns
    header = [t("maps.col_number"), t("maps.col_key"), t("maps.col_name")] * columns
    table = layout.table(
        header,
        number_rows(maps.numbered, names, columns),
        [0.14 * w, 0.3 * w, 0.56 * w] * columns,
        right=tuple(3 * c for c in range(columns)),
    )
    return [layout.p(t("maps.numbers", count=len(maps.numbered)), "small"), table]


def coverage_notes(maps: DistrictMaps, names: dict[str, str], layout: Layout) -> list[Flowable]:
    """Districts too small for a label, without a polygon, polygons without data, duplicates."""
    t = layout.t
    coverage, notes = maps.coverage, []
    unlabelled = maps.unlabelled
    if 0 < len(unlabelled) <= NAMED_UNLABELLED:
        named = ", ".join(f"{names.get(k, k)} ({k})" for k in unlabelled)
        notes.append(layout.p(t("maps.unlabelled", names=named), "small"))
    elif unlabelled:
        notes.append(layout.p(t("maps.unlabelled_many", count=len(unlabelled)), "small"))
    if coverage.without_geometry:
        named = ", ".join(f"{names.get(k, k)} ({k})" for k in coverage.without_geometry)
        count = len(coverage.without_geometry)
        notes.append(layout.p(t("maps.without_geometry", count=count, names=named), "warning"))
    if coverage.without_data:
        keys = ", ".join(coverage.without_data)
        count = len(coverage.without_data)
        notes.append(layout.p(t("maps.without_data", count=count, keys=keys), "warning"))
    if coverage.duplicates:
        keys = ", ".join(coverage.duplicates)
        notes.append(layout.p(t("maps.duplicates", keys=keys), "small"))
    return notes
