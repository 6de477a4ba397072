"""Text decoded right or refused (issue 15): a CSV is read with one encoding that reads every line
as written; a file that mixes UTF-8 and Windows-1252 lines is refused naming the first line of
each and the encodings tried, never decoded whole as Windows-1252 ("Straße" as "StraÃŸe")."""

from __future__ import annotations

from pathlib import Path

import pytest

from imports.readers import FileRefused, read_tables
from tests.conftest import Monitor
from tests.imports.ledger_snapshot import ledger_rows

HEADER = "Haushaltsjahr;Belegnr.;Zeile;Buchungsdatum;Sachkonto;Buchungstext;Betrag\r\n"


def line(document: int, text: str) -> str:
    return f"2024;{document};1;15.01.2024;501100;{text};10,00\r\n"


def mixed() -> bytes:
    """Line 2 in UTF-8, line 3 in Windows-1252: both with real umlauts and ß."""
    return (
        HEADER.encode("ascii")
        + line(1, "Straße Nord").encode("utf-8")
        + line(2, "Gebühr Süd").encode("cp1252")
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (mixed(), "line 2 is UTF-8 text ('ß'), but line 3 is not UTF-8 (byte 0xFC, 'ü' in"),
        (
            HEADER.encode() + line(1, "Größe").encode("cp1252") + line(2, "Maß").encode("utf-8"),
            "line 3 is UTF-8 text ('ß'), but line 2 is not UTF-8 (byte 0xF6, 'ö' in",
        ),
        (
            b"\xef\xbb\xbf" + HEADER.encode() + line(1, "Bürgerhaus").encode("cp1252"),
            "not UTF-8 throughout, as its byte-order mark or profile says: line 2 is not",
        ),
    ],
    ids=["utf-8 then cp1252", "cp1252 then utf-8", "BOM then cp1252"],
)
def test_file_mixing_encodings_is_refused_naming_the_lines(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    path = tmp_path / "journal.csv"
    path.write_bytes(data)
    with pytest.raises(FileRefused) as refused:
        read_tables(path)
    assert expected in str(refused.value)
    assert "export the file again in one encoding" in str(refused.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_file_in_one_encoding_reads_umlauts_and_sharp_s_as_written(
    tmp_path: Path, encoding: str
) -> None:
    # Windows-1252 typography (quotes, dash, no-break space after ß) is no UTF-8 evidence.
    text = HEADER + line(1, "Straße Nord") + line(2, "„Gebühr“ – Fuß\u00a0Süd")
    path = tmp_path / "journal.csv"
    path.write_bytes(text.encode(encoding))
    [sheet] = read_tables(path)
    assert [row[5] for row in sheet.rows[1:]] == ["Straße Nord", "„Gebühr“ – Fuß\u00a0Süd"]


def test_utf8_file_under_a_windows_1252_profile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    path.write_bytes((HEADER + line(1, "Straße Nord")).encode("utf-8"))
    with pytest.raises(FileRefused, match=r"line 2 holds 'ß' in UTF-8.* read it as 'ÃŸ'"):
        read_tables(path, encoding="cp1252")


def test_mixed_csv_import_exits_1_and_changes_nothing(monitor: Monitor, tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    path.write_bytes(mixed())
    monitor.run("init")
    before = ledger_rows(monitor.database_url)
    result = monitor.run("import", "postings", str(path), expect=1)
    assert (
        "journal.csv: mischt Textkodierungen: Zeile 2 ist UTF-8-Text ('ß'), Zeile 3 aber nicht"
        in (result.stderr)
    )
    assert "bitte die Datei noch einmal in einer Kodierung exportieren" in result.stderr
    english = monitor.run("--lang", "en", "import", "postings", str(path), expect=1).stderr
    assert "mixes text encodings: line 2 is UTF-8" in english
    assert "StraÃŸe" not in result.output
    assert ledger_rows(monitor.database_url) == before
