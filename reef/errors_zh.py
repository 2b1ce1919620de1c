"""The Chinese words of the library's errors that are built from parts: an invalid value (``name``, ``value``, what was
expected), a configuration key, a location. :class:`reef.errors.InvalidParameterError` and the configuration's
:class:`reef.errors.ConfigError` take their ``message_zh`` from here, so ``ReefError.text("zh")`` (the CLI's error line
in Chinese, the default) says them in Chinese and ``--lang en`` keeps the English; the JSON shape stays English.

What a value should be (``expected``) is written in English by each raiser; :func:`expected_zh` says the common forms
in Chinese (``one of a, b``, ``a whole number from 1 to 50``, ``at most 200 characters`` ...) and keeps anything else
as written, inside the Chinese sentence: a raiser's rare wording is never hidden.

Example:
    >>> invalid_value_zh("general.language", "fr", "one of zh, en")
    "'general.language' 的值无效：'fr'。应为以下之一：zh、en。"
    >>> expected_zh("a whole number from 1 to 50"), expected_zh("at most 200 characters")
    ('1 到 50 之间的整数', '最多 200 个字符')
    >>> expected_zh("something rare")
    'something rare'
    >>> join_words(["a", "b"], "zh"), join_words(("a", "b"), "en", quote=True), join_words([], "en")
    ('a、b', "'a', 'b'", 'none')
    >>> value_words(["x.csv", "y.csv"], "zh"), value_words({"x"}, "en"), value_words(True, "en")
    ("'x.csv'、'y.csv'", "'x'", 'true')
"""
from __future__ import annotations

import re
from typing import Any, Callable

__all__ = ["expected_zh", "invalid_value_zh", "unknown_keyword_zh", "location_zh", "join_sentences", "one_line", "is_blank", "join_words",
           "value_words", "is_empty_list"]

# Full-width punctuation that ends a Chinese sentence or clause: the next words follow it with no space (Chinese writes
# none there), where English puts one after its full stop or colon.
_CLOSES = "。：；！？，、）」』”"
_BREAK = re.compile(rf"(?P<close>[{_CLOSES}])?[ \t]*[\r\n]\s*")


def join_sentences(*parts: str | None) -> str:
    """The parts of an error line (message, hint) as one text: a space between English sentences, none after a
    Chinese full stop, colon or other full-width mark.

    >>> join_sentences("活动ID“x”不存在。", "已有的活动ID：a。"), join_sentences("No campaign 'x'.", "Known: a.")
    ('活动ID“x”不存在。已有的活动ID：a。', "No campaign 'x'. Known: a.")
    >>> join_sentences("有误。", None, "Fix it.")
    '有误。Fix it.'
    """
    text = ""
    for part in parts:
        if part:
            text = part if not text else text + ("" if text.endswith(tuple(_CLOSES)) else " ") + part
    return text


def join_words(items: Any, lang: str = "en", *, quote: bool = False, empty: str | None = None) -> str:
    """A list (tuple, set, dict's keys) as words for an operator: ``a, b`` in English, ``a、b`` in Chinese, each item
    as :func:`value_words` shows it when ``quote`` (``'a', 'b'``); a set in sorted order; ``empty`` (default ``none`` /
    ``无``) when there is nothing. Never Python's ``['a', 'b']``."""
    items = sorted(items, key=str) if isinstance(items, (set, frozenset)) else list(items)
    if not items:
        return empty if empty is not None else ("无" if lang == "zh" else "none")
    words = [value_words(i, lang) if quote else _word(i) for i in items]
    return ("、" if lang == "zh" else ", ").join(words)


def value_words(value: Any, lang: str = "en") -> str:
    """A value given by a user, as an error shows it: a text or number as Python quotes it (``'fr'``, ``0``), a
    true/false as ``true``/``false`` (as TOML, JSON and the CLI write it), a list or set as its items joined
    (:func:`join_words`), a dict as ``key: value`` pairs, a moment as ISO 8601 (the Python API takes datetimes: the
    weekly risk report's refusal showed ``datetime.datetime(2026, 7, 29, …, tzinfo=<DstTzInfo 'Asia/Shanghai' …>)``);
    an empty list as ``none``/``无``."""
    from datetime import date

    if isinstance(value, date):  # a datetime (and a pandas Timestamp) is a date too
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        sep = "：" if lang == "zh" else ": "
        return join_words([f"{k}{sep}{value_words(v, lang)}" for k, v in value.items()], lang)
    if isinstance(value, (list, tuple, set, frozenset)):
        return join_words(value, lang, quote=True)
    return repr(value)


