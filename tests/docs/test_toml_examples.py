"""Every TOML example a city might paste is valid as shown (issue 16, item 5).

The fenced ```toml blocks of README.md and docs/*.md, and the commented examples in settings.toml
(a run of comment lines from a `# [table]` line on, uncommented), must parse with tomllib, which
reads TOML 1.0 (an inline table `{ … }` spread over several lines is not TOML 1.0), and must load
through the settings loader, which refuses unknown keys and invalid profiles.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from monitor.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^[ \t]*```toml\n(.*?)^[ \t]*```", re.S | re.M)
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def fenced_toml_blocks(text: str) -> list[str]:
    """The contents of the ```toml blocks of a Markdown text, indentation removed."""
    blocks = []
    for match in FENCE.finditer(text):
        lines = match.group(1).splitlines()
        indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
        blocks.append("\n".join(x[indent:] for x in lines) + "\n")
    return blocks


def commented_examples(text: str) -> list[str]:
    """Commented examples of a TOML file: from a line `# [table]` to the end of that run of
    comment lines, each line with its `# ` removed."""
    examples: list[str] = []
    current: list[str] | None = None
    for line in [*text.splitlines(), ""]:
        if current is None:
            if re.match(r"#\s*\[", line):
                current = [re.sub(r"^#\s?", "", line)]
        elif line.startswith("#"):
            current.append(re.sub(r"^#\s?", "", line))
        else:
            examples.append("\n".join(current) + "\n")
            current = None
    return examples


def _examples() -> list[pytest.param]:
    found = []
    for document in DOCUMENTS:
        for number, block in enumerate(fenced_toml_blocks(document.read_text("utf-8")), 1):
            found.append(pytest.param(block, id=f"{document.name}-{number}"))
    settings = (REPO / "settings.toml").read_text("utf-8")
    for number, block in enumerate(commented_examples(settings), 1):
        found.append(pytest.param(block, id=f"settings.toml-comment-{number}"))
    return found


EXAMPLES = _examples()


def test_examples_are_found_in_the_guides_and_in_settings_toml() -> None:
    ids = [p.id for p in EXAMPLES]
    assert any(i.startswith("guide-finance.md") for i in ids)
    assert any(i.startswith("real-data.md") for i in ids)
    assert sum(i.startswith("settings.toml-comment") for i in ids) >= 2  # profile, indicator


@pytest.mark.parametrize("example", EXAMPLES)
def test_toml_example_is_valid_toml_and_valid_settings(example: str, tmp_path: Path) -> None:
    tomllib.loads(example)  # a TOMLDecodeError names line and column
    path = tmp_path / "settings.toml"
    path.write_text(example, encoding="utf-8")
    load_settings(path)  # a SettingsError names the unknown key or invalid profile


def test_an_inline_table_spanning_lines_is_caught() -> None:
    """The check must be able to fail: the guide's former profile example."""
    former = (
        '[imports.profiles.kaemmerei]\ncolumns = { booking_date = "Buchungsdatum",\n'
        '            account = "Sachkonto", amount = "Betrag" }\n'
    )
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(former)


def test_commented_examples_are_uncommented_whole() -> None:
    text = "# prose\n#\n# [a.b]\n# x = 1   # note\n#\n# [a.b.c]\n# y = 2\n\n[real]\n# z\n"
    assert commented_examples(text) == ["[a.b]\nx = 1   # note\n\n[a.b.c]\ny = 2\n"]
