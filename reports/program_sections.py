"""One page per programme: what was spent, and one consistent story of what changed.

The story of an estimate keeps its claim and its caveats together, in this order: the verdict
(the same words as in "Auf einen Blick"), the change in words with its interval and how likely
chance is, the condition under which it reads as the programme's effect (parallel trends), the
smallest effect the design could detect, how far trends may diverge before the claim falls; then
the chart with the pre-trend check under it in words that never contradict it (or, for
synthetic DiD, the treated district against its synthetic comparison, the donors and the fit);
then the caveats; last the analysts' small print (estimate line, method, cohorts, inference).
Wording and sign convention: reports.effect_words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Flowable, KeepInFrame, KeepTogether

from reports.caveats import (
    CaveatLike,
    caveat_gist,
    caveats_of,
    plain_caveat,
    plain_caveats,
    plain_inference,
)
from reports.charts import period_spending_chart
from reports.effect_charts import event_study_chart, has_reference_estimate
from reports.effect_words import (
    effect_sentences,
    estimate_line,
    finite,
    indicator_label,
    judgement,
    level,
    mde_sentence,
    sensitivity_sentences,
    unit_label,
)
from reports.pretrend_words import pretrend_sentences, pretrend_state
from reports.report_data import ProgramSection
from reports.report_layout import Layout
from reports.synthetic_sections import POOR_FIT_GIST, poor_fit, synthetic_comparison


def _caveats(section: ProgramSection) -> list[CaveatLike]:
    return caveats_of(section.evaluation)


def program_caveats(
    section: ProgramSection, layout: Layout, skip: frozenset[str] = frozenset()
) -> list[str]:
    """The evaluation's caveats in plain words, in their order, each said once (caveats that
    differ only by their start cohort as one); skip: gists the page already says in other
    words (a pre-trend alarm, a poor synthetic fit)."""
    caveats = [c for c in _caveats(section) if caveat_gist(c) not in skip]
    return plain_caveats(caveats, layout.t, layout.fmt)


def program_page(
    section: ProgramSection, layout: Layout, names: Mapping[str, str] | None = None
) -> list[Flowable]:
    """One page: a program with many caveats is set a little smaller rather than split, so
    every program starts and ends on its own page. names: district key → name (for the
    synthetic comparison's donors)."""
    body = _unkept(_program_body(section, layout, names or {}))
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


def _program_body(
    section: ProgramSection, layout: Layout, names: Mapping[str, str]
) -> list[Flowable]:
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
        chart = period_spending_chart(
            section.spending_by_period,
            t,
            fmt,
            layout.width,
            section.spending_real,
            section.prices_base_year,
        )
        caption = t("program.spending_caption_years")
        if section.spending_real is not None:
            caption += " " + t("program.constant_prices_caption", year=section.prices_base_year)
        story.append(layout.figure(chart, caption))
    else:
        story.append(layout.p(t("program.no_spending_periods")))
    if section.evaluation is not None:
        story += _evaluation(section, section.evaluation, layout, names)
    elif section.unavailable_reason:
        reason = plain_caveat(section.unavailable_reason, t, fmt)
        story.append(layout.p(t("effect.unavailable", reason=reason), "strong"))
    else:
        story.append(layout.p(t("effect.no_evaluation")))
    return story


def _evaluation(
    section: ProgramSection,
    evaluation: dict[str, Any],
    layout: Layout,
    names: Mapping[str, str],
) -> list[Flowable]:
    t = layout.t
    verdict = t(f"judgement.{judgement(evaluation)}")
    story: list[Flowable] = [
        layout.h2(t("program.effect_title", indicator=indicator_label(evaluation))),
        layout.p(t("program.verdict", verdict=verdict), "strong"),
    ]
    claim = effect_sentences(evaluation, section.program, layout)
    if finite(evaluation.get("estimate")) is not None:
        claim.append(t("effect.assumption"))
    story.append(layout.p(" ".join(claim)))
    robustness = [mde_sentence(evaluation, layout), *sensitivity_sentences(evaluation, layout)]
    if any(robustness):
        story.append(layout.p(" ".join(s for s in robustness if s)))
    said: set[str] = set()
    if evaluation.get("method") == "sdid" and (
        evaluation.get("trajectory") or evaluation.get("donors")
    ):
        story.append(layout.p(t("synthetic.title"), "h3"))
        story += synthetic_comparison(evaluation, layout, names)
        if poor_fit(evaluation):
            said.add(POOR_FIT_GIST)  # the fit is told in words beside the donors
    rows = evaluation.get("event_study") or []
    if rows:
        chart = event_study_chart(rows, unit_label(evaluation, layout), t, layout.fmt, layout.width)
        caption = (
            "program.event_caption_short"
            if has_reference_estimate(rows)
            else "program.event_caption"
        )
        story.append(layout.figure(chart, t(caption, level=level(evaluation, layout))))
    story.append(layout.p(" ".join(pretrend_sentences(evaluation, layout))))
    if pretrend_state(evaluation)[0] == "alarm":
        said.add("gist.pretrend_rejected")  # said above, with the periods that deviate
    unique = program_caveats(section, layout, skip=frozenset(said))
    items = layout.bullets(unique) if unique else [layout.p(t("program.no_warnings"))]
    story += [layout.p(t("program.warnings_title"), "h3"), *items]
    return story + _small_print(evaluation, layout)


def _small_print(evaluation: dict[str, Any], layout: Layout) -> list[Flowable]:
    """The analysts' lines: the estimate as they write it, method, cohorts, inference, why."""
    t, fmt = layout.t, layout.fmt
    story: list[Flowable] = [layout.gap(4)]
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
        inference = plain_inference(evaluation, t)
        story.append(layout.p(t("program.inference", inference=inference), "small"))
    chosen = evaluation.get("method_reason_caveat") or evaluation.get("method_reason")
    if chosen:
        reason = plain_caveat(chosen, t, fmt)
        story.append(layout.p(t("program.method_reason", reason=reason), "small"))
    return story
