"""CSV reading: encoding and delimiter detection, cells as written, and refusal of non-text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from imports.readers import FileRefused, ReadLimits, read_tables
from imports.readers.delimited import detect_delimiter
from imports.readers.text_encoding import EncodingEvidence

GERMAN = (
    "Buchungstext;Betrag\n"
    "Miete Bürgerhaus Öhringen;1.234,56\n"
    "Straßenreinigung Äußere Gärten;-12,00\n"
    "Gebühr für Jugendzentrum Nord;99,00\n"
)
GERMAN_ROWS = [
    ["Buchungstext", "Betrag"],
    ["Miete Bürgerhaus Öhringen", "1.234,56"],
    ["Straßenreinigung Äußere Gärten", "-12,00"],
    ["Gebühr für Jugendzentrum Nord", "99,00"],
]


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def detect(data: bytes) -> str:
    evidence = EncodingEvidence()
    evidence.feed(data)
    return evidence.verdict()


# --- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("cp1252", "cp1252"), ("cp437", "cp437"), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig")],
)
def test_encoding_of_german_csv_is_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    [sheet] = read_tables(write(tmp_path, "journal.csv", GERMAN, encoding))
    assert sheet.encoding == expected
    assert sheet.rows == GERMAN_ROWS  # no BOM in the first header, no mojibake


def test_cp437_without_the_byte_cp1252_lacks_is_still_recognised(tmp_path: Path) -> None:
    # No "ü" (0x81, undefined in Windows-1252): the decision rests on the letter scoring alone.
    text = "Änderung;Straße;Köln;Größe\nÖl;Maße;Bär;Söhne\n"
    assert "ü" not in text
    [sheet] = read_tables(write(tmp_path, "oem.csv", text, "cp437"))
    assert sheet.encoding == "cp437"
    assert sheet.rows[0] == ["Änderung", "Straße", "Köln", "Größe"]


def test_cp1252_typographic_quotes_do_not_count_as_cp437_umlauts() -> None:
    # „ is 0x84 in Windows-1252, which is ä in CP437; three of them against two real umlauts.
    data = "„Miete“ „Strom“ „Wasser“ für März".encode("cp1252")
    assert data.count(b"\x84") == 3
    assert detect(data) == "cp1252"


def test_cp437_box_drawing_does_not_count_as_cp1252_capitals() -> None:
    # ─ is 0xC4 in CP437, which is Ä in Windows-1252; eight of them against three real letters.
    data = "──── Summe ────\nÄnderung Straße Köln\n".encode("cp437")
    assert data.count(b"\xc4") == 8
    assert detect(data) == "cp437"


def test_text_without_german_letters_defaults_to_cp1252() -> None:
    assert detect("Preis 100 €;x".encode("cp1252")) == "cp1252"


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    [sheet] = read_tables(write(tmp_path, "bom.csv", "Konto;Betrag\n4711;1,00\n", "utf-8-sig"))
    assert sheet.rows[0][0] == "Konto"


def test_given_encoding_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "mac.csv", "Konto;Text\n1;Bürgerhaus\n", "mac_roman")
    [sheet] = read_tables(path, encoding="mac_roman")
    assert sheet.encoding == "mac_roman"
    assert sheet.rows[1] == ["1", "Bürgerhaus"]


def test_wrong_given_encoding_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "ansi.csv", GERMAN, "cp1252")
    with pytest.raises(FileRefused, match=r"not UTF-8 throughout.* line 2 is not \(byte 0xFC"):
        read_tables(path, encoding="utf-8")


def test_encoding_is_decided_on_the_whole_file_not_its_start(tmp_path: Path) -> None:
    # 2 MB of ASCII, then one Windows-1252 umlaut: a decision from the first chunk would say UTF-8.
    ascii_part = "Konto;Text\n" + "4711;Miete Nord\n" * 140_000
    path = write(tmp_path, "spaet.csv", (ascii_part + "4712;Gebühr\n").encode("cp1252"))
    [sheet] = read_tables(path)
    assert sheet.encoding == "cp1252"
    assert sheet.rows[-1] == ["4712", "Gebühr"]


# --- delimiters and structure ---------------------------------------------------------------------


def test_semicolon_is_detected_despite_german_decimal_commas(tmp_path: Path) -> None:
    [sheet] = read_tables(write(tmp_path, "a.csv", "Konto;Betrag;Text\n4711;1,5;a\n4712;2,5;b\n"))
    assert sheet.delimiter == ";"
    assert sheet.rows[1] == ["4711", "1,5", "a"]


def test_comma_is_detected_with_quoted_decimal_commas(tmp_path: Path) -> None:
    text = 'Konto,Betrag,Text\n4711,"1.234,56",Miete\n4712,"2,00","Nord, Süd"\n'
    [sheet] = read_tables(write(tmp_path, "b.csv", text))
    assert sheet.delimiter == ","
    assert sheet.rows[2] == ["4712", "2,00", "Nord, Süd"]


def test_tab_is_detected(tmp_path: Path) -> None:
    [sheet] = read_tables(write(tmp_path, "c.csv", "Konto\tBetrag\n4711\t1,00\n4712\t2,00\n"))
    assert sheet.delimiter == "\t"
    assert sheet.rows[2] == ["4712", "2,00"]


def test_title_lines_above_the_header_do_not_confuse_detection(tmp_path: Path) -> None:
    text = (
        "Sachkontenposten, Stadt Musterstadt\n"
        "Buchungskreis 1000, Geschäftsjahr 2024\n"
        "\n"
        "Konto;Kostenstelle;Betrag;Text\n"
        "531800;KST1;1.234,56;Miete, Nord\n"
        "531800;KST2;-12,00;Strom\n"
    )
    [sheet] = read_tables(write(tmp_path, "sap.csv", text))
    assert sheet.delimiter == ";"
    assert sheet.first_row_number == 1
    assert sheet.rows[:4] == [
        ["Sachkontenposten, Stadt Musterstadt"],
        ["Buchungskreis 1000, Geschäftsjahr 2024"],
        [],  # a blank line stays, so row numbers keep matching the file's lines
        ["Konto", "Kostenstelle", "Betrag", "Text"],
    ]
    assert sheet.rows[4] == ["531800", "KST1", "1.234,56", "Miete, Nord"]


def test_quoted_fields_keep_delimiters_quotes_and_line_breaks(tmp_path: Path) -> None:
    text = 'Konto;Text\n4711;"Miete; Nord"\n4712;"sagte ""Hallo"""\n4713;"zwei\nZeilen"\n'
    [sheet] = read_tables(write(tmp_path, "q.csv", text))
    assert sheet.rows[1:] == [
        ["4711", "Miete; Nord"],
        ["4712", 'sagte "Hallo"'],
        ["4713", "zwei\nZeilen"],
    ]


