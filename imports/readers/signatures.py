"""Recognising what a file really is from its first bytes.

Users rename files, and some finance systems write HTML or tab-separated text under an Excel
name. Checking the leading bytes before any parser runs lets us tell the user what was found
instead of surfacing a parser's stack trace, and keeps a PDF or a workbook out of the CSV reader.
"""

from __future__ import annotations

from pathlib import Path

from imports.readers.model import FileRefused

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

HEAD_BYTES = 8192
PLAIN_TEXT = "text (a CSV or tab-separated export?)"

# Magic numbers of formats that users plausibly hand us by mistake, with what to call them.
_MAGIC_NAMES: tuple[tuple[bytes, str], ...] = (
    (ZIP_MAGIC, "a ZIP archive (an Excel workbook?)"),
    (EMPTY_ZIP_MAGIC, "an empty ZIP archive"),
    (OLE2_MAGIC, "an OLE2 compound file (an old .xls workbook or a password-protected one?)"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a file; a file that cannot be opened is refused."""
    try:
        with path.open("rb") as stream:
            return stream.read(size)
    except OSError as exc:
        raise FileRefused(path, f"cannot be read: {exc.strerror or exc}") from exc


def describe_content(head: bytes) -> str:
    """Name what the leading bytes look like, phrased to follow "looks like"."""
    if not head:
        return "an empty file"
    for magic, name in _MAGIC_NAMES:
        if head.startswith(magic):
            return name
    if head.startswith(UTF16_BOMS):
        return "UTF-16 text"
    text = head.removeprefix(UTF8_BOM).lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table")):
        return "an HTML page (some systems save HTML under an Excel name)"
    if text.startswith(b"mime-version"):
        return "a web archive (MHTML)"
    if text.startswith(b"<?xml"):
        return "an XML document (an Excel 2003 XML file?)"
    if b"\x00" in head:
        return "binary data"
    return PLAIN_TEXT


def is_zip(head: bytes) -> bool:
    """True when the bytes start a ZIP archive (xlsx, xlsm, ods and GoBD zips are ZIPs)."""
    return head.startswith(ZIP_MAGIC)


def is_ole2(head: bytes) -> bool:
    """True when the bytes start an OLE2 compound file (the container of .xls)."""
    return head.startswith(OLE2_MAGIC)
