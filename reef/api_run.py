"""The library functions behind ``reef simulate``, ``reef demo`` and ``reef config show`` (re-exported by
:mod:`reef.api`, which the CLI calls).

Example:
    >>> from reef.config import load_config
    >>> any(row["key"] == "general.timezone" for row in describe_config(load_config()))
    True
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from reef.config import Config, load_config
from reef.errors import InvalidParameterError, MissingDependencyError, ReefError
from reef.store import open_store
from reef.store.connection import Store

__all__ = ["simulate_community", "run_demo", "describe_config", "Progress"]

Progress = Callable[[str, int, int], None]


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
