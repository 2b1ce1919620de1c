"""One exception tree for Reef.

Every error says what was wrong, where (file, line, field) and what to do.
Leaves also subclass the fitting builtin, so ``except ValueError`` keeps working
for callers who do not know Reef. The CLI maps ``exit_code`` to the process exit
status; the HTTP API maps ``http_status`` and :meth:`ReefError.to_dict` to its
single JSON error shape.

Example:
    >>> try:
    ...     raise InvalidParameterError("top", -1, "a positive integer")
    ... except ValueError as exc:
    ...     print(exc)
    Invalid value for 'top': -1. Expected a positive integer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "Location", "ReefError", "ConfigError", "InvalidParameterError", "UnknownParameterError", "UnreadableFileError",
    "OutputPathError", "UnknownFormatError", "NoEntityError", "MissingColumnError", "AmbiguousColumnError", "StoreError",
    "StoreLockedError", "MigrationError", "OtherSiteError", "NotFoundError", "AnalysisError", "MissingDependencyError",
]
# ReefWarning, with_cli_hint, with_api_hint, invalid_value_en and unknown_keyword_en (below) are public too, but not in
# __all__: __all__ lists the error classes, each with its code and exit code (the web messages and the tests walk it).


@dataclass(frozen=True)
class Location:
    """Where a problem is: any of file, line and field."""

    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The place in words: ``file:line, field 'f'`` in English, ``file:line，字段 f`` in Chinese."""
        zh = lang == "zh"
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line is not None else ""))
        elif self.line is not None:
            parts.append(f"第 {self.line} 行" if zh else f"line {self.line}")
        if self.field:
            parts.append(f"字段 {self.field}" if zh else f"field '{self.field}'")
        return ("，" if zh else ", ").join(parts)


