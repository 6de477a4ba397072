"""A column that looks like a field the chosen profile leaves out is a warning naming the column
and the field, never silently dropped (issue 16: a `KST` column used to vanish)."""

from __future__ import annotations

from pathlib import Path

import pytest

from imports.column_resemblance import resembled_field
from imports.postings import parse_postings
from imports.profile import builtin_profiles
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_csv

ROW = ["2024", "24001", "1", "15.01.2024", "501100", "06.02.01", "36050", "Personal", "1.234,56"]


def _journal(tmp_path: Path, header: list[str], row: list[str] = ROW) -> Path:
    return write_csv(tmp_path / "journal.csv", [header, row])


def _renamed(old: str, new: str) -> list[str]:
    return [new if h == old else h for h in JOURNAL_HEADER]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("KST-Schlüssel", "cost_center"),
        ("Kostenstellen-Code", "cost_center"),
        ("Kst Neu", "cost_center"),
        ("Konto (alt)", "account"),
        ("Gegenkonto", "account"),
        ("Betrag Soll", "amount"),
        ("Produktgruppe", "product"),
        ("PSP Element", "product"),
        ("Auftragsnr. intern", "order"),
        ("Soll / Haben", "debit_credit"),
        ("S/H-Kz", "debit_credit"),
    ],
)
def test_header_resembling_a_field_is_recognised(header: str, field: str) -> None:
    assert resembled_field(header) == field


@pytest.mark.parametrize(
    "header", ["Werkstatt", "Buchungstext", "Datum", "Hauswährung", "Buchungskreis", "Sozialraum"]
)
def test_header_resembling_no_field_is_not_reported(header: str) -> None:
    assert resembled_field(header) is None


def test_unknown_cost_center_header_is_reported_with_its_field(tmp_path: Path) -> None:
    path = _journal(tmp_path, _renamed("Kostenstelle", "KST-Schlüssel"))
    parsed = parse_postings(path, builtin_profiles())
    assert parsed.postings.iloc[0]["cost_center"] is None  # not read ...
    assert [c.to_dict() for c in parsed.unmapped_columns] == [  # ... but not silently
        {"column": "KST-Schlüssel", "letter": "G", "resembles": "cost_center"}
    ]


def test_kst_column_of_a_semicolon_csv_is_read_as_cost_center(tmp_path: Path) -> None:
    """The case of the issue: now an alias, so the cost centre arrives and nothing is warned."""
    parsed = parse_postings(_journal(tmp_path, _renamed("Kostenstelle", "KST")), builtin_profiles())
    assert parsed.postings.iloc[0]["cost_center"] == "36050"
    assert parsed.unmapped_columns == ()


def test_column_beside_the_mapped_field_is_not_reported(tmp_path: Path) -> None:
    """A name or contra account beside the field the profile reads loses nothing."""
    header = [*JOURNAL_HEADER, "Kostenstellenbezeichnung", "Gegenkonto", "Betrag Fremdwährung"]
    parsed = parse_postings(
        _journal(tmp_path, header, [*ROW, "Jugendzentrum", "101000", "1,00"]), builtin_profiles()
    )
    assert parsed.unmapped_columns == ()


def test_soll_haben_column_the_journal_profile_does_not_read_is_reported(tmp_path: Path) -> None:
    parsed = parse_postings(
        _journal(tmp_path, [*JOURNAL_HEADER, "S/H"], [*ROW, "H"]), builtin_profiles()
    )
    assert parsed.profile.name == "generic"
    assert [(c.column, c.resembles) for c in parsed.unmapped_columns] == [("S/H", "debit_credit")]


def test_import_summary_warns_naming_column_and_field(monitor: Monitor, tmp_path: Path) -> None:
    path = _journal(tmp_path, _renamed("Kostenstelle", "KST-Schlüssel"))
    monitor.run("init")
    shown = monitor.run("import", "postings", str(path), "--dry-run").stdout
    flat = " ".join(shown.split())
    assert "Hinweis: Die Spalte „KST-Schlüssel“ (G) sieht aus wie das Feld „Kostenstelle“" in flat
    assert "das Profil „generic“ liest sie nicht" in shown
    assert '[imports.profiles.NAME.columns] cost_center = "KST-Schlüssel"' in shown
    english = monitor.run("--lang", "en", "import", "postings", str(path), "--dry-run").stdout
    assert "Note: The column “KST-Schlüssel” (G) looks like the field “cost center”" in english
    result = monitor.json("import", "postings", str(path))
    assert result["imported"] == 1
    assert result["unmapped_columns"] == [
        {"column": "KST-Schlüssel", "letter": "G", "resembles": "cost_center"}
    ]


def test_city_profile_that_reads_the_column_clears_the_warning(
    monitor: Monitor, tmp_path: Path
) -> None:
    (monitor.workdir / "settings.toml").write_text(
        "[imports.profiles.kaemmerei]\n"
        "[imports.profiles.kaemmerei.columns]\n"
        'fiscal_year = "Haushaltsjahr"\ndocument_no = "Belegnr."\nline_no = "Zeile"\n'
        'booking_date = "Buchungsdatum"\naccount = "Sachkonto"\nproduct = "Produkt"\n'
        'cost_center = "KST-Schlüssel"\ntext = "Buchungstext"\namount = "Betrag"\n',
        encoding="utf-8",
    )
    path = _journal(tmp_path, _renamed("Kostenstelle", "KST-Schlüssel"))
    result = monitor.json("import", "postings", str(path))
    assert result["profile"] == "kaemmerei"
    assert result["unmapped_columns"] == []
    assert result["comparison"]["new_cost_centers"] == ["36050"]
