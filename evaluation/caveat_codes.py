"""The evaluation's caveats as data: a code and the values it carries.

A caveat is created where its condition is detected (evaluation.did.warnings, the estimators,
targeting) and travels in the result as a `Caveat`; nobody downstream has to recognise a
sentence. Its English wording (the Python API's `warnings`) is rendered FROM the code by the
one table below, ENGLISH; the report's catalogue has one message per code ("caveat.<code>" for
caveats, "reason.<code>" for why a method was chosen or no estimate exists), filled with the
same values (SPEC §7 "caveats": code, values, text). A test checks that every code of ENGLISH
has a message in both catalogues whose placeholders the caveat's values can fill.

Values are numbers and strings (periods and lists of units or cohorts as the English shows
them); counts are `int`, p-values and other statistics `float`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

Value = int | float | str | bool


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _regression_to_mean(v: Mapping[str, Any]) -> str:
    side = "above" if v["level_sd"] > 0 else "below"
    return (
        f"Districts starting in {v['cohort']} stood out just before the start: their mean "
        f"{v['outcome']} in {v['period']} was {abs(v['level_sd']):.1f} standard deviations "
        f"{side} the controls'. Districts chosen because they look worst tend to move "
        "back towards the average anyway (regression to the mean), which the estimate "
        "would credit to the programme."
    )


def _few_never_treated(v: Mapping[str, Any]) -> str:
    single = (
        " A single comparison unit's variability cannot be estimated: the standard errors "
        "leave it out and understate the uncertainty."
        if v["n"] == 1
        else ""
    )
    return (
        f"Only {_plural(v['n'], 'never-treated unit')}: with fewer than {v['minimum']} comparison "
        f"units the standard errors and confidence intervals are unreliable.{single}"
    )


def _small_cohorts(v: Mapping[str, Any]) -> str:
    variance = (
        "the standard errors use the small-cohort correction (each group's variance with "
        "divisor N − 1), but the intervals remain approximate."
        if v["corrected"]
        else "the standard errors divide each group's variance by N (as R did) and so "
        'understate the uncertainty of such small cohorts (small_sample="cohort" corrects '
        "this)."
    )
    single = ""
    if v["single"]:
        which = f"Cohort {v['single']} has" if v["n_single"] == 1 else f"Cohorts {v['single']} have"
        single = (
            f" {which} a single unit: its own variability cannot be estimated, so the standard "
            "errors leave it out and understate the uncertainty; no small-sample correction can "
            "repair this."
        )
    return (
        f"Cohorts with fewer than {v['n']} units: {v['cohorts']}. Their ATT(g,t) rest on very "
        f"few units; {variance}{single}"
    )


def _thin_comparison(v: Mapping[str, Any]) -> str:
    alone = " In cells with a single comparison unit its variability cannot be estimated."
    return (
        f"ATT(g,t) cells (cohort/period) with fewer than {v['n']} comparison units: "
        f"{v['cells']}.{alone if v['single'] else ''}"
    )


def _poor_fit(v: Mapping[str, Any]) -> str:
    who = "the treated unit" if v["n_treated"] == 1 else "the treated units"
    if v["start"]:
        who = f"{who} starting in {v['start']}"
    return (
        f"Before the start the synthetic comparison tracks {who} poorly: the gap in "
        f"{v['outcome']} is {v['gap']:.3g} on average (root mean square), more than "
        f"{v['ratio']:g} times the usual spread between untreated units "
        f"({v['spread']:.3g}). The estimate then rests on an extrapolation and may be biased."
    )


def _se_undefined(v: Mapping[str, Any]) -> str:
    where = (
        "when a start cohort has a single treated unit"
        if v["staggered"]
        else "with one treated unit"
    )
    return (
        f"The {v['inference']} standard error is not defined {where} (Arkhangelsky et al. 2021); "
        'none is reported. Use inference="placebo", which compares the estimate with the same '
        "estimate for untreated units."
    )


def _auto_sdid(v: Mapping[str, Any]) -> str:
    return (
        f"auto: only {v['n']} treated unit{'s' if v['n'] > 1 else ''} ({v['districts']}), "
        "so synthetic difference-in-differences with placebo inference: with one or two "
        "treated units cluster-robust and wild-bootstrap errors are unreliable"
    )


# code → English: a str.format template over the values, or a function of them where the
# sentence has a part that depends on them (plurals, an optional second sentence).
ENGLISH: Mapping[str, str | Callable[[Mapping[str, Any]], str]] = MappingProxyType(
    {
        # Rows and units left out (evaluation.did.panel, staggered_panel, synthetic_panel, twfe).
        "missing_outcome": "{n} rows without a value for {outcome} were left out of the estimate.",
        "missing_other": "{n} further rows with missing treatment, time, unit, weight or covariate "
        "values were left out.",
        "singletons": "{n} rows of units or periods observed only once were left out: the fixed "
        "effects fit them perfectly, so they carry no information on the effect.",
        "balanced": lambda v: (
            f"Dropped {v['n']} rows to balance the panel: {_plural(v['units'], 'unit')} without "
            f"an outcome in at least one of the {v['periods']} periods."
        ),
        "late_start": lambda v: (
            f"{_plural(v['n'], 'unit')} first treated after the last period ({v['last']}) "
            "counted as never treated."
        ),
        "last_cohort_control": "There are no never-treated units: the last cohort ({cohort}) "
        "serves only as comparison, and the periods from {cohort} on are left out because no "
        "untreated unit remains to compare with.",
        "treated_first_period": lambda v: (
            f"Dropped {_plural(v['n'], 'unit')} already treated in the first period "
            f"({v['first']}): no untreated period to compare with."
        ),
        "covariates_dropped": "Covariates {covariates} do not vary within districts over time (or "
        "repeat other regressors) and were dropped: the fixed effects already hold them.",
        "incomplete_units": "Left out {n} unit(s) not observed in all {periods} periods ({units}): "
        "synthetic DiD needs every unit in every period.",
        "short_history": "Left out {n} treated unit(s) with fewer than {k} periods before the "
        "start ({units}): there is no history to build a comparison.",
        # How many units or clusters carry the comparison.
        "few_treated_clusters": "Only {n} treated cluster(s): the estimate rests on very few "
        "districts, and standard errors and even bootstrap p-values can be badly wrong "
        '(MacKinnon & Webb 2017); prefer the randomization-inference p-value (inference "'
        'randomization").',
        "few_control_clusters": "Only {n} control cluster(s): the comparison group is too small "
        "for reliable standard errors (MacKinnon & Webb 2017).",
        "few_clusters": "Only {n} clusters: conventional cluster-robust p-values are too small "
        "with so few; use the wild cluster bootstrap with Webb weights (Webb 2023).",
        "few_treated_units": lambda v: (
            f"Only {_plural(v['n'], 'treated unit')}: with fewer than {v['minimum']} the standard "
            "errors and confidence intervals are unreliable (they rest on large-sample theory)."
        ),
        "few_never_treated": _few_never_treated,
        "small_cohorts": _small_cohorts,
        "thin_comparison": _thin_comparison,
        "too_few_assignments": "Only {n} distinct assignments of the start periods to the "
        "districts: no result can be significant at the {level:g} % level, and the confidence "
        "interval is unbounded.",
        "wide_band": "The uniform confidence band needs a critical value of {critical:.1f}: too "
        "few units per cohort or too little variation for a reliable band.",
        # The design.
        "no_never_treated": "No district stays untreated throughout: every comparison uses "
        "districts that are treated later, so effects that build up over time can bias the "
        "estimate.",
        "staggered_twfe": "Districts started in different periods ({starts}). Two-way fixed "
        "effects then compare late starters with districts already treated and can even get the "
        "sign wrong when effects change over time (Goodman-Bacon 2021); use `staggered` "
        "(Callaway & Sant'Anna 2021) for the headline number.",
        "dose": "The treatment is a dose (e.g. euros per inhabitant), not on/off. The slope "
        "compares districts with different doses and is only an average causal effect under a "
        "stronger parallel-trends assumption: districts with high and low doses would have had "
        "the same outcome paths at every dose (Callaway, Goodman-Bacon & Sant'Anna 2024).",
        "staggered_event": "Districts started in different periods: two-way fixed-effects "
        "event-study coefficients then mix start cohorts and can pick up effects from other "
        "periods, even in the leads (Sun & Abraham 2021); compare with `staggered` by event time.",
        "collinear_event": "Relative periods {periods} cannot be told apart from the period "
        "effects (no district stays untreated long enough) and were left out of the event study.",
        "switches_off": "In {n} unit(s) the treatment stops again after it started. Cohort-based "
        "methods assume that once treated a district stays treated.",
        "classical_errors": "Standard errors assume independent observations, but a district's "
        "outcomes are correlated over years; pass cluster=<unit column> for honest uncertainty.",
        # Trends before the start.
        "pretrend_rejected": "Before the start, treated and control districts already moved apart "
        "(joint test of the leads p = {p:.3f} < {alpha}): the parallel-trends assumption is "
        "doubtful and the estimate may reflect those earlier differences.",
        "no_pretrend_test": "No pre-period coefficient could be estimated, so parallel trends are "
        "untested.",
        "no_pre_periods": "No pre-treatment periods: parallel trends cannot be tested.",
        "pretrend_collinear": "No pre-trend test: the pre-treatment effects are collinear.",
        "few_pre_periods": "Fewer than {n} periods before the start for some start cohorts "
        "({cohorts}): there is too little history to check that trends were parallel.",
        "regression_to_mean": _regression_to_mean,
        "ashenfelter_dip": "Districts starting in {cohort} moved away from their own earlier level "
        "just before the start ({outcome} changed by {dip:+.3g} relative to the controls in "
        "{period}, z = {z:.1f}). Such a dip before a programme tends to reverse on its own "
        "(Ashenfelter's dip), which the estimate would credit to the programme.",
        # Synthetic difference-in-differences.
        "poor_fit": _poor_fit,
        "few_donors": lambda v: (
            f"Only {v['n']} untreated units serve as donors: placebo comparisons draw on few "
            f"units, so the placebo standard error is rough, and among its {v['n']} in-space "
            f"placebos the estimate can rank at best 1 in {v['n'] + 1} (a placebo rank test "
            "cannot reach the 5 % level)."
        ),
        "se_undefined": _se_undefined,
        "few_treated_resampling": "Only {n} treated units: the {inference} standard error needs "
        'many treated units to be reliable; compare with inference="placebo".',
        "placebo_impossible": "The placebo standard error needs more never-treated units "
        "({donors}) than treated units ({n}); none is reported.",
        # Targeting.
        "few_districts_targeting": "Only {n} districts: the interval of the rank correlation is "
        "wide, so the verdict rests on little information.",
        "bootstrap_no_spread": "{k} of {n} bootstrap draws had no spread in need or spending and "
        "were left out of the interval.",
        # Why a method was chosen, or why there is no estimate ("reason.<code>" in the catalogue).
        "auto_staggered": "auto: {n} treated units (at least {minimum}), so Callaway & Sant'Anna "
        "with group-size weights (aggregate simple)",
        "auto_sdid": _auto_sdid,
        "no_treated": "no treated unit with periods before and after its start",
        "treated_from_start": "no unit is treated after the first period: nothing to evaluate",
        "no_never_treated_control": "There are no never-treated units to compare with. Use "
        "control='notyet' to compare each cohort with the units not yet treated.",
        "no_district_spending": "no spending of the program is attributed to a district",
        "no_indicator_values": "no values for indicator {indicator!r}; known indicators: {known}",
        "no_postings": "no spending is booked in the indicator's span",
        "withheld_small": "withheld: every district reached ({districts}) has fewer than {n} "
        "inhabitants",
        "not_evaluable": "{detail}",
    }
)

# The catalogue key of codes that say why (a method, or no estimate); every other code is a
# caveat, "caveat.<code>". no_never_treated_control is today's "reason.no_never_treated".
REASONS: Mapping[str, str] = MappingProxyType(
    {
        "auto_staggered": "reason.auto_staggered",
        "auto_sdid": "reason.auto_sdid",
        "no_treated": "reason.no_treated",
        "treated_from_start": "reason.treated_from_start",
        "no_never_treated_control": "reason.no_never_treated",
        "no_district_spending": "reason.no_district_spending",
        "no_indicator_values": "reason.no_indicator_values",
        "no_postings": "reason.no_postings",
        "withheld_small": "reason.withheld_small",
        "not_evaluable": "reason.not_evaluable",
    }
)


def catalogue_key(code: str) -> str:
    """The report catalogue's message id for a code."""
    return REASONS.get(code, f"caveat.{code}")


