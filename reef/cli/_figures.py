"""``reef text eval``'s figures as an operator reads them: one table per held-out set, where a figure that is itself a
group of figures (an intent reader's ``micro`` precision, recall, F1 and counts; a source's or a part's; the two
labellers' agreement) is one readable line of named figures, and a figure per intent (``per_intent``, Cohen's kappa
per intent) is a table of its own, one intent a row, the intents named as the reports name them. Python's dict
syntax never reaches the terminal; ``--json`` keeps the nested shape as the library returns it.

Example:
    >>> from reef.cli._labels import labels
    >>> group_line({"precision": 0.5, "recall": 0.25, "gold": 8}, "zh", labels(prefix="eval."))
    '精确率 0.5，召回率 0.25，标注数 8'
    >>> group_line({"precision": 0.5, "recall": 0.25, "gold": 8}, "en", labels(prefix="eval."))
    'Precision 0.5, Recall 0.25, Gold 8'
"""
from __future__ import annotations

from typing import Any

from reef.cli._common import cell, heading, kv_table, rows_table
from reef.text.figure_lines import figures_line
from reef.text.figure_lines import is_scalar as _scalar

__all__ = ["group_line", "row_name", "figure_tables"]


def group_line(figures: dict[str, Any], lang: str, names: dict[str, tuple[str, str]]) -> str:
    """A group of scalar figures on one line: ``精确率 0.5，召回率 0.25`` / ``Precision 0.5, Recall 0.25`` (the library's
    :func:`reef.text.figure_lines.figures_line`, which docs/text-quality.md uses too, with the CLI's names in --lang)."""
    return figures_line(figures, name=lambda k: heading(k, lang, names), value=lambda v: cell(v, lang),
                        sep="，" if lang == "zh" else ", ")


def row_name(key: str, lang: str) -> str:
    """A row of a per-intent table: the intent as the reports name it (提问 / question), else the key as it is.

    >>> row_name("question", "zh"), row_name("personal_attack", "en"), row_name("other", "zh")
    ('提问', 'personal attack', 'other')
    """
    from reef.text.report import INTENT_NAMES

    pair = INTENT_NAMES.get(key)
    return pair[1 if lang == "en" else 0] if pair else key


def figure_tables(section: str, figures: dict[str, Any], lang: str, names: dict[str, tuple[str, str]]) -> None:
    """Print one held-out set: its figures in a two-column table, a group of figures as a line, and after it one
    table per figure given per intent (a dict of dicts, or the scalar dict inside a group such as ``kappa``)."""
    rows: list[tuple[str, Any]] = []
    tables: list[tuple[str, dict[str, Any]]] = []  # (title key path, {row: figures or value})
    for key, value in figures.items():
        if _scalar(value) or isinstance(value, (list, tuple)):
            rows.append((key, value))
        elif value and all(isinstance(v, dict) for v in value.values()):
            tables.append((heading(key, lang, names), value))
        else:
            rows.append((key, group_line(value, lang, names)))
            for sub, inner in value.items():
                if isinstance(inner, dict):
                    tables.append((f"{heading(key, lang, names)} · {heading(sub, lang, names)}", inner))
    kv_table(section, rows, lang=lang, labels=names)
    intent = names.get("intent", ("意图", "Intent"))[1 if lang == "en" else 0]
    for title, table in tables:
        first = next(iter(table.values()))
        columns = list(first) if isinstance(first, dict) else ["value"]
        shown = [{intent: row_name(k, lang), **(v if isinstance(v, dict) else {"value": v})} for k, v in table.items()]
        rows_table(f"{section} · {title}", shown, [intent, *columns], lang=lang,
                   labels={**names, intent: (intent, intent), "value": names.get("value", ("值", "Value"))})
