"""`budget-monitor verify`: prove that nothing in the ledger was changed behind its back."""

from __future__ import annotations

import click

from ledger.verification import verify_ledger
from monitor.context import AppContext
from monitor.options import json_option


@click.command("verify")
@json_option
@click.pass_obj
def verify_command(app: AppContext, json_output: bool) -> None:
    """Recompute the ledger's hash chain; exit 1 and list each row changed, added or removed."""
    report = verify_ledger(app.engine)
    if json_output or app.json_output:
        app.emit_json(report.to_dict())
    else:
        state = "intact" if report.ok else "ALTERED"
        click.echo(f"ledger {state}: {report.batches} batches, {report.postings} postings")
        click.echo(f"head {report.head}  (keep this value outside the database)")
        for problem in report.problems:
            click.echo(f"problem: {problem['message']}", err=True)
    if not report.ok:
        raise SystemExit(1)
