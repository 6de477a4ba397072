"""Files refused whole (issue 15, SPEC §5): a header without data rows ("no rows"), and a header
in which two columns map to one field (named both), for postings and every master-data kind.
Each refusal exits 1 and leaves the ledger as it was: an empty catalogue never becomes current."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from imports.master_data import MasterDataError, parse_districts, parse_measures, parse_plan
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, SAP_HEADER, journal_rows, write_csv, write_xlsx
from tests.imports.ledger_snapshot import ledger_rows
from tests.ledger.test_spend_trace import _workbook

DISTRICTS = {"Sozialräume": [["Sozialraum", "Bezeichnung"], ["S01", "Nord"], ["S02", "Süd"]]}
CATALOG = ["Maßnahme", "Bezeichnung", "Programm", "Kostenstelle"]
SHARES = ["Maßnahme", "Sozialraum", "Anteil"]


def _refused(monitor: Monitor, kind: str, path: Path) -> str:
    """Import `path` expecting a refusal; the message, after checking nothing changed."""
    before = ledger_rows(monitor.database_url)
    result = monitor.run("import", kind, str(path), expect=1)
    assert "Traceback" not in result.output
    assert ledger_rows(monitor.database_url) == before
    return result.stderr


# --- postings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_postings_header_without_rows_is_refused_as_no_rows(
    monitor: Monitor, tmp_path: Path, suffix: str
) -> None:
    rows = [["Buchungsjournal 2024"], JOURNAL_HEADER, [], ["Summe"]]
    path = tmp_path / f"leer.{suffix}"
    write_xlsx(path, rows) if suffix == "xlsx" else write_csv(path, rows)
    monitor.run("init")
    message = _refused(monitor, "postings", path)
    assert "keine Zeilen: Unter der Kopfzeile in Zeile 2" in message
    assert monitor.json("batches")["batches"] == []


def _doubled(position: int, extra: str) -> list[list[object]]:
    """A journal whose header carries `extra` as one more column at `position`."""
    rows = [list(row) for row in journal_rows([(1, 1, "15.01.2024", "501100", "10,00", "a")])]
    for row in rows[1:-1]:
        row.insert(position, extra if row is rows[1] else "99,00")
    return rows


@pytest.mark.parametrize(
    ("rows", "named"),
    [
        (_doubled(9, "Betrag"), "Betrag: 'Betrag' (Spalte I) und 'Betrag' (Spalte J)"),
        (
            _doubled(7, "Kostenstelle"),
            "Kostenstelle: 'Kostenstelle' (Spalte G) und 'Kostenstelle' (Spalte H)",
        ),
        (
            [[*SAP_HEADER, "Betrag"], ["1000", 2024, 1, 1, "15.01.2024", "501100", "36050",
             None, "x", "10,00", "EUR", "S", "10,00"]],
            "Betrag: 'Betrag in Hauswährung' (Spalte J) und 'Betrag' (Spalte M)",
        ),
    ],
    ids=["two Betrag", "two Kostenstelle", "Betrag in Hauswährung and Betrag"],
)  # fmt: skip
def test_postings_header_mapping_two_columns_to_one_field_is_refused_naming_both(
    monitor: Monitor, tmp_path: Path, rows: list[list[object]], named: str
) -> None:
    path = write_xlsx(tmp_path / "doppelt.xlsx", rows)
    monitor.run("init")
    message = _refused(monitor, "postings", path)
    assert "Zwei Spalten passen zu einem Feld" in message
    assert named in message


# --- master data ------------------------------------------------------------------------------


def _districts(tmp_path: Path) -> Path:
    return _workbook(tmp_path / "sozialraeume.xlsx", DISTRICTS)


HEADER_ONLY: dict[str, Callable[[Path], Path]] = {
    "districts": lambda d: _workbook(d / "d.xlsx", {"Sozialräume": [["Sozialraum", "Name"]]}),
    "indicators": lambda d: write_csv(d / "i.csv", [["Sozialraum", "Indikator", "Jahr", "Wert"]]),
    "measures": lambda d: _workbook(d / "m.xlsx", {"Maßnahmen": [CATALOG, ["Quelle: Amt 51"]]}),
    "plan": lambda d: write_csv(d / "p.csv", [["Maßnahme", "Jahr", "Ansatz"], [], ["Summe"]]),
}


@pytest.mark.parametrize("kind", sorted(HEADER_ONLY))
def test_master_data_header_without_rows_is_refused_as_no_rows(
    monitor: Monitor, tmp_path: Path, kind: str
) -> None:
    monitor.json("import", "districts", str(_districts(tmp_path)))
    message = _refused(monitor, kind, HEADER_ONLY[kind](tmp_path))
    assert "keine Zeilen: Die Tabelle der " in message
    assert "aber keine Datenzeilen darunter" in message


def _one_measure_catalogue(monitor: Monitor, tmp_path: Path) -> dict:
    """Districts and a catalogue of one measure, JZ-A on cost center 36050; the import's JSON."""
    monitor.json("import", "districts", str(_districts(tmp_path)))
    catalogue = _workbook(
        tmp_path / "m1.xlsx",
        {"Maßnahmen": [CATALOG, ["JZ-A", "Jugendzentrum", "JZ", "36050"]], "Zuordnung": [SHARES]},
    )
    return monitor.json("import", "measures", str(catalogue))


