"""The sheet sizes an xlsx declares, read before the sheets themselves are loaded.

Each worksheet part starts with `<dimension ref="A1:L200003"/>`. Reading it costs a few KB of
inflation per sheet, whereas calamine only knows a sheet's height after parsing all of it; so an
oversized sheet is refused here first. The declaration is optional and could lie, which is why
the workbook reader checks calamine's own height and width again after loading.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_HEAD_BYTES = 64 * 1024
# Description parts above this size are not workbooks we want; skip the pre-check then.
_MAX_DESCRIPTION_BYTES = 16 * 1024 * 1024

_CELL = rb"\$?([A-Z]+)\$?(\d+)"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"" + _CELL + rb"(?::" + _CELL + rb")?\"")


@dataclass(frozen=True)
class DeclaredRange:
    """A sheet's `<dimension>`: its first row and column (0-based) and its size."""

    first_row: int
    first_column: int
    rows: int
    columns: int


def declared_sheet_sizes(archive: zipfile.ZipFile) -> dict[str, tuple[int, int]]:
    """Sheet name -> (rows, columns) as its `<dimension>` declares; sheets without one are absent.

    Returns an empty mapping when the package does not have the usual workbook layout; the
    check after loading still applies then.
    """
    return {name: (r.rows, r.columns) for name, r in declared_ranges(archive).items()}


def sheet_names(archive: zipfile.ZipFile) -> list[str]:
    """Every sheet the workbook lists (chart sheets too), in workbook order."""
    return list(_sheet_parts(archive))


def declared_ranges(archive: zipfile.ZipFile) -> dict[str, DeclaredRange]:
    """Sheet name -> its declared range; sheets without a `<dimension>` are absent."""
    parts = _sheet_parts(archive)
    ranges: dict[str, DeclaredRange] = {}
    for name, part in parts.items():
        try:
            with archive.open(part) as member:
                head = member.read(_HEAD_BYTES)
        except KeyError:
            continue
        match = _DIMENSION.search(head)
        if match is None:
            continue
        first_col, first_row, last_col, last_row = (
            group.decode("ascii") if group is not None else None for group in match.groups()
        )
        last_col = last_col or first_col
        last_row = last_row or first_row
        ranges[name] = DeclaredRange(
            first_row=int(first_row) - 1,
            first_column=_column_number(first_col) - 1,
            rows=int(last_row) - int(first_row) + 1,
            columns=_column_number(last_col) - _column_number(first_col) + 1,
        )
    return ranges


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part name, via workbook.xml and its relationships."""
    workbook = _small_part(archive, _WORKBOOK)
    relationships = _small_part(archive, _WORKBOOK_RELS)
    if workbook is None or relationships is None:
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in SafeET.fromstring(relationships).iter(f"{{{_PKG_REL_NS}}}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in SafeET.fromstring(workbook).iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
        name = sheet.get("name")
        if not target or name is None:
            continue
        # Targets are relative to xl/ unless absolute within the package.
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[name] = posixpath.normpath(part)
    return parts


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_DESCRIPTION_BYTES:
        return None
    return archive.read(info)


def _column_number(letters: str) -> int:
    """Excel column letters to a 1-based number: A -> 1, Z -> 26, AA -> 27."""
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - ord("A") + 1)
    return number
