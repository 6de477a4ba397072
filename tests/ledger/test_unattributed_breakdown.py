"""What "nicht zugeordnet" is (issue 16 item 6): `spend` breaks the unattributed amount down by
account, product and cost centre and names the measures without an allocation.

On the hand-calculated city of tests/ledger/test_spend_trace.py, 2024's unattributed 80.00 are
doc 7 (50.00, measure PLAN, which has no allocation; account 529100, cost centre 36999) and doc 8
(30.00, no measure; 529100, cost centre 99999), both on product 06.02.01. By measure, only doc 8
is unattributed (PLAN's 50.00 are in its row).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select

from ledger.allocation_models import PostingAllocation, UnattributedMonth
from ledger.derived_allocation import refresh_allocations
from ledger.spending import spend
from ledger.unattributed import breakdown_document, explain_unattributed
from reports.messages import Messages
from reports.unattributed_words import largest_rows
from tests.conftest import Monitor
from tests.ledger.test_allocation_cache import (  # noqa: F401 (engine: a fixture)
    PATTERNS,
    PERIODS,
    answers,
    engine,
    import_postings,
)
from tests.ledger.test_spend_trace import POSTINGS, _posting


def test_spend_by_district_breaks_the_unattributed_80_euros_down(monitor: Monitor, city) -> None:
    document = monitor.json("spend", "--by", "district", "--year", "2024")
    assert document["unattributed"] == "80.00"
    assert document["unattributed_breakdown"] == {
        "no_measure": "30.00",
        "without_allocation": "50.00",
        "measures_without_allocation": [
            {"measure": "PLAN", "name": "Planung", "amount": "50.00", "postings": 1}
        ],
        "by_account": [{"key": "529100", "amount": "80.00", "postings": 2}],
        "by_product": [{"key": "06.02.01", "amount": "80.00", "postings": 2}],
        "by_cost_center": [
            {"key": "36999", "amount": "50.00", "postings": 1},
            {"key": "99999", "amount": "30.00", "postings": 1},
        ],
    }


def test_spend_by_measure_counts_only_postings_without_a_measure(monitor: Monitor, city) -> None:
    breakdown = monitor.json("spend", "--by", "measure", "--year", "2024")["unattributed_breakdown"]
    assert (breakdown["no_measure"], breakdown["without_allocation"]) == ("30.00", "0.00")
    assert breakdown["measures_without_allocation"] == []
    assert breakdown["by_cost_center"] == [{"key": "99999", "amount": "30.00", "postings": 1}]


def test_the_terminal_says_what_it_is_in_german_and_in_english(monitor: Monitor, city) -> None:
    # Words as read, not as wrapped to 80 columns.
    german = " ".join(monitor.run("spend", "--year", "2024").stdout.split())
    assert "Was „nicht zugeordnet“ ist" in german
    assert "80,00 € der Ausgaben erreichen kein Quartier: 30,00 € auf Buchungen" in german
    assert "PLAN Planung: 50,00 €, Buchungen: 1" in german
    assert "99999" in german and "Kostenstelle" in german
    english = " ".join(monitor.run("--lang", "en", "spend", "--year", "2024").stdout.split())
    assert "What “not attributed” is" in english
    assert "PLAN Planung: €50.00, postings: 1" in english


def breakdowns(engine: Engine) -> list[dict]:  # noqa: F811
    """The spend documents of every test period, by district and by measure, explained."""
    with engine.connect() as connection:
        return [
            explain_unattributed(connection, spend(connection, by, start, end, PATTERNS), PATTERNS)
            for start, end in PERIODS
            for by in ("district", "measure")
        ]


def test_derived_tables_and_on_the_fly_give_the_same_breakdown(engine: Engine) -> None:  # noqa: F811
    assert not answers(engine)
    on_the_fly = breakdowns(engine)
    refresh_allocations(engine, PATTERNS)
    assert answers(engine)
    assert breakdowns(engine) == on_the_fly
    with engine.connect() as connection:  # the monthly sums hold the rows without district
        summed = connection.execute(  # each field sums to all of them
            select(
                UnattributedMonth.field,
                func.sum(UnattributedMonth.allocated_cents),
                func.sum(UnattributedMonth.postings),
            ).group_by(UnattributedMonth.field)
        ).all()
        rows = connection.execute(
            select(func.sum(PostingAllocation.allocated_cents), func.count()).where(
                PostingAllocation.district.is_(None)
            )
        ).one()
    assert tuple(rows) == (8000, 2)  # docs 7 and 8; doc 1 of 2023 is allocated
    assert sorted(tuple(r) for r in summed) == [
        (field, 8000, 2) for field in ("account", "cost_center", "measure", "product")
    ]


def test_an_incremental_refresh_keeps_the_monthly_breakdown_exact(
    monitor: Monitor,
    engine: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    refresh_allocations(engine, PATTERNS)
    later = [
        *POSTINGS,
        _posting(9, "09.01.2024", "529100", "77777", "12,34", "Neu, ohne Maßnahme"),
        _posting(10, "10.02.2024", "529100", "36999", "7,00", "Planung"),
    ]
    import_postings(monitor, tmp_path / "later.xlsx", later)
    on_the_fly = breakdowns(engine)
    refresh_allocations(engine, PATTERNS)
    assert answers(engine)
    assert breakdowns(engine) == on_the_fly
    year = on_the_fly[4]["unattributed_breakdown"]  # 2024 by district
    assert year["by_cost_center"][0] == {"key": "36999", "amount": "57.00", "postings": 2}


def test_each_dimension_holds_every_code_largest_first_and_sums_to_the_whole() -> None:
    # Postings: A 5.00 (two, no measure), B 3.00 (measure M), C -1.00 (a refund), and 0.07
    # without account; all on cost centre 1 but the refund (2) and the 0.07 (3).
    postings = [("A", "1", None, 500, 2), ("B", "1", "M", 300, 1), ("C", "2", None, -100, 1),
                (None, "3", None, 7, 1)]  # fmt: skip
    rows = pd.DataFrame(
        [
            (field, code, measure is not None, cents, count)
            for account, center, measure, cents, count in postings
            for field, code in (
                ("account", account),
                ("product", None),
                ("cost_center", center),
                ("measure", measure),
            )
        ],
        columns=["field", "code", "with_measure", "cents", "postings"],
    )
    document = breakdown_document(rows, {"M": "Maßnahme M"}, with_measures=True)
    assert document["by_account"] == [
        {"key": "A", "amount": "5.00", "postings": 2},
        {"key": "B", "amount": "3.00", "postings": 1},
        {"key": None, "amount": "0.07", "postings": 1},
        {"key": "C", "amount": "-1.00", "postings": 1},  # a refund: the smallest, last
    ]
    # The report's and the terminal's top rows, and the rest summed in one row.
    words = largest_rows(document, Messages("de"), top=2)
    assert words[:3] == [
        ("Sachkonto", "A", Decimal("5.00"), 2),
        ("Sachkonto", "B", Decimal("3.00"), 1),
        ("Sachkonto", "2 weitere", Decimal("-0.93"), 2),
    ]
    assert document["by_product"] == [{"key": None, "amount": "7.07", "postings": 5}]
    assert document["by_cost_center"][0] == {"key": "1", "amount": "8.00", "postings": 3}
    assert (document["no_measure"], document["without_allocation"]) == ("4.07", "3.00")
    assert document["measures_without_allocation"] == [
        {"measure": "M", "name": "Maßnahme M", "amount": "3.00", "postings": 1}
    ]


def test_a_year_without_unattributed_spending_says_so(monitor: Monitor, city) -> None:
    document = monitor.json("spend", "--year", "2023")
    assert document["unattributed"] == "0.00"
    assert document["unattributed_breakdown"]["by_account"] == []
    words = " ".join(monitor.run("spend", "--year", "2023").stdout.split())
    assert "Alle Ausgaben des Zeitraums sind Quartieren zugeordnet." in words
