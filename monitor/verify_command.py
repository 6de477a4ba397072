"""`budget-monitor verify`: prove that nothing in the ledger was changed behind its back."""

from __future__ import annotations

from dataclasses import replace

import click

from ledger.derived_verification import check_derived
from ledger.verification import verify_ledger
from monitor.context import AppContext
from monitor.ledger_check import known_heads, print_problems
from monitor.options import json_option


@click.command("verify")
@click.option(
    "--head",
    metavar="HEAD",
    help="A head known from outside (printed by an earlier verify, a report's provenance page or "
    "the anchor file): exit 1 where the ledger does not extend it.",
)
@json_option
@click.pass_obj
def verify_command(app: AppContext, head: str | None, json_output: bool) -> None:
    """Recompute the ledger's hash chain over postings, batches and master data; exit 1 and
    list each row changed, added or removed, and each known head the ledger does not extend
    (--head, the last head of [ledger] anchor_file, the latest report run's). The derived
    allocation table is compared with its recomputation (`ledger.derived_verification`)."""
    chain = verify_ledger(app.engine, heads=known_heads(app, head))
    derived = check_derived(app.engine, app.settings.ledger.spending_accounts)
    report = replace(
        chain,
        ok=chain.ok and not derived.problems,
        problems=(*chain.problems, *derived.problems),
    )
    if json_output or app.json_output:
        app.emit_json({**report.to_dict(), "derived": derived.to_dict()})
    else:
        state = "intact" if report.ok else "ALTERED"
        click.echo(
            f"ledger {state}: {report.batches} batches, {report.postings} postings, "
            f"{report.master_imports} master-data imports ({report.master_rows} rows)"
        )
        click.echo(f"head {report.head}  (keep this value outside the database)")
        for known in report.heads:
            extended = "extends" if known["extended"] else "does NOT extend"
            click.echo(f"the ledger {extended} {known['source']}: {known['head']}")
        print_problems(report)
    if not report.ok:
        raise SystemExit(1)
