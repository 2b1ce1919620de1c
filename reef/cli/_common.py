"""Shared CLI plumbing: common options, opening the store, JSON output, tables and progress bars (how a command
fails: :mod:`reef.cli._errors`).

No computation lives here or in the commands: each command calls one library function.

Example:
    >>> to_json({"a": 1})
    '{\\n  "a": 1\\n}'
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from reef.cli._json import ZONE, to_json

__all__ = ["DEFAULT_DB", "as_of_given", "DbOpt", "ConfigOpt", "JsonOpt", "LangOpt", "emit", "to_json", "cell",
           "progress", "heading", "kv_table", "rows_table", "to_second", "open_community", "prepared", "read", "new_store_or_nothing", "resolve_lang", "out", "err",
           "invoked_as"]

# The store used when neither --db nor REEF_DB names one.
DEFAULT_DB = Path("reef.duckdb")

DbOpt = Annotated[Path, typer.Option("--db", envvar="REEF_DB", help="Store file (DuckDB). Env: REEF_DB.")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="Configuration file (TOML) overriding the defaults.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Language of operator text: zh or en (default: general.language).")]


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Rich's default exits with status 1; :func:`reef.cli._errors.handled` stops quietly with 0 instead, as a
        Unix tool does when ``| head`` has read enough."""
        self.quiet = True  # nothing more is written to a pipe that is gone
        raise BrokenPipeError("stdout was closed by its reader")


# Members write text such as "[children] and [kids] tags" (Stack Exchange titles name tags in brackets) and ":+1:":
# read as rich markup or emoji codes it vanished from every table ("Do we need both the  and  tags?") and a stray
# "[/]" stopped the command. Reef prints no markup of its own, so neither console interprets any.
out = _Console(soft_wrap=True, markup=False, emoji=False)
err = _Console(stderr=True, soft_wrap=True, markup=False, emoji=False)


def as_of_given(value: str | None) -> str | None:
    """``--as-of`` callback: the value is parsed as the library parses it, so a bad or empty date (an unset shell
    variable is a mistake, not "the end of the data") reads the same as ``Community.table(as_of=...)`` does, with
    the option's name: "Invalid value for '--as-of': ''. Expected a date like ..."."""
    from reef.errors import InvalidParameterError
    from reef.store.asof import as_of_timestamp

    if value is None:
        return value
    try:
        as_of_timestamp(value)
    except InvalidParameterError as exc:
        hint = " Leave --as-of out for the end of the data." if not value.strip() else ""
        raise typer.BadParameter(f"{value!r}. Expected {exc.expected}.{hint}") from None
    return value


