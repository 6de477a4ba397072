"""Click's own phrases in the chosen language (issue 16 item 1): a usage error, a missing option,
an unknown option, a value of the wrong type and the help's "[default: …]" read German by
default and English with --lang en; the catalogue covers every phrase the installed click shows
a user, with the same placeholders."""

from __future__ import annotations

import string
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_file
from click.testing import CliRunner

from monitor.cli import cli
from monitor.click_words import click_catalogue
from monitor.language import LANG_ENV
from monitor.worded import WordedOption

# Click's phrases that only a programmer sees (a command declared wrongly raises TypeError), or
# that this program never shows (shell completion, an editor, a Windows console, colours).
DEVELOPERS_ONLY = {
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "Windows error: {error}",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "d",
}


def _clicks_phrases() -> set[str | tuple[str, str]]:
    """Every phrase the installed click marks for translation, found as Babel extracts them."""
    folder = Path(click.__file__).parent
    found: set[str | tuple[str, str]] = set()
    for source in folder.glob("*.py"):
        for _, message, _, _ in extract_from_file(
            "python", str(source), keywords={"_": None, "ngettext": (1, 2)}
        ):
            found.add(message)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_phrase_click_shows_a_user_has_german_words_with_its_placeholders():
    german = click_catalogue("de")
    wanted = {p for p in _clicks_phrases() if p not in DEVELOPERS_ONLY}
    assert len(wanted) > 50
    assert sorted(map(str, wanted - set(german))) == []
    for phrase in wanted:
        forms = phrase if isinstance(phrase, tuple) else (phrase,)
        words = german[phrase]
        translations = words if isinstance(words, tuple) else (words,)
        assert len(forms) == len(translations), phrase
        for form, translation in zip(forms, translations, strict=True):
            assert _fields(form) == _fields(translation), phrase
            assert ("%(prog)s" in form) == ("%(prog)s" in translation), phrase


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner(env={LANG_ENV: ""}).invoke(cli, ["--db", "sqlite:///nowhere.db", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "german", "english"),
    [
        (("access",), "Fehler: Es fehlt die Option '--type'.", "Missing option '--type'."),
        (
            ("spend", "--jahr", "2024"),
            "Fehler: Unbekannte Option '--jahr'. Meinten Sie '--year'?",
            "No such option '--jahr'. Did you mean '--year'?",
        ),
        (
            ("spend", "--year", "24x"),
            "Ungültiger Wert für '--year': „24x“ ist keine ganze Zahl.",
            "Invalid value for '--year': '24x' is not a valid integer.",
        ),
        (
            ("siting", "--type", "x", "--add", "2", "--within", "1,5"),
            "Ungültiger Wert für '--within': „1,5“ ist keine Zahl (Dezimalzeichen: Punkt",
            "Invalid value for '--within': '1,5' is not a valid number.",
        ),
        (
            ("siting", "--type", "x", "--add", "0"),
            "Ungültiger Wert für '--add': 0 ist zu klein, mindestens 1.",
            "Invalid value for '--add': 0 is too small, at least 1.",
        ),
        (
            ("access", "--type", "x", "--within", "-5"),
            "Ungültiger Wert für '--within': -5 ist zu klein, es muss mehr als 0 sein.",
            "Invalid value for '--within': -5 is too small, it must be more than 0.",
        ),
        (("nonsense",), "Unbekannter Befehl 'nonsense'.", "No such command 'nonsense'."),
    ],
)
def test_usage_errors_are_german_by_default_and_english_on_request(args, german, english):
    code, shown = _run(*args)
    assert code == 2 and german in shown, shown
    code, shown = _run("--lang", "en", *args)
    assert code == 2 and english in shown, shown


def test_an_unknown_option_before_any_command_is_said_in_the_environments_language():
    """Click refuses it before --lang is read: the environment's language (or German) says it."""
    code, shown = _run("--frobnicate")
    assert code == 2 and "Fehler: Unbekannte Option '--frobnicate'." in shown
    assert "Hilfe mit 'cli --help'." in shown
    english = CliRunner(env={LANG_ENV: "en"}).invoke(cli, ["--frobnicate"]).output
    assert "No such option '--frobnicate'." in english


def test_the_helps_default_values_are_said_in_the_chosen_language():
    _, shown = _run("access", "--help")
    flat = " ".join(shown.split())
    assert "[Voreinstellung: population]" in flat and "default:" not in flat
    assert "Diese Hilfe zeigen und beenden." in flat
    _, shown = _run("--lang", "en", "access", "--help")
    assert "[default: population]" in " ".join(shown.split())


def test_required_options_and_number_placeholders_are_said_in_the_chosen_language():
    """Click words "required" through gettext from a variable, so no extraction finds it; a
    FloatRange's placeholder is its type's English name unless the catalogue words it."""
    _, shown = _run("siting", "--help")
    flat = " ".join(shown.split())
    assert "[erforderlich]" in flat and "--within ZAHL" in flat
    assert "required" not in flat and "FLOAT" not in flat
    assert "[Voreinstellung: 1000; x>0]" in flat  # the number as a clerk writes it, not 1000.0
    _, shown = _run("--lang", "en", "siting", "--help")
    flat = " ".join(shown.split())
    assert "[required]" in flat and "--within NUMBER" in flat


@click.command()
@click.option("--share", type=click.IntRange(1, 10), cls=WordedOption)
@click.option("--below", type=click.FloatRange(max=5, max_open=True), cls=WordedOption)
@click.option("--capped", type=click.FloatRange(max=1.5), cls=WordedOption)
@click.option("--clamped", type=click.IntRange(0, 3, clamp=True), cls=WordedOption)
def _ranges(share: int | None, below: float | None, capped: float | None, clamped: int | None):
    click.echo(f"ok {share} {below} {capped} {clamped}")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--share", "11"), "11 liegt nicht zwischen 1 und 10."),
        (("--share", "0"), "0 liegt nicht zwischen 1 und 10."),
        (("--below", "5"), "5 ist zu groß, es muss weniger als 5 sein."),
        (("--capped", "1.75"), "1.75 ist zu groß, höchstens 1.5."),
    ],
)
def test_a_number_outside_its_range_is_refused_in_words(args, said):
    result = CliRunner(env={LANG_ENV: ""}).invoke(_ranges, list(args))
    assert result.exit_code == 2 and said in result.output, result.output


def test_numbers_inside_their_range_or_clamped_pass():
    args = ["--share", "10", "--below", "4.5", "--capped", "1.5", "--clamped", "7"]
    result = CliRunner(env={LANG_ENV: ""}).invoke(_ranges, args)
    assert result.exit_code == 0 and "ok 10 4.5 1.5 3" in result.output, result.output
