"""Workbook reading (.xlsx, .xlsm, .xls, .ods): values, row numbers and the safety checks.

Every file is written by the test itself: xlsx with xlsxwriter, xls with xlwt (skipped with a
reason where it is not installed), ods by hand (a spreadsheet is a ZIP with a content.xml), and
the hostile ones by rewriting ZIP members.
"""

from __future__ import annotations

import datetime
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter

from imports.readers import FileRefused, ReadLimits, read_tables, row_chunks

DATE = datetime.date(2024, 12, 31)


def write_xlsx(
    path: Path, sheets: dict[str, list[list[object]]], *, first_row: int = 0, first_col: int = 0
) -> Path:
    """A workbook whose sheets hold the given rows starting at (first_row, first_col), 0-based."""
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                r, c = first_row + i, first_col + j
                if value is None:
                    continue
                if isinstance(value, datetime.date):
                    sheet.write_datetime(r, c, value, date_format)
                else:
                    sheet.write(r, c, value)
    workbook.close()
    return path


def rewrite_members(source: Path, target: Path, changes: dict[str, bytes | None]) -> Path:
    """Copy a ZIP, replacing members (None removes one) and adding new ones."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in changes:
                continue
            new.writestr(info.filename, old.read(info))
        for name, data in changes.items():
            if data is not None:
                new.writestr(name, data)
    return target


ODS_CONTENT_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>{doctype}
<office:document-content
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
<table:table table:name="Journal">
<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>\
<table:table-row><table:table-cell/>\
<table:table-cell office:value-type="string"><text:p>Konto</text:p></table:table-cell>\
<table:table-cell office:value-type="string"><text:p>Datum</text:p></table:table-cell>\
<table:table-cell office:value-type="string"><text:p>Betrag</text:p></table:table-cell>\
</table:table-row>{data_rows}</table:table>
</office:spreadsheet></office:body></office:document-content>"""

# calamine's ODS parser expects no whitespace between cells, as office suites write them.
ODS_DATA_ROW = (
    "<table:table-row><table:table-cell/>"
    '<table:table-cell office:value-type="float" office:value="531800">'
    "<text:p>531800</text:p></table:table-cell>"
    '<table:table-cell office:value-type="date" office:date-value="2024-12-31">'
    "<text:p>31.12.2024</text:p></table:table-cell>"
    "<table:table-cell/></table:table-row>"
)


def write_ods(path: Path, *, data_rows: int = 1, doctype: str = "") -> Path:
    """A minimal OpenDocument spreadsheet: data starts at row 3, column B; Betrag left empty."""
    content = ODS_CONTENT_TEMPLATE.format(doctype=doctype, data_rows=ODS_DATA_ROW * data_rows)
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def zeros_bomb_member(name: str, size: int) -> tuple[str, bytes, int]:
    """A deflate stream of `size` zero bytes built from one repeated 1 MiB block (~1000:1)."""
    block_size = 1 << 20
    assert size % block_size == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # A full flush resets the compressor, so every further block compresses to the same bytes.
    block = compressor.compress(bytes(block_size)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return name, block * (size // block_size) + compressor.flush(), size


def append_raw_member(archive_path: Path, member: tuple[str, bytes, int]) -> None:
    """Append a pre-deflated member by writing the ZIP records by hand.

    The CRC is deliberately left at 0: a reader that inflated the member would end with a CRC
    error, so only a refusal made from the central directory alone yields the zip-bomb message.
    """
    name, deflated, size = member
    with zipfile.ZipFile(archive_path) as archive:
        existing = [(info, archive.read(info)) for info in archive.infolist()]
    entries = [
        (info.filename, zlib.compress(data)[2:-4], len(data), zlib.crc32(data))
        for info, data in existing
    ]
    entries.append((name, deflated, size, 0))
    out = bytearray()
    central = bytearray()
    for filename, data, usize, crc in entries:
        encoded = filename.encode()
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), usize, len(encoded), 0
        )
        out += encoded + data
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(data),
            usize,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    out += central + struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0
    )
    archive_path.write_bytes(bytes(out))


# --- values and positions ---------------------------------------------------------------------


def test_xlsx_rows_are_numbered_as_excel_shows_them_when_data_starts_at_b3(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "fbl3n.xlsx",
        {"Daten": [["Konto", "Datum", "Betrag"], [531800, DATE, -12.5], ["x", None, True]]},
        first_row=2,
        first_col=1,
    )
    [sheet] = read_tables(path)
    assert sheet.name == "Daten"
    assert sheet.first_row_number == 3
    # rows[i][j] is Excel column j: column A (empty) comes back as None
    assert sheet.rows == [
        [None, "Konto", "Datum", "Betrag"],
        [None, 531800.0, DATE, -12.5],
        [None, "x", None, True],
    ]
    assert sheet.header is None and sheet.encoding is None and sheet.delimiter is None


