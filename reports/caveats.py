"""The evaluation's English caveats in the committee's words.

The evaluation modules write their caveats in English (evaluation.did.warnings, targeting);
`evaluation.caveat_codes` recognises the known ones by their opening words, and `plain_caveat`
gives their gist from the message catalogue, with the numbers they carry; a caveat it does not
recognise is shown as given, so nothing the statistics warn about is ever dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evaluation.caveat_codes import recognise
from reports.formatting import LocaleFormat
from reports.messages import Messages

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
# (or the targeting) it applies to; the program pages give each caveat in full. A gist must not
# say more than its caveats: "too few assignments" (randomization inference: no result can reach
# 5 %) is not "standard errors unreliable", and "some cohorts have too short a history" is not
# "the pre-trends could not be tested" when the test ran on the others.
CAVEAT_GISTS: dict[str, str] = {
    "caveat.few_treated_clusters": "gist.few_treated",
    "caveat.few_treated_units": "gist.few_treated",
    "caveat.too_few_assignments": "gist.too_few_assignments",
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
    "caveat.few_pre_periods": "gist.few_pre_periods",
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


def plain_caveat(text: str, t: Messages, fmt: LocaleFormat) -> str:
    """The catalogue's wording of a known English caveat, with its numbers; else `text`."""
    recognised = recognise(text)
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
    recognised = recognise(text)
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
        recognised = recognise(text)
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


def localized_caveats(caveats: list[dict[str, Any]], t: Messages, fmt: LocaleFormat) -> list[dict]:
    """SPEC §7 caveats with their text in the reader's language (the catalogue's wording of each
    code; a caveat without a code keeps its English sentence)."""
    return [{**c, "text": plain_caveat(str(c["text"]), t, fmt)} for c in caveats]
