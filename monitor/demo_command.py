"""`budget-monitor demo`: the whole product on a synthetic city, in one command."""

from __future__ import annotations

import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from monitor.context import AppContext
from monitor.demo.walkthrough import DemoFailed, demo_context, run_demo
from monitor.options import json_option
from monitor.worded import WordedCommand, WordedOption
from reports.formatting import LocaleFormat
from reports.messages import Messages

_MARKER = "README_SYNTHETISCH.txt"
_COLUMNS = ("program", "planted", "method", "estimate", "interval", "p", "mde", "recovered")


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
        raise click.ClickException(f"demo failed: {exc}") from None
    if json_output or app.json_output:
        app.emit_json(summary)
        return
    print_summary(summary, directory, seed, app.lang)


def print_summary(summary: dict[str, Any], directory: Path, seed: int, lang: str) -> None:
    """The demo's summary on the terminal, in `lang`, amounts and numbers in its locale."""
    t, fmt = Messages(lang), LocaleFormat(lang)
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160)
    console.print(f"[bold]{t('cli.demo.title', seed=seed, folder=directory)}[/bold]")
    verified = t("cli.demo.intact" if summary["verify"]["ok"] else "cli.demo.altered")
    console.print(
        t(
            "cli.demo.imported",
            batches=fmt.integer(summary["batches"]),
            corrections=fmt.integer(summary["corrections"]),
            verified=verified,
        )
    )
    console.print(
        t(
            "cli.demo.spending",
            year=summary["year"],
            total=fmt.money(Decimal(summary["spending_total"])),
            unattributed=fmt.money(Decimal(summary["spending_unattributed"])),
        )
    )
    table = Table(title=t("cli.demo.table"))
    for column in _COLUMNS:
        table.add_column(t(f"cli.demo.column.{column}"))
    recovered = {True: t("cli.demo.yes"), False: t("cli.demo.no")}
    for row in summary["programs"]:
        low, high = row["ci"]
        table.add_row(
            row["program"],
            _signed(row["planted_effect"], fmt),
            row["method"] or "–",
            _signed(row["estimate"], fmt),
            "–" if low is None else f"{_signed(low, fmt)} … {_signed(high, fmt)}",
            "–" if row["pvalue"] is None else fmt.number(row["pvalue"], 3),
            "–" if row["mde"] is None else fmt.number(row["mde"], 2),
            recovered.get(row["recovered"], row["note"][:60]),
        )
    console.print(table)
    report = summary["report"]
    console.print(t("cli.demo.report", file=report["file"], pages=report["pages"]))
    console.print(t("cli.demo.workbook", file=summary["auditor_workbook"]))
    console.print(t("cli.demo.summary", file=directory / "demo-summary_SYNTHETISCH.json"))


def _signed(value: float | None, fmt: LocaleFormat) -> str:
    """+0,11 / −1,02: the sign always shown, as an effect's direction matters."""
    if value is None:
        return "–"
    text = fmt.number(value, 2)
    return text if text.startswith(("-", "−")) or text.strip("0,.") == "" else f"+{text}"


def _clear_previous(directory: Path) -> None:
    """Remove an earlier demo's ledger and files, but only in a folder the demo made."""
    if not (directory / "exports" / _MARKER).exists():
        return
    shutil.rmtree(directory / "exports")
    for suffix in ("", "-wal", "-shm"):
        (directory / f"ledger.db{suffix}").unlink(missing_ok=True)
