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
from typing import Any, Callable, Iterable

from reef.api_reads import ReadsMixin
from reef.api_tables import TablesMixin
from reef.config import Config, load_config
from reef.errors import InvalidParameterError, MissingDependencyError, NotFoundError, ReefError, StoreError
from reef.store import as_of_timestamp, open_store
from reef.store.connection import Store

__all__ = ["Community", "convert", "simulate_community", "run_demo", "describe_config", "FORMATS"]

FORMATS = ("arrow", "polars", "pandas")
Progress = Callable[[str, int, int], None]


def convert(table, format: str = "arrow"):  # noqa: A002 - the documented keyword
    """An Arrow table as ``arrow``, ``polars`` or ``pandas`` (imported only when asked for)."""
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


def _simulator():
    try:
        from reef.simulate import SimulationSpec, simulate_to_parquet, simulate_to_store
    except ImportError as exc:
        missing = getattr(exc, "name", None) or ""
        if missing and not missing.startswith("reef"):
            raise MissingDependencyError(missing, "all") from exc
        raise ReefError("The simulator (reef.simulate) is not available in this installation.",
                        hint="Reinstall Reef, or import real data with import_files().") from exc
    return SimulationSpec, simulate_to_store, simulate_to_parquet


def _simulation_spec(cfg: Config, members: int | None, days: int | None, seed: int | None):
    """The simulator's spec for these sizes (defaults from ``cfg``); raises on sizes it cannot simulate."""
    from reef.params import check_positive

    for name, value in (("members", members), ("days", days)):
        if value is not None:
            check_positive(name, value)
    sizes = {k: v for k, v in (("members", members), ("days", days), ("seed", seed)) if v is not None}
    return _simulator()[0].from_config(cfg, **sizes)


def simulate_community(store: Store | None = None, *, out_dir: str | os.PathLike | None = None,
                       members: int | None = None, days: int | None = None, seed: int | None = None,
                       config: Config | None = None, on_progress: Progress | None = None) -> dict[str, Any]:
    """Simulate a community into ``store`` or as Parquet files in ``out_dir``; returns the summary dict."""
    if (store is None) == (out_dir is None):
        raise InvalidParameterError("target", "store and out_dir", "exactly one of a store or an output folder")
    _, to_store, to_parquet = _simulator()
    cfg = config or (store.config if store is not None else load_config())
    spec = _simulation_spec(cfg, members, days, seed)
    if store is not None and store.table_exists("members") and store.fetch_value("SELECT count(*) FROM members"):
        # The simulator's ids (m001, c100 ...) would overwrite rows of the same id and replace the ground truth.
        raise InvalidParameterError("store", store.path, "an empty store to simulate into",
                                    hint="Simulate into a new store file.")
    summary = to_store(store, spec, on_progress=on_progress) if store is not None else to_parquet(Path(out_dir), spec, on_progress=on_progress)
    return summary.as_dict() if hasattr(summary, "as_dict") else dict(summary)


def run_demo(out_dir: str | os.PathLike | None = None, *, members: int | None = None, days: int | None = None,
             seed: int | None = None, lang: str | None = None, config_path: str | os.PathLike | None = None,
             on_progress: Progress | None = None) -> dict[str, Any]:
    """Simulate into a fresh store in ``out_dir``, run every analysis, write the report.

    Returns figures for the summary and where the store and report are.
    """
    from reef.analyses import run_analyses
    from reef.i18n import check_lang
    from reef.report import write_report

    cfg = load_config(config_path)
    language = check_lang(lang or cfg.get("general.language"))
    _simulation_spec(cfg, members, days, seed)  # checked before the earlier demo is deleted: a rejected one keeps it
    out = Path(out_dir or cfg.get("report.out_dir"))
    out.mkdir(parents=True, exist_ok=True)
    db = out / "demo.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)  # "fresh": a demo never mixes with an earlier one
    store = open_store(db, config=cfg)
    try:
        sim = simulate_community(store, members=members, days=days, seed=seed, on_progress=on_progress)
        runs = run_analyses(store, on_progress=on_progress, raise_on_error=False)
        report = write_report(store, out, lang=language)
        from reef.report import store_status

        status = store_status(store)
    finally:
        store.close()
    return {
        "store": str(db), "report": str(report), "report_md": str(report.with_suffix(".md")),
        "members": members or cfg.get("simulate.members"), "days": days or cfg.get("simulate.days"),
        "simulation": sim, "analyses": runs.as_dict(), "tables": status["tables"],
        "quarantined": status["quarantine"]["total"],
    }


def describe_config(config: Config) -> list[dict[str, Any]]:
    """Every merged key with its value and the source that set it (``reef config show``). Robot credentials are shown
    as errors show them (:func:`reef.config_rules.shown_value`): a signing secret as "…", a robot URL without its key,
    so the output can be pasted into a ticket; ``config.get`` still gives the values."""
    from reef.config_rules import shown_value

    origin = config.origins()
    return [{"key": f"{s}.{k}", "value": shown_value(s, k, v), "source": origin.get(f"{s}.{k}", "defaults.toml")}
            for s, values in config.as_dict().items() for k, v in values.items()]


