"""`--year Y | --from DATE --to DATE`, shared by the commands that report on a period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import click


def parse_day(text: str) -> date:
    """ISO `2024-03-31` or German `31.03.2024`."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise click.BadParameter(f"{text!r} is not a date (expected 2024-03-31 or 31.03.2024)")


def period_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option("--to", "to_day", help="Last day (2024-12-31 or 31.12.2024).")(function)
    function = click.option("--from", "from_day", help="First day (2024-01-01 or 01.01.2024).")(
        function
    )
    return click.option("--year", type=int, help="A calendar (fiscal) year.")(function)


def resolve_period(
    year: int | None, from_day: str | None, to_day: str | None, default_year: int
) -> tuple[date, date]:
    """The reported period; without options, the calendar year `default_year`."""
    if year is not None and (from_day or to_day):
        raise click.UsageError("give either --year or --from/--to, not both")
    if from_day or to_day:
        if not (from_day and to_day):
            raise click.UsageError("--from and --to go together")
        start, end = parse_day(from_day), parse_day(to_day)
        if start > end:
            raise click.UsageError("--from is after --to")
        return start, end
    chosen = year if year is not None else default_year
    return date(chosen, 1, 1), date(chosen, 12, 31)
