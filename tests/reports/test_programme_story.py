"""One consistent story per programme (issue 14): the glance table's verdict, the page's claim
with its MDE and sensitivity sentences, the pre-trend check in words that match the chart, and
the synthetic comparison, read back from the PDF (pypdf) and from the page's paragraphs.

The evaluations are SPEC §7 documents as `evaluate_panel` writes them with randomization
inference (universal-base event study: no row at −1).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from evaluation.caveat_codes import Caveat
from reports.committee_report import build_report
from reports.effect_words import effect_sentences, judgement, mde_sentence, sensitivity_sentences
from reports.formatting import LocaleFormat
from reports.messages import Messages
from reports.pretrend_words import deviating_leads, pretrend_sentences
from reports.program_sections import program_page
from reports.programme_glance import verdict_cell
from reports.report_data import ProgramSection
from reports.report_layout import Layout
from tests.reports.test_committee_report import glance_rows, read_pages, sample_report_data
from tests.reports.test_committee_report_sections import words

DE = Layout(Messages("de"), LocaleFormat("de"), 480)
EN = Layout(Messages("en"), LocaleFormat("en"), 480)
METHOD = "relative magnitudes (Rambachan & Roth 2023)"
RI = (
    "randomization inference: start periods reassigned across units (1999 random "
    "reassignments); statistic: the ATT over its small-cohort-corrected standard error; 95 % "
    "interval by inverting the test of a constant effect"
)


def staggered(
    estimate: float,
    ci: list[float | None],
    pvalue: float,
    *,
    n_treated: int = 6,
    mde: float | None = 0.79,
    mbar: float | None = None,
    sensitivity_reason: str | None = "not_significant",
    pretrend: tuple[float | None, bool, str | None] = (0.49, True, None),
    leads: dict[int, tuple[float, float, float]] | None = None,
    caveats: list[Caveat] | None = None,
) -> dict:
    """A randomization-inference result of Callaway & Sant'Anna; leads: rel_time → (estimate,
    low, high) for the periods before the start (default: three that cover zero)."""
    leads = leads or {-4: (0.1, -0.3, 0.5), -3: (-0.1, -0.4, 0.2), -2: (0.05, -0.3, 0.4)}
    rows = [{"rel_time": r, "estimate": e, "ci": [lo, hi]} for r, (e, lo, hi) in leads.items()]
    rows += [
        {"rel_time": r, "estimate": estimate, "ci": [estimate - 0.3, estimate + 0.3]}
        for r in range(3)
    ]
    p_pre, testable, reason = pretrend
    return {
        "indicator": "sgb2_quote",
        "indicator_name": "SGB-II-Quote",
        "indicator_unit": "%",
        "method": "staggered",
        "estimate": estimate,
        "se": 0.28,
        "ci": ci,
        "pvalue": pvalue,
        "inference": RI,
        "n_treated": n_treated,
        "n_control": 23 - n_treated,
        "cohorts": {"2019": [f"SR{i:02d}" for i in range(1, n_treated + 1)]},
        "pretrend_pvalue": p_pre,
        "pretrend": {"pvalue": p_pre, "testable": testable, "reason": reason},
        "mde": {
            "effect": mde,
            "power": 0.8,
            "alpha": 0.05,
            "reason": None if mde is not None else "too_few_assignments",
        },
        "sensitivity": {
            "breakdown_mbar": mbar,
            "method": METHOD,
            "reason": None if mbar is not None else sensitivity_reason,
        },
        "event_study": rows,
        "caveats": [c.to_dict() for c in caveats or []],
        "method_reason": None,
    }


def synthetic(poor_fit: bool = False) -> dict:
    """A synthetic DiD result for one district (SR03) with 8 donors."""
    donors = [
        {"unit": f"SR{i:02d}", "weight": w}
        for i, w in zip(
            (13, 11, 22, 9, 14, 10, 5, 7), (0.3, 0.2, 0.15, 0.1, 0.1, 0.07, 0.05, 0.03), strict=True
        )
    ]
    trajectory = [
        {"time": year, "cohort": 2019, "treated": treated, "synthetic": synthetic}
        for year, treated, synthetic in (
            (2016, 31.6, 31.63),
            (2017, 31.2, 31.17),
            (2018, 30.7, 30.70),
            (2019, 29.3, 30.67),
            (2020, 29.5, 30.63),
        )
    ]
    poor = {"n_treated": 1, "start": "", "outcome": "sgb2_quote", "gap": 0.9, "ratio": 0.2}
    caveats = [Caveat("poor_fit", {**poor, "spread": 1.2}).to_dict()] if poor_fit else []
    return {
        "indicator": "sgb2_quote",
        "indicator_name": "SGB-II-Quote",
        "indicator_unit": "%",
        "method": "sdid",
        "estimate": -1.56,
        "se": 0.54,
        "ci": [-2.74, -0.39],
        "pvalue": 1 / 23,
        "inference": "randomization inference: all 23 placements of the treated districts' start "
        "periods on all districts, the treated districts serving as donors when the programme is "
        "placed elsewhere, the estimate recomputed from scratch each time",
        "n_treated": 1,
        "n_control": 22,
        "cohorts": {"2019": ["SR03"]},
        "pretrend_pvalue": None,
        "pretrend": {"pvalue": None, "testable": False, "reason": "synthetic_fit"},
        "mde": {"effect": 1.62, "power": 0.8, "alpha": 0.05, "reason": None},
        "sensitivity": {"breakdown_mbar": None, "method": METHOD, "reason": "no_event_study"},
        "event_study": [],
        "caveats": caveats,
        "method_reason": None,
        "donors": donors,
        "pre_rmse": 0.9 if poor_fit else 0.0234,
        "placebo_rank": 1,
        "trajectory": trajectory,
    }


# A lead whose interval excludes zero (period −4), the joint test passing.
LEAD = staggered(
    -1.02,
    [-1.40, -0.63],
    0.0005,
    mbar=1.43,
    leads={-4: (-0.6, -0.95, -0.25), -3: (-0.4, -0.96, 0.10), -2: (-0.2, -0.70, 0.29)},
)
PROGRAMMES = {
    "Jugendzentren": LEAD,
    "Schulsozialarbeit": staggered(-0.59, [-1.45, 0.27], 0.135, n_treated=5, mde=1.18),
    "Seniorentreffs": staggered(0.05, [None, None], 0.33, n_treated=2, mde=None),
    "Starke Quartiere": synthetic(),
}
NAMES = {"SR03": "Nord-Düren", "SR13": "Derichsweiler", "SR11": "Birgel", "SR22": "Merken"}


def page(evaluation: dict, layout: Layout = DE, program: str = "Jugendzentren") -> str:
    section = ProgramSection(program, [("2024", Decimal(10))], None, Decimal(10), evaluation, None)
    return words(program_page(section, layout, NAMES))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The sample city's report with these four programmes, in German and English."""
    base = sample_report_data()
    spending = base.programs[0].spending_by_period
    sections = [
        ProgramSection(name, spending, Decimal("150000"), Decimal("130500.25"), evaluation, None)
        for name, evaluation in PROGRAMMES.items()
    ]
    districts = [
        *base.districts,
        *(replace(base.districts[0], key=k, name=n) for k, n in NAMES.items()),
    ]
    data = replace(base, programs=sections, districts=districts)
    folder: Path = tmp_path_factory.mktemp("story")
    return {
        lang: read_pages(build_report(data, folder / f"{lang}.pdf", lang).file)
        for lang in ("de", "en")
    }


