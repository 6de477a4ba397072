"""`--year Y | --from DATE --to DATE`, shared by the commands that report on a period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import click

from monitor.language import invocation_words
from monitor.worded import WordedOption


def parse_day(text: str) -> date:
    """ISO `2024-03-31` or German `31.03.2024`."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise click.BadParameter(invocation_words()("cli.period.not_a_day", text=text))


def period_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option("--to", "to_day", cls=WordedOption, help="cli.period.to")(function)
    function = click.option("--from", "from_day", cls=WordedOption, help="cli.period.from")(
        function
    )
    return click.option("--year", type=int, cls=WordedOption, help="cli.period.year")(function)


def resolve_period(
    year: int | None, from_day: str | None, to_day: str | None, default_year: int
) -> tuple[date, date]:
    """The reported period; without options, the calendar year `default_year`."""
    words = invocation_words()
    if year is not None and (from_day or to_day):
        raise click.UsageError(words("cli.period.year_or_days"))
    if from_day or to_day:
        if not (from_day and to_day):
            raise click.UsageError(words("cli.period.both_days"))
        start, end = parse_day(from_day), parse_day(to_day)
        if start > end:
            raise click.UsageError(words("cli.period.from_after_to"))
        return start, end
    chosen = year if year is not None else default_year
    return date(chosen, 1, 1), date(chosen, 12, 31)
