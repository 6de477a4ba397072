""" "Auf einen Blick": every programme in one table a council member reads in a minute.

One row per programme: its name, the districts with it (their names when there are few, else
their number), the change with its interval in the indicator's units (the sign convention of
reports.effect_words: "sank um 1,0 (0,6 bis 1,4)"), the smallest effect the design could
detect, and one verdict — "Wirkung belegt", "nicht von Zufall zu unterscheiden" or "nicht
prüfbar" — the same words that open the programme's page. Below the table: why each
"nicht prüfbar" is one, and what the columns mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Flowable

from reports.caveats import plain_caveat
from reports.effect_words import (
    FRAGILE_BELOW,
    detectable_effect,
    finite,
    indicator_label,
    interval,
    judgement,
    level,
    signed_change,
    unit_label,
)
from reports.pretrend_words import deviating_leads, pretrend_state
from reports.report_data import ProgramSection, ReportData
from reports.report_layout import Layout

# Up to this many districts are named; more are counted.
NAMED_UP_TO = 3
DASH = "–"
DEFAULT_POWER = 0.8


def programme_table(data: ReportData, layout: Layout) -> list[Flowable]:
    """The table, the reasons behind "nicht prüfbar", and a legend of the columns."""
    t, fmt = layout.t, layout.fmt
    names = {d.key: d.name for d in data.districts}
    evaluations = [s.evaluation for s in data.programs if s.evaluation is not None]
    # One indicator and unit for all: said once above the table, the cells hold bare numbers.
    measures = {(indicator_label(e), unit_label(e, layout)) for e in evaluations}
    shared = measures.pop() if len(measures) == 1 else None
    story: list[Flowable] = []
    if shared:
        indicator, unit = shared
        story.append(layout.p(t("glance.indicator", indicator=indicator, unit=unit), "small"))
    rows = [_row(section, layout, names, shared is None) for section in data.programs]
    w = layout.width
    level_label = level(evaluations[0], layout) if evaluations else fmt.integer(95)
    story.append(
        layout.table(
            [
                t("glance.col_program"),
                t("glance.col_districts"),
                t("glance.col_change", level=level_label),
                t("glance.col_mde"),
                t("glance.col_verdict"),
            ],
            rows,
            [0.18 * w, 0.17 * w, 0.25 * w, 0.16 * w, 0.24 * w],
            right=(3,),
            bold_columns=(4,),
        )
    )
    story.append(layout.gap(4))
    story += [layout.p(note, "small") for note in _untestable_notes(data.programs, layout)]
    power = next(
        (
            finite(e["mde"].get("power"))
            for e in evaluations
            if isinstance(e.get("mde"), dict) and finite(e["mde"].get("power"))
        ),
        DEFAULT_POWER,
    )
    story.append(
        layout.p(
            t("glance.legend", power=fmt.percent(power or DEFAULT_POWER, 0)),
            "small",
        )
    )
    return story


def districts_cell(evaluation: dict[str, Any], names: Mapping[str, str], layout: Layout) -> str:
    """The districts with the programme: named when they are few, else counted."""
    units = [str(u) for units in (evaluation.get("cohorts") or {}).values() for u in units]
    if units and len(units) <= NAMED_UP_TO:
        return ", ".join(names.get(u, u) for u in units)
    count = len(units) or int(evaluation.get("n_treated") or 0)
    return layout.fmt.integer(count) if count else DASH


def change_cell(evaluation: dict[str, Any], layout: Layout, unit: bool = True) -> str:
    """ "sank um 1,0 Prozentpunkte (0,6 bis 1,4)" ("sank um 1,0 (0,6 bis 1,4)" without the
    unit); "–" without an estimate."""
    t = layout.t
    if finite(evaluation.get("estimate")) is None:
        return DASH
    direction, amount, (low, high) = signed_change(evaluation, layout, unit)
    if low and high:
        bounds = t("glance.interval", low=low, high=high)
    else:
        bounds = t("glance.interval_unbounded")
    return t(f"glance.change_{direction}", amount=amount, interval=bounds)


def verdict_cell(evaluation: dict[str, Any] | None, layout: Layout) -> str:
    """The verdict; with a warning where the trends before the start already differed, or where
    an effect shown would not survive trends diverging after the start as much as before it
    (breakdown M̄ below 1: the programme page says the same in full)."""
    t = layout.t
    verdict = t(f"judgement.{judgement(evaluation)}")
    if evaluation is None:
        return verdict
    alarm = pretrend_state(evaluation)[0] == "alarm"
    if alarm or deviating_leads(evaluation.get("event_study") or []):
        return t("glance.verdict_pretrend", verdict=verdict)
    sensitivity = evaluation.get("sensitivity")
    mbar = finite(sensitivity.get("breakdown_mbar")) if isinstance(sensitivity, dict) else None
    if judgement(evaluation) == "shown" and mbar is not None and mbar < FRAGILE_BELOW:
        return t("glance.verdict_fragile", verdict=verdict)
    return verdict


def _row(
    section: ProgramSection, layout: Layout, names: Mapping[str, str], with_indicator: bool
) -> list[str]:
    evaluation = section.evaluation
    if evaluation is None:
        return [section.program, DASH, DASH, DASH, verdict_cell(None, layout)]
    change = change_cell(evaluation, layout, unit=with_indicator)
    if with_indicator and change != DASH:
        change = layout.t(
            "glance.indicator_change", indicator=indicator_label(evaluation), change=change
        )
    return [
        section.program,
        districts_cell(evaluation, names, layout),
        change,
        detectable_effect(evaluation, layout, unit=with_indicator) or DASH,
        verdict_cell(evaluation, layout),
    ]


def _untestable_notes(sections: list[ProgramSection], layout: Layout) -> list[str]:
    """Why each programme whose verdict is "nicht prüfbar" is one."""
    t, fmt = layout.t, layout.fmt
    notes = []
    for section in sections:
        evaluation = section.evaluation
        if judgement(evaluation) != "untestable":
            continue
        if evaluation is None:
            if section.unavailable_reason:
                reason = plain_caveat(section.unavailable_reason, t, fmt)
                text = t("effect.unavailable", reason=reason)
            else:
                text = t("effect.no_evaluation")
        elif finite(evaluation.get("estimate")) is None:
            text = t("effect.no_estimate")
        elif None in interval(evaluation):
            text = t("glance.why_unbounded")
        else:
            text = t("effect.no_pvalue")
        notes.append(t("glance.program", program=section.program, text=text))
    return notes
