"""The as-of coverage warning on the command line: every command that runs or reads analyses at ``--as-of``
prints it on stderr when the data does not cover that moment (:func:`reef.store.coverage.coverage_warning`).

A command whose JSON is an object carries it under ``warning`` (null when the data covers as_of), as
``reef risks`` always did; a command whose JSON is a list keeps that shape and prints the warning on stderr
with ``--json`` too, so stdout stays one JSON document.

Example:
    >>> emit_noted({"rows": 1}, True, print, "注意：……")
    {
      "rows": 1,
      "warning": "注意：……"
    }
    >>> merged_warning({"warning": "No interactions yet."}, "注意：……")
    'No interactions yet.\\n注意：……'
"""
from __future__ import annotations

from typing import Any, Callable

from reef.cli._common import emit, err
from reef.reads import merged_warning  # the library's: Community methods merge warnings the same way

__all__ = ["warn", "emit_noted", "merged_warning", "as_of_note"]


def warn(text: str) -> None:
    """One warning on stderr, in the style every command uses; the coverage advice names ``--as-of``."""
    from reef.store.coverage import cli_wording

    err.print(cli_wording(text), style="bold yellow")


def as_of_note(store, as_of, lang: str) -> str | None:
    """The coverage warning for ``as_of`` (a resolved moment) in ``lang``, naming ``--as-of``, or None."""
    from reef.store.coverage import cli_wording, coverage_warning

    return cli_wording(coverage_warning(store, as_of, store.config, lang))


def emit_noted(data: Any, as_json: bool, render: Callable[[Any], None], note: str | None = None) -> None:
    """:func:`reef.cli._common.emit` with the coverage warning ``note``: added to an object's ``warning`` (printed
    on stderr after the tables), or printed on stderr for a list, with or without ``--json``."""
    if isinstance(data, dict):
        note = merged_warning(data, note)
        data = {**data, "warning": note}
    emit(data, as_json, render)
    if note and not (as_json and isinstance(data, dict)):
        warn(note)
