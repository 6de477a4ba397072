"""Two-way fixed effects DiD: y_it = α_i + λ_t + β·D_it + γ′x_it + ε_it.

The workhorse and the cross-check. With one start date and a constant effect β is the DiD
effect; with staggered starts it is a variance-weighted mix of all 2×2 comparisons, some of them
against already-treated districts (Goodman-Bacon 2021), so the result warns and points to
`staggered`. With a dose (euros per inhabitant) β is a slope that needs a stronger assumption
(Callaway, Goodman-Bacon & Sant'Anna 2024); method "twfe_dose".

Inference (the `inference` argument):
- "analytic": CR1 clustered by `cluster` with t(G−1) (fixest's defaults); classical without one.
- "wild": wild cluster bootstrap, null imposed, p-value and CI by test inversion.
- "randomization": reassign start dates across units (binary, absorbing treatment only).
- "auto": by how many clusters carry the comparison (MacKinnon & Webb 2017, 2018, 2020):
  randomization inference with fewer than 5 treated or 5 control clusters (binary treatment),
  otherwise the wild bootstrap below 40 clusters, otherwise CR1. Cameron & Miller (2015) put
  "few" at 20–50 clusters; 40 sits inside that range and the bootstrap costs little.
Without `cluster`, "auto", the bootstrap and randomization inference cluster by unit: a unit's
outcomes are correlated over the periods of a panel (Bertrand, Duflo & Mullainathan 2004), so
only an explicit "analytic" call without a cluster gives classical errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.caveat_codes import Caveat
from evaluation.did import warnings as caveats
from evaluation.did.panel import PanelFit, complete_rows, first_treated, fit_panel, pre_periods
from evaluation.did.randomization import randomization_inference
from evaluation.did.results import Estimate
from evaluation.did.variance import fit_linear, parameter_count
from evaluation.did.wild_bootstrap import wild_cluster_bootstrap
from evaluation.did.within import nested_in

# "auto": randomization inference below this many treated (or control) clusters ...
AUTO_RANDOMIZATION_BELOW = caveats.MIN_GROUP_CLUSTERS
# ... the wild cluster bootstrap below this many clusters, CR1 from here on.
AUTO_WILD_BELOW = 40
INFERENCE = ("analytic", "wild", "randomization", "auto")


def choose_inference(
    n_clusters: int, n_treated: int, n_control: int, can_randomize: bool
) -> tuple[str, str]:
    """The method "auto" picks, and why, in words."""
    fewest = min(n_treated, n_control)
    if can_randomize and fewest < AUTO_RANDOMIZATION_BELOW:
        side = "treated" if n_treated <= n_control else "control"
        return "randomization", (
            f"only {fewest} {side} clusters (< {AUTO_RANDOMIZATION_BELOW}), where cluster-robust "
            "and wild bootstrap inference fail (MacKinnon & Webb 2017, 2018)"
        )
    if n_clusters < AUTO_WILD_BELOW:
        return "wild", (
            f"only {n_clusters} clusters (< {AUTO_WILD_BELOW}), where CR1 over-rejects "
            "(Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017)"
        )
    return "analytic", f"{n_clusters} clusters (≥ {AUTO_WILD_BELOW}) suffice for CR1"


def _t_interval(coef: float, se: float, df: int) -> tuple[float, float, float]:
    crit = stats.t.ppf(0.975, df)
    pvalue = 2 * stats.t.sf(abs(coef / se), df)
    return coef - crit * se, coef + crit * se, float(pvalue)


def _clustered_by_unit(panel: PanelFit, unit: str) -> PanelFit:
    """The same regression with CR1 errors clustered by the unit (panel.unit_codes)."""
    codes = panel.unit_codes
    nested = [True, nested_in(panel.time_codes, codes)]
    k_count = parameter_count(panel.x.shape[1], [panel.units.size, panel.times.size], nested)
    fit = fit_linear(panel.y, panel.x, k_count=k_count, cluster_codes=codes, cluster_name=unit)
    return replace(panel, cluster_codes=codes, fit=fit)


def twfe(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treatment: str,
    cluster: str | None = None,
    weights: str | None = None,
    covariates: Sequence[str] = (),
    inference: str = "analytic",
    *,
    seed: int = 0,
    draws: int = 999,
) -> Estimate:
    """TWFE coefficient of `treatment` with unit and period fixed effects.

    treatment: 0/1 (treated in that unit-period) or a dose ≥ 0 in the outcome's per-unit terms.
    time: numeric periods (e.g. years). weights: column of analytic weights (e.g. population).
    covariates: time-varying controls; those the fixed effects absorb are dropped with a note.
    seed, draws: for "wild" and "randomization" (draws = bootstrap or reassignment count).
    """
    if inference not in INFERENCE:
        raise ValueError(f"inference must be one of {INFERENCE}, not {inference!r}")
    covariates = tuple(covariates)
    used = [unit, time, treatment, *covariates]
    used += [c for c in (weights, cluster) if c is not None]
    frame, notes = complete_rows(data, outcome, used)
    panel = fit_panel(
        frame,
        outcome,
        unit,
        time,
        frame[[treatment, *covariates]],
        cluster=cluster,
        weights=weights,
    )
    frame = panel.frame
    notes += list(panel.caveats)
    if panel.dropped:
        notes.append(Caveat("covariates_dropped", {"covariates": ", ".join(panel.dropped)}))
    dose = frame[treatment].to_numpy(dtype=float)
    binary = bool(np.isin(dose, (0.0, 1.0)).all())
    starts, switched = first_treated(panel, dose != 0)
    if binary:
        notes += _cohort_notes(panel, outcome, starts, switched)
    else:
        notes.append(caveats.continuous_dose())

    group = cluster or unit
    group_codes = panel.unit_codes if cluster is None else panel.cluster_codes
    n_groups = int(group_codes.max()) + 1
    n_treated = int(np.count_nonzero(np.bincount(group_codes[dose != 0])))
    n_control = n_groups - n_treated
    chosen, why = inference, ""
    can_randomize = binary and switched == 0
    if inference == "auto":
        chosen, why = choose_inference(n_groups, n_treated, n_control, can_randomize)
    clustered = cluster is not None or inference == "auto" or chosen != "analytic"
    notes += caveats.cluster_counts(n_groups if clustered else None, n_treated, n_control)
    if not clustered:
        notes.append(caveats.classical_errors_in_panel())
    if cluster is None and clustered:
        panel = _clustered_by_unit(panel, unit)
        if inference == "auto":
            why += f"; no cluster given, so clustered by the unit ({unit})"

    fit = panel.fit
    coef, se = float(fit.coef[0]), float(np.sqrt(fit.vcov[0, 0]))
    if chosen == "analytic":
        low, high, pvalue = _t_interval(coef, se, fit.df_t)
        how, code = fit.description, fit.inference_code
    elif chosen == "wild":
        low, high, pvalue, how = _wild(panel, group, draws, seed)
        code = "wild_bootstrap"
    else:
        if not can_randomize:
            raise ValueError(
                "randomization inference reassigns start dates and needs a 0/1 treatment that "
                "stays on once started"
            )
        low, high, pvalue, how = _randomization(panel, time, starts, group, draws, seed)
        code = "randomization"
    if inference == "auto":
        how = f"auto: {how}; chosen because of {why}"
    return Estimate(
        estimate=coef,
        se=se,
        ci_low=float(low),
        ci_high=float(high),
        pvalue=float(pvalue),
        nobs=fit.nobs,
        nclusters=fit.nclusters,
        method="twfe" if binary else "twfe_dose",
        inference=how,
        inference_code=code,
        caveats=tuple(dict.fromkeys(notes)),
    )


def _wild(panel: PanelFit, group: str, draws: int, seed: int) -> tuple[float, float, float, str]:
    boot = wild_cluster_bootstrap(
        panel.y,
        panel.x,
        panel.cluster_codes,
        annihilate=panel.within.annihilate_scaled,
        small_sample=panel.fit.small_sample,
        draws=draws,
        seed=seed,
    )
    draws_text = (
        f"all {boot.draws} weight vectors enumerated"
        if boot.enumerated
        else f"{boot.draws} draws, seed {seed}"
    )
    how = (
        f"wild cluster bootstrap (WCR, null imposed, {boot.weights} weights, {draws_text}) "
        f"clustered by {group} ({panel.fit.nclusters} clusters); p-value and 95% CI by test "
        "inversion; se is CR1"
    )
    return boot.ci_low, boot.ci_high, boot.pvalue, how


def _randomization(
    panel: PanelFit, time: str, starts: np.ndarray, group: str, draws: int, seed: int
) -> tuple[float, float, float, str]:
    ri = randomization_inference(
        panel.y,
        panel.x,
        panel.within,
        panel.unit_codes,
        panel.frame[time].to_numpy(),
        starts,
        panel.cluster_codes,
        draws=draws,
        seed=seed,
    )
    draws_text = (
        f"all {ri.draws + 1} distinct assignments"
        if ri.enumerated
        else f"{ri.draws} random reassignments plus the observed one, seed {seed}"
    )
    how = (
        f"randomization inference: start dates reassigned across units ({draws_text}); "
        f"statistic: t clustered by {group}; 95% CI by test inversion (constant effect); "
        "se is CR1"
    )
    return ri.ci_low, ri.ci_high, ri.pvalue, how


def _cohort_notes(panel: PanelFit, outcome: str, starts: np.ndarray, switched: int) -> list[Caveat]:
    """Design warnings for a 0/1 treatment: timing, controls, history, selection on need.

    starts: first treated period per unit code (0 = never).
    """
    notes = []
    cohorts = np.unique(starts[starts != 0])
    if switched:
        notes.append(caveats.treatment_switches_off(switched))
    if cohorts.size > 1:
        notes.append(caveats.staggered_timing(cohorts))
    if not (starts == 0).any():
        notes.append(caveats.no_never_treated())
    notes += caveats.few_pre_periods(pre_periods(panel, starts))
    checks = caveats.coded_selection_checks(
        panel.frame[outcome].to_numpy(dtype=float),
        panel.unit_codes,
        panel.units.size,
        panel.time_codes,
        panel.times,
        starts[panel.unit_codes],
    )
    notes += caveats.selection_on_need(checks, outcome)
    return notes
