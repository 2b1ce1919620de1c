"""Files in, features out (``reef text analyze``), and PII masking for anything exported.

:func:`analyze_file` reads CSV or JSONL, runs :func:`reef.text.analyze` over one column and
writes CSV, JSONL or Parquet. :func:`mask_table` masks personal data in a features table
(the original and simplified text, tokens, PII spans, claim evidence): exports show
``138****5678``, never the number, unless the caller explicitly keeps it.

Example:
    >>> from reef.text.pipeline import analyze
    >>> mask_table(analyze(["电话13812345678"])).column("original").to_pylist()
    ['电话138****5678']
"""
from __future__ import annotations

import codecs
import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from reef.errors import InvalidParameterError, NotFoundError
from reef.ingest.files import detect_encoding
from reef.text.normalize import decode_bytes, replace_lone_surrogates
from reef.text.pii import _mask_one, find_pii, mask_pii

__all__ = ["analyze_file", "mask_table", "read_records", "read_texts", "write_table", "Records", "is_id_column",
           "INPUT_FORMATS", "OUTPUT_FORMATS"]

INPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
OUTPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
Progress = Callable[[str, int, int], None]

_SAMPLE = 1 << 20  # bytes read to detect the encoding
_FIELD_LIMIT = 1 << 26  # 64 MiB per CSV field: a 1 MB post fits, a runaway unterminated quote still stops
_ESCAPED = re.compile(r"[\udc80-\udcff]")  # bytes the file's encoding could not decode (surrogateescape)
_JSON_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]")  # a JSON escape that may leave a lone surrogate
_SHOWN_LINES = 5  # line numbers of invalid records listed in the summary
# Encodings trusted from the detector; a single-byte code page guessed for a file that is neither clean UTF-8
# nor GB18030 is nearly always a mix of both, better read as UTF-8 and decoded value by value.
_TRUSTED = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950",
            "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949"}


@dataclass
class Records:
    """One entry per input record, in input order; an unparseable record is ``{}`` flagged ``invalid_record``."""

    rows: list[dict[str, Any]]
    texts: list[Any]
    flags: list[list[str]]  # per record: invalid_record, extra_fields, short_row, decoded_gb18030, invalid_encoding
    encoding: str
    invalid_lines: list[int] = field(default_factory=list)  # 1-based line where each invalid record starts
    short_lines: list[int] = field(default_factory=list)  # 1-based line of each CSV row with fewer fields than the header


def _format(path: Path, known: dict[str, str], what: str) -> str:
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


def _clean(value: Any) -> Any:
    # Lone surrogates (from JSON escapes) cannot be written as UTF-8 or put in Arrow.
    if isinstance(value, str):
        return replace_lone_surrogates(value)[0]
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
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
            cleaned = _clean(obj)
            if cleaned != obj:
                obj = cleaned
                flags.append("invalid_encoding")
        out.append((n, obj, flags))
    return out


def _csv_records(fh, codec: str, where: str = "") -> tuple[list[str], list[tuple[int, dict[str, Any] | None, list[str]]]]:
    lines = fh.readlines()
    header: list[str] = []
    out: list[tuple[int, dict[str, Any] | None, list[str]]] = []
    start = 0  # lines before this one are read; the reader restarts here after an unreadable record
    while start < len(lines):
        reader = csv.reader(lines[start:])
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
            if last == len(lines) and _unclosed(lines[first - 1:last]):
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
                header = flags
                continue
            out.append((first, rec, flags))
    return header, out


