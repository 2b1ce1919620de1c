"""Reading CSV and JSONL files record by record for ``reef text analyze`` (:func:`read_records`).

Encodings are detected (UTF-8, GB18030, UTF-16, Big5 ...); a value the file's encoding cannot
decode is decoded on its own and flagged. A record that cannot be parsed becomes ``{}`` flagged
``invalid_record``; a CSV row with more fields than the header drops them (``extra_fields``), one
with fewer keeps what it has, the rest empty (``short_row``).

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "in.csv"
    >>> _ = p.write_text("id,text\\n1,好\\n2\\n", encoding="utf-8")
    >>> r = read_records(p)
    >>> (r.rows, r.flags, r.short_lines)
    ([{'id': '1', 'text': '好'}, {'id': '2', 'text': None}], [[], ['short_row']], [3])
"""
from __future__ import annotations

import codecs
import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reef.errors import InvalidParameterError, NotFoundError
from reef.ingest.files import detect_encoding
from reef.text.normalize import decode_bytes, replace_lone_surrogates

__all__ = ["read_records", "read_texts", "Records", "INPUT_FORMATS", "clean_value", "file_format"]

INPUT_FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx"}
_TEXT_NAMES = ("内容", "正文", "帖子内容", "评论内容", "微博正文", "评论", "文本", "content", "body", "comment", "message", "post")
_DELIMITERS = "\t;|"  # a header line without a comma but with one of these is split on it (a TSV, a European Excel CSV)

_SAMPLE = 1 << 20  # bytes read to detect the encoding
_FIELD_LIMIT = 1 << 26  # 64 MiB per CSV field: a 1 MB post fits, a runaway unterminated quote still stops
_ESCAPED = re.compile(r"[\udc80-\udcff]")  # bytes the file's encoding could not decode (surrogateescape)
_JSON_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]")  # a JSON escape that may leave a lone surrogate
# Encodings trusted from the detector; a single-byte code page guessed for a file that is neither clean UTF-8
# nor GB18030 is nearly always a mix of both, better read as UTF-8 and decoded value by value.
_TRUSTED = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950",
            "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949"}


@dataclass
class Records:
    """One entry per input record, in input order; an unparseable record is ``{}`` flagged ``invalid_record``."""

    rows: list[dict[str, Any]]
    texts: list[Any]
    flags: list[list[str]]  # per record: invalid_record, extra_fields, short_row, decoded_gb18030, invalid_encoding,
    # joined_list, not_text (reef.text.inputs.file_text)
    encoding: str
    invalid_lines: list[int] = field(default_factory=list)  # 1-based line where each invalid record starts
    short_lines: list[int] = field(default_factory=list)  # 1-based line of each CSV row with fewer fields than the header
    # each record whose text is an object or a list holding a non-string: {"file", "line", "field", "type"}
    not_text: list[dict[str, Any]] = field(default_factory=list)


def file_format(path: Path, known: dict[str, str], what: str) -> str:
    fmt = known.get(path.suffix.lower())
    if fmt is None:
        raise InvalidParameterError(what, str(path), "a file ending in " + ", ".join(sorted(known)))
    return fmt


def _file_encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        sample = fh.read(_SAMPLE)
        if fh.read(1) and b"\n" in sample:  # cut at a line end, not inside a multi-byte character
            sample = sample[: sample.rfind(b"\n") + 1]
    try:
        name = codecs.lookup(detect_encoding(sample)).name
    except LookupError:
        return "utf-8"
    return name if name in _TRUSTED else "utf-8"


def _recover(value: str, codec: str) -> tuple[str, str | None]:
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


def _jsonl_records(fh, codec: str) -> list[tuple[int, dict[str, Any] | None, list[str]]]:
    out = []
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        line, flag = _recover(line, codec)
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


