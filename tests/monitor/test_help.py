"""Help a clerk understands (issue 16 items 1 and 3): every command's --help is German by default
and English with --lang en, describes every option, avoids developer jargon, and shows an example;
the examples work as written on the demo city."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.language import LANG_ENV

# Words a clerk should not meet in any help page (issue 16 names them).
JARGON = re.compile(
    r"(?<!\[)\bledger\b(?!\.db|\])|z-score|hash chain|hash|plug-in|not yet available|"
    r"heartbeat|SIGTERM|\bcron\b|traceback|\bschema\b",
    re.I,
)
DEMO_DB = "sqlite:///budget-monitor-demo/ledger.db"
# Examples that cannot run in a test as written: the demo itself (the fixture runs it), the
# service and the web atlas (run until stopped), adding or removing a web user (a password on
# standard input), and the geodata, price and places imports, which need the city's
# own files.
NOT_RUN = (
    "budget-monitor demo",
    " serve",
    "import boundaries",
    "import grid",
    "import prices",
    "import facilities",
    # The web atlas runs until stopped; a user's password comes from standard input.
    " web ",
    "user add",
    "user remove",
)


def _commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> Iterator:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, ctx, (*path, name))


COMMANDS = [
    (),
    *_commands(cli, click.Context(cli)),
]


def _help(lang: str | None, path: tuple[str, ...]) -> str:
    args = ([] if lang is None else ["--lang", lang]) + [*path, "--help"]
    shown = CliRunner(env={LANG_ENV: ""}).invoke(cli, args)
    assert shown.exit_code == 0, (path, shown.output)
    return shown.stdout


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "budget-monitor")
def test_every_help_is_german_by_default_and_english_on_request(path, monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    german, english = _help(None, path), _help("en", path)
    assert german.startswith("Aufruf:") and "\nOptionen:\n" in german
    assert english.startswith("Usage:") and "\nOptions:\n" in english
    assert german != english.replace("Usage:", "Aufruf:").replace("Options:", "Optionen:")
    for text, example in ((german, "Beispiel"), (english, "Example")):
        assert JARGON.search(text) is None, (path, JARGON.search(text))
        assert example in text, path
        assert "    budget-monitor " in text, path  # the example, shown as written


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    return command


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "budget-monitor")
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_option_is_described(path, lang, monkeypatch):
    """An option without a description shows as its bare name (issue 16: `spend --by`)."""
    monkeypatch.setenv(LANG_ENV, lang)
    command = _command(path)
    for param in command.get_params(click.Context(command)):
        if isinstance(param, click.Option):
            assert param.help and param.help.strip(), (path, param.name)


@pytest.mark.parametrize("group", [(), ("import",)], ids=["budget-monitor", "import"])
def test_the_list_of_commands_shows_each_first_sentence_uncut(group, monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    for lang in (None, "en"):
        listing = _help(lang, group).split("\nBefehle:\n" if lang is None else "\nCommands:\n")[1]
        assert "..." not in listing, listing
    assert "Zeigen, ob der Dienst läuft und wie seine Aufgaben zuletzt liefen" in _help(None, ())


def test_the_corrected_descriptions(monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    assert "etwa SR03" in _help(None, ("trace",))
    assert "e.g. SR03" in _help("en", ("trace",))
    spend = " ".join(_help(None, ("spend",)).split())
    assert "district (je Quartier" in spend and "program (je Programm" in spend
    verify = " ".join(_help(None, ("verify",)).split())
    assert "Prüfkette" in verify and "Prüfwert" in verify


def examples(text: str) -> list[str]:
    """The commands of a help page's examples: indented lines starting with budget-monitor, a
    trailing backslash continuing them on the next line."""
    commands, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if current:
            current += " " + stripped.rstrip("\\").strip()
        elif line.startswith("    budget-monitor "):
            current = stripped.rstrip("\\").strip()
        else:
            continue
        if not stripped.endswith("\\"):
            commands.append(current)
            current = ""
    return commands


def test_examples_are_read_with_their_continuation_lines():
    text = (
        "  Beispiel:\n    budget-monitor --db X \\\n      spend --year 2024\n    budget-monitor b"
    )
    assert examples(text) == ["budget-monitor --db X spend --year 2024", "budget-monitor b"]


EXAMPLES = sorted(
    {
        command
        for path in COMMANDS
        for command in examples(_help("de", path)) + examples(_help("en", path))
        if not any(marker in command for marker in NOT_RUN)
    }
)


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_in_the_help_works_on_the_demo(example, demo_folder, monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    monkeypatch.delenv("BUDGET_MONITOR_DB", raising=False)
    monkeypatch.chdir(demo_folder)
    args = shlex.split(example)[1:]
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, (example, done.output)
    assert "Traceback" not in done.output


def _command_of(example: str) -> str:
    """The subcommand an example runs: the first word that is neither a global option nor its
    value."""
    words = shlex.split(example)[1:]
    while words[0] in ("--db", "--lang", "--settings"):
        words = words[2:]
    return words[0]


def test_the_examples_cover_every_command_that_reads_the_demo():
    covered = {_command_of(example) for example in EXAMPLES}
    assert {"import", "batches", "spend", "trace", "verify", "need", "targeting"} <= covered
    assert {"evaluate", "report", "jobs", "status", "run-job", "init", "template"} <= covered
    assert all(DEMO_DB in e or " template " in e or e.endswith("--help") for e in EXAMPLES)
