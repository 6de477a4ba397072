"""Read district polygons from the files a city's GIS writes, into one metric CRS.

Formats: GeoJSON, Shapefile (`.shp` with its sidecars, or a `.zip` holding them), GeoPackage
and GML, all read by GDAL through pyogrio. The coordinate reference system is the one the file
declares — the `.prj`, the GeoJSON `crs` member, the GeoPackage's srs, the GML `srsName` — and
a GeoJSON without one is WGS84, as RFC 7946 says. A Shapefile or GML that declares none is
refused: guessing between ETRS89/UTM 32N, Gauß-Krüger and lon/lat would put every district in
the wrong place without a warning.

Every geometry is transformed with pyproj into STORAGE_CRS, ETRS89 / UTM zone 32N (EPSG:25832):
the official CRS of the surveying authorities of NRW (and of Schleswig-Holstein, Hamburg,
Lower Saxony, Hesse, …), metric, so areas and distances are in metres without further work.
A `.prj` that declares a shifted false easting (Köln's Stadtteil shapefiles carry UTM 32N with
false easting 2,500,000, i.e. x + 2,000,000) is honoured like any other declaration, which is
exactly what undoes the shift.

Invalid polygons (self-intersections, bow ties, rings touching themselves) are repaired with
shapely's `make_valid`, keeping only the polygonal parts, and listed by feature index; a
feature whose geometry is empty, missing or not a polygon is listed too and carries no
geometry. Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from imports.problems import Problem, listed, problem, said
from imports.readers import FileRefused, ReadLimits
from imports.readers.archive import open_checked_zip

STORAGE_CRS = "EPSG:25832"
_SHAPEFILE_SIDECARS = (".shx", ".dbf", ".prj", ".cpg")
_SUFFIXES = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "Shapefile",
    ".zip": "Shapefile",
    ".gpkg": "GeoPackage",
    ".gml": "GML",
    ".xml": "GML",
}
_POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class GeoLayer:
    """One layer of a geodata file, read and transformed into STORAGE_CRS.

    frame: a GeoDataFrame with the file's attribute columns (as GDAL reads them) and
    `geometry`; its index is the 0-based feature position in the layer. source_crs: the
    declared CRS (`describe_crs`: "EPSG:4326", or a `crs_custom` problem naming a CRS without
    an authority's code). files: every file read (a Shapefile's sidecars too), for the import's
    fingerprint.
    """

    path: Path
    format: str
    layer: str
    source_crs: str | Problem
    frame: gpd.GeoDataFrame
    files: tuple[Path, ...]

    @property
    def fields(self) -> list[str]:
        return [c for c in self.frame.columns if c != "geometry"]


@dataclass(frozen=True)
class BoundaryFile(GeoLayer):
    """A layer of polygons: `geometry` is None where a feature has no usable polygon.
    repaired / without_polygon: feature positions whose geometry was repaired, or is missing,
    empty or not polygonal."""

    repaired: tuple[int, ...] = ()
    without_polygon: tuple[int, ...] = ()


def read_boundary_file(
    path: Path, layer: str | None = None, limits: ReadLimits | None = None
) -> BoundaryFile:
    """Read one boundaries file (module docstring); FileRefused when it cannot be used."""
    read = read_geo_layer(path, layer, limits, geometry="Polygon")
    frame, repaired, without = _usable_polygons(read.frame)
    return BoundaryFile(
        path=read.path,
        format=read.format,
        layer=read.layer,
        source_crs=read.source_crs,
        frame=frame,
        files=read.files,
        repaired=repaired,
        without_polygon=without,
    )


def read_geo_layer(
    path: Path,
    layer: str | None = None,
    limits: ReadLimits | None = None,
    *,
    geometry: str,
    assumed_crs: str | None = None,
) -> GeoLayer:
    """Read one layer of a GeoJSON, Shapefile (or .zip), GeoPackage or GML file into
    STORAGE_CRS. `geometry` ("Polygon",
    "Point") picks the layer of a file with several when only one has that geometry.
    `assumed_crs`: the CRS of a file that declares none (a GeoJSON then is not taken as WGS84);
    a file that declares another one is refused rather than moved."""
    path = Path(path)
    kind = _SUFFIXES.get(path.suffix.casefold())
    if kind is None:
        raise FileRefused(path, problem("not_geodata_file"))
    if not path.is_file():
        raise FileRefused(path, problem("file_not_found"))
    source, files = str(path), (path,)
    if path.suffix.casefold() == ".zip":
        source = _zipped_shapefile(path, layer, limits or ReadLimits())
        layer = None
    elif kind == "Shapefile":
        files = (path, *_sidecars(path))
    chosen = _choose_layer(path, source, layer, geometry)
    try:
        frame = gpd.read_file(source, layer=chosen, engine="pyogrio")
    except (DataSourceError, DataLayerError, ValueError) as exc:
        raise FileRefused(path, problem("cannot_read_as", kind=kind, reason=str(exc))) from None
    declared = frame.crs
    if declared is not None and assumed_crs is not None and CRS(declared) != CRS(assumed_crs):
        raise FileRefused(
            path,
            problem(
                "crs_declared_otherwise", declared=describe_crs(CRS(declared)), given=assumed_crs
            ),
        )
    if declared is None:
        if assumed_crs is not None:
            declared = CRS(assumed_crs)
        elif kind != "GeoJSON":
            code = "no_crs_shapefile" if kind == "Shapefile" else "no_crs_declared"
            raise FileRefused(path, problem(code))
        else:
            declared = CRS.from_epsg(4326)  # RFC 7946: GeoJSON without a crs member is WGS84
        frame = frame.set_crs(declared)
    return GeoLayer(
        path=path,
        format=kind,
        layer=chosen or path.stem,
        source_crs=describe_crs(CRS(declared)),
        frame=frame.to_crs(STORAGE_CRS).reset_index(drop=True),
        files=files,
    )


def describe_crs(crs: CRS) -> str | Problem:
    """ "EPSG:25832" where the CRS is one of EPSG's (or another authority's code), the same in
    every language; else its name, marked as a CRS of the file's own (`crs_custom`: "custom:
    NAME"), which each language words in its own way."""
    code = crs.to_epsg(min_confidence=90)
    if code is not None:
        return f"EPSG:{code}"
    if crs.to_authority(min_confidence=90):
        return ":".join(crs.to_authority(min_confidence=90))
    return problem("crs_custom", name=crs.name)


