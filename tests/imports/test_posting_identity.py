"""Posting hashes are part of the ledger: their text form must never change silently."""

from __future__ import annotations

import hashlib

import pandas as pd

from imports.posting_identity import identity_hashes


def test_content_and_key_hash_text_form_is_stable() -> None:
    frame = pd.DataFrame(
        {
            "fiscal_year": pd.Series([2024], dtype="Int64"),
            "document_no": ["24000123"],
            "line_no": pd.Series([pd.NA], dtype="Int64"),
            "booking_date": pd.to_datetime(["2024-03-14"]),
            "account": ["501100"],
            "product": [None],
            "cost_center": ["36050"],
            "order": [None],
            "text": ["Miete Süd-Ost"],
            "amount_cents": [123460],
        }
    )
    content = "\x1f".join(
        [
            "fiscal_year=2024",
            "document_no=24000123",
            "line_no=",
            "booking_date=2024-03-14",
            "account=501100",
            "product=",
            "cost_center=36050",
            "order=",
            "text=Miete Süd-Ost",
            "amount_cents=123460",
        ]
    )
    key = "\x1f".join(["document_no=24000123", "fiscal_year=2024", "line_no="])
    keys, contents = identity_hashes(frame, ("fiscal_year", "document_no", "line_no"))
    assert contents.tolist() == [hashlib.sha256(content.encode()).hexdigest()]
    assert keys.tolist() == [hashlib.sha256(key.encode()).hexdigest()]
    # Without a key, the content is the identity.
    assert identity_hashes(frame, ())[0].tolist() == contents.tolist()
