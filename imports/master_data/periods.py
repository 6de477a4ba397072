"""Time spans of master data: indicator periods, and the validity windows of measures and shares.

Periods (SPEC §5): a year `2024`, a quarter `2024-Q3` (also `2024 Q3`, `Q3/2024`, `3. Quartal
2024`), a month `2024-03` (also `03/2024`, `3.2024`, `März 2024`), or a date (`31.12.2024`,
`2024-12-31`, an Excel date) meaning the period that contains it. Labels are normalised to
"2024", "2024-Q3", "2024-03"; every period carries its first and last day.

Which period contains a date? A date alone does not say whether it is a year-end stock, a
quarter or a month of a series, so the series decides — per indicator, the finest of:
  - the kind of the indicator's other (labelled) periods in the file: quarters make its dates
    quarters, months make them months;
  - the spacing of its own dates: two different dates of one district in the same quarter make
    them months, two in the same year make them quarters (a monthly or quarterly series of
    Stichtage);
  - otherwise the year (a yearly series of year-end stocks, `31.12.2024` → "2024").
A number is a period only as a year (1900–2200); Excel dates arrive as dates.

Validity windows are closed intervals of days, None meaning open (no start, no end).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from imports.german_values import is_blank, parse_dates
from imports.problems import Problem, problem

KINDS = ("month", "quarter", "year")  # finest first
_YEARS = (1900, 2200)
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jänner", "january", "jan"),
            ("februar", "february", "feb"),
            ("märz", "maerz", "march", "mär", "mar"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("dezember", "december", "dez", "dec"),
        ),
        start=1,
    )
    for name in names
}
_QUARTER_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})\s*[-/]?\s*q\s*(?P<q>[1-4])$"),  # 2024-Q3, 2024 Q3, 2024/Q3
    re.compile(r"^q\s*(?P<q>[1-4])\s*[-/]?\s*(?P<y>\d{4})$"),  # Q3/2024, Q3 2024
    re.compile(
        r"^(?P<q>[1-4])\s*\.?\s*(?:quartal|qu\.?|q)\s*[/]?\s*(?P<y>\d{4})$"
    ),  # 3. Quartal 2024
    re.compile(r"^(?:quartal|qu\.?)\s*(?P<q>[1-4])\s*[-/]?\s*(?P<y>\d{4})$"),  # Quartal 3/2024
)
_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})\s*[-/]\s*(?P<m>\d{1,2})$"),  # 2024-03, 2024/3
    re.compile(r"^(?P<m>\d{1,2})\s*[/.]\s*(?P<y>\d{4})$"),  # 03/2024, 3.2024
)
_NAMED_MONTH = re.compile(r"^(?P<name>[a-zäé]+)\.?\s*(?P<y>\d{4})$")  # März 2024, Dez. 2024


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: label "2024", "2024-Q3" or "2024-03", and its first and last day."""

    start: dt.date
    end: dt.date
    label: str
    kind: str


def year(value: int) -> Period:
    return Period(dt.date(value, 1, 1), dt.date(value, 12, 31), str(value), "year")


def quarter(value: int, number: int) -> Period:
    first = dt.date(value, 3 * number - 2, 1)
    last_month = 3 * number
    last = dt.date(value, last_month, calendar.monthrange(value, last_month)[1])
    return Period(first, last, f"{value}-Q{number}", "quarter")


def month(value: int, number: int) -> Period:
    last = dt.date(value, number, calendar.monthrange(value, number)[1])
    return Period(dt.date(value, number, 1), last, f"{value}-{number:02d}", "month")


def containing(day: dt.date, kind: str) -> Period:
    """The period of `kind` that contains `day`."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    return year(day.year)


def _label(text: str) -> Period | None:
    """A year, quarter or month written as text; None when the text is none of these."""
    text = re.sub(r"\s+", " ", text.strip().casefold())
    if re.fullmatch(r"\d{4}", text):
        return year(int(text)) if _YEARS[0] <= int(text) <= _YEARS[1] else None
    for pattern in _QUARTER_PATTERNS:
        if found := pattern.match(text):
            return quarter(int(found["y"]), int(found["q"]))
    for pattern in _MONTH_PATTERNS:
        if (found := pattern.match(text)) and 1 <= int(found["m"]) <= 12:
            return month(int(found["y"]), int(found["m"]))
    if (found := _NAMED_MONTH.match(text)) and found["name"] in _MONTH_NAMES:
        return month(int(found["y"]), _MONTH_NAMES[found["name"]])
    return None


def read_periods(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each cell as a Period (a label) or a datetime.date (still to be placed in its period).

    Returns (parsed object Series, None where blank or bad; bad mask; blank mask). Parsing
    works on the distinct cell values, of which a file has few.
    """
    blank = is_blank(values)
    meaning: dict[str, Period | dt.date | None] = {}
    parsed_cells = []
    for value in values[~blank]:
        key = f"{type(value).__name__}:{value}"
        if key not in meaning:
            meaning[key] = _one(value)
        parsed_cells.append(meaning[key])
    parsed = pd.Series([None] * len(values), index=values.index, dtype=object)
    parsed[~blank] = pd.Series(parsed_cells, index=values.index[~blank], dtype=object)
    bad = parsed.isna() & ~blank
    return parsed, bad, blank


