"""The `budget-monitor` command line: parse options, call a library function, print.

Exit codes (SPEC §2): 0 done; 1 input rejected or a check failed (nothing changed); 2 wrong usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger.database import create_ledger_engine
from ledger.schema import UpgradeRefused, upgrade
from monitor.context import AppContext, UserError
from monitor.lazy_group import LazyGroup
from monitor.settings import SettingsError, load_settings

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
    "evaluate": "monitor.evaluate_command:evaluate_command",
    "demo": "monitor.demo_command:demo_command",
    "serve": "monitor.service.commands:serve_command",
    "jobs": "monitor.service.commands:jobs_command",
    "run-job": "monitor.service.commands:run_job_command",
    "status": "monitor.service.commands:status_command",
    "report": "monitor.report_command:report_command",
}


@click.group(
    cls=LazyGroup,
    lazy_subcommands=SUBCOMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--settings",
    "settings_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (TOML). Default: ./settings.toml if present, else built-in defaults.",
)
@click.option(
    "--db",
    "db_url",
    envvar="BUDGET_MONITOR_DB",
    help="Database URL; overrides [database] url. Env: BUDGET_MONITOR_DB.",
)
@click.option("--json", "json_output", is_flag=True, help="Write one JSON document to stdout.")
@click.version_option(package_name="budget-impact-monitor")
@click.pass_context
def cli(
    ctx: click.Context, settings_path: Path | None, db_url: str | None, json_output: bool
) -> None:
    """Budget-impact monitor: does the money reach the districts that need it, and does it help?"""
    try:
        settings = load_settings(settings_path)
    except SettingsError as exc:
        raise UserError(str(exc)) from None
    ctx.obj = AppContext(
        settings=settings,
        database_url=db_url or settings.database_url,
        json_output=json_output,
    )


@cli.command("init")
@click.pass_obj
def init_command(app: AppContext) -> None:
    """Create the ledger database, or upgrade its schema to this version."""
    try:
        upgrade(create_ledger_engine(app.database_url))
    except UpgradeRefused as exc:
        raise UserError(str(exc)) from None
    click.echo(f"ledger ready: {app.database_url}")


def main() -> None:
    """Console-script entry point; user errors exit 1 without a traceback."""
    cli.main(prog_name="budget-monitor")