def test_xlsx_keeps_dates_datetimes_numbers_and_text_spaces(tmp_path: Path) -> None:
    path = tmp_path / "types.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("T")
    sheet.write_datetime(
        0,
        0,
        datetime.datetime(2024, 5, 1, 13, 30),
        workbook.add_format({"num_format": "dd.mm.yyyy hh:mm"}),
    )
    sheet.write_number(1, 0, 0)
    sheet.write_boolean(2, 0, False)
    sheet.write_formula(3, 0, '=""', None, "")
    sheet.write_string(4, 0, "      in PrCtrHW")
    workbook.close()
    [read] = read_tables(path)
    assert read.rows == [
        [datetime.datetime(2024, 5, 1, 13, 30)],
        [0.0],
        [False],
        [None],  # a formula whose result is "" reads as empty
        ["      in PrCtrHW"],
    ]


def test_all_sheets_come_back_in_workbook_order_including_empty_ones(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "multi.xlsx", {"Jan": [["a"]], "Leer": [], "Feb": [["b"]]})
    sheets = read_tables(path)
    assert [s.name for s in sheets] == ["Jan", "Leer", "Feb"]
    assert sheets[1].rows == [] and sheets[1].first_row_number == 1


def test_chart_sheets_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "chart.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    data = workbook.add_worksheet("Daten")
    data.write_column(0, 0, [1, 2, 3])
    chartsheet = workbook.add_chartsheet("Diagramm")
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({"values": "=Daten!$A$1:$A$3"})
    chartsheet.set_chart(chart)
    workbook.close()
    assert [s.name for s in read_tables(path)] == ["Daten"]


def test_xlsm_is_read_like_xlsx(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "makro.xlsx", {"Buchungen": [["Konto"], [4711]]})
    xlsm = xlsx.rename(tmp_path / "makro.xlsm")
    [sheet] = read_tables(xlsm)
    assert sheet.rows == [["Konto"], [4711.0]]


def test_ods_is_read_with_rows_numbered_from_its_first_used_row(tmp_path: Path) -> None:
    [sheet] = read_tables(write_ods(tmp_path / "journal.ods"))
    assert sheet.name == "Journal"
    assert sheet.first_row_number == 3
    assert sheet.rows == [[None, "Konto", "Datum", "Betrag"], [None, 531800.0, DATE, None]]


def test_xls_is_read_with_rows_numbered_as_excel_shows_them(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt", reason="xlwt (test extra) writes the .xls fixture")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Buchungen")
    sheet.write(2, 1, "Konto")
    sheet.write(2, 2, "Text")
    sheet.write(3, 1, 531800)
    sheet.write(3, 2, "Müller")
    sheet.write(4, 1, DATE, xlwt.easyxf(num_format_str="DD.MM.YYYY"))
    path = tmp_path / "alt.xls"
    book.save(str(path))
    [read] = read_tables(path)
    assert read.first_row_number == 3
    assert read.rows == [[None, "Konto", "Text"], [None, 531800, "Müller"], [None, DATE, None]]


# --- content that does not match the extension ------------------------------------------------


def test_pdf_renamed_to_xlsx_is_refused_naming_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "bericht.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(FileRefused, match=r"expected an Excel workbook.*looks like a PDF"):
        read_tables(path)