def program_text(pages: list[str], heading: str) -> str:
    return next(p for p in pages if p.startswith(heading))


def test_glance_table_gives_each_programme_one_verdict(reports):
    glance = reports["de"][1]
    rows = glance_rows(glance, list(PROGRAMMES), "Seniorentreffs: nicht prüfbar")
    assert (
        rows["Jugendzentren"]
        .rstrip()
        .endswith("Wirkung belegt; Vorsicht: Trends schon vor dem Start verschieden")
    )
    assert "sank um 1,0 (0,6 bis 1,4)" in rows["Jugendzentren"]
    assert "0,8" in rows["Jugendzentren"]  # the smallest detectable effect
    assert rows["Schulsozialarbeit"].rstrip().endswith("nicht von Zufall zu unterscheiden")
    assert "sank um 0,6 (-0,3 bis 1,5)" in rows["Schulsozialarbeit"]
    assert rows["Seniorentreffs"].rstrip().endswith("nicht prüfbar")
    assert "Intervall unbeschränkt" in rows["Seniorentreffs"]
    assert "Nord-Düren" in rows["Starke Quartiere"]  # one district: named, not counted
    assert rows["Starke Quartiere"].rstrip().endswith("Wirkung belegt")
    assert (
        "Seniorentreffs: nicht prüfbar, weil bei so wenigen geförderten Quartieren kein Ergebnis "
        "das 5-%-Niveau erreichen kann; das Intervall ist unbeschränkt." in glance
    )


