"""`budget-monitor import prices FILE [--series CODE]`: a yearly price index as master data.

The consumer price index (Destatis 61111-0001, a GENESIS flat file) makes `spend
--constant-prices` and the report's programme charts show money in prices of `[prices]
base_year` (`ledger.constant_prices`). Like every master-data import it is checked completely,
stored as a new sealed version, and refused whole with every bad line named.
"""

from __future__ import annotations

from pathlib import Path

import click

from imports.master_data.prices import parse_prices
from monitor.context import AppContext
from monitor.import_commands import import_group
from monitor.master_commands import (
    Prepared,
    parse_master_file,
    report_master_import,
    store_prepared,
)
from monitor.options import json_option


@import_group.command("prices")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--series", help="The series to take, e.g. PREIS1_2020=100 (default: the index).")
@json_option
@click.pass_obj
def import_prices_command(
    app: AppContext, path: Path, series: str | None, json_output: bool
) -> None:
    """A price index per year (the consumer price index, Destatis table 61111-0001) to show
    money in constant prices of [prices] base_year."""
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
    report_master_import(app, store_prepared(app, "prices", path, prepared), json_output)