def _unclosed(span: list[str]) -> bool:
    """Whether a record that ran to the end of the file did so inside a quoted field (read strictly: the lenient
    reader accepts it silently). A strict error of another kind (a quote followed by text) falls back to an odd
    number of quote characters over a record of several lines."""
    try:
        for _ in csv.reader(span, strict=True):
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
    """Read a CSV or JSONL file (encoding detected: UTF-8, GB18030, ...) record by record.

    A record that cannot be parsed becomes an empty row flagged ``invalid_record``; values the
    file's encoding cannot decode are decoded on their own (:func:`reef.text.normalize.decode_bytes`)
    and flagged. A missing file, unknown extension, missing column, or a file with no valid record raise.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"No input file {path}.", hint="Give a CSV or JSONL file with --input.")
    fmt = _format(path, INPUT_FORMATS, "input")
    encoding = _file_encoding(path)
    codec = "utf-8" if encoding == "utf-8-sig" else encoding  # re-encoding must not add a BOM
    ascii_safe = "a,\n".encode(codec, errors="ignore") == b"a,\n"
    errors = "surrogateescape" if ascii_safe else "replace"
    header: list[str] = []
    if fmt == "csv":
        limit = csv.field_size_limit(_FIELD_LIMIT)
        try:
            with open(path, encoding="utf-8-sig" if codec == "utf-8" else codec, errors=errors, newline="") as fh:
                header, found = _csv_records(fh, codec, str(path))
        finally:
            csv.field_size_limit(limit)
    else:
        with open(path, encoding="utf-8-sig" if codec == "utf-8" else codec, errors=errors) as fh:
            found = _jsonl_records(fh, codec)
    rows = [rec if rec is not None else {} for _, rec, _ in found]
    invalid = [n for n, rec, _ in found if rec is None]
    if invalid and len(invalid) == len(found):
        expected = "a header line and comma-separated rows" if fmt == "csv" else "one JSON object per line"
        raise InvalidParameterError("input", f"{path}:{invalid[0]}", expected,
                                    hint=f"No record of the {len(found)} could be read.")
    valid = [r for (_, rec, _), r in zip(found, rows) if rec is not None]
    known = header or list(dict.fromkeys(k for r in valid for k in r))
    if (valid or header) and column not in known:
        raise InvalidParameterError("column", column, "one of " + ", ".join(sorted(map(str, known))))
    return Records(rows=rows, texts=[r.get(column) for r in rows], flags=[f for _, _, f in found],
                   encoding=encoding, invalid_lines=invalid, short_lines=[n for n, _, f in found if "short_row" in f])


def read_texts(path: str | os.PathLike, column: str = "text") -> tuple[list[dict[str, Any]], list[Any]]:
    """(rows, texts) of :func:`read_records`; a missing value is None."""
    records = read_records(path, column)
    return records.rows, records.texts


def _mask_spans(spans: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    if spans is None:
        return None
    return [{**s, "text": _mask_one(s["kind"], s["text"])} for s in spans]


_MARKUP = re.compile(r"<[^<>]*>|&#?\w+;")


def _core(text: str) -> str:
    """Letters and digits only, markup and entities dropped: "138&nbsp;1234" -> "1381234"."""
    return "".join(ch for ch in _MARKUP.sub("", text) if ch.isalnum()).upper()


def _mask_original(value: str | None, spans: list | None, flags: list | None, cleaned: list[dict],
                   text: str | None) -> str | None:
    """The original with its PII masked. The spans index it, but cleaning can reveal PII the raw text hides
    ("138&nbsp;1234&nbsp;5678", a tag inside a number): if any found in the cleaned ``text`` is still readable, the
    entities are decoded and masked again, and failing that the masked cleaned text stands in for the original."""
    if not value:
        return value
    masked = mask_pii(value, None if spans is None or "pii_scan_truncated" in (flags or []) else spans)
    left = [c for c in (_core(s["text"]) for s in cleaned) if c and c in _core(masked)]
    if left:
        import html

        masked = mask_pii(html.unescape(masked))
        if any(c in _core(masked) for c in left):
            return mask_pii(text)
    return masked


def mask_table(table: pa.Table) -> pa.Table:
    """Mask PII in the text-bearing columns of an ``analyze``/``content_features`` table."""
    out = table
    names = table.column_names
    pii = table.column("pii").to_pylist() if "pii" in names else [None] * table.num_rows
    texts = table.column("text").to_pylist() if "text" in names else [None] * table.num_rows
    cleaned = [find_pii(v) if v else [] for v in texts]  # PII the cleaning revealed (entities, tags), found again
    secrets = [[s["text"] for s in (spans or []) + more] for spans, more in zip(pii, cleaned)]
    flags = table.column("flags").to_pylist() if "flags" in names else [None] * table.num_rows
    if "original" in names:
        values = [_mask_original(v, spans, fl, more, t)
                  for v, spans, fl, more, t in zip(table.column("original").to_pylist(), pii, flags, cleaned, texts)]
        out = out.set_column(names.index("original"), "original", pa.array(values, table.schema.field("original").type))
    for col in ("text", "text_simplified", "body", "title"):
        if col in names:  # cleaning moved the offsets: find the spans again
            values = [mask_pii(v) if v else v for v in table.column(col).to_pylist()]
            out = out.set_column(names.index(col), col, pa.array(values, table.schema.field(col).type))
    if "tokens" in names:
        # A token inside a span, or one holding a whole span ("QQ123456789", "Tel13812345678"), is masked.
        values = [[("*" * len(t) if any(ch.isalnum() for ch in t) and any(t in s or s in t for s in sec) else mask_pii(t))
                   for t in (toks or [])]
                  for toks, sec in zip(table.column("tokens").to_pylist(), secrets)]
        out = out.set_column(names.index("tokens"), "tokens", pa.array(values, table.schema.field("tokens").type))
    if "pii" in names:
        out = out.set_column(names.index("pii"), "pii", pa.array([_mask_spans(p) for p in pii], table.schema.field("pii").type))
    if "claims" in names:
        claims = [[{**c, "evidence": mask_pii(c["evidence"])} for c in (cs or [])]
                  for cs in table.column("claims").to_pylist()]
        out = out.set_column(names.index("claims"), "claims", pa.array(claims, table.schema.field("claims").type))
    return out


def write_table(table: pa.Table, path: str | os.PathLike) -> str:
    """Write ``table`` as CSV (nested values as JSON), JSONL or Parquet, chosen by the extension."""
    path = Path(path)
    fmt = _format(path, OUTPUT_FORMATS, "output")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path)
        return fmt
    rows = table.to_pylist()
    if fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return fmt
    from reef.export.tables import formula_safe

    # utf-8-sig: Excel reads a CSV without a byte-order mark as the local code page and garbles Chinese.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(table.column_names)
        for r in rows:
            w.writerow([json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (list, dict)) else formula_safe(v)
                        for v in r.values()])
    return fmt


# Identifier columns: id, *_id, *_ids, contentId, userID. A contact kept under an id name (wechat_id, qq_id) is no
# identifier of the record: it stays masked.
_ID_COLUMN = re.compile(r"(?i:(?:^|[_\s-])ids?$|^uid$)|[a-z0-9](?:Id|ID|Ids|IDs)$|^(?:编号|序号)$")
_CONTACT_NAME = re.compile(r"phone|mobile|tel|wechat|weixin|wx|qq|mail|contact|card|plate|vin|手机|电话|微信|身份证|车牌|邮箱", re.I)


def is_id_column(name: str) -> bool:
    """Whether an input column holds record identifiers (``content_id``, ``member_id``, ``id``), which are not masked."""
    return bool(_ID_COLUMN.search(name.strip())) and not _CONTACT_NAME.search(name)


def _passthrough(values: list[Any], mask: bool) -> pa.Array:
    """An input column copied to the output: lone surrogates replaced and, when masking, PII masked."""
    values = [_clean(v) for v in values]
    if mask:
        values = [_mask_value(v) for v in values]
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pa.array([v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
                         for v in values], pa.string())


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, (list, dict)):  # nested: masked as its JSON text
        return mask_pii(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, int) and not isinstance(value, bool):  # a phone or ID number stored as a number
        masked = mask_pii(str(value))
        return value if masked == str(value) else masked
    return value


def _add_flags(table: pa.Table, extra: list[list[str]]) -> pa.Table:
    if not any(extra):
        return table
    flags = [list(f or []) + [x for x in e if x not in (f or [])] for f, e in zip(table.column("flags").to_pylist(), extra)]
    i = table.column_names.index("flags")
    return table.set_column(i, "flags", pa.array(flags, table.schema.field("flags").type))


def analyze_file(input: str | os.PathLike, output: str | os.PathLike, *, column: str = "text",  # noqa: A002
                 mask: bool = True, config: Any = None) -> dict[str, Any]:
    """Analyse ``column`` of a CSV/JSONL file into ``output``; the input's other columns come first.

    One output row per input record, in order; records that cannot be parsed are kept as rows
    flagged ``invalid_record``, CSV rows with fewer fields than the header as rows flagged ``short_row``.
    PII is masked in every output column but the id columns (:func:`is_id_column`) unless ``mask=False``.
    Returns counts for the summary (including the detected encoding, the invalid records and the short rows).
    """
    from reef.text.pipeline import analyze

    _format(Path(output), OUTPUT_FORMATS, "output")  # a wrong extension fails before the work, not after it
    records = read_records(input, column)
    if not records.rows:
        from reef.errors import Location, UnreadableFileError

        raise UnreadableFileError("The file has no record to analyse.", where=Location(file=str(input)),
                                  hint="Check that it is not empty and that the data lines follow the header.")
    feats = _add_flags(analyze(records.texts, config=config), records.flags)
    if mask:
        feats = mask_table(feats)
    rows = records.rows
    keep = [c for c in dict.fromkeys(k for r in rows for k in r) if c != column]
    for i, c in enumerate(keep):
        # An input column named like a feature (a labelled 'sentiment') is kept as input_<name>, not dropped.
        name = f"input_{c}" if str(c) in feats.column_names else str(c)
        # An id (content_id, member_id) is no personal data, even when it has a phone number's shape: it passes unmasked.
        feats = feats.add_column(i, name, _passthrough([r.get(c) for r in rows], mask and not is_id_column(str(c))))
    fmt = write_table(feats, output)
    flags = feats.column("flags").to_pylist()
    return {"input": str(input), "output": str(output), "format": fmt, "encoding": records.encoding,
            "rows": feats.num_rows,
            "with_claims": sum(1 for c in feats.column("claims").to_pylist() if c),
            "with_pii": sum(1 for p in feats.column("pii").to_pylist() if p),
            "flagged": sum(1 for f in flags if f), "invalid_records": len(records.invalid_lines),
            "invalid_lines": records.invalid_lines[:_SHOWN_LINES], "short_rows": len(records.short_lines),
            "short_lines": records.short_lines[:_SHOWN_LINES], "masked": mask}
