"""Parsing the lines of a decoded CSV or JSONL file into records, each with its line and flags (the part of
:func:`reef.text.records.read_records` below the file: the encoding is detected there).

A value the file's encoding could not decode (kept by ``surrogateescape``) is decoded on its own
(:func:`recover_value`) and flagged; a JSON escape that leaves a lone surrogate is replaced (:func:`clean_value`,
``invalid_encoding``). A CSV file is split on the separator :func:`reef.ingest.delimiter.csv_delimiter` reads off
its header (tab for a ``.tsv`` file, else the most frequent of comma, tab, semicolon and bar): the rule
``reef import`` uses. The header is the first line holding more than whitespace
(:func:`reef.ingest.delimiter.header_line`, shared with ``reef import`` too).

Example:
    >>> import io
    >>> csv_records(io.StringIO("id;text\\n1;好\\n2;a;b\\n"), "utf-8")
    (['id', 'text'], [(2, {'id': '1', 'text': '好'}, []), (3, {'id': '2', 'text': 'a'}, ['extra_fields'])])
    >>> jsonl_records(io.StringIO('{"text": "好"}\\n[1]\\n'), "utf-8")
    [(1, {'text': '好'}, []), (2, None, ['invalid_record'])]
"""
from __future__ import annotations

import csv
import json
import re
from typing import Any

from reef.errors import InvalidParameterError
from reef.ingest.delimiter import csv_delimiter, header_line
from reef.text.normalize import decode_bytes, replace_lone_surrogates

__all__ = ["recover_value", "clean_value", "jsonl_records", "csv_records"]

_ESCAPED = re.compile(r"[\udc80-\udcff]")  # bytes the file's encoding could not decode (surrogateescape)
_JSON_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]")  # a JSON escape that may leave a lone surrogate


def recover_value(value: str, codec: str) -> tuple[str, str | None]:
    """Undo surrogateescape on a value the file's encoding could not decode; decode it on its own."""
    if not _ESCAPED.search(value):
        return value, None
    return decode_bytes(value.encode(codec, "surrogateescape"))


def clean_value(value: Any) -> Any:
    # Lone surrogates (from JSON escapes) cannot be written as UTF-8 or put in Arrow.
    if isinstance(value, str):
        return replace_lone_surrogates(value)[0]
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    return value


def jsonl_records(fh, codec: str) -> list[tuple[int, dict[str, Any] | None, list[str]]]:
    """``(line, object or None, flags)`` per non-blank line of a JSONL file read with ``codec``: None flagged
    ``invalid_record`` for a line that is not a JSON object; values decoded on their own or cleaned of lone
    surrogates are flagged (``decoded_gb18030``, ``invalid_encoding`` ...)."""
    out = []
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        line, flag = recover_value(line, codec)
        flags = [flag] if flag else []
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            obj = None
        if not isinstance(obj, dict):  # broken JSON, or valid JSON that is not an object ([1,2], "x")
            out.append((n, None, flags + ["invalid_record"]))
            continue
        if _JSON_SURROGATE.search(line):
            cleaned = clean_value(obj)
            if cleaned != obj:
                obj = cleaned
                flags.append("invalid_encoding")
        out.append((n, obj, flags))
    return out


def _unique(header: list[str]) -> list[str]:
    """Header names made unique: a repeated name gets ``.1``, ``.2`` ... (as pandas does) and a blank one
    ``column_<n>`` (1-based position), so no column is silently overwritten by a later one of the same name."""
    out: list[str] = []
    for i, name in enumerate(header, 1):
        name = name if name.strip() else f"column_{i}"
        base, n = name, 0
        while name in out:
            n += 1
            name = f"{base}.{n}"
        out.append(name)
    return out


def csv_records(fh, codec: str, where: str = "") -> tuple[list[str], list[tuple[int, dict[str, Any] | None, list[str]]]]:
    """``(header, [(line, record or None, flags)])`` of a CSV file read with ``codec`` (``where`` names it in errors,
    and a ``.tsv`` name there means tab-separated):
    the header's names made unique, a record that cannot be read None flagged ``invalid_record`` (reading goes on
    after it), ``extra_fields`` / ``short_row`` for a row longer or shorter than the header."""
    lines = fh.readlines()
    # Blank lines before the header (empty, or spaces and tabs only) are skipped, as `reef import` skips them.
    start, head = header_line(lines)  # lines before start are read; the reader restarts there after an unreadable record
    delimiter = csv_delimiter(head or "", where)
    header: list[str] = []
    out: list[tuple[int, dict[str, Any] | None, list[str]]] = []
    while start < len(lines):
        reader = csv.reader(lines[start:], delimiter=delimiter)
        while True:
            first = start + reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return header, out
            except csv.Error:  # a runaway field (over the size limit) or a NUL: lose this record, not the lines it read
                out.append((first, None, ["invalid_record"]))
                start = first
                break
            last = start + reader.line_num
            if last == len(lines) and _unclosed(lines[first - 1:last], delimiter):
                # A quote opened and never closed swallowed the rest of the file: that record is invalid and
                # reading goes on from the line after it.
                if not header:
                    raise InvalidParameterError("input", f"{where}:{first}", "a header line whose quotes are closed",
                                                hint="The header opens a quote it never closes; fix that line of the file.")
                out.append((first, None, ["invalid_record"]))
                start = first
                break
            if not row:
                continue
            rec, flags = _csv_row(row, header, codec)
            if rec is None:
                header = _unique(flags)
                continue
            out.append((first, rec, flags))
    return header, out


def _unclosed(span: list[str], delimiter: str = ",") -> bool:
    """Whether a record that ran to the end of the file did so inside a quoted field (read strictly: the lenient
    reader accepts it silently). A strict error of another kind (a quote followed by text) falls back to an odd
    number of quote characters over a record of several lines."""
    try:
        for _ in csv.reader(span, strict=True, delimiter=delimiter):
            pass
    except csv.Error as err:
        return "unexpected end of data" in str(err) or (len(span) > 1 and sum(ln.count('"') for ln in span) % 2 == 1)
    return False


def _csv_row(row: list[str], header: list[str], codec: str) -> tuple[dict[str, Any] | None, list[str]]:
    """One CSV row as a record with its flags; without a header yet, (None, the row as the header)."""
    flags: list[str] = []
    values = []
    for v in row:
        v, flag = recover_value(v, codec)
        values.append(v)
        if flag and flag not in flags:
            flags.append(flag)
    if not header:
        return None, values
    if len(values) > len(header):  # csv.DictReader would file the extras under the key None
        values = values[: len(header)]
        flags.append("extra_fields")
    elif len(values) < len(header):  # the fields it lacks are empty (None), and the row says so
        flags.append("short_row")
    return {h: (values[i] if i < len(values) else None) for i, h in enumerate(header)}, flags
