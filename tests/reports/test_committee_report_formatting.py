"""Numbers and dates in the report agree with Babel's CLDR formats, rounded half up.

Expectations are written out and checked against Babel itself, so a change in either shows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from reports.formatting import LocaleFormat, decimals_for, round_half_up

NBSP = "\xa0"
DE = LocaleFormat("de")
EN = LocaleFormat("en")


def test_euros_with_thousands_dots_and_decimal_comma():
    assert DE.money(Decimal("1234.56")) == f"1.234,56{NBSP}€"
    assert DE.money(Decimal("1234.56")) == format_currency(
        Decimal("1234.56"), "EUR", locale="de_DE"
    )
    assert DE.money(Decimal("1234567.8")) == f"1.234.567,80{NBSP}€"


def test_negative_euros_keep_their_sign():
    assert DE.money(Decimal("-1234.56")) == f"-1.234,56{NBSP}€"
    assert DE.money(Decimal("-1234.56")) == format_currency(
        Decimal("-1234.56"), "EUR", locale="de_DE"
    )


def test_cents_round_half_up_where_babel_alone_would_round_half_to_even():
    assert DE.money(Decimal("1234.565")) == format_currency(
        Decimal("1234.57"), "EUR", locale="de_DE"
    )
    assert format_currency(Decimal("1234.565"), "EUR", locale="de_DE") == f"1.234,56{NBSP}€"
    assert DE.money(Decimal("-1234.565")) == f"-1.234,57{NBSP}€"
    assert DE.money(Decimal("0.005")) == f"0,01{NBSP}€"


def test_an_amount_that_rounds_to_zero_has_no_minus_sign():
    assert DE.money(Decimal("-0.004")) == f"0,00{NBSP}€"
    assert DE.number(-0.04, 1) == "0,0"


def test_whole_euros_for_chart_axes():
    assert DE.money(1234567.5, cents=False) == f"1.234.568{NBSP}€"
    assert DE.money(Decimal("-2500"), cents=False) == f"-2.500{NBSP}€"


def test_numbers_and_floats_round_as_they_print():
    assert DE.number(0.125, 2) == "0,13"
    assert DE.number(-0.125, 2) == "-0,13"
    # 2.675 is stored as 2.67499…; it prints as 2.675 and is rounded as such.
    assert DE.number(2.675, 2) == "2,68"
    assert DE.number(Decimal("1234.5"), 1) == format_decimal(Decimal("1234.5"), locale="de_DE")
    assert DE.integer(6412) == "6.412"


def test_percentages_in_the_locale_pattern():
    assert DE.percent(0.3125) == f"31,3{NBSP}%"
    assert DE.percent(0.2, 0) == format_percent(0.2, locale="de_DE") == f"20{NBSP}%"
    assert EN.percent(0.3125) == "31.3%"


def test_dates_in_the_german_numeric_form():
    assert DE.day(date(2024, 12, 31)) == "31.12.2024"
    assert DE.day(date(2024, 12, 31)) == format_date(date(2024, 12, 31), "medium", locale="de_DE")
    assert DE.moment(datetime(2025, 1, 15, 6, 0)) == "15.01.2025, 06:00"


def test_a_time_with_a_zone_is_shown_in_that_zone():
    moment = datetime(2025, 7, 1, 6, 5, tzinfo=ZoneInfo("Europe/Berlin"))
    assert DE.moment(moment) == "01.07.2025, 06:05"


def test_english_formats():
    assert EN.money(Decimal("-1234.565")) == "-€1,234.57"
    assert EN.day(date(2024, 12, 31)) == "31 Dec 2024"
    assert EN.number(0.125, 2) == "0.13"


def test_p_values_are_bounded_below_and_keep_two_significant_places():
    assert DE.pvalue(0.0004) == "p < 0,001"
    assert DE.pvalue(0.0312) == "p = 0,03"
    assert DE.pvalue(0.0042) == "p = 0,004"
    assert EN.pvalue(0.41) == "p = 0.41"


def test_estimates_show_as_many_places_as_their_standard_error_allows():
    assert decimals_for(0.18) == 1
    assert decimals_for(1.5) == 1
    assert decimals_for(0.018) == 2
    assert decimals_for(0.0004) == 4
    assert decimals_for(None) == 2
    assert decimals_for(0.0) == 2


def test_round_half_up_is_away_from_zero_on_a_tie():
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    assert round_half_up(Decimal("-2.5"), 0) == Decimal("-3")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        LocaleFormat("fr")