def _one(value: object) -> Period | dt.date | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        whole = float(value).is_integer() and _YEARS[0] <= value <= _YEARS[1]
        return year(int(value)) if whole else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        label = _label(value)
        if label is not None or value.strip().isdigit():
            return label  # digits alone are a year or nothing (not an Excel serial, not 202403)
        day, bad = parse_dates(pd.Series([value], dtype=object))
        if not bad.iloc[0] and not pd.isna(day.iloc[0]):
            return day.iloc[0].date()
    return None


def resolve_periods(parsed: pd.Series, series: pd.Series, unit: pd.Series) -> pd.Series:
    """Place every date of `parsed` in its period (rule in the module docstring).

    series: which indicator each row belongs to; unit: its district. Returns Periods (None where
    `parsed` is None).
    """
    is_date = parsed.map(lambda v: isinstance(v, dt.date))
    if not is_date.any():
        return parsed
    series, unit = series.fillna(""), unit.fillna("")  # rows already rejected for a blank
    frame = pd.DataFrame({"value": parsed, "series": series, "unit": unit})
    kind_of_series: dict[object, str] = {}
    for name, group in frame.groupby("series", sort=False, dropna=False):
        labels = [v.kind for v in group["value"] if isinstance(v, Period)]
        dates = group.loc[group["value"].map(lambda v: isinstance(v, dt.date)), ["unit", "value"]]
        kinds = [*labels, _spacing_kind(dates)]
        kind_of_series[name] = min(kinds, key=KINDS.index)
    resolved = parsed.copy()
    resolved[is_date] = [
        containing(day, kind_of_series[name])
        for day, name in zip(parsed[is_date], series[is_date], strict=True)
    ]
    return resolved


def _spacing_kind(dates: pd.DataFrame) -> str:
    """ "month" when a unit has two different dates in one quarter, "quarter" when in one year."""
    if dates.empty:
        return "year"
    distinct = dates.drop_duplicates()
    days = distinct["value"]
    by_quarter = [distinct["unit"], days.map(lambda d: (d.year, (d.month - 1) // 3))]
    if distinct.groupby(by_quarter, dropna=False).size().max() > 1:
        return "month"
    by_year = [distinct["unit"], days.map(lambda d: d.year)]
    if distinct.groupby(by_year, dropna=False).size().max() > 1:
        return "quarter"
    return "year"


def parse_period_option(text: str) -> Period | None:
    """`--period` for a whole file; a date there means its year (it has no series to go by)."""
    value = _one(text.strip())
    return containing(value, "year") if isinstance(value, dt.date) else value


# --- validity windows ------------------------------------------------------------------------


def overlaps(
    first: tuple[dt.date | None, dt.date | None], second: tuple[dt.date | None, dt.date | None]
) -> bool:
    """Do two closed day windows (None = open) share a day?"""
    starts_before_second_ends = first[0] is None or second[1] is None or first[0] <= second[1]
    second_starts_before_first_ends = second[0] is None or first[1] is None or second[0] <= first[1]
    return starts_before_second_ends and second_starts_before_first_ends


@dataclass(frozen=True)
class Span:
    """Days from `start` to `end` (None = open) on which a sum of shares is `total`."""

    start: dt.date | None
    end: dt.date | None
    total: Decimal


def share_sums(
    windows: Sequence[tuple[dt.date | None, dt.date | None, Decimal]],
) -> list[Span]:
    """The sum of the shares valid on each day, as maximal spans of equal sum.

    Sweeps the change points (each window's first day and the day after its last): between two
    consecutive change points the set of valid windows, hence the sum, is constant. Spans where
    no window is valid are left out; adjacent spans with equal sums are merged.
    """
    points = sorted(
        {w[0] for w in windows if w[0] is not None}
        | {w[1] + dt.timedelta(days=1) for w in windows if w[1] is not None}
    )
    bounds: list[tuple[dt.date | None, dt.date | None]] = []
    edges: list[dt.date | None] = [None, *points, None]
    for start, after in itertools.pairwise(edges):
        bounds.append((start, None if after is None else after - dt.timedelta(days=1)))
    spans: list[Span] = []
    for start, end in bounds:
        valid = [w[2] for w in windows if overlaps((w[0], w[1]), (start, end))]
        if not valid:
            continue
        total = sum(valid, Decimal(0))
        last = spans[-1] if spans else None
        adjacent = (
            last is not None
            and last.end is not None
            and start is not None
            and last.end + dt.timedelta(days=1) == start
        )
        if last is not None and adjacent and last.total == total:
            spans[-1] = Span(last.start, end, total)
        else:
            spans.append(Span(start, end, total))
    return spans


def describe_days(start: dt.date | None, end: dt.date | None) -> Problem:
    """`from 01.01.2024 to 31.12.2024`, `from 01.01.2024 on`, `until 31.12.2023`, `on every day`
    (as a problem, so that each language says it)."""
    if start is None and end is None:
        return problem("days_every")
    if start is None:
        assert end is not None
        return problem("days_until", end=f"{end:%d.%m.%Y}")
    if end is None:
        return problem("days_from", start=f"{start:%d.%m.%Y}")
    return problem("days_between", start=f"{start:%d.%m.%Y}", end=f"{end:%d.%m.%Y}")


def describe_window(start: dt.date | None, end: dt.date | None) -> Problem:
    """`01.01.2020–31.12.2023`, with `open` for a missing bound."""
    first = problem("window_open") if start is None else f"{start:%d.%m.%Y}"
    last = problem("window_open") if end is None else f"{end:%d.%m.%Y}"
    return problem("window", first=first, last=last)
