"""One page per program, and the plain-words effect sentences that "Auf einen Blick" repeats.

An estimate is told as what was observed — the indicator fell (or rose) by so much more in the
districts with the program than in comparable districts, with its interval — and how likely
chance is; it is called the program's effect only "unter der Annahme paralleler Trends"
(DOMAIN §5: the design is causal only under that assumption).

Sign convention: `estimate` is treated minus comparison (the evaluate JSON's ATT, in the
indicator's unit). A negative estimate is told as "sank … um |estimate| mehr", with the
interval turned the same way, so the two always read in one direction.
"""

from __future__ import annotations

import math
from typing import Any

from reportlab.platypus import Flowable, KeepInFrame, KeepTogether

from reports.caveats import caveat_gist, plain_caveat, plain_caveats, plain_inference
from reports.charts import event_study_chart, has_reference_estimate, period_spending_chart
from reports.formatting import decimals_for, round_half_up
from reports.report_data import ProgramSection
from reports.report_layout import Layout

# p-value thresholds of the plain-words uncertainty sentence.
CLEAR_BELOW = 0.05
WEAK_BELOW = 0.10
DEFAULT_LEVEL = 95


def indicator_label(evaluation: dict[str, Any]) -> str:
    return str(evaluation.get("indicator_name") or evaluation.get("indicator") or "?")


def unit_label(evaluation: dict[str, Any], layout: Layout) -> str:
    """What a difference is measured in: percentage points for a rate in %, else the unit."""
    unit = evaluation.get("indicator_unit")
    if unit == "%":
        return layout.t("chart.points")
    return str(unit) if unit else indicator_label(evaluation)


def with_unit(number: str, evaluation: dict[str, Any], layout: Layout) -> str:
    """A formatted difference with its unit: "1,0 Prozentpunkte" for a rate in %."""
    unit = evaluation.get("indicator_unit")
    if unit == "%":
        return layout.t("effect.unit_points", value=number)
    if unit:
        return layout.t("effect.unit_other", value=number, unit=unit)
    return number


def estimate_line(evaluation: dict[str, Any], layout: Layout) -> str | None:
    """The estimate as analysts write it: signed, with standard error, interval and p-value."""
    t, fmt = layout.t, layout.fmt
    estimate, se = _finite(evaluation.get("estimate")), _finite(evaluation.get("se"))
    if estimate is None:
        return None
    low, high = _interval(evaluation)
    decimals = decimals_for(se)
    unknown = t("cover.unknown")
    pvalue = _finite(evaluation.get("pvalue"))
    return t(
        "program.estimate",
        estimate=with_unit(fmt.number(estimate, decimals), evaluation, layout),
        se=unknown if se is None else fmt.number(se, decimals + 1),
        level=fmt.integer(int(evaluation.get("level") or DEFAULT_LEVEL)),
        low=unknown if low is None else fmt.number(low, decimals),
        high=unknown if high is None else fmt.number(high, decimals),
        p=unknown if pvalue is None else fmt.pvalue(pvalue),
    )


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _interval(evaluation: dict[str, Any]) -> tuple[float | None, float | None]:
    ci = evaluation.get("ci") or [None, None]
    return _finite(ci[0]), _finite(ci[1])


