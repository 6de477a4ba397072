"""Files that must be refused whole: exit 1, a clear message, the ledger unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import Monitor
from tests.exports import journal_rows, write_xlsx


def _good_workbook(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "good.xlsx", journal_rows([(1, 1, "15.01.2024", "501100", "10,00", "a")])
    )


def _renamed_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "buchungen.xlsx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    return path


def _workbook_renamed_csv(tmp_path: Path) -> Path:
    path = tmp_path / "buchungen.csv"
    path.write_bytes(_good_workbook(tmp_path).read_bytes())
    return path


def _truncated_workbook(tmp_path: Path) -> Path:
    data = _good_workbook(tmp_path).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_bomb(tmp_path: Path) -> Path:
    """A workbook-shaped archive whose one member inflates to 50 MB (limit set to 10 MB)."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return path


def _entity_expansion(tmp_path: Path) -> Path:
    """The classic 'billion laughs' in the shared strings of an otherwise valid workbook."""
    good = _good_workbook(tmp_path)
    path = tmp_path / "laughs.xlsx"
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&lol2;</t></si></sst>"
    )
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", bomb)
    return path


def _binary_csv(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(b"Buchungsdatum;Betrag\n\x00\x01\x02\x00garbage\n")
    return path


def _unknown_extension(tmp_path: Path) -> Path:
    path = tmp_path / "export.txt"
    path.write_text("Buchungsdatum;Betrag\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_renamed_pdf, "PDF"),
        (_workbook_renamed_csv, "ZIP"),
        (_truncated_workbook, "beschädigt oder unvollständig"),
        (_zip_bomb, "MB"),
        (_entity_expansion, "entit"),
        (_binary_csv, "Binärdaten"),
        (_unknown_extension, "Dateiart nicht unterstützt"),
    ],
)
def test_bad_file_is_refused_and_changes_nothing(
    monitor: Monitor, tmp_path: Path, make, expected: str
) -> None:
    (monitor.workdir / "settings.toml").write_text(
        "[imports]\nmax_uncompressed_mb = 10\n", encoding="utf-8"
    )
    # `batches` only reads: it refuses a ledger that does not exist yet (SPEC §2).
    monitor.run("init")
    before = monitor.json("batches")
    result = monitor.run("import", "postings", str(make(tmp_path)), expect=1)
    assert expected.casefold() in result.stderr.casefold()
    assert "Traceback" not in result.output
    assert monitor.json("batches") == before