@dataclass(frozen=True)
class Caveat:
    """One caveat: its code (a key of ENGLISH) and the values its wording needs."""

    code: str
    values: Mapping[str, Value] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in ENGLISH:
            raise ValueError(f"unknown caveat code {self.code!r}")
        plain = {name: _plain(value) for name, value in self.values.items()}
        object.__setattr__(self, "values", MappingProxyType(plain))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.values.items()))))

    @property
    def english(self) -> str:
        """The sentence of the Python API and of the English `warnings`."""
        template = ENGLISH[self.code]
        return template(self.values) if callable(template) else template.format(**self.values)

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        """SPEC §7: {code, values, text}; text in English unless a translation is given."""
        return {"code": self.code, "values": dict(self.values), "text": text or self.english}

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Caveat:
        return cls(str(document["code"]), dict(document.get("values") or {}))


def _plain(value: Any) -> Value:
    """numpy scalars as Python numbers, so that values are JSON and compare as written."""
    value = value.item() if hasattr(value, "item") else value
    if not isinstance(value, (int, float, str, bool)):
        raise TypeError(f"a caveat value must be a number or a string, not {type(value)!r}")
    return value


def english(caveats: tuple[Caveat, ...] | list[Caveat]) -> tuple[str, ...]:
    """The English sentences of several caveats, in order."""
    return tuple(c.english for c in caveats)


class CaveatError(ValueError):
    """Data that cannot be evaluated, and why as a caveat (a reason.* code); the message is its
    English sentence, so callers that only print the exception read what they always did."""

    def __init__(self, caveat: Caveat) -> None:
        super().__init__(caveat.english)
        self.caveat = caveat
