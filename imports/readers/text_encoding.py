"""Choosing the text encoding of a CSV export that does not say which one it uses.

German finance systems write UTF-8 (often with a BOM, as Excel's "CSV UTF-8" does), Windows-1252
("ANSI"), or, from DOS-era and host systems, code page 437 ("OEM"). The decision, in order:

1. a UTF-8 byte-order mark -> "utf-8-sig";
2. the whole file decodes as UTF-8 -> "utf-8" (multi-byte UTF-8 sequences practically never
   occur by accident in single-byte German text, so a valid decode is strong evidence);
3. otherwise Windows-1252 or CP437, decided by scoring German letters:
   - a byte that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) rules it out:
     CP437 (0x81 is "ü" there, so this is common in CP437 text);
   - otherwise each code page scores one point per byte that is a German letter in it
     (ä ö ü Ä Ö Ü ß: Windows-1252 E4 F6 FC C4 D6 DC DF, CP437 84 94 81 8E 99 9A E1) and that
     stands next to an ASCII letter, as letters in words do. The adjacency rule keeps
     Windows-1252 punctuation that shares those bytes („ at 0x84, ” at 0x94, ™ at 0x99, all
     rare next to letters) and CP437 box-drawing characters (0xC4 ─, 0xDC ▄) from scoring;
   - the higher score wins; a tie (including no German letters at all) is Windows-1252, the
     encoding the specification names.

The file is read in chunks, so detection costs one streaming pass and no extra memory.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from imports.readers.model import FileRefused
from imports.readers.signatures import UTF8_BOM, UTF16_BOMS

CHUNK_BYTES = 1024 * 1024

_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
_CP1252_LETTERS = b"\xe4\xf6\xfc\xc4\xd6\xdc\xdf"
_CP437_LETTERS = b"\x84\x94\x81\x8e\x99\x9a\xe1"


def _adjacent_letter_pattern(letters: bytes) -> re.Pattern[bytes]:
    letter_class = b"[" + re.escape(letters) + b"]"
    return re.compile(rb"(?<=[A-Za-z])" + letter_class + rb"|" + letter_class + rb"(?=[A-Za-z])")


_CP1252_WORD_LETTER = _adjacent_letter_pattern(_CP1252_LETTERS)
_CP437_WORD_LETTER = _adjacent_letter_pattern(_CP437_LETTERS)


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
            return  # nothing to score in pure ASCII; saves the regex passes
        self.cp1252_letters += len(_CP1252_WORD_LETTER.findall(chunk))
        self.cp437_letters += len(_CP437_WORD_LETTER.findall(chunk))
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
