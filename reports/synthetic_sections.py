"""What a synthetic-DiD programme page shows instead of an event study.

Synthetic difference-in-differences (Arkhangelsky et al. 2021) builds the comparison from
weighted districts without the programme, fitted to the treated district(s) before the start.
A committee can judge such a comparison by three things, all from the evaluate JSON: the two
paths over time (`trajectory`), who the comparison is made of (`donors`, weights summing to
one) and how closely it followed before the start (`pre_rmse`, root mean square gap in the
indicator's units). The chart stands in for the pre-trend test that this method cannot do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Flowable

from reports.caveats import caveat_gist, caveats_of
from reports.effect_charts import trajectory_chart
from reports.effect_words import finite, indicator_label, with_unit
from reports.formatting import decimals_for
from reports.report_layout import Layout

# Donors listed by name; the rest are summed in one row.
TOP_DONORS = 6
POOR_FIT_GIST = "gist.synthetic_fit"


def poor_fit(evaluation: dict[str, Any]) -> bool:
    """Did the evaluation warn that the synthetic comparison tracks poorly before the start?"""
    return any(caveat_gist(c) == POOR_FIT_GIST for c in caveats_of(evaluation))


def synthetic_comparison(
    evaluation: dict[str, Any], layout: Layout, names: Mapping[str, str]
) -> list[Flowable]:
    """The chart of both paths with its caption, then the donors beside the fit in words."""
    t = layout.t
    one = int(evaluation.get("n_treated") or 0) == 1
    story: list[Flowable] = []
    rows = evaluation.get("trajectory") or []
    if rows:
        chart = trajectory_chart(rows, _level_axis(evaluation, layout), t, layout.fmt, layout.width)
        caption = t(
            "synthetic.caption",
            indicator=indicator_label(evaluation),
            who=t("synthetic.who_one" if one else "synthetic.who_many"),
        )
        story.append(layout.figure(chart, caption))
    fit = fit_sentences(evaluation, layout)
    donors = _donor_table(evaluation, layout, names)
    if donors is None:
        return [*story, layout.p(" ".join(fit))] if fit else story
    beside = layout.side_by_side(
        donors, [layout.p(" ".join(fit), "small")] if fit else "", left_share=0.45
    )
    return [*story, beside, layout.gap(6)]


def fit_sentences(evaluation: dict[str, Any], layout: Layout) -> list[str]:
    """The pre-period fit in the indicator's units, whether it is good, and the placebo rank."""
    t, fmt = layout.t, layout.fmt
    sentences = []
    one = int(evaluation.get("n_treated") or 0) == 1
    rmse = finite(evaluation.get("pre_rmse"))
    if rmse is not None:
        gap = with_unit(fmt.number(rmse, decimals_for(rmse) + 1), evaluation, layout)
        whom = t("synthetic.whom_one" if one else "synthetic.whom_many")
        sentences.append(t("synthetic.fit", gap=gap, whom=whom))
        sentences.append(t("synthetic.fit_poor" if poor_fit(evaluation) else "synthetic.fit_good"))
    # The in-space placebos (each comparison district alone given the programme) rank like with
    # like only where the real programme, too, ran in one district.
    rank, controls = evaluation.get("placebo_rank"), evaluation.get("n_control")
    if one and rank is not None and controls:
        total = int(controls) + 1
        sentences.append(
            t("synthetic.placebo", rank=fmt.integer(int(rank)), total=fmt.integer(total))
        )
    return sentences


def _donor_table(
    evaluation: dict[str, Any], layout: Layout, names: Mapping[str, str]
) -> Flowable | None:
    t, fmt = layout.t, layout.fmt
    donors = sorted(
        (d for d in evaluation.get("donors") or [] if finite(d.get("weight"))),
        key=lambda d: (-float(d["weight"]), str(d["unit"])),
    )
    if not donors:
        return None
    shown, rest = donors[:TOP_DONORS], donors[TOP_DONORS:]
    rows = [[_district(str(d["unit"]), names), fmt.percent(float(d["weight"]))] for d in shown]
    if rest:
        weight = sum(float(d["weight"]) for d in rest)
        rows.append([t("synthetic.other_donors", n=fmt.integer(len(rest))), fmt.percent(weight)])
    width = layout.width * 0.45 - 12
    return layout.table(
        [t("synthetic.col_donor"), t("synthetic.col_weight")],
        rows,
        [width * 0.72, width * 0.28],
        right=(1,),
    )


def _district(key: str, names: Mapping[str, str]) -> str:
    name = names.get(key)
    return f"{name} ({key})" if name else key


def _level_axis(evaluation: dict[str, Any], layout: Layout) -> str:
    unit = evaluation.get("indicator_unit")
    label = indicator_label(evaluation)
    return layout.t("chart.level_axis", indicator=label, unit=unit) if unit else label
