"""The Python API for notebooks, and the library functions the CLI calls (one each, in parity).

Example:
    >>> import reef
    >>> c = reef.open(":memory:")
    >>> c.status()["tables"]["content"]
    0
    >>> c.table("members", format="arrow").num_rows
    0
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from reef.api_args import methods_checked
from reef.api_ops import OpsReadsMixin
from reef.api_reads import ReadsMixin
from reef.api_run import Progress, describe_config, run_demo, simulate_community
from reef.api_tables import TablesMixin
from reef.config import Config, load_config
from reef.errors import InvalidParameterError, MissingDependencyError, NotFoundError, StoreError
from reef.store import as_of_timestamp, open_store
from reef.store.connection import Store

__all__ = ["Community", "convert", "simulate_community", "run_demo", "describe_config", "FORMATS"]

FORMATS = ("arrow", "polars", "pandas")


def convert(table, format: str = "arrow"):  # noqa: A002 - the documented keyword
    """An Arrow table as ``arrow``, ``polars`` or ``pandas`` (imported only when asked for).

    >>> import pyarrow as pa
    >>> convert(pa.table({"a": [1, 2]}), "polars").shape
    (2, 1)
    """
    if format == "arrow":
        return table
    if format == "polars":
        try:
            import polars as pl
        except ImportError:
            raise MissingDependencyError("polars", "polars") from None
        return pl.from_arrow(table)
    if format == "pandas":
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise MissingDependencyError("pandas", "pandas") from None
        return table.to_pandas()
    raise InvalidParameterError("format", format, "one of " + ", ".join(FORMATS))


@methods_checked  # an unknown keyword argument is an UnknownParameterError naming the method (reef.api_args)
class Community(TablesMixin, ReadsMixin, OpsReadsMixin):
    """One community store, for notebooks: tables as Arrow, Polars or pandas, and one method per read command of the
    CLI (:mod:`reef.api_reads`: ``ladder``, ``connectors``, ``kb_qa``, ``risks`` ...).

    ``path`` is a Reef store, or a new file in an existing folder (it becomes an empty store; ``~`` is the home
    folder); a folder that does not exist is refused (a mistyped path would otherwise create it and an empty store),
    as is a file that is not a Reef store. ``config`` is a TOML file, a Config, or a dict of overrides, flat
    (``{"ladder.alert_hours": 3}``) or by section (``{"ladder": {"alert_hours": 3}}``). After :meth:`close` the
    community cannot be used again (its methods raise StoreError); call ``reef.open(path)`` for a new handle. The
    methods' examples use ``c``, a Community on a simulated, analysed store.

    Example:
        >>> with reef.open(":memory:") as community:
        ...     "members" in community.tables()
        True
    """

    def __init__(self, path: str | os.PathLike = "reef.duckdb", *, read_only: bool = False,
                 config: Config | str | os.PathLike | None = None):
        from reef.api_args import check_path
        from reef.params import check_flag

        self._closed = False
        if path is None:
            raise InvalidParameterError("path", None, "a file path")
        path, read_only = check_path("path", path), check_flag("read_only", read_only)
        if str(path) != ":memory:":
            path = Path(path).expanduser()  # a notebook's "~/data/reef.duckdb", which no shell expanded
            if not path.parent.is_dir():
                raise NotFoundError(f"The folder of the store does not exist: {path.parent}.",
                                    hint=f"Check the path, or create the folder first (mkdir -p {path.parent}); "
                                         "Reef creates a new store file, never folders.")
        if config is not None and not isinstance(config, Config):
            if isinstance(config, dict):  # a dict of overrides, as Config.with_overrides takes
                config = load_config(store_path=path).with_overrides(config)
            elif isinstance(config, (str, os.PathLike)):
                config = load_config(config, store_path=path)
            else:
                raise InvalidParameterError("config", config, "a file path, a dict of overrides or a Config")
        self._read_only, self._config = read_only, config
        self._store = open_store(path, read_only=read_only, config=config)
        self.path = self._store.path

    @property
    def store(self) -> Store:
        """The process's connection to the store (raw rows, for admins); opened again if another handle to the same
        file closed it (not after this community's own :meth:`close`).

        >>> c.store.fetch_value("SELECT count(*) FROM members") > 0
        True
        """
        if self._closed:
            raise StoreError(f"This community ({self.path}) was closed.",
                             hint="Open it again with reef.open(path) to go on using it.")
        if self._store.closed:
            self._store = open_store(self.path, read_only=self._read_only, config=self._config or self._store.config)
        return self._store

    @property
    def config(self) -> Config:
        """The merged configuration the store was opened with (``reef config show``; ``config.get("section.key")``).

        >>> c.config.get("general.timezone")
        'Asia/Shanghai'
        """
        return self.store.config

    def import_files(self, paths: Iterable[str | os.PathLike], fmt: str = "auto", entity: str | None = None,
                     on_progress: Progress | None = None, encoding: str | None = None):
        """Import files (see :func:`reef.ingest.import_paths`); one path or several; returns the ImportSummary.
        ``encoding`` (``"gb18030"`` ...) overrides the detected encoding of CSV and JSONL files, like ``--encoding``.

        >>> import pathlib, tempfile
        >>> csv = pathlib.Path(tempfile.mkdtemp()) / "members.csv"
        >>> _ = csv.write_text("member_id,joined_at\\nm9001,2026-01-05\\n", encoding="utf-8")
        >>> reef.open(":memory:").import_files(csv, entity="members").by_entity["members"]["imported"]
        1
        """
        from reef.api_args import check_paths
        from reef.ingest import import_paths

        return import_paths(self.store, check_paths("paths", paths), fmt=fmt, entity=entity, on_progress=on_progress,
                            encoding=encoding)

    def simulate(self, members: int | None = None, days: int | None = None, seed: int | None = None,
                 on_progress: Progress | None = None) -> dict[str, Any]:
        """Simulate a community into this store, which must be empty (``reef simulate``); the summary.

        >>> sorted(reef.open(":memory:").simulate(members=50, days=14, seed=1))[:3]
        ['counts', 'events', 'files']
        """
        return simulate_community(self.store, members=members, days=days, seed=seed, on_progress=on_progress)

    def analyze(self, as_of: Any = None, only: Iterable[str] | None = None, force: bool = False,
                on_progress: Progress | None = None, lang: str | None = None):
        """Run the registered analyses (see :func:`reef.analyses.run_analyses`); returns the RunReport, whose
        ``as_dict()`` is what ``reef analyze --json`` prints (as_of in the store's zone, ``warning`` in ``lang``,
        default ``general.language``). An as_of the data does not cover is warned about with a
        :class:`reef.errors.ReefWarning`, as the CLI warns on stderr.

        >>> sorted(c.analyze(only=["ladder"]).as_dict())
        ['as_of', 'results', 'warning', 'watermark']
        """
        import warnings

        from reef.errors import ReefWarning
        from reef.params import check_flag
        from reef.reads import run

        if only is not None and (isinstance(only, (bytes, dict)) or not hasattr(only, "__iter__")
                                 or not isinstance(only, str) and not all(isinstance(n, str) for n in only)):
            raise InvalidParameterError("only", only, "names of registered analyses")
        report = run(self.store, as_of=as_of, only=only, force=check_flag("force", force), on_progress=on_progress, lang=lang)
        if report.warning:
            warnings.warn(report.warning, ReefWarning, stacklevel=3)  # past reef.api_args.keywords_checked
        return report

    def enrich(self, force: bool = False, as_of: Any = None, on_progress: Progress | None = None):
        """Text features of new or changed content into ``content_features`` (see :func:`reef.text.enrich.enrich_store`).

        >>> c.enrich().items > 0
        True
        """
        from reef.params import check_flag
        from reef.text.enrich import enrich_store

        ts = as_of_timestamp(as_of, self.config.get("general.timezone")) if as_of is not None else None
        return enrich_store(self.store, as_of=ts, force=check_flag("force", force), on_progress=on_progress)

    def report(self, out_dir: str | os.PathLike | None = None, as_of: Any = None, lang: str | None = None) -> Path:
        """Write the weekly report into ``out_dir``; an unwritable one is an OutputPathError (``reef report --out``).

        >>> import tempfile
        >>> c.report(out_dir=tempfile.mkdtemp(), lang="en").suffix
        '.html'
        """
        from reef.api_args import check_path
        from reef.output_paths import output_errors
        from reef.report import write_report

        with output_errors():
            return write_report(self.store, check_path("out_dir", out_dir, "folder") or self.config.get("report.out_dir"),
                                as_of=as_of, lang=lang or self.config.get("general.language"))

    def close(self) -> None:
        """Close the store (releasing DuckDB's lock on the file); the community cannot be used after this.
        Closing twice is harmless.

        >>> scratch = reef.open(":memory:")
        >>> scratch.close()
        >>> scratch.status()
        Traceback (most recent call last):
        ...
        reef.errors.StoreError: This community (:memory:) was closed. Open it again with reef.open(path) to go on using it.
        """
        if not self._closed:
            self._closed = True
            self._store.close()

    def __enter__(self) -> "Community":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Community({self.path!r})"
