"""Callaway & Sant'Anna (2021) difference-in-differences for staggered starts.

Two-way fixed effects compares late starters with early starters that are already treated and so
is biased when effects change over time. Callaway & Sant'Anna estimate one clean 2×2 comparison per
cohort g (first treated period) and period t, ATT(g, t), against never-treated or not-yet-treated
units, and then average these cells (see `group_time_aggregation`).

This is the unconditional estimator (no covariates) of R `did::att_gt` with its defaults: panel
data, base period "varying" (a pre-treatment cell compares t with t − 1, a post-treatment cell
compares t with the last period before g), no anticipation. Standard errors come from per-unit
influence functions, so they are clustered by unit; `inference="bootstrap"` gives R's multiplier
bootstrap with uniform confidence bands instead.

Standard errors, bootstrap and pre-trend test use the small-cohort correction of
`small_cohort` by default (`small_sample="cohort"`): each group's variance with divisor N − 1
instead of R's N. Why the default: `staggered` is what an analyst calls on a city's dozen or two
districts, where cohorts of two or three make R's variance too small (10 % false positives at the
5 % level with 12 districts, docs/simulation-study.md); for large cohorts the two agree (the
factor tends to 1). With `small_sample=None` every number agrees with R `did` to floating-point
precision (tests/data/did-reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from evaluation.caveat_codes import Caveat
from evaluation.did import warnings as caveats
from evaluation.did.group_time_aggregation import (
    AGGREGATIONS,
    Aggregated,
    GroupTimeEffects,
    aggregate_dynamic,
)
from evaluation.did.multiplier_bootstrap import DEGENERATE, Multipliers, multiplier_bootstrap
from evaluation.did.results import StaggeredEstimate
from evaluation.did.small_cohort import SMALL_SAMPLE, SmallSample, describe, welch_scale
from evaluation.did.staggered_panel import StaggeredPanel, prepare_staggered_panel

Control = Literal["never", "notyet"]
Aggregate = Literal["simple", "dynamic", "group", "calendar"]
Inference = Literal["analytic", "bootstrap"]

# Below this many units a cohort or a comparison group is too small for large-sample inference.
MIN_UNITS = 5
# R's warning threshold for a sup-t critical value too large to be trusted.
MAX_CRITICAL_VALUE = 7.0


def group_time_effects(
    panel: StaggeredPanel, control: Control, small_sample: SmallSample = None
) -> tuple[GroupTimeEffects, np.ndarray, np.ndarray]:
    """Every ATT(g, t) with its influence function, plus treated and comparison counts per cell.

    ATT(g, t) = mean ΔY of cohort g − mean ΔY of the comparison units, ΔY = Y_t − Y_base. On the
    scale of the full sample of n units the influence function is
    n · (1{i ∈ g}(ΔY_i − μ_g) / N_g − 1{i ∈ C}(ΔY_i − μ_C) / N_C); R's doubly robust estimator
    without covariates reduces to exactly this. Not-yet-treated comparison units (as R's
    control_group = "notyettreated") are the never-treated plus the units whose cohort starts
    after the later of the two compared periods, cohort g itself excluded. small_sample="cohort"
    multiplies the treated part by sqrt(N_g / (N_g − 1)) and the comparison part by
    sqrt(N_C / (N_C − 1)), N_C the cell's comparison units (derivation: `small_cohort`).
    """
    outcomes, periods, cohort = panel.outcomes, panel.periods, panel.unit_cohort
    n = cohort.size
    never = cohort == 0
    group, time, att, influence, n_treated, n_comparison = [], [], [], [], [], []
    for g in panel.treated_groups:
        treated = cohort == g
        last_untreated = int(np.flatnonzero(periods < g)[-1])
        for j in range(1, periods.size):
            current = periods[j]
            base = j - 1 if current < g else last_untreated
            comparison = never if control == "never" else never | ((cohort > current) & ~treated)
            # Never empty: never-treated units exist, or the latest cohort (untreated in every
            # period kept) serves as comparison; see prepare_staggered_panel.
            change = outcomes[:, j] - outcomes[:, base]
            treated_mean = change[treated].mean()
            comparison_mean = change[comparison].mean()
            n_t, n_c = int(treated.sum()), int(comparison.sum())
            scale_t, scale_c = (
                (welch_scale(n_t), welch_scale(n_c)) if small_sample == "cohort" else (1.0, 1.0)
            )
            cell = np.zeros(n)
            cell[treated] = scale_t * n * (change[treated] - treated_mean) / n_t
            cell[comparison] = -scale_c * n * (change[comparison] - comparison_mean) / n_c
            group.append(g)
            time.append(current)
            att.append(treated_mean - comparison_mean)
            influence.append(cell)
            n_treated.append(n_t)
            n_comparison.append(n_c)
    effects = GroupTimeEffects(
        group=np.array(group),
        time=np.array(time),
        att=np.array(att),
        influence=np.column_stack(influence),
        unit_cohort=cohort,
        cohort_share=np.array(n_treated) / n,
    )
    return effects, np.array(n_treated), np.array(n_comparison)


def analytic_se(influence: np.ndarray) -> np.ndarray:
    """sqrt(mean(IF²) / n) per column, NaN where it is numerically zero (as R)."""
    n = influence.shape[0]
    se = np.sqrt((influence**2).mean(axis=0) / n)
    return np.where(se <= DEGENERATE, np.nan, se)


@dataclass(frozen=True)
class PretrendTest:
    """Joint Wald test of the pre-treatment ATT(g, t); all None with `problem` when not possible."""

    wald: float | None
    df: int | None
    pvalue: float | None
    problem: Caveat | None = None


def pretrend_wald(effects: GroupTimeEffects, se: np.ndarray) -> PretrendTest:
    """Joint Wald test that all pre-treatment ATT(g, t) are zero, as R `att_gt` reports it.

    W = n · a' V⁻¹ a with a the pre-treatment cells and V = IF'IF / n their analytic covariance
    (also under the bootstrap, as R); p-value from χ² with one degree of freedom per cell. R
    prints the same p-value rounded to 5 digits. Cells with zero variance are left out, as R.
    With the small-cohort correction the influence functions carry it, so V does too.
    """
    pre = np.flatnonzero((effects.time < effects.group) & np.isfinite(se))
    if pre.size == 0:
        return PretrendTest(None, None, None, Caveat("no_pre_periods"))
    n = effects.influence.shape[0]
    influence = effects.influence[:, pre]
    covariance = influence.T @ influence / n
    if 1.0 / np.linalg.cond(covariance, 1) <= np.finfo(float).eps:
        return PretrendTest(None, None, None, Caveat("pretrend_collinear"))
    att = effects.att[pre]
    wald = float(n * att @ np.linalg.solve(covariance, att))
    return PretrendTest(wald, int(pre.size), float(chi2.sf(wald, pre.size)))


def _size_warnings(
    panel: StaggeredPanel,
    effects: GroupTimeEffects,
    control: Control,
    n_treated: np.ndarray,
    n_comparison: np.ndarray,
    small_sample: SmallSample,
) -> list[Caveat]:
    """Caveats where cohorts or comparison groups are too small.

    A group of one unit has no variance to estimate (see `small_cohort`): said explicitly,
    because no small-sample correction can repair it.
    """
    notes = []
    treated_units = int(np.isin(panel.unit_cohort, panel.treated_groups).sum())
    comparison_units = panel.unit_cohort.size - treated_units
    if treated_units < MIN_UNITS:
        notes.append(Caveat("few_treated_units", {"n": treated_units, "minimum": MIN_UNITS}))
    if control == "never" and comparison_units < MIN_UNITS:
        notes.append(Caveat("few_never_treated", {"n": comparison_units, "minimum": MIN_UNITS}))
    groups, first_cell = np.unique(effects.group, return_index=True)
    sizes = n_treated[first_cell]
    small = sizes < MIN_UNITS
    if small.any():
        listed = ", ".join(f"{g:g} ({n})" for g, n in zip(groups[small], sizes[small], strict=True))
        single = groups[sizes == 1]
        notes.append(
            Caveat(
                "small_cohorts",
                {
                    "n": MIN_UNITS,
                    "cohorts": listed,
                    "corrected": small_sample == "cohort",
                    "single": ", ".join(f"{g:g}" for g in single),
                    "n_single": int(single.size),
                },
            )
        )
    thin = n_comparison < MIN_UNITS
    if control == "notyet" and thin.any():
        cells = ", ".join(
            f"{g:g}/{t:g} ({c})"
            for g, t, c in zip(
                effects.group[thin], effects.time[thin], n_comparison[thin], strict=True
            )
        )
        notes.append(
            Caveat(
                "thin_comparison",
                {"n": MIN_UNITS, "cells": cells, "single": bool((n_comparison == 1).any())},
            )
        )
    return notes


def _frame(
    keys: dict[str, np.ndarray], att: np.ndarray, se: np.ndarray, critical_value: float
) -> pd.DataFrame:
    columns = {name: _as_period(values) for name, values in keys.items()}
    return pd.DataFrame(
        {
            **columns,
            "att": att,
            "se": se,
            "ci_low": att - critical_value * se,
            "ci_high": att + critical_value * se,
        }
    )


def _as_period(values: np.ndarray) -> np.ndarray:
    """Periods and event times as integers when they are whole numbers (years, quarters)."""
    values = np.asarray(values, dtype=float)
    return values.astype(np.int64) if np.all(values == np.round(values)) else values


def _inference(
    influence: np.ndarray,
    parts: list[slice],
    inference: Inference,
    draws: int,
    seed: int,
    alpha: float,
    multipliers: Multipliers,
    small_sample: SmallSample,
) -> tuple[np.ndarray, list[float], str]:
    """Standard errors of all influence columns, a critical value per part, and a description.

    parts: group-time cells, per-key aggregates, the overall effect, event times. The overall
    interval is always pointwise; under the bootstrap the other parts get uniform sup-t bands.
    The influence functions already carry the small-sample correction, if any; the bootstrap
    perturbs the same ones, so it inherits it. The description is English for the Python API;
    the result's `inference_code` says the same as a code.
    """
    z = float(norm.ppf(1 - alpha / 2))
    level = f"{100 * (1 - alpha):g} %"
    if inference == "analytic":
        described = (
            "analytic standard errors from the influence functions (Callaway & Sant'Anna 2021), "
            f"clustered by unit, {describe(small_sample)}; normal {level} intervals"
        )
        return analytic_se(influence), [z] * len(parts), described
    boot = multiplier_bootstrap(influence, draws, seed, multipliers)
    critical = [
        boot.sup_t_critical_value(part, alpha) if part.stop - part.start > 1 else z
        for part in parts
    ]
    described = (
        f"multiplier bootstrap, {draws} draws of {multipliers} weights by unit (seed {seed}), "
        f"{describe(small_sample)}; uniform {level} bands for group-time and per-key effects, "
        f"pointwise {level} interval for the overall effect"
    )
    return boot.se(), critical, described


def _inference_code(inference: Inference, small_sample: SmallSample) -> str:
    """The result's inference code (results.INFERENCE_CODES): the analytic errors say whether
    small cohorts' variances were corrected, because the report tells the committee so."""
    if inference != "analytic":
        return "multiplier_bootstrap"
    return "influence_function" if small_sample == "cohort" else "influence_function_plugin"


