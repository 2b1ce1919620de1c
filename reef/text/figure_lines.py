"""A group of figures in words, for every surface that shows the text layer's evaluation: ``reef text eval`` (in
--lang, :mod:`reef.cli._figures`) and the generated docs/text-quality.md (:func:`reef.text.evaluate.render_quality`).
A figure that is itself a group of figures (an intent reader's ``micro`` precision, recall, F1 and counts; a source's
or a part's; the labellers' agreement) is one line of named figures, never Python's dict syntax. Library code: it
imports nothing of the CLI; each surface names the figures its own way (``name``, ``value``, ``sep``).

Example:
    >>> figures_line({"precision": 0.5, "recall": 0.25, "gold": 8})
    'precision 0.5, recall 0.25, gold 8'
    >>> figures_line({"precision": 0.5, "kappa": {"question": 0.9}}, name=str.upper, sep="，")
    'PRECISION 0.5'
    >>> claims_line([("price", 9.8, "万元"), ("range", 520.0, "km")]), claims_line([])
    ('price 9.8 万元; range 520 km', '—')
    >>> same_keys_runs([("texts", 3), ("a", {"f1": 1}), ("b", {"f1": 0}), ("c", {"gold": 2})])
    [[('texts', 3)], [('a', {'f1': 1}), ('b', {'f1': 0})], [('c', {'gold': 2})]]
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

__all__ = ["is_scalar", "is_group", "figures_line", "same_keys_runs", "claims_line"]


def is_scalar(value: Any) -> bool:
    """A figure that is one value (a number, a text, None), not a group or a list."""
    return not isinstance(value, (dict, list, tuple))


def is_group(value: Any) -> bool:
    """A group of scalar figures only (``micro``, ``source_ccf``): one line, or a row of a table beside its peers."""
    return isinstance(value, dict) and bool(value) and all(is_scalar(v) for v in value.values())


def figures_line(figures: dict[str, Any], *, name: Callable[[str], str] = str, value: Callable[[Any], str] = str,
                 sep: str = ", ") -> str:
    """The scalar figures of ``figures`` on one line, each as ``name(key) value(figure)``, joined by ``sep``; a nested
    group (``kappa`` per intent) is left to its own table."""
    return sep.join(f"{name(k)} {value(v)}" for k, v in figures.items() if is_scalar(v))


def same_keys_runs(items: Iterable[tuple[str, Any]]) -> list[list[tuple[str, Any]]]:
    """``items`` cut into runs: consecutive groups of figures with the same keys (``source_ccf``, ``source_weibo``,
    ``part_dev`` ... read as one table, a group a row) form one run; every other figure is a run of its own."""
    runs: list[list[tuple[str, Any]]] = []
    for key, value in items:
        last = runs[-1][-1][1] if runs else None
        if is_group(value) and is_group(last) and list(last) == list(value):
            runs[-1].append((key, value))
        else:
            runs.append([(key, value)])
    return runs


def claims_line(claims: Iterable[tuple[str, Any, str]], *, empty: str = "—") -> str:
    """Spec claims ``(attribute, value, unit)`` as words: ``price 9.8 万元; range 520 km`` (a whole value without its
    ``.0``), ``empty`` when there are none; never Python's list-of-tuples syntax."""
    return "; ".join(" ".join(p for p in (str(a), _number(v), str(u or "")) if p) for a, v, u in claims) or empty


def _number(value: Any) -> str:
    """``200.0`` as ``200``, ``9.8`` as ``9.8``; anything not a number as written."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