def effect_sentences(evaluation: dict[str, Any], program: str, layout: Layout) -> list[str]:
    """The estimate in words and its uncertainty (a note where there is no overall estimate)."""
    t, fmt = layout.t, layout.fmt
    estimate = _finite(evaluation.get("estimate"))
    if estimate is None:
        return [t("effect.no_estimate")]
    low, high = _interval(evaluation)
    se = _finite(evaluation.get("se"))
    spread = se if se else (None if low is None or high is None else (high - low) / 3.92)
    decimals = decimals_for(spread)
    size = round_half_up(abs(estimate), decimals)
    if size == 0:
        key, shown = "effect.same", (low, high)
    elif estimate < 0:
        key, shown = "effect.fell", (None if high is None else -high, None if low is None else -low)
    else:
        key, shown = "effect.rose", (low, high)
    amount = with_unit(fmt.number(size, decimals), evaluation, layout)
    unknown = t("cover.unknown")
    sentences = [
        t(
            key,
            indicator=indicator_label(evaluation),
            program=program,
            amount=amount,
            level=fmt.integer(int(evaluation.get("level") or DEFAULT_LEVEL)),
            low=unknown if shown[0] is None else fmt.number(shown[0], decimals),
            high=unknown if shown[1] is None else fmt.number(shown[1], decimals),
        )
    ]
    pvalue = _finite(evaluation.get("pvalue"))
    if pvalue is None:
        sentences.append(t("effect.no_pvalue"))
    elif pvalue < CLEAR_BELOW:
        sentences.append(t("effect.clear", p=fmt.pvalue(pvalue)))
    elif pvalue < WEAK_BELOW:
        sentences.append(t("effect.weak", p=fmt.pvalue(pvalue)))
    else:
        sentences.append(t("effect.chance", p=fmt.pvalue(pvalue)))
    if low is not None and high is not None and low <= 0 <= high and size != 0:
        sentences.append(t("effect.ci_zero"))
    return sentences


def program_summary(section: ProgramSection, layout: Layout) -> str:
    """One bullet for "Auf einen Blick"."""
    t = layout.t
    if section.evaluation is not None:
        text = " ".join(effect_sentences(section.evaluation, section.program, layout))
        if _finite(section.evaluation.get("estimate")) is None:
            return t("glance.program", program=section.program, text=text)
        return text
    if section.unavailable_reason:
        reason = plain_caveat(section.unavailable_reason, t, layout.fmt)
        return t(
            "glance.program", program=section.program, text=t("effect.unavailable", reason=reason)
        )
    return t("glance.program", program=section.program, text=t("effect.no_evaluation"))


def _warnings(section: ProgramSection) -> list[str]:
    return [str(w) for w in (section.evaluation or {}).get("warnings") or []]


def program_caveats(section: ProgramSection, layout: Layout, skip: str | None = None) -> list[str]:
    """The evaluation's warnings in plain words, in their order, each said once (caveats that
    differ only by their start cohort as one); skip: a gist already said in other words."""
    warnings = [w for w in _warnings(section) if skip is None or caveat_gist(w) != skip]
    return plain_caveats(warnings, layout.t, layout.fmt)


def program_page(section: ProgramSection, layout: Layout) -> list[Flowable]:
    """One page: a program with many caveats is set a little smaller rather than split, so
    every program starts and ends on its own page."""
    body = _unkept(_program_body(section, layout))
    # The heading stays outside, so it is still a bookmark; the rest shrinks to the page.
    return [
        layout.h1(layout.t("section.program", program=section.program)),
        KeepInFrame(0, 0, body, mode="shrink"),
    ]


def _unkept(story: list[Flowable]) -> list[Flowable]:
    """The flowables with every KeepTogether opened up: inside a KeepInFrame nothing splits
    anyway, and KeepInFrame cannot draw a KeepTogether itself."""
    flat: list[Flowable] = []
    for flowable in story:
        if isinstance(flowable, KeepTogether):
            flat += _unkept(list(flowable._content))
        else:
            flat.append(flowable)
    return flat


