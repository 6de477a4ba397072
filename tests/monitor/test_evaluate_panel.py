"""`budget-monitor evaluate --panel`: the CLI reports what the Python API computes, to 1e-12.

Reference numbers: Callaway & Sant'Anna's mpdta with R `did` (att_gt + aggte "simple", never
treated, analytic errors), tests/data/did-reference/ref_aggte.csv, scenario mpdta_nev_dr. The
product's default inference is randomization inference (evaluation/did/staggered_randomization
.py); the analytic errors with the small-cohort correction are `--inference analytic`, and R's
own numbers `--small-sample none` (`staggered(..., small_sample=None)`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook

from evaluation.did import event_study, staggered, synthetic_did, twfe
from evaluation.did.staggered_randomization import staggered_randomization
from evaluation.panel_evaluation import EvaluationOptions, OptionConflict, evaluate_panel
from monitor.cli import cli
from reports.messages import LANGUAGES
from tests.catalogue_words import unworded

MPDTA = Path(__file__).parents[1] / "data" / "did-reference" / "mpdta.csv"
COLUMNS = ["--outcome", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first.treat"]
TOL = 1e-12
# R did, aggte(type = "simple") on mpdta, never-treated controls (ref_aggte.csv, mpdta_nev_dr).
R_SIMPLE_ATT = -0.0399512751551763
R_SIMPLE_SE = 0.0120340127701854
# The document of SPEC §7, in its order; further keys may follow.
SPEC_KEYS = [
    "indicator",
    "program",
    "method",
    "estimate",
    "se",
    "ci",
    "pvalue",
    "inference",
    "n_treated",
    "n_control",
    "cohorts",
    "pretrend_pvalue",
    "event_study",
    "warnings",
]


def run(*args: str | Path, expect: int) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == expect, (result.exit_code, result.stdout, result.stderr)
    if expect == 1:
        assert "Traceback" not in result.stderr
    return result


def evaluate_json(panel: Path, *args: str) -> dict:
    """The JSON document; NaN or infinity in it would make json.loads fail here."""
    result = run("--json", "evaluate", "--panel", panel, *args, expect=0)
    return json.loads(result.stdout, parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> float:
    raise AssertionError(f"{name} is not JSON")


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(MPDTA)


def _close(got: float | None, expected: float) -> None:
    assert got is not None
    assert got == pytest.approx(expected, abs=TOL, rel=0)


def _assert_event_study(got: list[dict], rel_time, estimate, ci_low, ci_high) -> None:
    assert [row["rel_time"] for row in got] == [int(e) for e in rel_time]
    np.testing.assert_allclose([r["estimate"] for r in got], estimate, rtol=0, atol=TOL)
    np.testing.assert_allclose([r["ci"][0] for r in got], ci_low, rtol=0, atol=TOL)
    np.testing.assert_allclose([r["ci"][1] for r in got], ci_high, rtol=0, atol=TOL)


def test_auto_on_mpdta_is_callaway_santanna_with_randomization_inference_as_the_api(mpdta):
    got = evaluate_json(MPDTA, *COLUMNS)
    # The file's unit ids are text to the CLI; random reassignments follow the units' order.
    as_read = mpdta.assign(countyreal=mpdta["countyreal"].astype(str))
    api = staggered_randomization(as_read, "lemp", "countyreal", "year", "first.treat")

    assert list(got)[: len(SPEC_KEYS)] == SPEC_KEYS
    assert got["method"] == "staggered"
    assert got["inference"] == api.inference
    assert got["inference"].startswith("randomization inference")
    _close(got["estimate"], R_SIMPLE_ATT)
    for key, expected in [("estimate", api.estimate), ("se", api.se), ("pvalue", api.pvalue)]:
        _close(got[key], expected)
    _close(got["ci"][0], api.ci_low)
    _close(got["ci"][1], api.ci_high)
    assert got["pretrend"] == {"pvalue": api.pretrend.pvalue, "testable": True, "reason": None}
    assert got["pretrend_pvalue"] == got["pretrend"]["pvalue"]
    _close(got["mde"]["effect"], api.mde.effect)
    assert (got["mde"]["power"], got["mde"]["alpha"]) == (0.8, 0.05)
    assert got["sensitivity"]["method"] == "relative magnitudes (Rambachan & Roth 2023)"
    assert 0 < got["sensitivity"]["breakdown_mbar"] < 5
    # Caveats are data: a code, its values, and the text in German (the default language).
    (caveat,) = got["caveats"]
    assert (caveat["code"], caveat["values"]) == ("few_pre_periods", {"n": 2, "cohorts": "2004: 1"})
    assert caveat["text"].startswith("Für manche Startjahrgänge gibt es weniger als 2 Perioden")
    _assert_same_caveats(got, api)
    assert (got["n_treated"], got["n_control"]) == (191, 309)
    events = api.event_time
    _assert_event_study(
        got["event_study"], events.rel_time, events.att, events.ci_low, events.ci_high
    )


def test_inference_analytic_on_mpdta_is_the_corrected_influence_function_variance(mpdta):
    got = evaluate_json(MPDTA, *COLUMNS, "--inference", "analytic")
    api = staggered(mpdta, "lemp", "countyreal", "year", "first.treat", "never", "simple")
    r_did = staggered(
        mpdta, "lemp", "countyreal", "year", "first.treat", "never", "simple", small_sample=None
    )

    assert list(got)[: len(SPEC_KEYS)] == SPEC_KEYS
    assert got["method"] == "staggered"
    assert got["indicator"] == "lemp"
    assert got["program"] is None
    _close(got["estimate"], R_SIMPLE_ATT)
    # R's variance is reachable and exact; the default is larger, slightly with cohorts of 20+.
    _close(r_did.se, R_SIMPLE_SE)
    assert R_SIMPLE_SE < got["se"] < 1.02 * R_SIMPLE_SE
    assert "small-cohort correction" in got["inference"]
    for key, expected in [
        ("estimate", api.estimate),
        ("se", api.se),
        ("pvalue", api.pvalue),
        ("pretrend_pvalue", api.pretrend_pvalue),
    ]:
        _close(got[key], expected)
    _close(got["ci"][0], api.ci_low)
    _close(got["ci"][1], api.ci_high)
    assert (got["n_treated"], got["n_control"]) == (api.n_treated, api.n_control) == (191, 309)
    assert got["inference"] == api.inference
    _assert_same_caveats(got, api)
    events = api.event_time
    _assert_event_study(
        got["event_study"], events.rel_time, events.att, events.ci_low, events.ci_high
    )


def test_small_sample_none_reproduces_r_did_from_the_command_line(mpdta):
    got = evaluate_json(MPDTA, *COLUMNS, "--small-sample", "none")
    r_did = staggered(
        mpdta, "lemp", "countyreal", "year", "first.treat", "never", "simple", small_sample=None
    )
    _close(got["estimate"], R_SIMPLE_ATT)
    _close(got["se"], R_SIMPLE_SE)
    assert "no small-sample correction" in got["inference"]
    _close(got["ci"][0], r_did.ci_low)
    _close(got["ci"][1], r_did.ci_high)
    _close(got["pvalue"], r_did.pvalue)
    events = r_did.event_time
    _assert_event_study(
        got["event_study"], events.rel_time, events.att, events.ci_low, events.ci_high
    )
    corrected = evaluate_json(MPDTA, *COLUMNS, "--small-sample", "cohort")
    analytic = evaluate_json(MPDTA, *COLUMNS, "--inference", "analytic")
    assert corrected["se"] == analytic["se"] > got["se"]


def test_small_sample_is_an_option_of_staggered_only():
    result = run(
        "evaluate",
        "--panel",
        MPDTA,
        *COLUMNS,
        "--method",
        "twfe",
        "--small-sample",
        "none",
        expect=2,
    )
    assert "--small-sample gilt nur für die Methode staggered, nicht für twfe" in result.stderr


def test_an_unknown_small_sample_is_refused_through_the_api(mpdta):
    # The command line offers only the known choices; the Python API checks them itself.
    options = EvaluationOptions(small_sample="r")
    with pytest.raises(OptionConflict, match="small_sample must be one of cohort, none, not 'r'"):
        evaluate_panel(mpdta, "lemp", "countyreal", "year", "first.treat", options)


def test_cohorts_list_each_start_year_with_its_units_as_sorted_text(mpdta):
    got = evaluate_json(MPDTA, *COLUMNS)
    starts = mpdta.groupby("countyreal")["first.treat"].first()
    expected = {
        str(year): [str(u) for u in sorted(starts.index[starts == year])]
        for year in (2004, 2006, 2007)
    }
    assert got["cohorts"] == expected
    assert got["cohorts"]["2007"][:2] == ["8001", "8019"]  # numeric order, not text order


def test_not_yet_treated_controls_match_the_api(mpdta):
    got = evaluate_json(MPDTA, *COLUMNS, "--method", "staggered", "--control", "notyet")
    api = staggered(mpdta, "lemp", "countyreal", "year", "first.treat", "notyet", "simple")
    _close(got["estimate"], api.estimate)
    _close(got["se"], api.se)
    _close(got["pretrend_pvalue"], api.pretrend_pvalue)


def test_twfe_equals_the_api_on_the_cohort_dummy_clustered_by_unit(mpdta):
    got = evaluate_json(MPDTA, *COLUMNS, "--method", "twfe")
    start = mpdta["first.treat"]
    data = mpdta.assign(d=((start > 0) & (mpdta["year"] >= start)).astype(float))
    api = twfe(data, "lemp", "countyreal", "year", "d", cluster="countyreal", inference="auto")

    assert got["method"] == "twfe"
    for key, expected in [("estimate", api.estimate), ("se", api.se), ("pvalue", api.pvalue)]:
        _close(got[key], expected)
    _close(got["ci"][0], api.ci_low)
    _close(got["ci"][1], api.ci_high)
    assert got["inference"] == api.inference
    assert "CR1 cluster-robust by countyreal (500 clusters)" in got["inference"]
    _assert_same_caveats(got, api)
    assert (got["n_treated"], got["n_control"]) == (191, 309)
    assert got["pretrend_pvalue"] is None
    assert got["event_study"] == []


def test_twfe_wild_bootstrap_by_state_with_a_seed_equals_the_api(mpdta, tmp_path):
    data = mpdta.assign(state=mpdta["countyreal"] // 1000)
    panel = write_csv(tmp_path / "mpdta_states.csv", data)
    args = ("--method", "twfe", "--cluster", "state", "--inference", "wild", "--seed", "7")
    got = evaluate_json(panel, *COLUMNS, *args)
    # Ids are codes, read as text: the bootstrap draws follow their (text) order, so the API
    # gets the same text ids to draw the same weights for the same clusters.
    start = data["first.treat"]
    data = data.astype({"countyreal": str, "state": str})
    data = data.assign(d=((start > 0) & (data["year"] >= start)).astype(float))
    api = twfe(data, "lemp", "countyreal", "year", "d", cluster="state", inference="wild", seed=7)
    for key, expected in [("estimate", api.estimate), ("se", api.se), ("pvalue", api.pvalue)]:
        _close(got[key], expected)
    _close(got["ci"][0], api.ci_low)
    _close(got["ci"][1], api.ci_high)
    assert got["inference"] == api.inference
    assert "wild cluster bootstrap" in got["inference"] and "seed 7" in got["inference"]


def test_event_study_equals_the_api_with_its_window(mpdta):
    got = evaluate_json(MPDTA, *COLUMNS, "--method", "event", "--leads", "3", "--lags", "2")
    api = event_study(
        mpdta, "lemp", "countyreal", "year", "first.treat", leads=3, lags=2, cluster="countyreal"
    )
    assert got["method"] == "event"
    # An event study reports one effect per period, not one overall number.
    assert got["estimate"] is None and got["ci"] == [None, None] and got["pvalue"] is None
    coefficients = api.coefficients
    _assert_event_study(
        got["event_study"],
        coefficients.rel_time,
        coefficients.estimate,
        coefficients.ci_low,
        coefficients.ci_high,
    )
    assert [row["rel_time"] for row in got["event_study"]] == [-3, -2, 0, 1, 2]
    _close(got["pretrend_pvalue"], api.pretrend_pvalue)
    assert got["inference"] == api.inference
    _assert_same_caveats(got, api)


def test_event_study_without_leads_to_test_gives_a_null_pretrend_pvalue():
    got = evaluate_json(MPDTA, *COLUMNS, "--method", "event", "--leads", "1")
    assert got["pretrend_pvalue"] is None
    assert "no_pretrend_test" in [c["code"] for c in got["caveats"]]


def _assert_same_caveats(got: dict, api) -> None:
    """The CLI's caveats are the API's (codes and values); `warnings` are their texts in the
    chosen language (German by default), the API's stay English."""
    assert [(c["code"], c["values"]) for c in got["caveats"]] == [
        (c.code, dict(c.values)) for c in api.caveats
    ]
    assert got["warnings"] == [c["text"] for c in got["caveats"]]


