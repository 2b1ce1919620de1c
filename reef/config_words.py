"""A configuration value of the wrong type, said in TOML's words: operators edit a TOML file, so an error names the
kind of value TOML writes (``true or false``, ``a whole number``, ``text in quotes``, ``a list [...]``, ``a table``)
and shows the value as TOML writes it (``true``, ``[1, 2]``, ``"yes"``, ``{ a = 1 }``), never Python's type names
(``bool``, ``list``) or repr (``True``, ``['a']``). English and Simplified Chinese.

Example:
    >>> toml_kind(True), toml_kind(3, "zh"), toml_kind([1], "zh"), toml_kind({"a": 1})
    ('true or false', '整数', '列表 [...]', 'a table')
    >>> toml_value([1, "a", False]), toml_value({"a": 1.5}), toml_value("yes")
    ('[1, "a", false]', '{ a = 1.5 }', '"yes"')
    >>> wrong_type_en("ladder.alert_hours", [1, 2], 3)
    "Wrong type for 'ladder.alert_hours': expected a whole number, got [1, 2] (a list [...])."
    >>> print(wrong_type_zh("simulate.planted", "yes", True))
    'simulate.planted' 的类型不对：应为true 或 false，实际是 "yes"（带引号的文本）。
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from reef.errors_zh import value_words

__all__ = ["toml_kind", "toml_value", "wrong_type_en", "wrong_type_zh"]

# (Python type, English, Chinese), tried in order: bool before int (a bool is an int in Python), datetime before date.
_KINDS: list[tuple[type | tuple[type, ...], str, str]] = [
    (bool, "true or false", "true 或 false"),
    (int, "a whole number", "整数"),
    (float, "a number", "数"),
    (str, "text in quotes", "带引号的文本"),
    ((list, tuple), "a list [...]", "列表 [...]"),
    (dict, "a table", "表"),
    (dt.datetime, "a date and time", "日期时间"),
    (dt.date, "a date", "日期"),
    (dt.time, "a time of day", "时刻"),
]
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_MAX_CHARS = 80  # a long value is cut (with …): the error names the key, the file holds the whole value


def toml_kind(value: Any, lang: str = "en") -> str:
    """The kind of ``value`` in TOML's words (what an operator types), in ``lang``; ``type(value).__name__`` for a
    value TOML cannot hold (an override given from Python)."""
    for kind, en, zh in _KINDS:
        if isinstance(value, kind):
            return zh if lang == "zh" else en
    return type(value).__name__


def toml_value(value: Any, *, limit: int = _MAX_CHARS) -> str:
    """``value`` as a TOML file writes it: ``true``, ``3``, ``0.5``, ``"text"``, ``[1, 2]``, ``{ a = 1 }``; cut to
    ``limit`` characters with … when longer."""
    text = _toml(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return value_words(value)  # true / false, as reef.errors_zh shows a flag
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string escapes as JSON does for what an error shows
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = [f"{k if _BARE_KEY.fullmatch(str(k)) else _toml(str(k))} = {_toml(v)}" for k, v in value.items()]
        return "{ " + ", ".join(pairs) + " }" if pairs else "{}"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return repr(value)


def _shown(name: str, value: Any) -> str:
    """``value`` in TOML, with a robot's key and a secret hidden as :func:`reef.config_rules.shown_value` hides them (a
    ``[risks.robots]`` table written for ``[[risks.robots]]``, a secret given as a number)."""
    from reef.config_rules import shown_value

    section, _, key = name.partition(".")
    if (section, key) == ("risks", "robots") and isinstance(value, dict):
        return toml_value(shown_value("risks", "robots", [value])[0])
    shown = shown_value(section, key, value)
    return shown if isinstance(shown, str) and shown is not value else toml_value(shown)


def wrong_type_en(name: str, value: Any, default: Any) -> str:
    """``Wrong type for 'name': expected KIND, got VALUE (KIND).`` — the kind expected is that of the packaged default."""
    return f"Wrong type for '{name}': expected {toml_kind(default)}, got {_shown(name, value)} ({toml_kind(value)})."


def wrong_type_zh(name: str, value: Any, default: Any) -> str:
    """The Chinese of :func:`wrong_type_en`: ``'name' 的类型不对：应为KIND，实际是 VALUE（KIND）。``"""
    return f"'{name}' 的类型不对：应为{toml_kind(default, 'zh')}，实际是 {_shown(name, value)}（{toml_kind(value, 'zh')}）。"
