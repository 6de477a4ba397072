"""Reading a GoBD/GDPdU export (Datenträgerüberlassung) from a folder or a .zip.

The export's index.xml says how each data file is encoded and delimited (see gobd_index); this
module finds the files it names and reads them with the shared delimited-text reader. Data
files are resolved relative to index.xml and must stay inside the export: a URL that climbs out
(`../../etc/passwd`) or is absolute is refused, since a description should not make us read
arbitrary files.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO

from imports.problems import Problem, problem, said
from imports.readers.delimited import read_records, split_lines, split_record
from imports.readers.gobd_index import INDEX_NAME, TableDescription, parse_index
from imports.readers.model import FileRefused, RawSheet, ReadLimits, cannot_read
from imports.readers.text_encoding import honour_bom

_CHUNK_CHARS = 1024 * 1024
# Far beyond any posting; a record this long means the declared RecordDelimiter is wrong.
_MAX_RECORD_CHARS = 16 * 1024 * 1024

OpenData = Callable[[str], AbstractContextManager[IO[bytes]]]


def read_gobd_folder(
    folder: Path,
    limits: ReadLimits,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> list[RawSheet]:
    """All tables of an export folder that holds index.xml."""
    index = _find_case_insensitive(folder, INDEX_NAME)
    if index is None:
        raise FileRefused(folder, problem("gobd_folder_without_index", index=INDEX_NAME))
    try:
        size = index.stat().st_size
        if size > limits.max_uncompressed_bytes:
            raise FileRefused(
                folder,
                problem("gobd_index_too_large", index=INDEX_NAME, megabytes=round(size / 2**20)),
            )
        description = index.read_bytes()
    except OSError as exc:
        raise FileRefused(
            folder, problem("in_file", file=INDEX_NAME, detail=cannot_read(exc))
        ) from exc
    tables = parse_index(folder, description)
    root = folder.resolve()

    def open_data(url: str) -> AbstractContextManager[IO[bytes]]:
        target = (root / _relative_url(folder, url)).resolve()
        if not target.is_file():
            target = _find_case_insensitive(target.parent, target.name) or target
        # resolve() follows symlinks, so a link inside the export cannot point outside it
        target = target.resolve()
        if not target.is_relative_to(root):
            raise FileRefused(folder, problem("gobd_outside", index=INDEX_NAME, url=said(url)))
        if not target.is_file():
            raise FileRefused(
                folder, problem("gobd_missing_in_folder", index=INDEX_NAME, url=said(url))
            )
        return target.open("rb")

    return _read_tables(folder, tables, open_data, limits, encoding, delimiter)


def read_gobd_zip(
    path: Path,
    archive: zipfile.ZipFile,
    limits: ReadLimits,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> list[RawSheet]:
    """All tables of a zipped export; archive was opened (and size-checked) by the caller."""
    index_name = find_index(archive)
    if index_name is None:
        raise FileRefused(path, _not_an_export(archive))
    tables = parse_index(path, archive.read(index_name))
    base = posixpath.dirname(index_name)
    members = {name.lower(): name for name in archive.namelist()}

    def open_data(url: str) -> AbstractContextManager[IO[bytes]]:
        member = posixpath.normpath(posixpath.join(base, _relative_url(path, url)))
        if member.startswith("../") or member == "..":
            raise FileRefused(path, problem("gobd_outside", index=INDEX_NAME, url=said(url)))
        name = members.get(member.lower())
        if name is None:
            raise FileRefused(path, problem("gobd_missing_in_zip", index=INDEX_NAME, url=said(url)))
        return archive.open(name)

    return _read_tables(path, tables, open_data, limits, encoding, delimiter)


def find_index(archive: zipfile.ZipFile) -> str | None:
    """The shallowest member called index.xml (exports are often zipped with their folder)."""
    candidates = [
        name for name in archive.namelist() if posixpath.basename(name).lower() == INDEX_NAME
    ]
    return min(candidates, key=lambda name: name.count("/"), default=None)


def _not_an_export(archive: zipfile.ZipFile) -> Problem:
    names = {name.lower() for name in archive.namelist()}
    if "xl/workbook.xml" in names:
        return problem("zip_is_xlsx")
    if "content.xml" in names and "mimetype" in names:
        return problem("zip_is_ods")
    return problem("gobd_zip_without_index", index=INDEX_NAME)


def _relative_url(source: Path, url: str) -> str:
    """The URL as a relative POSIX path; schemes, absolute paths and drive letters are refused."""
    normal = url.replace("\\", "/")
    has_drive = len(normal) > 1 and normal[1] == ":"
    if "://" in normal or normal.startswith("/") or has_drive:
        raise FileRefused(source, problem("gobd_absolute", index=INDEX_NAME, url=said(url)))
    return normal


def _find_case_insensitive(folder: Path, name: str) -> Path | None:
    """Exports made on Windows do not care about case; 'Buchungen.CSV' is 'buchungen.csv'."""
    exact = folder / name
    if exact.is_file():
        return exact
    if not folder.is_dir():
        return None
    wanted = name.lower()
    return next(
        (entry for entry in folder.iterdir() if entry.name.lower() == wanted and entry.is_file()),
        None,
    )


def _read_tables(
    source: Path,
    tables: list[TableDescription],
    open_data: OpenData,
    limits: ReadLimits,
    encoding: str | None,
    delimiter: str | None,
) -> list[RawSheet]:
    sheets = []
    for table in tables:
        if len(table.columns) > limits.max_columns:
            raise FileRefused(
                source,
                problem(
                    "too_many_columns",
                    table=said(table.name),
                    columns=len(table.columns),
                    limit=limits.max_columns,
                ),
            )
        sheets.append(_read_table(source, table, open_data, limits, encoding, delimiter))
    return sheets


def _read_table(
    source: Path,
    table: TableDescription,
    open_data: OpenData,
    limits: ReadLimits,
    encoding: str | None,
    delimiter: str | None,
) -> RawSheet:
    """One table; encoding and delimiter, when given, override a description that is wrong."""
    column_delimiter = delimiter or table.column_delimiter
    try:
        return _decode_table(source, table, open_data, limits, encoding, column_delimiter)
    except OSError as exc:
        raise FileRefused(
            source,
            problem("gobd_table", table=said(table.name), url=table.url, detail=cannot_read(exc)),
        ) from exc


def _decode_table(
    source: Path,
    table: TableDescription,
    open_data: OpenData,
    limits: ReadLimits,
    encoding: str | None,
    column_delimiter: str,
) -> RawSheet:
    with open_data(table.url) as raw:
        if table.skip_bytes:
            raw.read(table.skip_bytes)
        # Both opened files and zip members can peek, which leaves the BOM for the decoder.
        peek = getattr(raw, "peek", None)
        head = peek(3)[:3] if peek is not None else b""
        used_encoding = honour_bom(encoding or table.encoding, head)
        text = io.TextIOWrapper(raw, encoding=used_encoding, newline="")
        try:
            rows = read_records(
                _records(source, table, text, column_delimiter),
                path=source,
                table=table.name,
                limits=limits,
                first_record=table.first_record,
                last_record=table.last_record,
            )
        except UnicodeDecodeError as exc:
            raise FileRefused(
                source,
                problem(
                    "gobd_encoding",
                    table=said(table.name),
                    url=table.url,
                    encoding=used_encoding,
                    index=INDEX_NAME,
                ),
            ) from exc
        finally:
            text.detach()
    return RawSheet(
        name=table.name,
        rows=rows,
        first_row_number=table.first_record,
        header=table.columns,
        decimal=table.decimal,
        encoding=used_encoding,
        delimiter=column_delimiter,
    )


def _records(
    source: Path, table: TableDescription, text: io.TextIOWrapper, delimiter: str
) -> Iterable[list[str]]:
    """Line-based files go to csv as they are; other record delimiters are split here first."""
    if table.record_delimiter is None:
        return split_lines(
            text,
            path=source,
            table=table.name,
            delimiter=delimiter,
            quotechar=table.text_encapsulator,
        )
    return (
        split_record(record, delimiter, table.text_encapsulator)
        for record in _split(source, table, text, table.record_delimiter)
    )


def _split(
    source: Path, table: TableDescription, text: io.TextIOWrapper, record_delimiter: str
) -> Iterator[str]:
    pending = ""
    while chunk := text.read(_CHUNK_CHARS):
        pending += chunk
        *records, pending = pending.split(record_delimiter)
        yield from records
        if len(pending) > _MAX_RECORD_CHARS:
            # Also keeps a wrong RecordDelimiter from making this loop quadratic.
            raise FileRefused(
                source,
                problem(
                    "gobd_long_record",
                    table=said(table.name),
                    limit=_MAX_RECORD_CHARS,
                    delimiter=said(record_delimiter),
                ),
            )
    if pending:
        yield pending
