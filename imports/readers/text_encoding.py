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

A file is decoded with one encoding, and only if that encoding reads every line as written;
never line by line (a line that is valid UTF-8 may still be Windows-1252 text, and guessing per
line would garble silently where the guess is wrong). So a file that mixes encodings is refused,
naming the first line in each and the encodings tried, with the advice to export it again:

- a file that is not UTF-8 throughout but holds UTF-8 sequences of Latin letters or typographic
  punctuation (C3 9F is "ß" in UTF-8 and "ÃŸ" in Windows-1252) mixes UTF-8 with a single-byte
  code page. Such sequences practically never occur by accident in Windows-1252 or CP437 German
  text ("Ã" or "Â" followed by a symbol); this is the evidence rule 2 relies on, too;
- a file with a UTF-8 byte-order mark, or whose profile says UTF-8, must be UTF-8 throughout;
- a file whose profile names a single-byte code page but that holds such UTF-8 sequences would
  read "Straße" as "StraÃŸe": refused as well, since the profile cannot be right for it.

The file is read in chunks, so detection costs one streaming pass and no extra memory.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from imports.problems import Problem, problem, said
from imports.readers.model import FileRefused, cannot_read
from imports.readers.signatures import UTF8_BOM, UTF16_BOMS

CHUNK_BYTES = 1024 * 1024

_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
# UTF-8 of U+0080..U+024F (Latin-1 Supplement, Latin Extended-A/B: ä ß é ł ş …), U+1E00..U+1EFF
# (Latin Extended Additional), U+2000..U+206F (dashes, quotes, …) and € (module docstring).
_UTF8_LATIN = re.compile(
    rb"[\xc2-\xc9][\x80-\xbf]|\xe1[\xb8-\xbb][\x80-\xbf]|\xe2[\x80\x81][\x80-\xbf]|\xe2\x82\xac"
)


def _utf8_classes() -> bytes:
    """A bytes.translate table that marks where a `_UTF8_LATIN` sequence may start: "L" a lead
    byte C2..C9, "1" E1, "2" E2, "c" a continuation byte 80..BF, " " anything else. Finding
    "Lc", "1cc" or "2cc" in the translated chunk runs at C speed; only those places are then
    matched with the pattern (a regex scan of every non-ASCII chunk doubled the detection)."""
    table = bytearray(b" " * 256)
    for byte in range(0x80, 0xC0):
        table[byte] = ord("c")
    for byte in range(0xC2, 0xCA):
        table[byte] = ord("L")
    table[0xE1], table[0xE2] = ord("1"), ord("2")
    return bytes(table)


