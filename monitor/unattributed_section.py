"""`spend`'s section on what "nicht zugeordnet" is: the breakdown added to its document and
printed below its table (issue 16 item 6).

The figures come from `ledger.unattributed`, the words from `reports.unattributed_words`; this
module only wires them into the command and lays them out for an 80-column terminal.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import Connection

from ledger.unattributed import explain_unattributed
from monitor.context import AppContext
from reports.formatting import LocaleFormat
from reports.messages import Messages
from reports.unattributed_words import largest_rows, measure_lines, summary

# Codes per dimension on the terminal; the JSON and the workbook hold more.
TERMINAL_TOP = 5


def explained(
    app: AppContext, connection: Connection, document: dict[str, Any], as_of: int | None
) -> dict[str, Any]:
    """The `spend` document with its `unattributed_breakdown` (same period and catalogue)."""
    return explain_unattributed(connection, document, app.settings.ledger.spending_patterns, as_of)


def print_unattributed(document: dict[str, Any], lang: str) -> None:
    """What the unattributed line of `spend` is, below its table."""
    t, fmt = Messages(lang), LocaleFormat(lang)
    breakdown = document["unattributed_breakdown"]
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 80)
    console.print()
    console.print(Text(t("unattributed.title"), style="bold"))
    by_district = document["by"] == "district"
    console.print(Text(summary(breakdown, document["unattributed"], by_district, t, fmt)))
    if not breakdown["by_account"]:
        return
    lines = measure_lines(breakdown, t, fmt)
    if lines:
        console.print(Text(t("unattributed.measures_title") + ":"))
        for line in lines:
            console.print(Text(f"  {line}"))
    table = Table(title=t("unattributed.largest_title"), title_justify="left", highlight=False)
    table.add_column(t("unattributed.col_kind"))
    table.add_column(t("unattributed.col_code"), overflow="fold")
    table.add_column(t("unattributed.col_amount"), justify="right", no_wrap=True)
    table.add_column(t("unattributed.col_postings"), justify="right")
    for kind, code, amount, postings in largest_rows(breakdown, t, TERMINAL_TOP):
        table.add_row(kind, Text(code), fmt.money(amount), fmt.integer(postings))
    console.print(table)
    console.print(Text(t("unattributed.remedy")))
    console.print(Text(t("unattributed.all_codes")))
