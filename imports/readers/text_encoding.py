"""Choosing the text encoding of a CSV export that does not say which one it uses.

German finance systems write UTF-8 (often with a BOM, as Excel's "CSV UTF-8" does), Windows-1252
("ANSI"), or, from DOS-era and host systems, code page 437 ("OEM"). The decision, in order:

1. a UTF-8 byte-order mark -> "utf-8-sig";
2. the whole file decodes as UTF-8 -> "utf-8" (multi-byte UTF-8 sequences practically never
   occur by accident in single-byte German text, so a valid decode is strong evidence);
3. otherwise Windows-1252 or CP437, decided by scoring German letters:
   - a byte that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) rules it out:
     CP437 (0x81 is "ü" there, so this is common in CP437 text);
   - otherwise each code page scores one point per byte that is a German letter in it and
     sits where letters sit in words: a lowercase ä ö ü or ß right after an ASCII letter
     (Windows-1252 E4 F6 FC DF, CP437 84 94 81 E1), a capital Ä Ö Ü right before a lowercase
     ASCII letter (Windows-1252 C4 D6 DC, CP437 8E 99 9A). The position rule keeps bytes that
     mean punctuation in the other code page from scoring: Windows-1252's „ (0x84, CP437 ä)
     opens a word instead of following a letter, its ™ (0x99, CP437 Ö) follows one; CP437's
     box drawing (0xC4 ─, 0xDC ▄; Windows-1252 Ä, Ü) stands between lines and spaces.
     Umlauts opening a lowercase word ("über") go uncounted; the words around them decide;
   - the higher score wins; a tie (including no German letters at all) is Windows-1252, the
     encoding the specification names.

The file is read in chunks, so detection costs one streaming pass and no extra memory.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from imports.readers.model import FileRefused
from imports.readers.signatures import UTF8_BOM, UTF16_BOMS

CHUNK_BYTES = 1024 * 1024

_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"


def _letter_classes() -> bytes:
    """A bytes.translate table that reduces every byte to the class the scoring cares about.

    "a" lowercase ASCII letter, "A" capital ASCII letter, "1"/"2" Windows-1252 lowercase/capital
    German letter, "3"/"4" the same in CP437 (the two sets share no byte), " " anything else.
    Counting two-byte patterns in the translated chunk then scores at C speed, where a regex with
    look-around took seconds per hundred MB.
    """
    table = bytearray(b" " * 256)
    for classes, members in (
        (b"a", bytes(range(ord("a"), ord("z") + 1))),
        (b"A", bytes(range(ord("A"), ord("Z") + 1))),
        (b"1", b"\xe4\xf6\xfc\xdf"),  # Windows-1252 ä ö ü ß
        (b"2", b"\xc4\xd6\xdc"),  # Windows-1252 Ä Ö Ü
        (b"3", b"\x84\x94\x81\xe1"),  # CP437 ä ö ü ß
        (b"4", b"\x8e\x99\x9a"),  # CP437 Ä Ö Ü
    ):
        for byte in members:
            table[byte] = classes[0]
    return bytes(table)


_LETTER_CLASSES = _letter_classes()


def _word_letters(classes: bytes, lowercase: bytes, capital: bytes) -> int:
    """Lowercase letters right after an ASCII letter plus capitals right before a lowercase one."""
    return (
        classes.count(b"a" + lowercase)
        + classes.count(b"A" + lowercase)
        + classes.count(capital + b"a")
    )


class EncodingEvidence:
    """Accumulates, chunk by chunk, what the bytes say about their encoding."""

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self.utf8_valid = True
        self.cp1252_letters = 0
        self.cp437_letters = 0
        self.cp1252_impossible = False

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk; a letter split across a chunk border may go uncounted."""
        if self.utf8_valid:
            try:
                self._utf8.decode(chunk)
            except UnicodeDecodeError:
                self.utf8_valid = False
        if self.utf8_valid and chunk.isascii():
            return  # nothing to score in pure ASCII
        classes = chunk.translate(_LETTER_CLASSES)
        self.cp1252_letters += _word_letters(classes, b"1", b"2")
        self.cp437_letters += _word_letters(classes, b"3", b"4")
        self.cp1252_impossible = self.cp1252_impossible or any(
            byte in chunk for byte in _CP1252_UNDEFINED
        )

    def verdict(self) -> str:
        """The encoding to read with, following the rules in the module docstring."""
        if self.utf8_valid:
            try:
                self._utf8.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                self.utf8_valid = False
        if self.cp1252_impossible or self.cp437_letters > self.cp1252_letters:
            return "cp437"
        return "cp1252"


def honour_bom(encoding: str, head: bytes) -> str:
    """Read UTF-8 that starts with a byte-order mark as "utf-8-sig", so the BOM is not data.

    Applies to encodings given by a caller or declared by a GoBD description, which say
    "UTF-8" whether or not the exporter wrote a BOM.
    """
    if head.startswith(UTF8_BOM) and codecs.lookup(encoding).name == "utf-8":
        return "utf-8-sig"
    return encoding


def scan_text_file(path: Path, *, detect: bool) -> str | None:
    """Refuse files that are not text and, when detect is set, return the encoding to read with.

    NUL bytes never occur in single-byte or UTF-8 text; they mark binary content or UTF-16,
    which finance systems do not use for CSV. Returns None when detect is False.
    """
    evidence = EncodingEvidence() if detect else None
    has_bom = False
    offset = 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                if offset == 0:
                    if chunk.startswith(UTF16_BOMS):
                        raise FileRefused(
                            path,
                            "is UTF-16 text; save the export as CSV in UTF-8 or Windows-1252",
                        )
                    has_bom = chunk.startswith(UTF8_BOM)
                nul = chunk.find(b"\x00")
                if nul >= 0:
                    raise FileRefused(
                        path,
                        f"contains a NUL byte at offset {offset + nul:,}: binary data, "
                        "not CSV text",
                    )
                if evidence is not None and not has_bom:
                    evidence.feed(chunk)
                offset += len(chunk)
    except OSError as exc:
        raise FileRefused(path, f"cannot be read: {exc.strerror or exc}") from exc
    if evidence is None:
        return None
    return "utf-8-sig" if has_bom else evidence.verdict()
