"""What the readers hand to the importer, and the one way they refuse a whole file.

The readers stop at "cells as Python values": finding the header, mapping columns and
normalising German numbers and dates happen above them, so the same machinery serves Excel,
CSV and GoBD exports alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from imports.problems import Problem, problem


@dataclass(frozen=True)
class ReadLimits:
    """Bounds that keep a hostile or broken file from exhausting memory or time.

    max_uncompressed_mb: archives (xlsx, xlsm, ods, zip) whose members add up to more than this
        many MiB once inflated are refused before anything is inflated.
    max_rows / max_columns: Excel's own sheet limits by default; a sheet or CSV table larger
        than that is not a postings export we can hold in one batch.
    """

    max_uncompressed_mb: int = 1024
    max_rows: int = 1_048_576
    max_columns: int = 16_384

    @property
    def max_uncompressed_bytes(self) -> int:
        """The archive limit in bytes (MiB, as file managers count)."""
        return self.max_uncompressed_mb * 1024 * 1024


@dataclass(frozen=True)
class RawSheet:
    """One sheet or table as the file holds it, before any interpretation.

    rows: cells as Python values: None (empty), str, int, float, bool, datetime.date,
        datetime.datetime (a time-of-day or duration cell in a workbook stays datetime.time or
        datetime.timedelta). CSV and GoBD cells are always str or None; a blank CSV line is
        an empty list, kept so that row numbers stay right. In workbooks rows[i][j] is Excel
        column j (A = 0) even when the used range starts further right; leading cells are None.
        A list, except for a workbook read with `streamed` (see `row_chunks`).
    first_row_number: the 1-based row number of rows[0] as Excel shows it; for CSV the record
        number, which equals the line number unless a quoted field spans lines.
    header: column names given by a description (GoBD index.xml); rows then hold data only.
    decimal: the decimal mark the source declares (GoBD DecimalSymbol), else None.
    encoding: the text encoding used to decode CSV/GoBD data, else None.
    delimiter: the column delimiter used for CSV/GoBD data, else None.
    """

    name: str
    rows: Sequence[list[object]]
    first_row_number: int = 1
    header: tuple[str, ...] | None = None
    decimal: str | None = None
    encoding: str | None = None
    delimiter: str | None = None


class FileRefused(Exception):
    """The file as a whole cannot be read safely or is not what it claims; message is for the user.

    Row-level problems are not refusals: they are reported as data by the importer. A refusal
    means no row of the file can be trusted, so nothing of it is imported.
    """

    def __init__(self, path: Path, message: str | Problem) -> None:
        # Both parts stay in args so the exception survives pickling (e.g. across processes).
        super().__init__(path, message)
        self.path = path
        # Given as a Problem (a code the front door words in the reader's language), `message`
        # is its English; a plain text is kept as it is (problem None).
        self.problem = message if isinstance(message, Problem) else None
        self.message = message.english if isinstance(message, Problem) else message

    def __str__(self) -> str:
        return f"{self.path.name}: {self.message}"


def cannot_read(exc: OSError) -> Problem:
    """An operating-system error while reading a file, as a refusal says it."""
    return problem("cannot_read", reason=str(exc.strerror or exc))
