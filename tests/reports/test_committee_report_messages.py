"""The message catalogue: complete in both languages, and it words every caveat of the statistics.

The caveats are produced by the real evaluation code (not copied here) and arrive as codes with
their values: every code the evaluation can emit has a message in both catalogues whose
placeholders its values fill, so no caveat reaches the committee in English.
"""

from __future__ import annotations

import gettext
import io
import re
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from evaluation.caveat_codes import ENGLISH, Caveat, CaveatError, catalogue_key
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
from reports.messages import LANGUAGES, Messages, catalogue, catalogue_path, placeholders
from reports.overview_sections import VERDICTS

REPORTS = Path(__file__).resolve().parents[2] / "reports"
DE, EN = Messages("de"), Messages("en")
FMT = LocaleFormat("de")


CATALOGUE = {lang: catalogue(lang) for lang in LANGUAGES}


def _po_messages(lang: str) -> dict[str, object]:
    """The messages of one .po file as written (header left out), empty ones included."""
    with catalogue_path(lang).open("rb") as handle:
        parsed = read_po(handle, locale=lang, abort_invalid=True)
    return {str(m.id): m for m in parsed if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_po_file_is_well_formed_and_reads_with_gettext(lang):
    source = catalogue_path(lang).read_text("utf-8")
    ids = Counter(re.findall(r'^msgid "(.+)"$', source, re.M))
    assert [key for key, count in ids.items() if count > 1] == []
    with catalogue_path(lang).open("rb") as handle:
        parsed = read_po(handle, locale=lang, abort_invalid=True)
    assert str(parsed.locale) == lang
    # Only newlines: click's backspace marker and the like are added in code, not written here.
    assert [m.id for m in parsed if re.search(r"[\x00-\x09\x0b-\x1f]", str(m.string))] == []
    compiled = io.BytesIO()
    write_mo(compiled, parsed)
    compiled.seek(0)
    translations = gettext.GNUTranslations(compiled)
    assert translations.gettext("footer.page") == catalogue(lang)["footer.page"]


def test_every_message_id_has_a_translation_in_both_languages():
    german, english = _po_messages("de"), _po_messages("en")
    assert set(german) == set(english)
    assert len(german) > 300
    for lang, messages in (("de", german), ("en", english)):
        untranslated = [key for key, m in messages.items() if not str(m.string).strip()]
        fuzzy = [key for key, m in messages.items() if m.fuzzy]
        assert (lang, untranslated, fuzzy) == (lang, [], [])


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


def _evaluation_caveats() -> list[Caveat]:
    """Every caveat that evaluation.did.warnings can produce (with sample numbers)."""
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


@pytest.mark.parametrize("caveat", _evaluation_caveats(), ids=lambda c: c.code)
def test_every_caveat_of_the_did_warnings_is_translated(caveat):
    german = plain_caveat(caveat, DE, FMT)
    assert german != caveat.english
    assert plain_caveat(caveat, EN, LocaleFormat("en")) != caveat.english
    assert set(placeholders(CATALOGUE["de"][catalogue_key(caveat.code)])) <= set(caveat.values)


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_every_code_the_evaluation_can_emit_has_a_message_in_both_languages(code):
    """ENGLISH is the table of every code; a str template names the values the code carries,
    and the catalogue may use any of them (a function template: checked on real caveats)."""
    key = catalogue_key(code)
    assert key in CATALOGUE["de"] and key in CATALOGUE["en"]
    wanted = placeholders(CATALOGUE["de"][key])
    assert wanted == placeholders(CATALOGUE["en"][key])
    template = ENGLISH[code]
    if isinstance(template, str):
        assert wanted <= placeholders(template), (code, wanted)


def test_every_code_of_the_table_is_emitted_somewhere():
    """No dead codes: each is written as a literal where its condition is detected."""
    root = REPORTS.parent
    sources = "".join(
        path.read_text("utf-8")
        for folder in ("evaluation", "monitor", "ledger")
        for path in (root / folder).rglob("*.py")
        if path.name != "caveat_codes.py"
    )
    assert [code for code in ENGLISH if f'"{code}"' not in sources] == []


def test_no_module_recognises_caveats_by_their_wording():
    """The caveats travel as codes: nothing in reports/ or monitor/ matches their text, and the
    table of regular expressions that did so is gone."""
    root = REPORTS.parent
    for folder in ("reports", "monitor", "evaluation"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text("utf-8")
            assert not re.search(r"\b(recognise|coded)\(", text), path
            assert not re.search(r"\bCAVEATS\b", text), path
    assert "import re" not in (root / "evaluation" / "caveat_codes.py").read_text("utf-8")


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


def test_the_estimators_caveats_reason_and_inference_are_translated():
    result = evaluate_panel(_panel({1: 3, 2: 3, 3: 4}), "y", "unit", "time", "cohort")
    assert result.caveats
    assert result.warnings == tuple(c.english for c in result.caveats)
    for caveat in result.caveats:
        assert plain_caveat(caveat, DE, FMT) != caveat.english
    assert result.reason == Caveat("auto_staggered", {"n": 3, "minimum": 3})
    assert result.method_reason == result.reason.english
    assert plain_caveat(result.reason, DE, FMT).startswith("3 geförderte Quartiere")
    assert plain_inference(result.to_dict(), DE).startswith("Randomisierungsinferenz: Die Start")
    options = EvaluationOptions(inference="analytic")
    result = evaluate_panel(_panel({1: 3, 2: 3, 3: 4}), "y", "unit", "time", "cohort", options)
    for caveat in result.caveats:
        assert plain_caveat(caveat, DE, FMT) != caveat.english
    assert plain_inference(result.to_dict(), DE).startswith("Standardfehler aus den")
    # evaluate_panel corrects the variance of small cohorts: the committee reads that, not a
    # claim that their uncertainty is understated.
    assert plain_inference(result.to_dict(), DE).endswith("mit Korrektur für kleine Jahrgänge")
    (small,) = [c for c in result.caveats if c.code == "small_cohorts"]
    assert small.values["corrected"] is True and small.values["n"] == 5
    assert "small-cohort correction" in small.english
    assert plain_caveat(small, DE, FMT).endswith("korrigiert, bleiben aber Näherungen.")


def test_synthetic_did_caveats_reason_and_inference_are_translated():
    result = evaluate_panel(_panel({1: 3, 2: 4}), "y", "unit", "time", "cohort")
    assert result.method == "sdid"
    assert result.caveats
    for caveat in result.caveats:
        assert plain_caveat(caveat, DE, FMT) != caveat.english
    assert result.reason == Caveat("auto_sdid", {"n": 2, "districts": "1, 2"})
    assert plain_caveat(result.reason, DE, FMT).startswith(
        "Nur 2 geförderte(s) Quartier(e) (1, 2), daher synthetische"
    )
    assert plain_inference(result.to_dict(), DE).startswith("Randomisierungsinferenz: Die Start")


def test_the_reason_why_no_estimate_exists_is_translated():
    with pytest.raises(CaveatError) as refused:
        evaluate_panel(_panel({1: 1, 2: 1}), "y", "unit", "time", "cohort")
    assert refused.value.caveat == Caveat("treated_from_start")
    assert str(refused.value) == refused.value.caveat.english  # the English message is kept
    assert plain_caveat(refused.value.caveat, DE, FMT).startswith("Alle geförderten Quartiere")
    unavailable = MethodUnavailable(Caveat("no_treated"))
    assert isinstance(unavailable, ValueError)
    assert plain_caveat(unavailable.caveat, DE, FMT).startswith("Kein gefördertes Quartier")


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
    assert result.caveats == (Caveat("few_districts_targeting", {"n": 5}),)
    assert result.warnings[0].startswith("Only 5 districts:")
    assert plain_caveat(result.caveats[0], DE, FMT).startswith("Nur 5 Quartiere:")
    assert result.to_dict()["caveats"][0]["values"] == {"n": 5}


def test_an_old_documents_english_sentence_or_an_unknown_code_is_shown_as_given():
    assert plain_caveat("Something new.", DE, FMT) == "Something new."
    newer = {"code": "from_a_newer_version", "values": {}, "text": "Something newer."}
    assert plain_caveat(newer, DE, FMT) == "Something newer."
    assert plain_inference({"inference": "a method of its own"}, DE) == "a method of its own"


def test_the_panel_preparation_caveats_are_translated():
    panel = _panel({1: 3, 2: 1, 3: 9})  # 2 treated from the start, 3 only after the last period
    panel = panel[~((panel["unit"] == 4) & (panel["time"] == 2))]  # unbalanced
    notes = prepare_staggered_panel(panel, "y", "unit", "time", "cohort", "never").caveats
    assert [c.code for c in notes] == ["balanced", "late_start", "treated_first_period"]
    assert notes[0].values == {"n": 4, "units": 1, "periods": 5}
    for note in notes:
        assert plain_caveat(note, DE, FMT) != note.english
    no_controls = prepare_staggered_panel(
        _panel({u: 3 if u < 5 else 4 for u in range(1, 9)}),
        "y",
        "unit",
        "time",
        "cohort",
        "notyet",
    ).caveats
    assert no_controls[0] == Caveat("last_cohort_control", {"cohort": "4"})
    assert plain_caveat(no_controls[0], DE, FMT).startswith("Kein Quartier bleibt ohne Förderung")


def test_every_kind_of_caveat_has_a_gist_for_the_glance_page():
    kinds = {key for key in CATALOGUE["de"] if key.startswith("caveat.")}
    assert kinds == set(CAVEAT_GISTS)
    assert set(CAVEAT_GISTS.values()) <= set(CATALOGUE["de"])
    assert caveat_gist(caveats.no_never_treated()) == "gist.no_never_treated"
    assert caveat_gist("Something new.") is None


def test_the_reasons_the_report_gives_itself_are_translated():
    assert plain_caveat(Caveat("no_district_spending"), DE, FMT).startswith(
        "Die Ausgaben des Programms sind keinem Quartier zugeordnet"
    )
    missing = Caveat("no_indicator_values", {"indicator": "sgb2_quote", "known": "none"})
    assert missing.english == "no values for indicator 'sgb2_quote'; known indicators: none"
    assert (
        plain_caveat(missing, DE, FMT)
        == "Für den Indikator sgb2_quote sind keine Werte importiert."
    )
    withheld = Caveat("withheld_small", {"districts": "S07, S09", "n": 300})
    assert plain_caveat(withheld.to_dict(), DE, FMT).startswith(
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


def test_the_po_files_are_package_data_so_that_pip_install_ships_them():
    project = tomllib.loads((REPORTS.parent / "pyproject.toml").read_text("utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["reports"]
    shipped = {path for pattern in patterns for path in REPORTS.glob(pattern)}
    assert {catalogue_path(lang) for lang in LANGUAGES} <= shipped