def is_empty_list(value: Any) -> bool:
    """Whether ``value`` is an empty list, tuple, set or dict: an error says none was given rather than show ``[]``."""
    return isinstance(value, (list, tuple, set, frozenset, dict)) and not value


def _word(item: Any) -> str:
    return ("true" if item else "false") if isinstance(item, bool) else str(item)


def one_line(text: str) -> str:
    """``text`` on one line, as the CLI's error line prints it: a line break (with the white space around it) becomes
    one space, none after full-width Chinese punctuation; spaces within a line are kept, so a quoted value reads as
    given (``'a  b'``).

    >>> one_line("第一行。\\n第二行：\\n  a\\n  b 'x  y'")
    "第一行。第二行：a b 'x  y'"
    """
    return _BREAK.sub(lambda m: m["close"] or " ", text.strip())


def _list(text: str) -> str:
    return "、".join(p.strip() for p in text.split(",") if p.strip())


_WHOLE = r"(?:a whole number|an integer|a positive integer)"
# (pattern, Chinese) tried in order on the whole ``expected`` text; the first that matches wins.
_FORMS: list[tuple[str, Callable[[re.Match], str] | str]] = [
    (r"one of (.*) \(prefix - for descending\)", lambda m: f"以下之一：{_list(m.group(1))}（前加 - 表示降序）"),
    (r"no value: this list is not sortable", "空：此列表不能排序"),
    (r"one of (.*)", lambda m: f"以下之一：{_list(m.group(1))}"),
    (r"a positive integer", "正整数"),
    (rf"{_WHOLE} (?:from|between) (-?\d+) (?:to|and) (-?\d+)", r"\1 到 \2 之间的整数"),
    (rf"{_WHOLE} (?:of )?(?:at least|>=) (-?\d+)(?: \((.+)\))?",
     lambda m: f"不小于 {m.group(1)} 的整数" + (f"（{_PARENS.get(m.group(2), m.group(2))}）" if m.group(2) else "")),
    (rf"{_WHOLE}", "整数"),
    (r"a number", "数"),
    (r"a date like (\S+) or a datetime like (\S+)", r"\1 这样的日期或 \2 这样的日期时间"),  # reef.store.asof
    (r"a date like (\S+)", r"日期，如 \1"),
    (r"a number (?:from|between) (-?[\d.]+) (?:to|and) (-?[\d.]+)", r"\1 到 \2 之间的数"),
    (r"a number (?:of )?(?:at least|>=) (-?[\d.]+)", r"不小于 \1 的数"),
    (r"at most (\d+) characters(?: \((.+)\))?", lambda m: f"最多 {m.group(1)} 个字符" + (f"（{m.group(2)}）" if m.group(2) else "")),
    (r"at least (\d+) characters", r"至少 \1 个字符"),
    (r"true or false", "true 或 false"),
    (r"an IANA time zone name such as (\S+)", r"IANA 时区名称，如 \1"),
    (r"a size like (\S+) or (\S+)", r"\1 或 \2 这样的大小"),
    (r"letters, digits, '-', '_' or '\.'", "字母、数字、'-'、'_' 或 '.'"),
    (r"kinds among: (.+) \(unknown: (.+)\)", lambda m: f"以下类型中的值：{_list(m.group(1))}（无法识别：{_list(m.group(2))}）"),
    (r"a name not taken yet", "尚未被使用的名称"),
    (r"at least one file", "至少一个文件"),  # reef.server.tasks: an upload of no file
    (r"names of registered analyses", "已注册的分析名称"),  # reef.server.tasks: analyze with unknown names in only
    (r"a value \(it is required\)", "一个值（必填）"),  # reef.server.errors: a required parameter left out
    (r"seed members and a start", "种子成员和开始时间"),
    (r"an import id or all imports \(not both\)", "一个导入ID或全部导入（不能同时给）"),
    (r"an http:// or https:// robot URL with a host and no spaces(, or \"\" \(no delivery\))?",
     lambda m: "带主机名、不含空格的 http:// 或 https:// 机器人网址" + ("，或 \"\"（不发送）" if m.group(1) else "")),
    (r"an http:// or https:// robot URL with a host", "带主机名的 http:// 或 https:// 机器人网址"),
    (r'origins such as "(\S+)" \(scheme and host, an optional port, no path or trailing /\), or "\*" for any \(not: (.+)\)',
     lambda m: f'来源（origin），如 "{m.group(1)}"（协议和主机名，可带端口，不带路径和结尾的 /），或 "*" 表示任意来源（无效：{m.group(2)}）'),
    (r"a non-blank question such as (.+)", r"非空白的问题，如 \1"),
    (r"text, such as an id or a name", "文本，如 ID 或名称"),  # reef.params.check_text
    (r"a text", "文本"),  # reef.text.pii.mask_pii
    (r"an id, or a list of ids", "一个 ID 或 ID 列表"),  # reef.api_args: seeds, exclude
    (r"a (file|folder) path", lambda m: "文件路径" if m.group(1) == "file" else "文件夹路径"),  # reef.api_args
    (r"a file path, or a list of file paths", "文件路径或文件路径列表"),  # Community.import_files
    (r"a TOML file path or a dict", "TOML 文件路径或字典"),  # Community.team's brief
    (r"a file path, a dict of overrides or a Config", "文件路径、覆盖项字典或 Config"),  # reef.open's config
    (r"a non-negative integer", "非负整数"),  # a random seed
    (r"the name of a table \(tables\(\) lists them\)", "表名（tables() 列出全部表）"),  # Community.table
    (r"SQL text \(tables\(\) lists the tables\)", "SQL 文本（tables() 列出全部表）"),  # Community.sql
    (r"a dict of \$name values, or a list of \? values", "$name 取值的字典，或 ? 取值的列表"),  # Community.sql
    (r"the name of a set, non-empty environment variable", "已设置且非空的环境变量名"),
    (r"([\w.-]+) or ([\w.-]+)", r"\1 或 \2"),  # zh or en, html or md, medium or high
]
_PARENS = {"0 lets DuckDB decide": "0 表示由 DuckDB 决定"}
_COMPILED = [(re.compile(p, re.S), zh) for p, zh in _FORMS]


