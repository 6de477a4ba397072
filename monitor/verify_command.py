"""`budget-monitor verify`: prove that nothing in the ledger was changed behind its back."""

from __future__ import annotations

from dataclasses import replace

import click

from ledger.derived_verification import check_derived
from ledger.verification import verify_ledger
from monitor.context import AppContext
from monitor.ledger_check import known_heads, print_problems
from monitor.options import json_option
from monitor.problem_words import verify_part
from monitor.worded import WordedCommand, WordedOption


@click.command("verify", cls=WordedCommand, help="cli.verify.help")
@click.option("--head", metavar="cli.metavar.head", cls=WordedOption, help="cli.verify.head")
@json_option
@click.pass_obj
def verify_command(app: AppContext, head: str | None, json_output: bool) -> None:
    """Recompute the ledger's hash chain over postings, batches and master data; exit 1 and
    list each row changed, added or removed, and each known head the ledger does not extend
    (help for users: `cli.verify.help`). The derived allocation table is compared with its
    recomputation (`ledger.derived_verification`)."""
    chain = verify_ledger(app.engine, heads=known_heads(app, head))
    derived = check_derived(app.engine, app.settings.ledger.spending_patterns)
    report = replace(
        chain,
        ok=chain.ok and not derived.problems,
        problems=(*chain.problems, *derived.problems),
    )
    if json_output or app.json_output:
        app.emit_json({**report.to_dict(), "derived": derived.to_dict()})
    else:
        t = app.terminal
        t.say(
            t(
                "cli.verify.intact" if report.ok else "cli.verify.altered",
                batches=t.count(report.batches),
                postings=t.count(report.postings),
                master_imports=t.count(report.master_imports),
                master_rows=t.count(report.master_rows),
            )
        )
        click.echo(t("cli.verify.head_printed", head=report.head))
        for known in report.heads:
            key = "cli.verify.extends" if known["extended"] else "cli.verify.does_not_extend"
            source = verify_part(known["source_said"], t.words)
            click.echo(t(key, source=source, head=known["head"]))
        print_problems(report, t.words)
    if not report.ok:
        raise SystemExit(1)
