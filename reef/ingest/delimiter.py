"""The field separator of a delimited text file, judged on its header line: one rule for every CSV reader.

``reef import`` (:mod:`reef.ingest.csv`) and ``reef text analyze`` (:mod:`reef.text.record_lines`) both call
:func:`csv_delimiter`, so a file one of them splits into columns the other splits the same way. A ``.tsv`` (or
``.tsv.gz``) file is tab-separated; otherwise the separator is the most frequent of comma, tab, semicolon and bar
in the header, outside quoted names (``"价格,元";id`` is split on ``;``); a tie goes to the first of that order and
a header with none of them (one column) is comma-separated. Exports from Chinese BI tools and European Excel use
``;`` or ``|``. Both readers find the header with :func:`header_line`: blank lines before it, empty or only spaces
and tabs, are skipped (and still counted in line numbers).

Example:
    >>> csv_delimiter("id;text;created_at")
    ';'
    >>> csv_delimiter("用户ID|昵称|注册时间")
    '|'
    >>> csv_delimiter("id,text", "export.tsv")
    '\\t'
    >>> csv_delimiter("text")
    ','
    >>> header_line(["", " \\t \\n", "id;text\\n", "1;好车\\n"])
    (2, 'id;text\\n')
"""
from __future__ import annotations

import re

from typing import Iterable

__all__ = ["csv_delimiter", "header_line", "DELIMITERS"]

DELIMITERS = (",", "\t", ";", "|")  # in order of preference when the header has as many of two
_QUOTED = re.compile(r'"[^"]*"')  # a quoted header name may hold a separator of its own


def csv_delimiter(header: str, name: str = "") -> str:
    """The separator of a file whose first (non-blank) line is ``header``; ``name`` is the file's name (a
    ``.tsv`` / ``.tsv.gz`` name means tab whatever the header holds)."""
    if name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    bare = _QUOTED.sub("", header)
    counts = [bare.count(d) for d in DELIMITERS]
    best = max(counts)
    return DELIMITERS[counts.index(best)] if best else ","


def header_line(lines: Iterable[str]) -> tuple[int, str | None]:
    """``(blank lines skipped, the header line)``: the first line of ``lines`` holding more than whitespace (None when
    there is none). An iterator is consumed up to and including the header, so its next line is the first row."""
    skipped = 0
    for line in lines:
        if line.strip():
            return skipped, line
        skipped += 1
    return skipped, None
