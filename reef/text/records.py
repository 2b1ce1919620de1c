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
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reef.errors import InvalidParameterError, NotFoundError
from reef.ingest.files import detect_encoding
# the parsing of lines into records (clean_value is public here too, as before)
from reef.text.record_lines import clean_value, csv_records, jsonl_records

__all__ = ["read_records", "read_texts", "Records", "INPUT_FORMATS", "clean_value", "file_format"]

INPUT_FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx"}
_TEXT_NAMES = ("内容", "正文", "帖子内容", "评论内容", "微博正文", "评论", "文本", "content", "body", "comment", "message", "post")

_SAMPLE = 1 << 20  # bytes read to detect the encoding
_FIELD_LIMIT = 1 << 26  # 64 MiB per CSV field: a 1 MB post fits, a runaway unterminated quote still stops
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
                header, found = csv_records(fh, codec, str(shown))
        finally:
            csv.field_size_limit(limit)
    else:
        with open(path, encoding="utf-8-sig" if codec == "utf-8" else codec, errors=errors) as fh:
            found = jsonl_records(fh, codec)
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
