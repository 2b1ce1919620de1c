"""File helpers shared by readers: opening (plain or gzip), hashing, encoding detection, entity naming.

Example:
    >>> detect_encoding(b"\\xef\\xbb\\xbfid,name\\n")
    'utf-8-sig'
    >>> detect_encoding("编号,名字\\n".encode("gb18030"))
    'gb18030'
"""
from __future__ import annotations

import codecs
import gzip
import hashlib
import os
import zlib
from pathlib import Path
from typing import BinaryIO

from reef.errors import InvalidParameterError, Location, NoEntityError, UnreadableFileError, with_api_hint, with_cli_hint
from reef.model.schema import ENTITIES, entity_for_name

__all__ = ["open_binary", "file_sha256", "detect_encoding", "sniff_encoding", "check_encoding", "entity_from_filename",
           "check_readable", "decode_line", "no_entity_error"]

_SAMPLE = 1 << 20


def check_readable(path: Path) -> None:
    """Raise a one-line :class:`UnreadableFileError` naming the file if it cannot be read at all."""
    if not path.exists():
        raise UnreadableFileError("File not found.", where=Location(file=str(path)))
    if path.is_dir():
        raise with_cli_hint(UnreadableFileError("Is a directory, not a file.", where=Location(file=str(path)),
                                                hint="Give the files inside it, or fmt=\"stackexchange\" for a dump folder."),
                            "Give the files inside it, or use --format stackexchange for a dump folder.")
    if not os.access(path, os.R_OK):
        raise UnreadableFileError("Permission denied.", where=Location(file=str(path)))