def emit(data: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    """Print ``data`` as JSON or through ``render``. An object's ``warning`` names ``--as-of`` where the library's
    as-of coverage warning names the parameter ``as_of`` (:func:`reef.store.coverage.cli_wording`)."""
    if isinstance(data, dict) and data.get("warning"):
        from reef.store.coverage import cli_wording

        data = {**data, "warning": cli_wording(data["warning"])}
    if as_json:
        sys.stdout.write(to_json(data) + "\n")
    else:
        render(data)


def heading(key: str, lang: str | None, labels: dict[str, tuple[str, str]] | None = None) -> str:
    """The header of column ``key`` in ``lang``: ``labels`` ``{key: (Chinese, English)}`` name keys whose meaning is
    local to one table (a risk's ``name`` is no nickname), else :func:`reef.i18n.header_label`, the one label table
    every surface shares (workbook, reports, CLI). An English header starts with a capital (``p-value`` stays as
    statisticians write it); without ``lang`` the header is the key. A key that is already words (a kv table's
    label) comes back as it is, capitalised in English. The --json keys are not touched.

    >>> heading("times_asked", "en"), heading("times_asked", "zh"), heading("ci_low", "en"), heading("rank", None)
    ('Times asked', '被问次数', 'CI low', 'rank')
    >>> heading("name", "en", {"name": ("分析", "analysis")}), heading("first content", "en")
    ('Analysis', 'First content')
    """
    from reef.i18n import header_label

    if lang is None:
        return str(key)
    text = labels[key][1 if lang == "en" else 0] if labels and key in labels else header_label(str(key), lang)
    if lang == "en" and text[:2].isalpha() and text[:2].islower():
        text = text[:1].upper() + text[1:]
    return text


def kv_table(title: str, pairs: dict[str, Any] | list[tuple[str, Any]], lang: str | None = None, *,
             labels: dict[str, tuple[str, str]] | None = None) -> None:
    """A two-column table, one figure a row. With ``lang`` each key is named as :func:`heading` names a column (a row
    key such as ``first_at`` becomes its words; a key that is already a label is kept) and yes/no read in ``lang``."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("key", style="bold")
    table.add_column("value", overflow="fold")  # evidence strings are long: wrap them, never cut them
    for k, v in (pairs.items() if isinstance(pairs, dict) else pairs):
        table.add_row(heading(str(k), lang, labels), cell(v, lang))
    out.print(table)


def rows_table(title: str, rows: list[dict[str, Any]], columns: list[str], console: Console | None = None, *,
               lang: str | None = None, labels: dict[str, tuple[str, str]] | None = None) -> None:
    """A table of ``rows`` with ``columns`` (row keys), headed in ``lang`` by :func:`heading` (``labels``: the
    table's own names for keys whose meaning is local to it). Without ``lang`` the headers are the keys. No rows: one
    line saying there is none (a header row alone read as output cut off)."""
    if not rows:
        (console or out).print(f"{title}：暂无。" if lang == "zh" else f"{title}: none.", markup=False)
        return
    table = Table(title=title, title_justify="left")
    for c in columns:
        table.add_column(heading(c, lang, labels), overflow="fold")
    for r in rows:
        table.add_row(*[cell(r.get(c), lang) for c in columns])
    (console or out).print(table)


def to_second(value: Any) -> str:
    """A moment as a title shows it: as written, without fractions of a second (a Stack Exchange dump's times carry
    milliseconds, and every heading read "as of 2023-08-31 18:52:37.327000+08:00"). --json keeps them.

    >>> to_second("2023-08-31T18:52:37.327000+08:00"), to_second(None)
    ('2023-08-31T18:52:37+08:00', '')
    """
    import re

    return "" if value is None else re.sub(r"(\d{2}:\d{2}:\d{2})\.\d+", r"\1", str(value))


def cell(value: Any, lang: str | None = None) -> str:
    """A value as a table shows it: nothing for None; a yes/no in the table's language ``lang`` (是/否 as the
    workbook writes it, Yes/No in English) rather than Python's True/False. JSON keeps the booleans.

    >>> cell(True, "zh"), cell(False, "en"), cell(None), cell(3)
    ('是', 'No', '', '3')
    """
    if value is None:
        return ""
    if isinstance(value, bool) and lang is not None:  # tables without a language (status, config) keep the keys' words
        return ("Yes" if value else "No") if lang == "en" else ("是" if value else "否")
    return str(value)


@contextmanager
def progress(enabled: bool = True) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress display on stderr; yields an ``on_progress(label, done, total)`` callback.

    ``total == 0`` means the total is unknown and ``done`` is an increment (rows just read).
    """
    if not enabled:
        yield None
        return
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=err, transient=True)
    tasks: dict[str, int] = {}

    def on_progress(label: str, done: int, total: int) -> None:
        key = Path(label).name if "/" in label else label
        if total:
            task = tasks.setdefault("__steps__", bar.add_task(key, total=total))
            bar.update(task, description=key, completed=done, total=total)
        else:
            task = tasks.setdefault(key, bar.add_task(key, total=None))
            bar.advance(task, done)

    with bar:
        yield on_progress


