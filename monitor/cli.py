"""The `budget-monitor` command line: parse options, call a library function, print.

Exit codes (SPEC §2): 0 done; 1 input rejected or a check failed (nothing changed); 2 wrong usage.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Any

import click

from ledger.reachability import LedgerUnavailable, open_ledger
from ledger.schema import UpgradeRefused, upgrade
from monitor import click_words
from monitor.context import (
    READING_COMMANDS,
    AppContext,
    UserError,
    WordedUsageError,
    unavailable_message,
)
from monitor.language import choose_language, invocation_language, remember_language
from monitor.settings import SettingsError, load_settings
from monitor.worded import WordedCommand, WordedGroup, WordedOption
from reports.messages import LANGUAGES, Messages

# Click's own phrases (usage errors, "[default: …]") in the invocation's language.
click_words.install()

# Subcommands load on use, so that importing postings never imports the statistics stack.
SUBCOMMANDS = {
    "import": "monitor.import_commands:import_group",
    "batches": "monitor.import_commands:batches_command",
    "verify": "monitor.verify_command:verify_command",
    "spend": "monitor.spend_commands:spend_command",
    "trace": "monitor.spend_commands:trace_command",
    "template": "monitor.master_commands:template_command",
    "need": "monitor.need_commands:need_command",
    "targeting": "monitor.need_commands:targeting_command",
    "access": "monitor.places_commands:access_command",
    "siting": "monitor.places_commands:siting_command",
    "evaluate": "monitor.evaluate_command:evaluate_command",
    "demo": "monitor.demo_command:demo_command",
    "serve": "monitor.service.commands:serve_command",
    "jobs": "monitor.service.commands:jobs_command",
    "run-job": "monitor.service.commands:run_job_command",
    "status": "monitor.service.commands:status_command",
    "report": "monitor.report_command:report_command",
    "web": "monitor.web.commands:web_command",
    "user": "monitor.web.commands:user_group",
}


class FrontDoor(WordedGroup):
    """The top-level group: subcommands load on use, help and errors in the invocation's
    language."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            exc.lang = invocation_language(ctx)
            raise
        except click.UsageError as exc:
            if isinstance(exc, WordedUsageError):
                raise
            raise WordedUsageError.of(exc, invocation_language(ctx)) from None


@click.group(
    cls=FrontDoor,
    lazy_subcommands=SUBCOMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="cli.help",
)
@click.option(
    "--settings",
    "settings_path",
    type=click.Path(dir_okay=False, path_type=Path),
    # Eager, like --lang: `--settings FILE --help` shows help in the file's language.
    is_eager=True,
    cls=WordedOption,
    help="cli.option.settings",
)
@click.option("--db", "db_url", envvar="BUDGET_MONITOR_DB", cls=WordedOption, help="cli.option.db")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    # Eager, so that `--lang en --help` is parsed before the help it asks for is shown.
    is_eager=True,
    cls=WordedOption,
    help="cli.option.lang",
)
@click.option("--json", "json_output", is_flag=True, cls=WordedOption, help="cli.option.json")
@click.version_option(
    package_name="budget-impact-monitor", cls=WordedOption, help="cli.option.version"
)
@click.pass_context
def cli(
    ctx: click.Context,
    settings_path: Path | None,
    db_url: str | None,
    lang: str | None,
    json_output: bool,
) -> None:
    """Budget-impact monitor: does the money reach the districts that need it, and does it help?
    (Users read `cli.help` from the catalogue.)"""
    try:
        settings = load_settings(settings_path)
    except SettingsError as exc:
        # The settings cannot say their language: --lang, the environment, or German.
        said = choose_language(lang, os.environ, None).lang
        raise UserError(exc.worded(Messages(said))) from None
    language = choose_language(lang, os.environ, settings)
    remember_language(ctx, language.lang)
    ctx.obj = AppContext(
        settings=settings,
        database_url=db_url or settings.database_url,
        json_output=json_output,
        lang=language.lang,
        lang_explicit=language.explicit,
        reading=ctx.invoked_subcommand in READING_COMMANDS,
        invocation=_invocation(ctx, settings_path, db_url),
    )


def _invocation(ctx: click.Context, settings_path: Path | None, db_url: str | None) -> str:
    """`budget-monitor` with the --settings and --db this invocation was given on the command
    line, for the next steps a command suggests (an environment variable stays in force)."""
    parts = ["budget-monitor"]
    if settings_path is not None:
        parts += ["--settings", shlex.quote(str(settings_path))]
    if db_url and ctx.get_parameter_source("db_url") is click.core.ParameterSource.COMMANDLINE:
        parts += ["--db", shlex.quote(db_url)]
    return " ".join(parts)


@cli.command("init", cls=WordedCommand, help="cli.init.help")
@click.pass_obj
def init_command(app: AppContext) -> None:
    """Create the ledger database, or upgrade its schema to this version (help for users:
    `cli.init.help`)."""
    try:
        upgrade(open_ledger(app.database_url, must_exist=False))
    except LedgerUnavailable as exc:
        raise UserError(unavailable_message(exc, app.words)) from None
    except UpgradeRefused as exc:
        said = app.words(
            "cli.error.upgrade_refused",
            broken=exc.broken,
            table=exc.table,
            row=exc.row,
            parent=exc.parent,
        )
        raise UserError(said) from None
    terminal = app.terminal
    click.echo(terminal("cli.init.done", url=app.database_url))
    terminal.next_steps(("cli.next.init", {"run": app.invocation}))


def main() -> None:
    """Console-script entry point; user errors exit 1 without a traceback."""
    cli.main(prog_name="budget-monitor")
