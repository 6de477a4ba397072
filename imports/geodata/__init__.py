"""Geodata in, checked frames out: district boundaries (`import boundaries`) and census grid
cells (`import grid`), SPEC §5.

Pure with respect to the ledger, like `imports.master_data`: files are read with pyogrio
(through geopandas), every change of coordinate reference system goes through pyproj, geometry
work (repair, point-in-polygon) through shapely 2 and geopandas' spatial join. Distances and
areas are only ever computed in a metric projection (STORAGE_CRS for boundaries, EPSG:3035 for
the grid), never in degrees.
"""

from imports.geodata.boundary_files import (
    STORAGE_CRS,
    BoundaryFile,
    GeoLayer,
    read_boundary_file,
    read_geo_layer,
)
from imports.geodata.boundary_keys import BoundaryMatch, match_boundaries
from imports.geodata.census_grid import GRID_CRS, GridFile, parse_grid
from imports.geodata.grid_districts import (
    GridAssignment,
    LocatedPoints,
    assign_cells,
    locate_points,
)

__all__ = [
    "GRID_CRS",
    "STORAGE_CRS",
    "BoundaryFile",
    "BoundaryMatch",
    "GeoLayer",
    "GridAssignment",
    "GridFile",
    "LocatedPoints",
    "assign_cells",
    "locate_points",
    "match_boundaries",
    "parse_grid",
    "read_boundary_file",
    "read_geo_layer",
]
