"""One evaluation of a long panel with staggered starts, as `budget-monitor evaluate` reports it.

The estimators in `evaluation.did` each answer a narrower question; this module picks one (or
follows the user's choice), derives what it needs from the cohort column, and assembles the
result that SPEC §7 prints: the effect, who was compared with whom, the pre-trend test and the
event-time profile. The same function serves a user's own panel file and, later, the panel the
ledger builds from spending and indicators; it is pure (DataFrame in, frozen result out).

Method choice ("auto", SPEC §7): Callaway & Sant'Anna ("staggered", aggregate "simple") when at
least three units are treated; with one or two treated units, synthetic difference-in-differences
(Arkhangelsky et al. 2021), because a comparison built from re-weighted donors is what one or
two treated districts allow.

Inference ("auto"): randomization inference for both, because at a city's scale (12 to 60
districts, one to ten treated, cohorts of one) every large-sample method tried called 9–25 % of
placebo programmes significant at 5 % (issue 14; docs/inference-by-design.md): for
"staggered" the start periods reassigned across all districts with a studentized statistic
(`evaluation.did.staggered_randomization`), for "sdid" the programme placed on every set of
districts, the treated ones included, and re-estimated from scratch each time
(`evaluation.did.synthetic_randomization`). The
analytic influence-function errors stay available (`inference="analytic"`, with
`small_sample="none"` exactly R `did`'s), as do the placebo standard error and the others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from evaluation.caveat_codes import Caveat, CaveatError, english
from evaluation.did import event_study, staggered, synthetic_did, twfe
from evaluation.did.permutation_tests import DetectableEffect, normal_detectable_effect
from evaluation.did.results import (
    Estimate,
    EventStudy,
    PretrendResult,
    StaggeredEstimate,
    SyntheticDidEstimate,
)
from evaluation.did.staggered_panel import StaggeredPanel, prepare_staggered_panel
from evaluation.did.staggered_randomization import (
    StaggeredRandomizationEstimate,
    staggered_randomization,
)
from evaluation.did.trend_sensitivity import TrendSensitivity, trend_sensitivity

METHODS = ("auto", "staggered", "twfe", "event", "sdid")
CONTROLS = ("never", "notyet")
# The variance of "staggered": "cohort" divides each cohort's by N − 1 (the default, see
# evaluation.did.small_cohort), "none" is R did's plug-in variance (divisor N), to reproduce it.
SMALL_SAMPLES = ("cohort", "none")
INFERENCES = ("auto", "analytic", "wild", "randomization", "bootstrap", "placebo", "jackknife")
# The inference each method accepts; "auto" is the method's own default (twfe: chosen by the
# number of clusters, see evaluation.did.twfe; staggered and sdid: randomization, see the module
# docstring — staggered falls back to analytic with control "notyet" or a small_sample choice,
# which only the analytic errors take; event: analytic).
METHOD_INFERENCES = {
    "staggered": ("auto", "randomization", "analytic", "bootstrap"),
    "twfe": ("auto", "analytic", "wild", "randomization"),
    "event": ("auto", "analytic"),
    "sdid": ("auto", "randomization", "placebo", "jackknife", "bootstrap"),
}
# auto: Callaway & Sant'Anna from this many treated units on, synthetic DiD below (SPEC §7).
STAGGERED_FROM = 3
DEFAULT_LEADS = 4
DEFAULT_LAGS = 4
DESCRIPTIONS = {
    "staggered": "Callaway & Sant'Anna (2021) difference-in-differences for staggered starts",
    "twfe": "two-way fixed effects regression on a 0/1 treatment",
    "event": "two-way fixed effects event study (leads and lags around the start)",
    "sdid": "synthetic difference-in-differences (Arkhangelsky et al. 2021): re-weighted donor "
    "districts and pre-periods",
}


class MethodUnavailable(CaveatError):
    """No method fits the design; `caveat` says why (a reason.* code)."""


class OptionConflict(ValueError):
    """An option that the chosen method does not take (a usage error, not a data problem), as
    data: a code and the values its wording needs; the message is its English (the front door
    words the code from its catalogue, "cli.evaluate.conflict.<code>")."""

    ENGLISH: ClassVar[Mapping[str, str]] = MappingProxyType(
        {
            "inference": "method {method} takes inference {accepted}, not {given}",
            "auto_inference": "auto chose {method}, which takes inference {accepted}, not {given}",
            "control": "option control applies to method staggered only, not to {method}",
            "small_sample": "option small_sample applies to method staggered only, not to {method}",
            "small_sample_choice": "small_sample must be one of {choices}, not {given}",
            "method": "method must be one of {choices}, not {given}",
            "randomization_never": "randomization inference for staggered compares with "
            "never-treated units only; use control never or inference analytic",
            "leads_lags": "options leads and lags apply to method event only, not to {method}",
            "cluster": "method {method} clusters by unit (its standard errors come from per-unit "
            "influence functions); option cluster applies to methods twfe and event",
            "auto_cluster": "auto chose {method}, which clusters by unit (its standard errors come "
            "from per-unit influence functions); option cluster applies to methods twfe and event",
        }
    )

    def __init__(self, code: str, **values: object) -> None:
        self.code, self.values = code, values
        super().__init__(self.ENGLISH[code].format(**values))


@dataclass(frozen=True)
class EvaluationOptions:
    """What the user asked for; None means the method's default.

    control: comparison units of "staggered" ("never" by default, or "notyet").
    cluster: column to cluster by for "twfe" and "event" (default: the unit).
    leads, lags: the event window of "event" (default 4 and 4).
    inference: see METHOD_INFERENCES; seed: for bootstrap and randomization draws.
    small_sample: the variance of "staggered", see SMALL_SAMPLES (default "cohort").
    """

    method: str = "auto"
    control: str | None = None
    cluster: str | None = None
    leads: int | None = None
    lags: int | None = None
    inference: str = "auto"
    seed: int = 0
    small_sample: str | None = None


@dataclass(frozen=True)
class PanelEvaluation:
    """The estimate and everything that must be shown with it.

    indicator: the outcome; program: the selection evaluated (None for a user's panel).
    estimate, se, ci_low, ci_high, pvalue: the overall effect in the outcome's unit (treated
    minus untreated); None for an event study, which reports one effect per relative period.
    cohorts: first treated period (as text) → the treated unit ids in it, as text.
    event_study columns: rel_time (periods since the start), estimate, se, ci_low, ci_high.
    inference: how the uncertainty was found, in English; inference_code: the same as a code
    (evaluation.did.results.INFERENCE_CODES), which the report and the terminal word.
    reason: why "auto" chose the method (a reason.* caveat; `method_reason` is its English),
    else None. caveats: what must be shown with the estimate (`warnings`: their English).
    result: the estimator's own result.
    pretrend: the pre-trend test, or why there is none (pretrend_pvalue is its p-value).
    mde: the minimum detectable effect of this design (absolute, outcome units), or None for an
    event study. sensitivity: Rambachan & Roth's breakdown M̄ for the post-period average.
    """

    indicator: str
    program: str | None
    method: str
    reason: Caveat | None
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    pvalue: float | None
    inference: str
    inference_code: str
    n_treated: int
    n_control: int
    cohorts: Mapping[str, tuple[str, ...]]
    pretrend_pvalue: float | None
    event_study: pd.DataFrame
    nobs: int
    nclusters: int | None
    caveats: tuple[Caveat, ...]
    result: Estimate | EventStudy = field(repr=False)
    pretrend: PretrendResult = field(
        default_factory=lambda: PretrendResult(None, False, "not_computed")
    )
    mde: DetectableEffect | None = None
    sensitivity: TrendSensitivity = field(
        default_factory=lambda: TrendSensitivity(None, reason="no_event_study")
    )

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.method]

    @property
    def warnings(self) -> tuple[str, ...]:
        """The caveats' English sentences (SPEC §7 `warnings` of the Python API)."""
        return english(self.caveats)

    @property
    def method_reason(self) -> str | None:
        """Why "auto" chose the method, in English; None when the user chose it."""
        return None if self.reason is None else self.reason.english

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of SPEC §7; NaN and infinite statistics become null."""
        document = {
            "indicator": self.indicator,
            "program": self.program,
            "method": self.method,
            "estimate": _number(self.estimate),
            "se": _number(self.se),
            "ci": [_number(self.ci_low), _number(self.ci_high)],
            "pvalue": _number(self.pvalue),
            "inference": self.inference,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
            "cohorts": {label: list(units) for label, units in self.cohorts.items()},
            "pretrend_pvalue": _number(self.pretrend_pvalue),
            "event_study": [
                {
                    "rel_time": int(row.rel_time),
                    "estimate": _number(row.estimate),
                    "ci": [_number(row.ci_low), _number(row.ci_high)],
                }
                for row in self.event_study.itertuples()
            ],
            "warnings": list(self.warnings),
            "pretrend": self.pretrend.to_dict(),
            "mde": self.mde.to_dict() if self.mde is not None else None,
            "sensitivity": self.sensitivity.to_dict(),
            "caveats": [c.to_dict() for c in self.caveats],
            "method_reason": self.method_reason,
            "method_reason_caveat": None if self.reason is None else self.reason.to_dict(),
            "nobs": self.nobs,
            "nclusters": self.nclusters,
            # Added to SPEC §7: `inference` as a code, which the report words.
            "inference_code": self.inference_code,
        }
        if isinstance(self.result, SyntheticDidEstimate):
            extra = self.result.to_dict()
            document.update({k: extra[k] for k in ("donors", "pre_rmse", "placebo_rank")})
            document["trajectory"] = [
                {
                    "time": _plain(row.time),
                    "cohort": _plain(row.cohort),
                    "treated": _number(row.treated),
                    "synthetic": _number(row.synthetic),
                }
                for row in self.result.trajectory.itertuples()
            ]
        return document


def evaluate_panel(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    options: EvaluationOptions | None = None,
    program: str | None = None,
) -> PanelEvaluation:
    """Evaluate a long panel (one row per unit and period) with the chosen or automatic method.

    cohort: each unit's first treated period; 0 or NaN = never treated. time: numeric periods.
    Raises MethodUnavailable where synthetic DiD would be needed, OptionConflict for options the
    method does not take, ValueError (from the estimators) for data that cannot be evaluated.
    """
    options = options or EvaluationOptions()
    if options.method not in METHODS:
        raise OptionConflict("method", choices=", ".join(METHODS), given=repr(options.method))
    data = data.assign(**{cohort: data[cohort].fillna(0.0)})
    method, reason = options.method, None
    if method == "auto":
        method, reason = _choose_method(data, outcome, unit, time, cohort, options.control)
    _check_options(method, options, unit, chosen_by_auto=reason is not None)
    if method == "staggered":
        evaluation = _staggered(data, outcome, unit, time, cohort, options)
    elif method == "twfe":
        evaluation = _twfe(data, outcome, unit, time, cohort, options)
    elif method == "sdid":
        evaluation = _sdid(data, outcome, unit, time, cohort, options)
    else:
        evaluation = _event(data, outcome, unit, time, cohort, options)
    return PanelEvaluation(
        indicator=outcome, program=program, method=method, reason=reason, **evaluation
    )


def _choose_method(
    data: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str, control: str | None
) -> tuple[str, Caveat]:
    """staggered from STAGGERED_FROM treated units on (counted as staggered would use them)."""
    panel = prepare_staggered_panel(data, outcome, unit, time, cohort, control or "never")
    treated = panel.units[np.isin(panel.unit_cohort, panel.treated_groups)]
    if len(treated) == 0:
        raise MethodUnavailable(Caveat("no_treated"))
    if len(treated) < STAGGERED_FROM:
        listed = ", ".join(_sorted_ids(treated))
        return "sdid", Caveat("auto_sdid", {"n": len(treated), "districts": listed})
    return "staggered", Caveat("auto_staggered", {"n": len(treated), "minimum": STAGGERED_FROM})


def _check_options(
    method: str, options: EvaluationOptions, unit: str, chosen_by_auto: bool
) -> None:
    """Refuse options the method would silently ignore."""
    auto = "auto_" if chosen_by_auto else ""
    if options.inference not in METHOD_INFERENCES[method]:
        accepted = ", ".join(METHOD_INFERENCES[method])
        given = repr(options.inference)
        raise OptionConflict(f"{auto}inference", method=method, accepted=accepted, given=given)
    if options.control is not None and method != "staggered":
        raise OptionConflict("control", method=method)
    if options.small_sample is not None and method != "staggered":
        raise OptionConflict("small_sample", method=method)
    if options.small_sample not in (None, *SMALL_SAMPLES):
        raise OptionConflict(
            "small_sample_choice",
            choices=", ".join(SMALL_SAMPLES),
            given=repr(options.small_sample),
        )
    if (options.leads is not None or options.lags is not None) and method != "event":
        raise OptionConflict("leads_lags", method=method)
    if options.cluster not in (None, unit) and method in ("staggered", "sdid"):
        raise OptionConflict(f"{auto}cluster", method=method)


def _staggered(
    data: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str, options: EvaluationOptions
) -> dict[str, Any]:
    """Callaway & Sant'Anna: randomization inference by default, else the analytic errors.

    The analytic errors carry the small-cohort correction unless the user asks for R did's
    plug-in variance (small_sample "none", to reproduce R's numbers). Passed explicitly, not
    left to `staggered`'s default: the product's answer must not change if that default does.
    """
    control = options.control or "never"
    inference = _staggered_inference(options)
    if inference == "randomization":
        return _staggered_randomization(data, outcome, unit, time, cohort, options)
    result: StaggeredEstimate = staggered(
        data,
        outcome,
        unit,
        time,
        cohort,
        control=control,
        aggregate="simple",
        inference=inference,
        seed=options.seed,
        small_sample=None if options.small_sample == "none" else "cohort",
    )
    panel = prepare_staggered_panel(data, outcome, unit, time, cohort, control)
    evaluated = np.isin(panel.unit_cohort, panel.treated_groups)
    cohorts = _cohort_map(pd.Series(panel.unit_cohort[evaluated], index=panel.units[evaluated]))
    overall = _overall(result)
    pretrend = _analytic_staggered_pretrend(panel, result.pretrend_pvalue)
    if not pretrend.testable:
        overall["caveats"] = tuple(c for c in result.caveats if c.code != "pretrend_rejected")
    return {
        **overall,
        "n_treated": int(result.n_treated or 0),
        "n_control": int(result.n_control or 0),
        "cohorts": cohorts,
        "pretrend_pvalue": pretrend.pvalue,
        "pretrend": pretrend,
        "event_study": result.event_time.rename(columns={"att": "estimate"}),
    }


def _analytic_staggered_pretrend(panel: StaggeredPanel, pvalue: float | None) -> PretrendResult:
    """The Wald pre-trend test where it is honest: pre-treatment cells exist, and no cohort with
    such cells is a single unit (its cells have no variance to estimate; the test would divide
    by almost nothing and report p-values like 1e-13 that say nothing about the trends)."""
    groups, sizes = np.unique(panel.unit_cohort[panel.unit_cohort > 0], return_counts=True)
    with_pre_cells = (panel.periods[1:, None] < groups[None, :]).any(axis=0)
    if not with_pre_cells.any():
        return PretrendResult(None, False, "no_pre_periods")
    if (with_pre_cells & (sizes < 2)).any() or pvalue is None or not math.isfinite(pvalue):
        return PretrendResult(None, False, "variance_not_estimable")
    return PretrendResult(pvalue, True)


def _staggered_inference(options: EvaluationOptions) -> str:
    """auto → randomization, except where only the analytic errors apply (see METHOD_INFERENCES)."""
    if options.inference != "auto":
        if options.inference == "randomization" and (options.control or "never") != "never":
            raise OptionConflict("randomization_never")
        return options.inference
    if (options.control or "never") != "never" or options.small_sample is not None:
        return "analytic"
    return "randomization"


def _staggered_randomization(
    data: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str, options: EvaluationOptions
) -> dict[str, Any]:
    result: StaggeredRandomizationEstimate = staggered_randomization(
        data, outcome, unit, time, cohort, seed=options.seed
    )
    panel = prepare_staggered_panel(data, outcome, unit, time, cohort, "never")
    evaluated = np.isin(panel.unit_cohort, panel.treated_groups)
    return {
        **_overall(result),
        "n_treated": result.n_treated,
        "n_control": result.n_control,
        "cohorts": _cohort_map(
            pd.Series(panel.unit_cohort[evaluated], index=panel.units[evaluated])
        ),
        "pretrend_pvalue": result.pretrend.pvalue,
        "pretrend": result.pretrend,
        "mde": result.mde,
        "sensitivity": trend_sensitivity(
            result.event_time, result.event_covariance, significant=result.pvalue <= 0.05
        ),
        "event_study": result.event_time.rename(columns={"att": "estimate"}),
    }


def _analytic_pretrend(pvalue: float | None) -> PretrendResult:
    if pvalue is None or not math.isfinite(pvalue):
        return PretrendResult(None, False, "no_pre_periods")
    return PretrendResult(pvalue, True)


def _twfe(
    data: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str, options: EvaluationOptions
) -> dict[str, Any]:
    """TWFE on d = 1 from the cohort's first period on (cohort > 0 and time ≥ cohort)."""
    treatment = _free_name(data, "treated")
    start = data[cohort].astype(float)
    frame = data.assign(**{treatment: ((start > 0) & (data[time] >= start)).astype(float)})
    result = twfe(
        frame,
        outcome,
        unit,
        time,
        treatment,
        cluster=options.cluster or unit,
        inference=options.inference,
        seed=options.seed,
    )
    used = frame[frame[outcome].notna()]
    ever = used.groupby(unit)[treatment].max() > 0
    starts = used.groupby(unit)[cohort].first()
    return {
        **_overall(result),
        **_counts(starts[ever], int(ever.size)),
        "pretrend_pvalue": None,
        "event_study": _empty_event_study(),
    }


def _sdid(
    data: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str, options: EvaluationOptions
) -> dict[str, Any]:
    """Synthetic DiD on the block (or staggered) design that the cohort column implies."""
    treatment = _free_name(data, "treated")
    start = data[cohort].astype(float)
    frame = data.assign(**{treatment: ((start > 0) & (data[time] >= start)).astype(int)})
    frame = frame[frame[outcome].notna()]
    inference = "randomization" if options.inference == "auto" else options.inference
    result: SyntheticDidEstimate = synthetic_did(
        frame,
        outcome,
        unit,
        time,
        treatment,
        estimator="sdid",
        inference=inference,
        seed=options.seed,
    )
    starts = frame.groupby(unit)[cohort].first()
    return {
        **_overall(result),
        **_counts(starts[starts > 0], int(starts.size)),
        "pretrend_pvalue": None,
        "pretrend": PretrendResult(None, False, "synthetic_fit"),
        "mde": result.mde or normal_detectable_effect(result.se, 0.05),
        "event_study": _empty_event_study(),
    }


def _event(
    data: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str, options: EvaluationOptions
) -> dict[str, Any]:
    result = event_study(
        data,
        outcome,
        unit,
        time,
        cohort,
        leads=options.leads if options.leads is not None else DEFAULT_LEADS,
        lags=options.lags if options.lags is not None else DEFAULT_LAGS,
        cluster=options.cluster or unit,
    )
    starts = data[data[outcome].notna()].groupby(unit)[cohort].first()
    return {
        "estimate": None,
        "se": None,
        "ci_low": None,
        "ci_high": None,
        "pvalue": None,
        "inference": result.inference,
        "inference_code": result.inference_code,
        "nobs": result.nobs,
        "nclusters": result.nclusters,
        "caveats": result.caveats,
        "result": result,
        **_counts(starts[starts > 0], int(starts.size)),
        "pretrend_pvalue": result.pretrend_pvalue,
        "pretrend": _analytic_pretrend(result.pretrend_pvalue),
        "event_study": result.coefficients,
    }


def _overall(result: Estimate) -> dict[str, Any]:
    """The overall effect's fields; the minimum detectable effect from the normal unless the
    caller replaces it with its inference's own (randomization)."""
    return {
        "mde": normal_detectable_effect(result.se, 0.05),
        "estimate": result.estimate,
        "se": result.se,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "pvalue": result.pvalue,
        "inference": result.inference,
        "inference_code": result.inference_code,
        "nobs": result.nobs,
        "nclusters": result.nclusters,
        "caveats": result.caveats,
        "result": result,
    }


def _counts(treated_starts: pd.Series, n_units: int) -> dict[str, Any]:
    return {
        "n_treated": int(treated_starts.size),
        "n_control": n_units - int(treated_starts.size),
        "cohorts": _cohort_map(treated_starts),
    }


def _cohort_map(starts: pd.Series) -> dict[str, tuple[str, ...]]:
    """First treated period (as text, ascending) → sorted unit ids; starts indexed by unit."""
    return {
        _period_label(period): tuple(_sorted_ids(units.index))
        for period, units in starts.groupby(starts.to_numpy(dtype=float), sort=True)
    }


def _sorted_ids(ids: pd.Index) -> list[str]:
    """Unit ids as text; numeric ids in numeric order (8001 before 13001), then the others."""
    texts = [str(i) for i in ids]
    return sorted(texts, key=lambda t: (0, int(t), t) if t.isdigit() else (1, 0, t))


def _period_label(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _free_name(data: pd.DataFrame, wanted: str) -> str:
    name = wanted
    while name in data.columns:
        name = f"_{name}"
    return name


def _empty_event_study() -> pd.DataFrame:
    return pd.DataFrame(columns=["rel_time", "estimate", "se", "ci_low", "ci_high"])


def _plain(value: Any) -> Any:
    """A period label as JSON: numpy scalars to Python, whole numbers as int."""
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _number(value: float | None) -> float | None:
    """JSON has no NaN or infinity: missing statistics become null."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
