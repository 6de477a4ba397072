"""Whether a column that fastexcel wrote as text reads as its cells themselves would.

fastexcel hands a sheet over as text columns (`imports.readers.text_columns`): a number cell
becomes the shortest text that gives the number back ("1234.56", "2024", "0.00001", "-0"), a date
or time "YYYY-MM-DD HH:MM:SS" (a time of day on 1899-12-31), a boolean "true" or "false". The
importer reads a number cell otherwise than a text cell, so each text that a non-text cell could
have become, and that would then read differently (or be reported in other words), makes the
whole file be read again with calamine, which keeps every cell's type. A text such as "1.234"
is the reason: as a number it is 1.234 € (refused: a fraction of a cent), as German text
1.234,00 €. Texts that no number, date or boolean becomes are read as what they are, which is
all the cells of a journal export that writes its amounts and dates as text.
"""

from __future__ import annotations

import polars as pl

# Where a number, date, time or boolean cell would read otherwise than the text it becomes.
_ANY = (
    r"^(true|false)$",  # a boolean: "True" in Python's words
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$",  # a date, time or duration cell
)
_CODE = (
    *_ANY,
    r"^-0$",  # -0.0 is the code "0"
    r"^-?0\.0000",  # below 0.0001 Python writes "1e-05"
)
_DATE = (
    r"^(true|false)$",
    # Dates read alike as text, but not a time (1899-12-31), a duration or fractions of seconds.
    r"^(1[0-8]\d\d|1900)-\d{2}-\d{2} ",
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.",
    r"^-?[0-9]+\.[0-9]+$",  # a serial with a time of day is a date; its text is not
    r"^-[0-9]+$",  # refused either way, but worded as a number
)
_AMOUNT_COMMON = (*_ANY, r"^-?[0-9]{16,}$")  # refused either way, but worded as a number
_AMOUNT = {
    ",": (*_AMOUNT_COMMON, r"^-?[0-9]+\.[0-9]+$"),  # 1.234 € is no text 1.234,00 €
    ".": (*_AMOUNT_COMMON, r"^-?[0-9]+\.[0-9]{3,}$"),  # sub-cent numbers: worded otherwise
}
# Excel's serial day numbers of 1900-01-01 .. 9999-12-31 (imports.german_values).
_SERIALS = (1, 2_958_465)


class CellsDiffer(Exception):
    """A text column could read otherwise than its cells did: read the file with calamine."""


def require_alike(field_kind: str, texts: pl.Series, decimal: str) -> None:
    """Raise CellsDiffer if a text of `texts` (a field's distinct cells) could read otherwise
    had it been the number, date or boolean cell that fastexcel wrote as this text.

    field_kind: "amount", "date", or "code" (codes, texts, whole numbers, debit/credit marks).
    """
    patterns = {"amount": _AMOUNT[decimal], "date": _DATE}.get(field_kind, _CODE)
    found = texts.str.contains("|".join(f"(?:{p})" for p in patterns)).any()
    if field_kind == "date" and not found:
        whole = texts.filter(texts.str.contains(r"^[0-9]+$")).cast(pl.Int64, strict=False)
        found = bool(((whole < _SERIALS[0]) | (whole > _SERIALS[1])).fill_null(True).any())
    if found:
        raise CellsDiffer(field_kind)
