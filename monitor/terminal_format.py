"""Figures and tables on the terminal, in the invocation's language (issue 16 item 1).

The JSON documents keep SPEC §2's machine form (`"-1234.50"`, `very_high`); what a person reads
goes through Babel in the chosen locale (`-1.234,50 €`, "sehr hoch") and the catalogue. Tables
are as wide as the terminal, and 80 columns in a file or a log, so that they fit a default terminal;
figures never wrap (their columns do not fold), names and files do. Long lists are cut to their
first few entries with the count said, the whole list stays in `--json`.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from monitor.problem_words import error_text
from reports.formatting import LocaleFormat
from reports.messages import Messages

WIDTH = 80
# Entries of a list shown before it is summarised ("… die ersten 10: …").
SHOWN = 10
# Rejected rows shown on the terminal; --json lists them all.
SHOWN_ERRORS = 50
DASH = "–"


@dataclass(frozen=True)
class Terminal:
    """The words and formats of one language, for what a command prints."""

    lang: str = "de"

    @cached_property
    def words(self) -> Messages:
        return Messages(self.lang)

    @cached_property
    def fmt(self) -> LocaleFormat:
        return LocaleFormat(self.lang)

    @property
    def t(self) -> Messages:
        """The catalogue, under the name the report's sentence builders use (`layout.t`), so
        that the terminal can say a figure in the report's own words."""
        return self.words

    def __call__(self, key: str, /, **values: object) -> str:
        return self.words(key, **values)

    def money(self, amount: str | Decimal | int | None) -> str:
        """An amount as the JSON carries it ("-1234.50") in the locale: "-1.234,50 €"."""
        return DASH if amount is None else self.fmt.money(Decimal(str(amount)))

    def count(self, value: int | None) -> str:
        return DASH if value is None else self.fmt.integer(value)

    def number(self, value: float | None, decimals: int = 2) -> str:
        return DASH if value is None else self.fmt.number(value, decimals)

    def signed(self, value: float | None, decimals: int = 2) -> str:
        """+0,11 / -1,02 / 0,00: a change shows its direction; no "-0,00"."""
        if value is None:
            return DASH
        text = self.fmt.number(value, decimals)
        return text if text.startswith(("-", "−")) or text.strip("0,.") == "" else f"+{text}"

    def day(self, value: Any) -> str:
        """A date (a date, or ISO text as the JSON carries it) in the locale: 31.12.2024."""
        if value is None:
            return DASH
        return self.fmt.day(value if isinstance(value, date) else date.fromisoformat(str(value)))

    def moment(self, value: str | None) -> str:
        """A time as the JSON carries it (ISO with offset) in the locale: 15.01.2025, 06:00."""
        return DASH if not value else self.fmt.moment(datetime.fromisoformat(value))

    def yes_no(self, value: bool) -> str:
        return self.words("cli.yes" if value else "cli.no")

    def listed(self, label: str, items: Sequence[object], shown: int = SHOWN) -> str:
        """ "Neue Kostenstellen (90), die ersten 10: a, b, … " or "Neue Kostenstellen (2): a, b";
        `label` is already worded. The whole list is in --json."""
        texts = [str(item) for item in items]
        if not texts:
            return self.words("cli.list.none", label=label)
        if len(texts) <= shown:
            return self.words(
                "cli.list.all", label=label, count=self.count(len(texts)), items=", ".join(texts)
            )
        return self.words(
            "cli.list.first",
            label=label,
            count=self.count(len(texts)),
            shown=shown,
            items=", ".join(texts[:shown]),
        )

    def table(self, title: str | None, columns: Sequence[tuple[str, str]]) -> Table:
        """A table whose columns are (heading, kind): "text" folds when the table is too wide,
        "figure" is right-aligned and never wraps, "fixed" (a date, a code) never wraps either.
        Lines only under the headings, so that the figures get the width."""
        table = Table(
            title=title,
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
        )
        for heading, kind in columns:
            table.add_column(
                heading,
                justify="right" if kind == "figure" else "left",
                no_wrap=kind != "text",
                overflow="fold",
            )
        return table

    def say(self, text: str) -> None:
        """Prose (a legend, a verdict), wrapped at the console's width; not for lines that hold
        a command or a settings line to copy, which must stay whole."""
        click.echo(click.wrap_text(text, width=console().width))

    def print_table(self, table: Table) -> None:
        console().print(table)

    def next_steps(self, *keys_and_values: tuple[str, dict[str, object]]) -> None:
        """One or two lines on what to do next (issue 16 item 7), after a blank line."""
        click.echo("")
        for key, values in keys_and_values:
            click.echo(self.words(key, **values))

    def row_errors(self, file: str | Path, errors: Sequence[Mapping[str, Any]]) -> None:
        """Rejected rows on stderr, file, sheet, row (as Excel shows it) and column named; the
        first SHOWN_ERRORS, the rest counted (all of them in --json). The sheet is left out
        where it is the file itself (a CSV file has one table, named like the file; a GeoJSON
        file one layer, named like the file without its extension)."""
        itself = {Path(file).name, Path(file).stem}
        for error in errors[:SHOWN_ERRORS]:
            # A geodata file's places are features of a layer, not rows of a sheet.
            row, sheet_row = (
                ("cli.place.feature", "cli.place.layer_feature")
                if error.get("feature")
                else ("cli.place.row", "cli.place.sheet_row")
            )
            place = self.words(row, file=file, row=error["row"])
            if error.get("sheet") and error["sheet"] not in itself:
                place = self.words(sheet_row, file=file, sheet=error["sheet"], row=error["row"])
            if error.get("column"):
                place = self.words("cli.place.column", place=place, column=error["column"])
            text = error_text(error, self.words)
            click.echo(self.words("cli.error", message=f"{place}: {text}"), err=True)
        if len(errors) > SHOWN_ERRORS:
            more = self.count(len(errors) - SHOWN_ERRORS)
            click.echo(self.words("cli.error.more", count=more), err=True)


def console(*, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr): as wide as the terminal, or 80 columns when the
    output goes into a file or a log."""
    stream = sys.stderr if stderr else sys.stdout
    width = shutil.get_terminal_size((WIDTH, 24)).columns if stream.isatty() else WIDTH
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)