def _program_body(section: ProgramSection, layout: Layout) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    story: list[Flowable] = []
    actual = fmt.money(section.actual)
    if section.plan is None:
        story += [layout.p(t("program.actual", actual=actual)), layout.p(t("program.no_plan"))]
    else:
        if section.plan:
            story.append(
                layout.p(
                    t(
                        "program.plan",
                        plan=fmt.money(section.plan),
                        actual=actual,
                        share=fmt.percent(section.actual / section.plan),
                    )
                )
            )
        else:
            story.append(
                layout.p(t("program.plan_zero", plan=fmt.money(section.plan), actual=actual))
            )
        column = layout.width / 4
        story.append(
            layout.table(
                [
                    t("program.col_plan"),
                    t("program.col_actual"),
                    t("program.col_difference"),
                    t("program.col_share"),
                ],
                [
                    [
                        fmt.money(section.plan),
                        actual,
                        fmt.money(section.actual - section.plan),
                        fmt.percent(section.actual / section.plan) if section.plan else "–",
                    ]
                ],
                [column] * 4,
                right=(0, 1, 2, 3),
            )
        )
        story.append(layout.gap(8))
    if any(amount for _, amount in section.spending_by_period):
        chart = period_spending_chart(section.spending_by_period, t, fmt, layout.width)
        story.append(layout.figure(chart, t("program.spending_caption_years")))
    else:
        story.append(layout.p(t("program.no_spending_periods")))
    if section.evaluation is not None:
        story += _evaluation(section, section.evaluation, layout)
    elif section.unavailable_reason:
        reason = plain_caveat(section.unavailable_reason, t, fmt)
        story.append(layout.p(t("effect.unavailable", reason=reason), "strong"))
    else:
        story.append(layout.p(t("effect.no_evaluation")))
    return story


def _evaluation(
    section: ProgramSection, evaluation: dict[str, Any], layout: Layout
) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    story: list[Flowable] = [
        layout.h2(t("program.effect_title", indicator=indicator_label(evaluation)))
    ]
    sentences = effect_sentences(evaluation, section.program, layout)
    if _finite(evaluation.get("estimate")) is not None:
        sentences.append(t("effect.assumption"))
    story.append(layout.p(" ".join(sentences)))
    line = estimate_line(evaluation, layout)
    if line:
        story.append(layout.p(line, "small"))
    method = str(evaluation.get("method") or "")
    key = f"method.{method}"
    story.append(
        layout.p(
            t(
                "program.design",
                method=t(key) if layout.t.has(key) else method,
                treated=fmt.integer(int(evaluation.get("n_treated") or 0)),
                control=fmt.integer(int(evaluation.get("n_control") or 0)),
            ),
            "small",
        )
    )
    cohorts = evaluation.get("cohorts") or {}
    if cohorts:
        listed = "; ".join(
            t("program.cohort", period=period, districts=", ".join(map(str, units)))
            for period, units in sorted(cohorts.items())
        )
        story.append(layout.p(t("program.cohorts", cohorts=listed), "small"))
    if evaluation.get("inference"):
        inference = plain_inference(str(evaluation["inference"]), t)
        story.append(layout.p(t("program.inference", inference=inference), "small"))
    if evaluation.get("method_reason"):
        reason = plain_caveat(str(evaluation["method_reason"]), t, fmt)
        story.append(layout.p(t("program.method_reason", reason=reason), "small"))
    rows = evaluation.get("event_study") or []
    if rows:
        chart = event_study_chart(rows, unit_label(evaluation, layout), t, fmt, layout.width)
        level = fmt.integer(int(evaluation.get("level") or DEFAULT_LEVEL))
        caption = (
            "program.event_caption_short"
            if has_reference_estimate(rows)
            else ("program.event_caption")
        )
        story.append(layout.figure(chart, t(caption, level=level)))
    pretrend = _finite(evaluation.get("pretrend_pvalue"))
    if pretrend is None:
        story.append(layout.p(t("pretrend.none")))
    elif pretrend < WEAK_BELOW:
        story.append(layout.p(t("pretrend.rejected", p=fmt.pvalue(pretrend))))
    else:
        story.append(layout.p(t("pretrend.passed", p=fmt.pvalue(pretrend))))
    said = "gist.pretrend_rejected" if pretrend is not None and pretrend < WEAK_BELOW else None
    unique = program_caveats(section, layout, skip=said)  # a rejected pre-trend is said above
    items = layout.bullets(unique) if unique else [layout.p(t("program.no_warnings"))]
    story += [layout.p(t("program.warnings_title"), "h3"), *items]
    return story
