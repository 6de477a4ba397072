"""What every command needs: the settings, the database, and how to print."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import click
from sqlalchemy import Engine

from ledger.reachability import LedgerUnavailable, open_ledger
from ledger.schema import SchemaOutdated, ensure_schema
from monitor.language import invocation_words
from monitor.problem_words import refusal_text
from monitor.settings import Settings
from monitor.terminal_format import Terminal
from reports.messages import Messages

# Commands that only read (SPEC §2): they never create a ledger where none exists.
READING_COMMANDS = frozenset(
    {
        "spend",
        "trace",
        "need",
        "targeting",
        "access",
        "siting",
        "evaluate",
        "report",
        "batches",
        "verify",
    }
)


class UserError(click.ClickException):
    """A problem with the user's input or environment: a message, exit 1, no traceback."""

    exit_code = 1
    # The invocation's language, set by the front door as the error leaves it: click shows the
    # error after the invocation's context has closed.
    lang: str | None = None

    def __init__(self, message: str, refusal: Exception | None = None) -> None:
        super().__init__(message)
        self.refusal = refusal
        self.key: str | None = None
        self.values: dict[str, object] = {}

    @classmethod
    def said(cls, key: str, /, **values: object) -> UserError:
        """A problem in the catalogue's words (`key` and its values), worded in the
        invocation's language when it is shown: for code that has no words at hand."""
        error = cls(Messages("en")(key, **values))
        error.key, error.values = key, values
        return error

    @classmethod
    def refusing(cls, exc: Exception) -> UserError:
        """An import's refusal of a whole file: worded from its problem in the invocation's
        language when it is shown (`monitor.problem_words.refusal_text`)."""
        return cls(str(exc), exc)

    def show(self, file: Any = None) -> None:
        words = Messages(self.lang) if self.lang else invocation_words()
        if self.key is not None:
            text = words(self.key, **self.values)
        elif self.refusal is not None:
            text = refusal_text(self.refusal, words)
        else:
            text = self.format_message()
        click.echo(words("cli.error", message=text), err=True)


class WordedUsageError(click.UsageError):
    """Wrong usage (exit 2), framed in the invocation's language: the usage line, where to find
    help, and the problem; the problem itself is click's own sentence where click found it."""

    lang: str = "de"
    # The usage line, worded while the invocation still runs (click shows the error after).
    usage: str | None = None

    @classmethod
    def of(cls, exc: click.UsageError, lang: str) -> WordedUsageError:
        worded = cls(exc.format_message(), exc.ctx)
        worded.lang = lang
        worded.usage = exc.ctx.get_usage() if exc.ctx is not None else None
        return worded

    def show(self, file: Any = None) -> None:
        words = Messages(self.lang)
        if self.ctx is not None:
            click.echo(self.usage, err=True)
            click.echo(words("cli.usage_hint", command=self.ctx.command_path), err=True)
        click.echo(words("cli.error", message=self.format_message()), err=True)


@dataclass
class AppContext:
    settings: Settings
    database_url: str
    json_output: bool = False
    # The language of every human-readable text (monitor.language); explicit: asked for in this
    # invocation (--lang or BUDGET_MONITOR_LANG), not only the settings' or the default.
    lang: str = "de"
    lang_explicit: bool = False
    # The command only reads: a ledger that does not exist is an error, not created.
    reading: bool = False
    # How this invocation was called, with the options a next command needs to reach the same
    # ledger (`budget-monitor --db URL`): the start of the next steps a command suggests.
    invocation: str = "budget-monitor"

    @property
    def words(self) -> Messages:
        return Messages(self.lang)

    @property
    def terminal(self) -> Terminal:
        """Words, figures and tables for what a command prints, in the invocation's language."""
        return Terminal(self.lang)

    @cached_property
    def engine(self) -> Engine:
        """The ledger, its schema created on first use (not by a reading command)."""
        try:
            engine = open_ledger(self.database_url, must_exist=self.reading)
        except LedgerUnavailable as exc:
            raise UserError(unavailable_message(exc, self.words)) from None
        try:
            ensure_schema(engine)
        except SchemaOutdated as exc:
            said = self.words("cli.error.schema_outdated", revision=exc.revision, head=exc.head)
            raise UserError(said) from None
        return engine

    def emit_json(self, document: dict[str, Any]) -> None:
        """The one JSON document a command writes to stdout: encoded whole, then written once
        (json.dump writes every token separately, a second for a 30,000-item trace)."""
        sys.stdout.write(encode_json(document))


def encode_json(document: Any) -> str:
    """A document as every `--json` writes it, and the web atlas's API answers it: byte for
    byte the same in both places because both call this."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def unavailable_message(exc: LedgerUnavailable, words: Messages) -> str:
    """The part of the database URL that is wrong, and what to do, in the user's language."""
    key = f"cli.error.db.{exc.part}{'_alias' if exc.suggestion else ''}"
    return words(key, value=exc.value, url=exc.url, suggestion=exc.suggestion)
