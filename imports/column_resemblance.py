"""Columns that look like a canonical field but are not read by the chosen profile.

A semicolon journal whose cost-centre column is headed `KST` used to import with the cost centre
silently dropped: the field that ties spending to measures. Whatever the aliases, some city will
head a column in a way no profile knows; the import then names the column and the field it
resembles, so that nobody has to notice an empty field months later.

A column is reported when it is not mapped, its header resembles a field (`_RESEMBLANCE`), and
the profile reads that field from no other column: only then is data lost. A name or a related
column beside a mapped field (`Kostenstellenbezeichnung` beside `Kostenstelle`, `Gegenkonto`
beside `Sachkonto`) is not the field and not reported, so the warning keeps its meaning. This
is data (column, letter, field); the CLI words it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from imports.header_detection import HeaderMatch, column_letter, header_key

# Field -> what its headers contain, on `header_key` (case folded, spaces collapsed). The first
# pattern that fits names the field; word boundaries keep `kst` out of "Werkstatt".
_RESEMBLANCE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cost_center", re.compile(r"kostenst|\bkst\b|\bkost\b")),
    ("debit_credit", re.compile(r"soll\s*/\s*haben|\bs\s*/\s*h\b")),
    ("account", re.compile(r"konto|\bkto\b|sachkto")),
    ("amount", re.compile(r"betrag")),
    ("product", re.compile(r"produkt|\bpsp\b")),
    ("order", re.compile(r"auftrag")),
)


@dataclass(frozen=True)
class UnmappedColumn:
    """A column left out that resembles `resembles` (a canonical field) by its header."""

    column: str  # the header as found, trimmed
    letter: str  # the column as Excel names it
    resembles: str

    def to_dict(self) -> dict[str, str]:
        return {"column": self.column, "letter": self.letter, "resembles": self.resembles}


def resembled_field(header: str) -> str | None:
    """The canonical field a header looks like, or None."""
    key = header_key(header)
    return next((field for field, pattern in _RESEMBLANCE if pattern.search(key)), None)


def unmapped_columns(match: HeaderMatch) -> tuple[UnmappedColumn, ...]:
    """The columns of the header the profile leaves out although they resemble a field it
    does not read from any other column (module docstring), in column order."""
    taken = set(match.columns.values())
    found = []
    for index, header in enumerate(match.headers):
        if index in taken or not header.strip():
            continue
        field = resembled_field(header)
        if field is not None and field not in match.columns:
            found.append(UnmappedColumn(header.strip(), column_letter(index), field))
    return tuple(found)
