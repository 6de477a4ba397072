"""Frozen result objects shared by every difference-in-differences estimator.

Results are values, not live models: they carry the numbers a report prints and the warnings that
must travel with them, so that no caller can show an estimate without its caveats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from evaluation.caveat_codes import Caveat, english
from evaluation.did.permutation_tests import DetectableEffect


def _number(value: float | None) -> float | None:
    """JSON has no NaN or infinity: missing statistics (and unbounded CI ends) become null."""
    if value is None:
        return None
    value = float(value)
    return None if not math.isfinite(value) else value


# How se, CI and p-value were obtained, as a code (`inference_code`, next to the `inference`
# text): the report and the terminal word it from the catalogue ("inference.<code>") instead of
# recognising the text. cluster_robust: CR1 clustered; heteroskedasticity_robust: HC1;
# classical: OLS; influence_function: Callaway & Sant'Anna's analytic errors with the
# small-cohort correction, influence_function_plugin: without it (R did's plug-in variance);
# multiplier_bootstrap: their bootstrap; wild_bootstrap: wild cluster bootstrap (WCR);
# randomization: start periods (or placements) reassigned; placebo, jackknife, bootstrap:
# synthetic DiD's standard errors (Arkhangelsky et al. 2021, Algorithms 4, 3, 2).
INFERENCE_CODES: tuple[str, ...] = (
    "cluster_robust",
    "heteroskedasticity_robust",
    "classical",
    "influence_function",
    "influence_function_plugin",
    "multiplier_bootstrap",
    "wild_bootstrap",
    "randomization",
    "placebo",
    "jackknife",
    "bootstrap",
)


def check_inference_code(code: str) -> None:
    """Refuse a code the catalogue has no words for (a typo would show as a raw key)."""
    if code not in INFERENCE_CODES:
        raise ValueError(f"unknown inference code {code!r}; known: {', '.join(INFERENCE_CODES)}")


@dataclass(frozen=True)
class Estimate:
    """One treatment effect with its uncertainty.

    estimate: effect in the outcome's own unit (e.g. percentage points of the SGB II rate).
    ci_low, ci_high: 95 % confidence interval; pvalue: two-sided test of "no effect".
    inference: how se, CI and p-value were obtained, in words (e.g. "CR1 clustered by district");
    inference_code: the same as a code of INFERENCE_CODES, for whoever words it.
    caveats: what must be shown next to the number, as codes and values; `warnings` gives
    their English sentences.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    pvalue: float
    nobs: int
    nclusters: int | None
    method: str
    inference: str
    inference_code: str
    caveats: tuple[Caveat, ...] = ()

    def __post_init__(self) -> None:
        check_inference_code(self.inference_code)

    @property
    def warnings(self) -> tuple[str, ...]:
        """The caveats' English sentences."""
        return english(self.caveats)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "estimate": _number(self.estimate),
            "se": _number(self.se),
            "ci": [_number(self.ci_low), _number(self.ci_high)],
            "pvalue": _number(self.pvalue),
            "nobs": self.nobs,
            "nclusters": self.nclusters,
            "inference": self.inference,
            "inference_code": self.inference_code,
            "warnings": list(self.warnings),
            "caveats": [c.to_dict() for c in self.caveats],
        }


@dataclass(frozen=True)
class PretrendResult:
    """Test that treated and comparison districts moved alike before the start.

    pvalue: None when the test cannot be done honestly; reason says why, as a code:
    "no_pre_periods" (no period before the reference), "too_few_assignments" (the reassignments
    cannot reach the 10 % level), "synthetic_fit" (synthetic DiD fits the pre-periods by
    construction, so they cannot test it), "variance_not_estimable" (the analytic test with a
    cohort of one district, whose variance cannot be estimated), "not_computed" (the method has
    no test).
    """

    pvalue: float | None
    testable: bool
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"pvalue": _number(self.pvalue), "testable": self.testable, "reason": self.reason}


