"""Refuse what the ledger does not know, in words: an unknown district, measure, programme or
indicator code names the closest known ones; a period without postings names the years that have
some (issue 16 item 4). Answering zeros instead would look like a real, empty result."""

from __future__ import annotations

from datetime import date

from ledger.known_codes import EmptyPeriod, UnknownCode, require_known, require_postings
from monitor.context import AppContext, UserError
from reports.messages import Messages


def unknown_code_message(exc: UnknownCode, words: Messages) -> str:
    kind = words(f"cli.kind.{exc.kind}")
    if not exc.known:
        return words("cli.error.no_codes", kind=kind, code=exc.code)
    return words("cli.error.unknown_code", kind=kind, code=exc.code, closest=", ".join(exc.closest))


def empty_period_message(exc: EmptyPeriod, words: Messages) -> str:
    if not exc.years:
        return words("cli.error.no_postings_at_all")
    years = ", ".join(str(year) for year in exc.years)
    if (exc.start.month, exc.start.day, exc.end.month, exc.end.day) == (1, 1, 12, 31) and (
        exc.start.year == exc.end.year
    ):
        return words("cli.error.empty_year", year=exc.start.year, years=years)
    return words(
        "cli.error.empty_period",
        start=exc.start.isoformat() if words.lang == "en" else f"{exc.start:%d.%m.%Y}",
        end=exc.end.isoformat() if words.lang == "en" else f"{exc.end:%d.%m.%Y}",
        years=years,
    )


def require_codes(app: AppContext, **codes: str | None) -> None:
    """Exit 1 naming the first unknown code; `codes` maps a kind (district, measure, program,
    indicator) to the code asked for, None where none was."""
    with app.engine.connect() as connection:
        try:
            for kind, code in codes.items():
                require_known(connection, kind, code)
        except UnknownCode as exc:
            raise UserError(unknown_code_message(exc, app.words)) from None


def require_period(app: AppContext, start: date, end: date) -> None:
    """Exit 1 where no posting is booked from `start` to `end`."""
    with app.engine.connect() as connection:
        try:
            require_postings(connection, start, end)
        except EmptyPeriod as exc:
            raise UserError(empty_period_message(exc, app.words)) from None