class _Guarded:
    """A binary file whose read errors (a gzip stream cut short, bad CRC) become one-line errors naming it."""

    def __init__(self, fh, path: Path):
        self._fh, self._path = fh, path

    def _fail(self, exc: BaseException):
        return UnreadableFileError(f"Cannot read the file: {exc}.", where=Location(file=str(self._path)),
                                   hint="It is damaged or cut short; nothing from it was imported.")

    def _guard(self, fn, *args):
        try:
            return fn(*args)
        except (OSError, EOFError, zlib.error) as exc:
            raise self._fail(exc) from exc

    def read(self, size: int = -1) -> bytes:
        return self._guard(self._fh.read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._guard(self._fh.readline, size)

    def readlines(self, hint: int = -1) -> list[bytes]:
        return self._guard(self._fh.readlines, hint)

    def peek(self, size: int = 0) -> bytes:
        return self._guard(self._fh.peek, size)

    def __iter__(self):
        while True:
            line = self._guard(self._fh.readline)
            if not line:
                return
            yield line

    def close(self) -> None:
        self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._fh.close()


def open_binary(path: Path) -> BinaryIO:
    """Open a file for binary reading, transparently un-gzipping ``.gz`` files.

    Read errors later in the stream raise :class:`UnreadableFileError` naming the file.
    """
    check_readable(path)
    if path.suffix == ".gz":
        fh = _Guarded(gzip.open(path, "rb"), path)
        try:
            fh.peek(1)
        except UnreadableFileError as exc:
            fh.close()
            raise UnreadableFileError(f"Not a valid gzip file ({exc.__cause__}).", where=Location(file=str(path))) from exc
        return fh  # type: ignore[return-value]
    return _Guarded(open(path, "rb"), path)  # type: ignore[return-value]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _decodes(sample: bytes, encoding: str) -> bool:
    # Incremental decoding: a multi-byte character cut at the end of the sample is not an error.
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        return True
    except UnicodeDecodeError:
        return False


def _mostly_utf8(sample: bytes) -> bool:
    # A UTF-8 file with a few mis-encoded lines stays UTF-8 (its bad lines are quarantined); reading it
    # as GB18030 would silently garble every Chinese character. GB18030 text almost never forms valid
    # UTF-8, so most non-ASCII lines decoding as UTF-8 is a strong signal.
    lines = [ln for ln in sample.split(b"\n")[:-1] if not ln.isascii()]
    if not lines:
        return False
    good = 0
    for ln in lines:
        try:
            ln.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            pass
    return good * 2 > len(lines)


def _oddities(sample: bytes, encoding: str) -> int:
    """Characters that ordinary Chinese text rarely holds, when ``sample`` is read as ``encoding``."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    return sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or "\u3040" <= ch <= "\u30ff" or "\uac00" <= ch <= "\ud7af"
               or "\u3400" <= ch <= "\u4dbf" or ch == "\ufffd")


def detect_encoding(sample: bytes) -> str:
    """Guess the encoding of a text file from its first bytes: UTF-8 (with or without BOM), UTF-16, GB18030, Big5."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if _decodes(sample, "utf-8") or _mostly_utf8(sample):
        return "utf-8"
    if _decodes(sample, "gb18030"):
        # Big5 bytes are nearly always valid GB18030 too, read as rare characters, kana and private-use
        # code points; GBK text seldom decodes as Big5 at all. Prefer Big5 when it reads more plainly.
        if _decodes(sample, "big5") and _oddities(sample, "big5") < _oddities(sample, "gb18030"):
            return "big5"
        return "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and best.encoding:
        import codecs

        return codecs.lookup(best.encoding).name  # utf_16_le -> utf-16-le, the spelling the readers test for
    # Mostly UTF-8 with a few bad bytes: read as UTF-8 and quarantine the bad lines.
    return "utf-8"


def _sample(fh) -> bytes:
    """The bytes to detect the encoding from: the first megabyte, or, when that is plain ASCII (which every encoding
    reads alike), the megabyte from the line holding the file's first non-ASCII byte, wherever it is. An export whose
    first 32,000 rows are ASCII ids and whose Chinese names come later is then read as what those names are written in."""
    head = fh.read(_SAMPLE)
    if not head.isascii() or len(head) < _SAMPLE:
        return head
    carry = head[head.rfind(b"\n") + 1:]  # the line the block ends in may hold the first non-ASCII byte
    while True:
        block = fh.read(_SAMPLE)
        if not block:
            return head  # ASCII throughout: UTF-8
        data = carry + block
        if not data.isascii():
            first = next(i for i, b in enumerate(data) if b >= 0x80)
            start = data.rfind(b"\n", 0, first) + 1
            window = data[start:start + _SAMPLE]
            return window + fh.read(_SAMPLE - len(window)) if len(window) < _SAMPLE else window
        carry = data[data.rfind(b"\n") + 1:]


def sniff_encoding(path: Path, encoding: str | None = None) -> str:
    """The file's encoding: ``encoding`` when the caller names one (``--encoding``), else detected (see :func:`_sample`)."""
    if encoding:
        return encoding
    with open_binary(path) as fh:
        return detect_encoding(_sample(fh))


def check_encoding(encoding: str | None) -> str | None:
    """A caller's ``encoding`` by its codec name (``GBK`` -> ``gbk``, ``utf8`` -> ``utf-8``); None stays None.

    >>> check_encoding("UTF8"), check_encoding(None)
    ('utf-8', None)
    """
    if encoding is None:
        return None
    try:
        info = codecs.lookup(str(encoding))
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InvalidParameterError("encoding", encoding, "a text encoding such as utf-8, gb18030, gbk, big5 or utf-16")
    return info.name


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


def no_entity_error(label: str, *, column: str = "an 'entity' column") -> NoEntityError:
    """The one file-level error for a file whose rows no name, column or option assigns to an entity: quarantining
    each row of it for the same reason would only flood the quarantine."""
    advice = f"Name the file after what it holds ({', '.join(ENTITIES)}; e.g. members.csv, content-2025.jsonl), add {column}, or "
    exc = NoEntityError("Cannot tell what this file holds: its name names no entity, so none of its rows were imported.",
                        where=Location(file=label), hint=advice + "pass entity=\"members\" (or another entity).")
    # an upload (API or the Imports page) has no entity option: the name or the column says it
    with_api_hint(exc, f"Name the file after what it holds ({', '.join(ENTITIES)}; e.g. members.csv, content-2025.jsonl) "
                       f"or add {column}, and upload it again.")
    return with_cli_hint(exc, advice + "pass --entity NAME.")
