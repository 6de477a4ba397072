"""What the commands print, in the user's language (issue 16 items 1 and 7): figures through
Babel in the chosen locale, codes in words, tables within 80 columns, long lists cut to their
first ten, next steps after each import; the JSON the same in every language (SPEC §2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.language import LANG_ENV
from monitor.terminal_format import DASH, Terminal

NBSP = "\xa0"  # CLDR: no break between a number and its unit


def _run(*args: str, expect: int = 0):
    result = CliRunner(env={LANG_ENV: ""}).invoke(cli, list(args))
    assert result.exit_code == expect, (args, result.output)
    assert "Traceback" not in result.output
    return result


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_spend_shows_euros_in_the_locale_and_fits_80_columns(demo_url):
    german = _run("--db", demo_url, "spend", "--year", "2024").stdout
    assert f"123.940,53{NBSP}€" in german and f"22,40{NBSP}€" in german
    assert "nicht zugeordnet" in german and f"2.878.599,09{NBSP}€" in german
    assert "Ausgaben je Quartier, 01.01.2024 bis 31.12.2024" in german
    assert _widest(german) <= 80
    english = _run("--db", demo_url, "--lang", "en", "spend", "--year", "2024").stdout
    assert "€123,940.53" in english and "unattributed" in english
    assert "1 Jan 2024 to 31 Dec 2024" in english


@pytest.mark.parametrize("lang", ["de", "en"])
def test_json_is_the_same_in_every_language(demo_url, lang):
    spent = json.loads(_run("--db", demo_url, "--lang", lang, "spend", "--json").stdout)
    assert spent["rows"][0]["amount"] == "123940.53" and spent["total"] == "2878599.09"
    need = json.loads(_run("--db", demo_url, "--lang", lang, "need", "--json").stdout)
    assert need["districts"][0]["need_class"] == "very_high"


def test_need_classes_are_words_and_changes_never_read_minus_zero(demo_url):
    german = _run("--db", demo_url, "need", "--period", "2024").stdout
    assert "sehr hoch" in german and "very_high" not in german
    assert "-0,00" not in german and "-0.00" not in german
    table = german.split("\nIndex:", 1)[0]
    assert _widest(table) <= 80
    assert "very high" in _run("--db", demo_url, "--lang", "en", "need").stdout


@pytest.mark.parametrize(
    "args",
    [
        ("trace", "--district", "SR03", "--year", "2024"),
        ("batches",),
        ("verify",),
        ("targeting", "--year", "2024"),
        ("evaluate", "--indicator", "sgb2_quote", "--program", "Jugendzentren"),
    ],
)
def test_reading_commands_fit_80_columns(demo_url, args):
    shown = _run("--db", demo_url, *args).stdout
    lines = [line for line in shown.splitlines() if "Import " not in line[:8]]
    assert max(len(line) for line in lines) <= 80, args


def test_trace_names_each_source_file_once_by_its_import_number(demo_url):
    shown = _run("--db", demo_url, "trace", "--district", "SR03", "--year", "2024").stdout
    assert f"359.902,50{NBSP}€ aus 67 Buchungen" in shown
    assert "Import 9: Einzelposten_Sachkonten_2024_bis_03_SYNTHETISCH.xlsx" in shown
    assert shown.count("Einzelposten_Sachkonten_2024_bis_03_SYNTHETISCH.xlsx") == 1


def test_verify_explains_the_check_value_in_plain_words(demo_url):
    shown = _run("--db", demo_url, "verify").stdout
    assert shown.startswith("Nichts verändert:")
    assert "Letzter Prüfwert (bitte außerhalb der Datenbank aufbewahren" in shown


def test_the_demo_summary_words_its_caveats_in_german(demo_folder):
    """Each programme's note (the first caveat of its evaluation) in the demo's language, as
    `evaluate` words it, not the estimator's English."""
    summary = json.loads(
        (demo_folder / "budget-monitor-demo" / "demo-summary_SYNTHETISCH.json").read_text("utf-8")
    )
    notes = [p["note"] for p in summary["programs"] if p["note"]]
    assert notes
    for note in notes:
        assert "Quartiere" in note or "Perioden" in note, note
        assert not any(word in note for word in ("Districts", "periods", "standard deviations"))


