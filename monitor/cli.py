"""The `budget-monitor` command line: parse options, call a library function, print.

Exit codes (SPEC §2): 0 done; 1 input rejected or a check failed (nothing changed); 2 wrong usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger.database import create_ledger_engine
from ledger.schema import upgrade
from monitor.context import AppContext, UserError
from monitor.demo_command import demo_command
from monitor.evaluate_command import evaluate_command
from monitor.import_commands import batches_command, import_group
from monitor.master_commands import template_command
from monitor.need_commands import need_command, targeting_command
from monitor.settings import SettingsError, load_settings
from monitor.spend_commands import spend_command, trace_command
from monitor.verify_command import verify_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    upgrade(create_ledger_engine(app.database_url))
    click.echo(f"ledger ready: {app.database_url}")


cli.add_command(import_group)
cli.add_command(batches_command)
cli.add_command(verify_command)
cli.add_command(spend_command)
cli.add_command(trace_command)
cli.add_command(template_command)
cli.add_command(need_command)
cli.add_command(targeting_command)
cli.add_command(demo_command)
cli.add_command(evaluate_command)


def main() -> None:
    """Console-script entry point; user errors exit 1 without a traceback."""
    cli.main(prog_name="budget-monitor")
