"""`budget-monitor need` and `targeting`: where the need is, and whether the money follows it."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection

from evaluation.need import NeedTable, need_table
from evaluation.targeting import targeting
from imports.money import format_cents
from ledger.master_store import districts, indicator_values, population, resolve_as_of
from ledger.spending import spend
from ledger.tagging import AmbiguousPostings
from monitor.context import AppContext, UserError
from monitor.settings import Settings
from reports.audit_workbook import write_need_workbook


def compute_need(
    connection: Connection, settings: Settings, period: str | None, as_of: int | None = None
) -> NeedTable:
    """The need table from the ledger's master data and the settings' need index."""
    weights = dict(settings.evaluation.need_index)
    values = indicator_values(connection, as_of)
    values = values[values["indicator"].isin(weights)]
    if values.empty:
        raise UserError(
            f"no values for the need indicators {', '.join(weights)} "
            "([evaluation] need_index); import indicators first"
        )
    listed = districts(connection, as_of)
    names = dict(zip(listed["code"], listed["name"], strict=True))
    higher_is_worse = {
        code: settings.indicators[code].higher_is_worse if code in settings.indicators else True
        for code in weights
    }
    try:
        return need_table(
            values[["district", "indicator", "period", "value"]],
            population(connection, as_of),
            names,
            weights,
            higher_is_worse,
            settings.disclosure.min_population,
            period,
        )
    except ValueError as exc:
        raise UserError(str(exc)) from None


@click.command("need")
@click.option("--period", help="Period (2018, 2024-Q3); default: the newest with values.")
@click.option("--as-of", help="Master data as of an import number or a day.")
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the table as an Excel workbook.",
)
@click.option("--json", "json_output", is_flag=True, help="Write one JSON document to stdout.")
@click.pass_obj
def need_command(
    app: AppContext,
    period: str | None,
    as_of: str | None,
    xlsx_path: Path | None,
    json_output: bool,
) -> None:
    """Need index, rank and class per district, with change and persistence of high need.

    Districts below [disclosure] min_population, or with a need indicator missing, are
    suppressed with the reason and used for no z-score.
    """
    with app.engine.connect() as connection:
        table = compute_need(connection, app.settings, period, resolve_as_of(connection, as_of))
    document = table.to_dict()
    if xlsx_path:
        write_need_workbook(document, xlsx_path)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    view = Table(title=f"Need {document['period']} ({', '.join(document['indicators'])})")
    for name in (
        "rank",
        "key",
        "name",
        "population",
        "need index",
        "class",
        "change",
        "persistent",
    ):
        view.add_column(name)
    for row in document["districts"]:
        change = "–" if row["change"] is None else f"{row['change']:+.2f}"
        view.add_row(
            str(row["need_rank"]),
            row["key"],
            row["name"],
            str(row["population"]),
            f"{row['need_index']:.2f}",
            row["need_class"],
            change,
            str(row["persistent"]),
        )
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 200)
    console.print(view)
    for item in document["suppressed"]:
        console.print(f"suppressed {item['key']}: {item['reason']}")


@click.command("targeting")
@click.option("--year", type=int, help="Year; default: the newest year with need values.")
@click.option("--as-of", help="Master data as of an import number or a day.")
@click.option("--json", "json_output", is_flag=True, help="Write one JSON document to stdout.")
@click.pass_obj
def targeting_command(
    app: AppContext, year: int | None, as_of: str | None, json_output: bool
) -> None:
    """Does spending per inhabitant follow need? Rank correlation, the neediest fifth's share,
    the concentration index, and a verdict in one sentence."""
    with app.engine.connect() as connection:
        version = resolve_as_of(connection, as_of)
        need = compute_need(connection, app.settings, None if year is None else str(year), version)
        chosen = int(need.period[:4]) if year is None else year
        try:
            spent = spend(
                connection,
                "district",
                date(chosen, 1, 1),
                date(chosen, 12, 31),
                app.settings.ledger.spending_accounts,
                version,
            )
        except AmbiguousPostings as exc:
            raise UserError(str(exc)) from None
    need_frame = pd.DataFrame(
        [
            {"key": r.key, "need_index": r.need_index, "need_rank": r.need_rank}
            for r in need.districts
        ]
    )
    spending = pd.DataFrame(
        [
            {
                "key": r["key"],
                "population": r["population"],
                "amount_cents": int(Decimal(r["amount"]) * 100),
            }
            for r in spent["rows"]
        ]
    )
    result = targeting(need_frame, spending, year=chosen)
    document = result.to_dict()
    if json_output or app.json_output:
        app.emit_json(document)
        return
    click.echo(result.verdict)
    click.echo(
        f"spending {format_cents(int(spending['amount_cents'].sum()))} attributed to "
        f"districts in {chosen}; unattributed {spent['unattributed']}"
    )