def expected_zh(expected: str) -> str:
    """What a value should be, in Chinese where the form is a common one; else as the raiser wrote it."""
    text = str(expected).strip()
    for rx, zh in _COMPILED:
        m = rx.fullmatch(text)
        if m:
            return zh(m) if callable(zh) else m.expand(zh)
    return text


def invalid_value_zh(name: str, value: Any, expected: str) -> str:
    """``'name' 的值无效：value。应为 expected。`` — the Chinese of ``Invalid value for 'name': value. Expected ….``
    A blank text is said to be blank, not quoted (``'   '`` reads as a stray quote pair in a Chinese line); a value
    not given (None) is said to be missing, as :func:`reef.errors.invalid_value_en` says it, not shown as ``None``.

    >>> invalid_value_zh("query", "   ", "a non-blank question such as 冬天续航掉多少")
    "'query' 的值为空白（只有空白字符）。应为非空白的问题，如 冬天续航掉多少。"
    >>> invalid_value_zh("import_id", None, "an import id or all imports (not both)")
    "缺少 'import_id' 的值。应为一个导入ID或全部导入（不能同时给）。"
    """
    if value is None:
        return f"缺少 '{name}' 的值。应为{expected_zh(expected)}。"
    if is_empty_list(value):
        return f"'{name}' 未给出任何值。应为{expected_zh(expected)}。"
    if is_blank(value):
        return f"'{name}' 的值为{'空白（只有空白字符）' if value else '空'}。应为{expected_zh(expected)}。"
    return f"'{name}' 的值无效：{value_words(value, 'zh')}。应为{expected_zh(expected)}。"


def unknown_keyword_zh(method: str, name: str, accepted) -> str:
    """``method() 没有参数 'name'。可用的参数：a、b。`` — the Chinese of :func:`reef.errors.unknown_keyword_en`.

    >>> unknown_keyword_zh("member", "id", ("member_id", "as_of"))
    "member() 没有参数 'id'。可用的参数：member_id、as_of。"
    """
    return f"{method}() 没有参数 '{name}'。可用的参数：{join_words(accepted, 'zh')}。"


def is_blank(value: Any) -> bool:
    """Whether ``value`` is a text of white space only (or empty), which a Chinese error describes rather than quotes."""
    return isinstance(value, str) and not value.strip()


def location_zh(where) -> str:
    """A :class:`reef.errors.Location` in Chinese: ``file:line，字段 field`` ('' when it names nothing).

    >>> from reef.errors import Location
    >>> location_zh(Location(file="bad.toml", field="general.language"))
    'bad.toml，字段 general.language'
    """
    return "" if where is None else where.text("zh")
