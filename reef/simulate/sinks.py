"""Where a simulation goes: into a store through one validated import, or to Parquet parts.

Example:
    >>> from reef.store import open_store
    >>> from reef.simulate.spec import SimulationSpec
    >>> s = simulate_to_store(open_store(":memory:"), SimulationSpec(members=100, days=14, seed=1))
    >>> s.counts["members"]
    100
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyarrow.parquet as pq

from reef.ingest.parquet import stage_parquet
from reef.ingest.session import ImportSession
from reef.model.schema import ENTITIES
from reef.simulate.engine import run
from reef.simulate.rows import SCHEMAS, TRUTH_TABLES
from reef.simulate.spec import SimulationSpec

__all__ = ["SimulationSummary", "simulate_to_store", "simulate_to_parquet"]

Progress = Callable[[str, int, int], None]
_ORDER = [e for e in ("members", "groups", "campaigns", "content", "interactions", "official_facts", "awards", "operator_actions") if e in ENTITIES]


@dataclass
class SimulationSummary:
    """What a simulation wrote."""

    spec: SimulationSpec
    counts: dict[str, int] = field(default_factory=dict)
    truth_counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    quarantined: int = 0
    files: list[str] = field(default_factory=list)
    truth_files: list[str] = field(default_factory=list)
    import_summary: object | None = None  # the ImportSummary of simulate_to_store

    @property
    def events(self) -> int:
        """Content items plus interactions."""
        return self.counts.get("content", 0) + self.counts.get("interactions", 0)

    def as_dict(self) -> dict:
        return {"spec": self.spec.as_dict(), "counts": dict(self.counts), "truth_counts": dict(self.truth_counts),
                "events": self.events, "seconds": round(self.seconds, 3), "quarantined": self.quarantined,
                "files": list(self.files), "truth_files": list(self.truth_files)}


def _count(target: dict, name: str, n: int) -> None:
    target[name] = target.get(name, 0) + n


def simulate_to_store(store, spec: SimulationSpec | None = None, on_progress: Progress | None = None) -> SimulationSummary:
    """Simulate ``spec`` into ``store`` as one import; the store's truth tables are replaced."""
    spec = spec or SimulationSpec.from_config(store.config)
    summary = SimulationSummary(spec)
    started = time.perf_counter()
    # Chunks are spooled to Parquet parts and validated straight from them at commit, so memory stays
    # flat however large the community: staged rows would otherwise live until the import commits.
    with ImportSession(store, fmt="simulate") as session:
        for table in TRUTH_TABLES:
            store.con.execute(f'DELETE FROM "{table}"')
        spool = session.spool_path("")
        spool.mkdir()
        writers = {name: _PartWriter(spool, name, spec.part_rows) for name in _ORDER}
        try:
            for _, buf in run(spec, on_progress):
                for entity, writer in writers.items():
                    t = buf.to_arrow(entity)
                    if t.num_rows:
                        writer.write(t)
                for table in TRUTH_TABLES:
                    t = buf.to_arrow(table)
                    if t.num_rows:
                        _insert_truth(store, table, t)
                        _count(summary.truth_counts, table, t.num_rows)
        finally:
            for writer in writers.values():
                writer.close()
        for entity, writer in writers.items():
            for path in writer.paths:
                stage_parquet(session, Path(path), entity=entity)
        if on_progress:
            on_progress("validate", 0, 1)
    for entity in _ORDER:
        row = session.summary.by_entity.get(entity, {})
        summary.counts[entity] = int(row.get("imported", 0) + row.get("updated", 0) + row.get("duplicate", 0))
    summary.import_summary = session.summary
    summary.quarantined = int(session.summary.quarantined)
    summary.seconds = time.perf_counter() - started
    if on_progress:
        on_progress("validate", 1, 1)
    return summary


def _insert_truth(store, table: str, t) -> None:
    cols = ", ".join(f'"{c}"' for c in t.column_names)
    with store.registered("_reef_truth", t):
        store.con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _reef_truth')


class _PartWriter:
    """One table's Parquet parts: <name>-00000.parquet, rolling over every ``part_rows`` rows."""

    def __init__(self, folder: Path, name: str, part_rows: int):
        self.folder, self.name, self.part_rows = folder, name, part_rows
        self.part, self.rows, self.writer, self.paths = 0, 0, None, []

    def write(self, table) -> None:
        if self.writer is not None and self.rows >= self.part_rows:
            self.close()
            self.part += 1
        if self.writer is None:
            path = self.folder / f"{self.name}-{self.part:05d}.parquet"
            self.writer = pq.ParquetWriter(path, SCHEMAS[self.name], compression="zstd")
            self.paths.append(str(path))
            self.rows = 0
        self.writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def simulate_to_parquet(out_dir: str | os.PathLike, spec: SimulationSpec | None = None,
                        on_progress: Progress | None = None) -> SimulationSummary:
    """Simulate ``spec`` to ``<entity>-NNNNN.parquet`` parts in ``out_dir``, truth tables in
    ``out_dir/truth/`` and a ``ground_truth.json`` summary; nothing is held beyond one chunk."""
    spec = spec or SimulationSpec.from_config()
    out = Path(out_dir)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    summary = SimulationSummary(spec)
    started = time.perf_counter()
    writers = {name: _PartWriter(out / "truth" if name in TRUTH_TABLES else out, name, spec.part_rows) for name in SCHEMAS}
    scenarios = []
    try:
        for _, buf in run(spec, on_progress):
            for name, w in writers.items():
                t = buf.to_arrow(name)
                if t.num_rows:
                    w.write(t)
                    _count(summary.truth_counts if name in TRUTH_TABLES else summary.counts, name, t.num_rows)
                    if name == "truth_scenarios":
                        scenarios.extend(t.to_pylist())
    finally:
        for w in writers.values():
            w.close()
    summary.files = [p for n in _ORDER for p in writers[n].paths]
    summary.truth_files = [p for n in TRUTH_TABLES for p in writers[n].paths]
    truth = {
        "spec": spec.as_dict(), "counts": summary.counts, "truth_counts": summary.truth_counts,
        "files": [os.path.relpath(p, out) for p in summary.files], "truth_files": [os.path.relpath(p, out) for p in summary.truth_files],
        "scenarios": [{"scenario": s["scenario"], "started_at": s["started_at"].isoformat(), "ended_at": s["ended_at"].isoformat(),
                       "params": json.loads(s["params"])} for s in scenarios],
    }
    (out / "ground_truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    summary.seconds = time.perf_counter() - started
    return summary
