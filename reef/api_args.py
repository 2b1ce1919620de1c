"""The arguments a notebook passes to :class:`reef.api.Community`, checked by parameter name before any work.

The CLI and the HTTP API hand the library text, so the library's own checks (ranges, choices, dates) see what they
expect; a notebook hands it Python values of any type. Here a value of the wrong type is an
:class:`reef.errors.InvalidParameterError` naming the parameter, in the one template every surface uses, where it
would otherwise reach DuckDB or pathlib as a cast or type error: an id given as a number is the id's text (``5`` ->
``'5'``, as ``reef member 5`` reads it), a flag must be True or False (``"no"`` is not read as True), a path a text or
``pathlib.Path``, a list of ids a text, an id or a list of them. A keyword argument a method does not take is an
:class:`reef.errors.UnknownParameterError` (also a TypeError) naming the method, the accepted ones and the closest
(:func:`keywords_checked`, on every public method of ``Community`` and on ``reef.open``).

Example:
    >>> checked_args({"member": 5, "unanswered": False, "top": 3})
    {'member': '5', 'unanswered': False, 'top': 3}
    >>> checked_args({"new": "no"})
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'new': 'no'. Expected true or false.
    >>> keywords_checked(lambda self, stage=None, top=20: top)(None, stag=4)
    Traceback (most recent call last):
    ...
    reef.errors.UnknownParameterError: <lambda>() takes no parameter 'stag'. Accepted: stage, top. Did you mean 'stage'?
"""
from __future__ import annotations

import functools
import inspect
import numbers
import os
from typing import Any

from reef.errors import InvalidParameterError, UnknownParameterError
from reef.params import check_flag, check_positive, check_text

__all__ = ["TEXTS", "FLAGS", "ID_LISTS", "PATHS", "WHOLES", "checked_args", "check_path", "check_ids", "check_paths",
           "keywords_checked", "methods_checked"]

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


def keywords_checked(fn):
    """``fn`` refusing a keyword argument it does not take with an :class:`reef.errors.UnknownParameterError` (naming
    ``fn``, the argument, the accepted ones and the closest) before it runs; Python's own TypeError said only the
    name. A function taking ``**kwargs`` is returned as it is. The signature and docstring stay ``fn``'s (``help``)."""
    params = inspect.signature(fn).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return fn
    keywords = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    accepted = tuple(n for i, (n, p) in enumerate(params.items()) if p.kind in keywords and not (i == 0 and n == "self"))

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        for name in kwargs:
            if name not in accepted:
                raise UnknownParameterError(fn.__name__, name, accepted, kwargs[name])
        return fn(*args, **kwargs)

    return checked


def methods_checked(cls):
    """``cls`` (a class decorator) with every public method, its mixins' too, under :func:`keywords_checked`: one
    place for all of ``Community``'s methods, so a new method is checked without a word of its own."""
    for name in dir(cls):
        member = inspect.getattr_static(cls, name)
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(cls, name, keywords_checked(member))
    return cls
