"""A file's identity for the ledger: name, size and SHA-256 of its bytes.

A GoBD export is a folder; its fingerprint covers every file in it (names and bytes, in sorted
order), so that any change to any table is a different export.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Fingerprint:
    name: str
    size: int
    sha256: str


def _hash_file(path: Path, digest: hashlib._Hash) -> int:
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size


def fingerprint(path: Path) -> Fingerprint:
    digest = hashlib.sha256()
    if path.is_dir():
        size = 0
        for member in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(member.relative_to(path).as_posix().encode("utf-8") + b"\0")
            size += _hash_file(member, digest)
    else:
        size = _hash_file(path, digest)
    return Fingerprint(name=path.name, size=size, sha256=digest.hexdigest())


def fingerprint_files(paths: tuple[Path, ...] | list[Path]) -> Fingerprint:
    """One identity for a file that comes in parts (a Shapefile's .shp, .shx, .dbf, .prj):
    named after the first, covering every part's name and bytes, so a changed .dbf or .prj is a
    different file. A single path gives the same fingerprint as `fingerprint`."""
    if len(paths) == 1:
        return fingerprint(paths[0])
    digest = hashlib.sha256()
    size = 0
    for part in paths:
        digest.update(part.name.encode("utf-8") + b"\0")
        size += _hash_file(part, digest)
    return Fingerprint(name=paths[0].name, size=size, sha256=digest.hexdigest())