class Community(TablesMixin, ReadsMixin):
    """One community store, for notebooks: tables as Arrow, Polars or pandas, and one method per read command of the
    CLI (:mod:`reef.api_reads`: ``ladder``, ``connectors``, ``kb_qa``, ``risks`` ...).

    ``path`` is a Reef store, or a new file in an existing folder (it becomes an empty store); a folder that does not
    exist is refused (a mistyped path would otherwise create it and an empty store), as is a file that is not a Reef
    store. ``config`` is a TOML file, a Config, or a dict of overrides, flat (``{"ladder.alert_hours": 3}``) or by
    section (``{"ladder": {"alert_hours": 3}}``). After :meth:`close` the community cannot be used again (its
    methods raise StoreError); call ``reef.open(path)`` for a new handle.
    """

    def __init__(self, path: str | os.PathLike = "reef.duckdb", *, read_only: bool = False,
                 config: Config | str | os.PathLike | None = None):
        self._closed = False
        if str(path) != ":memory:" and not Path(path).parent.is_dir():
            raise NotFoundError(f"The folder of the store does not exist: {Path(path).parent}.",
                                hint=f"Check the path, or create the folder first (mkdir -p {Path(path).parent}); "
                                     "Reef creates a new store file, never folders.")
        if config is not None and not isinstance(config, Config):
            if isinstance(config, dict):  # a dict of overrides, as Config.with_overrides takes
                config = load_config(store_path=path).with_overrides(config)
            else:
                config = load_config(config, store_path=path)
        self._read_only, self._config = read_only, config
        self._store = open_store(path, read_only=read_only, config=config)
        self.path = self._store.path

    @property
    def store(self) -> Store:
        """The process's connection to the store; opened again if another handle to the same file closed it
        (not after this community's own :meth:`close`)."""
        if self._closed:
            raise StoreError(f"This community ({self.path}) was closed.",
                             hint="Open it again with reef.open(path) to go on using it.")
        if self._store.closed:
            self._store = open_store(self.path, read_only=self._read_only, config=self._config or self._store.config)
        return self._store

    @property
    def config(self) -> Config:
        return self.store.config

    def import_files(self, paths: Iterable[str | os.PathLike], fmt: str = "auto", entity: str | None = None,
                     on_progress: Progress | None = None, encoding: str | None = None):
        """Import files (see :func:`reef.ingest.import_paths`); one path or several; returns the ImportSummary.
        ``encoding`` (``"gb18030"`` ...) overrides the detected encoding of CSV and JSONL files, like ``--encoding``."""
        from reef.ingest import import_paths

        if isinstance(paths, (str, os.PathLike)):  # one file, not the characters of its name
            paths = [paths]
        return import_paths(self.store, paths, fmt=fmt, entity=entity, on_progress=on_progress, encoding=encoding)

    def simulate(self, members: int | None = None, days: int | None = None, seed: int | None = None,
                 on_progress: Progress | None = None) -> dict[str, Any]:
        return simulate_community(self.store, members=members, days=days, seed=seed, on_progress=on_progress)

    def analyze(self, as_of: Any = None, only: Iterable[str] | None = None, force: bool = False,
                on_progress: Progress | None = None, lang: str | None = None):
        """Run the registered analyses (see :func:`reef.analyses.run_analyses`); returns the RunReport, whose
        ``as_dict()`` is what ``reef analyze --json`` prints (as_of in the store's zone, ``warning`` in ``lang``,
        default ``general.language``). An as_of the data does not cover is warned about with a
        :class:`reef.errors.ReefWarning`, as the CLI warns on stderr."""
        import warnings

        from reef.errors import ReefWarning
        from reef.reads import run

        report = run(self.store, as_of=as_of, only=only, force=force, on_progress=on_progress, lang=lang)
        if report.warning:
            warnings.warn(report.warning, ReefWarning, stacklevel=2)
        return report

    def enrich(self, force: bool = False, as_of: Any = None, on_progress: Progress | None = None):
        """Text features of new or changed content into ``content_features`` (see :func:`reef.text.enrich.enrich_store`)."""
        from reef.text.enrich import enrich_store

        ts = as_of_timestamp(as_of, self.config.get("general.timezone")) if as_of is not None else None
        return enrich_store(self.store, as_of=ts, force=force, on_progress=on_progress)

    def report(self, out_dir: str | os.PathLike | None = None, as_of: Any = None, lang: str | None = None) -> Path:
        """Write the weekly report into ``out_dir``; an unwritable one is an OutputPathError (``reef report --out``)."""
        from reef.output_paths import output_errors
        from reef.report import write_report

        with output_errors():
            return write_report(self.store, out_dir or self.config.get("report.out_dir"), as_of=as_of,
                                lang=lang or self.config.get("general.language"))

    def close(self) -> None:
        """Close the store (releasing DuckDB's lock on the file); the community cannot be used after this.
        Closing twice is harmless."""
        if not self._closed:
            self._closed = True
            self._store.close()

    def __enter__(self) -> "Community":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Community({self.path!r})"
