"""Find the header row below any title lines, and the profile whose columns it carries.

Exports start with report titles, selections and blank lines; the header is the first row in
which a profile finds all of its required columns. With `--profile auto` every profile is tried
and the one that maps the most columns wins; of equals, a profile the city wrote in its settings
wins over a built-in one (it was written for the city's own exports), and of two alike the one
defined first. The user is told why, naming the profiles tied with the winner apart from those
mapping fewer columns.

Header cells match a profile's headers ignoring case, spaces, dots, hyphens and underscores
(`alias_key`): `Kst.`, `KST` and `kst` are one header, as are `Belegnr.` and `Beleg-Nr.`.

A header in which two columns map to one field (two `Betrag` columns, or `Betrag` and `Betrag in
Hauswährung` where the profile accepts both) is refused naming both: taking the first one would
decide silently which of two amounts the ledger holds (SPEC §5). One pair is no such conflict: a
code column and its name beside it, `Kostenstelle Nr.` and `Kostenstelle`, `Kontonummer` and
`Konto`. Profiles list the numbered header first, so the code is read, and the plain one is the
name of that code, as master data reads `Nr. | Sozialraum` (imports.master_data.columns).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from imports.profile import Profile
from imports.readers import RawSheet

HEADER_SEARCH_ROWS = 40

# Why a profile was chosen (`profile_reason`): the texts of this module in one place.
_REASON_CHOSEN = "profile {profile!r} ({origin}): {row} maps {count} fields ({fields})"
_ORIGIN_BUILTIN = "built-in"
_ORIGIN_SETTINGS = "from settings"
_REASON_ALONE = "; no other profile matches"
_REASON_TIE_SETTINGS = (
    "tied at {count} fields with {names}: a profile from settings wins a tie with a built-in one"
)
_REASON_TIE_ORDER = (
    "tied at {count} fields with {names}: of equals, the one defined first wins "
    "(choose with --profile NAME)"
)
_REASON_FEWER = "other matching profiles map fewer fields: {names}"


_SEPARATORS = re.compile(r"[\s.\-_\u2010-\u2015]+")
# What a numbered code header adds to its name's header: `Kostenstelle` + `nr`, `Konto` +
# `nummer`, `Kostenstelle` + `nnummer`, `Auftrag` + `snummer` (keys without separators).
_NUMBER_SUFFIX = re.compile(r"[ns]?(nr|nummer)")


def header_key(cell: object) -> str:
    """How header cells are compared: trimmed (SAP pads with blanks), case and spacing ignored."""
    return re.sub(r"\s+", " ", str(cell)).strip().casefold() if cell is not None else ""


def alias_key(cell: object) -> str:
    """How a header cell is compared with a profile's headers: `header_key` without spaces,
    dots, hyphens and underscores, in Unicode NFC (an `ü` written as `u` + accent is `ü`)."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFC", header_key(cell)))


def is_name_beside_code(code_header: str, other_header: str) -> bool:
    """Whether `other_header` names what the numbered `code_header` numbers: `Kostenstelle`
    beside `Kostenstelle Nr.` (see the module docstring)."""
    code, other = alias_key(code_header), alias_key(other_header)
    return (
        bool(other)
        and code.startswith(other)
        and _NUMBER_SUFFIX.fullmatch(code[len(other) :]) is not None
    )


@dataclass(frozen=True)
class HeaderMatch:
    """Where the data starts and which column holds which canonical field."""

    profile: Profile
    sheet: RawSheet
    header_index: int | None  # index into sheet.rows; None when the source described its columns
    columns: Mapping[str, int]  # canonical field -> column index
    headers: tuple[str, ...]  # the header cells as found (untrimmed), for messages
    reason: str

    @property
    def header_row_number(self) -> int | None:
        if self.header_index is None:
            return None
        return self.sheet.first_row_number + self.header_index


