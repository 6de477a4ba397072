"""The report's "Kurze Wege" page for one place type: a map, plain sentences, a suggestion.

The map draws the districts in their need class (as the district map does), the places of help
as black dots, the resident points beyond the distance as red dots (area by people) and the
suggested new places as stars. The sentences name the districts of high need with the lowest
share reached — at most NAMED of them, fewest reached first — in the words the issue asks for
("In Nord-Düren wohnen 2.400 Menschen … weiter als 1 km Luftlinie von der nächsten
Anlaufstelle"), then the suggestion and what each further place adds. Every distance is named
with its measure ("1 km Luftlinie", "1 km Fußweg": the section's `distance`), and the summary
says how the distances were measured.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
from matplotlib.patches import PathPatch
from reportlab.platypus import Flowable

from evaluation.need import BURDENED_CLASSES as BURDENED
from reports.charts import CHART_RC, NEED_COLOURS, NO_DATA, need_legend, new_figure, to_drawing
from reports.district_map import feature_polygons, polygon_path
from reports.report_layout import Layout
from reports.short_ways_data import DistrictReach, ShortWaysSection

NAMED = 3
_CLASS_ORDER = {"very_high": 0, "high": 1}


def short_ways_page(
    section: ShortWaysSection, boundaries: dict[str, Any] | None, layout: Layout
) -> list[Flowable]:
    """The section's flowables: heading, summary, map, named districts, suggestion."""
    t, fmt = layout.t, layout.fmt
    who = _who(section, t)
    distance = t(f"short_ways.distance.{section.distance}", distance=_km(section.within, fmt))
    story: list[Flowable] = [
        layout.h1(t("short_ways.title", type=section.name)),
        layout.p(
            t(
                "short_ways.summary",
                covered=fmt.integer(section.covered),
                people=fmt.integer(section.people),
                who=who,
                share=fmt.percent(section.share or 0.0),
                distance=distance,
                type=section.name,
                places=fmt.integer(len(section.places)),
            )
            + " "
            + t(f"short_ways.measure.{section.distance}", network=section.network)
        ),
    ]
    if boundaries and boundaries.get("features"):
        drawing = short_ways_map(section, boundaries, layout.t, layout.width)
        story.append(layout.figure(drawing, t("short_ways.map_caption", distance=distance)))
    story += _named_districts(section, layout, who, distance)
    story += _suggestion(section, layout, who)
    return story


def _who(section: ShortWaysSection, t: Any) -> str:
    if section.weight_name is None:
        return t("short_ways.who_residents")
    return t("short_ways.who_in_need", indicator=section.weight_name)


def _km(metres: int, fmt: Any) -> str:
    return f"{fmt.number(metres / 1000, 1)} km" if metres % 1000 else f"{metres // 1000} km"


def burdened_least_reached(districts: tuple[DistrictReach, ...]) -> list[DistrictReach]:
    """Districts of high or very high need not fully reached, fewest reached first (then the
    more people beyond reach, then the higher class): the ones the report names."""
    candidates = [
        d
        for d in districts
        if d.need_class in BURDENED and d.share is not None and d.covered < d.people
    ]
    return sorted(
        candidates,
        key=lambda d: (d.share, -(d.people - d.covered), _CLASS_ORDER[d.need_class or ""], d.key),
    )[:NAMED]


def _named_districts(
    section: ShortWaysSection, layout: Layout, who: str, distance: str
) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    if not any(d.need_class for d in section.districts):
        return [layout.p(t("short_ways.no_need"))]
    named = burdened_least_reached(section.districts)
    if not named:
        return [layout.p(t("short_ways.burdened_reached", distance=distance))]
    return [
        layout.h2(t("short_ways.burdened_title")),
        *layout.bullets(
            [
                t(
                    "short_ways.district_far",
                    name=d.name,
                    count=fmt.integer(d.people - d.covered),
                    who=who,
                    distance=distance,
                    need_class=t(f"need_class.{d.need_class}"),
                    share=fmt.percent(d.share or 0.0),
                )
                for d in named
            ]
        ),
    ]


def _suggestion(section: ShortWaysSection, layout: Layout, who: str) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    if not section.suggested:
        return []
    items = [
        t(
            "short_ways.suggested_place",
            rank=rank,
            district=place.district_name or place.district or "–",
            newly=fmt.integer(place.newly_covered),
            who=who,
        )
        for rank, place in enumerate(section.suggested, start=1)
    ]
    curve = [
        t(
            "short_ways.curve_step",
            places=size,
            covered=fmt.integer(covered),
            gain=fmt.integer(covered - section.covered),
        )
        for size, covered in section.curve
    ]
    proof = t("short_ways.optimal" if section.optimal else "short_ways.not_optimal")
    return [
        layout.h2(t("short_ways.suggestion_title")),
        layout.p(t("short_ways.suggestion_intro", count=len(section.suggested), who=who)),
        *layout.bullets(items),
        layout.p(" ".join([*curve, proof])),
    ]


def short_ways_map(
    section: ShortWaysSection, boundaries: dict[str, Any], t: Any, width: float
) -> Any:
    """Districts by need class, places, resident points beyond reach, suggested places."""
    classes = {d.key: d.need_class for d in section.districts}
    with matplotlib.rc_context(CHART_RC):
        figure = new_figure(width, width * 0.62)
        axes = figure.subplots()
        corners = []
        for feature in boundaries.get("features", []):
            key = str((feature.get("properties") or {}).get("key", ""))
            colour = NEED_COLOURS.get(classes.get(key) or "", NO_DATA)
            for polygon in feature_polygons(feature):
                corners += polygon[0]
                axes.add_patch(
                    PathPatch(polygon_path(polygon), facecolor=colour, edgecolor="white",
                              linewidth=0.6, zorder=1)
                )  # fmt: skip
        if section.uncovered:
            far = np.array(section.uncovered)
            size = 1 + 14 * np.sqrt(far[:, 2] / far[:, 2].max())
            axes.scatter(far[:, 0], far[:, 1], s=size, color="#b2182b", alpha=0.55,
                         linewidth=0, zorder=2, label=t("short_ways.legend_far"))  # fmt: skip
        if section.places:
            here = np.array(section.places)
            axes.scatter(here[:, 0], here[:, 1], s=14, color="black", zorder=3,
                         label=t("short_ways.legend_places"))  # fmt: skip
        if section.suggested:
            axes.scatter([p.x for p in section.suggested], [p.y for p in section.suggested],
                         s=70, marker="*", color="#1b7837", edgecolor="black", linewidth=0.4,
                         zorder=4, label=t("short_ways.legend_suggested"))  # fmt: skip
        points = np.array(corners) if corners else np.zeros((1, 2))
        (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
        pad = max(x1 - x0, y1 - y0) * 0.03 or 1.0
        axes.set_xlim(x0 - pad, x1 + pad)
        axes.set_ylim(y0 - pad, y1 + pad)
        axes.set_aspect(1)
        axes.set_axis_off()
        first = axes.legend(fontsize=6.5, frameon=False, loc="upper left",
                            bbox_to_anchor=(1.0, 1.0))  # fmt: skip
        axes.add_artist(first)
        need_legend(axes, set(classes.values()), t, loc="lower left", bbox_to_anchor=(1.0, 0.0))
        return to_drawing(figure)
