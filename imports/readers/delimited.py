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
from collections.abc import Iterable
from pathlib import Path

from imports.readers.model import FileRefused, RawSheet, ReadLimits
from imports.readers.signatures import PLAIN_TEXT, describe_content, read_head
from imports.readers.text_encoding import scan_text_file

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
        raise FileRefused(path, "file is empty")
    found = describe_content(head)
    if found != PLAIN_TEXT and not found.startswith("UTF-16"):
        raise FileRefused(path, f"looks like {found}, not CSV text")
    detected = scan_text_file(path, detect=encoding is None)
    used_encoding = encoding or detected or "utf-8"
    try:
        with path.open(encoding=used_encoding, newline="") as stream:
            if delimiter is None:
                sample = stream.read(SAMPLE_CHARS)
                delimiter = detect_delimiter(sample, complete=len(sample) < SAMPLE_CHARS)
                stream.seek(0)
            rows = read_records(
                stream,
                path=path,
                table=path.name,
                delimiter=delimiter,
                quotechar='"',
                limits=limits,
            )
    except UnicodeDecodeError as exc:
        raise FileRefused(path, _undecodable(exc, used_encoding)) from exc
    except OSError as exc:
        raise FileRefused(path, f"cannot be read: {exc.strerror or exc}") from exc
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


def read_records(
    lines: Iterable[str],
    *,
    path: Path,
    table: str,
    delimiter: str,
    quotechar: str | None,
    limits: ReadLimits,
    first_record: int = 1,
    last_record: int | None = None,
) -> list[list[object]]:
    """Records first_record..last_record (1-based, inclusive) as lists of str or None.

    A blank line is kept as an empty list so that row numbers stay right. quotechar None reads
    without any quoting (a GoBD table may declare no text encapsulator).
    """
    if quotechar:
        reader = csv.reader(lines, delimiter=delimiter, quotechar=quotechar, strict=False)
    else:
        reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE, quotechar=None)
    rows: list[list[object]] = []
    try:
        for number, record in enumerate(reader, start=1):
            if number < first_record:
                continue
            if last_record is not None and number > last_record:
                break
            if len(rows) >= limits.max_rows:
                raise FileRefused(
                    path,
                    f"table '{table}' has more than {limits.max_rows:,} rows, the limit",
                )
            if len(record) > limits.max_columns:
                raise FileRefused(
                    path,
                    f"table '{table}' has {len(record):,} columns in row {number:,}, more than "
                    f"the limit of {limits.max_columns:,}",
                )
            if "" in record:
                rows.append([cell if cell != "" else None for cell in record])
            else:
                rows.append(record)  # type: ignore[arg-type]
    except csv.Error as exc:
        raise FileRefused(
            path,
            f"table '{table}' cannot be split into fields near line {reader.line_num:,}: {exc}",
        ) from exc
    return rows


def _undecodable(exc: UnicodeDecodeError, encoding: str) -> str:
    byte = exc.object[exc.start : exc.start + 1].hex().upper()
    return f"is not valid {encoding} text (byte 0x{byte} cannot be decoded)"