def test_an_import_lists_new_codes_summarised_and_says_what_to_do_next(demo_folder, tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    export = demo_folder / "budget-monitor-demo" / "exports"
    shown = _run(
        "--db",
        url,
        "import",
        "postings",
        str(export / "Einzelposten_Sachkonten_2022_SYNTHETISCH.xlsx"),
    ).stdout
    assert "eingelesen" in shown and f"Summe der Datei: 2.539.770,07{NBSP}€" in shown
    assert "Neue Kostenstellen (15), die ersten 10: 50000, 50100," in shown
    assert f"Als Nächstes: budget-monitor --db {url} spend" in shown
    assert f"budget-monitor --db {url} verify" in shown
    refused = _run(
        "--db", url, "--lang", "en", "import", "postings", str(export / "plan.xlsx"), expect=1
    )
    assert "Next:" not in refused.stdout  # nothing was imported: no next steps
    master = _run("--db", url, "import", "districts", str(export / "districts.xlsx")).stdout
    assert "23 Quartiere" in master and "Als Nächstes: die Sozialindikatoren" in master


def test_a_rejected_row_is_named_in_german_and_nothing_is_imported(tmp_path):
    export = tmp_path / "journal.csv"
    export.write_text(
        "Jahr;Beleg;Zeile;Datum;Sachkonto;Kostenstelle;Betrag\n"
        "2024;1;1;15.01.2024;501100;50100;12,50\n"
        "2024;2;1;kein Datum;501100;50100;1,00\n",
        encoding="utf-8",
    )
    refused = _run(
        "--db", f"sqlite:///{tmp_path / 'l.db'}", "import", "postings", str(export), expect=1
    )
    assert f"Fehler: {export}, Zeile 3, Spalte „Datum“: kein Datum" in refused.stderr
    assert "Nichts wurde eingelesen" in refused.stderr


def test_long_lists_are_cut_to_their_first_ten_with_the_count():
    german, english = Terminal("de"), Terminal("en")
    codes = [f"K{i:02d}" for i in range(90)]
    assert german.listed("Neue Kostenstellen", codes).startswith(
        "Neue Kostenstellen (90), die ersten 10: K00, K01,"
    )
    assert german.listed("Neue Kostenstellen", codes).endswith("K09 …")
    assert english.listed("New cost centres", codes[:2]) == "New cost centres (2): K00, K01"
    assert german.listed("Neue Produkte", []) == "Neue Produkte: keine"
    assert german.money("-1234.50") == f"-1.234,50{NBSP}€"
    assert german.signed(-0.001) == "0,00" and german.signed(0.5) == "+0,50"


def test_every_catalogue_key_the_monitor_uses_exists(tmp_path):
    """Keys written literally in monitor/ (t("cli.…"), words("…")) are in both catalogues."""
    import re

    from reports.messages import catalogue

    monitor = Path(__file__).parents[2] / "monitor"
    used = set()
    for source in monitor.rglob("*.py"):
        used |= set(
            re.findall(
                r"\"((?:cli|program|need_class|method)\.[a-z_.]+[a-z])\"", source.read_text("utf-8")
            )
        )
    assert len(used) > 150
    for lang in ("de", "en"):
        assert used - set(catalogue(lang)) == set(), lang


def test_wrong_usage_is_framed_in_the_chosen_language_and_exits_2():
    german = _run("import", "postings", expect=2)
    assert "Aufruf: cli import postings [OPTIONEN] DATEI..." in german.stderr
    assert "Hilfe: cli import postings --help" in german.stderr
    assert "Fehler: Es fehlt das Argument 'DATEI...'." in german.stderr
    english = _run("--lang", "en", "spend", "--by", "x", expect=2)
    assert "Usage: cli spend [OPTIONS]" in english.stderr
    assert "error: Invalid value for '--by'" in english.stderr


def test_siting_metres_are_grouped_and_a_mean_without_value_is_a_dash():
    """A mean distance is undefined when a walking network in pieces leaves someone unreached;
    the terminal then shows a dash, never 'None'."""
    from monitor.places_commands import _metres_shown

    assert _metres_shown(Terminal("de"), 1661) == "1.661"
    assert _metres_shown(Terminal("en"), 1661) == "1,661"
    assert _metres_shown(Terminal("de"), None) == DASH
