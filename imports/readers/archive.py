"""Opening ZIP containers (xlsx, xlsm, ods, GoBD zips) only when they are safe to inflate.

Two attacks matter for files that users upload: a zip bomb (a few MB that inflate to many GB)
and XML entity expansion ("billion laughs") inside the XML parts. Both are refused here before
any parser sees the file:

- the ZIP central directory declares every member's inflated size; their sum is compared with
  the limit before a single byte is inflated. Python's zipfile never inflates a member beyond
  its declared size and checks its CRC, so a directory that lies shows up as damage;
- an entity can only be declared in a DOCTYPE, and XML allows a DOCTYPE only in the prolog,
  before the root element. Reading the head of each XML part up to its root element therefore
  finds every declaration without inflating whole sheets.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from imports.problems import problem, said
from imports.readers.model import FileRefused, ReadLimits, cannot_read

DAMAGED = problem("file_damaged")
PASSWORD_PROTECTED = problem("password_protected")

# How much of an XML part is read to find its prolog. Real prologs are an XML declaration and
# perhaps a comment: a few hundred bytes.
PROLOG_SCAN_BYTES = 64 * 1024

_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
_COMMENT_OR_INSTRUCTION = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.DOTALL)
_UNTERMINATED = re.compile(rb"<!--|<\?")


@contextmanager
def open_checked_zip(path: Path, limits: ReadLimits) -> Iterator[zipfile.ZipFile]:
    """Open a ZIP after checking its declared inflated size against the limit.

    Errors while reading members inside the block (bad CRC, broken deflate stream, encrypted or
    exotic members) are turned into refusals as well, so callers only deal with FileRefused.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise FileRefused(path, DAMAGED) from exc
    except OSError as exc:
        raise FileRefused(path, cannot_read(exc)) from exc
    with archive:
        _refuse_oversized(path, archive, limits)
        try:
            yield archive
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise FileRefused(path, DAMAGED) from exc
        except NotImplementedError as exc:
            raise FileRefused(path, problem("zip_method", reason=str(exc))) from exc
        except RuntimeError as exc:
            # zipfile raises a bare RuntimeError for encrypted members.
            if "encrypted" in str(exc) or "password" in str(exc):
                raise FileRefused(path, PASSWORD_PROTECTED) from exc
            raise


def _refuse_oversized(path: Path, archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Refuse when the members would inflate beyond the limit (a zip bomb, or simply too big)."""
    total = sum(info.file_size for info in archive.infolist())
    if total > limits.max_uncompressed_bytes:
        raise FileRefused(
            path,
            problem("zip_bomb", megabytes=round(total / 2**20), limit=limits.max_uncompressed_mb),
        )


def refuse_xml_declarations(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse when any XML part declares a DOCTYPE or ENTITY (entity-expansion attacks).

    Workbook parts written by Excel, LibreOffice or export libraries never carry a DOCTYPE, so
    one is refused outright rather than parsed carefully.
    """
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith(_XML_PART_SUFFIXES):
            continue
        with archive.open(info) as member:
            head = member.read(PROLOG_SCAN_BYTES)
        prolog, root_found = _prolog(_as_utf8(head))
        if _DECLARATION.search(prolog):
            raise FileRefused(path, problem("xml_part_declares", part=said(info.filename)))
        if not root_found and prolog.strip():
            raise FileRefused(
                path,
                problem(
                    "xml_part_without_root",
                    part=said(info.filename),
                    kilobytes=PROLOG_SCAN_BYTES // 1024,
                ),
            )


def _as_utf8(head: bytes) -> bytes:
    """Re-encode a UTF-16 part head so the byte patterns below can see its markup."""
    if head.startswith(b"\xff\xfe") or head.startswith(b"<\x00"):
        return head.decode("utf-16-le", errors="replace").encode("utf-8")
    if head.startswith(b"\xfe\xff") or head.startswith(b"\x00<"):
        return head.decode("utf-16-be", errors="replace").encode("utf-8")
    return head


def _prolog(head: bytes) -> tuple[bytes, bool]:
    """The bytes before the root element, and whether a root element starts within head.

    Comments and processing instructions are removed first: a `<x>` inside a comment must not
    pass for the root element and hide a DOCTYPE that follows. Whatever follows an unterminated
    comment or instruction is unknown, so no root element is found after it.
    """
    text = _COMMENT_OR_INSTRUCTION.sub(b"", head)
    unterminated = _UNTERMINATED.search(text)
    searchable = text[: unterminated.start()] if unterminated else text
    match = _ROOT_ELEMENT.search(searchable)
    if match is None:
        return text, False
    return text[: match.start()], True
