"""Files in, features out (``reef text analyze``), and PII masking for anything exported.

:func:`analyze_file` reads CSV or JSONL (:mod:`reef.text.records`), runs :func:`reef.text.analyze`
over one column and writes CSV, JSONL or Parquet. :func:`mask_table` masks personal data in a features table
(the original and simplified text, tokens, PII spans, claim evidence): exports show
``138****5678``, never the number, unless the caller explicitly keeps it.

Example:
    >>> from reef.text.pipeline import analyze
    >>> mask_table(analyze(["电话13812345678"])).column("original").to_pylist()
    ['电话138****5678']
"""
from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from reef.text.pii import _mask_one, find_pii, mask_pii
from reef.text.records import INPUT_FORMATS, Records, clean_value, file_format, read_records, read_texts

__all__ = ["analyze_file", "mask_table", "read_records", "read_texts", "write_table", "Records", "is_id_column",
           "INPUT_FORMATS", "OUTPUT_FORMATS"]

OUTPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
Progress = Callable[[str, int, int], None]
_SHOWN_LINES = 5  # line numbers of invalid records listed in the summary


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
    core = _core(masked)  # once, not once per span: a 1 MB paste of phone numbers has thousands
    left = [c for c in (_core(s["text"]) for s in cleaned) if c and c in core]
    if left:
        import html

        masked = mask_pii(html.unescape(masked))
        core = _core(masked)
        if any(c in core for c in left):
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


def _converter(typ: pa.DataType) -> Callable[[Any], Any] | None:
    """A function giving a float32 value its shortest decimal form (0.0010950565, not 0.0010950565338134766, the
    float64 reading of the same bits), through lists and structs; None for a type that holds no float32."""
    if pa.types.is_float32(typ):
        import numpy as np

        return lambda v: None if v is None else float(str(np.float32(v)))
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        inner = _converter(typ.value_type)
        return None if inner is None else (lambda v: None if v is None else [inner(x) for x in v])
    if pa.types.is_struct(typ):
        parts = {typ.field(i).name: _converter(typ.field(i).type) for i in range(typ.num_fields)}
        parts = {k: f for k, f in parts.items() if f is not None}
        return None if not parts else (lambda v: None if v is None else {k: (parts[k](x) if k in parts else x)
                                                                          for k, x in v.items()})
    return None


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    """``table.to_pylist()`` with float32 values written as float32 reads them (see :func:`_converter`)."""
    rows = table.to_pylist()
    convert = {f.name: c for f in table.schema if (c := _converter(f.type)) is not None}
    if convert:
        for r in rows:
            for k, c in convert.items():
                r[k] = c(r[k])
    return rows


def write_table(table: pa.Table, path: str | os.PathLike) -> str:
    """Write ``table`` as CSV (nested values as JSON), JSONL or Parquet, chosen by the extension."""
    path = Path(path)
    fmt = file_format(path, OUTPUT_FORMATS, "output")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path)
        return fmt
    rows = _rows(table)  # scores as float32 holds them: 0.0010950565, not 0.0010950565338134766
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
_ID_COLUMN = re.compile(r"(?i:(?:^|[_\s-])ids?$|^uid$)|[a-z0-9\u4e00-\u9fff](?:Id|ID|Ids|IDs)$|[\u4e00-\u9fff](?:id|ids)$"
                        r"|(?:^|[\u4e00-\u9fff])(?:编号|序号)$")
# Contact columns are judged by whole words (``hotel_id`` holds no "tel"), plus the Chinese names; an OpenID or
# UnionID identifies a WeChat user, so it is masked like a contact.
_CONTACT_WORDS = frozenset({"phone", "mobile", "tel", "wechat", "weixin", "wx", "qq", "mail", "email", "contact", "card",
                            "plate", "vin", "openid", "unionid"})
_CONTACT_CJK = re.compile(r"手机|电话|微信|身份证|车牌|邮箱")


def _is_contact_name(name: str) -> bool:
    words = [w for w in re.split(r"[^a-z0-9]+", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()) if w]
    joined = {a + b for a, b in zip(words, words[1:])}
    return bool(_CONTACT_WORDS.intersection(words) or _CONTACT_WORDS.intersection(joined) or _CONTACT_CJK.search(name))


def is_id_column(name: str) -> bool:
    """Whether an input column holds record identifiers (``content_id``, ``member_id``, ``用户ID``), which are not masked.

    Example:
        >>> [is_id_column(n) for n in ("content_id", "用户ID", "会员编号", "hotel_id", "wechat_id", "open_id", "text")]
        [True, True, True, True, False, False, False]
    """
    return bool(_ID_COLUMN.search(name.strip())) and not _is_contact_name(name)


def _passthrough(values: list[Any], mask: bool) -> pa.Array:
    """An input column copied to the output: lone surrogates replaced and, when masking, PII masked."""
    values = [clean_value(v) for v in values]
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


def _refuse_overwriting_input(src: Path, dst: Path) -> None:
    """Writing the features over the input would destroy the export they were read from (and mask its PII for good)."""
    same = src.resolve() == dst.resolve()
    if not same and src.exists() and dst.exists():
        same = os.path.samefile(src, dst)
    if same:
        from reef.errors import Location, OutputPathError, with_cli_hint

        exc = OutputPathError("The output file is the input file; writing it would replace the data being analysed.",
                              where=Location(file=str(dst)), hint="Pass output= another file name.",
                              message_zh="输出文件就是输入文件，写入会覆盖正在分析的数据。", hint_zh="请为 output= 指定另一个文件名。")
        raise with_cli_hint(exc, "Pass --output another file name.", "请为 --output 指定另一个文件名。")


def analyze_file(input: str | os.PathLike, output: str | os.PathLike, *, column: str = "text",  # noqa: A002
                 mask: bool = True, config: Any = None) -> dict[str, Any]:
    """Analyse ``column`` of a CSV/JSONL file into ``output``; the input's other columns come first.

    One output row per input record, in order; records that cannot be parsed are kept as rows
    flagged ``invalid_record``, CSV rows with fewer fields than the header as rows flagged ``short_row``.
    PII is masked in every output column but the id columns (:func:`is_id_column`) unless ``mask=False``.
    A text value that is a list of strings is joined with line breaks (flag ``joined_list``); an object or a list
    holding a non-string is no text (:func:`reef.text.inputs.file_text`): its row is kept with no text, flagged
    ``not_text``, and listed in ``not_text_rows`` (file, line, field, type), never analysed as its Python repr.
    Returns counts for the summary (including the detected encoding, the invalid records and the short rows).
    """
    from reef.text.pipeline import analyze

    file_format(Path(output), OUTPUT_FORMATS, "output")  # a wrong extension fails before the work, not after it
    _refuse_overwriting_input(Path(input), Path(output))
    records = read_records(input, column)
    if not records.rows:
        from reef.errors import Location, UnreadableFileError

        raise UnreadableFileError("The file has no record to analyse.", where=Location(file=str(input)),
                                  hint="Check that it is not empty and that the data lines follow the header.",
                                  message_zh="文件中没有可分析的记录。", hint_zh="请检查文件不是空的，并且表头下面有数据行。")
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
            "short_lines": records.short_lines[:_SHOWN_LINES], "not_text_records": len(records.not_text),
            "not_text_rows": records.not_text[:_SHOWN_LINES], "joined_lists": sum("joined_list" in f for f in records.flags),
            "masked": mask}
