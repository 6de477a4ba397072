"""`budget-monitor demo`: the whole product on a synthetic city, in one command."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from monitor.context import AppContext
from monitor.demo.walkthrough import DemoFailed, demo_context, run_demo

_MARKER = "README_SYNTHETISCH.txt"


@click.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("budget-monitor-demo"),
    show_default=True,
    help="Folder for the synthetic files, the demo's own ledger and its outputs.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the synthetic city; the same seed gives the same city.",
)
@click.option("--json", "json_output", is_flag=True, help="Write one JSON document to stdout.")
@click.pass_obj
def demo_command(app: AppContext, directory: Path, seed: int, json_output: bool) -> None:
    """Build a SYNTHETIC city modelled on Düren and run every step on its own ledger.

    Imports its exports and master data, verifies the ledger, computes spending, need and
    targeting, evaluates each program against its planted effect, and writes the committee's
    PDF report and the auditor workbook. Your own ledger is not touched; a previous demo in the
    folder is replaced.
    """
    _clear_previous(directory)
    demo = demo_context(app, directory)
    try:
        summary = run_demo(demo, directory, seed)
    except DemoFailed as exc:
        raise click.ClickException(f"demo failed: {exc}") from None
    if json_output or app.json_output:
        app.emit_json(summary)
        return
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160)
    console.print(f"[bold]SYNTHETIC demo city[/bold] (seed {seed}) in {directory}")
    console.print(
        f"{summary['batches']} exports imported ({summary['corrections']} correction), "
        f"ledger verified: {'intact' if summary['verify']['ok'] else 'ALTERED'}"
    )
    console.print(
        f"spending {summary['year']}: {summary['spending_total']} € "
        f"(unattributed {summary['spending_unattributed']} €)"
    )
    table = Table(title="Programs: planted effect on the SGB II rate vs estimate")
    for name in ("program", "planted", "method", "estimate", "95 % CI", "p", "MDE", "recovered"):
        table.add_column(name)
    for row in summary["programs"]:
        ci = row["ci"]
        table.add_row(
            row["program"],
            f"{row['planted_effect']:+.2f}",
            row["method"] or "–",
            "–" if row["estimate"] is None else f"{row['estimate']:+.2f}",
            "–" if ci[0] is None else f"{ci[0]:+.2f} … {ci[1]:+.2f}",
            "–" if row["pvalue"] is None else f"{row['pvalue']:.3f}",
            "–" if row["mde"] is None else f"{row['mde']:.2f}",
            {True: "yes", False: "no", None: row["note"][:60]}[row["recovered"]],
        )
    console.print(table)
    console.print(
        f"committee report: {summary['report']['file']} ({summary['report']['pages']} pages)"
    )
    console.print(f"auditor workbook: {summary['auditor_workbook']}")
    console.print(f"summary: {directory / 'demo-summary_SYNTHETISCH.json'}")


def _clear_previous(directory: Path) -> None:
    """Remove an earlier demo's ledger and files, but only in a folder the demo made."""
    if not (directory / "exports" / _MARKER).exists():
        return
    shutil.rmtree(directory / "exports")
    for suffix in ("", "-wal", "-shm"):
        (directory / f"ledger.db{suffix}").unlink(missing_ok=True)
