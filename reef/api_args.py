"""The arguments a notebook passes to :class:`reef.api.Community`, checked by parameter name before any work.

The CLI and the HTTP API hand the library text, so the library's own checks (ranges, choices, dates) see what they
expect; a notebook hands it Python values of any type. Here a value of the wrong type is an
:class:`reef.errors.InvalidParameterError` naming the parameter, in the one template every surface uses, where it
would otherwise reach DuckDB or pathlib as a cast or type error: an id given as a number is the id's text (``5`` ->
``'5'``, as ``reef member 5`` reads it), a flag must be True or False (``"no"`` is not read as True), a path a text or
``pathlib.Path``, a list of ids a text, an id or a list of them.

Example:
    >>> checked_args({"member": 5, "unanswered": False, "top": 3})
    {'member': '5', 'unanswered': False, 'top': 3}
    >>> checked_args({"new": "no"})
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'new': 'no'. Expected true or false.
"""
from __future__ import annotations

import numbers
import os
from typing import Any

from reef.errors import InvalidParameterError
from reef.params import check_flag, check_positive, check_text

__all__ = ["TEXTS", "FLAGS", "ID_LISTS", "PATHS", "WHOLES", "checked_args", "check_path", "check_ids", "check_paths"]

# Parameter names of the Community methods, by the kind of value they take.
TEXTS = ("member_id", "member", "campaign", "circle", "group", "team", "topic", "reason", "query")
FLAGS = ("unanswered", "answered", "new", "ladder", "force", "unmask", "read_only")
ID_LISTS = ("seeds", "exclude")
PATHS = {"out": "folder", "out_dir": "folder", "report": "file"}
# Whole numbers the library compares before checking their type (paging): a text or a float is refused here.
WHOLES = ("page", "per_page")


def check_path(name: str, value: Any, kind: str = "file") -> Any:
    """``value`` when it is None, a text or a path-like (``pathlib.Path``); else an InvalidParameterError."""
    if value is None or isinstance(value, (str, os.PathLike)):
        return value
    raise InvalidParameterError(name, value, f"a {kind} path")


def check_ids(name: str, value: Any) -> Any:
    """Member ids as the reads take them: None, a text (one id, or several comma-separated), an id given as a whole
    number, or a list (tuple, set, numpy array, pandas Series) of ids; each id through :func:`check_text`."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return check_text(name, value)
    if isinstance(value, (dict, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidParameterError(name, value, "an id, or a list of ids")
    ids = list(value)
    if any(v is None or not isinstance(v, str) and not isinstance(v, numbers.Integral) for v in ids):
        raise InvalidParameterError(name, value if isinstance(value, (list, tuple, set)) else ids, "an id, or a list of ids")
    return [check_text(name, v) for v in ids]


def check_paths(name: str, value: Any) -> list:
    """Files to import: one path (text or path-like) or a list of them."""
    if isinstance(value, (str, os.PathLike)):
        return [value]
    if value is None or isinstance(value, (dict, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidParameterError(name, value, "a file path, or a list of file paths")
    paths = list(value)
    if not all(isinstance(p, (str, os.PathLike)) for p in paths):
        raise InvalidParameterError(name, paths, "a file path, or a list of file paths")
    return paths


def checked_args(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` with each value checked by its parameter's name (above); a whole number of any type (a notebook's
    ``numpy.int64``) becomes a Python int. Names not listed pass unchanged: the library checks them (ranges, choices,
    dates, languages)."""
    out = {}
    for name, value in kwargs.items():
        if name in TEXTS:
            value = check_text(name, value)
        elif name in FLAGS:
            value = check_flag(name, value)
        elif name in ID_LISTS:
            value = check_ids(name, value)
        elif name in PATHS:
            value = check_path(name, value, PATHS[name])
        elif name in WHOLES:
            value = check_positive(name, value)
        elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
            value = int(value)  # the SQL behind a read binds Python ints
        out[name] = value
    return out
