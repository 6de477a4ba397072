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


def _canonical_text(frame: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series:
    parts = []
    for name in fields:
        column = frame[name]
        if name == "booking_date":
            text = column.dt.strftime("%Y-%m-%d")
        else:
            text = column.astype(object).where(column.notna(), "").astype(str)
        parts.append(f"{name}=" + text)
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + _SEPARATOR + part
    return joined


def _sha256(texts: pd.Series) -> pd.Series:
    return pd.Series(
        [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts],
        index=texts.index,
        dtype=object,
    )


def content_hashes(frame: pd.DataFrame) -> pd.Series:
    return _sha256(_canonical_text(frame, CONTENT_FIELDS))


def key_hashes(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    """Hash of the key fields in a fixed order; an empty key makes the content the identity."""
    if not key:
        return content_hashes(frame)
    return _sha256(_canonical_text(frame, tuple(sorted(key))))
