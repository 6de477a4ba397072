"""How the uncertainty was computed travels as a code (issue 16 item 2): every estimator and every
inference it accepts sets `inference_code`, and the report and the terminal word that code from
the catalogue in both languages; nothing is recognised by the English text's opening words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.did.event_study import event_study
from evaluation.did.results import INFERENCE_CODES, Estimate
from evaluation.did.staggered import staggered
from evaluation.did.synthetic import synthetic_did
from evaluation.did.twfe import twfe
from evaluation.did.two_by_two import two_by_two
from evaluation.panel_evaluation import METHOD_INFERENCES, EvaluationOptions, evaluate_panel
from reports.caveats import plain_inference
from reports.messages import LANGUAGES, Messages

DE, EN = Messages("de"), Messages("en")


def _panel(cohorts: dict[int, int], units: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = [
        {"unit": u, "time": t, "cohort": cohorts.get(u, 0), "y": rng.normal() + 0.1 * t}
        for u in range(1, units + 1)
        for t in range(1, 7)
    ]
    frame = pd.DataFrame(rows)
    start = frame["cohort"]
    frame["treated"] = ((start > 0) & (frame["time"] >= start)).astype(int)
    return frame


# Four treated in two cohorts: staggered; two treated: what auto gives synthetic DiD.
STAGGERED = {1: 4, 2: 4, 3: 5, 4: 5}
TWO_TREATED = {1: 4, 2: 4}
# The code each explicit choice of `evaluate_panel` must carry.
EXPECTED = {
    ("staggered", "randomization"): "randomization",
    ("staggered", "analytic"): "influence_function",
    ("staggered", "bootstrap"): "multiplier_bootstrap",
    ("twfe", "analytic"): "cluster_robust",
    ("twfe", "wild"): "wild_bootstrap",
    ("twfe", "randomization"): "randomization",
    ("event", "analytic"): "cluster_robust",
    ("sdid", "randomization"): "randomization",
    ("sdid", "placebo"): "placebo",
    ("sdid", "jackknife"): "jackknife",
    ("sdid", "bootstrap"): "bootstrap",
}
COMBINATIONS = [(m, i) for m, accepted in METHOD_INFERENCES.items() for i in accepted]


def test_the_table_covers_every_method_and_inference_the_evaluation_accepts():
    explicit = {(m, i) for m, i in COMBINATIONS if i != "auto"}
    assert explicit == set(EXPECTED)


@pytest.mark.parametrize(("method", "inference"), COMBINATIONS)
def test_every_method_and_inference_carries_a_code_the_catalogue_words(method, inference):
    cohorts = TWO_TREATED if method == "sdid" else STAGGERED
    options = EvaluationOptions(method=method, inference=inference, seed=1)
    result = evaluate_panel(_panel(cohorts), "y", "unit", "time", "cohort", options=options)
    assert result.inference_code in INFERENCE_CODES
    if inference != "auto":
        assert result.inference_code == EXPECTED[(method, inference)]
    document = result.to_dict()
    assert document["inference_code"] == result.inference_code
    assert document["inference"] == result.inference  # SPEC §7's English text is kept
    german, english = plain_inference(document, DE), plain_inference(document, EN)
    assert german == DE(f"inference.{result.inference_code}")
    assert english == EN(f"inference.{result.inference_code}")
    assert german != english


def test_twfes_auto_choice_is_worded_by_its_code_not_by_its_auto_text():
    """Before: "auto: randomization inference …" slipped past the opening-words match and the
    committee read the English sentence."""
    options = EvaluationOptions(method="twfe", inference="auto", seed=1)
    result = evaluate_panel(_panel(TWO_TREATED), "y", "unit", "time", "cohort", options=options)
    assert result.inference.startswith("auto: ")
    assert result.inference_code == "randomization"
    assert plain_inference(result.to_dict(), DE).startswith("Randomisierungsinferenz")


def test_r_dids_plug_in_variance_is_not_called_corrected():
    options = EvaluationOptions(method="staggered", inference="analytic", small_sample="none")
    result = evaluate_panel(_panel(STAGGERED), "y", "unit", "time", "cohort", options=options)
    assert result.inference_code == "influence_function_plugin"
    assert "ohne Korrektur für kleine Jahrgänge" in plain_inference(result.to_dict(), DE)


def _estimators() -> list[tuple[str, object]]:
    """The estimators called directly (the Python API), each variance they offer."""
    panel = _panel(STAGGERED)
    two = _panel(TWO_TREATED)
    two["group"] = (two["cohort"] > 0).astype(int)
    two["post"] = (two["time"] >= 4).astype(int)
    return [
        ("cluster_robust", lambda: two_by_two(two, "y", "group", "post", cluster="unit")),
        ("heteroskedasticity_robust", lambda: two_by_two(two, "y", "group", "post", robust=True)),
        ("classical", lambda: two_by_two(two, "y", "group", "post")),
        ("classical", lambda: twfe(panel, "y", "unit", "time", "treated")),
        ("cluster_robust", lambda: twfe(panel, "y", "unit", "time", "treated", cluster="unit")),
        ("classical", lambda: event_study(panel, "y", "unit", "time", "cohort")),
        ("influence_function", lambda: staggered(panel, "y", "unit", "time", "cohort")),
        (
            "influence_function_plugin",
            lambda: staggered(panel, "y", "unit", "time", "cohort", small_sample=None),
        ),
        (
            "multiplier_bootstrap",
            lambda: staggered(
                panel, "y", "unit", "time", "cohort", inference="bootstrap", draws=99
            ),
        ),
        ("placebo", lambda: synthetic_did(two, "y", "unit", "time", "treated")),
        (
            "jackknife",
            lambda: synthetic_did(
                _panel({1: 4, 2: 4, 3: 4}), "y", "unit", "time", "treated", inference="jackknife"
            ),
        ),
        (
            "bootstrap",
            lambda: synthetic_did(
                two, "y", "unit", "time", "treated", inference="bootstrap", replications=20
            ),
        ),
        (
            "randomization",
            lambda: synthetic_did(two, "y", "unit", "time", "treated", inference="randomization"),
        ),
    ]


@pytest.mark.parametrize(("code", "estimate"), _estimators())
def test_each_estimator_says_its_inference_as_a_code(code, estimate):
    result = estimate()
    assert result.inference_code == code
    assert result.to_dict()["inference_code"] == code


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_inference_code_has_words_in_both_languages(lang):
    words = Messages(lang)
    missing = [code for code in INFERENCE_CODES if not words.has(f"inference.{code}")]
    assert missing == []


def test_a_result_refuses_an_inference_code_without_words():
    with pytest.raises(ValueError, match="unknown inference code"):
        Estimate(0.0, 1.0, -2.0, 2.0, 1.0, 10, None, "twfe", "by hand", "by_hand")


def test_an_old_document_without_a_code_shows_its_text_as_given():
    old = {"inference": "randomization inference: start dates reassigned"}
    assert plain_inference(old, DE) == old["inference"]
    newer = {"inference": "a method of its own", "inference_code": "from_a_newer_version"}
    assert plain_inference(newer, DE) == "a method of its own"