def column_letter(index: int) -> str:
    """Excel's column name of a 0-based index: 0 → "A", 27 → "AB"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class NoProfileMatches(ValueError):
    """No header row fits; the message lists the headers found and what was expected."""


class AmbiguousColumns(ValueError):
    """Two columns of the header map to one canonical field; the message names both."""


def _map_columns(profile: Profile, cells: Sequence[object]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        positions.setdefault(alias_key(cell), index)
    mapped: dict[str, int] = {}
    for canonical, alternatives in profile.columns.items():
        for alternative in alternatives:
            if alias_key(alternative) in positions:
                mapped[canonical] = positions[alias_key(alternative)]
                break
    return mapped


def _candidate_rows(sheet: RawSheet) -> list[tuple[int | None, Sequence[object]]]:
    if sheet.header is not None:
        return [(None, sheet.header)]
    return list(enumerate(sheet.rows[:HEADER_SEARCH_ROWS]))


def _sheets_for(profile: Profile, sheets: Sequence[RawSheet]) -> list[RawSheet]:
    if profile.sheet is None:
        return list(sheets)
    if isinstance(profile.sheet, int):
        return [sheets[profile.sheet]] if profile.sheet < len(sheets) else []
    return [s for s in sheets if s.name.strip().casefold() == profile.sheet.strip().casefold()]


def _describe_row(match: HeaderMatch) -> str:
    where = f"sheet {match.sheet.name!r}"
    if match.header_row_number is not None:
        return f"header in row {match.header_row_number} of {where}"
    return f"column description of {where}"


def find_header(
    sheets: Sequence[RawSheet], profiles: Mapping[str, Profile], requested: str = "auto"
) -> HeaderMatch:
    """The first header row per profile; the best profile when `requested` is "auto"."""
    if requested != "auto" and requested not in profiles:
        raise NoProfileMatches(
            f"unknown profile {requested!r}; known profiles: {', '.join(sorted(profiles))}, auto"
        )
    candidates = profiles if requested == "auto" else {requested: profiles[requested]}
    matches: list[HeaderMatch] = []
    for profile in candidates.values():
        match = _first_match(profile, sheets)
        if match is not None:
            matches.append(match)
    if not matches:
        raise NoProfileMatches(_explain_failure(sheets, candidates))
    best = max(matches, key=_rank)  # max() keeps the first of equals
    doubled = _doubled_columns(best)
    if doubled:
        raise AmbiguousColumns(doubled)
    reason = _REASON_CHOSEN.format(
        profile=best.profile.name,
        origin=_origin(best.profile),
        row=_describe_row(best),
        count=len(best.columns),
        fields=", ".join(best.columns),
    )
    if requested == "auto":
        reason += _auto_reason(best, [m for m in matches if m is not best])
    return HeaderMatch(
        profile=best.profile,
        sheet=best.sheet,
        header_index=best.header_index,
        columns=best.columns,
        headers=best.headers,
        reason=reason,
    )


def _rank(match: HeaderMatch) -> tuple[int, bool]:
    """Most fields mapped first; of equals, the city's own profile before a built-in one, since
    the city wrote it for its own exports (and may have named it after them)."""
    return len(match.columns), not match.profile.builtin


def _origin(profile: Profile) -> str:
    return _ORIGIN_BUILTIN if profile.builtin else _ORIGIN_SETTINGS


def _auto_reason(best: HeaderMatch, others: Sequence[HeaderMatch]) -> str:
    """Why `best` won over the other matching profiles: those mapping as many fields (a tie,
    and what decided it) apart from those mapping fewer."""
    if not others:
        return _REASON_ALONE
    count = len(best.columns)
    tied = [m for m in others if len(m.columns) == count]
    fewer = [m for m in others if len(m.columns) < count]
    parts = []
    if tied:
        names = ", ".join(f"{m.profile.name} ({_origin(m.profile)})" for m in tied)
        settings_over_builtin = not best.profile.builtin and all(m.profile.builtin for m in tied)
        parts.append(
            (_REASON_TIE_SETTINGS if settings_over_builtin else _REASON_TIE_ORDER).format(
                names=names, count=count
            )
        )
    if fewer:
        parts.append(
            _REASON_FEWER.format(
                names=", ".join(f"{m.profile.name} ({len(m.columns)})" for m in fewer)
            )
        )
    return "; " + "; ".join(parts)


def _doubled_columns(match: HeaderMatch) -> str:
    """Why the header is ambiguous (module docstring), or "" when no column maps to a field
    that another column took already. A column taken by another field is not ambiguous."""
    taken = set(match.columns.values())
    found = []
    for field, index in match.columns.items():
        wanted = {alias_key(a) for a in match.profile.columns[field]}
        for other, cell in enumerate(match.headers):
            if (
                other not in taken
                and alias_key(cell) in wanted
                and not is_name_beside_code(match.headers[index], cell)
            ):
                found.append(
                    f"{field!r}: {match.headers[index].strip()!r} (column {column_letter(index)}) "
                    f"and {cell.strip()!r} (column {column_letter(other)})"
                )
    if not found:
        return ""
    return (
        f"two columns map to one field in the {_describe_row(match)} "
        f"(profile {match.profile.name!r}): {'; '.join(found)}. Only one could be imported and "
        "nothing says which is meant: remove the other column, or name the one to use in a "
        "profile ([imports.profiles.NAME.columns])"
    )


def _first_match(profile: Profile, sheets: Sequence[RawSheet]) -> HeaderMatch | None:
    for sheet in _sheets_for(profile, sheets):
        for index, cells in _candidate_rows(sheet):
            mapped = _map_columns(profile, cells)
            if all(field in mapped for field in profile.required_columns):
                return HeaderMatch(
                    profile=profile,
                    sheet=sheet,
                    header_index=index,
                    columns=mapped,
                    headers=tuple("" if c is None else str(c) for c in cells),
                    reason="",
                )
    return None


def _explain_failure(sheets: Sequence[RawSheet], profiles: Mapping[str, Profile]) -> str:
    """Name the most header-like row found and, per profile, the columns it lacks."""
    best_sheet, best_cells, best_row = None, (), 0
    for sheet in sheets:
        for index, cells in _candidate_rows(sheet):
            texts = [c for c in cells if isinstance(c, str) and c.strip()]
            if len(texts) > len([c for c in best_cells if isinstance(c, str) and c.strip()]):
                best_sheet, best_cells = sheet, cells
                best_row = sheet.first_row_number + (index or 0)
    lines = ["no mapping profile matches this file's header."]
    if best_sheet is None:
        lines.append("Found no header row (the file has no text cells in its first rows).")
    else:
        found = ", ".join(repr(str(c).strip()) for c in best_cells if c not in (None, ""))
        lines.append(f"Found in sheet {best_sheet.name!r}, row {best_row}: {found}")
    for profile in profiles.values():
        mapped = _map_columns(profile, best_cells)
        missing = [f for f in profile.required_columns if f not in mapped]
        expected = "; ".join(
            f"{f}: one of {', '.join(repr(h) for h in profile.columns[f])}" for f in missing
        )
        lines.append(f"Profile {profile.name!r} lacks {expected}")
    lines.append("Add a profile under [imports.profiles.NAME] in settings.toml for this layout.")
    return "\n".join(lines)
