"""The symbols of German official statistics and what each one means.

Destatis, the statistical offices of the Länder (GENESIS: Regionalstatistik, IT.NRW's
Landesdatenbank) and the Federal Employment Agency (BA) write a symbol where a table cell has no
number (Zeichenerklärung, e.g. Destatis "Zeichenerklärung" in every Fachserie; BA
"Statistik-Glossar: Geheimhaltung"). Each is a missing value, never a zero, and each keeps its
meaning, because "nothing there" and "kept secret" tell a committee different things:

| symbol | official wording | meaning |
|---|---|---|
| `-`, `–`, `—` | nichts vorhanden | nothing |
| `.` | Zahlenwert unbekannt oder geheim zu halten | unknown |
| `x` | Tabellenfach gesperrt, weil Aussage nicht sinnvoll | not_applicable |
| `/` | keine Angaben, da Zahlenwert nicht sicher genug | unreliable |
| `…`, `...` | Angabe fällt später an | not_yet_available |
| `*` | BA: aus Datenschutzgründen anonymisiert (small counts) | secret |

(`.` covers "secret" too in GENESIS; a file cannot tell which, so it counts as unknown.)
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

SYMBOL_MEANINGS = {
    "-": "nothing",
    "–": "nothing",
    "—": "nothing",
    ".": "unknown",
    "x": "not_applicable",
    "/": "unreliable",
    "…": "not_yet_available",
    "...": "not_yet_available",
    "*": "secret",
}


def symbol_meanings(cells: pd.Series) -> dict[str, int]:
    """How many of `cells` are each meaning's symbols (other cells are ignored)."""
    counts = Counter(
        SYMBOL_MEANINGS[key]
        for key in (str(c).strip().casefold() for c in cells if isinstance(c, str))
        if key in SYMBOL_MEANINGS
    )
    return dict(sorted(counts.items()))


def merge_meanings(*counts: dict[str, int]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for count in counts:
        total.update(count)
    return dict(sorted(total.items()))
