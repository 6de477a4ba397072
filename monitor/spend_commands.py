"""`budget-monitor spend` and `budget-monitor trace`: where the money went, euro by euro."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.exc import InternalError, OperationalError, ProgrammingError

from ledger.constant_prices import NoPriceIndex, add_constant_prices, price_base
from ledger.derived_allocation import refresh_allocations
from ledger.master_store import resolve_as_of
from ledger.models import Posting
from ledger.spending import spend, trace
from ledger.tagging import AmbiguousPostings
from monitor.context import AppContext, UserError
from monitor.known_checks import require_codes, require_period
from monitor.ledger_check import checked_ledger, unverified_option
from monitor.options import as_of_option, json_option, xlsx_option
from monitor.period_options import period_options, resolve_period


def _period(
    app: AppContext, year: int | None, from_day: str | None, to_day: str | None
) -> tuple[date, date]:
    """The period asked for; without one, the year of the newest booking. That lookup reads
    every posting (no index leads with the booking date), so it runs only when needed."""
    default_year = date.today().year
    if year is None and not from_day and not to_day:
        with app.engine.connect() as connection:
            newest = connection.execute(select(func.max(Posting.booking_date))).scalar()
        default_year = newest.year if newest else default_year
    return resolve_period(year, from_day, to_day, default_year)


def _as_of_refreshed(app: AppContext, as_of: str | None) -> int | None:
    """The master import `--as-of` names, after bringing the derived allocation table up to
    date for it (in its own write transaction, so that the read that follows sees it).

    A ledger this user may only read (a read-only database role or file) cannot be refreshed;
    the figures are then computed on the fly, the same to the cent, only slower.
    """
    with app.engine.connect() as connection:
        import_id = resolve_as_of(connection, as_of)
    try:
        refresh_allocations(app.engine, app.settings.ledger.spending_patterns, import_id)
    except (OperationalError, ProgrammingError, InternalError) as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        click.echo(
            f"warning: allocation table not refreshed ({reason}); computing on the fly", err=True
        )
    return import_id


def _flag(mark: dict[str, object]) -> str:
    return " — UNVERIFIED: the ledger does not verify" if mark else ""


@click.command("spend")
@click.option(
    "--by",
    type=click.Choice(["district", "measure", "program"]),
    default="district",
    show_default=True,
)
@period_options
@click.option(
    "--constant-prices",
    is_flag=True,
    help="Also in constant prices of [prices] base_year, by the imported price index.",
)
@as_of_option
@unverified_option
@xlsx_option
@json_option
@click.pass_obj
def spend_command(
    app: AppContext,
    by: str,
    year: int | None,
    from_day: str | None,
    to_day: str | None,
    constant_prices: bool,
    as_of: str | None,
    unverified: bool,
    xlsx_path: Path | None,
    json_output: bool,
) -> None:
    """Spending per district, measure or program, with the unattributed rest as its own line.

    Only spending accounts ([ledger] spending_accounts) and current posting versions count;
    districts + unattributed = total spending of the period, to the cent. The ledger's hash
    chain is checked first (postings added since the last check, all master data).
    """
    mark = checked_ledger(app, unverified)
    start, end = _period(app, year, from_day, to_day)
    require_period(app, start, end)
    import_id = _as_of_refreshed(app, as_of)
    with app.engine.connect() as connection:
        try:
            patterns = app.settings.ledger.spending_patterns
            document = spend(connection, by, start, end, patterns, import_id)
            if constant_prices:
                base = price_base(connection, app.settings.prices.base_year, import_id)
                document = add_constant_prices(
                    document,
                    base,
                    lambda first, last: spend(connection, by, first, last, patterns, import_id),
                )
        except (AmbiguousPostings, NoPriceIndex) as exc:
            raise UserError(str(exc)) from None
    document.update(mark)
    if xlsx_path:
        # Imported only for a workbook: openpyxl costs a tenth of a second of every start-up.
        from reports.audit_workbook import write_spend_workbook

        write_spend_workbook(document, xlsx_path, app.lang)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    prices = document.get("prices")
    in_prices = f", real: prices of {prices['base_year']}" if isinstance(prices, dict) else ""
    table = Table(
        title=f"Spending by {by}, {start:%d.%m.%Y}–{end:%d.%m.%Y}{in_prices}{_flag(mark)}"
    )
    extra = ("population", "per_capita") if by == "district" else ("plan",)
    if constant_prices:
        extra = ("amount_real", *extra)
    for name in ("key", "name", "amount", *extra):
        table.add_column(name, justify="left" if name in ("key", "name") else "right")
    for row in document["rows"]:
        table.add_row(
            *(
                str(row.get(c) if row.get(c) is not None else "–")
                for c in ("key", "name", "amount", *extra)
            )
        )
    real = constant_prices
    rest = len(extra) - real
    table.add_row(
        "", "unattributed", str(document["unattributed"]),
        *([str(document["unattributed_real"])] if real else []), *([""] * rest),
    )  # fmt: skip
    table.add_row(
        "", "total", str(document["total"]),
        *([str(document["total_real"])] if real else []), *([""] * rest),
    )  # fmt: skip
    Console(file=sys.stdout, width=None if sys.stdout.isatty() else 200).print(table)


@click.command("trace")
@click.option("--district", required=True, help="District code, e.g. SR03.")
@period_options
@click.option("--measure", help="Only this measure.")
@as_of_option
@unverified_option
@xlsx_option
@json_option
@click.pass_obj
def trace_command(
    app: AppContext,
    district: str,
    year: int | None,
    from_day: str | None,
    to_day: str | None,
    measure: str | None,
    as_of: str | None,
    unverified: bool,
    xlsx_path: Path | None,
    json_output: bool,
) -> None:
    """Every posting behind a district's figure: measure, share, amount, file and row.

    The items sum exactly to the district's `spend` amount for the same period.
    """
    mark = checked_ledger(app, unverified)
    require_codes(app, district=district, measure=measure)
    start, end = _period(app, year, from_day, to_day)
    require_period(app, start, end)
    import_id = _as_of_refreshed(app, as_of)
    with app.engine.connect() as connection:
        try:
            document = trace(
                connection,
                district,
                start,
                end,
                app.settings.ledger.spending_patterns,
                import_id,
                measure,
            )
        except AmbiguousPostings as exc:
            raise UserError(str(exc)) from None
    document.update(mark)
    if xlsx_path:
        from reports.audit_workbook import write_trace_workbook

        write_trace_workbook(document, xlsx_path, app.lang)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    click.echo(
        f"District {district}, {start:%d.%m.%Y}–{end:%d.%m.%Y}: {document['total']} "
        f"in {len(document['items'])} item(s){_flag(mark)}"
    )
    for item in document["items"]:
        posting, source = item["posting"], item["source"]
        click.echo(
            f"  {posting['booking_date']} {item['measure']:<10} share {item['share']:<8} "
            f"{item['allocated']:>14} of {posting['amount']:>14}  "
            f"{source['file']} {source['sheet']}!{source['row']}"
        )