def _delimiter(lines: list[str]) -> str:
    """The field separator, judged on the header (the first line that is not blank): a comma unless the header has
    none and has tabs, semicolons or bars ("id;text" is two columns, not one named "id;text")."""
    head = next((ln for ln in lines if ln.strip()), "")
    if "," in head:
        return ","
    counts = {d: head.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


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


def _csv_records(fh, codec: str, where: str = "") -> tuple[list[str], list[tuple[int, dict[str, Any] | None, list[str]]]]:
    lines = fh.readlines()
    delimiter = _delimiter(lines)
    header: list[str] = []
    out: list[tuple[int, dict[str, Any] | None, list[str]]] = []
    start = 0  # lines before this one are read; the reader restarts here after an unreadable record
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
        v, flag = _recover(v, codec)
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


def read_records(path: str | os.PathLike, column: str = "text") -> Records:
    """Read a CSV, TSV, JSONL or Excel file (encoding detected: UTF-8, GB18030, ...) record by record.

    A record that cannot be parsed becomes an empty row flagged ``invalid_record``; values the
    file's encoding cannot decode are decoded on their own (:func:`reef.text.normalize.decode_bytes`)
    and flagged. A CSV header without commas but with tabs, semicolons or bars is split on those; repeated
    header names get ``.1``, ``.2``. An Excel workbook's first sheet is read as a CSV file
    (:func:`reef.ingest.xlsx.xlsx_to_csv`). A missing file, unknown extension, missing column, or a file with
    no valid record raise.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"No input file {path}.", hint="Give a CSV or JSONL file with --input.")
    fmt = file_format(path, INPUT_FORMATS, "input")
    if fmt == "xlsx":
        import tempfile

        from reef.ingest.xlsx import xlsx_to_csv

        with tempfile.TemporaryDirectory(prefix="reef-text-") as folder:
            records = _read(xlsx_to_csv(path, Path(folder)), "csv", column, path)
        records.encoding = "xlsx"
        return records
    return _read(path, fmt, column, path)


def _read(path: Path, fmt: str, column: str, shown: Path) -> Records:
    """Records of ``path`` (CSV or JSONL); errors name ``shown``, the file the caller gave."""
    encoding = _file_encoding(path)
    codec = "utf-8" if encoding == "utf-8-sig" else encoding  # re-encoding must not add a BOM
    ascii_safe = "a,\n".encode(codec, errors="ignore") == b"a,\n"
    errors = "surrogateescape" if ascii_safe else "replace"
    header: list[str] = []
    if fmt == "csv":
        limit = csv.field_size_limit(_FIELD_LIMIT)
        try:
            with open(path, encoding="utf-8-sig" if codec == "utf-8" else codec, errors=errors, newline="") as fh:
                header, found = _csv_records(fh, codec, str(shown))
        finally:
            csv.field_size_limit(limit)
    else:
        with open(path, encoding="utf-8-sig" if codec == "utf-8" else codec, errors=errors) as fh:
            found = _jsonl_records(fh, codec)
    rows = [rec if rec is not None else {} for _, rec, _ in found]
    invalid = [n for n, rec, _ in found if rec is None]
    if invalid and len(invalid) == len(found):
        expected = "a header line and comma-separated rows" if fmt == "csv" else "one JSON object per line"
        raise InvalidParameterError("input", f"{shown}:{invalid[0]}", expected,
                                    hint=f"No record of the {len(found)} could be read.")
    valid = [r for (_, rec, _), r in zip(found, rows) if rec is not None]
    known = header or list(dict.fromkeys(k for r in valid for k in r))
    if (valid or header) and column not in known:
        raise _missing_column(column, [str(k) for k in known], shown)
    from reef.text.inputs import file_text

    texts, not_text = [], []
    for (n, _, flags), r in zip(found, rows):  # a JSONL value may be a list or an object: joined or refused
        text, flag = file_text(r.get(column))
        texts.append(text)
        if flag:
            flags.append(flag)
        if flag == "not_text":
            not_text.append({"file": str(shown), "line": n, "field": column,
                             "type": "object" if isinstance(r.get(column), dict) else "array"})  # as JSON names them
    return Records(rows=rows, texts=texts, flags=[f for _, _, f in found], encoding=encoding, invalid_lines=invalid,
                   short_lines=[n for n, _, f in found if "short_row" in f], not_text=not_text)


def _missing_column(column: str, known: list[str], path: Path) -> InvalidParameterError:
    """The error for a text column the file lacks: it names the file, the columns it has and the closest one."""
    import difflib

    from reef.errors import Location, with_cli_hint

    near = [k for k in known if k.strip().lower() == column.strip().lower()]
    near = near or difflib.get_close_matches(column, known, n=1, cutoff=0.6)
    near = near or [k for k in known if k.strip().lower() in _TEXT_NAMES]  # 内容, 正文, content ... hold the text
    exc = InvalidParameterError("column", column, "one of " + ", ".join(sorted(known)),
                                hint=f"Pass column={near[0]!r}." if near else "Pass column= the name of the text column.",
                                hint_zh=f"请传入 column={near[0]!r}。" if near else "请用 column= 指定文本所在的列。")
    exc.where = Location(file=str(path))
    exc.facts = {"column": column, "columns": known, "suggestion": near[0] if near else None}
    return with_cli_hint(exc, f"Pass --column {near[0]}." if near else "Pass --column with the name of the text column.",
                         f"请用 --column {near[0]}。" if near else "请用 --column 指定文本所在的列。")


def read_texts(path: str | os.PathLike, column: str = "text") -> tuple[list[dict[str, Any]], list[Any]]:
    """(rows, texts) of :func:`read_records`; a missing value is None."""
    records = read_records(path, column)
    return records.rows, records.texts
