"""The codes of the evaluation's caveats: every English caveat it writes, recognised.

The estimators write their caveats as English sentences (evaluation.did.warnings, the
estimators themselves, targeting). What travels to the people who read them must be data, not
a sentence to be recognised downstream: a code, the values it carries, and a text in the
reader's language (SPEC §7 "caveats"). This table is the single place that knows each sentence;
the report's catalogue has one message per key ("caveat.…" for caveats, "reason.…" for why a
method was chosen or no estimate exists). The tests run every caveat the evaluation writes
through it, so a reworded caveat shows up as a failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Known English caveats of evaluation/ (by their opening words) → catalogue key. Named groups
# are handed to the message: n and k as counts, p as a p-value, anything else as written.
# More specific patterns come first.
CAVEATS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), key)
    for pattern, key in (
        (r"Only (?P<n>\d+) distinct assignments of the start", "caveat.too_few_assignments"),
        (r"Only (?P<n>\d+) treated cluster", "caveat.few_treated_clusters"),
        (r"Only (?P<n>\d+) control cluster", "caveat.few_control_clusters"),
        (r"Only (?P<n>\d+) clusters:", "caveat.few_clusters"),
        (r"No district stays untreated throughout", "caveat.no_never_treated"),
        (r"Districts started in different periods \((?P<starts>[^)]*)\)", "caveat.staggered_twfe"),
        (r"Districts started in different periods: two-way", "caveat.staggered_event"),
        (r"The treatment is a dose", "caveat.dose"),
        (r"Relative periods (?P<periods>.+?) cannot be told apart", "caveat.collinear_event"),
        (r"In (?P<n>\d+) unit\(s\) the treatment stops", "caveat.switches_off"),
        (r"Standard errors assume independent observations", "caveat.classical_errors"),
        (
            r"Before the start, treated and control districts already moved apart \(joint test "
            r"of the leads p = (?P<p>[0-9.eE-]+)",
            "caveat.pretrend_rejected",
        ),
        (r"No pre-period coefficient could be estimated", "caveat.no_pretrend_test"),
        (r"No pre-treatment periods: parallel trends", "caveat.no_pretrend_test"),
        (r"No pre-trend test: the pre-treatment effects", "caveat.pretrend_collinear"),
        (r"The uniform confidence band needs a critical value", "caveat.wide_band"),
        (r"Dropped (?P<n>\d+) rows to balance the panel", "caveat.balanced"),
        (r"(?P<n>\d+) units? first treated after the last period", "caveat.late_start"),
        (r"There are no never-treated units: the last cohort", "caveat.last_cohort_control"),
        (r"There are no never-treated units to compare with", "reason.no_never_treated"),
        (
            r"Dropped (?P<n>\d+) units? already treated in the first period",
            "caveat.treated_first_period",
        ),
        (r"Covariates .+ do not vary within", "caveat.covariates_dropped"),
        (
            r"Left out (?P<n>\d+) treated unit\(s\) with fewer than (?P<k>\d+) periods",
            "caveat.short_history",
        ),
        (r"Fewer than (?P<n>\d+) periods before the start", "caveat.few_pre_periods"),
        (r"Districts starting in (?P<cohort>\S+) stood out", "caveat.regression_to_mean"),
        (r"Districts starting in (?P<cohort>\S+) moved away", "caveat.ashenfelter_dip"),
        (r"Only (?P<n>\d+) treated units?: with fewer than", "caveat.few_treated_units"),
        (r"Only (?P<n>\d+) never-treated units?", "caveat.few_never_treated"),
        (r"Cohorts with fewer than (?P<n>\d+) units: (?P<cohorts>.+?)\. ", "caveat.small_cohorts"),
        (
            r"ATT\(g,t\) cells \(cohort/period\) with fewer than (?P<n>\d+)",
            "caveat.thin_comparison",
        ),
        (r"Before the start the synthetic comparison tracks", "caveat.poor_fit"),
        (r"Only (?P<n>\d+) untreated units serve as donors", "caveat.few_donors"),
        (r"(?P<n>\d+) rows without a value for", "caveat.missing_outcome"),
        (r"(?P<n>\d+) further rows with missing", "caveat.missing_other"),
        (r"(?P<n>\d+) rows of units or periods observed only once", "caveat.singletons"),
        (r"Left out (?P<n>\d+) unit\(s\) not observed in all", "caveat.incomplete_units"),
        (r"The \w+ standard error is not defined", "caveat.se_undefined"),
        (r"Only (?P<n>\d+) treated units: the \w+ standard error", "caveat.few_treated_resampling"),
        (r"The placebo standard error needs more never-treated", "caveat.placebo_impossible"),
        (r"Only (?P<n>\d+) districts: the interval", "caveat.few_districts_targeting"),
        (r"(?P<k>\d+) of (?P<n>\d+) bootstrap draws had no spread", "caveat.bootstrap_no_spread"),
        (r"auto: (?P<n>\d+) treated units", "reason.auto_staggered"),
        (
            r"auto: only (?P<n>\d+) treated units? \((?P<districts>[^)]*)\), so synthetic",
            "reason.auto_sdid",
        ),
        (r"no treated unit with periods before and after its start", "reason.no_treated"),
        (r"no unit is treated after the first period", "reason.treated_from_start"),
        (r"no spending of the program is attributed to a district", "reason.no_district_spending"),
        (r"no values for indicator '(?P<indicator>[^']+)'", "reason.no_indicator_values"),
        (
            r"withheld: every district reached \((?P<districts>[^)]*)\) has fewer than (?P<n>\d+)",
            "reason.withheld_small",
        ),
    )
)


@dataclass(frozen=True)
class Caveat:
    """One caveat as data: code (the catalogue key without its "caveat." prefix, or "other"
    for a sentence not in the table), the values it carries, and the English sentence."""

    code: str
    values: dict[str, Any]
    english: str


def recognise(text: str) -> tuple[str, dict[str, str]] | None:
    """The catalogue key of a known English caveat and the values it carries."""
    for pattern, key in CAVEATS:
        match = pattern.match(text.strip())
        if match:
            return key, match.groupdict()
    return None


def coded(text: str) -> Caveat:
    """A caveat sentence as data; counts (n, k) as integers and p-values (p) as numbers."""
    recognised = recognise(text)
    if recognised is None:
        return Caveat("other", {}, text)
    key, found = recognised
    values: dict[str, Any] = {}
    for name, value in found.items():
        if name in ("n", "k"):
            values[name] = int(value)
        elif name == "p":
            values[name] = float(value)
        else:
            values[name] = value
    return Caveat(key.split(".", 1)[1], values, text)
