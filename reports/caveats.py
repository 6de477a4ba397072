"""The evaluation's English caveats in the committee's words.

The evaluation modules write their caveats in English (evaluation.did.warnings, targeting).
`plain_caveat` recognises the known ones by their opening words and gives their gist from the
message catalogue, with the numbers they carry; a caveat it does not recognise is shown as
given, so nothing the statistics warn about is ever dropped. The tests run the caveats the
evaluation writes through this recognition, so a reworded caveat shows up as a failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reports.formatting import LocaleFormat
from reports.messages import Messages

# Known English caveats of evaluation/ (by their opening words) → catalogue key. Named groups
# are handed to the message: n and k as counts, p as a p-value, anything else as written.
# More specific patterns come first.
_CAVEATS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), key)
    for pattern, key in (
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

# How uncertainty was computed (the evaluate JSON's free-text "inference"), by opening words.
_INFERENCES: tuple[tuple[str, str], ...] = (
    ("analytic standard errors from the influence functions", "inference.analytic"),
    ("multiplier bootstrap", "inference.multiplier"),
    ("wild cluster bootstrap", "inference.wild"),
    ("randomization inference: placebo ranks", "inference.placebo_rank"),
    ("randomization inference", "inference.randomization"),
    ("placebo standard error", "inference.placebo"),
    ("jackknife standard error", "inference.jackknife"),
    ("bootstrap standard error", "inference.bootstrap"),
)


# Each kind of caveat and its gist: "Auf einen Blick" lists a gist once, naming every program
# (or the targeting) it applies to; the program pages give each caveat in full.
CAVEAT_GISTS: dict[str, str] = {
    "caveat.few_treated_clusters": "gist.few_treated",
    "caveat.few_treated_units": "gist.few_treated",
    "caveat.few_treated_resampling": "gist.few_treated",
    "caveat.se_undefined": "gist.few_treated",
    "caveat.few_control_clusters": "gist.few_controls",
    "caveat.few_never_treated": "gist.few_controls",
    "caveat.few_clusters": "gist.few_clusters",
    "caveat.no_never_treated": "gist.no_never_treated",
    "caveat.last_cohort_control": "gist.no_never_treated",
    "caveat.staggered_twfe": "gist.staggered",
    "caveat.staggered_event": "gist.staggered",
    "caveat.collinear_event": "gist.staggered",
    "caveat.dose": "gist.dose",
    "caveat.switches_off": "gist.switches_off",
    "caveat.classical_errors": "gist.classical_errors",
    "caveat.pretrend_rejected": "gist.pretrend_rejected",
    "caveat.no_pretrend_test": "gist.pretrend_untested",
    "caveat.pretrend_collinear": "gist.pretrend_untested",
    "caveat.few_pre_periods": "gist.pretrend_untested",
    "caveat.regression_to_mean": "gist.regression_to_mean",
    "caveat.ashenfelter_dip": "gist.regression_to_mean",
    "caveat.small_cohorts": "gist.small_cohorts",
    "caveat.thin_comparison": "gist.small_cohorts",
    "caveat.wide_band": "gist.small_cohorts",
    "caveat.poor_fit": "gist.synthetic_fit",
    "caveat.few_donors": "gist.few_donors",
    "caveat.placebo_impossible": "gist.few_donors",
    "caveat.missing_outcome": "gist.missing_data",
    "caveat.missing_other": "gist.missing_data",
    "caveat.singletons": "gist.missing_data",
    "caveat.incomplete_units": "gist.missing_data",
    "caveat.balanced": "gist.missing_data",
    "caveat.late_start": "gist.missing_data",
    "caveat.treated_first_period": "gist.missing_data",
    "caveat.covariates_dropped": "gist.missing_data",
    "caveat.short_history": "gist.missing_data",
    "caveat.few_districts_targeting": "gist.few_districts",
    "caveat.bootstrap_no_spread": "gist.bootstrap",
}


def _recognise(text: str) -> tuple[str, dict[str, str]] | None:
    """The catalogue key of a known English caveat and the values it carries."""
    for pattern, key in _CAVEATS:
        match = pattern.match(text.strip())
        if match:
            return key, match.groupdict()
    return None


def plain_caveat(text: str, t: Messages, fmt: LocaleFormat) -> str:
    """The catalogue's wording of a known English caveat, with its numbers; else `text`."""
    recognised = _recognise(text)
    if recognised is None:
        return text
    key, found = recognised
    converters: dict[str, Callable[[str], str]] = {
        "n": lambda s: fmt.integer(int(s)),
        "k": lambda s: fmt.integer(int(s)),
        "p": lambda s: fmt.pvalue(float(s)),
    }
    return t(key, **{name: converters.get(name, str)(value) for name, value in found.items()})


def caveat_gist(text: str) -> str | None:
    """The gist key ("gist.…") of a known caveat; None for one this catalogue does not know."""
    recognised = _recognise(text)
    return None if recognised is None else CAVEAT_GISTS.get(recognised[0])


def plain_inference(text: str, t: Messages) -> str:
    """The catalogue's name for how the uncertainty was computed; else `text` as given."""
    lowered = text.strip().lower()
    for opening, key in _INFERENCES:
        if lowered.startswith(opening):
            return t(key)
    return text


# Caveats that differ only by the cohort they name are said once, naming every cohort.
_MERGED_BY = {"caveat.regression_to_mean": "cohort", "caveat.ashenfelter_dip": "cohort"}


def joined(items: list[str], t: Messages) -> str:
    """ "2018", "2018 und 2020", "2018, 2020 und 2021" (en: "and")."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('list.and')} {items[-1]}"


def plain_caveats(texts: list[str], t: Messages, fmt: LocaleFormat) -> list[str]:
    """Each caveat in the catalogue's words, in order, without repeats; caveats of one kind
    that differ only by their cohort become one, naming the cohorts ("ab 2018, 2020 und 2021")."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = {}
    order: list[tuple[str, tuple[tuple[str, str], ...]] | str] = []
    for text in texts:
        recognised = _recognise(text)
        if recognised is None or recognised[0] not in _MERGED_BY:
            order.append(text)
            continue
        key, found = recognised
        name = _MERGED_BY[key]
        rest = tuple(sorted((k, v) for k, v in found.items() if k != name))
        if (key, rest) not in groups:
            groups[(key, rest)] = []
            order.append((key, rest))
        groups[(key, rest)].append(found[name])
    result = []
    for item in order:
        if isinstance(item, str):
            result.append(plain_caveat(item, t, fmt))
        else:
            key, rest = item
            values = list(dict.fromkeys(groups[item]))
            result.append(t(key, **dict(rest), **{_MERGED_BY[key]: joined(values, t)}))
    return list(dict.fromkeys(result))
