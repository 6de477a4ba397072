"""Reading delimited text: CSV exports, and the data files of GoBD exports.

Every cell stays a string (or None when empty) exactly as written, spaces included: German
numbers, dates and padded SAP headers are interpreted by the importer above, which knows the
profile. The stdlib csv module does the splitting, so quoted fields may contain the delimiter,
quotes and line breaks.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from imports.problems import Problem, problem, said
from imports.readers.bulk_allocation import collector_paused
from imports.readers.model import FileRefused, RawSheet, ReadLimits, cannot_read
from imports.readers.signatures import PLAIN_TEXT, content_code, described, read_head
from imports.readers.text_encoding import honour_bom, scan_text_file

CANDIDATE_DELIMITERS = (";", ",", "\t")
SAMPLE_CHARS = 64 * 1024
SAMPLE_RECORDS = 100


def read_csv(
    path: Path,
    limits: ReadLimits,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> list[RawSheet]:
    """The single table of a CSV file; encoding and delimiter are detected when not given."""
    head = read_head(path)
    if not head:
        raise FileRefused(path, problem("file_empty"))
    found = content_code(head)
    if found not in (PLAIN_TEXT, "content_utf16"):
        raise FileRefused(path, problem("not_csv_text", found=described(head)))
    detected = scan_text_file(path, detect=encoding is None, declared=encoding)
    used_encoding = honour_bom(encoding, head) if encoding else detected or "utf-8"
    try:
        with path.open(encoding=used_encoding, newline="") as stream:
            if delimiter is None:
                sample = stream.read(SAMPLE_CHARS)
                delimiter = detect_delimiter(sample, complete=len(sample) < SAMPLE_CHARS)
                stream.seek(0)
            records = split_lines(
                stream, path=path, table=path.name, delimiter=delimiter, quotechar='"'
            )
            rows = read_records(records, path=path, table=path.name, limits=limits)
    except UnicodeDecodeError as exc:
        raise FileRefused(path, _undecodable(exc, used_encoding)) from exc
    except OSError as exc:
        raise FileRefused(path, cannot_read(exc)) from exc
    return [RawSheet(name=path.name, rows=rows, encoding=used_encoding, delimiter=delimiter)]


def detect_delimiter(sample: str, *, complete: bool = True) -> str:
    """The delimiter among ; , and tab that splits the sample into the most consistent records.

    Title lines above the header ("Sachkontenposten", "Buchungskreis 1000") have fewer fields
    than the table, so each candidate is judged by its most common field count above one: the
    candidate whose most common count covers the most records wins, then the one with more
    fields (a ;-separated file with German decimals also splits on commas, but into fewer
    fields), then the order ; , tab. A file that no candidate splits is read with ";".
    """
    if not complete and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # drop a line cut off by the sample size
    best = CANDIDATE_DELIMITERS[0]
    best_score = (0, 0)
    for candidate in CANDIDATE_DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=candidate, quotechar='"')
        widths: Counter[int] = Counter()
        try:
            for number, record in enumerate(reader):
                if number >= SAMPLE_RECORDS:
                    break
                if len(record) > 1:
                    widths[len(record)] += 1
        except csv.Error:
            continue
        if not widths:
            continue
        # most frequent width; among equally frequent widths, the wider one
        width, frequency = max(widths.items(), key=lambda item: (item[1], item[0]))
        if (frequency, width) > best_score:
            best, best_score = candidate, (frequency, width)
    return best


def split_lines(
    lines: Iterable[str],
    *,
    path: Path,
    table: str,
    delimiter: str,
    quotechar: str | None,
) -> Iterator[list[str]]:
    """Split line-based text into records with csv; quotechar None means no quoting at all."""
    if quotechar:
        reader = csv.reader(lines, delimiter=delimiter, quotechar=quotechar, strict=False)
    else:
        reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE, quotechar=None)
    try:
        yield from reader
    except csv.Error as exc:
        raise FileRefused(
            path,
            problem("cannot_split", table=said(table), line=reader.line_num, reason=str(exc)),
        ) from exc


def split_record(record: str, delimiter: str, quotechar: str | None) -> list[str]:
    """Split one record that is not line-based (GoBD with an unusual RecordDelimiter).

    csv cannot be used there: it treats every line break as the end of a record, while such
    exports choose another record delimiter precisely because line breaks occur in the data.
    Quoting follows csv's rules: a quote opens only at the start of a field, and a doubled quote
    inside a quoted field stands for one quote.
    """
    if not quotechar or quotechar not in record:
        return record.split(delimiter)
    fields: list[str] = []
    field: list[str] = []
    quoted = False
    at_field_start = True
    index = 0
    while index < len(record):
        char = record[index]
        if quoted:
            if char == quotechar and record.startswith(quotechar, index + 1):
                field.append(quotechar)
                index += 1
            elif char == quotechar:
                quoted = False
            else:
                field.append(char)
        elif char == delimiter:
            fields.append("".join(field))
            field = []
            at_field_start = True
            index += 1
            continue
        elif char == quotechar and at_field_start:
            quoted = True
        else:
            field.append(char)
        at_field_start = False
        index += 1
    fields.append("".join(field))
    return fields


def read_records(
    records: Iterable[list[str]],
    *,
    path: Path,
    table: str,
    limits: ReadLimits,
    first_record: int = 1,
    last_record: int | None = None,
) -> list[list[object]]:
    """Records first_record..last_record (1-based, inclusive) as lists of str or None.

    A blank line is kept as an empty list so that row numbers stay right.
    """
    rows: list[list[object]] = []
    with collector_paused():
        for number, record in enumerate(records, start=1):
            if number < first_record:
                continue
            if last_record is not None and number > last_record:
                break
            if len(rows) >= limits.max_rows:
                raise FileRefused(
                    path, problem("too_many_rows", table=said(table), limit=limits.max_rows)
                )
            if len(record) > limits.max_columns:
                raise FileRefused(
                    path,
                    problem(
                        "too_many_columns_in_row",
                        table=said(table),
                        columns=len(record),
                        row=number,
                        limit=limits.max_columns,
                    ),
                )
            if "" in record:
                rows.append([cell if cell != "" else None for cell in record])
            else:
                rows.append(record)  # type: ignore[arg-type]
    return rows


def _undecodable(exc: UnicodeDecodeError, encoding: str) -> Problem:
    byte = exc.object[exc.start : exc.start + 1].hex().upper()
    return problem("undecodable", encoding=encoding, byte=byte)
