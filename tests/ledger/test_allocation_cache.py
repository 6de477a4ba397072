"""The derived allocation table: refreshed incrementally after a postings import, rebuilt after a
catalog import, and giving the figures of the on-the-fly path to the cent.

The reference is always the same ledger read before the refresh, when the table does not answer
(`cache_answers` is asserted false) and `spend`/`trace` tag on the fly as they always did.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from ledger.allocation_models import AllocationCache, AllocationMonth, PostingAllocation
from ledger.allocation_months import split_period
from ledger.allocation_queries import cache_answers
from ledger.database import create_ledger_engine
from ledger.derived_allocation import Refresh, refresh_allocations
from ledger.models import Posting
from ledger.spending import spend, trace
from ledger.unattributed import explain_unattributed
from monitor.settings import LedgerSettings
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_xlsx
from tests.ledger.test_spend_trace import POSTINGS, _posting, _workbook, import_second_catalog

PATTERNS = LedgerSettings().spending_patterns  # the spending patterns as the CLI uses them
FIRST, LAST = date(2023, 1, 1), date(2024, 12, 31)
# Whole years (monthly sums only), and periods with partial months at one or both ends or
# inside one month (days read from the allocation rows), each as `spend` answers it.
PERIODS = (
    (FIRST, LAST),
    (FIRST, date(2023, 12, 31)),
    (date(2024, 1, 1), LAST),
    (date(2023, 12, 20), date(2024, 1, 31)),
    (date(2023, 11, 1), date(2024, 1, 6)),
    (date(2024, 1, 3), date(2024, 1, 7)),
)


@pytest.fixture
def engine(monitor: Monitor, city: dict[str, Path]) -> Iterator[Engine]:
    engine = create_ledger_engine(monitor.database_url)
    yield engine
    engine.dispose()


def figures(engine: Engine, as_of: int | None = None) -> dict[str, object]:
    """Every spend document and every district's trace over both years, and each year alone."""
    documents: dict[str, object] = {}
    with engine.connect() as connection:
        for start, end in PERIODS:
            for by in ("district", "measure", "program"):
                documents[f"{by} {start}"] = spend(connection, by, start, end, PATTERNS, as_of)
            for district in ("S01", "S02", "S03"):
                documents[f"trace {district} {start}"] = trace(
                    connection, district, start, end, PATTERNS, as_of
                )
        documents["trace S03 JZ-A"] = trace(connection, "S03", FIRST, LAST, PATTERNS, as_of, "JZ-A")
    return documents


def answers(engine: Engine, as_of: int | None = None) -> bool:
    with engine.connect() as connection:
        return cache_answers(connection, PATTERNS, as_of, None)


