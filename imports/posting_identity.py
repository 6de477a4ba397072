"""Content and key hashes of postings, computed for a whole frame at once.

key_hash identifies a posting across exports (the profile's key fields); content_hash tells a
duplicate (same content) from a correction (same key, other content). Both are SHA-256 over the
canonical text form of `imports.record_text`, so SAP and journal exports of the same posting hash
alike when their profiles share a key.
"""

from __future__ import annotations

import pandas as pd

from imports.record_text import record_hashes

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


def _hashes(frame: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series:
    """Dates hash as their ISO day, missing values as empty text (imports.record_text)."""
    hashes = record_hashes({name: frame[name] for name in fields}, fields)
    return pd.Series(hashes.to_numpy(), index=frame.index, dtype=object)


def content_hashes(frame: pd.DataFrame) -> pd.Series:
    return _hashes(frame, CONTENT_FIELDS)


def key_hashes(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    """Hash of the key fields in a fixed order; an empty key makes the content the identity."""
    if not key:
        return content_hashes(frame)
    return _hashes(frame, tuple(sorted(key)))
