"""Recognising what a file really is from its first bytes.

Users rename files, and some finance systems write HTML or tab-separated text under an Excel
name. Checking the leading bytes before any parser runs lets us tell the user what was found
instead of surfacing a parser's stack trace, and keeps a PDF or a workbook out of the CSV reader.
"""

from __future__ import annotations

from pathlib import Path

from imports.problems import Problem, problem
from imports.readers.model import FileRefused

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

HEAD_BYTES = 8192
PLAIN_TEXT = "content_text"

# Magic numbers of formats that users plausibly hand us by mistake, with the problem code
# (imports.problems) that names them.
_MAGIC_NAMES: tuple[tuple[bytes, str], ...] = (
    (ZIP_MAGIC, "content_zip"),
    (EMPTY_ZIP_MAGIC, "content_empty_zip"),
    (OLE2_MAGIC, "content_ole2"),
    (b"%PDF-", "content_pdf"),
    (b"\x1f\x8b", "content_gzip"),
    (b"7z\xbc\xaf\x27\x1c", "content_7zip"),
    (b"Rar!", "content_rar"),
    (b"\x89PNG", "content_png"),
    (b"\xff\xd8\xff", "content_jpeg"),
)


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a file; a file that cannot be opened is refused."""
    try:
        with path.open("rb") as stream:
            return stream.read(size)
    except OSError as exc:
        raise FileRefused(path, problem("cannot_read", reason=str(exc.strerror or exc))) from exc


def content_code(head: bytes) -> str:
    """What the leading bytes look like, as a problem code ("content_pdf"); its words follow
    "looks like" (`describe_content` gives them in English)."""
    if not head:
        return "content_empty"
    for magic, code in _MAGIC_NAMES:
        if head.startswith(magic):
            return code
    if head.startswith(UTF16_BOMS):
        return "content_utf16"
    text = head.removeprefix(UTF8_BOM).lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table")):
        return "content_html"
    if text.startswith(b"mime-version"):
        return "content_mhtml"
    if text.startswith(b"<?xml"):
        return "content_xml"
    if b"\x00" in head:
        return "content_binary"
    return PLAIN_TEXT


def described(head: bytes) -> Problem:
    """What the leading bytes look like, as a problem to put into a message."""
    return problem(content_code(head))


def describe_content(head: bytes) -> str:
    """Name what the leading bytes look like, in English, phrased to follow "looks like"."""
    return described(head).english


def is_zip(head: bytes) -> bool:
    """True when the bytes start a ZIP archive (xlsx, xlsm, ods and GoBD zips are ZIPs)."""
    return head.startswith(ZIP_MAGIC)


def is_ole2(head: bytes) -> bool:
    """True when the bytes start an OLE2 compound file (the container of .xls)."""
    return head.startswith(OLE2_MAGIC)
