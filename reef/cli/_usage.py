"""Parser (usage) errors in the operator's language: the one place where click's English usage errors get their words.

A missing argument or option, an unknown option (with the options click suggests), an invalid value (with the
allowed choices or the bound it breaks), an option without its value, an unknown or missing command: click raises a
``UsageError`` while it parses, before any command runs, so :func:`reef.cli._errors.handled` never sees it. The
``reef`` app is built with :class:`ReefGroup`, which catches such an error where click raises it (parsing the
top-level options, or resolving and invoking a command) and gives it a :func:`show` in the language of the command
line: ``--lang`` when it is zh or en, else ``general.language`` of the configuration (``--config``, ``REEF_CONFIG``, a
reef.toml beside ``--db``), else Chinese, as every other error line (``错误：`` / ``Error:``). The usage line is kept as
click writes it; English is click's own text, unchanged; the exit code stays 2; ``--json`` keeps the English JSON shape.
The app must keep ``rich_markup_mode=None`` (typer's rich error panel prints the message without :func:`show`).

Example:
    >>> usage_message_zh("Missing option '--reason'.")
    "缺少选项 '--reason'。"
    >>> usage_message_zh("No such option: --jsno (Possible options: --json)")
    '没有这个选项：--jsno（您是不是想用：--json）'
    >>> usage_message_zh("Invalid value for '--top': Input should be greater than or equal to 1")
    "'--top' 的值无效：应大于或等于 1。"
"""
from __future__ import annotations

import re
import sys
import types
from typing import Any

from typer.core import TyperGroup

try:  # typer vendors click from 0.2x on
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import NoArgsIsHelpError, UsageError

__all__ = ["ReefGroup", "usage_language", "usage_message_zh", "show"]

_ARGV = "reef.argv"  # ctx.meta key: the command line as given, to read --lang, --config and --db from