_UTF8_CLASSES = _utf8_classes()
_MAX_CANDIDATES = 1000
_UTF8 = ("utf-8", "utf-8-sig")
_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "cp437": "CP437"}


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
        self._finished = False
        self._newlines = 0
        self.utf8_valid = True
        self.cp1252_letters = 0
        self.cp437_letters = 0
        self.cp1252_impossible = False
        # (1-based line, the byte) of the first byte that is not UTF-8
        self.first_not_utf8: tuple[int, bytes] | None = None
        # (1-based line, the character) of the first UTF-8 sequence of a Latin letter or mark
        self.first_utf8: tuple[int, str] | None = None

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk; a letter split across a chunk border may go uncounted."""
        if self.utf8_valid:
            try:
                self._utf8.decode(chunk)
            except UnicodeDecodeError as exc:
                self.utf8_valid = False
                # The decoder's object is the bytes it held back from the last chunk + this one.
                at = max(exc.start - (len(exc.object) - len(chunk)), 0)
                byte = exc.object[exc.start : exc.start + 1]
                self.first_not_utf8 = (self._line(chunk, at), byte)
        if self.first_utf8 is None and not chunk.isascii():
            found = _first_utf8_latin(chunk)
            if found is not None:
                self.first_utf8 = (self._line(chunk, found[0]), found[1])
        self._newlines += chunk.count(b"\n")
        if self.utf8_valid and chunk.isascii():
            return  # nothing to score in pure ASCII
        classes = chunk.translate(_LETTER_CLASSES)
        self.cp1252_letters += _word_letters(classes, b"1", b"2")
        self.cp437_letters += _word_letters(classes, b"3", b"4")
        self.cp1252_impossible = self.cp1252_impossible or any(
            byte in chunk for byte in _CP1252_UNDEFINED
        )

    def _line(self, chunk: bytes, position: int) -> int:
        return self._newlines + chunk.count(b"\n", 0, position) + 1

    def finish(self) -> None:
        """The end of the file: a UTF-8 sequence cut off there is not UTF-8."""
        if self._finished:
            return
        self._finished = True
        if self.utf8_valid:
            try:
                self._utf8.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                self.utf8_valid = False
                self.first_not_utf8 = (self._newlines + 1, exc.object[exc.start : exc.start + 1])

    def verdict(self) -> str:
        """The encoding to read with, following the rules in the module docstring."""
        self.finish()
        if self.utf8_valid:
            return "utf-8"
        if self.cp1252_impossible or self.cp437_letters > self.cp1252_letters:
            return "cp437"
        return "cp1252"

    def conflict(self, declared: str | None = None) -> Problem | None:
        """Why no single encoding reads the file as written (module docstring), or None.

        declared: the encoding a byte-order mark or the profile gives; None when detected."""
        self.finish()
        try:
            utf8_declared = declared is not None and codecs.lookup(declared).name in _UTF8
        except LookupError:
            return None  # an unknown encoding is refused where the file is decoded
        if self.first_not_utf8 is not None and (self.first_utf8 or utf8_declared):
            line, byte = self.first_not_utf8
            single = "cp1252" if utf8_declared else self.verdict()
            found = {
                "line": line,
                "byte": byte.hex().upper(),
                "char": said(byte.decode(single, errors="replace")),
                "encoding": _NAMES[single],
            }
            if self.first_utf8 is None:
                return problem("not_utf8_throughout", **found)
            utf8_line, utf8_text = self.first_utf8
            return problem(
                "mixed_encodings", utf8_line=utf8_line, utf8_text=said(utf8_text), **found
            )
        if declared is not None and not utf8_declared and self.first_utf8 and self.utf8_valid:
            line, char = self.first_utf8
            return problem(
                "utf8_not_declared",
                line=line,
                char=said(char),
                declared=said(declared),
                read_as=said(char.encode().decode(declared, errors="replace")),
            )
        return None


def _first_utf8_latin(chunk: bytes) -> tuple[int, str] | None:
    """Position and character of the first `_UTF8_LATIN` sequence in the chunk, or None."""
    classes = chunk.translate(_UTF8_CLASSES)
    # Each marker's next place; a place the pattern rejects (E1 80 80) moves only its marker on.
    # A chunk of a thousand rejected places is no German text; the search gives up on it.
    places = {marker: classes.find(marker) for marker in (b"Lc", b"1cc", b"2cc")}
    for _ in range(_MAX_CANDIDATES):
        if all(place < 0 for place in places.values()):
            break
        place, marker = min((p, m) for m, p in places.items() if p >= 0)
        found = _UTF8_LATIN.match(chunk, place)
        if found:
            return place, found.group().decode()
        places[marker] = classes.find(marker, place + 1)
    return None


def honour_bom(encoding: str, head: bytes) -> str:
    """Read UTF-8 that starts with a byte-order mark as "utf-8-sig", so the BOM is not data.

    Applies to encodings given by a caller or declared by a GoBD description, which say
    "UTF-8" whether or not the exporter wrote a BOM.
    """
    if head.startswith(UTF8_BOM) and codecs.lookup(encoding).name == "utf-8":
        return "utf-8-sig"
    return encoding


def scan_text_file(path: Path, *, detect: bool, declared: str | None = None) -> str | None:
    """Refuse files that are not text, or not in one encoding throughout (module docstring),
    and, when detect is set, return the encoding to read with.

    NUL bytes never occur in single-byte or UTF-8 text; they mark binary content or UTF-16,
    which finance systems do not use for CSV. declared: the encoding the caller gives (a
    profile's), checked against the bytes. Returns None when detect is False.
    """
    evidence = EncodingEvidence()
    has_bom = False
    offset = 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                if offset == 0:
                    if chunk.startswith(UTF16_BOMS):
                        raise FileRefused(path, problem("utf16_text"))
                    has_bom = chunk.startswith(UTF8_BOM)
                nul = chunk.find(b"\x00")
                if nul >= 0:
                    raise FileRefused(path, problem("nul_byte", offset=offset + nul))
                evidence.feed(chunk)
                offset += len(chunk)
    except OSError as exc:
        raise FileRefused(path, cannot_read(exc)) from exc
    conflict = evidence.conflict(declared or ("utf-8-sig" if has_bom else None))
    if conflict:
        raise FileRefused(path, conflict)
    if not detect:
        return None
    return "utf-8-sig" if has_bom else evidence.verdict()
