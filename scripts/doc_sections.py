"""Write one named section of a generated docs page, leaving the other sections as they are.

Several validation scripts share one page (docs/layers-validation.md): each owns the block between
``<!-- BEGIN name -->`` and ``<!-- END name -->`` and rewrites only that block, so a script can be
re-run on its own.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "page.md"
    >>> replace_section(p, "groups", "AMI 0.9", title="# Page")
    >>> replace_section(p, "team", "100% covered")
    >>> replace_section(p, "groups", "AMI 0.8")
    >>> print(p.read_text())
    # Page
    <BLANKLINE>
    <!-- BEGIN groups -->
    AMI 0.8
    <!-- END groups -->
    <BLANKLINE>
    <!-- BEGIN team -->
    100% covered
    <!-- END team -->
    <BLANKLINE>
"""
from __future__ import annotations

import re
from pathlib import Path

__all__ = ["replace_section"]


def replace_section(path: str | Path, name: str, markdown: str, *, title: str | None = None) -> None:
    """Replace (or append) the block called ``name`` in ``path`` with ``markdown``."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else (title or f"# {path.stem}") + "\n\n"
    block = f"<!-- BEGIN {name} -->\n{markdown.strip()}\n<!-- END {name} -->\n"
    pattern = re.compile(rf"<!-- BEGIN {re.escape(name)} -->\n.*?<!-- END {re.escape(name)} -->\n", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")
