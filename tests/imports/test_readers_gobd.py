"""GoBD/GDPdU exports (Datenträgerüberlassung): index.xml decides how the data files are read.

The fixtures follow the Beschreibungsstandard's DTD gdpdu-01-09-2004 (element order within
<Table>: URL, Name, Description, Validity, code page, DecimalSymbol, DigitGroupingSymbol, Range,
VariableLength), as real exports carry it, DOCTYPE line included.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from imports.readers import FileRefused, ReadLimits, read_tables

BUCHUNGEN_TABLE = """
    <Table>
      <URL>buchungen.csv</URL>
      <Name>Buchungen</Name>
      <Description>Journal</Description>
      <Validity>
        <Range><From>01.01.2024</From><To>31.12.2024</To></Range>
        <Format>DD.MM.YYYY</Format>
      </Validity>
      <ANSI/>
      <DecimalSymbol>,</DecimalSymbol>
      <DigitGroupingSymbol>.</DigitGroupingSymbol>
      <Range><From>2</From></Range>
      <VariableLength>
        <ColumnDelimiter>;</ColumnDelimiter>
        <RecordDelimiter>&#13;&#10;</RecordDelimiter>
        <TextEncapsulator>"</TextEncapsulator>
        <VariablePrimaryKey><Name>Belegnr</Name><AlphaNumeric/></VariablePrimaryKey>
        <VariableColumn><Name>Buchungsdatum</Name><Date><Format>DD.MM.YYYY</Format></Date>
        </VariableColumn>
        <VariableColumn><Name>Sachkonto</Name><AlphaNumeric/><MaxLength>10</MaxLength>
        </VariableColumn>
        <VariableColumn><Name>Text</Name><AlphaNumeric/></VariableColumn>
        <VariableColumn><Name>Betrag</Name><Numeric><Accuracy>2</Accuracy></Numeric>
        </VariableColumn>
      </VariableLength>
    </Table>"""

KONTEN_TABLE = """
    <Table>
      <URL>stamm/konten.txt</URL>
      <Name>Konten</Name>
      <UTF8/>
      <DecimalSymbol>.</DecimalSymbol>
      <DigitGroupingSymbol>,</DigitGroupingSymbol>
      <VariableLength>
        <ColumnDelimiter>&#9;</ColumnDelimiter>
        <VariablePrimaryKey><Name>Konto</Name><AlphaNumeric/></VariablePrimaryKey>
        <VariableColumn><Name>Bezeichnung</Name><AlphaNumeric/></VariableColumn>
      </VariableLength>
    </Table>"""

BUCHUNGEN_CSV = (
    "Belegnr;Buchungsdatum;Sachkonto;Text;Betrag\r\n"
    '100;31.12.2024;531800;"Miete; Bürgerhaus";1.234,56\r\n'
    "101;02.01.2024;531800;Straßenreinigung;-12,00\r\n"
    "102;03.01.2024;;Gebühr;\r\n"
)
KONTEN_TXT = "531800\tMieten für Gebäude\n541000\tÖffentlichkeitsarbeit\n"


def index_xml(*tables: str, prolog: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE DataSet SYSTEM "gdpdu-01-09-2004.dtd">\n'
        f"{prolog}<DataSet>\n  <Version>1.0</Version>\n"
        "  <DataSupplier><Name>Stadt Musterstadt</Name><Location>Musterstadt</Location>"
        "<Comment>Datenträgerüberlassung</Comment></DataSupplier>\n"
        f"  <Media>\n    <Name>Datenträger 1</Name>{''.join(tables)}\n  </Media>\n</DataSet>\n"
    )


def write_export(folder: Path, index: str, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.xml").write_text(index, encoding="utf-8")
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def standard_export(folder: Path) -> Path:
    return write_export(
        folder,
        index_xml(BUCHUNGEN_TABLE, KONTEN_TABLE),
        {
            "buchungen.csv": BUCHUNGEN_CSV.encode("cp1252"),
            "stamm/konten.txt": KONTEN_TXT.encode("utf-8"),
        },
    )


def zip_folder(folder: Path, target: Path, *, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return target


def assert_standard_tables(sheets: list) -> None:
    buchungen, konten = sheets
    assert buchungen.name == "Buchungen"
    assert buchungen.header == ("Belegnr", "Buchungsdatum", "Sachkonto", "Text", "Betrag")
    assert buchungen.first_row_number == 2  # Range/From: line 1 holds column names
    assert buchungen.rows == [
        ["100", "31.12.2024", "531800", "Miete; Bürgerhaus", "1.234,56"],
        ["101", "02.01.2024", "531800", "Straßenreinigung", "-12,00"],
        ["102", "03.01.2024", None, "Gebühr", None],
    ]
    assert (buchungen.decimal, buchungen.encoding, buchungen.delimiter) == (",", "cp1252", ";")
    assert konten.name == "Konten"
    assert konten.header == ("Konto", "Bezeichnung")
    assert konten.first_row_number == 1
    assert konten.rows == [["531800", "Mieten für Gebäude"], ["541000", "Öffentlichkeitsarbeit"]]
    assert (konten.decimal, konten.encoding, konten.delimiter) == (".", "utf-8", "\t")


# --- reading ----------------------------------------------------------------------------------


def test_export_folder_is_read_as_its_index_describes(tmp_path: Path) -> None:
    assert_standard_tables(read_tables(standard_export(tmp_path / "export")))


def test_index_xml_path_reads_its_folder(tmp_path: Path) -> None:
    folder = standard_export(tmp_path / "export")
    assert_standard_tables(read_tables(folder / "index.xml"))


def test_zipped_export_is_read_as_its_index_describes(tmp_path: Path) -> None:
    folder = standard_export(tmp_path / "export")
    assert_standard_tables(read_tables(zip_folder(folder, tmp_path / "export.zip")))


def test_zipped_export_with_its_folder_inside_is_read(tmp_path: Path) -> None:
    folder = standard_export(tmp_path / "export")
    archive = zip_folder(folder, tmp_path / "export.zip", prefix="GDPdU_2024/")
    assert_standard_tables(read_tables(archive))


def test_oem_code_page_is_decoded_as_cp437(tmp_path: Path) -> None:
    table = KONTEN_TABLE.replace("<UTF8/>", "<OEM/>")
    folder = write_export(
        tmp_path / "oem", index_xml(table), {"stamm/konten.txt": KONTEN_TXT.encode("cp437")}
    )
    [konten] = read_tables(folder)
    assert konten.encoding == "cp437"
    assert konten.rows[1] == ["541000", "Öffentlichkeitsarbeit"]


def test_missing_code_page_and_symbols_take_the_standards_defaults(tmp_path: Path) -> None:
    table = """
    <Table><URL>daten.csv</URL>
      <VariableLength><VariableColumn><Name>Text</Name><AlphaNumeric/></VariableColumn>
      <VariableColumn><Name>Betrag</Name><Numeric/></VariableColumn></VariableLength>
    </Table>"""
    data = 'Gebühr;"1,50"\r\nMüll;2,00\r\n'.encode("cp1252")
    [sheet] = read_tables(write_export(tmp_path / "d", index_xml(table), {"daten.csv": data}))
    assert sheet.name == "daten.csv"  # no <Name>: the URL names the table
    assert (sheet.encoding, sheet.decimal, sheet.delimiter) == ("cp1252", ",", ";")
    assert sheet.rows == [["Gebühr", "1,50"], ["Müll", "2,00"]]


def test_utf8_table_with_bom_keeps_the_bom_out_of_the_first_cell(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + KONTEN_TXT.encode("utf-8")
    folder = write_export(tmp_path / "bom", index_xml(KONTEN_TABLE), {"stamm/konten.txt": data})
    [konten] = read_tables(folder)
    assert konten.encoding == "utf-8-sig"
    assert konten.rows[0][0] == "531800"


def test_range_to_and_length_bound_the_records_read(tmp_path: Path) -> None:
    data = "".join(f"{i};Zeile {i}\n" for i in range(1, 11)).encode()
    columns = (
        "<VariableLength><VariableColumn><Name>Nr</Name><Numeric/></VariableColumn>"
        "<VariableColumn><Name>Text</Name><AlphaNumeric/></VariableColumn></VariableLength>"
    )
    to_table = (
        f"<Table><URL>z.csv</URL><Name>Bis</Name><UTF8/>"
        f"<Range><From>3</From><To>5</To></Range>{columns}</Table>"
    )
    length_table = (
        f"<Table><URL>z.csv</URL><Name>Laenge</Name><UTF8/>"
        f"<Range><From>8</From><Length>2</Length></Range>{columns}</Table>"
    )
    folder = write_export(tmp_path / "r", index_xml(to_table, length_table), {"z.csv": data})
    bis, laenge = read_tables(folder)
    assert bis.first_row_number == 3
    assert [row[0] for row in bis.rows] == ["3", "4", "5"]
    assert laenge.first_row_number == 8
    assert [row[0] for row in laenge.rows] == ["8", "9"]


def test_empty_text_encapsulator_means_quotes_are_data(tmp_path: Path) -> None:
    table = """<Table><URL>q.csv</URL><Name>Q</Name><UTF8/><VariableLength>
      <TextEncapsulator></TextEncapsulator>
      <VariableColumn><Name>A</Name><AlphaNumeric/></VariableColumn>
      <VariableColumn><Name>B</Name><AlphaNumeric/></VariableColumn></VariableLength></Table>"""
    folder = write_export(tmp_path / "q", index_xml(table), {"q.csv": b'"Zoll" 12;x\n'})
    [sheet] = read_tables(folder)
    assert sheet.rows == [['"Zoll" 12', "x"]]


def test_unusual_record_delimiter_is_honoured(tmp_path: Path) -> None:
    table = """<Table><URL>p.dat</URL><Name>P</Name><UTF8/><VariableLength>
      <ColumnDelimiter>|</ColumnDelimiter><RecordDelimiter>#</RecordDelimiter>
      <VariableColumn><Name>A</Name><AlphaNumeric/></VariableColumn>
      <VariableColumn><Name>B</Name><AlphaNumeric/></VariableColumn></VariableLength></Table>"""
    folder = write_export(tmp_path / "p", index_xml(table), {"p.dat": b"a|b#c|d\ne#"})
    [sheet] = read_tables(folder)
    assert sheet.rows == [["a", "b"], ["c", "d\ne"]]


def test_data_file_names_ignore_case_as_windows_does(tmp_path: Path) -> None:
    folder = write_export(
        tmp_path / "case",
        index_xml(BUCHUNGEN_TABLE),
        {"BUCHUNGEN.CSV": BUCHUNGEN_CSV.encode("cp1252")},
    )
    [sheet] = read_tables(folder)
    assert len(sheet.rows) == 3


def test_given_encoding_and_delimiter_override_a_wrong_description(tmp_path: Path) -> None:
    # index.xml claims ANSI and ";" but the system actually wrote UTF-8 with ","
    data = BUCHUNGEN_CSV.replace(";", ",").replace('"Miete, Bürgerhaus"', '"Miete; Bürgerhaus"')
    data = data.replace("1.234,56", '"1.234,56"').replace("-12,00", '"-12,00"')
    folder = write_export(
        tmp_path / "o", index_xml(BUCHUNGEN_TABLE), {"buchungen.csv": data.encode()}
    )
    [sheet] = read_tables(folder, encoding="utf-8", delimiter=",")
    assert (sheet.encoding, sheet.delimiter) == ("utf-8", ",")
    assert sheet.rows[1] == ["101", "02.01.2024", "531800", "Straßenreinigung", "-12,00"]


# --- refusals ---------------------------------------------------------------------------------


def test_folder_without_index_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "leer"
    folder.mkdir()
    with pytest.raises(FileRefused, match=r"leer: folder has no index.xml; expected a GoBD"):
        read_tables(folder)


def test_zip_without_index_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "daten.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("buchungen.csv", BUCHUNGEN_CSV)
    with pytest.raises(FileRefused, match=r"ZIP archive has no index.xml; expected a GoBD"):
        read_tables(path)


def test_workbook_named_zip_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "mappe.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(
        FileRefused, match=r"is an Excel workbook saved as .zip; rename it to .xlsx"
    ):
        read_tables(path)


def test_non_zip_named_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "daten.zip"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(FileRefused, match=r"expected a ZIP archive, but the file looks like a PDF"):
        read_tables(path)


def test_truncated_zip_is_refused_as_damaged(tmp_path: Path) -> None:
    archive = zip_folder(standard_export(tmp_path / "e"), tmp_path / "export.zip")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileRefused, match=r"file is damaged or truncated"):
        read_tables(archive)


def test_entity_expansion_in_index_xml_is_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE DataSet [\n<!ENTITY lol "lol">\n'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        "<DataSet><Version>&lol2;</Version></DataSet>"
    )
    folder = write_export(tmp_path / "lol", laughs, {})
    with pytest.raises(FileRefused, match=r"index.xml declares XML entities"):
        read_tables(folder)


def test_external_entity_in_index_xml_is_refused(tmp_path: Path) -> None:
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE DataSet [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<DataSet><Version>&x;</Version></DataSet>"
    )
    with pytest.raises(FileRefused, match=r"declares XML entities"):
        read_tables(write_export(tmp_path / "xxe", xxe, {}))


def test_url_leaving_the_export_is_refused(tmp_path: Path) -> None:
    (tmp_path / "geheim.csv").write_text("a;b\n")
    table = BUCHUNGEN_TABLE.replace("<URL>buchungen.csv</URL>", "<URL>../geheim.csv</URL>")
    folder = write_export(tmp_path / "export", index_xml(table), {})
    with pytest.raises(FileRefused, match=r"names '../geheim.csv', outside the export"):
        read_tables(folder)


def test_url_leaving_a_zipped_export_is_refused(tmp_path: Path) -> None:
    table = BUCHUNGEN_TABLE.replace("<URL>buchungen.csv</URL>", "<URL>../../x.csv</URL>")
    folder = write_export(tmp_path / "export", index_xml(table), {})
    with pytest.raises(FileRefused, match=r"outside the export"):
        read_tables(zip_folder(folder, tmp_path / "export.zip", prefix="a/"))


def test_absolute_url_is_refused(tmp_path: Path) -> None:
    table = BUCHUNGEN_TABLE.replace("<URL>buchungen.csv</URL>", "<URL>/etc/passwd</URL>")
    folder = write_export(tmp_path / "export", index_xml(table), {})
    with pytest.raises(FileRefused, match=r"only relative file names are read"):
        read_tables(folder)


def test_missing_data_file_is_refused_naming_it(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export", index_xml(BUCHUNGEN_TABLE), {})
    with pytest.raises(FileRefused, match=r"names 'buchungen.csv', but the folder has no such"):
        read_tables(folder)


def test_fixed_length_table_is_refused_naming_it(tmp_path: Path) -> None:
    table = """<Table><URL>f.txt</URL><Name>Fest</Name><FixedLength>
      <FixedColumn><Name>A</Name><AlphaNumeric/><FixedRange><From>1</From><To>5</To></FixedRange>
      </FixedColumn></FixedLength></Table>"""
    folder = write_export(tmp_path / "f", index_xml(table), {"f.txt": b"abcde\n"})
    with pytest.raises(FileRefused, match=r"table 'Fest' uses fixed-length records"):
        read_tables(folder)


def test_index_that_is_not_a_gdpdu_description_is_refused(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "x", "<?xml version='1.0'?><Workbook/>", {})
    with pytest.raises(FileRefused, match=r"root element 'Workbook', expected DataSet"):
        read_tables(folder)


def test_malformed_index_is_refused(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "x", "<DataSet><Media></DataSet>", {})
    with pytest.raises(FileRefused, match=r"index.xml is not well-formed XML"):
        read_tables(folder)


def test_data_not_in_the_declared_encoding_is_refused(tmp_path: Path) -> None:
    folder = write_export(
        tmp_path / "u",
        index_xml(KONTEN_TABLE),
        {"stamm/konten.txt": KONTEN_TXT.encode("cp1252")},
    )
    with pytest.raises(FileRefused, match=r"table 'Konten' .* is not valid utf-8 text as index"):
        read_tables(folder)


def test_gobd_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    folder = standard_export(tmp_path / "export")
    path = zip_folder(folder, tmp_path / "bomb.zip")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("leer.bin", bytes(3 * 1024 * 1024))  # 3 MiB of zeros, about 3 KB stored
    with pytest.raises(FileRefused, match=r"more than the limit of 1 MB; refused as a possible"):
        read_tables(path, ReadLimits(max_uncompressed_mb=1))


def test_gobd_table_with_more_rows_than_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=r"table 'Buchungen' has more than 2 rows"):
        read_tables(standard_export(tmp_path / "export"), ReadLimits(max_rows=2))


def test_gobd_table_with_more_columns_than_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=r"table 'Buchungen' has 5 columns, more than .* 4"):
        read_tables(standard_export(tmp_path / "export"), ReadLimits(max_columns=4))


def test_symlink_inside_the_export_cannot_point_outside(tmp_path: Path) -> None:
    (tmp_path / "geheim.csv").write_text("a;b\n")
    folder = write_export(tmp_path / "export", index_xml(BUCHUNGEN_TABLE), {})
    (folder / "BUCHUNGEN.CSV").symlink_to(tmp_path / "geheim.csv")
    with pytest.raises(FileRefused, match=r"names 'buchungen.csv', outside the export"):
        read_tables(folder)


@pytest.mark.parametrize("url", ["C:\\Export\\buchungen.csv", "file:///tmp/buchungen.csv"])
def test_drive_letters_and_schemes_are_refused(tmp_path: Path, url: str) -> None:
    table = BUCHUNGEN_TABLE.replace("<URL>buchungen.csv</URL>", f"<URL>{url}</URL>")
    folder = write_export(tmp_path / "export", index_xml(table), {})
    with pytest.raises(FileRefused, match=r"only relative file names are read"):
        read_tables(folder)