@dataclass(frozen=True)
class StaggeredEstimate(Estimate):
    """Callaway & Sant'Anna result: the aggregate plus every group-time ATT(g, t).

    group_time columns: group (first treated period), time, att, se, ci_low, ci_high.
    aggregation: the aggregated effects behind `estimate` (e.g. per event time for "dynamic"),
    columns key, att, se, ci_low, ci_high (no rows for "simple").
    event_time: the event-study profile whatever the aggregate, columns rel_time (t − g), att,
    se, ci_low, ci_high. Intervals are uniform bands under the bootstrap, pointwise otherwise.
    pretrend_wald, pretrend_df, pretrend_pvalue: joint χ² test that all pre-treatment ATT(g, t)
    are zero (None when there are none). n_treated: units in an evaluated cohort; n_control: the
    others (never treated, or a last cohort used only as comparison). control: "never" or
    "notyet"; aggregate: "simple", "dynamic", "group" or "calendar".
    """

    group_time: pd.DataFrame = field(default_factory=pd.DataFrame)
    aggregation: pd.DataFrame = field(default_factory=pd.DataFrame)
    event_time: pd.DataFrame = field(default_factory=pd.DataFrame)
    pretrend_wald: float | None = None
    pretrend_df: int | None = None
    pretrend_pvalue: float | None = None
    n_treated: int | None = None
    n_control: int | None = None
    control: str | None = None
    aggregate: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["group_time"] = _records(self.group_time)
        out["aggregation"] = _records(self.aggregation)
        out["event_study"] = [
            {
                "rel_time": int(row.rel_time),
                "estimate": _number(row.att),
                "ci": [_number(row.ci_low), _number(row.ci_high)],
            }
            for row in self.event_time.itertuples()
        ]
        out["pretrend_pvalue"] = _number(self.pretrend_pvalue)
        out["n_treated"] = self.n_treated
        out["n_control"] = self.n_control
        out["control"] = self.control
        out["aggregate"] = self.aggregate
        return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: numpy scalars to Python, NaN to null."""
    return [
        {
            k: _number(v) if isinstance(v, float) else (v.item() if hasattr(v, "item") else v)
            for k, v in row.items()
        }
        for row in frame.to_dict(orient="records")
    ]


@dataclass(frozen=True)
class EventStudy:
    """Leads and lags around the start, relative to period -1.

    coefficients columns: rel_time, estimate, se, ci_low, ci_high (rel_time -1 is the reference
    and is not estimated). pretrend_pvalue: joint Wald test that all leads are zero.
    inference_code: see Estimate.
    """

    coefficients: pd.DataFrame
    pretrend_pvalue: float
    nobs: int
    nclusters: int | None
    inference: str
    inference_code: str
    caveats: tuple[Caveat, ...] = ()

    def __post_init__(self) -> None:
        check_inference_code(self.inference_code)

    @property
    def warnings(self) -> tuple[str, ...]:
        """The caveats' English sentences."""
        return english(self.caveats)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pretrend_pvalue": _number(self.pretrend_pvalue),
            "event_study": [
                {
                    "rel_time": int(row.rel_time),
                    "estimate": _number(row.estimate),
                    "ci": [_number(row.ci_low), _number(row.ci_high)],
                }
                for row in self.coefficients.itertuples()
            ],
            "nobs": self.nobs,
            "nclusters": self.nclusters,
            "inference": self.inference,
            "inference_code": self.inference_code,
            "warnings": list(self.warnings),
            "caveats": [c.to_dict() for c in self.caveats],
        }


@dataclass(frozen=True)
class SyntheticDidEstimate(Estimate):
    """Synthetic difference-in-differences (or synthetic control, or DiD) with its diagnostics.

    unit_weights: donor unit → weight ω (sums to 1), sorted descending; with staggered starts the
    cohort weights averaged with the cohorts' aggregation weights. time_weights: pre-period →
    weight λ (sums to 1 for "sdid" and "did"; all zero for "sc", which compares post-period
    levels). pre_rmse: root mean squared gap between treated and synthetic over the pre-periods
    (outcome units; the worst cohort with staggered starts). trajectory: time, cohort, treated,
    synthetic, the treated mean and its synthetic comparison in every period (intercept included
    where the estimator has one). placebo_estimates: unit, estimate, each donor treated in turn.
    placebo_rank: rank of |estimate| among itself and the placebos' absolute values, 1 = largest
    (ties count against it). cohorts: one row per start period (cohort, n_treated, n_pre,
    n_post, weight, estimate, pre_rmse, noise_level, zeta_omega, zeta_lambda).
    """

    unit_weights: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    time_weights: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    pre_rmse: float = float("nan")
    trajectory: pd.DataFrame = field(default_factory=pd.DataFrame)
    placebo_estimates: pd.DataFrame = field(default_factory=pd.DataFrame)
    placebo_rank: int | None = None
    cohorts: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_treated: int = 0
    n_donors: int = 0
    replications: int = 0
    # Minimum detectable effect where the inference provides one (placebo ranks), else None.
    mde: DetectableEffect | None = None

    @property
    def placebo_pvalue(self) -> float:
        """In-space placebo (permutation) p-value: placebo_rank / (number of placebos + 1)."""
        if self.placebo_rank is None or self.placebo_estimates.empty:
            return float("nan")
        return self.placebo_rank / (len(self.placebo_estimates) + 1)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["donors"] = [
            {"unit": unit.item() if hasattr(unit, "item") else unit, "weight": float(weight)}
            for unit, weight in self.unit_weights.items()
            if weight > 0
        ]
        out["pre_rmse"] = _number(self.pre_rmse)
        out["placebo_rank"] = self.placebo_rank
        out["n_treated"] = self.n_treated
        out["n_donors"] = self.n_donors
        return out
