"""Which lines of a published budget plan count as spending, unless `[plan] spending` says
otherwise, and which are internal service charges.

A settings default, so it lives outside the `imports.master_data` package: loading the settings
happens on every command and must not pull in pandas with the plan parser.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a plan row's direction (Art, Richtung) or, without one, its line label must match.
SPENDING_PATTERNS = ("*aufwendung*", "*abschreibung*", "*auszahlung*", "*ausgabe*")

# What a plan row's line label (Teilplanzeile, Ertrags- und Aufwandsart) matches when it is an
# internal service charge (interne Leistungsbeziehungen, ILV): never spending, in any layout.
# Köln writes "27 - Interne Leistungsbeziehung (Aufwand / (-) Ertrag)", Stadtlohn "Aufwendungen
# aus internen Leistungebeziehungen" (sic) and "Erträge aus internen Leistungs beziehungen".
INTERNAL_LINE_PATTERNS = ("*intern*leistung*",)


@dataclass(frozen=True)
class PlanSpending:
    """What a plan counts as spending, as `[ledger]` and `[plan]` say.

    labels: patterns a direction or, without one, a line label matches when it is spending
    ([plan] spending); accounts: account patterns that are spending ([ledger]
    spending_accounts); internal_accounts and internal_lines: what is an internal service
    charge, never spending ([ledger] internal_accounts, [plan] internal).
    """

    labels: tuple[str, ...] = SPENDING_PATTERNS
    accounts: tuple[str, ...] = ("5*",)
    internal_accounts: tuple[str, ...] = ("58*", "48*")
    internal_lines: tuple[str, ...] = INTERNAL_LINE_PATTERNS


# The defaults of `[ledger]` and `[plan]`, for callers without settings (tests, the Python API).
DEFAULT_PLAN_SPENDING = PlanSpending()
