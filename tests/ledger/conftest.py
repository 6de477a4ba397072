"""Fixtures shared by the ledger tests."""

from tests.ledger.test_spend_trace import city  # noqa: F401  (the hand-calculated small city)
