"""Section builders on their own: the effect in words, program pages in their edge cases."""

from __future__ import annotations

import re
from decimal import Decimal

from reportlab.platypus import Flowable, KeepInFrame, KeepTogether, Paragraph, Table

from evaluation.caveat_codes import Caveat
from reports.effect_words import effect_sentences
from reports.formatting import LocaleFormat
from reports.messages import Messages
from reports.overview_sections import targeting_sentences
from reports.program_sections import program_page
from reports.report_data import ProgramSection
from reports.report_layout import Layout

DE = Layout(Messages("de"), LocaleFormat("de"), 480)
EN = Layout(Messages("en"), LocaleFormat("en"), 480)


def words(flowables: list[Flowable]) -> str:
    """The text of every paragraph, also inside KeepTogether, KeepInFrame (a program page
    shrinks to its page) and tables (cells row by row), no-break spaces as spaces."""
    found: list[str] = []
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            found.append(flowable.getPlainText())
        elif isinstance(flowable, KeepTogether | KeepInFrame):
            found.append(words(flowable._content))
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:
                for cell in row:
                    found.append(words(cell if isinstance(cell, list) else [cell]))
    return re.sub(r"\s+", " ", " ".join(found).replace("\xa0", " "))


def estimate(value: float, ci: list[float], pvalue: float | None, **extra: object) -> dict:
    return {
        "indicator": "sgb2_quote",
        "estimate": value,
        "se": (ci[1] - ci[0]) / 3.92,
        "ci": ci,
        "pvalue": pvalue,
        **extra,
    }


def test_a_rise_whose_interval_includes_zero_is_called_possibly_chance():
    text = " ".join(effect_sentences(estimate(0.11, [-0.23, 0.45], 0.54), "Familienzentren", DE))
    assert text == (
        "Der Indikator sgb2_quote stieg in den Quartieren mit dem Programm Familienzentren um "
        "0,1 mehr als in vergleichbaren Quartieren ohne das Programm (95-%-Intervall -0,2 bis "
        "0,5). Der Unterschied kann gut zufällig sein (p = 0,54). Das Intervall schließt auch "
        "„keine Wirkung“ ein."
    )


def test_a_fall_is_told_with_its_interval_turned_the_same_way():
    evaluation = estimate(
        -1.0, [-1.4, -0.7], 0.07, indicator_name="Kinderarmut", indicator_unit="%"
    )
    text = " ".join(effect_sentences(evaluation, "Jugendzentren", DE))
    assert "sank in den Quartieren mit dem Programm Jugendzentren um 1,0 Prozentpunkte mehr" in text
    assert "(95-%-Intervall 0,7 bis 1,4)" in text
    assert "Das ist ein schwacher Hinweis; Zufall lässt sich nicht ausschließen (p = 0,07)." in text


def test_other_units_and_an_estimate_that_rounds_to_zero():
    text = " ".join(
        effect_sentences(
            estimate(0.004, [-0.2, 0.2], None, indicator_unit="Fälle je 1.000"),
            "Seniorentreffs",
            DE,
        )
    )
    assert "entwickelte sich in den Quartieren mit dem Programm Seniorentreffs wie in " in text
    assert "Wie sicher dieser Unterschied ist, lässt sich nicht beziffern." in text
    rise = effect_sentences(
        estimate(2.5, [1.0, 4.0], 0.001, indicator_unit="Fälle je 1.000"), "X", DE
    )[0]
    assert "um 2,5 Fälle je 1.000 mehr" in rise


def test_english_effect_sentence():
    text = " ".join(
        effect_sentences(
            estimate(-1.03, [-1.38, -0.68], 0.0002, indicator_unit="%"), "Jugendzentren", EN
        )
    )
    assert text.startswith("The indicator sgb2_quote fell by 1.0 percentage points more")
    assert "(95 % interval 0.7 to 1.4). A chance finding is unlikely (p < 0.001)." in text


def test_a_program_without_periods_or_evaluation():
    section = ProgramSection(
        "Sozialraumplanung", [("2024", Decimal(0))], Decimal(0), Decimal(0), None, None
    )
    text = words(program_page(section, DE))
    assert "Haushaltsansatz (Plan): 0,00 €; ausgegeben: 0,00 €." in text
    assert "Keine Ausgaben des Programms nach Perioden." in text
    assert "Für dieses Programm liegt keine Wirkungsschätzung vor." in text


def test_an_event_study_with_its_own_period_minus_one_and_a_failed_pretrend():
    evaluation = estimate(
        -0.5,
        [-0.9, -0.1],
        0.02,
        method="staggered",
        n_treated=5,
        n_control=18,
        pretrend_pvalue=0.0004,
        event_study=[
            {"rel_time": r, "estimate": 0.1 * r, "ci": [0.1 * r - 0.3, 0.1 * r + 0.3]}
            for r in range(-3, 3)
        ],
        caveats=[Caveat("pretrend_rejected", {"p": 0.0004, "alpha": 0.1}).to_dict()],
    )
    section = ProgramSection(
        "Familienzentren", [("2024", Decimal(10))], None, Decimal(10), evaluation, None
    )
    text = words(program_page(section, DE))
    assert "vor dem Beginn vergleicht jeder Punkt eine Periode mit der vorangehenden" in text
    assert text.count("die Annahme paralleler Trends ist zweifelhaft") == 1
    assert "Die Auswertung meldet keine besonderen Einschränkungen." in text
    assert "Methode: Differenz-von-Differenzen nach Callaway & Sant'Anna (2021)." in text


def test_targeting_that_cannot_be_assessed_says_only_that():
    document = {
        "verdict_code": "not_assessable",
        "verdict": "Targeting cannot be assessed",
        "spearman": None,
        "spearman_ci": [None, None],
    }
    assert targeting_sentences(document, DE) == [Messages("de")("verdict.not_assessable")]
    assert targeting_sentences(None, DE) == [Messages("de")("glance.no_targeting")]
    assert targeting_sentences({"verdict_code": "new", "verdict": "As given."}, DE) == ["As given."]
