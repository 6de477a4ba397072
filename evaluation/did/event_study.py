"""TWFE event study: leads and lags around the start, relative to the period before it.

y_it = α_i + λ_t + Σ_{e ≠ −1} β_e · 1[t − g_i = e] + ε_it, with g_i the unit's start period
(cohort). Relative times beyond the window are binned into its end points (e ≤ −leads into
−leads, e ≥ lags into lags), so every treated observation carries exactly one dummy apart from
the reference −1; never-treated units (cohort 0 or missing) carry none and are the controls.
This is pyfixest's `feols("y ~ i(rel_time, ref=-1) | unit + time")` with the same binning.

The leads (e ≤ −2) are tested jointly: Wald statistic W = b′V⁻¹b with the cluster-robust V,
p-value from F = W/q on (q, G − 1) degrees of freedom (q leads, G clusters; N − K without
clusters), the convention of Stata's `test` after clustered regressions. The F reference is a
little more conservative than χ²(q) with few clusters. A passed pre-test is weak evidence of
parallel trends (Roth 2022).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.caveat_codes import Caveat
from evaluation.did import warnings as caveats
from evaluation.did.panel import PanelFit, complete_rows, fit_panel, pre_periods
from evaluation.did.results import EventStudy


def relative_time(frame: pd.DataFrame, time: str, cohort: str, leads: int, lags: int) -> pd.Series:
    """Binned time since start (−leads … lags) for treated rows; NaN for never-treated rows."""
    start = frame[cohort].to_numpy(dtype=float)
    rel = frame[time].to_numpy(dtype=float) - start
    rel = np.clip(rel, -leads, lags)
    return pd.Series(np.where(start == 0, np.nan, rel), index=frame.index)


def event_study(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    leads: int = 4,
    lags: int = 4,
    cluster: str | None = None,
) -> EventStudy:
    """Event-study coefficients for relative periods −leads … lags (−1 is the reference).

    cohort: each unit's first treated period, constant within unit; 0 or missing = never.
    time: numeric periods. cluster: column for CR1 errors (without one: classical errors).
    """
    if leads < 1 or lags < 0:
        raise ValueError("leads must be ≥ 1 and lags ≥ 0")
    prepared = data.assign(**{cohort: data[cohort].fillna(0)})
    used = [unit, time, cohort, *([cluster] if cluster else [])]
    frame, notes = complete_rows(prepared, outcome, used)
    if (frame.groupby(unit)[cohort].nunique() > 1).any():
        raise ValueError(f"{cohort!r} must be constant within each {unit!r}")
    rel = relative_time(frame, time, cohort, leads, lags)
    event_times = [e for e in range(-leads, lags + 1) if e != -1 and (rel == e).any()]
    dummies = pd.DataFrame(
        {f"rel_{e}": (rel == e).astype(float) for e in event_times}, index=frame.index
    )
    if dummies.empty:
        raise ValueError("no treated observations inside the event window")
    panel = fit_panel(frame, outcome, unit, time, dummies, cluster=cluster, first_is_key=False)
    if not panel.names:
        raise ValueError(
            "the period effects absorb every relative-time dummy: all units start together and "
            "none stays untreated"
        )
    frame, fit = panel.frame, panel.fit
    notes += list(panel.caveats)
    kept = [int(name.removeprefix("rel_")) for name in panel.names]
    if panel.dropped:
        notes.append(caveats.collinear_event_times(n.removeprefix("rel_") for n in panel.dropped))

    se = np.sqrt(np.diag(fit.vcov))
    crit = stats.t.ppf(0.975, fit.df_t)
    coefficients = pd.DataFrame(
        {
            "rel_time": kept,
            "estimate": fit.coef,
            "se": se,
            "ci_low": fit.coef - crit * se,
            "ci_high": fit.coef + crit * se,
        }
    )
    lead_index = [i for i, e in enumerate(kept) if e <= -2]
    pretrend = np.nan
    test = "no leads to test"
    if lead_index:
        b = fit.coef[lead_index]
        v = fit.vcov[np.ix_(lead_index, lead_index)]
        wald = float(b @ np.linalg.pinv(v) @ b)
        q = len(lead_index)
        pretrend = float(stats.f.sf(wald / q, q, fit.df_t))
        noun = "lead" if q == 1 else "leads"
        test = f"joint Wald test of {q} {noun}, F({q}, {fit.df_t}) = {wald / q:.3f}"
        notes += caveats.pretrend_rejected(pretrend)
    else:
        notes.append(caveats.no_pretrend_test())

    notes += _design_notes(panel, outcome, unit, time, cohort, cluster)
    return EventStudy(
        coefficients=coefficients,
        pretrend_pvalue=pretrend,
        nobs=fit.nobs,
        nclusters=fit.nclusters,
        inference=f"{fit.description}; pre-trend: {test}",
        inference_code=fit.inference_code,
        caveats=tuple(dict.fromkeys(notes)),
    )


def _design_notes(
    panel: PanelFit, outcome: str, unit: str, time: str, cohort: str, cluster: str | None
) -> list[Caveat]:
    frame = panel.frame
    starts = frame.groupby(unit)[cohort].first().reindex(panel.units)
    notes = []
    cohorts = sorted(set(starts[starts != 0]))
    if len(cohorts) > 1:
        notes.append(caveats.staggered_event_study())
    if (starts == 0).sum() == 0:
        notes.append(caveats.no_never_treated())
    notes += caveats.few_pre_periods(pre_periods(panel, starts.to_numpy()))
    group = cluster or unit
    treated = frame.loc[frame[cohort] != 0, group].unique()
    n_groups = frame[group].nunique()
    notes += caveats.cluster_counts(
        n_groups if cluster else None, len(treated), n_groups - len(treated)
    )
    if cluster is None:
        notes.append(caveats.classical_errors_in_panel())
    checks = caveats.selection_checks(frame, outcome, unit, time, cohort)
    notes += caveats.selection_on_need(checks, outcome)
    return notes
