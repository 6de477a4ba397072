"""The single entry point: any supported postings export in, its raw sheets out.

The format is chosen by extension (a folder or index.xml means a GoBD export), and each reader
then checks that the content matches the extension before parsing, so a renamed file is refused
with a message that says what it really is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from imports.problems import Problem, problem
from imports.readers.archive import open_checked_zip
from imports.readers.delimited import read_csv
from imports.readers.gobd import read_gobd_folder, read_gobd_zip
from imports.readers.gobd_index import INDEX_NAME
from imports.readers.model import FileRefused, RawSheet, ReadLimits
from imports.readers.signatures import described, is_zip, read_head
from imports.readers.text_columns import TextChunk, TextRows
from imports.readers.workbook import WORKBOOK_SUFFIXES, WorkbookRows, read_workbook

# What can be read, as each language names it; SUPPORTED is its English.
SUPPORTED_TYPES = problem("supported_types", suffixes=".xlsx, .xlsm, .xls, .ods, .csv")
SUPPORTED = SUPPORTED_TYPES.english

_DEFAULT_LIMITS = ReadLimits()


def read_tables(
    path: Path,
    limits: ReadLimits = _DEFAULT_LIMITS,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    streamed: bool = False,
    text_columns: bool = False,
) -> list[RawSheet]:
    """All sheets/tables of a postings export, in file order.

    encoding and delimiter override detection for CSV, and the description for GoBD exports
    (whose index.xml is sometimes wrong); workbooks ignore them. streamed: workbook rows are
    built only as `row_chunks` reads them (other formats are read whole either way). text_columns:
    a one-sheet .xlsx may come as Arrow text columns (`imports.readers.text_columns`). Raises
    FileRefused when the file as a whole cannot be read safely or is not what its name claims.
    """
    path = Path(path)
    if not path.exists():
        raise FileRefused(path, problem("file_not_found"))
    if path.is_dir():
        return read_gobd_folder(path, limits, encoding=encoding, delimiter=delimiter)
    if path.name.lower() == INDEX_NAME:
        return read_gobd_folder(path.parent, limits, encoding=encoding, delimiter=delimiter)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path, limits, streamed=streamed, text_columns=text_columns)
    if suffix == ".csv":
        return read_csv(path, limits, encoding=encoding, delimiter=delimiter)
    if suffix == ".zip":
        return _read_zip(path, limits, encoding=encoding, delimiter=delimiter)
    shown: Problem | str = suffix or problem("no_extension")
    raise FileRefused(path, problem("unsupported_type", suffix=shown, supported=SUPPORTED_TYPES))


def row_chunks(
    rows: Sequence[list[object]], start: int, size: int
) -> Iterator[Sequence[list[object]] | TextChunk]:
    """rows[start:] in pieces of `size` rows; a streamed sheet builds each piece only now, a
    sheet of text columns hands over column slices."""
    if isinstance(rows, WorkbookRows | TextRows):
        return rows.chunks(start, size)
    return (rows[first : first + size] for first in range(start, len(rows), size))


def _read_zip(
    path: Path, limits: ReadLimits, *, encoding: str | None, delimiter: str | None
) -> list[RawSheet]:
    head = read_head(path)
    if not is_zip(head):
        raise FileRefused(path, problem("expected_zip", found=described(head)))
    with open_checked_zip(path, limits) as archive:
        return read_gobd_zip(path, archive, limits, encoding=encoding, delimiter=delimiter)
