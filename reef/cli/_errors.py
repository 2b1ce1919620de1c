"""How a CLI command fails: :func:`handled` maps a ReefError, a file system error, a DuckDB error that escaped the
library, Ctrl-C and a closed stdout pipe to one line on stderr (or the error's JSON with --json) and an exit code.
"""
from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import typer

from reef.cli._common import err, rows_table
from reef.cli._json import ZONE, to_json
from reef.errors import InvalidParameterError, Location, ReefError
from reef.errors_zh import one_line

__all__ = ["EXIT_INTERRUPTED", "EXIT_FILE_QUARANTINED", "error_prefix", "handled", "options_conflict", "options_one_of",
           "store_error_hint"]

# What an interrupted command leaves behind, by command function; every write is one transaction, so the step
# that was running is rolled back (an import is one transaction: nothing of it is kept).
_INTERRUPTED = {"import_": "nothing was imported; the store is unchanged."}
_INTERRUPTED_DEFAULT = "the step that was running was rolled back; nothing half-written was kept."
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
# `reef import` committed, but every row of one of its files was quarantined (warning file_quarantined): no error line,
# the warning says why, and a script sees a non-zero code instead of a green run that imported nothing of the file.
EXIT_FILE_QUARANTINED = 9
_said = {"interrupted": False}  # handled() said so already: main() does not say it twice


def error_prefix(lang: str) -> str:
    """The start of an error line in the operator's language: ``错误：`` (the default) or ``Error: ``.

    >>> error_prefix("zh") + "…", error_prefix("en") + "…"
    ('错误：…', 'Error: …')
    """
    return "Error: " if lang == "en" else "错误："


class _OptionsError(InvalidParameterError):
    """Options refused together, or none given of options one of which is needed: the sentence names the options
    itself, so the line is not led by its place (``field '--new': --new …``); the place (``where.field``, the first
    option refused) is for ``--json``."""

    def __init__(self, field: str, value: Any, message: str, message_zh: str, hint: str | None, hint_zh: str | None,
                 facts: dict[str, Any]):
        super().__init__(field, value, message, hint=hint, hint_zh=hint_zh)
        self.message, self.message_zh = message, message_zh  # the sentence, not "Invalid value ...: true"
        self.where, self.facts = Location(field=field), facts
        self.args = (str(self),)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message

    def text(self, lang: str = "en") -> str:
        """The error line in ``lang``, without its place (the sentence names the options)."""
        from reef.errors_zh import join_sentences

        return str(self) if lang != "zh" else join_sentences(self.message_zh, self.hint_zh or self.hint)


_ONE_OF_THEM = ("Give one of them.", "只能给其中一个。")


def _with(first: tuple[str, str] | None, hint: str | None, hint_zh: str | None) -> tuple[str | None, str | None]:
    """``first`` (English, Chinese) said before the caller's hint, in each language."""
    from reef.errors_zh import join_sentences

    if first is None:
        return hint, hint_zh
    return " ".join(x for x in (first[0], hint) if x), join_sentences(first[1], hint_zh or hint)


def options_conflict(options: str | list[str], other: str, *, either: bool = False, hint: str | None = None,
                     hint_zh: str | None = None) -> InvalidParameterError:
    """The error of flags given together that cannot go together: which ones, in the operator's language (exit 2,
    invalid_parameter, ``where.field`` the first of ``options``), never ``Invalid value for '--new': true``.
    ``options`` are the flags refused, ``other`` the one they conflict with; ``either``: they are alternatives, the
    hint starts with "Give one of them." (``hint`` follows).

    >>> exc = options_conflict(["--new", "--redeliver"], "--test")
    >>> exc.text("en"), exc.text("zh"), exc.to_dict()["error"]["where"]["field"]
    ('--new and --redeliver cannot be used with --test.', '--new、--redeliver 不能与 --test 同时使用。', '--new')
    >>> options_conflict("--days", "--since", either=True).text("zh")
    '--days 不能与 --since 同时使用。只能给其中一个。'
    """
    given = [options] if isinstance(options, str) else list(options)
    said = f"{', '.join(given[:-1])} and {given[-1]}" if len(given) > 1 else given[0]
    hint, hint_zh = _with(_ONE_OF_THEM if either else None, hint, hint_zh)
    return _OptionsError(given[0], True, f"{said} cannot be used with {other}.", f"{'、'.join(given)} 不能与 {other} 同时使用。",
                         hint, hint_zh, {"options": given, "conflicts_with": other})


def options_one_of(choices: list[str], given: list[str], *, needed_by: str | None = None, hint: str | None = None,
                   hint_zh: str | None = None) -> InvalidParameterError:
    """The error of options of which exactly one is needed, when ``given`` (the flags given among ``choices``) is none
    or more than one: none names them all (``where.field`` the first, or ``needed_by``, the option that needs one of
    them), several are a conflict, as :func:`options_conflict` says it (``either``). ``choices`` may carry their value
    (``--import ID``) or be configuration keys.

    >>> options_one_of(["--import ID", "--all"], []).text("en")
    'Give one of --import ID or --all.'
    >>> options_one_of(["--import ID", "--all"], []).text("zh")
    '请给出 --import ID 或 --all 之一。'
    >>> options_one_of(["--import ID", "--all"], ["--import", "--all"]).text("en")
    '--all cannot be used with --import. Give one of them.'
    >>> options_one_of(["--webhook URL", "risks.webhook_url"], [], needed_by="--quiet").text("zh")
    '--quiet 需要 --webhook URL 或 risks.webhook_url 之一。'
    """
    if len(given) > 1:
        exc = options_conflict(given[1:], given[0], either=True, hint=hint, hint_zh=hint_zh)
        exc.facts["choices"] = list(choices)
        return exc
    said, said_zh = f"{', '.join(choices[:-1])} or {choices[-1]}", f"{'、'.join(choices[:-1])} 或 {choices[-1]} 之一"
    facts = {"options": [needed_by] if needed_by else [], "choices": list(choices)}
    if needed_by:
        return _OptionsError(needed_by, True, f"{needed_by} cannot be used without one of {said}.", f"{needed_by} 需要 {said_zh}。",
                             hint, hint_zh, facts)
    return _OptionsError(choices[0].split()[0], None, f"Give one of {said}.", f"请给出 {said_zh}。", hint, hint_zh, facts)


