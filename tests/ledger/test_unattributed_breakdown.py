"""What "nicht zugeordnet" is (issue 16 item 6): `spend` breaks the unattributed amount down by
account, product and cost centre and names the measures without an allocation.

On the hand-calculated city of tests/ledger/test_spend_trace.py, 2024's unattributed 80.00 are
doc 7 (50.00, measure PLAN, which has no allocation; account 529100, cost centre 36999) and doc 8
(30.00, no measure; 529100, cost centre 99999), both on product 06.02.01. By measure, only doc 8
is unattributed (PLAN's 50.00 are in its row).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from ledger.derived_allocation import refresh_allocations
from ledger.spending import spend
from ledger.unattributed import breakdown_document, explain_unattributed
from reports.messages import Messages
from reports.unattributed_words import largest_rows
from tests.conftest import Monitor
from tests.ledger.test_allocation_cache import PATTERNS, PERIODS, answers, engine  # noqa: F401


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


def test_derived_table_and_on_the_fly_give_the_same_breakdown(engine: Engine) -> None:  # noqa: F811
    assert not answers(engine)

    def breakdowns() -> list[dict]:
        with engine.connect() as connection:
            return [
                explain_unattributed(
                    connection, spend(connection, by, start, end, PATTERNS), PATTERNS
                )
                for start, end in PERIODS
                for by in ("district", "measure")
            ]

    on_the_fly = breakdowns()
    refresh_allocations(engine, PATTERNS)
    assert answers(engine)
    assert breakdowns() == on_the_fly


def test_each_dimension_holds_every_code_largest_first_and_sums_to_the_whole() -> None:
    rows = pd.DataFrame(
        {
            "account": ["A", "B", "C", None],
            "product": [None, None, None, None],
            "cost_center": ["1", "1", "2", "3"],
            "measure": [None, "M", None, None],
            "cents": [500, 300, -100, 7],
            "postings": [2, 1, 1, 1],
        }
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
