"""The message catalogue: complete in both languages, and it understands the statistics' caveats.

The caveats are produced by the real evaluation code (not copied here), so a reworded warning
in evaluation/ that the report no longer recognises fails this test instead of silently
reaching the committee in English.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.did import warnings as caveats
from evaluation.did.staggered_panel import prepare_staggered_panel
from evaluation.panel_evaluation import EvaluationOptions, MethodUnavailable, evaluate_panel
from evaluation.targeting import targeting
from reports.appendix_sections import LIMITS, METHOD_PARTS
from reports.caveats import (
    CAVEAT_GISTS,
    caveat_gist,
    plain_caveat,
    plain_caveats,
    plain_inference,
)
from reports.charts import NEED_CLASSES
from reports.formatting import LocaleFormat
from reports.messages import CATALOGUE, Messages, placeholders
from reports.overview_sections import VERDICTS

REPORTS = Path(__file__).resolve().parents[2] / "reports"
DE, EN = Messages("de"), Messages("en")
FMT = LocaleFormat("de")


def test_german_and_english_have_the_same_keys():
    assert set(CATALOGUE["de"]) == set(CATALOGUE["en"])


def test_each_message_takes_the_same_placeholders_in_both_languages():
    differing = {
        key: (placeholders(CATALOGUE["de"][key]), placeholders(CATALOGUE["en"][key]))
        for key in CATALOGUE["de"]
        if placeholders(CATALOGUE["de"][key]) != placeholders(CATALOGUE["en"].get(key, ""))
    }
    assert differing == {}


def test_messages_are_plain_text_without_markup():
    for lang, messages in CATALOGUE.items():
        for key, text in messages.items():
            assert text.strip(), (lang, key)
            assert "<" not in text and ">" not in text, (lang, key)


def test_every_key_the_builder_uses_is_in_the_catalogue():
    used = set()
    for source in REPORTS.glob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z_]+\.[a-z_.]+)\"", source.read_text("utf-8")))
    used |= {f"need_class.{c}" for c in NEED_CLASSES}
    used |= {f"verdict.{v}" for v in VERDICTS}
    used |= {f"methods.{p}" for p in METHOD_PARTS} | {f"methods.{p}_title" for p in METHOD_PARTS}
    used |= {f"methods.limit_{limit}" for limit in LIMITS}
    assert len(used) > 100
    assert used - set(CATALOGUE["de"]) == set()


def test_a_placeholder_called_key_is_allowed():
    assert (
        DE("need.worsened_item", key="D02", name="Nord", before="mittel", after="hoch")
        == "Nord (D02): mittel → hoch"
    )


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="catalogue"):
        Messages("fr")


def _evaluation_caveats() -> list[str]:
    """Every caveat text that evaluation.did.warnings can produce (with sample numbers)."""
    check = caveats.SelectionCheck(2019, 2018, level_sd=1.4, dip=0.5, dip_z=2.5)
    return [
        *caveats.missing_rows("sgb2_quote", 3, 2),
        *caveats.singletons_dropped(4),
        *caveats.cluster_counts(11, 3, 2),
        caveats.no_never_treated(),
        caveats.staggered_timing([2019, 2021]),
        caveats.continuous_dose(),
        caveats.staggered_event_study(),
        caveats.collinear_event_times([-5, -4]),
        caveats.treatment_switches_off(2),
        caveats.classical_errors_in_panel(),
        *caveats.pretrend_rejected(0.034),
        caveats.no_pretrend_test(),
        *caveats.few_pre_periods({2019: 1}),
        *caveats.selection_on_need([check], "sgb2_quote"),
    ]


@pytest.mark.parametrize("text", _evaluation_caveats())
def test_every_caveat_of_the_did_warnings_is_translated(text):
    german = plain_caveat(text, DE, FMT)
    assert german != text
    assert plain_caveat(text, EN, LocaleFormat("en")) != text


def test_caveats_keep_their_numbers_in_german_format():
    assert plain_caveat(caveats.cluster_counts(11, 3, 9)[0], DE, FMT).startswith(
        "Sehr wenige geförderte Quartiere (3)"
    )
    assert "(p = 0,03)" in plain_caveat(caveats.pretrend_rejected(0.034)[0], DE, FMT)
    assert "ab 2019" in plain_caveat(
        caveats.selection_on_need([caveats.SelectionCheck(2019, 2018, 1.4, 0.0, 0.0)], "y")[0],
        DE,
        FMT,
    )


def _panel(treated_cohorts: dict[int, int]) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = [
        {"unit": u, "time": t, "cohort": treated_cohorts.get(u, 0), "y": rng.normal()}
        for u in range(1, 9)
        for t in range(1, 6)
    ]
    return pd.DataFrame(rows)


def test_the_estimators_warnings_reason_and_inference_are_recognised():
    result = evaluate_panel(_panel({1: 3, 2: 3, 3: 4}), "y", "unit", "time", "cohort")
    assert result.warnings
    for warning in result.warnings:
        assert plain_caveat(warning, DE, FMT) != warning
    assert plain_caveat(result.method_reason or "", DE, FMT).startswith("3 geförderte Quartiere")
    assert plain_inference(result.inference, DE).startswith("Randomisierungsinferenz: Die Start")
    options = EvaluationOptions(inference="analytic")
    result = evaluate_panel(_panel({1: 3, 2: 3, 3: 4}), "y", "unit", "time", "cohort", options)
    for warning in result.warnings:
        assert plain_caveat(warning, DE, FMT) != warning
    assert plain_inference(result.inference, DE).startswith("Standardfehler aus den")
    # evaluate_panel corrects the variance of small cohorts: the committee reads that, not a
    # claim that their uncertainty is understated.
    assert plain_inference(result.inference, DE).endswith("mit Korrektur für kleine Jahrgänge")
    (small,) = [w for w in result.warnings if w.startswith("Cohorts with fewer than")]
    assert "small-cohort correction" in small
    assert plain_caveat(small, DE, FMT).endswith("korrigiert, bleiben aber Näherungen.")


def test_synthetic_did_warnings_reason_and_inference_are_recognised():
    result = evaluate_panel(_panel({1: 3, 2: 4}), "y", "unit", "time", "cohort")
    assert result.method == "sdid"
    assert result.warnings
    for warning in result.warnings:
        assert plain_caveat(warning, DE, FMT) != warning
    assert plain_caveat(result.method_reason or "", DE, FMT).startswith(
        "Nur 2 geförderte(s) Quartier(e) (1, 2), daher synthetische"
    )
    assert plain_inference(result.inference, DE).startswith("Randomisierungsinferenz mit Placebo")


def test_the_reason_why_no_estimate_exists_is_translated():
    with pytest.raises(ValueError) as refused:
        evaluate_panel(_panel({1: 1, 2: 1}), "y", "unit", "time", "cohort")
    assert plain_caveat(str(refused.value), DE, FMT).startswith("Alle geförderten Quartiere")
    unavailable = MethodUnavailable("no treated unit with periods before and after its start")
    assert plain_caveat(str(unavailable), DE, FMT).startswith("Kein gefördertes Quartier")


def test_the_targeting_caveat_is_translated():
    need = pd.DataFrame(
        {
            "key": list("ABCDE"),
            "need_index": [2.0, 1.0, 0.0, -1.0, -2.0],
            "need_rank": [1, 2, 3, 4, 5],
        }
    )
    spending = pd.DataFrame(
        {"key": list("ABCDE"), "population": [1000] * 5, "amount_cents": [500, 400, 300, 200, 100]}
    )
    result = targeting(need, spending, year=2024, draws=50)
    assert result.warnings
    assert plain_caveat(result.warnings[0], DE, FMT).startswith("Nur 5 Quartiere:")


def test_an_unknown_caveat_is_shown_as_given():
    assert plain_caveat("Something new.", DE, FMT) == "Something new."
    assert plain_inference("a method of its own", DE) == "a method of its own"


def test_the_panel_preparation_caveats_are_translated():
    panel = _panel({1: 3, 2: 1, 3: 9})  # 2 treated from the start, 3 only after the last period
    panel = panel[~((panel["unit"] == 4) & (panel["time"] == 2))]  # unbalanced
    notes = prepare_staggered_panel(panel, "y", "unit", "time", "cohort", "never").warnings
    assert len(notes) == 3
    for note in notes:
        assert plain_caveat(note, DE, FMT) != note
    no_controls = prepare_staggered_panel(
        _panel({u: 3 if u < 5 else 4 for u in range(1, 9)}),
        "y",
        "unit",
        "time",
        "cohort",
        "notyet",
    ).warnings
    assert plain_caveat(no_controls[0], DE, FMT).startswith("Kein Quartier bleibt ohne Förderung")


def test_every_kind_of_caveat_has_a_gist_for_the_glance_page():
    kinds = {key for key in CATALOGUE["de"] if key.startswith("caveat.")}
    assert kinds == set(CAVEAT_GISTS)
    assert set(CAVEAT_GISTS.values()) <= set(CATALOGUE["de"])
    assert caveat_gist(caveats.no_never_treated()) == "gist.no_never_treated"
    assert caveat_gist("Something new.") is None


def test_the_reasons_the_report_gives_itself_are_translated():
    assert plain_caveat(
        "no spending of the program is attributed to a district", DE, FMT
    ).startswith("Die Ausgaben des Programms sind keinem Quartier zugeordnet")
    assert (
        plain_caveat("no values for indicator 'sgb2_quote'; known indicators: none", DE, FMT)
        == "Für den Indikator sgb2_quote sind keine Werte importiert."
    )
    assert plain_caveat(
        "withheld: every district reached (S07, S09) has fewer than 300 inhabitants", DE, FMT
    ).startswith(
        "Nicht ausgewiesen (Geheimhaltung): Alle geförderten Quartiere (S07, S09) haben "
        "weniger als 300 Einwohner"
    )


def test_caveats_that_differ_only_by_their_cohort_are_said_once():
    checks = [caveats.SelectionCheck(year, year - 1, 1.4, 0.0, 0.0) for year in (2018, 2020, 2021)]
    texts = [*caveats.selection_on_need(checks, "sgb2_quote"), caveats.no_pretrend_test()]
    german = plain_caveats(texts, DE, FMT)
    assert len(german) == 2
    assert german[0].startswith("Die ab 2018, 2020 und 2021 geförderten Quartiere lagen")
    english = plain_caveats(texts, EN, LocaleFormat("en"))
    assert english[0].startswith("The districts starting in 2018, 2020 and 2021 stood")
