"""The charts of a programme's effect: the event study, and synthetic DiD's two paths over time.

Drawn like every chart of the report (reports.charts: matplotlib's object API into a vector
reportlab Drawing, labels as text in the report's language).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import matplotlib
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from reportlab.graphics.shapes import Drawing

from reports.charts import (
    BAR,
    CHART_RC,
    POST,
    PRE,
    LocaleTicks,
    new_figure,
    number_axis,
    to_drawing,
)
from reports.formatting import LocaleFormat
from reports.messages import Messages

LABEL_SIZE = 6.5


def has_reference_estimate(rows: Sequence[dict[str, Any]]) -> bool:
    """Does the event study report period −1 itself (rather than measuring against it)?"""
    return any(int(r["rel_time"]) == -1 and r.get("estimate") is not None for r in rows)


def event_study_chart(
    rows: Sequence[dict[str, Any]], unit_label: str, t: Messages, fmt: LocaleFormat, width: float
) -> Drawing:
    """Estimates per period relative to the start with their intervals, as given.

    rows: the evaluate JSON's event_study entries {rel_time, estimate, ci: [low, high]}; entries
    without an estimate are skipped. Pre-periods grey, post-periods red, the start a dashed line
    at −0.5. The reference period −1 is shaded and labelled "Bezugsperiode": in a universal-base
    event study (the default's) it has no row, every estimate is measured against it, and it is
    marked by a hollow circle on the zero line, not by a point of its own. Where the rows do
    report −1 (Callaway & Sant'Anna's varying base: each pre-period compared with the one before
    it) its estimate is drawn like any other.
    """
    with matplotlib.rc_context(CHART_RC):
        figure = new_figure(width, 155.0)
        axes = figure.subplots()
        usable = [r for r in rows if r.get("estimate") is not None]
        for row in usable:
            rel, estimate = int(row["rel_time"]), float(row["estimate"])
            low, high = (row.get("ci") or [None, None])[:2]
            colour = PRE if rel < 0 else POST
            if low is not None and high is not None:
                axes.plot([rel, rel], [float(low), float(high)], color=colour, linewidth=1.2)
            axes.plot([rel], [estimate], marker="o", color=colour, markersize=4.5, zorder=3)
        if not has_reference_estimate(rows):
            axes.plot(
                [-1],
                [0],
                marker="o",
                markerfacecolor="white",
                markeredgecolor="black",
                markersize=5,
                zorder=3,
            )
        axes.axvspan(-1.35, -0.65, color="#eeeeee", zorder=0)
        # Above the plot, over its shaded band: inside it would cross the start line and the
        # interval drawn at −1.
        axes.annotate(
            t("chart.reference"),
            (-1, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=LABEL_SIZE,
        )
        axes.axhline(0, color="black", linewidth=0.6)
        _start_line(axes, -0.5, t)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_formatter(LocaleTicks(lambda v, d: fmt.number(v, 0)))
        number_axis(axes.yaxis, fmt)
        axes.set_xlabel(t("chart.event_x"))
        axes.set_ylabel(t("chart.event_y", unit=unit_label))
        axes.legend(
            handles=[
                Patch(color=PRE, label=t("chart.pre")),
                Patch(color=POST, label=t("chart.post")),
            ],
            fontsize=LABEL_SIZE,
            frameon=False,
            loc="best",
        )
        axes.grid(axis="y", linewidth=0.3, color="#cccccc")
        return to_drawing(figure)


def trajectory_chart(
    rows: Sequence[dict[str, Any]], axis_label: str, t: Messages, fmt: LocaleFormat, width: float
) -> Drawing:
    """The treated districts' mean against their synthetic comparison, period by period.

    rows: the evaluate JSON's trajectory entries {time, cohort, treated, synthetic}; one pair of
    lines per start cohort (one cohort for one district), each cohort's start as a dashed line
    half a period before its first treated period. Periods are numbers (years) and are labelled
    without grouping ("2019", not "2.019").
    """
    with matplotlib.rc_context(CHART_RC):
        figure = new_figure(width, 150.0)
        axes = figure.subplots()
        cohorts = sorted({r["cohort"] for r in rows}, key=float)
        markers = ("o", "s", "^", "D")
        for index, cohort in enumerate(cohorts):
            points = sorted((r for r in rows if r["cohort"] == cohort), key=lambda r: r["time"])
            times = [float(r["time"]) for r in points]
            suffix = t("chart.cohort_suffix", cohort=cohort) if len(cohorts) > 1 else ""
            marker = markers[index % len(markers)]
            axes.plot(
                times,
                [_value(r["treated"]) for r in points],
                color=POST,
                marker=marker,
                markersize=3.5,
                linewidth=1.4,
                label=t("chart.treated_path") + suffix,
            )
            axes.plot(
                times,
                [_value(r["synthetic"]) for r in points],
                color=BAR,
                linestyle="--",
                marker=marker,
                markersize=3.5,
                markerfacecolor="white",
                linewidth=1.4,
                label=t("chart.synthetic_path") + suffix,
            )
            steps = [b - a for a, b in pairwise(times) if b > a]
            _start_line(axes, float(cohort) - (min(steps) if steps else 1.0) / 2, t)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_formatter(
            LocaleTicks(lambda v, d: str(round(v)) if d == 0 else fmt.number(v, d))
        )
        number_axis(axes.yaxis, fmt)
        axes.set_ylabel(axis_label)
        axes.legend(
            handles=[h for h in axes.get_lines() if not h.get_label().startswith("_")],
            fontsize=LABEL_SIZE,
            frameon=False,
            loc="best",
        )
        axes.grid(axis="y", linewidth=0.3, color="#cccccc")
        return to_drawing(figure)


def _start_line(axes: Any, x: float, t: Messages) -> None:
    """The programme's start: a dashed vertical line, labelled at its top."""
    line: Line2D = axes.axvline(x, color="black", linestyle="--", linewidth=0.8)
    line.set_label("_start")
    axes.annotate(
        t("chart.start"),
        (x, 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -10),
        textcoords="offset points",
        fontsize=LABEL_SIZE,
    )


def _value(value: Any) -> float:
    return float("nan") if value is None else float(value)
