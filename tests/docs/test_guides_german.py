"""The four guides for the city's staff are German, English on request (issue 16 item 3), and
every option they name exists in the command line as it is.

The bash blocks of every guide are run by tests/docs/test_guides.py; this checks the prose too:
an option such as `--rerun` or `--xlsx` named in the text must be an option of some command.
Blocks fenced as ```text show other programs (pg_dump, createdb) and are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from monitor.cli import cli

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDES = ("finance", "auditors", "committee", "operations")


def _options(command: click.Command, context: click.Context) -> set[str]:
    names = {name for p in command.params for name in p.opts if name.startswith("--")}
    if isinstance(command, click.Group):
        for sub in command.list_commands(context):
            child = command.get_command(context, sub)
            if child is not None:
                names |= _options(child, click.Context(child, parent=context))
    return names


@pytest.fixture(scope="module")
def cli_options() -> set[str]:
    return _options(cli, click.Context(cli)) | {"--help"}


@pytest.mark.parametrize("guide", GUIDES)
def test_each_guide_is_german_with_an_english_version_or_none(guide: str) -> None:
    text = (DOCS / f"guide-{guide}.md").read_text(encoding="utf-8")
    assert text.startswith("# Leitfaden für ")
    english = DOCS / f"guide-{guide}-en.md"
    if english.exists():
        assert f"(guide-{guide}-en.md)" in text
        assert english.read_text(encoding="utf-8").startswith("# Guide for ")


@pytest.mark.parametrize("guide", GUIDES)
def test_every_option_a_guide_names_exists(guide: str, cli_options: set[str]) -> None:
    for name in (f"guide-{guide}.md", f"guide-{guide}-en.md"):
        path = DOCS / name
        if not path.exists():
            continue
        text = re.sub(r"^```text\n.*?^```", "", path.read_text("utf-8"), flags=re.S | re.M)
        named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text))
        assert named - cli_options == set(), name
