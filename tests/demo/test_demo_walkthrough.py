"""The demo end to end: every step on the synthetic city, and its planted effects recovered.

Also the ledger-reading commands (need, targeting, evaluate --indicator) on the demo's ledger.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.demo_command import print_summary


def _run(*args: str) -> dict:
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("demo")
    return folder, _run("demo", "--dir", str(folder), "--seed", "0")


def test_demo_imports_verifies_and_writes_its_outputs(demo) -> None:
    folder, summary = demo
    assert summary["synthetic"] is True
    assert (summary["batches"], summary["corrections"]) == (12, 1)
    assert summary["verify"]["ok"] and summary["verify"]["postings"] > 7000
    assert Path(summary["auditor_workbook"]).exists()
    assert json.loads((folder / "demo-summary_SYNTHETISCH.json").read_text("utf-8")) == summary


def test_demo_recovers_planted_effects_and_calls_no_placebo_significant(demo) -> None:
    _, summary = demo
    programs = {p["program"]: p for p in summary["programs"]}
    for name in programs:
        assert programs[name]["recovered"] is True
    for name in ("Jugendzentren", "Starke Quartiere"):
        assert programs[name]["pvalue"] < 0.05
    # −0.5 pp in Schulsozialarbeit's cohorts is below what its design can detect (the minimum
    # detectable effect), and the honest test does not claim it.
    school = programs["Schulsozialarbeit"]
    assert school["pvalue"] > 0.05 and school["mde"] > abs(school["planted_effect"])
    assert programs["Starke Quartiere"]["method"] == "sdid"  # one district: synthetic DiD
    for name in ("Familienzentren", "Seniorentreffs"):  # planted effect 0
        assert programs[name]["planted_effect"] == 0
        assert programs[name]["pvalue"] > 0.05


def test_need_on_the_demo_ledger_ranks_all_districts(demo) -> None:
    folder, _ = demo
    db = f"sqlite:///{folder / 'ledger.db'}"
    need = _run("--db", db, "need", "--period", "2024")
    assert need["period"] == "2024" and need["indicators"] == ["sgb2_quote", "kinderarmut"]
    ranks = sorted(d["need_rank"] for d in need["districts"])
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) + len(need["suppressed"]) == 23
    assert need["districts"][0]["key"] == "SR03"  # Nord-Düren, planted as the neediest


def test_targeting_on_the_demo_ledger_follows_need(demo) -> None:
    folder, _ = demo
    result = _run("--db", f"sqlite:///{folder / 'ledger.db'}", "targeting", "--year", "2024")
    assert result["year"] == 2024 and result["spearman"] > 0.3
    assert result["spearman_ci"][0] <= result["spearman"] <= result["spearman_ci"][1]
    assert result["verdict"].startswith("Spending follows need")


def test_evaluate_from_the_ledger_agrees_with_the_demo_summary(demo) -> None:
    folder, summary = demo
    result = _run(
        "--db",
        f"sqlite:///{folder / 'ledger.db'}",
        "evaluate",
        "--indicator",
        "sgb2_quote",
        "--program",
        "Jugendzentren",
    )
    expected = next(p for p in summary["programs"] if p["program"] == "Jugendzentren")
    assert result["method"] == "staggered" and result["program"] == "Jugendzentren"
    assert result["estimate"] == pytest.approx(expected["estimate"], abs=1e-12)
    assert result["n_treated"] == 6


def test_demo_summary_speaks_the_chosen_language_with_its_amounts(demo, capsys) -> None:
    folder, summary = demo
    print_summary(summary, folder, 0, "de")
    german = capsys.readouterr().out.replace("\xa0", " ")  # CLDR: no break before €
    assert "Ausgaben 2024: 2.878.599,09 € (keinem Quartier zugeordnet: 1.180.632,43 €)" in german
    assert "Bericht für den Ausschuss" in german and "staggered" not in german
    flat = " ".join(german.split())
    assert "Verfahren: Differenz-von-Differenzen nach Callaway & Sant'Anna (2021): " in flat
    assert "Als Nächstes: den Bericht öffnen:" in german
    assert f"budget-monitor --db sqlite:///{folder / 'ledger.db'} verify" in german
    table = german.split("Programme: eingepflanzte Wirkung", 1)[1].split("Verfahren:", 1)[0]
    assert max(len(line) for line in table.splitlines()) <= 80
    print_summary(summary, folder, 0, "en")
    english = capsys.readouterr().out
    assert "Spending 2024: €2,878,599.09" in english and "found" in english
    assert "synthetic difference-in-differences (Arkhangelsky" in " ".join(english.split())