def _language(kwargs: dict) -> str:
    """The language of a failed command's error line: its ``--lang`` when that is zh or en, else ``general.language``
    of its configuration (``--config``, REEF_CONFIG, a reef.toml beside ``--db``), else zh. Lenient, as the dashboard's
    language is: the error may be about the configuration or the --lang itself."""
    code = str(kwargs.get("lang") or "").strip().lower()
    if code in ("zh", "en"):
        return code
    if code:  # a bad --lang: the default language names the mistake
        return "zh"
    try:
        from reef.config import load_config

        db = kwargs.get("db")
        code = str(load_config(kwargs.get("config"), store_path=db if db is not None else None).get("general.language") or "zh")
    except Exception:  # noqa: BLE001 - an unreadable configuration is the error being reported, not a second one
        return "zh"
    return "en" if code.strip().lower() == "en" else "zh"


def _interrupted(exc: BaseException) -> bool:
    """Ctrl-C, as Python raises it or as DuckDB reports it when the signal came during a query
    (a RuntimeError 'Query interrupted', or its InterruptException)."""
    if isinstance(exc, (KeyboardInterrupt, typer.Abort)):
        return True
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(exc, getattr(duckdb, "InterruptException", ())):
        return True
    return isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower() and not isinstance(exc, ReefError)


def _duckdb_error(exc: BaseException) -> bool:
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(exc, duckdb.Error)


def store_error_hint(exc: BaseException) -> str:
    """A truthful hint for a DuckDB error that escaped the library: a query that does not fit the stored tables is
    Reef's fault (or an older result table's), not another program's; only a file that cannot be read points there."""
    import duckdb

    if isinstance(exc, (duckdb.BinderException, duckdb.CatalogException, duckdb.ParserException)):
        return ("A query did not match the tables in the store: a result table may come from an older Reef version "
                "(`reef analyze --force` rebuilds the results), or this is a bug in Reef; please report it with the command you ran.")
    if isinstance(exc, (duckdb.IOException, duckdb.SerializationException, duckdb.InternalException, duckdb.FatalException)):
        return ("The store file could not be read as expected: if it was changed or copied by another program while in use, "
                "restore it from a backup; otherwise please report this with the command you ran.")
    if isinstance(exc, duckdb.OutOfMemoryException):
        return "DuckDB ran out of memory: close other programs or raise store.memory_limit (docs/configuration.md)."
    return "Please report this with the command you ran."


def _stdout_gone() -> None:
    """The reader of stdout went away (``reef status | head -1``): send what is still buffered to /dev/null, so
    Python's flush at exit does not fail again, and stop quietly."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass


def handled(fn: Callable) -> Callable:
    """Map a ReefError to one line on stderr (or its JSON shape with --json) and its exit code; a file
    system error (an --out that cannot be written) to one line and exit code 3, like an unreadable file;
    a DuckDB error that escaped the library to one line and exit code 4, like any store error; Ctrl-C to one line
    and exit code 130; a closed stdout pipe (``| head -1``) to a quiet exit 0."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            try:
                result = fn(*args, **kwargs)
                sys.stdout.flush()  # a reader that went away shows here, not in Python's flush at exit
                return result
            except BrokenPipeError:
                raise
            except OSError as exc:  # a folder or file the command cannot write (--out under a file, no permission)
                if isinstance(exc, ReefError):
                    raise
                from reef.output_paths import output_error

                raise output_error(exc) from exc  # a file where a folder is needed, no permission, a full disk ...
            except Exception as exc:
                if _interrupted(exc) or not _duckdb_error(exc):
                    raise
                from reef.errors import StoreError

                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise StoreError(f"The store refused an operation: {first[:300]}", hint=store_error_hint(exc)) from exc
        except ReefError as exc:
            if getattr(exc, "cli_hint", None):  # the library's hint names no CLI option; the command line's does
                exc.hint = exc.cli_hint
                if getattr(exc, "cli_hint_zh", None):
                    exc.hint_zh = exc.cli_hint_zh
            if kwargs.get("as_json"):
                sys.stdout.write(to_json(exc.to_dict()) + "\n")
            else:
                # in Chinese where the error carries the Chinese words (ReefError.text), else as raised
                lang = _language(kwargs)
                sys.stderr.write(f"{error_prefix(lang)}{one_line(exc.text(lang))}\n")
            report = getattr(exc, "report", None)
            if report is not None and not kwargs.get("as_json"):
                from reef.cli._labels import RUN_LABELS

                rows_table("分析" if lang == "zh" else "Analyses", [r.__dict__ for r in report.results], ["name", "status", "rows", "message"],
                           console=err, lang=lang, labels=RUN_LABELS)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _stdout_gone()
            raise typer.Exit(0) from None
        except BaseException as exc:
            if not _interrupted(exc):
                raise
            sys.stderr.write(f"\nInterrupted; {_INTERRUPTED.get(fn.__name__, _INTERRUPTED_DEFAULT)}\n")
            _said["interrupted"] = True
            raise typer.Exit(EXIT_INTERRUPTED) from None
        finally:
            from reef.store import close_all

            close_all()
            ZONE["zone"] = None

    return wrapper
