"""Canonical CSV / TSV reader: one entity per file, header row names the fields.

The entity comes from ``entity``, the file name (``members.csv``, ``content-01.tsv.gz``) or an
``entity`` column (its first value; rows naming another entity are quarantined). Header
names match fields case-insensitively; other columns are kept in ``attrs``. The encoding is
detected (UTF-8, UTF-8 with BOM, GB18030/GBK); ``.tsv`` files are tab-separated, others are split on the
most frequent of comma, tab, semicolon and bar in the header, the first non-blank line (:func:`reef.ingest.delimiter.csv_delimiter`, the
rule ``reef text analyze`` uses too: blank lines before the header are skipped by both). The file is
streamed line by line through the ``csv`` module and staged in batches of
``ingest.batch_rows``. A line with bytes invalid in the detected encoding, or a record with
the wrong number of fields, is quarantined with the first physical line of the record. List
fields take a JSON array (``["a","b"]``) or ``a|b|c`` (only the array in a bar-separated file). A NUL character is kept in its cell, so
the validator quarantines the row naming the field, as for every format.

Example:
    >>> import tempfile, pathlib
    >>> from reef.store import open_store
    >>> from reef.ingest import import_paths
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "members.csv"
    >>> _ = p.write_bytes("Member_ID,joined_at,昵称\\nm1,2025-01-01 08:00,小王\\n".encode("gb18030"))
    >>> import_paths(open_store(":memory:"), [p]).imported
    1
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from reef.errors import Location, UnreadableFileError
from reef.ingest.delimiter import csv_delimiter, header_line
from reef.ingest.files import decode_line, entity_from_filename, no_entity_error, open_binary, sniff_encoding
from reef.ingest.session import ImportSession
from reef.model.schema import ENTITIES, entity_for_name

__all__ = ["stage_csv"]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # huge texts are judged by ingest.max_text_chars, not here


class _Lines:
    """Decoded lines of a file; remembers the physical numbers and text of the current record."""

    def __init__(self, session: ImportSession, fh, encoding: str, label: str):
        self.session, self.fh, self.encoding, self.label = session, fh, encoding, label
        self.numbers: list[int] = []
        self.texts: list[str] = []
        self.physical = 0
        self.entity: str | None = None
        self.bad: list[int] = []  # undecodable lines since the last record
        self.inner_bad: list[int] = []  # those inside the record just parsed

    def __iter__(self) -> Iterator[str]:
        enc = self.encoding
        for raw in self.fh:
            self.physical += 1
            text, problem = decode_line(raw, enc)
            if problem:
                # The record around it cannot be trusted either; the line itself goes to quarantine.
                self.session.quarantine(file=self.label, line=self.physical, entity=self.entity, field=None,
                                        reason=problem, raw=raw.rstrip(b"\r\n").decode(enc, "backslashreplace"))
                self.bad.append(self.physical)
                continue
            if self.physical == 1 and text.startswith("\ufeff"):
                text = text[1:]
            self.numbers.append(self.physical)
            self.texts.append(text)
            yield text

    def take(self) -> tuple[int, str]:
        """First physical line and raw text of the record just parsed; resets for the next."""
        first = self.numbers[0] if self.numbers else self.physical
        raw = "".join(self.texts).rstrip("\r\n")
        # a bad line between the record's first and last line was part of a quoted multi-line cell
        self.inner_bad = [b for b in self.bad if self.numbers and self.numbers[0] < b < self.numbers[-1]]
        self.bad.clear()
        self.numbers.clear()
        self.texts.clear()
        return first, raw


def _cr_only(path: Path) -> bool:
    with open_binary(path) as fh:
        head = fh.read(1 << 16)
    return b"\r" in head and b"\n" not in head


def stage_csv(session: ImportSession, path: Path, *, entity: str | None = None,
              encoding: str | None = None) -> None:
    """Stage every record of a CSV/TSV file (plain or .gz, any supported encoding) into ``session``."""
    label = str(path)
    encoding = sniff_encoding(path, encoding)  # the caller's, else detected
    session.add_file(label, "csv", size=path.stat().st_size, encoding=encoding)
    batch_rows = int(session.store.config.get("ingest.batch_rows"))
    with open_binary(path) as fh:
        if encoding.startswith("utf-16"):  # lines cannot be split on bytes; decode the stream as a whole
            fh = io.BytesIO(fh.read().decode(encoding, errors="replace").encode("utf-8"))
            encoding = "utf-8"
        elif _cr_only(path):  # old Mac exports end lines with a bare CR, which the line reader would not split
            fh = io.BytesIO(fh.read().replace(b"\r", b"\n"))
        lines = _Lines(session, fh, encoding, label)
        it = iter(lines)
        _, first = header_line(it)  # blank lines (empty or whitespace) before the header, as `reef text analyze` skips
        if first is None:
            if lines.physical == 0:
                raise UnreadableFileError("The file is empty.", where=Location(file=label))
            raise UnreadableFileError("No readable header line.", where=Location(file=label))
        delim = csv_delimiter(first, path.name)  # .tsv, else the header's (first non-blank line's) most frequent of , tab ; |
        header = _header(first, delim, Location(file=session.name_of(label), line=lines.numbers[-1]))
        lines.take()
        fixed = entity or entity_from_filename(path)
        if fixed is None and "entity" not in (h.strip().lower() for h in header):
            raise no_entity_error(session.name_of(label))
        if fixed is not None:  # Chinese headers, and no id column at all, are settled before any row is read
            session.map_columns(fixed, [h for h in header if h.strip().lower() != "entity"], file=label)
        # strict: a quote left open at the end of the file is an error, not a field that swallows the rest.
        reader = csv.reader(it, delimiter=delim, strict=True)
        _stage_records(session, reader, lines, header, label, fixed, batch_rows)


def _header(line: str, delim: str, where: Location) -> list[str]:
    """The column names of the header ``line``, or :class:`UnreadableFileError`: a damaged header (a NUL, a bare line
    break inside it) would misname every column, so the file is refused, not its rows quarantined one by one."""
    if "\x00" in line:
        raise UnreadableFileError(
            "NUL character (\\x00) in the header line: the export is damaged or binary.", where=where,
            hint="Remove the NUL bytes (tr -d '\\000' < file > fixed) and import again.",
            message_zh="表头行含 NUL 字符（\\x00）：导出文件已损坏或不是文本。", hint_zh="请删除 NUL 字节后重新导入。")
    try:
        return next(csv.reader([line], delimiter=delim))
    except csv.Error:  # on one line, with NUL ruled out: a bare CR inside it ("new-line character seen in unquoted field")
        raise UnreadableFileError(
            "The header line is not valid CSV: it holds a bare line break (CR), so its column names cannot be read.",
            where=where, hint="Remove the line break from the header row and import again.",
            message_zh="表头行不是有效的 CSV：其中有单独的换行符（CR），无法读出列名。",
            hint_zh="请删除表头行中的换行符后重新导入。") from None


def _stage_records(session, reader, lines: _Lines, header: list[str], label: str, fixed: str | None, batch_rows: int) -> None:
    names = [h.strip().lower() for h in header]
    width = len(names)
    ent_idx = names.index("entity") if "entity" in names else None
    target = ENTITIES[fixed] if fixed else None
    lines.entity = fixed
    columns: list[list] = [[] for _ in names]
    numbers: list[int] = []

    def flush() -> None:
        if numbers:
            _flush(session, target, header, names, columns, numbers, label)
            for c in columns:
                c.clear()
            numbers.clear()

    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line, raw = lines.take()
            session.quarantine(file=label, line=line, entity=lines.entity, field=None,
                               reason=f"malformed CSV record ({exc}){_span(line, lines.physical)}"
                               + ("; an unclosed quote runs to the end of the file" if "end of data" in str(exc) else ""), raw=raw)
            continue
        line, raw = lines.take()
        if lines.inner_bad:  # the cell lost a line: storing the rest would change the member's text silently
            session.quarantine(file=label, line=line, entity=lines.entity, field=None, raw=raw,
                               reason=f"line {lines.inner_bad[0]} inside this record could not be decoded (quarantined on its "
                                      f"own), so the record is incomplete{_span(line, lines.physical)}; re-save the file as UTF-8")
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            span = _span(line, lines.physical)
            session.quarantine(file=label, line=line, entity=lines.entity, field=None,
                               reason=f"wrong number of fields: expected {width}, found {len(row)}{span}", raw=raw)
            continue
        if ent_idx is not None:
            value = row[ent_idx].strip().lower()
            if target is None:
                target = entity_for_name(value) if value else None
                lines.entity = target.name if target else None
            if target is None or (value and entity_for_name(value) is not target):
                reason = (f"unknown entity '{value}'" if value and entity_for_name(value) is None else
                          f"row names entity '{value}' but this file holds {target.name}; one entity per CSV file"
                          if target and value else "no entity: name the file after one (members, content ...) or fill the 'entity' column")
                session.quarantine(file=label, line=line, entity=lines.entity, field="entity", reason=reason, raw=raw)
                continue
        elif target is None:
            session.quarantine(file=label, line=line, entity=None, field="entity", raw=raw,
                               reason="no entity: name the file after one (members, content, interactions ...), add an 'entity' column, or pass --entity")
            continue
        for col, value in zip(columns, row):
            col.append(value)
        numbers.append(line)
        if len(numbers) >= batch_rows:
            flush()
    flush()


def _span(first: int, last: int) -> str:
    return f"; it spans lines {first}-{last}, check for an unclosed quote" if last > first else ""


def _flush(session, entity, header: list[str], names: list[str], columns: list[list], numbers: list[int], label: str) -> None:
    # a Chinese header (用户ID) is read as the field it stands for (member_id): reef.ingest.aliases
    mapping = session.map_columns(entity.name, [h for h, n in zip(header, names) if n != "entity"], file=label)
    names = [mapping.get(h.strip(), n) for h, n in zip(header, names)]
    arrays: dict[str, pa.Array] = {}
    seen: set[str] = set()
    for i, (name, values) in enumerate(zip(names, columns)):
        if name == "entity":
            continue
        key = name if name and name not in seen else f"{name or 'column'}_{i + 1}"  # a column without a header keeps its values
        seen.add(key)
        arr = pa.array(values, pa.string())
        if key not in entity.columns:
            arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)  # empty cells add nothing to attrs
        arrays[key] = arr
    session.note_columns(entity.name, [n for n in names if n != "entity"], file=label)
    arrays["_line"] = pa.array(numbers, pa.int64())
    session.stage_arrow(entity.name, pa.table(arrays), file=label)