def open_community(db: Path, config: Path | None, *, read_only: bool = False, create: bool = False):
    """The community at ``db``. Only commands that fill a store (import, simulate, serve, user add) pass
    ``create=True``; for every other command a missing file is an error, not a new empty store that reads as
    "no risk, no members" (a mistyped --db would otherwise look like a healthy, silent community)."""
    from reef.api import Community

    if not create and str(db) != ":memory:" and not Path(db).exists():
        # read-only commands (status, quarantine) too: one message and exit code 5 for a missing store everywhere
        from reef.errors import NotFoundError

        raise NotFoundError(f"Store file does not exist: {db}.",
                            hint=f"Create it first: `reef import FILES --db {db}` or `reef simulate --db {db}`; or check --db / REEF_DB.",
                            message_zh=f"数据库文件不存在：{db}。",
                            hint_zh=f"请先创建：`reef import FILES --db {db}` 或 `reef simulate --db {db}`；或检查 --db / REEF_DB。")
    community = Community(db, read_only=read_only, config=config)
    ZONE["zone"] = str(community.store.config.get("general.timezone"))
    return community


def prepared(db: Path, config: Path | None, as_of: str | None, names: list[str]):
    """Run the analyses a command reads (skipped when fresh); returns (community, as_of in the store's time zone),
    so the date a title shows is the day the user asked for."""
    from reef.analyses import run_analyses
    from reef.reads import local

    community = open_community(db, config)
    return community, local(community.store, run_analyses(community.store, as_of=as_of, only=names).as_of)


def read(fn: Callable, db: Path, config: Path | None, *args: Any, lang: str | None = None, read_only: bool = False, **kwargs: Any):
    """A :mod:`reef.reads` function on the store at ``db``: the library call behind a read command (the Python API's
    ``Community`` methods call the same one). A bad ``--lang`` fails first, naming the option."""
    if lang is not None:
        resolve_lang(lang)
    return fn(open_community(db, config, read_only=read_only).store, *args, lang=lang, **kwargs)


@contextmanager
def new_store_or_nothing(db: Path):
    """Around a command that creates ``db``: when it fails, a store file it created is removed again, so a
    failed first import or simulation does not leave an empty store that later reads as a silent community."""
    existed = str(db) == ":memory:" or Path(db).exists()
    try:
        yield
    except BaseException:
        if not existed:
            from reef.store import close_all

            close_all()
            for leftover in (Path(db), Path(str(db) + ".wal")):
                leftover.unlink(missing_ok=True)
        raise


def resolve_lang(lang: str | None, config: Any = None) -> str:
    """The language of operator text: ``--lang`` when given, else ``general.language`` of ``config``, else zh.

    Anything but zh or en is an InvalidParameterError naming where it came from.

    >>> resolve_lang("EN"), resolve_lang(None)
    ('en', 'zh')
    """
    from reef.errors import InvalidParameterError
    from reef.i18n import LANGUAGES

    name, value = ("--lang", lang) if lang is not None else ("general.language", config.get("general.language") if config is not None else None)
    code = str(value or "zh").strip().lower()
    if code not in LANGUAGES:
        raise InvalidParameterError(name, value, " or ".join(LANGUAGES))
    return code


def checked(check: Callable[..., Any], name: str, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """An option callback running the library's check (``reef.params``) at parse time, so a bad value fails before
    the store is opened, with the library's message under the option's name (API and CLI word it alike)."""
    def callback(value: Any) -> Any:
        from reef.errors import InvalidParameterError

        if value is None:
            return value
        try:
            return check(name, value, *args, **kwargs)
        except InvalidParameterError as exc:
            from reef.errors_zh import value_words  # a list as its items, true/false as written: never Python's repr

            raise typer.BadParameter(f"{value_words(exc.value, 'en')}. Expected {exc.expected}.") from None
    return callback


def invoked_as(argv0: str | None = None) -> str:
    """How to call Reef again, for a printed next step: ``reef`` when that is on PATH (or the command was not run
    as a script), else the script's path as typed (``.venv/bin/reef``, as the README's demo command runs it).

    >>> invoked_as("python")
    'reef'
    """
    import os
    import shutil

    argv0 = sys.argv[0] if argv0 is None else argv0
    if Path(argv0).name != "reef":
        return "reef"
    found = shutil.which("reef")
    if found and Path(found).resolve() == Path(argv0).resolve():
        return "reef"
    return os.path.relpath(argv0) if not os.path.isabs(argv0) else argv0
