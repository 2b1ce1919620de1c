"""Exports that cannot half-fail: a sheet order that fits the stored table, and output written aside and renamed.

- :func:`sheet_order`: a sheet's ORDER BY names result columns; a table written by an older Reef (or an empty result
  written without every column) may lack one, which would fail the whole export. The terms that do not bind are
  dropped (the rows are still exported, in a less useful order).
- :func:`staged`: the workbook, zip or folder is written under a hidden name in the destination's folder and renamed
  into place only when complete; on failure nothing new is left (not the partial file, nor a folder it created).
  Into an existing folder, the new files replace their namesakes one by one and other files stay.

Example:
    >>> split_order("coalesce(rank, 1e9), value DESC NULLS LAST")
    ['coalesce(rank, 1e9)', 'value DESC NULLS LAST']
"""
from __future__ import annotations

import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["sheet_order", "split_order", "staged"]


def split_order(order: str) -> list[str]:
    """The terms of an ORDER BY list (commas inside parentheses or quotes do not split)."""
    terms, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(order):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            terms.append(order[start:i].strip())
            start = i + 1
    terms.append(order[start:].strip())
    return [t for t in terms if t]


def _binds(store, relation: str, order: str) -> bool:
    import duckdb

    try:
        store.fetch_all(f'SELECT * FROM {relation} ORDER BY {order} LIMIT 0')
        return True
    except duckdb.Error:
        return False


def sheet_order(store, table: str, order: str, relation: str | None = None) -> str:
    """``order`` when the table has its columns, else its terms that bind ("1" when none does). ``relation`` is what
    the sheet reads when it is not the table itself (a FROM item: a reader's query in parentheses)."""
    relation = relation or f'"{table}"'
    if _binds(store, relation, order):
        return order
    return ", ".join(t for t in split_order(order) if _binds(store, relation, t)) or "1"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def staged(out: Path, folder: bool) -> Iterator[Path]:
    """Yield a hidden path beside ``out`` (a folder when ``folder``) to write the export to; rename it to ``out`` when
    the block succeeds, remove it (and the folders made for it) when it fails."""
    if folder and out.exists() and not out.is_dir():
        raise FileExistsError(17, "A file is in the way of the export folder", str(out))
    if not folder and out.is_dir():
        raise IsADirectoryError(21, "A folder is in the way of the export file", str(out))
    made = []  # folders created for the export, removed again if it fails
    parent = out.parent
    while not parent.exists():
        made.append(parent)
        parent = parent.parent
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.stem}.{secrets.token_hex(4)}.partial{out.suffix}"
    if folder:
        tmp.mkdir()
    try:
        yield tmp
        if not folder or not out.exists():
            os.replace(tmp, out)
        else:  # into an existing folder: replace the exported files only, keep the rest
            for item in sorted(tmp.iterdir()):
                os.replace(item, out / item.name)
            tmp.rmdir()
    except BaseException:
        _remove(tmp)
        for folder_made in made:  # innermost first
            try:
                folder_made.rmdir()
            except OSError:
                break
        raise