def test_the_page_opens_with_the_glance_verdict_and_keeps_mde_and_sensitivity_by_the_claim(
    reports,
):
    text = program_text(reports["de"], "Programm: Jugendzentren")
    assert text.index("Urteil: Wirkung belegt") < text.index("Der Indikator SGB-II-Quote sank")
    assert (
        "Wirkungen kleiner als 0,8 Prozentpunkte lassen sich mit diesen 6 Quartieren nicht vom "
        "Zufall unterscheiden. Das Ergebnis hielte, solange die Trends nach dem Start höchstens "
        "1,4-mal so stark auseinanderliefen wie davor." in text
    )
    schule = program_text(reports["de"], "Programm: Schulsozialarbeit")
    assert "Urteil: nicht von Zufall zu unterscheiden" in schule
    assert "Der Unterschied kann gut zufällig sein (p = 0,14)." in schule
    assert "Wirkungen kleiner als 1,2 Prozentpunkte lassen sich mit diesen 5 Quartieren" in schule
    assert "auseinanderliefen" not in schule  # no sensitivity claim for a result called chance


def test_a_lead_whose_interval_excludes_zero_is_named_and_the_joint_test_not_called_clean(
    reports,
):
    text = program_text(reports["de"], "Programm: Jugendzentren")
    assert (
        "Vor dem Start wich Periode -4 deutlich ab: Ihr 95-%-Intervall im Diagramm schließt "
        "null aus. Zusammen betrachtet sind die Perioden vor dem Start nicht auffällig "
        "(p = 0,49)" in text
    )
    assert "Vor dem Beginn zeigen sich keine deutlichen Unterschiede" not in text
    assert "Bezugsperiode (−1)" in text  # the chart marks its reference period


def test_the_synthetic_did_page_shows_its_chart_donors_and_fit(reports):
    text = program_text(reports["de"], "Programm: Starke Quartiere")
    assert "Synthetischer Vergleich" in text
    assert (
        "Der Indikator SGB-II-Quote im geförderten Quartier und im synthetischen Vergleich, "
        "einem gewichteten Mittel von Quartieren ohne das Programm" in text
    )
    assert "gefördert" in text and "synthetischer Vergleich" in text  # the chart's legend
    assert "Derichsweiler (SR13) 30,0 %" in text
    assert "übrige 2 Quartiere 8,0 %" in text
    assert (
        "Anpassung vor dem Beginn: Der synthetische Vergleich lag im Mittel 0,023 "
        "Prozentpunkte neben dem geförderten Quartier" in text
    )
    assert "Der Vergleich bildet den Verlauf vor dem Beginn gut nach." in text
    assert "steht der echte Unterschied unter allen 23 Rechnungen auf Rang 1" in text
    assert (
        "Wirkungen kleiner als 1,6 Prozentpunkte lassen sich mit diesem einen Quartier nicht "
        "vom Zufall unterscheiden." in text
    )
    assert (
        "Ob sich die Quartiere vor dem Beginn parallel entwickelten, lässt sich nicht prüfen: "
        "Die synthetische Methode gleicht den Vergleich vor dem Start gerade an" in text
    )


