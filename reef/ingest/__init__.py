"""Ingest: readers for each source, one validator, one atomic commit.

``import_paths`` is the front door used by the CLI, the Python API and the simulator.
Formats: ``jsonl``, ``csv``, ``parquet``, ``xlsx`` (read as CSV: :mod:`reef.ingest.xlsx`) (canonical model) and ``stackexchange`` (a dump
folder or its XML files). ``auto`` picks by file name and content.

Example:
    >>> from reef.store import open_store
    >>> import_paths(open_store(":memory:"), []).read
    0
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from reef.errors import InvalidParameterError, Location, UnknownFormatError, with_api_hint, with_cli_hint
from reef.ingest.files import check_encoding, check_readable, file_sha256
from reef.ingest.session import ImportSession, Progress
from reef.ingest.summary import ImportSummary
from reef.ingest.xlsx import is_xlsx, xlsx_to_csv
from reef.model.schema import ENTITIES, entity_for_name
from reef.store.connection import Store

__all__ = ["import_paths", "detect_format", "FORMATS", "ImportSummary", "ImportSession"]

FORMATS = ("auto", "jsonl", "csv", "parquet", "xlsx", "stackexchange", "weibo")


def detect_format(path: Path) -> str:
    """Pick a reader for ``path`` by its name (and, for a folder, its contents)."""
    name = path.name.lower()
    if path.is_dir():
        from reef.ingest.weibo import is_weibo_folder
        if is_weibo_folder(path):
            return "weibo"
        if any((path / f).exists() for f in ("Posts.xml", "Posts.xml.gz", "posts.xml")):
            return "stackexchange"
        raise UnknownFormatError("A folder can only be imported as a Stack Exchange dump (it has no Posts.xml).",
                                 where=Location(file=str(path)))
    base = name[:-3] if name.endswith(".gz") else name
    if base.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if base.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    if base.endswith(".parquet"):
        return "parquet"
    if base.endswith(".xml"):
        return "stackexchange"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    excel = name.endswith((".xls", ".et", ".numbers", ".ods"))
    sheet = "This spreadsheet format is not read: save it as .xlsx or as CSV UTF-8 and import that. " if excel else ""
    names = "Name it .csv, .tsv, .txt, .xlsx, .jsonl, .json, .parquet or .xml(.gz), or pass "
    sheet_zh = "不能直接读取这种表格格式：请在表格软件中另存为 .xlsx 或“CSV UTF-8（逗号分隔）”后再导入。" if excel else ""
    suffixes_zh = "支持的文件名后缀：.csv、.tsv、.txt、.xlsx、.jsonl、.json、.parquet、.xml（均可再加 .gz，.xlsx 除外）"
    exc = UnknownFormatError(
        "Cannot tell the format from the file name.",
        where=Location(file=str(path)),
        hint=sheet + names + "fmt=.",
        message_zh="无法根据文件名判断格式。",
        hint_zh=sheet_zh
        + suffixes_zh + "，或指定格式 fmt=。",
    )
    with_api_hint(exc, sheet + names + "the upload's format (the form field format).")  # an upload's option, not fmt=
    raise with_cli_hint(exc, sheet + names + "--format.", sheet_zh + suffixes_zh + "，或用 --format 指定格式。")


def _reader(fmt: str) -> Callable:
    if fmt == "jsonl":
        from reef.ingest.jsonl import stage_jsonl
        return stage_jsonl
    if fmt == "csv":
        from reef.ingest.csv import stage_csv
        return stage_csv
    if fmt == "parquet":
        from reef.ingest.parquet import stage_parquet
        return stage_parquet
    if fmt == "stackexchange":
        from reef.ingest.stackexchange import stage_stackexchange
        return stage_stackexchange
    if fmt == "weibo":
        from reef.ingest.weibo import stage_weibo
        return stage_weibo
    raise InvalidParameterError("format", fmt, "one of " + ", ".join(FORMATS))


def import_paths(
    store: Store,
    paths: Iterable[str | os.PathLike],
    *,
    fmt: str = "auto",
    entity: str | None = None,
    on_progress: Progress | None = None,
    names: Mapping[str | os.PathLike, str] | None = None,
    encoding: str | None = None,
) -> ImportSummary:
    """Import files into ``store`` atomically; returns what happened.

    All files form one import: rows may reference rows in other files of the same call, and
    either everything is committed or nothing is. ``names`` gives a file the name recorded in
    quarantine, the import history and progress instead of its path (the server passes an
    upload's own file name for its temporary copy); names must be distinct. ``encoding`` (``"gb18030"``, ``"gbk"``,
    ``"utf-8"`` ...) is the encoding of every CSV and JSONL file instead of the detected one; Parquet and XML files
    state their own.
    """
    if fmt not in FORMATS:
        raise InvalidParameterError("format", fmt, "one of " + ", ".join(FORMATS))
    if entity is not None:
        known = entity_for_name(entity)
        if known is None:
            raise InvalidParameterError("entity", entity, "one of " + ", ".join(ENTITIES))
        entity = known.name
    encoding = check_encoding(encoding)
    resolved, seen = [], set()
    for p in map(Path, paths):
        # The same file named twice (or by two spellings) is one input: reading it twice would store every row twice.
        ident = p.resolve()
        if ident not in seen:
            seen.add(ident)
            resolved.append(p)
    for p in resolved:
        if not p.is_dir():
            check_readable(p)
    plan = [(p, fmt if fmt != "auto" else detect_format(p)) for p in resolved]
    label = plan[0][1] if len({f for _, f in plan}) == 1 and plan else ("mixed" if plan else "none")
    given = {str(Path(k)): str(v) for k, v in (names or {}).items()}
    if len(set(given.values())) < len(given):
        raise InvalidParameterError("names", sorted(given.values()), "a distinct name for each file")
    with tempfile.TemporaryDirectory(prefix="reef-xlsx-") as tmp:
        # An Excel workbook is read as CSV (reef.ingest.xlsx), under its own name: same checks, same records.
        read, notes = [], []
        for k, (path, kind) in enumerate(plan):
            if kind == "xlsx" or (kind == "csv" and is_xlsx(path)):
                folder = Path(tmp) / str(k)
                folder.mkdir()
                as_csv = xlsx_to_csv(path, folder, entity=entity, notes=notes)  # notes: sheets not read
                given[str(as_csv)] = given.get(str(path), str(path))
                read.append((as_csv, "csv", path))
            else:
                read.append((path, kind, path))
        with ImportSession(store, fmt=label, on_progress=on_progress, names=given) as session:
            session.summary.warnings += [{**n, "file": given.get(n["file"], n["file"])} for n in notes]
            for path, kind, source in read:
                if kind in ("csv", "jsonl"):
                    _reader(kind)(session, path, entity=entity, encoding=encoding)
                else:
                    _reader(kind)(session, path, entity=entity)
                if source.is_file():
                    for f in session._files:
                        if f.path == session.name_of(str(path)) and f.sha256 is None:
                            f.sha256 = file_sha256(source)
                            if source != path:  # the workbook is recorded, not its CSV copy
                                f.fmt, f.size = "xlsx", source.stat().st_size
    return session.summary
