"""The `budget-monitor` command line: parse options, call a library function, print.

Exit codes (SPEC §2): 0 done; 1 input rejected or a check failed (nothing changed); 2 wrong usage.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ledger.reachability import LedgerUnavailable, open_ledger
from ledger.schema import UpgradeRefused, upgrade
from monitor.context import READING_COMMANDS, AppContext, UserError, unavailable_message
from monitor.language import choose_language, invocation_language, remember_language
from monitor.lazy_group import LazyGroup
from monitor.settings import SettingsError, load_settings
from monitor.worded import Worded, WordedOption
from reports.messages import LANGUAGES

# Subcommands load on use, so that importing postings never imports the statistics stack.
SUBCOMMANDS = {
    "import": "monitor.import_group:import_group",
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
}


class FrontDoor(Worded, LazyGroup):
    """The top-level group: subcommands load on use, help and errors in the invocation's
    language."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            exc.lang = invocation_language(ctx)
            raise


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
        raise UserError(str(exc)) from None
    language = choose_language(lang, os.environ, settings)
    remember_language(ctx, language.lang)
    ctx.obj = AppContext(
        settings=settings,
        database_url=db_url or settings.database_url,
        json_output=json_output,
        lang=language.lang,
        lang_explicit=language.explicit,
        reading=ctx.invoked_subcommand in READING_COMMANDS,
    )


@cli.command("init")
@click.pass_obj
def init_command(app: AppContext) -> None:
    """Create the ledger database, or upgrade its schema to this version."""
    try:
        upgrade(open_ledger(app.database_url, must_exist=False))
    except LedgerUnavailable as exc:
        raise UserError(unavailable_message(exc, app.words)) from None
    except UpgradeRefused as exc:
        raise UserError(str(exc)) from None
    click.echo(f"ledger ready: {app.database_url}")


def main() -> None:
    """Console-script entry point; user errors exit 1 without a traceback."""
    cli.main(prog_name="budget-monitor")
