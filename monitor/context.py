"""What every command needs: the settings, the database, and how to print."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import click
from sqlalchemy import Engine

from ledger.database import create_ledger_engine
from ledger.schema import SchemaOutdated, ensure_schema
from monitor.settings import Settings


class UserError(click.ClickException):
    """A problem with the user's input or environment: a message, exit 1, no traceback."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


@dataclass
class AppContext:
    settings: Settings
    database_url: str
    json_output: bool = False
    # The language of every human-readable text (monitor.language); explicit: asked for in this
    # invocation (--lang or BUDGET_MONITOR_LANG), not only the settings' or the default.
    lang: str = "de"
    lang_explicit: bool = False

    @cached_property
    def engine(self) -> Engine:
        """The ledger, its schema created on first use."""
        engine = create_ledger_engine(self.database_url)
        try:
            ensure_schema(engine)
        except SchemaOutdated as exc:
            raise UserError(str(exc)) from None
        return engine

    def emit_json(self, document: dict[str, Any]) -> None:
        """The one JSON document a command writes to stdout: encoded whole, then written once
        (json.dump writes every token separately, a second for a 30,000-item trace)."""
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
