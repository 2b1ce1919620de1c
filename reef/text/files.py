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

import csv
import json
import os
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from reef.errors import InvalidParameterError, NotFoundError
from reef.text.pii import _mask_one, mask_pii

__all__ = ["analyze_file", "mask_table", "read_texts", "write_table", "INPUT_FORMATS", "OUTPUT_FORMATS"]

INPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
OUTPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
Progress = Callable[[str, int, int], None]


def _format(path: Path, known: dict[str, str], what: str) -> str:
    fmt = known.get(path.suffix.lower())
    if fmt is None:
        raise InvalidParameterError(what, str(path), "a file ending in " + ", ".join(sorted(known)))
    return fmt


def read_texts(path: str | os.PathLike, column: str = "text") -> tuple[list[dict[str, Any]], list[Any]]:
    """(rows, texts) of a CSV (UTF-8, BOM tolerated) or JSONL file; a missing value is None."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"No input file {path}.", hint="Give a CSV or JSONL file with --input.")
    fmt = _format(path, INPUT_FORMATS, "input")
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            rows = list(csv.DictReader(fh))
    else:
        rows = []
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError:
                        raise InvalidParameterError("input", f"{path}:{n}", "one JSON object per line") from None
    if rows and not any(column in r for r in rows):
        raise InvalidParameterError("column", column, "one of " + ", ".join(sorted(rows[0])))
    return rows, [r.get(column) for r in rows]


def _mask_spans(spans: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    if spans is None:
        return None
    return [{**s, "text": _mask_one(s["kind"], s["text"])} for s in spans]


def mask_table(table: pa.Table) -> pa.Table:
    """Mask PII in the text-bearing columns of an ``analyze``/``content_features`` table."""
    out = table
    names = table.column_names
    pii = table.column("pii").to_pylist() if "pii" in names else [None] * table.num_rows
    secrets = [[s["text"] for s in (spans or [])] for spans in pii]
    for col in ("original",):
        if col in names:  # the spans index the original: mask exactly them
            values = [mask_pii(v, spans) if v and spans is not None else mask_pii(v) if v else v
                      for v, spans in zip(table.column(col).to_pylist(), pii)]
            out = out.set_column(names.index(col), col, pa.array(values, table.schema.field(col).type))
    for col in ("text", "text_simplified", "body", "title"):
        if col in names:  # cleaning moved the offsets: find the spans again
            values = [mask_pii(v) if v else v for v in table.column(col).to_pylist()]
            out = out.set_column(names.index(col), col, pa.array(values, table.schema.field(col).type))
    if "tokens" in names:
        values = [[("*" * len(t) if any(t in s for s in sec) and any(ch.isalnum() for ch in t) else t) for t in (toks or [])]
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
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(table.column_names)
        for r in rows:
            w.writerow([json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (list, dict)) else v
                        for v in r.values()])
    return fmt


def analyze_file(input: str | os.PathLike, output: str | os.PathLike, *, column: str = "text",  # noqa: A002
                 mask: bool = True, config: Any = None) -> dict[str, Any]:
    """Analyse ``column`` of a CSV/JSONL file into ``output``; the input's other columns come first.

    PII is masked in the output unless ``mask=False``. Returns counts for the summary.
    """
    from reef.text.pipeline import analyze

    rows, texts = read_texts(input, column)
    feats = analyze(texts, config=config)
    if mask:
        feats = mask_table(feats)
    keep = [c for c in (rows[0].keys() if rows else []) if c != column and c not in feats.column_names]
    for i, c in enumerate(keep):
        values = [r.get(c) for r in rows]
        try:
            arr = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arr = pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in values])
        feats = feats.add_column(i, c, arr)
    fmt = write_table(feats, output)
    flags = feats.column("flags").to_pylist()
    return {"input": str(input), "output": str(output), "format": fmt, "rows": feats.num_rows,
            "with_claims": sum(1 for c in feats.column("claims").to_pylist() if c),
            "with_pii": sum(1 for p in feats.column("pii").to_pylist() if p),
            "flagged": sum(1 for f in flags if f), "masked": mask}