def test_header_only_catalogue_leaves_the_current_catalogue_current(
    monitor: Monitor, tmp_path: Path
) -> None:
    first = _one_measure_catalogue(monitor, tmp_path)
    assert (first["measures"], first["unallocated"]) == (1, ["JZ-A"])  # allocations optional
    empty = HEADER_ONLY["measures"](tmp_path)
    refused = _refused(monitor, "measures", empty)
    assert "in Blatt 'Maßnahmen' hat eine Kopfzeile in Zeile 1" in refused
    assert ledger_rows(monitor.database_url)["measure"] == 1


def test_an_empty_catalogue_is_refused_naming_the_option_that_allows_it(
    monitor: Monitor, tmp_path: Path
) -> None:
    monitor.json("import", "districts", str(_districts(tmp_path)))
    message = _refused(monitor, "measures", HEADER_ONLY["measures"](tmp_path))
    assert "würde den geltenden Maßnahmenkatalog durch einen leeren ersetzen" in message
    assert "--allow-empty" in message


def test_allow_empty_ends_every_measure_on_purpose_as_a_sealed_version(
    monitor: Monitor, tmp_path: Path
) -> None:
    _one_measure_catalogue(monitor, tmp_path)
    postings = write_xlsx(
        tmp_path / "p.xlsx", journal_rows([(1, 1, "15.01.2024", "501100", "10,00", "a")])
    )
    monitor.json("import", "postings", str(postings))
    assert [
        r["key"] for r in monitor.json("spend", "--by", "measure", "--year", "2024")["rows"]
    ] == ["JZ-A"]
    empty = HEADER_ONLY["measures"](tmp_path)
    document = monitor.json("import", "measures", "--allow-empty", str(empty))
    assert (document["import"], document["measures"], document["errors"]) == (3, 0, [])
    spent = monitor.json("spend", "--by", "measure", "--year", "2024")
    assert (spent["rows"], spent["unattributed"]) == ([], spent["total"])
    # The earlier catalogue stays as its version; the empty one is sealed like any other.
    assert ledger_rows(monitor.database_url)["measure"] == 1
    assert monitor.json("verify")["master_imports"] == 3
    text = monitor.run("import", "measures", "--help").stdout
    assert "--allow-empty" in text and "Maßnahmenkatalog ohne eine einzige Maßnahme" in text


DOUBLED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "districts": (
        lambda d: write_csv(d / "d.csv", [["Sozialraum", "Bezeichnung", "Bezeichnung"],
                                          ["S01", "Nord", "Norden"]]),
        "Bezeichnung: 'Bezeichnung' (Spalte B) und 'Bezeichnung' (Spalte C)",
    ),
    "indicators": (
        lambda d: write_csv(d / "i.csv", [["Sozialraum", "Indikator", "Jahr", "Wert", "Wert"],
                                          ["S01", "sgb2_quote", "2024", "1", "2"]]),
        "Wert: 'Wert' (Spalte D) und 'Wert' (Spalte E)",
    ),
    "measures": (
        lambda d: _workbook(d / "m.xlsx", {"Maßnahmen": [[*CATALOG, "Kostenstelle"],
                                                         ["JZ-A", "JZ", "JZ", "36050", "36051"]]}),
        "Kostenstelle: 'Kostenstelle' (Spalte D) und 'Kostenstelle' (Spalte E)",
    ),
    "plan": (
        lambda d: write_csv(d / "p.csv", [["Maßnahme", "Jahr", "Betrag", "Betrag"],
                                          ["JZ-A", "2025", "1,00", "2,00"]]),
        "Betrag: 'Betrag' (Spalte C) und 'Betrag' (Spalte D)",
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(DOUBLED))
def test_master_data_header_mapping_two_columns_to_one_field_is_refused_naming_both(
    monitor: Monitor, tmp_path: Path, kind: str
) -> None:
    monitor.json("import", "districts", str(_districts(tmp_path)))
    make, named = DOUBLED[kind]
    message = _refused(monitor, kind, make(tmp_path))
    assert "Zwei Spalten passen zu einem Feld in Blatt" in message
    assert named in message


def test_plan_with_ansatz_and_betrag_is_refused_naming_both(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv", [["Produkt", "Jahr", "Ansatz", "Betrag"], ["06.01", "2025", "1", "2"]]
    )
    with pytest.raises(
        MasterDataError, match=r"amount: 'Ansatz' \(column C\) and 'Betrag' \(column D\)"
    ):
        parse_plan(path)


def test_a_place_column_beside_a_code_column_is_its_name_not_a_second_code(
    tmp_path: Path,
) -> None:
    # The common German layout `Nr. | Sozialraum | Bezeichnung` and `Maßnahmen-Nr. | Maßnahme`:
    # the second column names the first, so neither is ambiguous.
    districts = write_csv(
        tmp_path / "d.csv", [["Nr.", "Sozialraum", "Bezeichnung"], ["01", "Nord", "Nordstadt"]]
    )
    assert parse_districts(districts).districts["district"].tolist() == ["01"]
    measures = _workbook(
        tmp_path / "m.xlsx",
        {"Maßnahmen": [["Maßnahmen-Nr.", "Maßnahme", "Kostenstelle"], ["JZ-A", "JZ", "36050"]]},
    )
    assert parse_measures(measures).measures["name"].tolist() == ["JZ"]


def test_a_wide_plan_with_only_empty_amounts_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [["Maßnahme", "Plan 2025"], ["JZ-A", ""], ["JZ-B", "-"]])
    with pytest.raises(MasterDataError, match=r"no plan amounts .* every amount cell is empty"):
        parse_plan(path)
