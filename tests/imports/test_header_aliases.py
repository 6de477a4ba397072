"""Headers of common German exports read by the built-in profiles (issue 16, DOMAIN.md §3), and
aliases that never make a real export ambiguous."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from imports.header_detection import AmbiguousColumns, NoProfileMatches, alias_key, find_header
from imports.postings import parse_postings
from imports.profile import builtin_profiles
from imports.readers import RawSheet, ReadLimits, read_tables
from tests.exports import JOURNAL_HEADER, SAP_HEADER, write_csv

REPO = Path(__file__).resolve().parents[2]
ROW = ["2024", "24001", "1", "15.01.2024", "501100", "06.02.01", "36050", "Personal", "1.234,56"]


def _journal(tmp_path: Path, replace: dict[str, str], extra: dict[str, str] | None = None) -> Path:
    """A one-row semicolon journal with some headers renamed and extra columns at the end."""
    header = [replace.get(h, h) for h in JOURNAL_HEADER] + list(extra or {})
    return write_csv(tmp_path / "journal.csv", [header, ROW + list((extra or {}).values())])


@pytest.mark.parametrize(
    ("field", "standard", "alias"),
    [
        ("cost_center", "Kostenstelle", "KST"),
        ("cost_center", "Kostenstelle", "Kst."),
        ("cost_center", "Kostenstelle", "Kostenst."),
        ("cost_center", "Kostenstelle", "Kostenstelle Nr."),
        ("cost_center", "Kostenstelle", "Kostenstellennummer"),
        ("account", "Sachkonto", "Sachkto"),
        ("account", "Sachkonto", "Sachkonto Nr."),
        ("account", "Sachkonto", "Kontonummer"),
        ("amount", "Betrag", "Buchungsbetrag"),
        ("amount", "Betrag", "Betrag EUR"),
        ("amount", "Betrag", "Betrag in EUR"),
        ("product", "Produkt", "Produkt Nr."),
        ("document_no", "Belegnr.", "Beleg-Nr."),
        ("document_no", "Belegnr.", "Beleg Nr"),
    ],
)
def test_journal_alias_is_read_as_its_field(
    tmp_path: Path, field: str, standard: str, alias: str
) -> None:
    parsed = parse_postings(_journal(tmp_path, {standard: alias}), builtin_profiles())
    assert parsed.profile.name == "generic"
    posting = parsed.postings.iloc[0]
    expected = {"cost_center": "36050", "account": "501100", "product": "06.02.01"}
    if field == "amount":
        assert posting["amount_cents"] == 123456
    elif field == "document_no":
        assert posting["document_no"] == "24001"
    else:
        assert posting[field] == expected[field]


@pytest.mark.parametrize("marker_header", ["Soll/Haben", "S/H", "Soll/Haben-Kennzeichen"])
def test_sap_debit_credit_alias_signs_the_amount(tmp_path: Path, marker_header: str) -> None:
    header = [*SAP_HEADER[:-1], marker_header]
    rows = [
        header,
        ["1000", "2024", "1", "1", "15.01.2024", "501100", "KST1", "", "a", "100,00", "EUR", "S"],
        ["1000", "2024", "1", "2", "15.01.2024", "501100", "KST1", "", "b", "30,00", "EUR", "H"],
    ]
    parsed = parse_postings(write_csv(tmp_path / "sap.csv", rows), builtin_profiles())
    assert parsed.profile.name == "sap"
    assert list(parsed.postings["amount_cents"]) == [10000, -3000]


@pytest.mark.parametrize(
    "header",
    ["KST", "Kst.", "kst", " KST ", "K.S.T.", "Kst", "K-S-T"],
)
def test_header_comparison_ignores_case_spaces_dots_and_hyphens(header: str) -> None:
    assert alias_key(header) == alias_key("KST") == "kst"


def test_umlaut_written_decomposed_matches() -> None:
    assert alias_key("Gescha\u0308ftsjahr") == alias_key("Geschäftsjahr")


def test_numbered_code_beside_its_name_reads_the_code_and_is_not_ambiguous(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "journal.csv",
        [
            [*JOURNAL_HEADER[:6], "Kostenstelle Nr.", "Kostenstelle", *JOURNAL_HEADER[7:]],
            [*ROW[:6], "36050", "Jugendzentrum Süd-Ost", *ROW[7:]],
        ],
    )
    parsed = parse_postings(path, builtin_profiles())
    assert parsed.postings.iloc[0]["cost_center"] == "36050"


def test_two_cost_center_columns_by_different_aliases_stay_ambiguous(tmp_path: Path) -> None:
    """`Kostenstelle` and `KST` are both codes: nothing says which one is meant."""
    with pytest.raises(AmbiguousColumns, match="'Kostenstelle' \\(column G\\) and 'KST'"):
        parse_postings(_journal(tmp_path, {}, {"KST": "36110"}), builtin_profiles())


# --- real layouts stay as they were --------------------------------------------------------------


def test_bundled_sample_journal_maps_the_same_nine_fields() -> None:
    sheets = read_tables(REPO / "examples" / "journal-2024.csv", ReadLimits())
    match = find_header(sheets, builtin_profiles())
    assert match.profile.name == "generic"
    assert dict(match.columns) == {
        "fiscal_year": 0,
        "document_no": 1,
        "line_no": 2,
        "booking_date": 3,
        "account": 4,
        "product": 5,
        "cost_center": 6,
        "text": 7,
        "amount": 8,
    }


def test_sap_layout_of_domain_notes_maps_each_column_once() -> None:
    """DOMAIN.md §3's SAP columns, Belegdatum and Hauswährung included: no alias takes them."""
    header = [*SAP_HEADER[:5], "Belegdatum", *SAP_HEADER[5:]]
    match = find_header([RawSheet("sap", [header])], builtin_profiles())
    assert match.profile.name == "sap"
    assert {header[i].strip(): f for f, i in match.columns.items()} == {
        "Geschäftsjahr": "fiscal_year",
        "Belegnummer": "document_no",
        "Position": "line_no",
        "Buchungsdatum": "booking_date",
        "Sachkonto": "account",
        "Kostenstelle": "cost_center",
        "Auftrag": "order",
        "Text": "text",
        "Betrag in Hauswährung": "amount",
        "Soll/Haben-Kennz.": "debit_credit",
    }


def test_published_real_files_are_never_ambiguous_for_the_posting_profiles() -> None:
    """Every real file bundled for tests is either read or not a posting export; none becomes
    "two columns map to one field" through an alias."""
    real = sorted((REPO / "tests" / "data" / "real").rglob("*.csv"))
    assert len(real) > 10
    for path in [REPO / "examples" / "journal-2024.csv", *real]:
        sheets = read_tables(path, ReadLimits())
        with contextlib.suppress(NoProfileMatches):
            find_header(sheets, builtin_profiles())
