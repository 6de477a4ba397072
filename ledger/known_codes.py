"""Which codes and years the ledger knows, so that a code or period it does not know is refused
by name instead of answered with zeros (issue 16: `trace --district S03` when codes are SR03).

The answers are data (the unknown code, the closest known ones); the front door words them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from ledger.master_models import District, IndicatorValue, Measure
from ledger.models import Posting

# What each kind of code is looked up in: codes of any master import, since `--as-of` may name
# an older one and a code that existed then is not a typo.
_COLUMNS = {
    "district": District.code,
    "measure": Measure.code,
    "program": Measure.program,
    "indicator": IndicatorValue.indicator,
}
_SUGGESTIONS = 3
# difflib's ratio: 0.5 still finds "sgb2" in "sgb2_quote" (0.57) and "S03" in "SR03" (0.86).
_CUTOFF = 0.5


@dataclass(frozen=True)
class UnknownCode(Exception):
    """`code` is not a known `kind` (district, measure, program, indicator); `closest` are the
    known codes nearest to it (the first known ones where none is near), `known` how many exist."""

    kind: str
    code: str
    closest: tuple[str, ...]
    known: int

    def __str__(self) -> str:
        return f"unknown {self.kind} {self.code!r}; closest: {', '.join(self.closest)}"


@dataclass(frozen=True)
class EmptyPeriod(Exception):
    """No posting is booked between `start` and `end`; `years` are the fiscal years that have
    postings (empty for a ledger without any)."""

    start: date
    end: date
    years: tuple[int, ...]

    def __str__(self) -> str:
        return f"no postings between {self.start} and {self.end}; years: {self.years}"


def known_codes(connection: Connection, kind: str) -> list[str]:
    column = _COLUMNS[kind]
    found = connection.execute(select(column).where(column.is_not(None)).distinct()).scalars()
    return sorted(str(code) for code in found)


def closest_codes(code: str, known: list[str]) -> tuple[str, ...]:
    """The known codes nearest to `code`, ignoring case; codes that contain it come first."""
    by_folded = {k.casefold(): k for k in known}
    folded = code.casefold()
    containing = [k for f, k in by_folded.items() if folded and (folded in f or f in folded)]
    similar = difflib.get_close_matches(folded, list(by_folded), n=_SUGGESTIONS, cutoff=_CUTOFF)
    nearest = list(dict.fromkeys([*containing, *(by_folded[f] for f in similar)]))
    return tuple((nearest or known)[:_SUGGESTIONS])


def require_known(connection: Connection, kind: str, code: str | None) -> None:
    """Raise UnknownCode unless `code` (None: not asked for) is a known code of `kind`."""
    if code is None:
        return
    known = known_codes(connection, kind)
    if code not in known:
        raise UnknownCode(kind, code, closest_codes(code, known), len(known))


def posting_years(connection: Connection) -> tuple[int, ...]:
    """The fiscal years with postings (an index serves it)."""
    years = connection.execute(select(Posting.fiscal_year).distinct()).scalars()
    return tuple(sorted(int(year) for year in years if year is not None))


def require_postings(connection: Connection, start: date, end: date) -> None:
    """Raise EmptyPeriod unless some posting is booked from `start` to `end` (inclusive)."""
    booked = connection.execute(
        select(Posting.id).where(Posting.booking_date.between(start, end)).limit(1)
    ).first()
    if booked is None:
        raise EmptyPeriod(start, end, posting_years(connection))