def _write_mpdta_workbook(path: Path, mpdta: pd.DataFrame) -> Path:
    """A notes sheet first, then the panel below a title and a blank line; ids as numbers."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["Minimum wage panel, Callaway & Sant'Anna (2021)"])
    sheet = workbook.create_sheet("Panel")
    sheet.append(["County teen employment 2003-2007"])
    sheet.append([])
    columns = ["year", "countyreal", "lemp", "first.treat"]
    sheet.append(columns)
    for row in mpdta[columns].itertuples(index=False):
        sheet.append([int(row[0]), int(row[1]), float(row[2]), int(row[3])])
    workbook.save(path)
    return path


def test_xlsx_panel_below_a_title_on_a_later_sheet_gives_the_csv_result(mpdta, tmp_path):
    workbook = _write_mpdta_workbook(tmp_path / "mpdta.xlsx", mpdta)
    from_csv = evaluate_json(MPDTA, *COLUMNS)
    from_xlsx = evaluate_json(workbook, *COLUMNS)
    assert from_xlsx["panel"] == {"file": str(workbook), "sheet": "Panel", "header_row": 3}
    for key in ("estimate", "se", "pvalue", "pretrend_pvalue"):
        _close(from_xlsx[key], from_csv[key])
    assert from_xlsx["cohorts"] == from_csv["cohorts"]
    assert from_xlsx["warnings"] == from_csv["warnings"]


def test_german_csv_with_decimal_commas_gives_the_same_estimate(mpdta, tmp_path):
    german = tmp_path / "panel_de.csv"
    text = mpdta[["year", "countyreal", "lemp", "first.treat"]].to_csv(
        sep=";", decimal=",", index=False
    )
    german.write_bytes(text.encode("cp1252"))
    got = evaluate_json(german, *COLUMNS)
    _close(got["estimate"], R_SIMPLE_ATT)
    _close(got["se"], evaluate_json(MPDTA, *COLUMNS)["se"])


def test_plain_output_states_effect_interval_pvalue_inference_and_warnings():
    result = run("evaluate", "--panel", MPDTA, *COLUMNS, "--inference", "analytic", expect=0)
    out = " ".join(result.stdout.split())
    assert "Wirkung auf lemp" in out
    assert "-0,04; Standardfehler 0,012; 95-%-Intervall -0,06 bis -0,02; p = 0,001" in out
    assert "Geförderte Quartiere: 191; Vergleichsquartiere: 309" in out
    assert "2004 (20: 17005, 17015, 17025, 17035, 17047, 17049 …)" in out
    assert "Standardfehler aus den Einflussfunktionen" in out
    assert "Korrektur für kleine Jahrgänge" in out
    assert "Entwicklung vor dem Start (Test auf Unterschied): p = 0,17" in out
    assert "Hinweis: Für manche Startjahrgänge gibt es weniger als 2 Perioden" in out
    english = run(
        "--lang", "en", "evaluate", "--panel", MPDTA, *COLUMNS, "--inference", "analytic", expect=0
    )
    assert "p = 0.001" in english.stdout and "Effect on lemp" in english.stdout


# --- small panels for the few-treated and error cases ---------------------------------------

UNITS = [f"S{i:02d}" for i in range(1, 11)]
YEARS = list(range(2015, 2021))


def small_panel(treated: dict[str, int]) -> pd.DataFrame:
    """10 districts × 2015–2020, outcome with unit and year effects and noise; cohort per unit."""
    rng = np.random.default_rng(3)
    rows = []
    for u, unit in enumerate(UNITS):
        for year in YEARS:
            start = treated.get(unit, 0)
            effect = -0.5 if start and year >= start else 0.0
            quote = 10 + u + 0.2 * (year - 2015) + effect + rng.normal(0, 0.3)
            rows.append({"district": unit, "jahr": year, "quote": quote, "start": start})
    return pd.DataFrame(rows)


SMALL = ["--outcome", "quote", "--unit", "district", "--time", "jahr", "--cohort", "start"]


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("treated", [{"S03": 2018}, {"S03": 2018, "S07": 2019}])
def test_auto_with_one_or_two_treated_units_uses_synthetic_did(tmp_path, treated):
    data = small_panel(treated)
    got = evaluate_json(write_csv(tmp_path / "panel.csv", data), *SMALL)
    assert got["method"] == "sdid"
    assert f"only {len(treated)} treated unit" in got["method_reason"]
    assert ", ".join(sorted(treated)) in got["method_reason"]
    frame = data.assign(
        d=((data["start"].fillna(0) > 0) & (data["jahr"] >= data["start"].fillna(0))).astype(int)
    )
    api = synthetic_did(frame, "quote", "district", "jahr", "d", inference="randomization")
    _close(got["estimate"], api.estimate)
    _close(got["se"], api.se)
    _close(got["pvalue"], api.pvalue)
    assert got["inference"].startswith("randomization inference: all")
    assert "placements of the treated districts' start periods on all districts" in got["inference"]
    assert got["pretrend"] == {"pvalue": None, "testable": False, "reason": "synthetic_fit"}
    assert {d["unit"] for d in got["donors"]} <= set(data["district"]) - set(treated)
    assert got["pre_rmse"] >= 0 and got["n_treated"] == len(treated)


def test_method_sdid_takes_only_its_own_inference(tmp_path):
    panel = write_csv(tmp_path / "panel.csv", small_panel({"S03": 2018}))
    result = run(
        "evaluate", "--panel", panel, *SMALL, "--method", "sdid", "--inference", "wild", expect=2
    )
    assert (
        "Die Methode sdid rechnet die Unsicherheit mit auto, randomization, placebo, jackknife, "
        "bootstrap, nicht mit 'wild' (--inference)" in result.stderr
    )
    english = run("--lang", "en", "evaluate", "--panel", panel, *SMALL, "--method", "sdid",
                  "--inference", "wild", expect=2)  # fmt: skip
    assert "method sdid takes inference auto, randomization" in english.stderr


def test_explicit_staggered_with_two_treated_units_runs_and_warns(tmp_path):
    data = small_panel({"S03": 2018, "S07": 2019})
    got = evaluate_json(write_csv(tmp_path / "panel.csv", data), *SMALL, "--method", "staggered")
    api = staggered(data, "quote", "district", "jahr", "start")
    _close(got["estimate"], api.estimate)
    assert got["cohorts"] == {"2018": ["S03"], "2019": ["S07"]}
    # 10 · 9 = 90 assignments of two single-unit cohorts: every one enumerated, exact.
    assert "all 89 other distinct assignments" in got["inference"]
    assert got["mde"]["effect"] > 0


def test_auto_with_three_treated_units_runs_staggered(tmp_path):
    data = small_panel({"S02": 2018, "S03": 2018, "S07": 2019})
    got = evaluate_json(write_csv(tmp_path / "panel.csv", data), *SMALL)
    assert got["method"] == "staggered"
    assert got["cohorts"] == {"2018": ["S02", "S03"], "2019": ["S07"]}
    assert (got["n_treated"], got["n_control"]) == (3, 7)
    # 10! / (2! 1! 7!) = 360 assignments: all enumerated, so the p-value is exact.
    assert "all 359 other distinct assignments" in got["inference"]
    assert got["pvalue"] * 360 == pytest.approx(round(got["pvalue"] * 360))


@pytest.mark.parametrize("inference", ["analytic", "bootstrap"])
def test_analytic_evaluation_uses_the_small_cohort_correction_in_api_and_json(tmp_path, inference):
    # Cohorts of two and three districts: where the correction matters (factor sqrt(2) and
    # sqrt(3/2) on their variances). evaluate_panel, `evaluate --json` and
    # staggered(small_sample="cohort") give the same numbers; R's plug-in variance is smaller.
    data = small_panel({"S01": 2017, "S02": 2017, "S03": 2018, "S04": 2018, "S05": 2018})
    got = evaluate_json(
        write_csv(tmp_path / "panel.csv", data), *SMALL, "--inference", inference, "--seed", "4"
    )
    options = EvaluationOptions(inference=inference, seed=4)
    evaluation = evaluate_panel(data, "quote", "district", "jahr", "start", options)
    chosen = inference
    columns = ("quote", "district", "jahr", "start")
    corrected = staggered(data, *columns, inference=chosen, seed=4, small_sample="cohort")
    plain = staggered(data, *columns, inference=chosen, seed=4, small_sample=None)
    assert evaluation.method == got["method"] == "staggered"
    for value in (got["se"], evaluation.se):
        _close(value, corrected.se)
    assert corrected.se > plain.se
    _close(got["ci"][0], corrected.ci_low)
    _close(got["pvalue"], corrected.pvalue)
    assert got["inference"] == evaluation.inference == corrected.inference
    assert "small-cohort correction" in got["inference"]
    _assert_same_caveats(got, corrected)
    api_document = json.loads(json.dumps(evaluation.to_dict()))
    worded = ("caveats", "warnings", "method_reason_caveat")
    assert {k: v for k, v in api_document.items() if k not in worded} == {
        k: v for k, v in got.items() if k not in ("panel", *worded)
    }
    # The same caveats; the CLI words them in German, the API keeps the English sentence.
    assert [(c["code"], c["values"]) for c in api_document["caveats"]] == [
        (c["code"], c["values"]) for c in got["caveats"]
    ]


def test_missing_value_symbols_are_missing_outcomes_never_zero(tmp_path):
    data = small_panel({"S02": 2018, "S03": 2018, "S07": 2019})
    cells = data.astype({"quote": object})
    cells.loc[25, "quote"] = "-"
    cells.loc[31, "quote"] = ""
    got = evaluate_json(write_csv(tmp_path / "panel.csv", cells), *SMALL)
    api = staggered(
        data.assign(quote=data["quote"].where(~data.index.isin([25, 31]))), *SMALL[1::2]
    )
    _close(got["estimate"], api.estimate)
    assert {"code": "balanced", "values": {"n": 12, "units": 2, "periods": 6}} in [
        {k: c[k] for k in ("code", "values")} for c in got["caveats"]
    ]


def test_empty_cohort_cells_mean_never_treated(tmp_path):
    data = small_panel({"S02": 2018, "S03": 2018, "S07": 2019})
    cells = data.astype({"start": object})
    cells.loc[cells["start"] == 0, "start"] = None
    got = evaluate_json(write_csv(tmp_path / "panel.csv", cells), *SMALL)
    _close(got["estimate"], staggered(data, *SMALL[1::2]).estimate)


# --- refusals: exit 1 naming file, row and column; usage errors exit 2 ----------------------


def test_missing_file_is_refused_with_its_name(tmp_path):
    result = run("evaluate", "--panel", tmp_path / "nope.csv", *SMALL, expect=1)
    assert "nope.csv: Datei nicht gefunden" in result.stderr


def test_header_without_data_rows_is_refused(tmp_path):
    panel = tmp_path / "header_only.csv"
    panel.write_text("district,jahr,quote,start\n", encoding="utf-8")
    result = run("evaluate", "--panel", panel, *SMALL, expect=1)
    assert f"{panel}: keine Daten unter der Kopfzeile (Zeile 1)" in result.stderr
    english = run("--lang", "en", "evaluate", "--panel", panel, *SMALL, expect=1)
    assert f"{panel}: no data below the header (row 1)" in english.stderr


def test_unknown_column_is_refused_listing_the_columns_found():
    args = [*COLUMNS]
    args[1] = "employment"
    result = run("evaluate", "--panel", MPDTA, *args, expect=1)
    assert "mpdta.csv: nicht gefunden: Spalte 'employment' (Zielgröße)" in result.stderr
    assert "gefundene Spalten (Zeile 1): year, countyreal, lpop, lemp, first.treat, treat" in (
        result.stderr
    )


def test_non_numeric_outcome_and_time_cells_are_listed_with_row_and_column(tmp_path):
    cells = small_panel({"S02": 2018, "S03": 2018, "S07": 2019}).astype(object)
    cells.loc[3, "quote"] = "n.v."  # data row 4 → line 5 (the header is line 1)
    cells.loc[20, "jahr"] = "2018a"  # line 22
    panel = write_csv(tmp_path / "panel.csv", cells)
    result = run("--json", "evaluate", "--panel", panel, *SMALL, expect=1)
    assert result.stdout == ""
    assert f"{panel}, Zeile 5, Spalte „quote“: keine Zahl: 'n.v.'" in result.stderr
    assert f"{panel}, Zeile 22, Spalte „jahr“: keine Zahl: '2018a'" in result.stderr
    assert "2 Problem(e) in 2 Zeile(n); nichts ausgewertet" in result.stderr


def test_a_panel_without_a_before_and_after_says_why_in_the_chosen_language(tmp_path):
    everyone = {unit: 2015 for unit in UNITS[:3]}  # treated from the first period on
    panel = write_csv(tmp_path / "panel.csv", small_panel(everyone))
    german = run("evaluate", "--panel", panel, *SMALL, expect=1)
    assert "Alle geförderten Quartiere" in german.stderr
    english = run("--lang", "en", "evaluate", "--panel", panel, *SMALL, expect=1)
    assert "Every district with the program has it from the first period on" in english.stderr


def test_xlsx_errors_name_the_sheet_and_the_row_as_excel_shows_it(mpdta, tmp_path):
    path = _write_mpdta_workbook(tmp_path / "mpdta.xlsx", mpdta.head(20))
    workbook = load_workbook(path)
    workbook["Panel"]["C6"] = "k.A."
    workbook.save(path)
    result = run("evaluate", "--panel", path, *COLUMNS, expect=1)
    assert f"{path}, Blatt „Panel“, Zeile 6, Spalte „lemp“: keine Zahl: 'k.A.'" in result.stderr


def test_duplicate_unit_period_rows_are_refused_naming_both_rows(tmp_path):
    data = small_panel({"S02": 2018, "S03": 2018, "S07": 2019})
    data = pd.concat([data, data.iloc[[7]]], ignore_index=True)  # line 9 again as line 62
    panel = write_csv(tmp_path / "panel.csv", data)
    result = run("evaluate", "--panel", panel, *SMALL, expect=1)
    assert (
        f"{panel}, Zeile 62, Spalte „jahr“: Einheit 'S02' hat den Zeitpunkt 2016 schon in Zeile 9"
        in result.stderr
    )


def test_cohort_that_changes_within_a_unit_is_refused_with_its_row(tmp_path):
    data = small_panel({"S02": 2018, "S03": 2018, "S07": 2019})
    data.loc[9, "start"] = 2019  # S02's fourth row, line 11
    panel = write_csv(tmp_path / "panel.csv", data)
    result = run("evaluate", "--panel", panel, *SMALL, expect=1)
    assert f"{panel}, Zeile 11, Spalte „start“: Einheit 'S02' hat hier die Kohorte 2019, in " in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "magic"], "Ungültiger Wert für '--method'"),
        (["--control", "sometimes"], "Ungültiger Wert für '--control'"),
        (["--inference", "guess"], "Ungültiger Wert für '--inference'"),
        (["--method", "event", "--leads", "0"], "Ungültiger Wert für '--leads'"),
        (["--method", "twfe", "--inference", "bootstrap"], "Die Methode twfe rechnet die"),
        (["--method", "twfe", "--control", "notyet"], "--control gilt nur für die Methode"),
        (["--leads", "2"], "--leads und --lags gelten nur für die Methode event"),
        (["--cluster", "treat"], "--cluster gilt nur für die Methoden twfe und event"),
    ],
)
def test_bad_option_values_are_usage_errors(args, message):
    result = run("evaluate", "--panel", MPDTA, *COLUMNS, *args, expect=2)
    assert message in result.stderr


def test_panel_without_its_column_options_is_a_usage_error():
    result = run("evaluate", "--panel", MPDTA, "--outcome", "lemp", expect=2)
    assert "--panel braucht --unit, --time, --cohort" in result.stderr
    result = run("evaluate", expect=2)
    assert "--panel DATEI" in result.stderr


def test_a_decimal_point_in_a_decimal_comma_column_is_rejected_not_guessed(tmp_path):
    panel = tmp_path / "panel_de.csv"
    lines = ["district;jahr;quote;start", "S01;2019;1,5;0", "S01;2020;1.5;0"]
    panel.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("evaluate", "--panel", panel, *SMALL, expect=1)
    assert (
        f"{panel}, Zeile 3, Spalte „quote“: keine Zahl: '1.5' (diese Spalte schreibt Dezimalzahlen "
        "mit Komma" in result.stderr
    )


def test_analytic_pretrend_with_a_single_district_cohort_is_not_testable_rather_than_tiny():
    # Cohort 2019 holds one district: its pre-treatment cells have no variance, so the analytic
    # Wald test has nothing honest to divide by; it says so instead of printing a p-value.
    data = small_panel({"S02": 2018, "S03": 2018, "S07": 2019})
    evaluation = evaluate_panel(
        data, "quote", "district", "jahr", "start", EvaluationOptions(inference="analytic")
    )
    assert evaluation.pretrend_pvalue is None
    assert evaluation.to_dict()["pretrend"] == {
        "pvalue": None,
        "testable": False,
        "reason": "variance_not_estimable",
    }
    assert not [c for c in evaluation.caveats if c.code == "pretrend_rejected"]


def test_caveat_texts_follow_the_chosen_language_and_nothing_else_changes(tmp_path):
    data = small_panel({"S01": 2017, "S02": 2017, "S03": 2018, "S04": 2018, "S05": 2018})
    panel = write_csv(tmp_path / "panel.csv", data)
    args = ["evaluate", "--panel", panel, *SMALL, "--inference", "analytic"]
    german = json.loads(run("--json", *args, expect=0).stdout)
    english = json.loads(run("--json", "--lang", "en", *args, expect=0).stdout)
    assert german["caveats"], "the small panel should carry a caveat"
    assert [(c["code"], c["values"]) for c in german["caveats"]] == [
        (c["code"], c["values"]) for c in english["caveats"]
    ]
    assert [c["text"] for c in german["caveats"]] != [c["text"] for c in english["caveats"]]
    assert german["warnings"] == [c["text"] for c in german["caveats"]]
    worded = ("caveats", "warnings", "method_reason_caveat")
    assert {k: v for k, v in german.items() if k not in worded} == {
        k: v for k, v in english.items() if k not in worded
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_option_conflict_has_words_with_its_placeholders(lang):
    assert unworded("cli.evaluate.conflict.", OptionConflict.ENGLISH, lang) == []
