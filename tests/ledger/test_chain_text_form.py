"""The hash chain's text form is part of every ledger already written: it must never change."""

from __future__ import annotations

import hashlib
from datetime import date

from ledger.integrity import GENESIS, POSTING_SEALED_FIELDS, link, posting_chain, posting_digests

_POSTING = {
    "id": 7,
    "batch_id": 2,
    "key_hash": "k" * 64,
    "version": 2,
    "supersedes_id": 3,
    "fiscal_year": 2024,
    "document_no": "4100000001",
    "line_no": None,
    "booking_date": date(2024, 3, 14),
    "account": "501100",
    "product": None,
    "cost_center": "36050",
    "order_no": None,
    "text": "Miete Süd-Ost 50 %",
    "amount_cents": -123460,
    "debit_credit": "H",
    "source_sheet": "Journal",
    "source_row": 12,
    "content_hash": "c" * 64,
}
_TEXT = "\x1f".join(
    [
        "id=7",
        "batch_id=2",
        "key_hash=" + "k" * 64,
        "version=2",
        "supersedes_id=3",
        "fiscal_year=2024",
        "document_no=4100000001",
        "line_no=",
        "booking_date=2024-03-14",
        "account=501100",
        "product=",
        "cost_center=36050",
        "order_no=",
        "text=Miete Süd-Ost 50 %",
        "amount_cents=-123460",
        "debit_credit=H",
        "source_sheet=Journal",
        "source_row=12",
        "content_hash=" + "c" * 64,
    ]
)


def _columns(**changes: object) -> dict[str, list[object]]:
    return {name: [changes.get(name, _POSTING[name])] for name in POSTING_SEALED_FIELDS}


def test_posting_digest_is_sha256_of_the_pinned_text() -> None:
    assert posting_digests(_columns()) == [hashlib.sha256(_TEXT.encode("utf-8")).hexdigest()]


def test_date_as_object_or_iso_text_digests_alike() -> None:
    # The import seals ISO text, `verify` reads dates back as date objects.
    assert posting_digests(_columns(booking_date="2024-03-14")) == posting_digests(_columns())


def test_chain_links_each_digest_to_the_previous_hash() -> None:
    columns = {name: values * 2 for name, values in _columns().items()}
    row_digest = hashlib.sha256(_TEXT.encode("utf-8")).hexdigest()
    first = hashlib.sha256((GENESIS + row_digest).encode("ascii")).hexdigest()
    assert posting_chain(columns, GENESIS) == [first, link(first, row_digest)]
