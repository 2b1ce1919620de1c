"""A ``.json`` file that is one JSON document (an array of rows, or pretty-printed objects), not JSON Lines.

The JSONL reader streams a file line by line, so a pretty-printed array would be cut into lines that are not JSON
and quarantined one by one, while the odd line that happens to be a whole object is imported. :func:`read_document`
tells such a document from JSON Lines by its first line and, when it is no larger than
``ingest.json_document_max_mb``, returns its rows: the elements of a top-level array, or each top-level object.
Each row keeps its own text (so a key given twice is still caught) and the line it starts on. A larger array, or an
array that is not valid JSON, is refused as a whole: importing part of it would look like success.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "members.json"
    >>> _ = p.write_text('[\\n {"member_id": "a1"},\\n {"member_id": "a2"}\\n]\\n', encoding="utf-8")
    >>> read_document(p, 1 << 20)
    ([2, 3], ['{"member_id": "a1"}', '{"member_id": "a2"}'])
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from reef.errors import Location, UnreadableFileError
from reef.ingest.files import open_binary

__all__ = ["read_document"]

_HEAD = 1 << 16
_WS = re.compile(r"[ \t\r\n]*")
# strict=False: a raw control character inside a string passes here, so the validator names its field (a NUL) as in JSONL.
_DECODER = json.JSONDecoder(strict=False)


def _convert_hint(path: Path) -> str:
    return (f"Convert it to JSON Lines with: jq -c '.[]' {path.name} > {path.name.split('.')[0]}.jsonl "
            "(or raise ingest.json_document_max_mb).")


def _is_document(head: bytes, whole: bool) -> bool:
    """Whether a file starting with ``head`` (all of it when ``whole``) is one JSON document rather than JSON Lines."""
    text = head.lstrip(b" \t\r\n")
    if not text.startswith((b"[", b"{")):
        return False
    first, newline, rest = text.partition(b"\n")
    if not newline:
        # One line: an array on one line is a document; a long first object is left to the JSONL reader.
        return text.startswith(b"[") or whole
    try:
        json.loads(first)
    except ValueError:
        return True  # "[" or "{" alone on the first line: a pretty-printed document
    return not rest.strip() and whole  # a complete first line followed by more lines is JSON Lines


def read_document(path: Path, limit_bytes: int, *, encoding: str = "utf-8") -> tuple[list[int], list[str]] | None:
    """The rows of ``path`` as (first line numbers, texts) when it is one JSON document; None when it is JSON Lines.

    Raises :class:`UnreadableFileError` for an array larger than ``limit_bytes`` or one that is not valid JSON.
    ``encoding`` is the file's (detected) encoding; a byte-order mark is dropped.
    A non-array document that does not parse is left to the JSONL reader, which quarantines its bad lines.
    """
    with open_binary(path) as fh:
        head = fh.read(_HEAD)
        whole = len(head) < _HEAD
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        if not _is_document(head, whole):
            return None
        array = head.lstrip(b" \t\r\n").startswith(b"[")
        data = head if whole else head + fh.read(max(limit_bytes + 1 - len(head), 0))
    if len(data) > limit_bytes:
        if not array:
            return None
        raise UnreadableFileError(
            f"This is a JSON array, not JSON Lines, and larger than {limit_bytes // (1 << 20)} MB, so it is not read "
            "into memory; nothing from it was imported.", where=Location(file=str(path)), hint=_convert_hint(path))
    try:
        text = data.decode("utf-8" if encoding in ("utf-8-sig", "ascii") else encoding)
        text = text.removeprefix("\ufeff")
        return _rows(text, array)
    except (ValueError, UnicodeDecodeError) as exc:
        if not array:
            return None
        where = (f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError)
                 else f" (bytes not valid {encoding} at byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else "")
        raise UnreadableFileError(
            f"This is a JSON array that is not valid JSON{where}: {getattr(exc, 'msg', exc)}; nothing from it was imported.",
            where=Location(file=str(path)), hint="Fix the file (a missing comma or bracket?) and import it again.") from None


def _rows(text: str, array: bool) -> tuple[list[int], list[str]]:
    """Each row's text and first line: the elements of the top-level array, or the top-level values in turn."""
    numbers: list[int] = []
    texts: list[str] = []
    line, counted = 1, 0

    def keep(start: int, end: int) -> None:
        nonlocal line, counted
        line += text.count("\n", counted, start)  # counted incrementally: a count from 0 per row would be quadratic
        counted = start
        numbers.append(line)
        texts.append(text[start:end])

    pos = _WS.match(text).end()
    if array:
        pos = _WS.match(text, pos + 1).end()
        if text.startswith("]", pos):
            pos += 1
        else:
            while True:
                _, end = _DECODER.raw_decode(text, pos)
                keep(pos, end)
                pos = _WS.match(text, end).end()
                if text.startswith("]", pos):
                    pos += 1
                    break
                if not text.startswith(",", pos):
                    raise json.JSONDecodeError("expected ',' or ']' after an element", text, pos)
                pos = _WS.match(text, pos + 1).end()
        pos = _WS.match(text, pos).end()
        if pos < len(text):
            raise json.JSONDecodeError("more text after the array's closing ']'", text, pos)
        return numbers, texts
    while pos < len(text):
        _, end = _DECODER.raw_decode(text, pos)
        keep(pos, end)
        pos = _WS.match(text, end).end()
    return numbers, texts
