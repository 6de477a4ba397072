"""Content and key hashes of postings, computed for a whole frame at once.

key_hash identifies a posting across exports (the profile's key fields); content_hash tells a
duplicate (same content) from a correction (same key, other content). Both are SHA-256 over a
canonical text form, so SAP and journal exports of the same posting hash alike when their
profiles share a key.
"""

from __future__ import annotations

import hashlib

import pandas as pd

CONTENT_FIELDS: tuple[str, ...] = (
    "fiscal_year",
    "document_no",
    "line_no",
    "booking_date",
    "account",
    "product",
    "cost_center",
    "order",
    "text",
    "amount_cents",
)
_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in a trimmed export cell


def _field_texts(frame: pd.DataFrame, name: str) -> list[str]:
    """`name=value` for every row of one field (dates as ISO, missing as empty)."""
    column = frame[name]
    if name == "booking_date":
        # A year has at most 366 booking days: format each distinct day once.
        codes, days = pd.factorize(column)
        labels = [f"{name}={d:%Y-%m-%d}" for d in days]
        return [labels[c] if c >= 0 else f"{name}=" for c in codes]
    values = column.astype(object).where(column.notna(), "").tolist()
    return [f"{name}={v}" for v in values]


def _hashes(frame: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series:
    """SHA-256 of each row's fields joined once (no full-column string copies per field)."""
    columns = [_field_texts(frame, name) for name in fields]
    return pd.Series(
        [
            hashlib.sha256(_SEPARATOR.join(parts).encode("utf-8")).hexdigest()
            for parts in zip(*columns, strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def content_hashes(frame: pd.DataFrame) -> pd.Series:
    return _hashes(frame, CONTENT_FIELDS)


def key_hashes(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    """Hash of the key fields in a fixed order; an empty key makes the content the identity."""
    if not key:
        return content_hashes(frame)
    return _hashes(frame, tuple(sorted(key)))
