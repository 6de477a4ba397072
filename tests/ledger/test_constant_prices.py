"""Money in constant prices (issue 17 item 6): the consumer price index imported from Destatis'
own GENESIS flat file (61111-0001, tests/data/real/destatis-cpi), `spend --constant-prices`
checked against an independent computation with fractions, rounded half up to the cent."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from imports.master_data.prices import parse_prices
from ledger.constant_prices import PriceBase, add_constant_prices, calendar_years
from tests.conftest import Monitor

CPI = Path(__file__).parents[1] / "data" / "real" / "destatis-cpi" / "61111-0001_de_flat.csv"
# The published levels (2020 = 100) of the years used here, read off the file by eye.
LEVELS = {2020: Fraction("100.0"), 2022: Fraction("110.2"), 2023: Fraction("116.7")}


def in_prices_of(base: int, euros: str, year: int) -> str:
    exact = Fraction(euros) * LEVELS[base] / LEVELS[year]
    cents = Decimal(exact.numerator) / Decimal(exact.denominator)
    return str(cents.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_the_index_is_read_from_the_genesis_flat_file_exactly() -> None:
    """61111-0001 gives each year twice under PREIS1: the index and its change in %."""
    parsed = parse_prices(CPI)
    assert (parsed.series, parsed.unit, parsed.region) == ("PREIS1_2020=100", "2020=100", "DG")
    assert parsed.other_series == ("PREIS1_%",)
    levels = dict(zip(parsed.levels["year"], parsed.levels["level"], strict=True))
    assert (min(levels), max(levels)) == (1991, 2023)
    assert (levels[1991], levels[2020], levels[2023]) == ("61.9", "100.0", "116.7")
    assert parse_prices(CPI, series="PREIS1_%").levels["level"].iloc[-1] == "5.9"


def test_spend_in_constant_prices_of_the_base_year(monitor: Monitor, city) -> None:
    summary = monitor.json("import", "prices", str(CPI))
    assert summary["series"] == "PREIS1_2020=100" and summary["years"] == [1991, 2023]
    assert monitor.json("verify")["ok"] is True  # the prices version is sealed in the chain
    (monitor.workdir / "settings.toml").write_text("[prices]\nbase_year = 2020\n", "utf-8")
    nominal = monitor.json("spend", "--year", "2023")
    real = monitor.json("spend", "--year", "2023", "--constant-prices")
    assert real["prices"] == {"series": "PREIS1_2020=100", "unit": "2020=100", "base_year": 2020}
    for row, plain in zip(real["rows"], nominal["rows"], strict=True):
        assert row["amount"] == plain["amount"]  # the SPEC keys stay as they are
        assert row["amount_real"] == in_prices_of(2020, plain["amount"], 2023)
    assert real["rows"][0]["amount_real"] == "42.84"  # 50.00 € of 2023 = 42.84 € of 2020
    parts = [Decimal(r["amount_real"]) for r in real["rows"]] + [Decimal(real["unattributed_real"])]
    assert Decimal(real["total_real"]) == sum(parts)
    table = " ".join(monitor.run("spend", "--year", "2023", "--constant-prices").stdout.split())
    assert "preisbereinigt in Preisen von 2020" in table and "42,84 €" in table
    # Without a base year: the newest year of the index (2023), where real equals nominal.
    (monitor.workdir / "settings.toml").write_text("", "utf-8")
    newest = monitor.json("spend", "--year", "2023", "--constant-prices")
    assert newest["prices"]["base_year"] == 2023 and newest["total_real"] == nominal["total"]


def test_a_year_without_an_index_level_is_refused_naming_it(monitor: Monitor, city) -> None:
    monitor.json("import", "prices", str(CPI))
    refused = monitor.run("spend", "--year", "2024", "--constant-prices", expect=1)
    assert "keinen Wert für 2024" in refused.stderr and "import prices" in refused.stderr
    nothing = Monitor(monitor.database_url, monitor.workdir)
    assert nothing.json("spend", "--year", "2024")["total"] == "385.01"  # nominal still works


def test_a_period_over_several_years_is_deflated_year_by_year() -> None:
    pieces = calendar_years(date(2022, 7, 1), date(2023, 3, 31))
    assert pieces == [(date(2022, 7, 1), date(2022, 12, 31)), (date(2023, 1, 1), date(2023, 3, 31))]

    def document(start: date, end: date, a: str, unattributed: str, total: str) -> dict:
        rows = [{"key": "S01", "name": "Nord", "amount": a}]
        return {"from": start.isoformat(), "to": end.isoformat(), "rows": rows,
                "unattributed": unattributed, "total": total}  # fmt: skip

    parts = {
        pieces[0]: document(*pieces[0], "110.20", "0.01", "110.21"),
        pieces[1]: document(*pieces[1], "116.70", "10.00", "126.70"),
    }
    whole = document(date(2022, 7, 1), date(2023, 3, 31), "226.90", "10.01", "236.91")
    levels = {y: Decimal(str(float(v))) for y, v in LEVELS.items()}
    real = add_constant_prices(
        whole, PriceBase("CPI", "2020=100", 2020, levels), lambda a, b: parts[(a, b)]
    )
    assert real["rows"][0]["amount_real"] == "200.00"  # 100.00 + 100.00: each year its level
    expected = [in_prices_of(2020, "0.01", 2022), in_prices_of(2020, "10.00", 2023)]
    assert real["unattributed_real"] == str(sum(Decimal(e) for e in expected))
    assert real["total_real"] == str(Decimal("200.00") + Decimal(real["unattributed_real"]))


def test_the_report_shows_programme_spending_per_year_in_constant_prices_or_not_at_all() -> None:
    from monitor.report_programs import in_constant_prices

    levels = {y: Decimal(str(float(v))) for y, v in LEVELS.items()}
    base = PriceBase("PREIS1_2020=100", "2020=100", 2020, levels)
    years = [("2022", Decimal("1102.00")), ("2023", Decimal("500.00"))]
    assert in_constant_prices(years, base) == [
        ("2022", Decimal(in_prices_of(2020, "1102.00", 2022))),
        ("2023", Decimal(in_prices_of(2020, "500.00", 2023))),
    ]
    assert in_constant_prices([*years, ("2024", Decimal(1))], base) is None  # 2024 has no level
    assert in_constant_prices(years, None) is None