# A value's problem, as pydantic (typer's coercion), typer's choices and click word it.
_DETAIL = [
    (r"Input should be greater than or equal to (\S+)", r"应大于或等于 \1"),
    (r"Input should be less than or equal to (\S+)", r"应小于或等于 \1"),
    (r"Input should be greater than (\S+)", r"应大于 \1"),
    (r"Input should be less than (\S+)", r"应小于 \1"),
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*", "应为数字"),
    (r"Input should be a valid boolean.*", "应为 true 或 false"),
    (r"Input should be (.+)", lambda m: "应为 " + re.sub(r"(?<=') or (?=')", " 或 ", m.group(1))),  # Literal / Enum
    (r"(.+) is not one of (.+?)\.?", r"\1 不是可选值之一（可选：\2）"),  # typer's Choice
    (r"Value (.+) is not a valid (.+?)\.?", r"\1 不是有效的 \2"),
    # a library check run at parse time (reef.cli._common.checked: ``9. Expected an integer from 0 to 4.``), worded as
    # reef.errors_zh words the same error raised by the library (``'stage' 的值无效：9。应为0 到 4 之间的整数。``)
    (r"(.+?)\. Expected (.+?)\.", lambda m: f"{m.group(1)}。应为{_expected_zh(m.group(2))}"),
]
_MESSAGES = [
    (r"Missing argument (.+?)\.(?: Choose from:(.*))?", lambda m: f"缺少参数 {m.group(1)}。" + _choices(m.group(2))),
    (r"Missing option (.+?)\.(?: Choose from:(.*))?", lambda m: f"缺少选项 {m.group(1)}。" + _choices(m.group(2))),
    (r"Missing parameter(.*?)\.", r"缺少参数\1。"),
    (r"No such option: (\S+) \(Possible options: (.+)\)", r"没有这个选项：\1（您是不是想用：\2）"),
    (r"No such option: (\S+)", r"没有这个选项：\1"),
    (r"No such command (.+?)\. Did you mean (.+)\?", r"没有这个命令：\1。您是不是想用 \2？"),
    (r"No such command (.+?)\.", r"没有这个命令：\1。"),
    (r"Missing command\.", "缺少子命令。"),
    (r"Option (.+) requires an argument\.", r"选项 \1 需要一个值。"),
    (r"Option (.+) requires (\d+) arguments\.", r"选项 \1 需要 \2 个值。"),
    (r"Option (.+) does not take a value\.", r"选项 \1 不接受值。"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多余的参数：\1"),
    # a blank value checked by the library at parse time (as_of_given: ``--as-of ""``), worded as reef.errors_zh words
    # it (``'--as-of' 的值为空。应为…。``), then the hint
    (r"Invalid value for '([^']+)': '(\s*)'\. Expected (.+?)\.(?: (.+))?",
     lambda m: _join(_invalid_zh(m.group(1), m.group(2), m.group(3)), _HINTS.get(m.group(4) or "", m.group(4)))),
    (r"Invalid value for (.+?): (.*)", lambda m: f"{m.group(1)} 的值无效：{_detail(m.group(2))}"),
    (r"Invalid value: (.*)", lambda m: f"值无效：{_detail(m.group(1))}"),
]


# Hints the CLI's own checks give after an invalid value, in Chinese.
_HINTS = {"Leave --as-of out for the end of the data.": "省略 --as-of 即到数据的末尾。"}


def _invalid_zh(name: str, value: str, expected: str) -> str:
    from reef.errors_zh import invalid_value_zh

    return invalid_value_zh(name, value, expected)


def _join(*parts: str | None) -> str:
    from reef.errors_zh import join_sentences

    return join_sentences(*parts)


def _expected_zh(expected: str) -> str:
    from reef.errors_zh import expected_zh

    return expected_zh(expected)


def _choices(listed: str | None) -> str:
    return f"可选：{'、'.join(c.strip() for c in listed.split(','))}" if listed else ""


def _detail(text: str) -> str:
    text = re.sub(r"^Value error, ", "", text.strip())  # pydantic's prefix of a validator's own message
    for pattern, zh in _DETAIL:
        m = re.fullmatch(pattern, text, re.S)
        if m:
            out = zh(m) if callable(zh) else m.expand(zh)
            return out if out.endswith(("。", "）")) else f"{out}。"
    return text  # Reef's own words (an --as-of callback's), as raised


def usage_message_zh(message: str) -> str:
    """Click's English usage message in Simplified Chinese; a message it does not know is returned as it is."""
    for pattern, zh in _MESSAGES:
        m = re.fullmatch(pattern, message.strip(), re.S)
        if m:
            return zh(m) if callable(zh) else m.expand(zh)
    return message


def _option_value(argv: list[str], name: str) -> str | None:
    value = None
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(name + "="):
            value = arg[len(name) + 1:]
    return value


def usage_language(argv: list[str]) -> str:
    """The language of a usage error: as :func:`reef.cli._errors.handled` picks it, from ``--lang``, ``--config`` and
    ``--db`` as written on the command line (the parser failed, so no parameter was parsed).

    >>> usage_language(["ladder", "--lang", "en"]), usage_language(["ladder", "--lang=EN"]), usage_language(["ladder", "--lang", "fr"])
    ('en', 'en', 'zh')
    """
    from reef.cli._errors import _language

    kwargs: dict[str, Any] = {"lang": _option_value(argv, "--lang"), "config": _option_value(argv, "--config")}
    db = _option_value(argv, "--db")
    if db is not None:
        kwargs["db"] = db
    return _language(kwargs)


def show(exc: UsageError, lang: str, file: Any = None) -> None:
    """Print ``exc`` as click does (the usage line, where to find help, the error) in ``lang``: English is click's
    own text, Chinese keeps the usage line and words the rest."""
    from reef.cli._errors import error_prefix

    file = file if file is not None else sys.stderr
    ctx = exc.ctx
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"运行 '{ctx.command_path} {ctx.help_option_names[0]}' 查看帮助。")
        lines.append("")
    lines.append(f"{error_prefix(lang)}{usage_message_zh(exc.format_message())}")
    file.write("\n".join(lines) + "\n")
    file.flush()


def _localise(exc: UsageError, argv: list[str]) -> None:
    """Give ``exc`` a :func:`show` in the command line's language (English: click's own, left as it is)."""
    if isinstance(exc, NoArgsIsHelpError) or getattr(exc, "_reef_lang", None):
        return  # the help page, or already worded by an inner group
    exc._reef_lang = lang = usage_language(argv)
    if lang != "en":
        exc.show = types.MethodType(lambda self, file=None: show(self, lang, file), exc)


class ReefGroup(TyperGroup):
    """The ``reef`` app's top-level group: usage errors are shown in the command line's language (see the module)."""

    def make_context(self, info_name, args, parent=None, **extra):  # noqa: ANN001, ANN201 - click's signature
        argv = list(args)
        try:
            ctx = super().make_context(info_name, args, parent=parent, **extra)
        except UsageError as exc:
            _localise(exc, argv)
            raise
        ctx.meta[_ARGV] = argv
        return ctx

    def invoke(self, ctx):  # noqa: ANN001, ANN201
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            _localise(exc, ctx.meta.get(_ARGV, []))
            raise