class ReefError(Exception):
    """Base of every error Reef raises on purpose."""

    exit_code = 1
    http_status = 500
    code = "reef_error"

    def __init__(self, message: str, *, where: Location | None = None, hint: str | None = None,
                 facts: dict[str, Any] | None = None, message_zh: str | None = None, hint_zh: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        # The operator's words where the raiser gave them (the CLI's error line in Chinese); the JSON shape stays English.
        self.message_zh, self.hint_zh = message_zh, hint_zh
        # The values behind the message (counts, the name not found), for a front door that words the error itself
        # (a dashboard form in the page's language) without reading them back out of the English text.
        self.facts = dict(facts or {})
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = self.message
        if self.where and str(self.where):
            text = f"{self.where}: {text}"
        if self.hint:
            text = f"{text} {self.hint}"
        return text

    def text(self, lang: str = "en") -> str:
        """The error line in ``lang``: Chinese when the raiser gave the Chinese words (``message_zh``), else English.
        A hint without its Chinese words (``hint_zh``) is kept in English rather than dropped.

        >>> ReefError("Bad.", hint="Fix it.", message_zh="有误。", hint_zh="请改正。").text("zh")
        '有误。请改正。'
        >>> ReefError("Bad.", hint="Fix it.", message_zh="有误。", hint_zh="请改正。").text("en")
        'Bad. Fix it.'
        """
        if lang != "zh" or not self.message_zh:
            return self.__str__()
        from reef.errors_zh import join_sentences, location_zh

        text = self.message_zh
        if self.where and location_zh(self.where):
            text = f"{location_zh(self.where)}：{text}"
        return join_sentences(text, self.hint_zh or self.hint)  # no space after a Chinese full stop

    def to_dict(self) -> dict[str, Any]:
        """The JSON error shape shared by the CLI (--json) and the HTTP API."""
        where = None
        if self.where:
            where = {"file": self.where.file, "line": self.where.line, "field": self.where.field}
        return {"error": {"code": self.code, "message": self.message, "where": where, "hint": self.hint}}


class ConfigError(ReefError, ValueError):
    """A configuration file or value is wrong."""

    exit_code = 2
    http_status = 400
    code = "config_error"


class InvalidParameterError(ReefError, ValueError):
    """A parameter given by a user (CLI, API or notebook) is out of range or of the wrong kind."""

    exit_code = 2
    http_status = 422
    code = "invalid_parameter"

    def __init__(self, name: str, value: Any, expected: str, *, hint: str | None = None, hint_zh: str | None = None):
        from reef.errors_zh import invalid_value_zh

        self.name, self.value, self.expected = name, value, expected
        super().__init__(
            invalid_value_en(name, value, expected),
            where=None,
            hint=hint,
            message_zh=invalid_value_zh(name, value, expected),  # the CLI's error line in Chinese (reef.errors_zh)
            hint_zh=hint_zh,
        )


def invalid_value_en(name: str, value: Any, expected: str) -> str:
    """``Invalid value for 'name': value. Expected ….`` — the one English template of an invalid value. A value that
    was not given (None) is said to be missing, not shown as Python's ``None`` (the message reaches HTTP users too);
    :func:`reef.errors_zh.invalid_value_zh` says the same in Chinese.

    >>> invalid_value_en("import_id", None, "an import id or all imports (not both)")
    "Missing value for 'import_id'. Expected an import id or all imports (not both)."
    >>> invalid_value_en("top", 0, "a positive integer")
    "Invalid value for 'top': 0. Expected a positive integer."
    >>> invalid_value_en("files", [], "at least one file"), invalid_value_en("kinds", ["x", "y"], "kinds among: a, b")
    ("No value given for 'files'. Expected at least one file.", "Invalid value for 'kinds': 'x', 'y'. Expected kinds among: a, b.")
    """
    from reef.errors_zh import is_empty_list, value_words

    if value is None:
        return f"Missing value for '{name}'. Expected {expected}."
    if is_empty_list(value):
        return f"No value given for '{name}'. Expected {expected}."
    return f"Invalid value for '{name}': {value_words(value, 'en')}. Expected {expected}."


class UnknownParameterError(InvalidParameterError, TypeError):
    """A keyword argument a Python API method does not take (``ladder(stag=4)``), named with the method, the accepted
    ones and the closest (:func:`unknown_keyword_en`), where Python says less; a TypeError too, as Python's is.

    >>> exc = UnknownParameterError("ladder", "stag", ("stage", "top"))
    >>> isinstance(exc, TypeError), exc.code, exc.text("zh")
    (True, 'invalid_parameter', "ladder() 没有参数 'stag'。可用的参数：stage、top。是不是 'stage'？")
    """

    def __init__(self, method: str, name: str, accepted: tuple[str, ...] | list[str], value: Any = None):
        import difflib

        from reef.errors_zh import unknown_keyword_zh

        close = difflib.get_close_matches(name, list(accepted), n=1, cutoff=0.6)
        self.method, self.accepted, self.suggestion = method, tuple(accepted), close[0] if close else None
        self.name, self.value, self.expected = name, value, "one of " + ", ".join(accepted)
        ReefError.__init__(
            self, unknown_keyword_en(method, name, accepted), hint=f"Did you mean '{close[0]}'?" if close else None,
            message_zh=unknown_keyword_zh(method, name, accepted), hint_zh=f"是不是 '{close[0]}'？" if close else None,
            facts={"method": method, "argument": name, "accepted": list(accepted), "suggestion": self.suggestion})


def unknown_keyword_en(method: str, name: str, accepted) -> str:
    """The one English template of an unknown keyword argument (Chinese: :func:`reef.errors_zh.unknown_keyword_zh`).

    >>> unknown_keyword_en("member", "id", ("member_id", "as_of", "lang"))
    "member() takes no parameter 'id'. Accepted: member_id, as_of, lang."
    """
    from reef.errors_zh import join_words

    return f"{method}() takes no parameter '{name}'. Accepted: {join_words(accepted, 'en')}."


class UnreadableFileError(ReefError, OSError):
    """An input file cannot be read at all (missing, a directory, empty archive, unknown encoding)."""

    exit_code = 3
    http_status = 400
    code = "unreadable_file"


class OutputPathError(ReefError, OSError):
    """An output file or folder cannot be written (a path under a file, no permission, a full disk)."""

    exit_code = 3
    http_status = 500
    code = "file_error"


class UnknownFormatError(ReefError, ValueError):
    """The format of an input cannot be recognised."""

    exit_code = 3
    http_status = 400
    code = "unknown_format"


class NoEntityError(UnknownFormatError):
    """Nothing says which entity a file's rows are: neither its name, nor an entity column or key, nor --entity."""

    code = "no_entity"


class MissingColumnError(UnknownFormatError):
    """A file has no column for its entity's id (``member_id``, ``content_id`` ...), under its name or a Chinese alias:
    every row would lack its id, so the file is refused whole instead (``facts``: entity, field, columns, suggestion)."""

    code = "missing_column"


class AmbiguousColumnError(UnknownFormatError):
    """Two columns of a file map to the same field through the Chinese header aliases (``用户ID`` and ``会员ID`` both
    ``member_id``): Reef does not guess which one holds it (``facts``: entity, field, columns)."""

    code = "ambiguous_column"


class StoreError(ReefError, RuntimeError):
    """The store cannot be opened or written."""

    exit_code = 4
    http_status = 500
    code = "store_error"


class StoreLockedError(StoreError):
    """Another process holds the store for writing."""

    code = "store_locked"
    http_status = 503


class MigrationError(StoreError):
    """The store's schema is newer than this Reef, older than a read-only read needs, or a migration failed."""

    code = "migration_error"


class OtherSiteError(StoreError):
    """A Stack Exchange dump of one site was imported into a store that holds another site (their ids collide)."""

    code = "other_site"
    http_status = 409


class NotFoundError(ReefError, KeyError):
    """A member, item, campaign or table asked for does not exist."""

    exit_code = 5
    http_status = 404
    code = "not_found"

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return ReefError.__str__(self)


class AnalysisError(ReefError, RuntimeError):
    """An analysis failed or was asked to run in an impossible order."""

    exit_code = 6
    http_status = 500
    code = "analysis_error"


class MissingDependencyError(ReefError, ImportError):
    """An optional part of Reef needs an extra that is not installed."""

    exit_code = 7
    http_status = 501
    code = "missing_dependency"

    def __init__(self, package: str, extra: str):
        super().__init__(
            f"This feature needs the Python package '{package}', which is not installed.",
            hint=f"Install it with: pip install 'reef[{extra}]'",
        )


class ReefWarning(UserWarning):
    """A result that is computed but may mislead (an as_of the data does not cover): the Python API warns with it, so
    a notebook shows it; the CLI prints the same text on stderr."""


from reef.errors_hints import with_api_hint, with_cli_hint  # noqa: E402,F401 - raisers import them from here
