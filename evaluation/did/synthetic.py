"""Synthetic difference-in-differences for one or a few treated units.

With one or two treated districts, cluster-robust DiD has nothing to cluster over. Synthetic DiD
(Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021, AER) builds a comparison from the
never-treated units: unit weights ω make the weighted donors move like the treated units before
the start (up to a constant), time weights λ pick the pre-periods that resemble the post-periods,
and the effect is the weighted difference in differences. Synthetic control (Abadie, Diamond &
Hainmueller 2010: unit weights, no intercept, no time weights) and DiD (uniform weights) are the
same computation with other options, exactly as in the authors' R package `synthdid`
(synthdid_estimate, sc_estimate, did_estimate); on California's Proposition 99 the estimates and
weights agree with R to floating-point precision (tests/data/prop99).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import norm

from evaluation.caveat_codes import Caveat
from evaluation.did import warnings as caveats
from evaluation.did.results import SyntheticDidEstimate
from evaluation.did.synthetic_cohorts import CohortFit, cohort_weights, fit_cohorts, synthetic_path
from evaluation.did.synthetic_inference import (
    INFERENCE,
    Uncertainty,
    bootstrap,
    jackknife,
    placebo_and_in_space,
)
from evaluation.did.synthetic_panel import SyntheticPanel, prepare_synthetic_panel
from evaluation.did.synthetic_randomization import placement_test

Estimator = Literal["sdid", "sc", "did"]
Inference = Literal["placebo", "jackknife", "bootstrap", "randomization"]
ESTIMATORS = ("sdid", "sc", "did")
# Poor pre-period fit: the treated units' root mean squared gap to their synthetic comparison
# before the start exceeds this share of the outcome's typical spread across donors (standard
# deviation across donors in each pre-period, averaged over the pre-periods), i.e. the comparison
# leaves more than about 4 % of the between-unit variance unexplained. Beyond it the comparison
# does not track the treated path and the estimate extrapolates (Abadie et al. 2010 advise
# against synthetic controls with a poor pre-period fit). On Proposition 99 the SDID and SC fits
# are at 0.055 of the spread, DiD's parallel-trends comparison at 0.23. A treated unit's own
# year-to-year noise sets a floor under the gap, so very noisy outcomes can trigger it as well.
POOR_FIT_SHARE = 0.2
# With fewer donors than this the real estimate can never rank beyond 1 in 20 among its
# in-space placebos, so a placebo rank test cannot reach the 5 % level, and the placebo standard
# error rests on few distinct values.
FEW_DONORS = 19


def synthetic_did(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated: str,
    estimator: Estimator = "sdid",
    inference: Inference = "placebo",
    seed: int = 0,
    *,
    replications: int = 200,
    alpha: float = 0.05,
) -> SyntheticDidEstimate:
    """Effect on the treated units by synthetic DiD, synthetic control or DiD.

    data: long panel, one row per unit and period. outcome: the indicator in its own unit; the
    effect is treated minus synthetic comparison (negative = the indicator fell). treated: 0/1,
    1 in the treated unit-periods; a unit, once treated, stays treated. Units never treated are
    the donors. time: sortable period labels (e.g. years).
    estimator: "sdid" (unit and time weights, intercept), "sc" (unit weights only, no intercept)
    or "did" (uniform weights).
    inference: "placebo" (default, valid with one treated unit), "jackknife" or "bootstrap"
    (both need more than one treated unit; with one, a warning and no standard error, as R).
    seed, replications: random draws of the placebo or bootstrap. alpha: 1 − confidence level;
    CI = estimate ± z(1 − α/2) · se (1.96 at α = 0.05), p-value two-sided from the normal.

    Staggered starts (R's synthdid has none): each start cohort is estimated on its own against
    the never-treated donors, with the periods from its start on as post-periods, and the cohort
    effects are averaged with weights proportional to their treated unit-periods (units ×
    post-periods), as Arkhangelsky et al. (2021) suggest and the Stata `sdid` command does
    (Clarke, Pailañir, Athey & Imbens 2023). The placebo then gives the real start periods to
    randomly drawn donors and recomputes the same average.

    The result (SyntheticDidEstimate) also carries the donor and pre-period weights, the
    treated and synthetic paths for a chart, every donor's in-space placebo estimate with the
    rank of the real one, and plain-language warnings: poor pre-period fit (POOR_FIT_SHARE), few
    donors (FEW_DONORS), standard errors that are undefined or unreliable with one or few treated
    units, units left out, and regression to the mean before the start.
    """
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {', '.join(ESTIMATORS)}, not {estimator!r}")
    if inference not in (*INFERENCE, "randomization"):
        accepted = ", ".join((*INFERENCE, "randomization"))
        raise ValueError(f"inference must be one of {accepted}, not {inference!r}")
    if replications < 2:
        raise ValueError(f"replications must be at least 2, not {replications}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha}")

    panel = prepare_synthetic_panel(data, outcome, unit, time, treated)
    fits = fit_cohorts(panel, estimator)
    n_periods = panel.outcomes.shape[1]
    weights = cohort_weights(fits, n_periods)
    estimate = float(weights @ [f.estimate for f in fits])
    uncertainty, in_space = placebo_and_in_space(
        panel, fits, replications, seed, placebo=inference == "placebo"
    )
    if inference == "randomization":
        test = placement_test(panel, fits, estimator, estimate, alpha, seed)
        se, ci_low, ci_high, pvalue = test.se, test.ci_low, test.ci_high, test.pvalue
        described, mde, extra = test.description, test.mde, ()
    else:
        if uncertainty is None:
            uncertainty = (
                jackknife(panel, fits)
                if inference == "jackknife"
                else bootstrap(panel, fits, replications, seed)
            )
        se = uncertainty.se
        z = float(norm.ppf(1 - alpha / 2))
        valid = bool(np.isfinite(se) and se > 0)
        ci_low, ci_high = (estimate - z * se, estimate + z * se) if valid else (np.nan, np.nan)
        pvalue = float(2 * norm.sf(abs(estimate / se))) if valid else np.nan
        described, mde, extra = _inference_text(uncertainty, alpha, z), None, uncertainty.caveats
    notes = [
        *panel.caveats,
        *_fit_warnings(panel, fits, outcome),
        *_donor_warnings(panel.n_donors),
        *extra,
        *_selection_warnings(panel, outcome),
    ]
    return SyntheticDidEstimate(
        estimate=estimate,
        se=se,
        ci_low=ci_low,
        ci_high=ci_high,
        pvalue=pvalue,
        nobs=int(panel.outcomes.size),
        nclusters=len(panel.units),
        method=estimator,
        inference=described,
        inference_code=inference,
        caveats=tuple(notes),
        unit_weights=_unit_weights(panel, fits, weights),
        time_weights=_time_weights(panel, fits, weights),
        pre_rmse=max(f.pre_rmse for f in fits),
        trajectory=_trajectory(panel, fits),
        placebo_estimates=pd.DataFrame(
            {"unit": panel.units[: panel.n_donors], "estimate": in_space}
        ),
        placebo_rank=int(1 + np.sum(np.abs(in_space) >= abs(estimate))),
        cohorts=_cohort_table(panel, fits, weights),
        n_treated=len(panel.units) - panel.n_donors,
        n_donors=panel.n_donors,
        replications=replications if inference != "jackknife" else 0,
        mde=mde,
    )


def _inference_text(uncertainty: Uncertainty, alpha: float, z: float) -> str:
    level = f"{100 * (1 - alpha):g} %"
    return (
        f"{uncertainty.description}; {level} CI = estimate ± {z:.2f} × se, p-value from the "
        "normal distribution"
    )


def _unit_weights(panel: SyntheticPanel, fits: list[CohortFit], weights: np.ndarray) -> pd.Series:
    omega = weights @ np.stack([f.omega for f in fits])
    series = pd.Series(omega, index=panel.units[: panel.n_donors], name="weight")
    # Descending weight; equal weights (e.g. zeros) keep the donors' label order.
    return series.iloc[np.argsort(-omega, kind="stable")]


def _time_weights(panel: SyntheticPanel, fits: list[CohortFit], weights: np.ndarray) -> pd.Series:
    """λ per pre-period; with staggered starts the cohorts' λ averaged, zero where not pre."""
    latest = max(f.start for f in fits)
    lam = np.zeros(latest)
    for w, fit in zip(weights, fits, strict=True):
        lam[: fit.start] += w * fit.lam
    return pd.Series(lam, index=panel.periods[:latest], name="weight")


def _trajectory(panel: SyntheticPanel, fits: list[CohortFit]) -> pd.DataFrame:
    frames = []
    for fit in fits:
        path, synthetic = synthetic_path(
            panel.outcomes, fit.treated, fit.omega, fit.start, fit.options.omega_intercept
        )
        frames.append(
            pd.DataFrame(
                {
                    "time": panel.periods,
                    "cohort": panel.periods[fit.start],
                    "treated": path,
                    "synthetic": synthetic,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _cohort_table(panel: SyntheticPanel, fits: list[CohortFit], weights: np.ndarray):
    n_periods = panel.outcomes.shape[1]
    return pd.DataFrame(
        {
            "cohort": [panel.periods[f.start] for f in fits],
            "n_treated": [f.treated.size for f in fits],
            "n_pre": [f.start for f in fits],
            "n_post": [n_periods - f.start for f in fits],
            "weight": weights,
            "estimate": [f.estimate for f in fits],
            "pre_rmse": [f.pre_rmse for f in fits],
            "noise_level": [f.sigma for f in fits],
            "zeta_omega": [f.options.zeta_omega for f in fits],
            "zeta_lambda": [f.options.zeta_lambda for f in fits],
        }
    )


def donor_spread(panel: SyntheticPanel, start: int) -> float:
    """Typical spread of the outcome across donors before `start`: mean over the pre-periods of
    the standard deviation across donors."""
    return float(np.mean(np.std(panel.outcomes[: panel.n_donors, :start], axis=0, ddof=1)))


def _fit_warnings(panel: SyntheticPanel, fits: list[CohortFit], outcome: str) -> list[Caveat]:
    out = []
    for fit in fits:
        spread = donor_spread(panel, fit.start)
        if not fit.pre_rmse > POOR_FIT_SHARE * spread:
            continue
        out.append(
            Caveat(
                "poor_fit",
                {
                    "n_treated": int(fit.treated.size),
                    "start": str(panel.periods[fit.start]) if len(fits) > 1 else "",
                    "outcome": outcome,
                    "gap": float(fit.pre_rmse),
                    "ratio": POOR_FIT_SHARE,
                    "spread": float(spread),
                },
            )
        )
    return out


def _donor_warnings(n_donors: int) -> list[Caveat]:
    return [] if n_donors >= FEW_DONORS else [Caveat("few_donors", {"n": n_donors})]


def _selection_warnings(panel: SyntheticPanel, outcome: str) -> list[Caveat]:
    """Regression to the mean before the start (see evaluation.did.warnings.selection_checks)."""
    n_units, n_periods = panel.outcomes.shape
    starts = np.full(n_units, np.nan, dtype=object)
    starts[panel.n_donors :] = [panel.periods[s] for s in panel.starts]
    long = pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n_units), n_periods),
            "time": np.tile(np.asarray(panel.periods), n_units),
            "y": panel.outcomes.ravel(),
            "cohort": np.repeat(starts, n_periods),
        }
    )
    checks = caveats.selection_checks(long, "y", "unit", "time", "cohort")
    return caveats.selection_on_need(checks, outcome)
