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

from imports.problems import Problem, ProblemError, field_word, joined, listed, problem, said
from imports.profile import Profile
from imports.readers import RawSheet

HEADER_SEARCH_ROWS = 40

# Why a profile was chosen (`profile_reason`): the texts of this module in one place.
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
    why: Problem | None  # why this profile was chosen (`reason` is its English)

    @property
    def reason(self) -> str:
        """Why this profile was chosen, in English ("" for a candidate not yet chosen)."""
        return "" if self.why is None else self.why.english

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


class NoProfileMatches(ProblemError):
    """No header row fits; the message lists the headers found and what was expected."""


class AmbiguousColumns(ProblemError):
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


def _describe_row(match: HeaderMatch) -> Problem:
    sheet = said(match.sheet.name)
    if match.header_row_number is not None:
        return problem("where_header_in_row", row=match.header_row_number, sheet=sheet)
    return problem("where_column_description", sheet=sheet)


def find_header(
    sheets: Sequence[RawSheet], profiles: Mapping[str, Profile], requested: str = "auto"
) -> HeaderMatch:
    """The first header row per profile; the best profile when `requested` is "auto"."""
    if requested != "auto" and requested not in profiles:
        raise NoProfileMatches(
            problem("unknown_profile", profile=said(requested), known=", ".join(sorted(profiles)))
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
    chosen = problem(
        "profile_chosen",
        profile=said(best.profile.name),
        origin=_origin(best.profile),
        where=_describe_row(best),
        count=len(best.columns),
        fields=joined([field_word(f) for f in best.columns]),
    )
    why = chosen
    if requested == "auto":
        others = _auto_reason(best, [m for m in matches if m is not best])
        why = Problem(chosen.code, chosen.values, others, joiner="; ")
    return HeaderMatch(
        profile=best.profile,
        sheet=best.sheet,
        header_index=best.header_index,
        columns=best.columns,
        headers=best.headers,
        why=why,
    )


def _rank(match: HeaderMatch) -> tuple[int, bool]:
    """Most fields mapped first; of equals, the city's own profile before a built-in one, since
    the city wrote it for its own exports (and may have named it after them)."""
    return len(match.columns), not match.profile.builtin


def _origin(profile: Profile) -> Problem:
    return problem("origin_builtin" if profile.builtin else "origin_settings")


def _auto_reason(best: HeaderMatch, others: Sequence[HeaderMatch]) -> tuple[Problem, ...]:
    """Why `best` won over the other matching profiles: those mapping as many fields (a tie,
    and what decided it) apart from those mapping fewer."""
    if not others:
        return (problem("profile_alone"),)
    count = len(best.columns)
    tied = [m for m in others if len(m.columns) == count]
    fewer = [m for m in others if len(m.columns) < count]
    parts = []
    if tied:
        names = [
            Problem("named_with", {"name": m.profile.name, "detail": _origin(m.profile)})
            for m in tied
        ]
        settings_over_builtin = not best.profile.builtin and all(m.profile.builtin for m in tied)
        code = "profile_tie_settings" if settings_over_builtin else "profile_tie_order"
        parts.append(problem(code, names=joined(names), count=count))
    if fewer:
        names = [
            Problem("named_with", {"name": m.profile.name, "detail": str(len(m.columns))})
            for m in fewer
        ]
        parts.append(problem("profile_fewer", names=joined(names)))
    return tuple(parts)


def doubled_columns(
    headers: Sequence[str], columns: Mapping[str, int], aliases: Mapping[str, Sequence[str]]
) -> list[Problem]:
    """A `doubled_column` problem for each column whose header is an alias of a field another
    column already maps to (module docstring); none when the header is unambiguous.

    headers: the header cells in order; columns: field -> index of the column read for it;
    aliases: field -> the headers that map to it. A column that is mapped itself (to another
    field), and the name beside a numbered code column, is no second column for the field.
    Every reader that maps headers to fields asks this (postings, geodata, places)."""
    taken = set(columns.values())
    found = []
    for field, index in columns.items():
        wanted = {alias_key(a) for a in aliases.get(field, ())}
        for other, cell in enumerate(headers):
            if (
                other not in taken
                and alias_key(cell) in wanted
                and not is_name_beside_code(headers[index], cell)
            ):
                found.append(
                    problem(
                        "doubled_column",
                        field=field_word(field),
                        first=said(headers[index].strip()),
                        first_letter=column_letter(index),
                        second=said(cell.strip()),
                        second_letter=column_letter(other),
                    )
                )
    return found


def _doubled_columns(match: HeaderMatch) -> Problem | None:
    """Why the header is ambiguous (module docstring), or None."""
    found = doubled_columns(match.headers, match.columns, match.profile.columns)
    if not found:
        return None
    return problem(
        "ambiguous_columns",
        where=_describe_row(match),
        profile=said(match.profile.name),
        found=joined(found, "; "),
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
                    why=None,
                )
    return None


def _explain_failure(sheets: Sequence[RawSheet], profiles: Mapping[str, Profile]) -> Problem:
    """Name the most header-like row found and, per profile, the columns it lacks."""
    best_sheet, best_cells, best_row = None, (), 0
    for sheet in sheets:
        for index, cells in _candidate_rows(sheet):
            texts = [c for c in cells if isinstance(c, str) and c.strip()]
            if len(texts) > len([c for c in best_cells if isinstance(c, str) and c.strip()]):
                best_sheet, best_cells = sheet, cells
                best_row = sheet.first_row_number + (index or 0)
    lines = []
    if best_sheet is None:
        lines.append(problem("no_header_row"))
    else:
        found = listed([str(c).strip() for c in best_cells if c not in (None, "")])
        lines.append(
            problem("header_found", sheet=said(best_sheet.name), row=best_row, found=found)
        )
    for profile in profiles.values():
        mapped = _map_columns(profile, best_cells)
        missing = [
            problem("field_one_of", field=field_word(f), code=f, headers=listed(profile.columns[f]))
            for f in profile.required_columns
            if f not in mapped
        ]
        if missing:
            expected = joined(missing, "; ")
            lines.append(problem("profile_lacks", profile=said(profile.name), expected=expected))
    lines.append(problem("add_profile"))
    return Problem("no_profile_matches", {}, tuple(lines))
