"""`budget-monitor import postings` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import Monitor
from tests.exports import journal_rows, sap_export, write_csv, write_xlsx

D = dt.date


def test_sap_export_with_title_block_text_amounts_and_soll_haben(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = sap_export(
        tmp_path / "sap.xlsx",
        [
            (4000001, 1, D(2024, 1, 15), "501100", "36050", "1.234,56", "S"),
            (4000001, 2, D(2024, 1, 15), "529100", "36050", "-200,00", "H"),  # SAP sign ignored
            (4000002, 1, D(2024, 2, 1), "531800", "36110", "10.000,00", "S"),
        ],
    )
    result = monitor.json("import", "postings", str(path))
    assert result["profile"] == "sap"
    assert (result["rows"], result["imported"], result["skipped"]) == (3, 3, 1)
    assert result["total"] == "11034.56"
    assert result["errors"] == []
    assert "header in row 5" in result["profile_reason"]


def test_journal_with_trailing_minus_and_total_row(monitor: Monitor, tmp_path: Path) -> None:
    rows = journal_rows(
        [
            (24001, 1, "15.01.2024", "501100", "1.234,56", "Personal"),
            (24002, 1, "31.01.2024", "529100", "350,25-", "Gutschrift"),
            (24003, 1, "2024-02-05", "531800", "-1.000,00", "Rückzahlung"),
        ]
    )
    path = write_xlsx(tmp_path / "journal.xlsx", rows)
    result = monitor.json("import", "postings", str(path))
    assert result["profile"] == "generic"
    assert result["total"] == "-115.69"
    assert result["skipped_detail"] == {"blank": 0, "total": 1, "repeated_header": 0}


def test_semicolon_csv_in_windows_1252(monitor: Monitor, tmp_path: Path) -> None:
    rows = journal_rows(
        [
            (24001, 1, "15.01.2024", "501100", "1.234,56", "Jugendzentrum Süd-Ost"),
            (24002, 1, "31.01.2024", "529100", "99,99-", "Gutschrift Müll"),
        ]
    )
    path = write_csv(tmp_path / "journal.csv", rows, encoding="cp1252")
    result = monitor.json("import", "postings", str(path))
    assert (result["imported"], result["total"]) == (2, "1134.57")


def test_reimport_of_same_file_adds_nothing(monitor: Monitor, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "j.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
                (2, 1, "16.01.2024", "501100", "20,00", "b"),
            ]
        ),
    )
    first = monitor.json("import", "postings", str(path))
    again = monitor.json("import", "postings", str(path))
    assert first["imported"] == 2
    assert (again["imported"], again["duplicates"], again["status"]) == (0, 2, "unchanged")
    batches = monitor.json("batches")["batches"]
    assert [b["status"] for b in batches] == ["imported", "unchanged"]


def test_overlapping_later_export_adds_only_new_and_records_correction(
    monitor: Monitor, tmp_path: Path
) -> None:
    january = write_xlsx(
        tmp_path / "jan.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
                (2, 1, "16.01.2024", "501100", "20,00", "b"),
            ]
        ),
    )
    february = write_xlsx(
        tmp_path / "feb.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
                (2, 1, "16.01.2024", "501100", "25,00", "b"),  # corrected amount, same key
                (3, 1, "02.02.2024", "529100", "30,00", "c"),
            ]
        ),
    )
    monitor.json("import", "postings", str(january))
    result = monitor.json("import", "postings", str(february))
    assert (result["imported"], result["duplicates"], result["corrections"]) == (1, 1, 1)
    changed = result["comparison"]["changed_months"]
    assert [(m["month"], m["previous"], m["current"]) for m in changed] == [
        ("2024-01", "30.00", "35.00")
    ]
    assert result["comparison"]["new_accounts"] == ["529100"]


def test_posting_missing_from_later_export_is_reported(monitor: Monitor, tmp_path: Path) -> None:
    first = write_xlsx(
        tmp_path / "a.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
                (2, 1, "16.01.2024", "501100", "20,00", "b"),
            ]
        ),
    )
    second = write_xlsx(
        tmp_path / "b.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
            ]
        ),
    )
    monitor.json("import", "postings", str(first))
    result = monitor.json("import", "postings", str(second))
    assert result["comparison"]["disappeared"] == 1
    assert result["comparison"]["disappeared_examples"][0]["document_no"] == "2"


def test_rejected_row_imports_nothing_and_names_row_and_column(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
                (2, 1, "32.01.2024", "501100", "20,00", "b"),
                (3, 1, "16.01.2024", "501100", "zwanzig", "c"),
            ]
        ),
    )
    result = monitor.json("import", "postings", str(path), expect=1)
    assert result["batch"] is None and result["imported"] == 0
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (4, "Buchungsdatum"),
        (5, "Betrag"),
    ]
    assert "'zwanzig'" in result["errors"][1]["message"]
    assert monitor.json("batches")["batches"] == []


def test_accept_partial_imports_good_rows_and_keeps_rejects(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
                (2, 1, "", "501100", "20,00", "b"),
            ]
        ),
    )
    result = monitor.json("import", "postings", str(path), "--accept-partial")
    assert (result["status"], result["imported"], result["rejected"]) == ("partial", 1, 1)
    assert result["errors"][0]["message"] == "'Buchungsdatum' is empty"


def test_same_key_with_different_content_in_one_file_is_rejected(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "dup.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
                (1, 1, "15.01.2024", "501100", "11,00", "a"),
                (2, 1, "15.01.2024", "501100", "5,00", "x"),
                (2, 1, "15.01.2024", "501100", "5,00", "x"),
            ]
        ),
    )
    result = monitor.json("import", "postings", str(path), expect=1)
    assert [e["row"] for e in result["errors"]] == [3, 4]
    partial = monitor.json("import", "postings", str(path), "--accept-partial")
    assert (partial["imported"], partial["duplicates"], partial["rejected"]) == (1, 1, 2)


def test_no_matching_profile_lists_found_and_expected_headers(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "odd.xlsx", [["Datum", "Wert", "Konto"], ["1.1.2024", "1", "5"]])
    result = monitor.run("import", "postings", str(path), expect=1)
    message = result.stderr
    assert "'Datum', 'Wert', 'Konto'" in message
    assert "Dem Profil 'sap' fehlt" in message and "'Betrag in Hauswährung'" in message


def test_dry_run_reports_without_writing(monitor: Monitor, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "j.xlsx", journal_rows([(1, 1, "15.01.2024", "501100", "10,00", "a")])
    )
    result = monitor.json("import", "postings", str(path), "--dry-run")
    assert (result["status"], result["imported"], result["batch"]) == ("dry-run", 1, None)
    assert monitor.json("batches")["batches"] == []
    assert monitor.json("import", "postings", str(path))["imported"] == 1


def test_explicit_profile_that_does_not_fit_is_refused(monitor: Monitor, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "j.xlsx", journal_rows([(1, 1, "15.01.2024", "501100", "1,00", "a")])
    )
    result = monitor.json("import", "postings", str(path), "--profile", "sap", expect=1)
    assert result["status"] == "refused"
    assert "debit_credit" in result["errors"][0]["message"]
