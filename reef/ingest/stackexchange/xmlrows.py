"""Stream the ``<row .../>`` elements of a Stack Exchange XML file, surviving malformed rows.

The reader feeds the file to expat in chunks of lines, so memory stays flat whatever the size,
and every row comes with its line number. XML is not line-oriented, so one bad row would
normally end the parse: here the parse restarts after the offending line, the lines between
the last good row and the error are reported as malformed, and the rest of the file is read.

Example:
    >>> import io
    >>> data = b'<posts>\\n<row Id="1" />\\n<row Id="2" B="a<b" />\\n<row Id="3" />\\n</posts>\\n'
    >>> bad = []
    >>> reader = RowReader(io.BytesIO(data), on_malformed=lambda line, raw, why: bad.append(line))
    >>> [(a["_line"], a["Id"]) for batch in reader.batches(10) for a in batch]
    [(2, '1'), (4, '3')]
    >>> reader.root, bad
    ('posts', [3])
"""
from __future__ import annotations

import xml.parsers.expat as expat
from typing import BinaryIO, Callable, Iterator

__all__ = ["RowReader", "MalformedHandler", "NotXmlError"]

MalformedHandler = Callable[[int, bytes, str], None]  # (line, raw bytes, reason)
_CHUNK_BYTES = 1 << 22


class NotXmlError(ValueError):
    """The file does not start like an XML document with a root element (line, reason)."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


class RowReader:
    """Yields batches of attribute dicts, one per ``row`` element, with its line in ``_line``; ``root`` is the root tag."""

    def __init__(self, fh: BinaryIO, *, on_malformed: MalformedHandler):
        self.fh = fh
        self.on_malformed = on_malformed
        self.root: str | None = None
        self.rows: list[dict] = []
        self._offset = 0  # absolute line = parser line + offset (changes after a restart)
        self._last_ok = 0  # line of the last row delivered, or of the root tag
        self._depth = 0
        self._root_tag = "rows"
        self._parser = self._new_parser()

    def _new_parser(self):
        parser = expat.ParserCreate("utf-8")
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        self._depth = 0
        return parser

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        line = self._parser.CurrentLineNumber + self._offset
        if self._depth == 1 and name == "row":
            attrs["_line"] = line
            self.rows.append(attrs)
            self._last_ok = line
        elif self._depth == 0 and self.root is None:
            self.root = name.lower()
            self._root_tag = name
            self._last_ok = line
        self._depth += 1

    def _end(self, name: str) -> None:
        self._depth -= 1

    def batches(self, size: int) -> Iterator[list[dict]]:
        """Read the whole file, yielding lists of about ``size`` rows."""
        prev, prev_first = b"", 1  # the block before, kept for errors that span two blocks
        first, carry = 1, b""
        while True:
            block = self.fh.read(_CHUNK_BYTES)
            data = carry + block
            cut = data.rfind(b"\n") + 1 if block else len(data)
            cur, carry = data[:cut], data[cut:]
            if cur:
                self._feed(prev, cur, prev_first)
                prev, prev_first = cur, first
                first += cur.count(b"\n")
            if self.rows and (len(self.rows) >= size or not block):
                yield self.rows
                self.rows = []
            if not block:
                break
        self._finish(prev, prev_first)
        if self.rows:
            yield self.rows
            self.rows = []

    def _feed(self, prev: bytes, cur: bytes, prev_first: int) -> None:
        """Parse ``cur``; ``prev`` (already parsed, starting at line ``prev_first``) helps report errors."""
        lines: list[bytes] | None = None
        data = cur
        while True:
            try:
                self._parser.Parse(data, False)
                return
            except expat.ExpatError as exc:
                err_line = exc.lineno + self._offset
                reason = f"malformed XML: {expat.ErrorString(exc.code)} at column {exc.offset + 1}"
                if self.root is None:
                    raise NotXmlError(err_line, reason) from None
                lines = lines if lines is not None else (prev + cur).split(b"\n")
                self._report(lines, prev_first, err_line, reason)
                # Restart after the bad line inside the same root element, opened on the same line so
                # the new parser's line 1 is the line after the error (and the closing tag matches).
                self._parser = self._new_parser()
                self._offset = err_line
                self._parser.Parse(f"<{self._root_tag}>".encode(), False)
                self._last_ok = err_line
                data = b"\n".join(lines[max(err_line - prev_first + 1, 0):])

    def _report(self, lines: list[bytes], first: int, err_line: int, reason: str) -> None:
        for line in range(max(self._last_ok + 1, first), err_line + 1):
            raw = lines[line - first] if 0 <= line - first < len(lines) else b""
            if line == err_line:
                self.on_malformed(line, raw, _explain(raw, reason))
            elif b"<row" in raw:
                self.on_malformed(line, raw, f"malformed XML: row not closed before the error at line {err_line}")

    def _finish(self, last: bytes, first: int) -> None:
        try:
            self._parser.Parse(b"", True)
        except expat.ExpatError as exc:
            if self.root is None:
                raise NotXmlError(exc.lineno + self._offset, f"malformed XML: {expat.ErrorString(exc.code)}") from None
            # A missing closing root tag is harmless; an unfinished row at the end is reported.
            lines = last.split(b"\n")
            for line in range(max(self._last_ok + 1, first), first + len(lines)):
                raw = lines[line - first]
                if b"<row" in raw:
                    self.on_malformed(line, raw, "malformed XML: row cut off at the end of the file (truncated?)")
        if self.root is None:
            raise NotXmlError(first, "no XML root element")


def _explain(raw: bytes, reason: str) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"bytes not valid utf-8 at byte {exc.start} (mis-encoded text)"
    return reason