def test_cells_keep_their_spaces_and_empty_cells_are_none(tmp_path: Path) -> None:
    text = "Prctr;      in PrCtrHW ;Kostenst.\n1000; 12,50 ;\n"
    [sheet] = read_tables(write(tmp_path, "bonn.csv", text))
    assert sheet.rows == [["Prctr", "      in PrCtrHW ", "Kostenst."], ["1000", " 12,50 ", None]]


def test_given_delimiter_overrides_detection(tmp_path: Path) -> None:
    [sheet] = read_tables(write(tmp_path, "d.csv", "a|b;c\n1|2;3\n"), delimiter="|")
    assert sheet.delimiter == "|"
    assert sheet.rows == [["a", "b;c"], ["1", "2;3"]]


def test_sheet_name_is_the_file_name(tmp_path: Path) -> None:
    [sheet] = read_tables(write(tmp_path, "Journal 2024.csv", "a;b\n"))
    assert sheet.name == "Journal 2024.csv"


def test_delimiter_detection_prefers_the_most_consistent_split() -> None:
    sample = "Titel\nKonto;Text\n1;Miete, Nord, Süd\n2;Strom\n3;Wasser, kalt\n"
    assert detect_delimiter(sample) == ";"


def test_single_column_text_falls_back_to_semicolon() -> None:
    assert detect_delimiter("Konto\n4711\n4712\n") == ";"


# --- refusals -------------------------------------------------------------------------------------


def test_xlsx_renamed_to_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(FileRefused) as refused:
        read_tables(path)
    assert str(refused.value) == (
        "export.csv: looks like a ZIP archive (an Excel workbook?), not CSV text"
    )


def test_pdf_renamed_to_csv_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "bericht.csv", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(FileRefused, match=r"looks like a PDF document, not CSV text"):
        read_tables(path)


def test_nul_bytes_anywhere_are_refused_as_binary(tmp_path: Path) -> None:
    data = ("Konto;Betrag\n" + "4711;1,00\n" * 10_000).encode() + b"\x00\x01\x02"
    path = write(tmp_path, "binaer.csv", data)
    with pytest.raises(FileRefused, match=r"NUL byte at offset 100013: binary data"):
        read_tables(path)


def test_utf16_csv_is_refused_with_advice(tmp_path: Path) -> None:
    path = write(tmp_path, "unicode.csv", "Konto;Betrag\n", "utf-16")
    with pytest.raises(FileRefused, match=r"is UTF-16 text; save the export as CSV in UTF-8"):
        read_tables(path)


def test_empty_csv_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=r"leer.csv: file is empty"):
        read_tables(write(tmp_path, "leer.csv", b""))


def test_csv_with_more_rows_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "lang.csv", "a;b\n" * 6)
    with pytest.raises(FileRefused, match=r"table 'lang.csv' has more than 5 rows"):
        read_tables(path, ReadLimits(max_rows=5))
    assert len(read_tables(path, ReadLimits(max_rows=6))[0].rows) == 6


def test_csv_with_more_columns_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "breit.csv", "a;b\n1;2;3;4\n")
    with pytest.raises(FileRefused, match=r"table 'breit.csv' has 4 columns in row 2"):
        read_tables(path, ReadLimits(max_columns=3))


def test_unbalanced_quote_swallowing_the_file_is_refused(tmp_path: Path) -> None:
    text = 'Konto;Text\n4711;"offen\n' + "4712;Miete\n" * 20_000
    with pytest.raises(FileRefused, match=r"cannot be split into fields near line"):
        read_tables(write(tmp_path, "quote.csv", text))


def test_given_utf8_encoding_still_drops_a_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", "Konto;Betrag\n4711;1,00\n", "utf-8-sig")
    [sheet] = read_tables(path, encoding="UTF8")
    assert sheet.encoding == "utf-8-sig"
    assert sheet.rows[0] == ["Konto", "Betrag"]
