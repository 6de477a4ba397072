"""Geodata master data: district boundaries and census grid cells, versioned like the rest.

Both point at a `master_import` row (kind "boundaries" or "grid"). Boundaries are a snapshot:
the newest boundaries import (up to `--as-of`) is in force. Grid cells are kept per import, as
the file gave them, with the district each centre fell into, for later work on places and short
ways (`access`, `siting`) and for crosswalk weights; the district sums a grid import produced
are ordinary `population` / `indicator_value` rows of the same import.

Geometry is stored as WKB (ISO well-known binary, 2-D) in the CRS named by `srid`, EPSG:25832
(ETRS89 / UTM 32N, see `imports.geodata.boundary_files`); no spatial database extension is
needed, on SQLite or PostgreSQL, and shapely reads it back exactly.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.master_models import row_hash_column
from ledger.models import Base


class DistrictBoundary(Base):
    """One district's (multi)polygon in one boundaries import. area_m2: planar area in the
    srid's metres (for checks and densities)."""

    __tablename__ = "district_boundary"

    import_id: Mapped[int] = mapped_column(ForeignKey("master_import.id"), primary_key=True)
    district: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    srid: Mapped[int] = mapped_column(Integer)
    area_m2: Mapped[float] = mapped_column(Float)
    geometry: Mapped[bytes] = mapped_column(LargeBinary)
    row_hash: Mapped[str] = row_hash_column()


class GridCell(Base):
    """One census grid cell of one grid import. x, y: the cell centre in EPSG:3035 (metres);
    value / weight: as the file gave them, NULL = missing; district: the district whose polygon
    holds the centre (NULL outside every district)."""

    __tablename__ = "grid_cell"

    import_id: Mapped[int] = mapped_column(ForeignKey("master_import.id"), primary_key=True)
    cell: Mapped[str] = mapped_column(String(40), primary_key=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    size_m: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    weight: Mapped[float | None] = mapped_column(Float)
    district: Mapped[str | None] = mapped_column(String(50))
    row_hash: Mapped[str] = row_hash_column()
