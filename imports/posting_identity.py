"""Content and key hashes of postings, computed for a whole frame at once.

key_hash identifies a posting across exports (the profile's key fields); content_hash tells a
duplicate (same content) from a correction (same key, other content). Both are SHA-256 over the
canonical text form of `imports.record_text`, so SAP and journal exports of the same posting hash
alike when their profiles share a key.
"""

from __future__ import annotations

import pandas as pd
import polars as pl

from imports.record_text import hashes_over

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


def identity_hashes(frame: pd.DataFrame, key: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """(key_hash, content_hash) of each row, taken side by side from one conversion of the frame.

    The key hash is over the key fields in a fixed (sorted) order; an empty key makes the content
    the identity. Dates hash as their ISO day, missing values as empty text
    (imports.record_text)."""
    hashed = {"content": CONTENT_FIELDS, "key": tuple(sorted(key)) or CONTENT_FIELDS}
    hashes = hashes_over({name: frame[name] for name in set(CONTENT_FIELDS) | set(key)}, hashed)
    return _aligned(hashes["key"], frame), _aligned(hashes["content"], frame)


def _aligned(hashes: pl.Series, frame: pd.DataFrame) -> pd.Series:
    return pd.Series(hashes.to_numpy(), index=frame.index, dtype=object)
