"""File helpers shared by readers: opening (plain or gzip), hashing, encoding detection, entity naming.

Example:
    >>> detect_encoding(b"\\xef\\xbb\\xbfid,name\\n")
    'utf-8-sig'
    >>> detect_encoding("编号,名字\\n".encode("gb18030"))
    'gb18030'
"""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path
from typing import BinaryIO

from reef.errors import Location, UnreadableFileError
from reef.model.schema import entity_for_name

__all__ = ["open_binary", "file_sha256", "detect_encoding", "entity_from_filename", "check_readable", "decode_line"]

_SAMPLE = 1 << 20


def check_readable(path: Path) -> None:
    """Raise a one-line :class:`UnreadableFileError` naming the file if it cannot be read at all."""
    if not path.exists():
        raise UnreadableFileError("File not found.", where=Location(file=str(path)))
    if path.is_dir():
        raise UnreadableFileError("Is a directory, not a file.", where=Location(file=str(path)),
                                  hint="Give the files inside it, or use --format stackexchange for a dump folder.")
    if not os.access(path, os.R_OK):
        raise UnreadableFileError("Permission denied.", where=Location(file=str(path)))


def open_binary(path: Path) -> BinaryIO:
    """Open a file for binary reading, transparently un-gzipping ``.gz`` files."""
    check_readable(path)
    if path.suffix == ".gz":
        fh = gzip.open(path, "rb")
        try:
            fh.peek(1)
        except (OSError, EOFError) as exc:
            fh.close()
            raise UnreadableFileError(f"Not a valid gzip file ({exc}).", where=Location(file=str(path))) from exc
        return fh  # type: ignore[return-value]
    return open(path, "rb")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
        return True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is not an error.
        return exc.start >= len(sample) - 4 and encoding.startswith("utf")


def detect_encoding(sample: bytes) -> str:
    """Guess the encoding of a text file from its first bytes: UTF-8 (with or without BOM), UTF-16, GB18030."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if _decodes(sample, "utf-8"):
        return "utf-8"
    if _decodes(sample, "gb18030"):
        return "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and best.encoding:
        return best.encoding
    # Mostly UTF-8 with a few bad bytes: read as UTF-8 and quarantine the bad lines.
    return "utf-8"


def sniff_encoding(path: Path) -> str:
    with open_binary(path) as fh:
        return detect_encoding(fh.read(_SAMPLE))


def decode_line(raw: bytes, encoding: str) -> tuple[str | None, str | None]:
    """Decode one line; returns (text, None) or (None, reason)."""
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError as exc:
        return None, f"bytes not valid {encoding} at byte {exc.start} (mis-encoded text)"


def entity_from_filename(path: Path) -> str | None:
    """``members.jsonl`` -> members, ``Posts.xml`` -> content, ``content-0003.parquet`` -> content."""
    stem = path.name.split(".")[0].lower()
    for candidate in (stem, stem.split("-")[0], stem.split("_")[0], stem.rstrip("0123456789-_")):
        entity = entity_for_name(candidate)
        if entity is not None:
            return entity.name
    return None
