"""Which accounts are spending: `[ledger] spending_accounts` without `[ledger] internal_accounts`.

Internal service charges (interne Leistungsbeziehungen, ILV; NKF account group 58 on the expense
side, 48 on the income side) re-book costs already booked elsewhere: counted as spending they
would count the same money twice. The ledger's queries take one tuple of account patterns, the
spending patterns followed by each internal pattern as an exclusion (`"!58*"`), so that every
figure, and the key of the derived allocation table, says both. Plain functions without imports:
the settings build this on every command.
"""

from __future__ import annotations

from collections.abc import Sequence

EXCLUDED = "!"


def spending_patterns(spending: Sequence[str], internal: Sequence[str]) -> tuple[str, ...]:
    """`("5*", "!58*", "!48*")`: the spending patterns, then the internal ones excluded."""
    return (*spending, *(EXCLUDED + p for p in internal))


def split_patterns(patterns: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(included, excluded) of a `spending_patterns` tuple, without the `!`."""
    included = tuple(p for p in patterns if not p.startswith(EXCLUDED))
    excluded = tuple(p[len(EXCLUDED) :] for p in patterns if p.startswith(EXCLUDED))
    return included, excluded


def account_matches(account: str, patterns: Sequence[str]) -> bool:
    """A trailing `*` is a prefix, anything else an exact account (as `account_condition`)."""
    return any(account.startswith(p[:-1]) if p.endswith("*") else account == p for p in patterns)
