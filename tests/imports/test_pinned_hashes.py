"""The canonical texts and hashes of imported postings, pinned as the importer wrote them before
issue 19 (commit bbcf9b6): every ledger already written holds them, so a faster importer must
produce them byte for byte or the next `verify` would report every batch as altered.

The files cover what the normalising has to get right before hashing: German amounts with
thousands separators, leading and trailing minus, a number cell with a float's binary error,
dates as text in three layouts, with a time, as an Excel date and as a serial number, a code
stored as the number 531800.0, a code with a leading zero, umlauts, a "%" and "€" in the text,
empty optional fields (None, "" and whitespace), a missing fiscal year taken from the date, and
SAP's Soll/Haben marker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy import create_engine, text

from imports.postings import parse_postings
from imports.profile import builtin_profiles
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, sap_export, write_xlsx

_SEPARATOR = "\x1f"


def _journal(path: Path) -> Path:
    rows: list[list[object]] = [
        ["Buchungsjournal 2024"],
        JOURNAL_HEADER,
        [2024, "24000123", 1, "14.03.2024", "501100", "06.02.01", "36050", "Miete Süd-Ost",
         "1.234,56"],
        [2024, "24000123", 2, "2024-03-14", "529100", None, "  ", "Gutschrift Müll", "350,25-"],
        ["2024", "24000124", "1", dt.datetime(2024, 12, 31), 531800.0, "06.02.01", "02504",
         "Zuschuss Jugendhilfe", "-1.234.567,89"],
        [None, "24000125", 1, "1.2.24", "501100", "", None, None, 1234.56],
        [2024, "24000126", 1, 45366, "501100", "06.02.01", "36050", "Über 100 % Straße",
         "12.000.000,00"],
        [2024, "24000127", 1, "31.12.2024 00:00", "531800", "06.02.01", "36050", "Ärger €", "0,07"],
        ["Summe"],
    ]  # fmt: skip
    return write_xlsx(path, rows)


def _sap(path: Path) -> Path:
    return sap_export(
        path,
        [
            (4000001, 1, dt.date(2024, 1, 15), "501100", "36050", "1.234,56", "S"),
            (4000001, 2, dt.date(2024, 1, 15), "529100", "36050", "-200,00", "H"),
        ],
    )


def _content(
    year: int, document: str, line: int, day: str, account: str, product: str,
    cost_center: str, text_: str, cents: int,
) -> str:  # fmt: skip
    return _SEPARATOR.join(
        [
            f"fiscal_year={year}",
            f"document_no={document}",
            f"line_no={line}",
            f"booking_date={day}",
            f"account={account}",
            f"product={product}",
            f"cost_center={cost_center}",
            "order=",
            f"text={text_}",
            f"amount_cents={cents}",
        ]
    )


def _key(year: int, document: str, line: int) -> str:
    return _SEPARATOR.join([f"document_no={document}", f"fiscal_year={year}", f"line_no={line}"])


# (row, content text, key text) as the importer wrote them at commit bbcf9b6.
_JOURNAL_TEXTS = [
    (3, _content(2024, "24000123", 1, "2024-03-14", "501100", "06.02.01", "36050",
                 "Miete Süd-Ost", 123456), _key(2024, "24000123", 1)),
    (4, _content(2024, "24000123", 2, "2024-03-14", "529100", "", "", "Gutschrift Müll",
                 -35025), _key(2024, "24000123", 2)),
    (5, _content(2024, "24000124", 1, "2024-12-31", "531800", "06.02.01", "02504",
                 "Zuschuss Jugendhilfe", -123456789), _key(2024, "24000124", 1)),
    (6, _content(2024, "24000125", 1, "2024-02-01", "501100", "", "", "", 123456),
     _key(2024, "24000125", 1)),
    (7, _content(2024, "24000126", 1, "2024-03-15", "501100", "06.02.01", "36050",
                 "Über 100 % Straße", 1200000000), _key(2024, "24000126", 1)),
    (8, _content(2024, "24000127", 1, "2024-12-31", "531800", "06.02.01", "36050", "Ärger €", 7),
     _key(2024, "24000127", 1)),
]  # fmt: skip
# The same hashes as hex, so that a changed text form cannot hide behind a changed test text.
_JOURNAL_HASHES = [
    (
        "ada56b508ee53363798d0d5b3104f8a2e1e88e347b1b6e02b4b46c3292579e85",
        "559b16cc37513cc079390cf48a611394e7715263e4f4c7ee27b4bd6e23fafd41",
    ),
    (
        "c1f37c150fd560f11e50d060a6e700071802d0d0ba6d9ed028dbee60f524f339",
        "7c63b4f3714844eb2fb9843fdae026fa76e056839467c0d2b41f987e85b7c7b8",
    ),
    (
        "6ffd7450f97fc593c3e4c270b7e1c4339db2cf564080506caa8043f41622165f",
        "8d9eb98b588e17b731a1a96c4fd26508b06f7a1da069a8a502f9a7dff98a9f2b",
    ),
    (
        "6008f53f0b227af11b5e65a59901295a03befea427f914d2b29a2933a969acd5",
        "74d05f231175eebc9a33dec856a3834afe42c02688b3e90b8a440b176d83faaa",
    ),
    (
        "7e4488b9f090c02c813e259c00954b089ed4746d8e7af088e732d4b6ec53d0f3",
        "a65621e3c1e82cb52efd420b99287ef5efb2311baafe9e34262d7fcec98b2690",
    ),
    (
        "502b2ef56e9449418b6e32b898fcfc9ed32b9242590c32e744aef796711f7964",
        "91cc2c49082ceb51e8354a25c7f5b660dff443e55d074649825042b83288e52d",
    ),
]
# The posting chain's head after importing the journal and then the SAP file into an empty
# ledger (posting ids 1..8, batches 1 and 2), on SQLite and PostgreSQL alike.
_CHAIN_HEAD = "b564cded909a278da60da2a3236c447b0ce60054793db45dfc25e9b968349a47"
# The sealed text of posting 2 as the chain hashes it (ledger.integrity.POSTING_SEALED_FIELDS).
_SEALED_POSTING_2 = _SEPARATOR.join(
    [
        "id=2",
        "batch_id=1",
        f"key_hash={_JOURNAL_HASHES[1][0]}",
        "version=1",
        "supersedes_id=",
        "fiscal_year=2024",
        "document_no=24000123",
        "line_no=2",
        "booking_date=2024-03-14",
        "account=529100",
        "product=",
        "cost_center=",
        "order_no=",
        "text=Gutschrift Müll",
        "amount_cents=-35025",
        "debit_credit=",
        "source_sheet=Export",
        "source_row=4",
        f"content_hash={_JOURNAL_HASHES[1][1]}",
    ]
)


def _sha256(text_: str) -> str:
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


def test_journal_postings_keep_their_canonical_texts_and_hashes(tmp_path: Path) -> None:
    parsed = parse_postings(_journal(tmp_path / "journal.xlsx"), builtin_profiles())
    assert parsed.errors == ()
    postings = parsed.postings
    assert postings["row"].tolist() == [row for row, _, _ in _JOURNAL_TEXTS]
    assert postings["key_hash"].tolist() == [_sha256(key) for _, _, key in _JOURNAL_TEXTS]
    assert postings["content_hash"].tolist() == [
        _sha256(content) for _, content, _ in _JOURNAL_TEXTS
    ]
    assert list(zip(postings["key_hash"], postings["content_hash"], strict=True)) == (
        _JOURNAL_HASHES
    )


def test_sap_postings_keep_their_hashes_with_soll_haben_signs(tmp_path: Path) -> None:
    parsed = parse_postings(_sap(tmp_path / "sap.xlsx"), builtin_profiles())
    assert parsed.postings["amount_cents"].tolist() == [123456, -20000]
    assert parsed.postings["content_hash"].tolist() == [
        _sha256(_content(2024, "4000001", 1, "2024-01-15", "501100", "", "36050",
                         "Beleg 4000001", 123456)),
        _sha256(_content(2024, "4000001", 2, "2024-01-15", "529100", "", "36050",
                         "Beleg 4000001", -20000)),
    ]  # fmt: skip


def test_chain_head_after_two_imports_is_pinned(monitor: Monitor, tmp_path: Path) -> None:
    monitor.json("import", "postings", str(_journal(tmp_path / "journal.xlsx")))
    monitor.json("import", "postings", str(_sap(tmp_path / "sap.xlsx")))
    engine = create_engine(monitor.database_url)
    with engine.connect() as connection:
        chain = connection.execute(text("SELECT id, chain_hash FROM posting ORDER BY id")).all()
        markers = connection.execute(
            text("SELECT debit_credit FROM posting WHERE batch_id = 2 ORDER BY id")
        ).scalars()
        assert list(markers) == ["S", "H"]
    engine.dispose()
    assert [posting_id for posting_id, _ in chain] == list(range(1, 9))
    assert chain[1][1] == _sha256(chain[0][1] + _sha256(_SEALED_POSTING_2))
    assert chain[-1][1] == _CHAIN_HEAD
    assert monitor.json("verify")["ok"] is True
