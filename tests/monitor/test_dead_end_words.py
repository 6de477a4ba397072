"""The figure commands' dead ends in the reader's words (issue 16 item 4): each says what is
missing and what to do, German by default and English on request, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.context import UserError
from monitor.language import LANG_ENV
from reports.messages import Messages


def _run(url: str, *args: str, expect: int = 1) -> str:
    result = CliRunner(env={LANG_ENV: ""}).invoke(cli, ["--db", url, *args])
    assert result.exit_code == expect, result.output
    assert "Traceback" not in result.output
    return result.stderr


@pytest.fixture
def empty_ledger(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    _run(url, "init", expect=0)
    return url


def test_access_on_an_empty_ledger_says_which_data_to_import(empty_ledger):
    said = _run(empty_ledger, "access", "--type", "beratung")
    assert "Keine Einwohner, von denen aus gemessen werden kann" in said
    assert "budget-monitor import grid --population" in said
    english = _run(empty_ledger, "--lang", "en", "access", "--type", "beratung")
    assert "No residents to measure from" in english


def test_a_rerun_of_a_run_that_does_not_exist_names_it(empty_ledger):
    said = _run(empty_ledger, "report", "--rerun", "7")
    assert "Einen Berichtslauf 7 gibt es nicht." in said
    assert "There is no report run 7." in _run(
        empty_ledger, "--lang", "en", "report", "--rerun", "7"
    )


def test_a_rerun_with_a_period_is_wrong_usage_in_german(empty_ledger):
    said = _run(empty_ledger, "report", "--rerun", "1", "--period", "2024", expect=2)
    assert "--rerun wiederholt den Zeitraum des Laufs selbst; bitte --period weglassen." in said


def test_a_said_error_is_english_for_the_python_api_and_worded_when_shown():
    error = UserError.said("cli.report.no_run", run=3)
    assert str(error) == Messages("en")("cli.report.no_run", run=3)
    assert (error.key, error.values) == ("cli.report.no_run", {"run": 3})
