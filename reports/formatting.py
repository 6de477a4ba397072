"""Numbers, money and dates as the committee reads them: German by default, through Babel.

Every string here comes from the locale's own CLDR patterns (grouping, decimal mark, currency and
percent placement, date order), so `de` gives 1.234,56 €, 31,2 % and 31.12.2024 and `en` gives
€1,234.56, 31.2% and 31 Dec 2024 — no hand-made replace(",", ".") tricks.

Rounding: every value is rounded HALF UP (kaufmännische Rundung, as the ledger rounds cents)
to the digits shown before Babel formats it; Babel on its own would round half to even
(0,125 → 0,12), which a finance committee would read as an error. Floats are converted through
their shortest repr (`Decimal(str(x))`), so 0.125 is rounded as the decimal 0.125 it prints as.
Babel puts a no-break space between number and unit (1.234,56\u00a0€, 31,2\u00a0%); it is kept,
so a line never breaks between them.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import NumberPattern

LANGUAGES = ("de", "en")
# The report language picks the locale whose conventions the reader expects.
LOCALES = {"de": "de_DE", "en": "en_GB"}

Number = Decimal | int | float


def to_decimal(value: Number) -> Decimal:
    """An exact Decimal: Decimal and int as they are, floats through their shortest repr."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot format {value!r}")
        return Decimal(repr(float(value)))  # float() first: numpy scalars print differently
    return Decimal(int(value))


def round_half_up(value: Number, decimals: int) -> Decimal:
    """`value` rounded half up (away from zero on a tie) to `decimals` places."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LocaleFormat:
    """The formats of one report language; `lang` is "de" or "en"."""

    lang: str = "de"

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {self.lang!r}")

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES[self.lang])

    def _apply(self, pattern: NumberPattern, value: Number, decimals: int) -> str:
        """Apply one of the locale's own patterns with exactly `decimals` fraction digits."""
        fixed = copy.copy(pattern)
        fixed.frac_prec = (decimals, decimals)
        scaled = to_decimal(value) * (Decimal(10) ** fixed.scale)
        # Round at the digits shown (half up); the pattern scales again, so undo the scale.
        exact = round_half_up(scaled, decimals).scaleb(-fixed.scale)
        if exact.is_zero():
            exact = abs(exact)  # -0,04 shown with one place is "0,0", not "-0,0"
        return fixed.apply(exact, self.locale, currency="EUR", currency_digits=False)

    def money(self, amount: Number, cents: bool = True) -> str:
        """Euros: "1.234,56 €", "-1.234,57 €"; whole euros ("1.235 €") with cents=False."""
        return self._apply(self.locale.currency_formats["standard"], amount, 2 if cents else 0)

    def number(self, value: Number, decimals: int = 2) -> str:
        """A plain number with grouping: "1.234,57", "-0,13", "0,38"."""
        return self._apply(self.locale.decimal_formats[None], value, decimals)

    def integer(self, value: int) -> str:
        """A count with grouping: "6.412"."""
        return self.number(value, 0)

    def percent(self, share: Number, decimals: int = 1) -> str:
        """A share (0.312) as a percentage: "31,2 %"."""
        return self._apply(self.locale.percent_formats[None], share, decimals)

    def day(self, value: date) -> str:
        """A date: "31.12.2024" (en: "31 Dec 2024")."""
        return format_date(value, "medium", locale=self.locale)

    def moment(self, value: datetime) -> str:
        """Date and time to the minute, joined by the locale's pattern: "15.01.2025, 06:00"."""
        joined = get_datetime_format("medium", locale=self.locale)
        clock = format_time(value, "short", tzinfo=value.tzinfo, locale=self.locale)
        return joined.replace("{0}", clock).replace("{1}", self.day(value))

    def pvalue(self, p: float) -> str:
        """ "p < 0,001", else p to two significant places: "p = 0,03", "p = 0,004"."""
        if p < 0.001:
            return f"p < {self.number(0.001, 3)}"
        return f"p = {self.number(p, 2 if p >= 0.01 else 3)}"


def decimals_for(spread: float | None, default: int = 2) -> int:
    """Fraction digits that show an estimate as precisely as its uncertainty allows.

    spread: the standard error. Places down to the standard error's first significant digit,
    at least 1 and at most 4: se 0.18 → 1 place (−1,0; interval 0,7 to 1,4), se 0.018 → 2,
    se 1.5 → 1. More digits would suggest a precision the estimate does not have.
    """
    if spread is None or not math.isfinite(spread) or spread <= 0:
        return default
    return max(1, min(4, -math.floor(math.log10(spread))))