def staggered(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    control: Control = "never",
    aggregate: Aggregate = "simple",
    inference: Inference = "analytic",
    draws: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
    multipliers: Multipliers = "rademacher",
    small_sample: SmallSample = "cohort",
) -> StaggeredEstimate:
    """Callaway & Sant'Anna ATT on a panel with staggered starts.

    data: long panel, one row per unit and period. outcome: the indicator, in its own unit; the
    effect is treated minus untreated (negative = the indicator fell). time: numeric period
    (e.g. year). cohort: first treated period; 0 or empty = never treated.
    control: "never" (never-treated units) or "notyet" (also units not yet treated).
    aggregate: "simple" (post-treatment cells weighted by cohort size), "dynamic" (by event time;
    overall = mean over event times ≥ 0), "group" (by cohort; overall weighted by cohort size) or
    "calendar" (by period; overall = mean over periods).
    inference: "analytic" (influence-function standard errors, normal intervals) or "bootstrap"
    (multiplier bootstrap with `draws` draws of `multipliers` weights from `seed`; uniform sup-t
    bands for the group-time and per-key effects, a pointwise interval for the overall effect).
    alpha: 1 − confidence level.
    small_sample: "cohort" (default) computes every group's variance with divisor N − 1, the
    unbiased (Welch) variance that keeps the size of the tests with cohorts of two or three
    units; None reproduces R `did` exactly (divisor N). Applies to the analytic errors, the
    bootstrap and the pre-trend test alike; see `small_cohort` for the derivation.
    """
    if control not in ("never", "notyet"):
        raise ValueError(f"control must be 'never' or 'notyet', not {control!r}")
    if aggregate not in AGGREGATIONS:
        raise ValueError(f"aggregate must be one of {', '.join(AGGREGATIONS)}, not {aggregate!r}")
    if inference not in ("analytic", "bootstrap"):
        raise ValueError(f"inference must be 'analytic' or 'bootstrap', not {inference!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha}")
    if small_sample not in SMALL_SAMPLE:
        raise ValueError(f"small_sample must be 'cohort' or None, not {small_sample!r}")

    panel = prepare_staggered_panel(data, outcome, unit, time, cohort, control)
    effects, n_treated, n_comparison = group_time_effects(panel, control, small_sample)
    notes = [
        *panel.caveats,
        *_size_warnings(panel, effects, control, n_treated, n_comparison, small_sample),
    ]
    pretrend = pretrend_wald(effects, analytic_se(effects.influence))
    if pretrend.problem:
        notes.append(pretrend.problem)
    else:
        notes.extend(caveats.pretrend_rejected(pretrend.pvalue))
    pre_periods = {
        _as_period(g).item(): int((panel.periods < g).sum()) for g in panel.treated_groups
    }
    notes.extend(caveats.few_pre_periods(pre_periods))
    checks = caveats.selection_checks(data, outcome, unit, time, cohort)
    notes.extend(caveats.selection_on_need(checks, outcome))

    summary: Aggregated = AGGREGATIONS[aggregate](effects)
    event: Aggregated = summary if aggregate == "dynamic" else aggregate_dynamic(effects)
    blocks = [
        effects.influence,
        summary.influence,
        summary.overall_influence[:, None],
        event.influence,
    ]
    edges = np.cumsum([0, *(b.shape[1] for b in blocks)])
    parts = [slice(edges[i], edges[i + 1]) for i in range(len(blocks))]
    se, critical, described = _inference(
        np.column_stack(blocks), parts, inference, draws, seed, alpha, multipliers, small_sample
    )
    if max(critical) >= MAX_CRITICAL_VALUE:
        notes.append(Caveat("wide_band", {"critical": float(max(critical))}))
    z = float(norm.ppf(1 - alpha / 2))
    overall_se = float(se[parts[2]][0])
    estimate = summary.overall
    treated = np.isin(panel.unit_cohort, panel.treated_groups)
    return StaggeredEstimate(
        estimate=estimate,
        se=overall_se,
        ci_low=estimate - z * overall_se,
        ci_high=estimate + z * overall_se,
        pvalue=float(2 * norm.sf(abs(estimate / overall_se))) if overall_se > 0 else float("nan"),
        nobs=int(panel.outcomes.size),
        nclusters=int(panel.unit_cohort.size),
        method="staggered",
        inference=described,
        inference_code=_inference_code(inference, small_sample),
        caveats=tuple(notes),
        group_time=_frame(
            {"group": effects.group, "time": effects.time}, effects.att, se[parts[0]], critical[0]
        ),
        aggregation=_frame({"key": summary.keys}, summary.att, se[parts[1]], critical[1]),
        event_time=_frame({"rel_time": event.keys}, event.att, se[parts[3]], critical[3]),
        pretrend_wald=pretrend.wald,
        pretrend_df=pretrend.df,
        pretrend_pvalue=pretrend.pvalue,
        n_treated=int(treated.sum()),
        n_control=int((~treated).sum()),
        control=control,
        aggregate=aggregate,
    )