def test_the_english_report_tells_the_same_story(reports):
    pages = reports["en"]
    rows = glance_rows(pages[1], list(PROGRAMMES), "Seniorentreffs: not testable")
    assert (
        rows["Jugendzentren"]
        .rstrip()
        .endswith("effect shown; caution: trends differed already before the start")
    )
    assert "fell by 1.0 (0.6 to 1.4)" in rows["Jugendzentren"]
    assert rows["Schulsozialarbeit"].rstrip().endswith("cannot be told apart from chance")
    assert rows["Seniorentreffs"].rstrip().endswith("not testable")
    youth = program_text(pages, "Program: Jugendzentren")
    assert (
        "Effects smaller than 0.8 percentage points cannot be told apart from chance with these "
        "6 districts. The result would hold as long as trends diverged after the start by at "
        "most 1.4 times as much as before it." in youth
    )
    assert "Before the start, period -4 deviated clearly" in youth
    assert "reference period (−1)" in youth
    strong = program_text(pages, "Program: Starke Quartiere")
    assert "Comparison made of" in strong and "Derichsweiler (SR13) 30.0%" in strong
    assert "Fit before the start: the synthetic comparison was on average 0.023" in strong


@pytest.mark.parametrize(
    ("pretrend", "expected"),
    [
        (
            (None, False, "no_pre_periods"),
            "lässt sich nicht prüfen: Vor der Bezugsperiode gibt es keine Periode, mit der sich "
            "vergleichen ließe.",
        ),
        (
            (None, False, "too_few_assignments"),
            "lässt sich nicht prüfen: Es gibt zu wenige Möglichkeiten, die Startzeitpunkte auf "
            "die Quartiere zu verteilen, als dass ein Test das 10-%-Niveau erreichen könnte.",
        ),
        (
            (None, False, "not_computed"),
            "lässt sich nicht prüfen: Die gewählte Methode berechnet keinen solchen Test.",
        ),
        (
            (0.49, True, None),
            "Vor dem Beginn zeigen sich keine deutlichen Unterschiede in der Entwicklung "
            "(p = 0,49).",
        ),
    ],
)
def test_the_pretrend_paragraph_says_why_it_is_not_testable(pretrend, expected):
    evaluation = staggered(-1.0, [-1.4, -0.6], 0.001, pretrend=pretrend)
    assert expected in " ".join(pretrend_sentences(evaluation, DE))
    assert "p = 1" not in " ".join(pretrend_sentences(evaluation, DE))


def test_an_alarm_without_any_deviating_period_says_so_instead_of_contradicting_the_chart():
    evaluation = staggered(-1.0, [-1.4, -0.6], 0.001, pretrend=(0.04, True, None))
    assert deviating_leads(evaluation["event_study"]) == []
    text = " ".join(pretrend_sentences(evaluation, DE))
    assert text.startswith("Schon vor dem Beginn entwickelten sich geförderte und")
    assert "(p = 0,04); die Annahme paralleler Trends ist zweifelhaft." in text
    assert "Keine einzelne Periode vor dem Start weicht für sich deutlich ab" in text


def test_an_alarm_with_deviating_periods_names_them_and_the_caveat_is_not_repeated():
    alarm = Caveat("pretrend_rejected", {"p": 0.012, "alpha": 0.1})
    evaluation = staggered(
        -1.0,
        [-1.4, -0.6],
        0.001,
        pretrend=(0.012, True, None),
        leads={-4: (0.6, 0.2, 1.0), -3: (0.5, 0.1, 0.9), -2: (0.1, -0.2, 0.4)},
        caveats=[alarm],
    )
    text = page(evaluation)
    assert "Vor dem Start wichen die Perioden -4 und -3 deutlich ab" in text
    assert text.count("die Annahme paralleler Trends ist zweifelhaft") == 1


