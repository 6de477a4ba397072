"""Which feature is which district: the key field, and what does not fit.

The key field is `--key`, or else the attribute whose values match the most of the ledger's
district codes (compared as codes: the number 101.0 a GIS wrote is "101"). Each feature is then
one of: a known district (matched), an unknown code (created with `--create-districts`, else
listed as `unknown` and not stored), or a feature without a code (`without_key`, by feature
number). Several features with one code — a district drawn in parts, or drawn twice as in
Berlin's planning area 06010102 — are merged into one (multi)polygon and listed as
`duplicates`. Known districts that end up without a polygon are listed as `without_geometry`.
Nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from imports.geodata.boundary_files import BoundaryFile
from imports.german_values import normalise_codes
from imports.header_detection import doubled_columns
from imports.master_data.columns import MasterDataError, column_key, doubled_fields
from imports.master_data.districts import NAME_ALIASES, PLAIN_NAME_ALIASES
from imports.problems import Problem, joined, listed, problem, said

_NAME_KEYS = {column_key(n) for n in NAME_ALIASES}


@dataclass(frozen=True)
class BoundaryMatch:
    """Boundaries keyed by district.

    polygons: district (code), name (from the file's name field, else None), geometry
    (shapely, STORAGE_CRS), area_m2 — one row per district with a polygon.
    created: code -> name of the districts the file adds (only with create).
    """

    key: str
    name_field: str | None
    polygons: pd.DataFrame
    matched: int
    created: dict[str, str]
    unknown: list[str]
    without_key: list[int]
    without_geometry: list[str]
    duplicates: list[str]
    repaired: list[str]


def match_boundaries(
    boundaries: BoundaryFile,
    known: Mapping[str, str],
    *,
    key: str | None = None,
    name: str | None = None,
    create: bool = False,
) -> BoundaryMatch:
    """Key the features of `boundaries` by the districts `known` (code -> name).

    Raises MasterDataError when `--key`/`--name` names no field, or no field matches the known
    codes (the message lists the fields and a few codes of each).
    """
    frame = boundaries.frame
    key = _key_field(boundaries, known, key, create)
    name_field = _name_field(boundaries, name, key)
    codes = normalise_codes(frame[key].astype(object))
    names = (
        normalise_codes(frame[name_field].astype(object))
        if name_field
        else pd.Series(None, index=frame.index, dtype=object)
    )
    label = codes.where(codes.notna(), [f"feature {i + 1}" for i in frame.index])
    without_key = [int(i) + 1 for i in frame.index[codes.isna().to_numpy()]]
    has_code = codes.notna()
    unknown_codes = sorted(set(codes[has_code & ~codes.isin(list(known))]), key=_natural)
    created = {}
    if create:
        for code in unknown_codes:
            first = names[codes == code].dropna()
            created[code] = str(first.iloc[0]) if len(first) else code
    stored = has_code & codes.isin([*known, *created])
    counts = codes[has_code].value_counts()
    duplicates = sorted(counts.index[counts > 1], key=_natural)

    keyed = gpd.GeoDataFrame(
        {"district": codes[stored], "name": names[stored]},
        geometry=frame.geometry[stored],
        crs=frame.crs,
    )
    keyed = keyed[keyed.geometry.notna()]
    polygons = (
        keyed.groupby("district", sort=False)
        .agg(name=("name", "first"), geometry=("geometry", lambda g: shapely.union_all(g.array)))
        .reset_index()
    )
    polygons["area_m2"] = shapely.area(polygons["geometry"].to_numpy())
    with_polygon = set(polygons["district"])
    matched = int((stored & codes.isin(list(known))).sum())
    return BoundaryMatch(
        key=key,
        name_field=name_field,
        polygons=polygons[["district", "name", "geometry", "area_m2"]],
        matched=matched,
        created=created,
        unknown=[] if create else unknown_codes,
        without_key=without_key,
        without_geometry=sorted(
            (c for c in [*known, *created] if c not in with_polygon), key=_natural
        ),
        duplicates=duplicates,
        repaired=[str(label[i]) for i in boundaries.repaired],
    )


def _key_field(
    boundaries: BoundaryFile, known: Mapping[str, str], key: str | None, create: bool
) -> str:
    fields = boundaries.fields
    if key is not None:
        if key not in fields:
            raise _not_a_field(boundaries, "--key", key)
        return key
    scores = {
        field: int(normalise_codes(boundaries.frame[field].astype(object)).isin(list(known)).sum())
        for field in fields
    }
    best = max(scores, key=lambda f: scores[f], default=None)
    if best is None or scores[best] == 0:
        raise MasterDataError(
            problem(
                "no_key_field_creating" if create else "no_key_field",
                file=boundaries.path.name,
                layer=said(boundaries.layer),
                count=len(known),
                fields=_describe(boundaries),
            )
        )
    return best


def _name_field(boundaries: BoundaryFile, name: str | None, key: str) -> str | None:
    if name is not None:
        if name not in boundaries.fields:
            raise _not_a_field(boundaries, "--name", name)
        return name
    fields = list(boundaries.fields)
    for field in fields:
        if field != key and (column_key(field) in _NAME_KEYS or column_key(field).endswith("name")):
            _refuse_second_name(
                boundaries, fields, {"key": fields.index(key), "name": fields.index(field)}
            )
            return field
    return None


def _refuse_second_name(
    boundaries: BoundaryFile, fields: list[str], columns: dict[str, int]
) -> None:
    """Two fields that both say "the name" (`Name` and `Bezeichnung`): which one the districts
    are called by is not for the program to guess (issue 15); `--name` says it."""
    found = doubled_columns(fields, columns, {"name": PLAIN_NAME_ALIASES})
    if found:
        where = problem("where_layer", layer=said(boundaries.layer or boundaries.path.name))
        raise doubled_fields(boundaries.path.name, where, found)


def _not_a_field(boundaries: BoundaryFile, option: str, field: str) -> MasterDataError:
    """--key or --name naming no field of the layer: the refusal lists the fields."""
    return MasterDataError(
        problem(
            "not_a_field",
            file=boundaries.path.name,
            option=option,
            field=said(field),
            layer=said(boundaries.layer),
            fields=_describe(boundaries),
        )
    )


def _describe(boundaries: BoundaryFile) -> Problem:
    """The layer's fields, each with its first values, for a message that asks to choose."""
    parts = []
    for field in boundaries.fields:
        sample = normalise_codes(boundaries.frame[field].astype(object)).dropna().head(3)
        parts.append(problem("named_with", name=field, detail=listed(sample.tolist())))
    return joined(parts, "; ") if parts else problem("none_found")


def _natural(code: str) -> tuple[int, str]:
    """Numeric codes by number, then the rest as text ("9" before "10")."""
    return (int(code), "") if code.isdigit() else (1 << 62, code)
