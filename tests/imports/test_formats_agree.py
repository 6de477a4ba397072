"""Property: the same random postings written as xlsx and as CSV import to the same sums."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.postings import parse_postings
from monitor.settings import load_settings
from tests.exports import JOURNAL_HEADER, write_csv, write_xlsx

PROFILES = load_settings(cwd=Path("/nonexistent")).imports.profiles


def _german(cents: int, trailing_minus: bool) -> str:
    sign, value = ("-" if cents < 0 else ""), abs(cents)
    euros = f"{value // 100:,}".replace(",", ".")
    text = f"{euros},{value % 100:02d}"
    if not sign:
        return text
    return f"{text}-" if trailing_minus else f"-{text}"


postings = st.lists(
    st.tuples(
        st.integers(min_value=-(10**11), max_value=10**11),  # cents, up to a billion euros
        st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2025, 12, 31)),
        st.booleans(),
        st.booleans(),  # in the workbook: a real number cell instead of German text
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(postings=postings)
def test_xlsx_and_csv_of_the_same_postings_give_the_same_sums(tmp_path: Path, postings) -> None:
    rows: list[list[object]] = [["Journal"], JOURNAL_HEADER]
    cells: list[list[object]] = [["Journal"], JOURNAL_HEADER]
    for number, (cents, day, trailing, numeric) in enumerate(postings, start=1):
        row = [day.year, number, 1, day.strftime("%d.%m.%Y"), "529100", "06.02.01", "36050", "x"]
        rows.append([*row, _german(cents, trailing)])
        cells.append([*row, cents / 100 if numeric else _german(cents, trailing)])
    excel = parse_postings(write_xlsx(tmp_path / "p.xlsx", cells), PROFILES)
    text = parse_postings(write_csv(tmp_path / "p.csv", rows, encoding="utf-8"), PROFILES)
    expected = sum(cents for cents, *_ in postings)
    assert excel.total_cents == text.total_cents == expected
    assert excel.postings["amount_cents"].tolist() == text.postings["amount_cents"].tolist()
    assert excel.postings["content_hash"].tolist() == text.postings["content_hash"].tolist()