def state(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        row = connection.execute(select(AllocationCache)).one()
        head = connection.execute(select(func.max(Posting.id))).scalar_one()
    return {**row._asdict(), "head": head}


def months_sum_the_rows(engine: Engine) -> bool:
    """`allocation_month` holds exactly the allocation rows summed per month, district and
    measure (compared in Python, so that no month function of either database is needed)."""
    with engine.connect() as connection:
        detail: dict[tuple, int] = {}
        for day, district, measure, cents in connection.execute(
            select(
                PostingAllocation.booking_date,
                PostingAllocation.district,
                PostingAllocation.measure,
                PostingAllocation.allocated_cents,
            )
        ):
            key = (day.replace(day=1), district, measure)
            detail[key] = detail.get(key, 0) + cents
        summed = {
            (month, district, measure): cents
            for month, district, measure, cents in connection.execute(
                select(
                    AllocationMonth.month,
                    AllocationMonth.district,
                    AllocationMonth.measure,
                    AllocationMonth.allocated_cents,
                )
            )
        }
    return bool(summed) and summed == detail


def rows_sum_to_postings(engine: Engine) -> bool:
    """Each cached posting's rows sum to its amount."""
    with engine.connect() as connection:
        mismatched = connection.execute(
            select(func.count()).select_from(
                select(PostingAllocation.posting_id)
                .join(Posting, Posting.id == PostingAllocation.posting_id)
                .group_by(PostingAllocation.posting_id, Posting.amount_cents)
                .having(func.sum(PostingAllocation.allocated_cents) != Posting.amount_cents)
                .subquery()
            )
        ).scalar_one()
    return mismatched == 0


def import_postings(monitor: Monitor, path: Path, rows: list[list[str]]) -> dict:
    return monitor.json(
        "import", "postings", str(write_xlsx(path, [["Journal"], JOURNAL_HEADER, *rows]))
    )


def test_first_refresh_builds_the_table_with_the_on_the_fly_figures(engine: Engine) -> None:
    assert not answers(engine)
    on_the_fly = figures(engine)
    assert refresh_allocations(engine, PATTERNS) == Refresh("rebuilt", 7)  # doc 5 is income
    assert answers(engine)
    assert figures(engine) == on_the_fly
    assert on_the_fly["district 2024-01-01"]["total"] == "385.01"
    assert refresh_allocations(engine, PATTERNS) == Refresh("current", 0)
    assert rows_sum_to_postings(engine)
    assert months_sum_the_rows(engine)


def test_postings_import_is_tagged_incrementally_and_corrections_drop_out(
    monitor: Monitor, engine: Engine, tmp_path: Path
) -> None:
    refresh_allocations(engine, PATTERNS)
    built = state(engine)
    changed = [*POSTINGS]
    changed[5] = _posting(6, "06.01.2024", "529100", "36110", "250,00", "Familienzentrum")
    changed += [
        _posting(9, "09.01.2024", "529100", "36050", "12,34", "Honorar"),
        _posting(10, "10.01.2024", "529100", "99999", "7,00", "Sonstiges"),
    ]
    outcome = import_postings(monitor, tmp_path / "postings2.xlsx", changed)
    assert (outcome["imported"], outcome["corrections"]) == (2, 1)
    assert not answers(engine)
    on_the_fly = figures(engine)
    assert refresh_allocations(engine, PATTERNS) == Refresh("extended", 3)
    assert answers(engine)
    assert figures(engine) == on_the_fly
    assert on_the_fly["district 2024-01-01"]["total"] == "454.35"  # 385.01 + 50 + 12.34 + 7
    after = state(engine)
    assert after["last_posting_id"] == after["head"] == built["head"] + 3
    assert after["built_at"] == built["built_at"]
    with engine.connect() as connection:
        superseded = connection.execute(
            select(Posting.supersedes_id).where(Posting.supersedes_id.is_not(None))
        ).scalar_one()
        left = connection.execute(
            select(func.count()).where(PostingAllocation.posting_id == superseded)
        ).scalar_one()
    assert left == 0
    assert rows_sum_to_postings(engine)
    assert months_sum_the_rows(engine)


def test_catalog_import_rebuilds_and_as_of_the_old_catalog_computes_on_the_fly(
    monitor: Monitor, engine: Engine, tmp_path: Path
) -> None:
    refresh_allocations(engine, PATTERNS)
    old_catalog = state(engine)["catalog_import_id"]
    before = figures(engine)
    new_catalog = import_second_catalog(monitor, tmp_path)["import"]
    assert not answers(engine)
    on_the_fly = figures(engine)
    assert on_the_fly != before
    assert refresh_allocations(engine, PATTERNS) == Refresh("rebuilt", 7)
    assert state(engine)["catalog_import_id"] == new_catalog
    assert figures(engine) == on_the_fly
    assert refresh_allocations(engine, PATTERNS, old_catalog) == Refresh("skipped", 0)
    assert not answers(engine, old_catalog) and answers(engine, new_catalog)
    assert figures(engine, old_catalog) == before
    assert rows_sum_to_postings(engine)


def test_ambiguous_new_posting_is_kept_aside_and_refused_until_corrected(
    monitor: Monitor, engine: Engine, tmp_path: Path
) -> None:
    catalog = _workbook(
        tmp_path / "measures3.xlsx",
        {
            "Maßnahmen": [
                ["Maßnahme", "Bezeichnung", "Kostenstelle", "Sachkonto"],
                ["JZ-A", "Jugendzentrum A", "36050", None],
                ["X", "x", "77777", None],
                ["Y", "y", None, "529999"],
            ],
            "Zuordnung": [["Maßnahme", "Sozialraum", "Anteil"], ["JZ-A", "S03", 1]],
        },
    )
    monitor.json("import", "measures", str(catalog))
    refresh_allocations(engine, PATTERNS)
    clash = _posting(11, "11.01.2024", "529999", "77777", "99,00", "beide")
    import_postings(monitor, tmp_path / "clash.xlsx", [*POSTINGS, clash])
    assert refresh_allocations(engine, PATTERNS) == Refresh("extended", 1)
    assert state(engine)["ambiguous"] == 1 and not answers(engine)
    refused = monitor.run("spend", "--year", "2024", expect=1)
    assert "passen zu mehr als einer Maßnahme" in refused.stderr and "X, Y" in refused.stderr
    assert monitor.json("spend", "--year", "2023")["total"] == "100.00"  # the clash is in 2024

    fixed = _posting(11, "11.01.2024", "529999", "99999", "99,00", "beide")
    import_postings(monitor, tmp_path / "fixed.xlsx", [*POSTINGS, fixed])
    on_the_fly = figures(engine)
    assert refresh_allocations(engine, PATTERNS) == Refresh("extended", 1)
    assert state(engine)["ambiguous"] == 0 and answers(engine)
    assert figures(engine) == on_the_fly
    assert on_the_fly["measure 2024-01-01"]["unattributed"] == "280.00"  # 200 + 50 + 30


def read_only(url: str) -> str:
    """The same ledger opened so that every write fails: SQLite read-only mode, or PostgreSQL
    sessions whose transactions are read-only."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    options = f"{parsed.query['options']} -cdefault_transaction_read_only=on"
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


def test_read_only_ledger_is_answered_on_the_fly_with_a_warning(
    monitor: Monitor, engine: Engine
) -> None:
    with engine.connect() as connection:
        # `spend` says what its unattributed line is (ledger.unattributed), on the fly too.
        expected = explain_unattributed(
            connection, figures(engine)["district 2024-01-01"], PATTERNS
        )
    reader = Monitor(read_only(monitor.database_url), monitor.workdir)
    result = reader.run("spend", "--year", "2024", "--json")
    assert json.loads(result.stdout) == expected
    assert "Zwischentabelle der Zuordnungen ließ sich nicht aktualisieren" in result.stderr
    assert not answers(engine)


@pytest.mark.parametrize(
    ("start", "end", "months", "days"),
    [
        (date(2024, 1, 1), date(2024, 12, 31), (date(2024, 1, 1), date(2024, 12, 1)), []),
        (date(2024, 2, 1), date(2024, 2, 29), (date(2024, 2, 1), date(2024, 2, 1)), []),
        (
            date(2023, 12, 31),
            date(2024, 3, 1),
            (date(2024, 1, 1), date(2024, 2, 1)),
            [(date(2023, 12, 31), date(2023, 12, 31)), (date(2024, 3, 1), date(2024, 3, 1))],
        ),
        (date(2024, 1, 1), date(2024, 1, 30), None, [(date(2024, 1, 1), date(2024, 1, 30))]),
        (date(2024, 1, 2), date(2024, 1, 31), None, [(date(2024, 1, 2), date(2024, 1, 31))]),
        (date(2024, 1, 2), date(2024, 1, 1), None, []),
    ],
)
def test_a_period_splits_into_whole_months_and_edge_days(
    start: date, end: date, months: tuple[date, date] | None, days: list
) -> None:
    assert split_period(start, end) == (months, days)
