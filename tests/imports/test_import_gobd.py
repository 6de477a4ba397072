"""A GoBD/GDPdU audit export is read through its own index.xml, as a folder or a zip."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.conftest import Monitor

INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE DataSet SYSTEM "gdpdu-01-09-2004.dtd">
<DataSet>
  <Version>1.0</Version>
  <DataSupplier><Name>Stadt</Name><Location>Rathaus</Location><Comment>Test</Comment></DataSupplier>
  <Media>
    <Name>CD1</Name>
    <Table>
      <URL>konten.txt</URL><Name>Kontenstamm</Name><OEM/>
      <DecimalSymbol>,</DecimalSymbol><DigitGroupingSymbol>.</DigitGroupingSymbol>
      <VariableLength>
        <ColumnDelimiter>;</ColumnDelimiter><TextEncapsulator>"</TextEncapsulator>
        <VariablePrimaryKey><Name>Sachkonto</Name><AlphaNumeric/></VariablePrimaryKey>
        <VariableColumn><Name>Bezeichnung</Name><AlphaNumeric/></VariableColumn>
      </VariableLength>
    </Table>
    <Table>
      <URL>buchungen.txt</URL><Name>Buchungen</Name><OEM/>
      <DecimalSymbol>,</DecimalSymbol><DigitGroupingSymbol>.</DigitGroupingSymbol>
      <Range><From>2</From></Range>
      <VariableLength>
        <ColumnDelimiter>;</ColumnDelimiter><TextEncapsulator>"</TextEncapsulator>
        <VariablePrimaryKey><Name>Haushaltsjahr</Name><Numeric/></VariablePrimaryKey>
        <VariablePrimaryKey><Name>Belegnr.</Name><AlphaNumeric/></VariablePrimaryKey>
        <VariablePrimaryKey><Name>Zeile</Name><Numeric/></VariablePrimaryKey>
        <VariableColumn><Name>Buchungsdatum</Name><Date><Format>DD.MM.YYYY</Format></Date></VariableColumn>
        <VariableColumn><Name>Sachkonto</Name><AlphaNumeric/></VariableColumn>
        <VariableColumn><Name>Kostenstelle</Name><AlphaNumeric/></VariableColumn>
        <VariableColumn><Name>Buchungstext</Name><AlphaNumeric/></VariableColumn>
        <VariableColumn><Name>Betrag</Name><Numeric><Accuracy>2</Accuracy></Numeric></VariableColumn>
      </VariableLength>
    </Table>
  </Media>
</DataSet>
"""
BOOKINGS = [
    "Kopfzeile der Datei",
    '2024;"A-1";1;15.01.2024;501100;36050;"Gehälter Jugendzentrum";1.234,56',
    '2024;"A-1";2;15.01.2024;529100;36050;"Rückerstattung";-34,56',
    '2024;"A-2";1;03.02.2024;531800;36110;"Zuschuss Familienzentrum";500,00',
]


def _gobd_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "index.xml").write_text(INDEX, encoding="utf-8")
    (folder / "konten.txt").write_bytes('501100;"Gehälter"\r\n'.encode("cp437"))
    (folder / "buchungen.txt").write_bytes(("\r\n".join(BOOKINGS) + "\r\n").encode("cp437"))
    return folder


def test_gobd_folder_imports_the_postings_table(monitor: Monitor, tmp_path: Path) -> None:
    result = monitor.json("import", "postings", str(_gobd_folder(tmp_path / "gobd")))
    assert (result["profile"], result["sheet"]) == ("generic", "Buchungen")
    assert (result["rows"], result["imported"], result["total"]) == (3, 3, "1700.00")
    assert "column description" in result["profile_reason"]


def test_gobd_zip_imports_like_the_folder_and_reports_rows_as_lines(
    monitor: Monitor, tmp_path: Path
) -> None:
    folder = _gobd_folder(tmp_path / "gobd")
    archive = tmp_path / "gobd.zip"
    with zipfile.ZipFile(archive, "w") as target:
        for member in folder.iterdir():
            target.write(member, member.name)
    (folder / "buchungen.txt").write_bytes(
        ("\r\n".join([*BOOKINGS, '2024;"A-3";1;kein Datum;501100;36050;"x";1,00']) + "\r\n").encode(
            "cp437"
        )
    )
    assert monitor.json("import", "postings", str(archive))["imported"] == 3
    bad = monitor.json("import", "postings", str(folder), expect=1)
    assert [(e["row"], e["column"]) for e in bad["errors"]] == [(5, "Buchungsdatum")]
