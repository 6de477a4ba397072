"""The evaluation's caveats in the committee's words.

Every caveat arrives as data: an `evaluation.caveat_codes.Caveat`, or its SPEC §7 document
{code, values, text} (the evaluate JSON, the report's data). The words come from the message
catalogue by the code ("caveat.<code>", "reason.<code>"), filled with its values; nothing is
recognised by its wording. A document written before caveats travelled as codes carries only
English `warnings`: those are shown as they are (`caveats_of`), so nothing the statistics warn
about is ever dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evaluation.caveat_codes import ENGLISH, Caveat, catalogue_key
from reports.formatting import LocaleFormat
from reports.messages import Messages, catalogue, placeholders

# A caveat as it arrives: typed, as a SPEC §7 document, or (an old document) an English sentence.
CaveatLike = Caveat | Mapping[str, Any] | str


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
    "caveat.no_pre_periods": "gist.pretrend_untested",
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


def as_caveat(item: CaveatLike) -> Caveat | None:
    """The typed caveat; None for an English sentence of an old document or an unknown code."""
    if isinstance(item, Caveat):
        return item
    if isinstance(item, Mapping) and item.get("code") in ENGLISH:
        return Caveat.from_dict(item)
    return None


def caveats_of(document: Mapping[str, Any] | None) -> list[CaveatLike]:
    """The caveats of an evaluate or targeting document; one written before they travelled as
    codes has only its English `warnings`, which are then shown as they are."""
    document = document or {}
    if "caveats" in document:
        return list(document["caveats"] or [])
    return [str(w) for w in document.get("warnings") or []]


def _shown_as_given(item: CaveatLike) -> str:
    return item if isinstance(item, str) else str(item.get("text") or item.get("code"))


def _formatted(caveat: Caveat, fmt: LocaleFormat) -> dict[str, str]:
    """The values as the reader's locale writes them: counts as integers, p as a p-value."""
    out = {}
    for name, value in caveat.values.items():
        if name == "p" and isinstance(value, int | float):
            out[name] = fmt.pvalue(float(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            out[name] = fmt.integer(value)
        else:
            out[name] = str(value)
    return out


def plain_caveat(item: CaveatLike, t: Messages, fmt: LocaleFormat) -> str:
    """The catalogue's wording of a caveat (or reason), with its values."""
    caveat = as_caveat(item)
    if caveat is None:
        return _shown_as_given(item)
    return t(catalogue_key(caveat.code), **_formatted(caveat, fmt))


def caveat_gist(item: CaveatLike) -> str | None:
    """The gist key ("gist.…") of a caveat; None for one without a gist."""
    caveat = as_caveat(item)
    return None if caveat is None else CAVEAT_GISTS.get(catalogue_key(caveat.code))


def plain_inference(document: Mapping[str, Any], t: Messages) -> str:
    """How the uncertainty was computed, in the catalogue's words for the document's
    `inference_code` ("inference.<code>"). A document written before the code travelled (or one
    with a code this version does not know) has only the English `inference`: shown as given."""
    key = f"inference.{document.get('inference_code')}"
    if document.get("inference_code") and t.has(key):
        return t(key)
    return str(document.get("inference") or "")


# Caveats that differ only by the cohort they name are said once, naming every cohort.
_MERGED_BY = {"caveat.regression_to_mean": "cohort", "caveat.ashenfelter_dip": "cohort"}


def joined(items: list[str], t: Messages) -> str:
    """ "2018", "2018 und 2020", "2018, 2020 und 2021" (en: "and")."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('list.and')} {items[-1]}"


def plain_caveats(items: list[CaveatLike], t: Messages, fmt: LocaleFormat) -> list[str]:
    """Each caveat in the catalogue's words, in order, without repeats; caveats of one kind
    that differ only by their cohort become one, naming the cohorts ("ab 2018, 2020 und 2021")."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = {}
    order: list[tuple[str, tuple[tuple[str, str], ...]] | CaveatLike] = []
    for item in items:
        caveat = as_caveat(item)
        key = None if caveat is None else catalogue_key(caveat.code)
        if caveat is None or key not in _MERGED_BY:
            order.append(item)
            continue
        name = _MERGED_BY[key]
        found = _formatted(caveat, fmt)
        # Only the values the message shows tell two caveats apart (not, say, how far each
        # cohort stood out).
        shown = placeholders(catalogue(t.lang)[key]) - {name}
        rest = tuple(sorted((k, v) for k, v in found.items() if k in shown))
        if (key, rest) not in groups:
            groups[(key, rest)] = []
            order.append((key, rest))
        groups[(key, rest)].append(found[name])
    result = []
    for entry in order:
        if isinstance(entry, tuple):
            key, rest = entry
            values = list(dict.fromkeys(groups[entry]))
            result.append(t(key, **dict(rest), **{_MERGED_BY[key]: joined(values, t)}))
        else:
            result.append(plain_caveat(entry, t, fmt))
    return list(dict.fromkeys(result))


def localized_caveats(caveats: list[dict[str, Any]], t: Messages, fmt: LocaleFormat) -> list[dict]:
    """SPEC §7 caveats with their text in the reader's language (the catalogue's wording of each
    code and its values)."""
    return [{**c, "text": plain_caveat(c, t, fmt)} for c in caveats]


def localized_document(document: dict[str, Any], t: Messages, fmt: LocaleFormat) -> dict:
    """An evaluate or targeting document (SPEC §7) in the reader's language: its caveats' texts,
    `warnings` as the list of those texts, and the reason for the method (evaluate)."""
    document = {**document, "caveats": localized_caveats(document.get("caveats") or [], t, fmt)}
    document["warnings"] = [caveat["text"] for caveat in document["caveats"]]
    if document.get("method_reason_caveat"):
        (document["method_reason_caveat"],) = localized_caveats(
            [document["method_reason_caveat"]], t, fmt
        )
    return document
