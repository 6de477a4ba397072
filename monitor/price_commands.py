"""`budget-monitor import prices FILE [--series CODE]`: a yearly price index as master data.

The consumer price index (Destatis 61111-0001, a GENESIS flat file) makes `spend
--constant-prices` and the report's programme charts show money in prices of `[prices]
base_year` (`ledger.constant_prices`). Like every master-data import it is checked completely,
stored as a new sealed version, and refused whole with every bad line named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from imports.master_data.prices import parse_prices
from monitor.context import AppContext
from monitor.master_commands import (
    Prepared,
    parse_master_file,
    report_import,
    store_prepared,
)
from monitor.options import json_option
from monitor.terminal_format import Terminal
from monitor.worded import WordedArgument, WordedCommand, WordedOption


@click.command("prices", cls=WordedCommand, help="cli.import.prices.help")
@click.argument(
    "path", type=click.Path(path_type=Path), cls=WordedArgument, metavar="cli.metavar.file"
)
@click.option("--series", cls=WordedOption, help="cli.import.prices.series")
@json_option
@click.pass_obj
def import_prices_command(
    app: AppContext, path: Path, series: str | None, json_output: bool
) -> None:
    """A price index per year (the consumer price index, Destatis table 61111-0001) to show
    money in constant prices of [prices] base_year (help for users: `cli.import.prices.help`)."""
    parsed = parse_master_file(app, parse_prices, path, series=series)
    levels = parsed.levels
    summary = {
        "series": parsed.series,
        "unit": parsed.unit,
        "region": parsed.region,
        "years": [int(levels["year"].min()), int(levels["year"].max())] if len(levels) else [],
        "levels": len(levels),
        "missing": parsed.missing,
        "other_series": list(parsed.other_series),
    }
    prepared = Prepared(list(parsed.errors), len(levels), {"price_index": levels}, summary)
    report_import(app, store_prepared(app, "prices", path, prepared), json_output, _prices_text)


def _prices_text(t: Terminal, d: dict[str, Any]) -> list[str]:
    years = "–".join(str(y) for y in d["years"])
    return [
        t(
            "cli.import.prices.done",
            file=Path(d["file"]).name,
            version=d["import"],
            levels=t.count(d["levels"]),
            series=d["series"],
            years=years,
        )
    ]