def crs_summary(crs: str | Problem) -> dict[str, Any]:
    """The declared CRS in an import's JSON: `source_crs` as text that is the same in every
    language ("EPSG:4326", "custom: NAME"), and `source_crs_problem` the code and values that
    the summary words in the reader's language (None for an authority's code)."""
    if isinstance(crs, Problem):
        return {"source_crs": crs.english, "source_crs_problem": crs.to_dict()}
    return {"source_crs": crs, "source_crs_problem": None}


def _sidecars(path: Path) -> list[Path]:
    found = []
    for suffix in _SHAPEFILE_SIDECARS:
        for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
            if candidate.is_file():
                found.append(candidate)
                break
    if not any(p.suffix.casefold() == ".dbf" for p in found) or not any(
        p.suffix.casefold() == ".shx" for p in found
    ):
        raise FileRefused(path, problem("shapefile_without_sidecars"))
    return found


def _zipped_shapefile(path: Path, layer: str | None, limits: ReadLimits) -> str:
    """GDAL's path to the Shapefile inside a ZIP (its size checked first), chosen by --layer
    when the archive holds several."""
    with open_checked_zip(path, limits) as archive:
        members = [n for n in archive.namelist() if n.casefold().endswith(".shp")]
    if not members:
        raise FileRefused(path, problem("zip_without_shapefile"))
    if layer is not None:
        named = [m for m in members if Path(m).stem == layer]
        if not named:
            raise FileRefused(
                path,
                problem(
                    "no_such_shapefile",
                    layer=said(layer),
                    found=listed([Path(m).stem for m in members]),
                ),
            )
        members = named
    if len(members) > 1:
        raise FileRefused(
            path, problem("several_shapefiles", found=listed([Path(m).stem for m in members]))
        )
    return f"/vsizip/{path.resolve()}/{members[0]}"


def _choose_layer(path: Path, source: str, layer: str | None, geometry: str) -> str | None:
    """The layer to read: --layer, the only layer, or the only layer of that geometry."""
    try:
        layers = pyogrio.list_layers(source)
    except (DataSourceError, DataLayerError, ValueError) as exc:
        raise FileRefused(path, problem("cannot_read_geodata", reason=str(exc))) from None
    names = [str(name) for name, _ in layers]
    if layer is not None:
        if layer not in names:
            raise FileRefused(
                path, problem("no_such_layer", layer=said(layer), found=listed(names))
            )
        return layer
    if len(names) <= 1:
        return None
    fitting = [str(name) for name, kind in layers if kind and geometry in str(kind)]
    if len(fitting) == 1:
        return fitting[0]
    raise FileRefused(path, problem("several_layers", found=listed(names)))


def _usable_polygons(
    frame: gpd.GeoDataFrame,
) -> tuple[gpd.GeoDataFrame, tuple[int, ...], tuple[int, ...]]:
    """2-D polygons only; invalid ones repaired (module docstring). Index = feature position."""
    frame = frame.reset_index(drop=True)
    geometry = frame.geometry.array
    present = ~(frame.geometry.isna() | frame.geometry.is_empty)
    geometry = shapely.force_2d(geometry)
    invalid = present & ~shapely.is_valid(geometry)
    fixed = geometry.copy()
    if invalid.any():
        fixed[invalid.to_numpy()] = [
            _polygonal_part(g) for g in shapely.make_valid(geometry[invalid.to_numpy()])
        ]
    kinds = shapely.get_type_id(fixed)
    polygonal = present.to_numpy() & ((kinds == 3) | (kinds == 6))  # Polygon, MultiPolygon
    polygonal &= ~shapely.is_empty(fixed)
    fixed[~polygonal] = None
    frame = frame.set_geometry(gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs))
    repaired = tuple(int(i) for i in frame.index[invalid.to_numpy() & polygonal])
    without = tuple(int(i) for i in frame.index[~polygonal])
    return frame, repaired, without


def _polygonal_part(geometry: shapely.Geometry) -> shapely.Geometry | None:
    """The polygons of a repaired geometry (make_valid may add the lines it cut off)."""
    if geometry.geom_type in _POLYGONAL:
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in _POLYGONAL]
    return shapely.union_all(parts) if parts else None