def test_the_verdict_follows_p_and_the_interval_together():
    assert judgement(staggered(-1.0, [-1.4, -0.6], 0.05)) == "shown"
    # significant by its p-value, but the interval covers zero: not called unlikely chance
    mixed = staggered(-0.5, [-1.1, 0.1], 0.03)
    assert judgement(mixed) == "chance"
    assert "Zufallsbefund ist unwahrscheinlich" not in " ".join(effect_sentences(mixed, "X", DE))
    assert judgement(staggered(0.05, [None, None], 0.33)) == "untestable"
    assert judgement({**staggered(-1.0, [-1.4, -0.6], 0.01), "estimate": None}) == "untestable"
    assert judgement(None) == "untestable"
    unbounded = " ".join(effect_sentences(staggered(0.3, [None, None], 0.33), "X", DE))
    assert "ein Intervall lässt sich nicht begrenzen" in unbounded
    assert "unbekannt" not in unbounded


def test_mde_and_sensitivity_sentences_for_every_case():
    one = mde_sentence(staggered(-1.0, [-1.4, -0.6], 0.001, n_treated=1, mde=0.84), DE)
    assert one == (
        "Wirkungen kleiner als 0,8 Prozentpunkte lassen sich mit diesem einen Quartier nicht "
        "vom Zufall unterscheiden."
    )
    none = mde_sentence(staggered(0.1, [None, None], 0.5, n_treated=2, mde=None), DE)
    assert none is not None and none.startswith("Mit diesen 2 Quartieren lässt sich keine Wirkung")
    fragile = sensitivity_sentences(staggered(-1.0, [-1.4, -0.6], 0.001, mbar=0.2), DE)
    assert fragile == [
        "Das Ergebnis hielte, solange die Trends nach dem Start höchstens 0,2-mal so stark "
        "auseinanderliefen wie davor.",
        "Das ist wenig: Schon ein schwächeres Auseinanderlaufen als vor dem Start könnte den "
        "Befund erklären.",
    ]
    covers = staggered(-1.0, [-1.4, -0.6], 0.001, sensitivity_reason="robust_interval_covers_zero")
    assert sensitivity_sentences(covers, DE)[0].startswith(
        "Gegen nicht parallele Trends ist das Ergebnis nicht abgesichert"
    )
    assert sensitivity_sentences(staggered(-0.5, [-1.1, 0.1], 0.2), DE) == []
    assert sensitivity_sentences(staggered(-1.0, [-1.4, -0.6], 0.001, mbar=1.43), EN) == [
        "The result would hold as long as trends diverged after the start by at most 1.4 times "
        "as much as before it."
    ]


def test_a_poor_synthetic_fit_is_said_beside_the_donors_and_not_again_as_a_caveat():
    text = page(synthetic(poor_fit=True), program="Starke Quartiere")
    assert "im Mittel 0,90 Prozentpunkte neben dem geförderten Quartier" in text
    assert "Der Vergleich bildet den Verlauf vor dem Beginn schlecht nach" in text
    assert "bildet die geförderten Quartiere schlecht nach" not in text  # the caveat's words


@pytest.mark.parametrize(
    ("mbar", "ending"),
    [
        (
            0.6,
            "Wirkung belegt; Vorsicht: hielte schon schwächeren Trendunterschieden als vor dem "
            "Start nicht stand",
        ),
        (1.4, "Wirkung belegt"),
        (None, "Wirkung belegt"),
    ],
)
def test_the_glance_verdict_warns_where_the_effect_breaks_down_below_an_mbar_of_one(mbar, ending):
    shown = staggered(-1.02, [-1.40, -0.63], 0.0005, mbar=mbar, sensitivity_reason=None)
    assert verdict_cell(shown, DE) == ending
    # A result not shown is not called fragile: it claims nothing.
    chance = staggered(-0.59, [-1.45, 0.27], 0.135, mbar=0.6, sensitivity_reason=None)
    assert verdict_cell(chance, DE) == "nicht von Zufall zu unterscheiden"
