"""The report's charts: matplotlib figures embedded in the PDF as vector graphics.

Choice: each figure is drawn by `reports.chart_drawing` straight into a reportlab Drawing,
with its text kept as text, which platypus places like any flowable. The charts therefore stay
sharp at any zoom and in print, their labels are real text in DejaVu Sans (the same embedded
face as the body text: searchable, copyable, read by screen readers), and the PDF holds no
raster image at all. A raster PNG would be simpler but blurs when the committee zooms into a
map, and a matplotlib PDF cannot be embedded by reportlab without a further library; going
through SVG and svglib gave the same pages at twice the cost. Nothing here may produce a
raster: no colorbars (matplotlib rasterises their gradient), no images; classed legends
instead.

Figures are built with the object API (`Figure`, no pyplot), so no global figure state is
touched; rcParams apply only inside `rc_context` while a figure is drawn. Axis numbers come
from `reports.formatting`, so ticks read 1.000 € and 0,5 like the text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import TextPath
from matplotlib.ticker import Formatter, MaxNLocator
from reportlab.graphics.shapes import Drawing

from reports.chart_drawing import draw_figure
from reports.chart_labels import place_labels
from reports.fonts import CHART_FAMILY, register_fonts
from reports.formatting import LocaleFormat
from reports.messages import Messages
from reports.report_data import DistrictSpending

NEED_CLASSES = ("very_high", "high", "medium", "low")
# ColorBrewer RdBu (diverging): reds for need, blues for low need, grey for no data.
NEED_COLOURS = {"very_high": "#b2182b", "high": "#ef8a62", "medium": "#fddbc7", "low": "#92c5de"}
NO_DATA = "#d9d9d9"
BAR = "#2166ac"
UNATTRIBUTED = "#969696"
PRE = "#7f7f7f"
MIN_BAR_SLOTS = 6
MAX_CHART_HEIGHT = 640.0  # points; an A4 page's text frame is about 730
LABEL_SIZE = 6.5
POST = "#b2182b"

CHART_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [CHART_FAMILY],
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


class LocaleTicks(Formatter):
    """Tick labels in the report's locale, with as many places as the tick spacing needs.

    matplotlib asks for the same labels many times while it lays out and draws one chart (about
    ten times each), so each label is formatted once: the places when the ticks are set, the
    text on first request.
    """

    def __init__(self, render: Callable[[float, int], str]) -> None:
        self.render = render
        self.decimals = 0  # no ticks yet: whole numbers
        self.labels: dict[tuple[float, int], str] = {}

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(locs)
        steps = np.diff(np.sort(np.asarray(locs, dtype=float)))
        step = float(steps[steps > 0].min()) if (steps > 0).any() else 1.0
        self.decimals = max(0, -math.floor(math.log10(step) + 1e-9))

    def __call__(self, x: float, pos: int | None = None) -> str:
        key = (float(x), self.decimals)
        if key not in self.labels:
            self.labels[key] = self.render(x, self.decimals)
        return self.labels[key]


def to_drawing(figure: Figure) -> Drawing:
    """The figure as a reportlab Drawing (vector), sized in points as the figure is."""
    register_fonts()
    with matplotlib.rc_context(CHART_RC):
        return draw_figure(figure)


def new_figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(CHART_RC):
        return Figure(figsize=(width / 72, height / 72), layout="constrained")


def _money_axis(axis: Any, fmt: LocaleFormat, ticks: int = 5) -> None:
    axis.set_major_locator(MaxNLocator(nbins=ticks, min_n_ticks=3))
    axis.set_major_formatter(LocaleTicks(lambda v, d: fmt.money(v, cents=d > 0)))


def number_axis(axis: Any, fmt: LocaleFormat) -> None:
    axis.set_major_formatter(LocaleTicks(lambda v, d: fmt.number(v, d)))


def _share_axis(axis: Any, fmt: LocaleFormat) -> None:
    axis.set_major_formatter(LocaleTicks(lambda v, d: fmt.percent(v, max(0, d - 2))))


def spending_bars(
    districts: Sequence[DistrictSpending],
    unattributed: Decimal,
    t: Messages,
    fmt: LocaleFormat,
    width: float,
) -> Drawing:
    """Horizontal bars per district: spending (plus the unattributed bar) and € per inhabitant.

    Both panels share the district order (largest spending on top), so a row reads across.
    Districts without spending have no bar and are left out (the table lists them), so that
    the chart fits under the table.
    """
    with matplotlib.rc_context(CHART_RC):
        rows = sorted((d for d in districts if d.amount), key=lambda d: (d.amount, d.name))
        labels = [t("spending.unattributed_row"), *(d.name for d in rows)]
        y = np.arange(len(labels))
        # 13 points a row (8-point names with air between the bars), but never taller than a
        # page: many districts get thinner rows.
        row = min(13.0, (MAX_CHART_HEIGHT - 50.0) / len(labels))
        figure = new_figure(width, max(150.0, row * len(labels) + 50.0))
        left, right = figure.subplots(1, 2, sharey=True)
        left.tick_params(axis="y", labelsize=min(8.0, 0.8 * row))
        amounts = [float(unattributed), *(float(d.amount) for d in rows)]
        colours = [UNATTRIBUTED, *([BAR] * len(rows))]
        left.barh(y, amounts, color=colours, height=0.7)
        left.set_yticks(y, labels)
        left.set_title(t("chart.amount_title"))
        _money_axis(left.xaxis, fmt, ticks=3)
        per_capita = [
            np.nan,
            *(np.nan if d.per_capita is None else float(d.per_capita) for d in rows),
        ]
        right.barh(y, per_capita, color=BAR, height=0.7)
        right.set_title(t("chart.per_capita_title"))
        _money_axis(right.xaxis, fmt, ticks=4)
        right.tick_params(axis="y", left=False)
        for axes in (left, right):
            axes.axvline(0, color="black", linewidth=0.6)
            axes.grid(axis="x", linewidth=0.3, color="#cccccc")
            axes.set_axisbelow(True)
        return to_drawing(figure)


def need_scatter(
    districts: Sequence[DistrictSpending], t: Messages, fmt: LocaleFormat, width: float
) -> Drawing:
    """Need index against € per inhabitant, one point per district, coloured by class.

    Every point is named, except where several districts spent nothing: their names would crowd
    the zero line, so they are left unnamed there and the page lists them below the chart.
    """
    with matplotlib.rc_context(CHART_RC):
        shown = [d for d in districts if d.need_index is not None and d.per_capita is not None]
        zero = [d for d in shown if d.per_capita == 0]
        named = [d for d in shown if d.per_capita != 0] if len(zero) > 1 else shown
        figure = new_figure(width, width * 0.5)
        axes = figure.subplots()
        for d in shown:
            colour = NEED_COLOURS.get(d.need_class or "", NO_DATA)
            axes.scatter(
                float(d.need_index),  # type: ignore[arg-type]
                float(d.per_capita),  # type: ignore[arg-type]
                s=28,
                color=colour,
                edgecolor="black",
                linewidth=0.5,
                zorder=3,
            )
        axes.set_xlabel(t("chart.need_axis"))
        axes.set_ylabel(t("chart.per_capita_axis"))
        number_axis(axes.xaxis, fmt)
        _money_axis(axes.yaxis, fmt)
        axes.grid(linewidth=0.3, color="#cccccc")
        axes.set_axisbelow(True)
        need_legend(axes, {d.need_class for d in shown}, t)
        _label_points(figure, axes, named, shown)
        return to_drawing(figure)


def _label_points(
    figure: Figure,
    axes: Any,
    named: Sequence[DistrictSpending],
    shown: Sequence[DistrictSpending],
) -> None:
    """Name the `named` points, placed around them so that the names overlap neither each other
    nor any of the `shown` markers (chart_labels)."""
    if not named:
        return
    figure.draw_without_rendering()  # fixes the layout, so data positions map to points
    to_points = 72 / figure.dpi
    ordered = [*named, *(d for d in shown if d not in named)]
    every = [(float(d.need_index), float(d.per_capita)) for d in ordered]  # type: ignore[arg-type]
    markers = [(x * to_points, y * to_points) for x, y in axes.transData.transform(every)]
    box = axes.get_window_extent()
    bounds = (box.x0 * to_points, box.y0 * to_points, box.x1 * to_points, box.y1 * to_points)
    font = FontProperties(family=CHART_FAMILY, size=LABEL_SIZE)
    widths = [TextPath((0, 0), d.name, prop=font).get_extents().width for d in named]
    placements = place_labels(
        markers[: len(named)], widths, LABEL_SIZE * 1.1, bounds, others=markers[len(named) :]
    )
    for d, xy, placement in zip(named, every[: len(named)], placements, strict=True):
        axes.annotate(
            d.name,
            xy,
            xytext=(placement.dx, placement.dy),
            textcoords="offset points",
            ha=placement.ha,
            va="baseline",
            fontsize=LABEL_SIZE,
            arrowprops=(
                {"arrowstyle": "-", "linewidth": 0.4, "color": PRE, "shrinkA": 0, "shrinkB": 3}
                if placement.needs_leader
                else None
            ),
        )


def need_legend(axes: Any, present: set[str | None], t: Messages, **where: Any) -> None:
    handles = [
        Patch(
            facecolor=NEED_COLOURS[c], edgecolor="black", linewidth=0.5, label=t(f"need_class.{c}")
        )
        for c in NEED_CLASSES
        if c in present
    ]
    if present - set(NEED_CLASSES):
        handles.append(
            Patch(facecolor=NO_DATA, edgecolor="black", linewidth=0.5, label=t("chart.no_class"))
        )
    if handles:
        axes.legend(handles=handles, fontsize=6.5, frameon=False, **where)


def concentration_chart(
    points: Sequence[tuple[float, float]],
    top_fifth: float | None,
    t: Messages,
    fmt: LocaleFormat,
    width: float,
) -> Drawing:
    """The concentration curve (most need first) against the diagonal of equal € per head.

    A square plot with the legend below it, outside: inside, it would cover the curve, which
    runs through every corner of the square for one city or another.
    """
    with matplotlib.rc_context(CHART_RC):
        figure = new_figure(width, width * 1.05)
        axes = figure.subplots()
        xs, ys = zip(*points, strict=True) if points else ((), ())
        axes.plot(
            [0, 1], [0, 1], linestyle="--", color=PRE, linewidth=0.8, label=t("chart.diagonal")
        )
        axes.plot(
            xs, ys, color=BAR, marker="o", markersize=3, linewidth=1.2, label=t("chart.curve")
        )
        if top_fifth is not None and math.isfinite(top_fifth):
            axes.plot([0.2, 0.2], [0, top_fifth], linestyle=":", color=POST, linewidth=0.8)
            axes.plot(
                [0.2],
                [top_fifth],
                marker="o",
                color=POST,
                markersize=4,
                label=t("chart.fifth", share=fmt.percent(top_fifth, 0)),
            )
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 1)
        axes.set_aspect("equal")
        axes.set_xlabel(t("chart.curve_x"))
        axes.set_ylabel(t("chart.curve_y"))
        _share_axis(axes.xaxis, fmt)
        _share_axis(axes.yaxis, fmt)
        axes.grid(linewidth=0.3, color="#cccccc")
        figure.legend(
            handles=axes.get_legend_handles_labels()[0],
            fontsize=6.5,
            frameon=False,
            loc="outside lower center",
            ncols=1,
        )
        return to_drawing(figure)


def period_spending_chart(
    periods: Sequence[tuple[str, Decimal]],
    t: Messages,
    fmt: LocaleFormat,
    width: float,
    real: Sequence[tuple[str, Decimal]] | None = None,
    base_year: int | None = None,
) -> Drawing:
    """One program's spending per period as vertical bars; with `real`, the same in constant
    prices of `base_year` as a line with points over them, and a legend naming both."""
    with matplotlib.rc_context(CHART_RC):
        figure = new_figure(width, 100.0 if real is None else 118.0)
        axes = figure.subplots()
        x = np.arange(len(periods))
        nominal = t("chart.current_prices") if real is not None else None
        axes.bar(x, [float(amount) for _, amount in periods], color=BAR, width=0.6, label=nominal)
        if real is not None:
            axes.plot(
                x,
                [float(amount) for _, amount in real],
                color=POST,
                marker="o",
                markersize=3,
                linewidth=1.2,
                label=t("chart.constant_prices", year=base_year),
            )
            axes.legend(fontsize=6.5, frameon=False, loc="lower center",
                        bbox_to_anchor=(0.5, 1.0), ncols=2)  # fmt: skip
        # At least MIN_BAR_SLOTS bar widths across, so one period is not one wide block.
        spare = max(0, MIN_BAR_SLOTS - len(periods)) / 2
        axes.set_xlim(-0.5 - spare, len(periods) - 0.5 + spare)
        axes.set_xticks(x, [label for label, _ in periods])
        if len(periods) > 8:
            axes.tick_params(axis="x", labelrotation=45)
        axes.axhline(0, color="black", linewidth=0.6)
        _money_axis(axes.yaxis, fmt)
        axes.grid(axis="y", linewidth=0.3, color="#cccccc")
        axes.set_axisbelow(True)
        return to_drawing(figure)
