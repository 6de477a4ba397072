"""Reading the table descriptions of a GoBD/GDPdU `index.xml` (Beschreibungsstandard).

Every German finance system can hand tax auditors a "Datenträgerüberlassung": data files plus an
index.xml that names each table's file, columns, encoding, decimal symbol and delimiters. It is a
vendor-neutral import route because the description, not guesswork, says how to read the data.

Element names and defaults follow the DTD gdpdu-01-09-2004: per Table
`URL, Name?, Description?, Validity?, (ANSI|Macintosh|OEM|UTF16|UTF7|UTF8)?,
(DecimalSymbol, DigitGroupingSymbol)?, SkipNumBytes?, Range?, Epoch?, (VariableLength|FixedLength)`;
defaults: ANSI code page, decimal symbol ",", column delimiter ";", CRLF records, text
encapsulator '"', Name = URL. Range/From is the first record to read (e.g. 2 after a line of
column names), To the last, Length the number of records.

index.xml is parsed with defusedxml only: entity declarations are refused, external DTDs are not
fetched. The DOCTYPE naming the DTD file, which every export carries, is fine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from imports.problems import problem, said
from imports.readers.model import FileRefused

INDEX_NAME = "index.xml"

# The DTD's code page elements and the Python codecs that read them. OEM is the DOS code page;
# CP437 and the German CP850 agree on umlauts and ß.
CODE_PAGES: dict[str, str] = {
    "ANSI": "cp1252",
    "OEM": "cp437",
    "Macintosh": "mac_roman",
    "UTF8": "utf-8",
    "UTF16": "utf-16",
    "UTF7": "utf-7",
}
_LINE_BREAKS = frozenset({"\r\n", "\n", "\r"})
_COLUMN_TAGS = frozenset({"VariablePrimaryKey", "VariableColumn"})


@dataclass(frozen=True)
class TableDescription:
    """How to read one table's data file, as index.xml declares it.

    record_delimiter: None means any line break (CRLF, LF or CR), which csv handles itself.
    text_encapsulator: None means fields are not quoted at all.
    first_record / last_record: 1-based record numbers in the data file, inclusive.
    """

    url: str
    name: str
    columns: tuple[str, ...]
    encoding: str
    decimal: str
    column_delimiter: str
    record_delimiter: str | None
    text_encapsulator: str | None
    first_record: int
    last_record: int | None
    skip_bytes: int


def parse_index(source: Path, data: bytes) -> list[TableDescription]:
    """All tables of all media in document order; source names the export in refusals."""
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise FileRefused(source, problem("gobd_entities", index=INDEX_NAME)) from exc
    except ParseError as exc:
        raise FileRefused(
            source, problem("gobd_not_xml", index=INDEX_NAME, reason=str(exc))
        ) from exc
    if root.tag != "DataSet":
        raise FileRefused(source, problem("gobd_root", index=INDEX_NAME, root=said(root.tag)))
    tables = [
        _describe_table(source, table)
        for media in root.findall("Media")
        for table in media.findall("Table")
    ]
    if not tables:
        raise FileRefused(source, problem("gobd_no_table", index=INDEX_NAME))
    return tables


def _describe_table(source: Path, table: Element) -> TableDescription:
    url = (table.findtext("URL") or "").strip()
    if not url:
        raise FileRefused(source, problem("gobd_table_without_url", index=INDEX_NAME))
    name = (table.findtext("Name") or "").strip() or url
    layout = table.find("VariableLength")
    if layout is None:
        code = "gobd_fixed_length" if table.find("FixedLength") is not None else "gobd_no_layout"
        raise FileRefused(source, problem(code, table=said(name)))
    first_record, last_record = _record_range(source, name, table.find("Range"))
    return TableDescription(
        url=url,
        name=name,
        columns=_column_names(source, name, layout),
        encoding=next(
            (codec for tag, codec in CODE_PAGES.items() if table.find(tag) is not None), "cp1252"
        ),
        decimal=_text(table, "DecimalSymbol", default=","),
        column_delimiter=_single_character(
            source, name, "ColumnDelimiter", _text(layout, "ColumnDelimiter", default=";")
        ),
        record_delimiter=_record_delimiter(layout),
        text_encapsulator=_text_encapsulator(source, name, layout),
        first_record=first_record,
        last_record=last_record,
        skip_bytes=_number(source, name, "SkipNumBytes", table.findtext("SkipNumBytes"), 0),
    )


def _column_names(source: Path, table: str, layout: Element) -> tuple[str, ...]:
    names: list[str] = []
    for column in layout:
        if column.tag not in _COLUMN_TAGS:
            continue
        name = (column.findtext("Name") or "").strip()
        if not name:
            raise FileRefused(source, problem("gobd_column_without_name", table=said(table)))
        names.append(name)
    if not names:
        raise FileRefused(source, problem("gobd_no_columns", table=said(table)))
    return tuple(names)


def _record_range(source: Path, table: str, range_: Element | None) -> tuple[int, int | None]:
    """Range is a direct child of Table; the Range inside Validity is about dates, not lines."""
    if range_ is None:
        return 1, None
    first = _number(source, table, "Range/From", range_.findtext("From"), 1)
    if first < 1:
        raise FileRefused(source, problem("gobd_range_from", table=said(table)))
    to = range_.findtext("To")
    if to is not None and to.strip():
        return first, _number(source, table, "Range/To", to, first)
    length = range_.findtext("Length")
    if length is not None and length.strip():
        return first, first + _number(source, table, "Range/Length", length, 0) - 1
    return first, None


def _text(parent: Element, tag: str, *, default: str) -> str:
    """An element's text, or the DTD default when the element is absent or empty."""
    node = parent.find(tag)
    if node is None or not node.text:
        return default
    return node.text


def _record_delimiter(layout: Element) -> str | None:
    value = _text(layout, "RecordDelimiter", default="\r\n")
    return None if value in _LINE_BREAKS else value


def _text_encapsulator(source: Path, table: str, layout: Element) -> str | None:
    node = layout.find("TextEncapsulator")
    if node is None:
        return '"'
    if not node.text:
        return None  # declared empty: the exporter writes no quotes
    return _single_character(source, table, "TextEncapsulator", node.text)


def _single_character(source: Path, table: str, tag: str, value: str) -> str:
    if len(value) != 1:
        value = value.strip() or value
    if len(value) != 1:
        raise FileRefused(
            source, problem("gobd_one_character", table=said(table), tag=tag, value=said(value))
        )
    return value


def _number(source: Path, table: str, tag: str, text: str | None, default: int) -> int:
    if text is None or not text.strip():
        return default
    try:
        return int(text.strip())
    except ValueError as exc:
        raise FileRefused(
            source,
            problem("gobd_whole_number", table=said(table), tag=tag, value=said(text.strip())),
        ) from exc
