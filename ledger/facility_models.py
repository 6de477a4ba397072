"""Places of help (`import facilities`, SPEC §9) as master data, versioned and sealed.

Each facilities import is a `master_import` row of kind "facilities"; its places point at it. A
new import replaces the places of the types it holds and leaves the other types as they were
(`ledger.facility_store.places`), so the youth department can send its youth centres without
resending the Jobcenter's offices.

x, y: the place in EPSG:25832 (ETRS89 / UTM 32N, metres), the CRS of the boundaries; district:
the district whose polygon (the boundaries in force at import) holds it, NULL in none. measure:
the budget measure that pays for the place (its code as the file gave it); valid_from /
valid_to: when the place is open (NULL = open-ended).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.master_models import row_hash_column
from ledger.models import Base


class Facility(Base):
    """One place of help of one facilities import; seq numbers the places in file order."""

    __tablename__ = "facility"

    import_id: Mapped[int] = mapped_column(ForeignKey("master_import.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(300))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    district: Mapped[str | None] = mapped_column(String(50))
    measure: Mapped[str | None] = mapped_column(String(50))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    row_hash: Mapped[str] = row_hash_column()
