"""Read places of help (`import facilities`, SPEC §9): points with a type and a name.

Two kinds of file:

- geodata (GeoJSON, GeoPackage, Shapefile or a .zip holding one), read like the boundaries
  (`boundary_files.read_geo_layer`: the CRS the file declares, GeoJSON without one WGS84, or
  `--crs` for a file that declares none). A point is the place; an area (a building drawn as a
  polygon, an OpenStreetMap way) is placed at its representative point (shapely's
  `point_on_surface`, always inside it) and listed in `from_areas`; a feature without geometry
  is listed in `without_geometry` and not stored. Nothing is dropped without a word.
- tables (CSV, Excel, ODS): a header with `lon`/`lat` (WGS84, or `--crs`), else `x`/`y` (which
  need `--crs`: digits alone cannot tell UTM from Gauß-Krüger). A row without usable
  coordinates is an error naming its row and column.

Fields, in files of both kinds, by header alias (case, spaces, dots, hyphens ignored): `type`
(or `--type TYPE` for the whole file, or `--type-field FIELD`), `name` (or `--name-field`;
OpenStreetMap exports' `tags/name` is a name too), optional `measure` (the budget measure that
pays for the place), `valid_from` / `valid_to` (dates; empty = open). A place without a type is
an error: `access` asks for places of one type, and an untyped place would silently belong to
none.

Coordinates are transformed with pyproj into STORAGE_CRS (EPSG:25832), where distances are
metres; the ledger stores them there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from imports.geodata.boundary_files import STORAGE_CRS, read_geo_layer
from imports.german_values import parse_dates
from imports.header_detection import doubled_columns
from imports.master_data.columns import (
    MEASURE_ALIASES,
    MasterDataError,
    TableSpec,
    column_key,
    doubled_fields,
    find_table,
    missing_table,
)
from imports.panel_file import parse_statistics
from imports.postings import RowError
from imports.problems import Problem, listed, problem, said
from imports.readers import ReadLimits, read_tables

FACILITY_FIELDS = ("type", "name", "measure", "valid_from", "valid_to")
_GEODATA = {".geojson", ".json", ".shp", ".zip", ".gpkg", ".gml"}
_ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("type", "Typ", "Art", "Einrichtungsart", "Kategorie", "category", "amenity"),
    "name": ("name", "Name", "Bezeichnung", "Einrichtung", "tags/name", "Titel"),
    "measure": MEASURE_ALIASES,
    "valid_from": ("valid from", "Gültig ab", "Gueltig ab", "Gültig von", "seit", "since"),
    "valid_to": ("valid to", "valid until", "Gültig bis", "Gueltig bis", "bis", "until"),
    "lon": ("lon", "lng", "long", "longitude", "Längengrad", "geogr. Länge", "Länge"),
    "lat": ("lat", "latitude", "Breitengrad", "geogr. Breite", "Breite"),
    "x": ("x", "Rechtswert", "Ostwert", "easting", "east", "x-Koordinate"),
    "y": ("y", "Hochwert", "Nordwert", "northing", "north", "y-Koordinate"),
}


@dataclass(frozen=True)
class FacilityOptions:
    """What the command line says about the file: a type for every place, or the fields that
    hold type and name; the CRS of coordinates the file does not declare; the layer."""

    type: str | None = None
    type_field: str | None = None
    name_field: str | None = None
    crs: str | None = None
    layer: str | None = None


@dataclass(frozen=True)
class FacilityFile:
    """A facilities file read and checked.

    places: type, name, measure (text or None), valid_from, valid_to (datetime.date or None),
    x, y (metres in STORAGE_CRS), row (1-based row as Excel shows it, or 1-based feature
    number) — one row per place. columns: field -> the header or field it came from.
    from_areas / without_geometry: feature numbers placed at an area's representative point, or
    without a geometry (not stored).
    """

    path: Path
    format: str
    layer: str | None
    source_crs: str | Problem
    places: pd.DataFrame
    columns: dict[str, str]
    from_areas: tuple[int, ...]
    without_geometry: tuple[int, ...]
    errors: tuple[RowError, ...]
    files: tuple[Path, ...]


def read_facility_file(
    path: Path, options: FacilityOptions, limits: ReadLimits | None = None
) -> FacilityFile:
    """Read one facilities file (module docstring). FileRefused / MasterDataError when the file
    as a whole cannot be used; row problems are in `errors`."""
    path = Path(path)
    if options.type is not None and options.type_field is not None:
        raise MasterDataError(problem("type_and_type_field"))
    crs = _checked_crs(options.crs)
    if path.suffix.casefold() in _GEODATA:
        return _read_geodata(path, options, crs, limits)
    return _read_table(path, options, crs, limits)


def _checked_crs(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        CRS(text)
    except CRSError:
        raise MasterDataError(problem("not_crs", value=said(text))) from None
    return text


def _read_geodata(
    path: Path, options: FacilityOptions, crs: str | None, limits: ReadLimits | None
) -> FacilityFile:
    layer = read_geo_layer(path, options.layer, limits, geometry="Point", assumed_crs=crs)
    frame = layer.frame
    numbers = pd.RangeIndex(1, len(frame) + 1)
    geoms = np.asarray(frame.geometry.to_numpy(), dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    points = present & (shapely.get_type_id(geoms) == 0)
    areas = present & ~points
    where = geoms.copy()
    if areas.any():
        where[areas] = shapely.point_on_surface(geoms[areas])
    xs, ys = shapely.get_x(where), shapely.get_y(where)
    attributes = pd.DataFrame(  # object columns: GDAL's dates stay cells, not a datetime64 column
        {c: pd.Series(frame[c].to_numpy(dtype=object), index=numbers, dtype=object)
         for c in layer.fields},
        index=numbers,
    )  # fmt: skip
    columns = _field_columns(list(attributes.columns), options)
    _refuse_unknown_fields(path, options, list(attributes.columns))
    _refuse_doubled(path, layer.layer, list(attributes.columns), columns, options)
    errors: list[RowError] = []
    fields = _fields(attributes, columns, options, path.name, layer.layer, errors, feature=True)
    places = fields.assign(x=xs, y=ys)[present]
    return FacilityFile(
        path=path,
        format=layer.format,
        layer=layer.layer,
        source_crs=layer.source_crs,
        places=_finished(places, errors),
        columns=columns,
        from_areas=tuple(int(n) for n in numbers[areas]),
        without_geometry=tuple(int(n) for n in numbers[~present]),
        errors=tuple(sorted(errors, key=lambda e: (e.row, e.column or ""))),
        files=layer.files,
    )


def _read_table(
    path: Path, options: FacilityOptions, crs: str | None, limits: ReadLimits | None
) -> FacilityFile:
    sheets = read_tables(path, limits or ReadLimits())
    aliases = _table_aliases(options)
    geographic = TableSpec("facilities", ("Einrichtungen", "Anlaufstellen", "facilities"),
                           aliases, ("lon", "lat"))  # fmt: skip
    projected = TableSpec(geographic.title, geographic.sheet_names, aliases, ("x", "y"))
    table = find_table(path, sheets, geographic) or find_table(path, sheets, projected)
    if table is None:
        raise missing_table(
            path,
            sheets,
            geographic,
            problem("hint_projected_coordinates"),
        )
    lon_lat = "lon" in table.columns and "lat" in table.columns
    if not lon_lat and crs is None:
        raise MasterDataError(
            problem(
                "in_file",
                file=path.name,
                detail=problem(
                    "coordinates_need_crs", x=said(table.header("x")), y=said(table.header("y"))
                ),
            )
        )
    raw, _ = table.raw()
    source = crs or "EPSG:4326"
    first, second = ("lon", "lat") if lon_lat else ("x", "y")
    errors: list[RowError] = []
    coordinates = {}
    for field in (first, second):
        values, bad, missing = parse_statistics(raw[field])
        errors += table.errors(bad | missing, field, problem("not_coordinate"))
        coordinates[field] = values
    if lon_lat and source == "EPSG:4326":
        out = ~coordinates["lon"].between(-180, 180) | ~coordinates["lat"].between(-90, 90)
        out &= coordinates["lon"].notna() & coordinates["lat"].notna()
        errors += table.errors(out, first, problem("outside_globe"))
    x, y = _to_storage(coordinates[first], coordinates[second], source)
    unplaced = ~np.isfinite(x) | ~np.isfinite(y)
    unplaced &= coordinates[first].notna().to_numpy() & coordinates[second].notna().to_numpy()
    errors += table.errors(
        pd.Series(unplaced, index=raw.index), first, problem("cannot_place", crs=source)
    )
    columns = {f: table.header(f) for f in table.columns}
    if options.type is not None:
        columns["type"] = "--type"
    fields = _fields(raw, {f: f for f in FACILITY_FIELDS if f in raw}, options, path.name,
                     table.sheet.name, errors, headers=columns)  # fmt: skip
    places = fields.assign(x=x, y=y)
    return FacilityFile(
        path=path,
        format="table",
        layer=table.sheet.name,
        source_crs=source,
        places=_finished(places, errors),
        columns=columns,
        from_areas=(),
        without_geometry=(),
        errors=tuple(sorted(errors, key=lambda e: (e.row, e.column or ""))),
        files=(path,),
    )


def unknown_measures(read: FacilityFile, known: set[str]) -> list[RowError]:
    """A row error for each place whose measure is not in the catalogue in force (`known`)."""
    named = read.places.dropna(subset=["measure"])
    column = read.columns.get("measure", "measure")
    where = problem("in_measure_catalogue" if known else "in_ledger_without_measures")
    return [
        RowError(
            read.path.name,
            read.layer or "",
            int(row),
            column,
            problem("place_measure_unknown", measure=said(code), where=where),
            feature=read.format != "table",
        )
        for row, code in zip(named["row"], named["measure"], strict=True)
        if code not in known
    ]


def _table_aliases(options: FacilityOptions) -> dict[str, tuple[str, ...]]:
    """The header aliases, with --type-field / --name-field first; --type leaves no type column."""
    aliases = dict(_ALIASES)
    if options.type_field is not None:
        aliases["type"] = (options.type_field,)
    if options.type is not None:
        del aliases["type"]
    if options.name_field is not None:
        aliases["name"] = (options.name_field,)
    return aliases


def _field_columns(fields: list[str], options: FacilityOptions) -> dict[str, str]:
    """Field -> attribute column of a geodata layer: the named field, else the first alias."""
    named = {"type": options.type_field, "name": options.name_field}
    keys = {column_key(f): f for f in reversed(fields)}
    found: dict[str, str] = {}
    for field in FACILITY_FIELDS:
        if field == "type" and options.type is not None:
            continue
        if named.get(field) is not None:
            found[field] = named[field]  # type: ignore[assignment]
            continue
        hit = next((keys[column_key(a)] for a in _ALIASES[field] if column_key(a) in keys), None)
        if hit is not None:
            found[field] = hit
    return found


def _refuse_doubled(
    path: Path,
    layer: str | None,
    fields: list[str],
    columns: dict[str, str],
    options: FacilityOptions,
) -> None:
    """Two attributes for one field (`name` and `Bezeichnung`): which one a place is called by
    is not for the program to guess (issue 15); --name-field / --type-field say it."""
    aliases = {f: a for f, a in _table_aliases(options).items() if f in FACILITY_FIELDS}
    found = doubled_columns(fields, {f: fields.index(c) for f, c in columns.items()}, aliases)
    if found:
        where = problem("where_layer", layer=said(layer or path.name))
        raise doubled_fields(path.name, where, found)


def _refuse_unknown_fields(path: Path, options: FacilityOptions, fields: list[str]) -> None:
    for option, field in (("--type-field", options.type_field),
                          ("--name-field", options.name_field)):  # fmt: skip
        if field is not None and field not in fields:
            raise MasterDataError(
                problem(
                    "not_a_place_field",
                    file=path.name,
                    option=option,
                    field=said(field),
                    fields=listed(fields) or problem("none_found"),
                )
            )


def _fields(
    raw: pd.DataFrame,
    columns: dict[str, str],
    options: FacilityOptions,
    file: str,
    sheet: str,
    errors: list[RowError],
    headers: dict[str, str] | None = None,
    feature: bool = False,
) -> pd.DataFrame:
    """type, name, measure, valid_from, valid_to of each row (index: row number, or feature
    number where `feature`), checked."""
    headers = headers or columns

    def text(field: str) -> pd.Series:
        if field not in columns:
            return _nones(raw.index)
        return raw[columns[field]].map(_text)

    def error(mask: pd.Series, field: str, message: Problem) -> None:
        column = headers.get(field, field)
        errors.extend(
            RowError(file, sheet, int(r), column, message, feature=feature) for r in raw.index[mask]
        )

    if options.type is not None:
        kind = pd.Series(options.type.strip(), index=raw.index, dtype=object)
    elif "type" not in columns:
        raise MasterDataError(problem("places_without_type", file=file))
    else:
        kind = text("type")
        error(kind.isna().to_numpy(), "type", problem("needs_place_type"))
    dates = {}
    for field in ("valid_from", "valid_to"):
        if field in columns:
            parsed, bad = parse_dates(raw[columns[field]])
            error(bad.to_numpy(), field, problem("not_valid_date"))
            dates[field] = pd.Series(
                [None if pd.isna(v) else v.date() for v in parsed], index=raw.index, dtype=object
            )
        else:
            dates[field] = _nones(raw.index)
    reversed_ = [
        bool(f is not None and t is not None and t < f)
        for f, t in zip(dates["valid_from"], dates["valid_to"], strict=True)
    ]
    error(np.array(reversed_, dtype=bool), "valid_to", problem("ends_before_valid_from"))
    return pd.DataFrame(
        {
            "type": kind,
            "name": text("name"),
            "measure": text("measure"),
            "valid_from": dates["valid_from"],
            "valid_to": dates["valid_to"],
        },
        index=raw.index,
    )


def _nones(index: pd.Index) -> pd.Series:
    return pd.Series([None] * len(index), index=index, dtype=object)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _to_storage(first: pd.Series, second: pd.Series, source: str) -> tuple[np.ndarray, ...]:
    transformer = Transformer.from_crs(source, STORAGE_CRS, always_xy=True)
    x, y = transformer.transform(first.to_numpy(float), second.to_numpy(float))
    return np.asarray(x, float), np.asarray(y, float)


def _finished(places: pd.DataFrame, errors: list[RowError]) -> pd.DataFrame:
    rejected = {e.row for e in errors}
    kept = places[~places.index.isin(list(rejected))]
    return kept.assign(row=kept.index.astype("int64")).reset_index(drop=True)