def test_csv_renamed_to_xlsx_is_refused_as_text(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("Konto;Betrag\n4711;1,00\n", encoding="utf-8")
    with pytest.raises(FileRefused, match=r"looks like text \(a CSV"):
        read_tables(path)


def test_xlsx_renamed_to_xls_is_refused_with_a_hint(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "a.xlsx", {"S": [["x"]]})
    path = xlsx.rename(tmp_path / "a.xls")
    with pytest.raises(FileRefused, match=r"expected an Excel 97-2003.*ZIP.*rename it to \.xlsx"):
        read_tables(path)


def test_ole2_file_named_xlsx_is_refused_as_old_or_encrypted_workbook(tmp_path: Path) -> None:
    path = tmp_path / "geheim.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    with pytest.raises(FileRefused, match=r"OLE2 compound file.*password-protected"):
        read_tables(path)


def test_html_saved_as_xls_is_refused_as_html(tmp_path: Path) -> None:
    path = tmp_path / "sap.xls"
    path.write_text("<html><body><table><tr><td>Konto</td></tr></table></body></html>")
    with pytest.raises(FileRefused, match=r"looks like an HTML page"):
        read_tables(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leer.xlsx"
    path.write_bytes(b"")
    with pytest.raises(FileRefused, match=r"looks like an empty file"):
        read_tables(path)


# --- damaged files ----------------------------------------------------------------------------


def test_truncated_xlsx_is_refused_as_damaged(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", {"S": [["Konto", "Betrag"], [1, 2.5]] * 50})
    data = whole.read_bytes()
    path = tmp_path / "halb.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileRefused) as refused:
        read_tables(path)
    assert str(refused.value) == "halb.xlsx: file is damaged or truncated"


def test_xlsx_with_corrupt_member_data_is_refused_as_damaged(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "kaputt.xlsx", {"S": [[f"Zeile {i}" for i in range(20)]] * 200})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start : start + 64] = bytes(64 * [0xFF])
    path.write_bytes(bytes(data))
    with pytest.raises(FileRefused, match=r"damaged or truncated"):
        read_tables(path)


def test_truncated_xls_is_refused_as_damaged(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt", reason="xlwt (test extra) writes the .xls fixture")
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for i in range(300):
        sheet.write(i, 0, f"Zeile {i}")
    whole = tmp_path / "whole.xls"
    book.save(str(whole))
    path = tmp_path / "halb.xls"
    path.write_bytes(whole.read_bytes()[:2048])
    with pytest.raises(FileRefused, match=r"damaged or truncated"):
        read_tables(path)


# --- hostile archives ---------------------------------------------------------------------------


def test_xlsx_zip_bomb_is_refused_from_the_central_directory(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", {"S": [["x"]]})
    append_raw_member(path, zeros_bomb_member("xl/media/zeros.bin", 2 * 1024**3))
    assert path.stat().st_size < 4 * 1024**2  # 2 GiB of zeros in about 2 MB
    with pytest.raises(FileRefused, match=r"inflate to 2048 MB.*limit of 1024 MB.*zip bomb"):
        read_tables(path)


def test_archive_limit_is_configurable(tmp_path: Path) -> None:
    rows = [[f"Buchungstext Nummer {i}" for i in range(20)] for _ in range(3000)]
    path = write_xlsx(tmp_path / "gross.xlsx", {"S": rows})
    with pytest.raises(FileRefused, match=r"more than the limit of 1 MB"):
        read_tables(path, ReadLimits(max_uncompressed_mb=1))
    assert len(read_tables(path, ReadLimits(max_uncompressed_mb=64))[0].rows) == 3000


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE sst [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


def test_xlsx_with_entity_expansion_in_shared_strings_is_refused(tmp_path: Path) -> None:
    clean = write_xlsx(tmp_path / "clean.xlsx", {"S": [["Konto"]]})
    path = rewrite_members(
        clean, tmp_path / "laughs.xlsx", {"xl/sharedStrings.xml": BILLION_LAUGHS.encode()}
    )
    with pytest.raises(FileRefused, match=r"'xl/sharedStrings.xml' declares a DOCTYPE or ENTITY"):
        read_tables(path)


def test_ods_with_doctype_in_content_is_refused(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "laughs.ods", doctype='\n<!DOCTYPE x [<!ENTITY a "b">]>')
    with pytest.raises(FileRefused, match=r"'content.xml' declares a DOCTYPE"):
        read_tables(path)


def test_utf16_workbook_part_with_doctype_is_still_found(tmp_path: Path) -> None:
    clean = write_xlsx(tmp_path / "clean.xlsx", {"S": [["Konto"]]})
    path = rewrite_members(
        clean, tmp_path / "utf16.xlsx", {"xl/sharedStrings.xml": BILLION_LAUGHS.encode("utf-16")}
    )
    with pytest.raises(FileRefused, match=r"declares a DOCTYPE or ENTITY"):
        read_tables(path)


# --- oversized sheets -----------------------------------------------------------------------------


def test_sheet_with_more_rows_than_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "lang.xlsx", {"Ok": [[1]], "Buchungen": [[i] for i in range(5)]})
    with pytest.raises(
        FileRefused, match=r"sheet 'Buchungen' has 5 rows, more than the limit of 4"
    ):
        read_tables(path, ReadLimits(max_rows=4))
    assert len(read_tables(path, ReadLimits(max_rows=5))[1].rows) == 5


def test_sheet_with_more_columns_than_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "breit.xlsx", {"Breit": [list(range(6))]})
    with pytest.raises(FileRefused, match=r"sheet 'Breit' has 6 columns, more than the limit of 5"):
        read_tables(path, ReadLimits(max_columns=5))


def test_declared_xlsx_dimension_is_checked_before_the_sheet_is_loaded(tmp_path: Path) -> None:
    # The sheet really holds one cell; only its <dimension> claims two million rows, so a
    # refusal that names two million rows can only come from the cheap pre-check.
    clean = write_xlsx(tmp_path / "clean.xlsx", {"Riesig": [["x"]]})
    with zipfile.ZipFile(clean) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    patched = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:C2000000"/>', sheet_xml)
    assert patched != sheet_xml
    path = rewrite_members(clean, tmp_path / "riesig.xlsx", {"xl/worksheets/sheet1.xml": patched})
    with pytest.raises(FileRefused, match=r"sheet 'Riesig' has 2000000 rows"):
        read_tables(path)


def test_oversized_sheet_without_dimension_is_refused_after_loading(tmp_path: Path) -> None:
    clean = write_xlsx(tmp_path / "clean.xlsx", {"Ohne": [[i] for i in range(10)]})
    with zipfile.ZipFile(clean) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    patched = re.sub(rb'<dimension ref="[^"]*"/>', b"", sheet_xml)
    assert patched != sheet_xml
    path = rewrite_members(clean, tmp_path / "ohne.xlsx", {"xl/worksheets/sheet1.xml": patched})
    with pytest.raises(FileRefused, match=r"sheet 'Ohne' has 10 rows"):
        read_tables(path, ReadLimits(max_rows=9))


def test_oversized_ods_sheet_is_refused(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "lang.ods", data_rows=5)
    with pytest.raises(FileRefused, match=r"sheet 'Journal' has 6 rows, more than the limit of 5"):
        read_tables(path, ReadLimits(max_rows=5))


def test_gobd_zip_renamed_to_xlsx_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("index.xml", "<DataSet/>")
        archive.writestr("buchungen.csv", "a;b\n")
    with pytest.raises(FileRefused, match=r"expected xl/workbook.xml .* GoBD/GDPdU export; rename"):
        read_tables(path)


def test_xlsx_renamed_to_ods_is_refused_with_a_hint(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "a.xlsx", {"S": [["x"]]})
    path = xlsx.rename(tmp_path / "a.ods")
    with pytest.raises(FileRefused, match=r"expected content.xml .* an Excel workbook; rename"):
        read_tables(path)


def test_doctype_hidden_behind_a_comment_with_markup_is_found(tmp_path: Path) -> None:
    clean = write_xlsx(tmp_path / "clean.xlsx", {"S": [["Konto"]]})
    sneaky = BILLION_LAUGHS.replace("<!DOCTYPE", "<!-- <sst> --><?pi <a>?><!DOCTYPE", 1)
    path = rewrite_members(
        clean, tmp_path / "sneaky.xlsx", {"xl/sharedStrings.xml": sneaky.encode()}
    )
    with pytest.raises(FileRefused, match=r"declares a DOCTYPE or ENTITY"):
        read_tables(path)


def test_xml_part_without_a_root_in_its_head_is_refused(tmp_path: Path) -> None:
    clean = write_xlsx(tmp_path / "clean.xlsx", {"S": [["Konto"]]})
    padded = b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b"--><sst/>"
    path = rewrite_members(clean, tmp_path / "pad.xlsx", {"xl/sharedStrings.xml": padded})
    with pytest.raises(FileRefused, match=r"'xl/sharedStrings.xml' has no root element"):
        read_tables(path)


# --- streamed reading (the postings import) ---------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_streamed_sheet_gives_the_same_rows_chunk_by_chunk_then_lets_go(
    tmp_path: Path, kind: str
) -> None:
    if kind == "xlsx":
        rows: list[list[object]] = [["Konto", "Datum", "Betrag"]]
        rows += [[531800 + i, DATE, None if i % 2 else -12.5] for i in range(6)]
        path = write_xlsx(tmp_path / "offset.xlsx", {"Daten": rows}, first_row=2, first_col=1)
    else:
        path = write_ods(tmp_path / "journal.ods", data_rows=6)
    [whole] = read_tables(path)
    [streamed] = read_tables(path, streamed=True)
    assert streamed.first_row_number == whole.first_row_number == 3
    assert len(streamed.rows) == len(whole.rows)
    assert streamed.rows[:2] == whole.rows[:2]  # the header search reads from the top
    assert streamed.rows[-1] == whole.rows[-1]
    chunks = list(row_chunks(streamed.rows, 1, 2))
    assert [len(c) for c in chunks] == [2, 2, 2]
    assert [row for chunk in chunks for row in chunk] == whole.rows[1:]
    with pytest.raises(RuntimeError, match="read to its end"):
        streamed.rows[0]  # calamine's copy of the sheet is gone once the last chunk is read


def test_rows_of_a_whole_read_come_in_chunks_too(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "small.xlsx", {"S": [["a"], ["b"], ["c"]]})
    [sheet] = read_tables(path)
    assert list(row_chunks(sheet.rows, 1, 5)) == [[["b"], ["c"]]]
