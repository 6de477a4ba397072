"""One language switch (SPEC §2): --lang, then BUDGET_MONITOR_LANG, then [ui] lang, then German;
and the front door's help in that language, in plain words, with an example."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.language import LANG_ENV, choose_language
from monitor.settings import load_settings

FRONT_DOOR = ("demo", "evaluate", "report", "need", "targeting")
# Words a clerk should not meet in the help of the front door (issue 16).
JARGON = re.compile(
    r"\bledger\b(?!\.db)|z-score|hash chain|plug-in|not yet available|heartbeat|SIGTERM", re.I
)


def _settings(tmp_path: Path, lang: str):
    path = tmp_path / "settings.toml"
    path.write_text(f'[ui]\nlang = "{lang}"\n', encoding="utf-8")
    return load_settings(path)


def test_option_wins_over_environment_over_settings_over_german(tmp_path):
    english_settings = _settings(tmp_path, "en")
    assert choose_language("de", {LANG_ENV: "en"}, english_settings).lang == "de"
    assert choose_language(None, {LANG_ENV: "de"}, english_settings).lang == "de"
    assert choose_language(None, {}, english_settings).lang == "en"
    assert choose_language(None, {}, None).lang == "de"
    assert choose_language(None, {LANG_ENV: "en"}, None).explicit
    assert not choose_language(None, {}, english_settings).explicit


def test_an_unknown_language_in_the_environment_names_the_variable():
    with pytest.raises(click.UsageError, match=r"BUDGET_MONITOR_LANG='fr'.*de, en"):
        choose_language(None, {LANG_ENV: "fr"}, None)


def test_help_is_german_by_default_and_english_on_request(tmp_path, monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    german = runner.invoke(cli, ["--help"]).stdout
    assert "Aufruf:" in german and "Befehle" in german and "Beispielstadt" in german
    assert "Try everything" in runner.invoke(cli, ["--lang", "en", "--help"]).stdout
    assert "Try everything" in runner.invoke(cli, ["--lang", "en", "demo", "--help"]).stdout
    by_environment = runner.invoke(cli, ["demo", "--help"], env={LANG_ENV: "en"}).stdout
    assert "Usage:" in by_environment and "Show this help" in by_environment
    _settings(tmp_path, "en")
    assert "Check whether spending" in runner.invoke(cli, ["targeting", "--help"]).stdout
    assert "Prüfen, ob" in runner.invoke(cli, ["--lang", "de", "targeting", "--help"]).stdout


@pytest.mark.parametrize("command", FRONT_DOOR)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_front_door_help_is_plain_and_has_an_example(command, lang, monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    shown = CliRunner().invoke(cli, ["--lang", lang, command, "--help"])
    assert shown.exit_code == 0
    assert JARGON.search(shown.stdout) is None, JARGON.search(shown.stdout)
    assert ("Beispiel" if lang == "de" else "Example") in shown.stdout
    assert "    budget-monitor " in shown.stdout  # the example, shown as written


def test_evaluate_help_names_sdid_and_the_randomization_default(monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    german = CliRunner().invoke(cli, ["evaluate", "--help"]).stdout
    english = CliRunner().invoke(cli, ["--lang", "en", "evaluate", "--help"]).stdout
    assert "Randomisierungs-Inferenz" in german
    assert "randomization inference" in english
    assert "sdid: synthetic" in " ".join(english.split())


def test_an_unknown_language_in_the_settings_is_an_error_naming_the_key(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[ui]\nlang = "fr"\n', encoding="utf-8")
    shown = CliRunner().invoke(cli, ["--settings", str(path), "need"])
    assert shown.exit_code == 1
    assert "ui.lang" in shown.stderr
