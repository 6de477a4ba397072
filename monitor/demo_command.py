"""`budget-monitor demo`: the whole product on a synthetic city, in one command."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path
from typing import Any

import click

from monitor.context import AppContext, UserError
from monitor.demo.walkthrough import DemoFailed, demo_context, run_demo
from monitor.evaluate_command import method_words
from monitor.options import json_option
from monitor.terminal_format import Terminal
from monitor.worded import WordedCommand, WordedOption

_MARKER = "README_SYNTHETISCH.txt"
# The method of each programme is named below the table: eight columns do not fit 80.
_COLUMNS = ("program", "planted", "estimate", "interval", "p", "mde", "recovered")


@click.command("demo", cls=WordedCommand, help="cli.demo.help")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("budget-monitor-demo"),
    cls=WordedOption,
    help="cli.demo.dir",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    cls=WordedOption,
    help="cli.demo.seed",
)
@json_option
@click.pass_obj
def demo_command(app: AppContext, directory: Path, seed: int, json_output: bool) -> None:
    """Build a SYNTHETIC city modelled on Düren and run every step on its own ledger (help for
    users: `cli.demo.help` in the catalogue)."""
    _clear_previous(directory)
    demo = demo_context(app, directory)
    try:
        summary = run_demo(demo, directory, seed)
    except DemoFailed as exc:
        raise UserError(app.words("cli.demo.failed", reason=exc)) from None
    if json_output or app.json_output:
        app.emit_json(summary)
        return
    print_summary(summary, directory, seed, app.lang)


def print_summary(summary: dict[str, Any], directory: Path, seed: int, lang: str) -> None:
    """The demo's summary on the terminal, in `lang`, amounts and numbers in its locale; the
    table within 80 columns (the method of each programme below it), then what to do next."""
    t = Terminal(lang)
    click.echo(t("cli.demo.title", seed=seed, folder=directory))
    verified = t("cli.demo.intact" if summary["verify"]["ok"] else "cli.demo.altered")
    click.echo(
        t(
            "cli.demo.imported",
            batches=t.count(summary["batches"]),
            corrections=t.count(summary["corrections"]),
            verified=verified,
        )
    )
    click.echo(
        t(
            "cli.demo.spending",
            year=summary["year"],
            total=t.money(summary["spending_total"]),
            unattributed=t.money(summary["spending_unattributed"]),
        )
    )
    table = t.table(
        t("cli.demo.table"),
        [(t(f"cli.demo.column.{c}"), "text" if c == "program" else "figure") for c in _COLUMNS],
    )
    for row in summary["programs"]:
        low, high = row["ci"]
        table.add_row(
            row["program"],
            t.signed(row["planted_effect"]),
            t.signed(row["estimate"]),
            "–" if low is None else f"{t.signed(low)} … {t.signed(high)}",
            t.number(row["pvalue"], 3),
            t.number(row["mde"]),
            t.yes_no(row["recovered"]) if row["recovered"] is not None else row["note"][:20],
        )
    t.print_table(table)
    by_method: dict[str, list[str]] = {}
    for row in summary["programs"]:
        by_method.setdefault(row["method"] or "–", []).append(row["program"])
    methods = "; ".join(
        f"{method_words(t, method)}: {', '.join(names)}" for method, names in by_method.items()
    )
    t.say(t("cli.demo.methods", methods=methods))
    report = summary["report"]
    click.echo(t("cli.demo.report", file=report["file"], pages=report["pages"]))
    click.echo(t("cli.demo.workbook", file=summary["auditor_workbook"]))
    click.echo(t("cli.demo.summary", file=directory / "demo-summary_SYNTHETISCH.json"))
    # The folder as the user named it: the commands read as the help's examples do.
    database = f"sqlite:///{directory / 'ledger.db'}"
    run = f"budget-monitor --db {shlex.quote(database)}"
    t.next_steps(
        ("cli.next.demo_report", {"file": report["file"]}),
        ("cli.next.demo_spend", {"run": run, "year": summary["year"]}),
        ("cli.next.demo_verify", {"run": run}),
    )


def _clear_previous(directory: Path) -> None:
    """Remove an earlier demo's ledger and files, but only in a folder the demo made."""
    if not (directory / "exports" / _MARKER).exists():
        return
    shutil.rmtree(directory / "exports")
    for suffix in ("", "-wal", "-shm"):
        (directory / f"ledger.db{suffix}").unlink(missing_ok=True)
