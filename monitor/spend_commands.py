"""`budget-monitor spend` and `budget-monitor trace`: where the money went, euro by euro."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
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
from monitor.ledger_check import checked_ledger, unverified_option, verify_mark
from monitor.options import as_of_option, json_option, xlsx_option
from monitor.period_options import period_options, resolve_period
from monitor.terminal_format import Terminal
from monitor.unattributed_section import explained, print_unattributed
from monitor.worded import WordedCommand, WordedOption


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
        words = app.words
        click.echo(
            words("cli.warning", message=words("cli.spend.not_refreshed", reason=reason)), err=True
        )
    return import_id


# The rows' columns beside code, name and amount, by `--by`.
_EXTRA = {"district": ("population", "per_capita"), "measure": ("plan",), "program": ("plan",)}
# Traced items shown on the terminal; the workbook (--xlsx) and --json hold every one.
_SHOWN_ITEMS = 100


def spend_figures(
    app: AppContext,
    by: str,
    year: int | None,
    from_day: str | None,
    to_day: str | None,
    constant_prices: bool = False,
    as_of: str | None = None,
    unverified: bool = False,
) -> dict[str, Any]:
    """The `spend --json` document (SPEC §6), after the ledger check: the one path to these
    figures, for the command line and the web atlas alike. UserError where they cannot be had."""
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
            document = explained(app, connection, document, import_id)
        except (AmbiguousPostings, NoPriceIndex) as exc:
            raise UserError.refusing(exc) from None
    document.update(mark)
    return document


def trace_figures(
    app: AppContext,
    district: str,
    year: int | None,
    from_day: str | None,
    to_day: str | None,
    measure: str | None = None,
    as_of: str | None = None,
    unverified: bool = False,
) -> dict[str, Any]:
    """The `trace --json` document (SPEC §6), after the ledger check: the one path to the
    postings behind a district's figure, for the command line and the web atlas alike."""
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
            raise UserError.refusing(exc) from None
    document.update(mark)
    return document


def _span(document: dict[str, Any]) -> tuple[date, date]:
    """The period a `spend` or `trace` document covers."""
    return date.fromisoformat(document["from"]), date.fromisoformat(document["to"])


@click.command("spend", cls=WordedCommand, help="cli.spend.help")
@click.option(
    "--by",
    type=click.Choice(["district", "measure", "program"]),
    default="district",
    cls=WordedOption,
    help="cli.spend.by",
)
@period_options
@click.option("--constant-prices", is_flag=True, cls=WordedOption, help="cli.spend.constant_prices")
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
    """Spending per district, measure or program, with the unattributed rest as its own line;
    districts + unattributed = total, to the cent (help for users: `cli.spend.help`)."""
    document = spend_figures(app, by, year, from_day, to_day, constant_prices, as_of, unverified)
    mark, (start, end) = verify_mark(document), _span(document)
    if xlsx_path:
        # Imported only for a workbook: openpyxl costs a tenth of a second of every start-up.
        from reports.audit_workbook import write_spend_workbook

        write_spend_workbook(document, xlsx_path, app.lang)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    print_spending(app.terminal, document, start, end, mark)


def print_spending(
    t: Terminal, document: dict[str, Any], start: date, end: date, mark: dict[str, Any]
) -> None:
    """The `spend` table: code, name, amount (in constant prices too, with --constant-prices;
    population and per inhabitant, or plan), the unattributed rest and the total, amounts in
    the locale."""
    by = document["by"]
    prices = document.get("prices")
    real = isinstance(prices, dict)
    extra = (*(("amount_real",) if real else ()), *_EXTRA[by])
    title = t(f"cli.spend.title.{by}", start=t.day(start), end=t.day(end))
    if real:
        title += t("cli.spend.in_prices", year=prices["base_year"])
    if mark:
        title += t("cli.unverified_flag")
    table = t.table(
        title,
        [
            (t("cli.spend.column.key"), "fixed"),
            (t("cli.spend.column.name"), "text"),
            (t("cli.spend.column.amount"), "figure"),
            *((t(f"cli.spend.column.{name}"), "figure") for name in extra),
        ],
    )
    figures = {
        "amount": t.money,
        "amount_real": t.money,
        "per_capita": t.money,
        "plan": t.money,
        "population": t.count,
    }
    for row in document["rows"]:
        table.add_row(
            row["key"],
            row["name"] or "",
            *(figures[name](row.get(name)) for name in ("amount", *extra)),
        )
    table.add_section()
    blank = [""] * (len(extra) - real)
    for key, name in (("unattributed", "cli.spend.unattributed"), ("total", "cli.spend.total")):
        figures_real = [t.money(document[f"{key}_real"])] if real else []
        table.add_row("", t(name), t.money(document[key]), *figures_real, *blank)
    t.print_table(table)
    print_unattributed(document, t.lang)


@click.command("trace", cls=WordedCommand, help="cli.trace.help")
@click.option("--district", required=True, cls=WordedOption, help="cli.trace.district")
@period_options
@click.option("--measure", cls=WordedOption, help="cli.trace.measure")
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
    """Every posting behind a district's figure: measure, share, amount, file and row; the
    items sum exactly to the district's `spend` amount (help for users: `cli.trace.help`)."""
    document = trace_figures(app, district, year, from_day, to_day, measure, as_of, unverified)
    mark, (start, end) = verify_mark(document), _span(document)
    if xlsx_path:
        from reports.audit_workbook import write_trace_workbook

        write_trace_workbook(document, xlsx_path, app.lang)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    print_trace(app.terminal, document, start, end, mark)


def print_trace(
    t: Terminal, document: dict[str, Any], start: date, end: date, mark: dict[str, Any]
) -> None:
    """The postings behind a district's figure: the sum first, then one row per posting and
    measure with where it came from; the first _SHOWN_ITEMS, all of them in --xlsx and --json."""
    items = document["items"]
    title = t(
        "cli.trace.title",
        district=document["district"],
        start=t.day(start),
        end=t.day(end),
        total=t.money(document["total"]),
        count=t.count(len(items)),
    )
    if mark:
        title += t("cli.unverified_flag")
    table = t.table(
        title,
        [
            (t("cli.trace.column.date"), "fixed"),
            (t("cli.trace.column.measure"), "fixed"),
            (t("cli.trace.column.share"), "figure"),
            (t("cli.trace.column.allocated"), "figure"),
            (t("cli.trace.column.amount"), "figure"),
            (t("cli.trace.column.batch"), "figure"),
            (t("cli.trace.column.sheet"), "text"),
            (t("cli.trace.column.row"), "figure"),
        ],
    )
    files: dict[int, str] = {}
    for item in items[:_SHOWN_ITEMS]:
        posting, source = item["posting"], item["source"]
        files[source["batch"]] = source["file"]
        table.add_row(
            t.day(posting["booking_date"]),
            item["measure"],
            _share(t, item["share"]),
            t.money(item["allocated"]),
            t.money(posting["amount"]),
            str(source["batch"]),
            str(source["sheet"]),
            str(source["row"]),
        )
    t.print_table(table)
    if len(items) > _SHOWN_ITEMS:
        click.echo(t("cli.trace.more", shown=_SHOWN_ITEMS, count=t.count(len(items))))
    # The files by import number, once each: a file name in every row would not fit 80 columns.
    for batch, file in sorted(files.items()):
        click.echo(t("cli.trace.file", batch=batch, file=file))


def _share(t: Terminal, share: str) -> str:
    """A district's share of a posting as a percentage: "100 %", "33,3 %"."""
    value = Decimal(share)
    return t.fmt.percent(value, 0 if (value * 100) == (value * 100).to_integral() else 1)
