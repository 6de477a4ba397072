"""`budget-monitor report`: the social committee's PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from reports.committee_report import build_report

from monitor.context import AppContext
from monitor.report_assembly import assemble_report, default_period, record_run, report_period


def create_report(
    app: AppContext, period: str | None, out: Path | None, lang: str
) -> dict[str, Any]:
    """Assemble, build and record one report; returns SPEC §8's document."""
    with app.engine.connect() as connection:
        chosen = period or default_period(connection)
    report_period(chosen)  # refuses a malformed period before any work
    data = assemble_report(app, chosen)
    target = out or Path(f"Sozialbericht_{chosen}.pdf")
    target.parent.mkdir(parents=True, exist_ok=True)
    result = build_report(data, target, lang)
    run = record_run(app, chosen, lang, target, result.sha256, result.pages, data.ledger_head)
    return {"file": str(target), "sha256": result.sha256, "run": run, "pages": result.pages}


@click.command("report")
@click.option("--period", help="A year (2024) or a quarter (2024-Q4); default: the newest year.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="PDF file to write (default: Sozialbericht_PERIOD.pdf).",
)
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True)
@click.option("--json", "json_output", is_flag=True, help="Write one JSON document to stdout.")
@click.pass_obj
def report_command(
    app: AppContext, period: str | None, out: Path | None, lang: str, json_output: bool
) -> None:
    """Build the social committee's PDF report: spending per district, need and targeting,
    each program's estimated effect with its uncertainty, method notes and provenance."""
    document = create_report(app, period, out, lang)
    if json_output or app.json_output:
        app.emit_json(document)
    else:
        click.echo(f"report {document['run']}: {document['file']} ({document['pages']} pages)")
