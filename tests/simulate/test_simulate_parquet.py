"""Parquet output is deterministic by seed, complete, and the text is varied."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from reef.errors import InvalidParameterError
from reef.config import load_config
from reef.simulate import SimulationSpec, simulate_to_parquet

TINY = dict(members=200, days=30)


def _digest(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_different_seed_different(tmp_path):
    a = simulate_to_parquet(tmp_path / "a", SimulationSpec(seed=5, **TINY))
    simulate_to_parquet(tmp_path / "b", SimulationSpec(seed=5, **TINY))
    simulate_to_parquet(tmp_path / "c", SimulationSpec(seed=6, **TINY))
    da, db, dc = (_digest(tmp_path / x) for x in "abc")
    assert da == db
    assert da["content-00000.parquet"] != dc["content-00000.parquet"]
    assert a.counts["content"] == pq.read_table(tmp_path / "a" / "content-00000.parquet").num_rows


def test_parquet_parts_truth_and_ground_truth_json(tmp_path):
    s = simulate_to_parquet(tmp_path, SimulationSpec(seed=3, part_rows=1000, **TINY))
    parts = sorted(p.name for p in tmp_path.glob("interactions-*.parquet"))
    assert len(parts) >= 2 and parts[0] == "interactions-00000.parquet"
    assert sum(pq.read_metadata(tmp_path / p).num_rows for p in parts) == s.counts["interactions"]
    truth = json.loads((tmp_path / "ground_truth.json").read_text(encoding="utf-8"))
    names = {x["scenario"] for x in truth["scenarios"]}
    assert {"pr_crisis", "misinformation", "faction_conflict", "heat_death", "burnout", "campaign_ripple"} <= names
    assert (tmp_path / "truth" / "truth_content-00000.parquet").exists()
    content = pq.read_table(tmp_path / "content-00000.parquet", columns=["created_at"]).column(0)
    assert str(content.type) == "timestamp[us, tz=Asia/Shanghai]"


def test_text_has_thousands_of_distinct_sentences(tmp_path):
    simulate_to_parquet(tmp_path, SimulationSpec(members=1500, days=60, seed=9))
    bodies = pq.read_table(tmp_path / "content-00000.parquet", columns=["body"]).column(0).to_pylist()
    sentences = {s.strip() for b in bodies for s in re.split(r"[。！？!?；\n]", b or "") if len(s.strip()) >= 4}
    assert len(sentences) >= 5000
    text = "".join(bodies)
    for marker in ("澜途S7", "OTA", "km", "续航", "@"):
        assert marker in text, marker
    assert re.search(r"[一二三四五六七八九十]百", text), "no Chinese numerals"
    assert re.search(r"[續車機謝]", text), "no traditional characters"
    assert re.search(r"[\U0001F300-\U0001FAFF]", text), "no emoji"
    assert re.search(r"1[3-9]\d{9}", text) and re.search(r"[粤沪京浙苏川鄂渝闽陕][A-Z]·?\s?D?\d{5}", text)


def test_spec_from_config_and_validation():
    spec = SimulationSpec.from_config(load_config(), members=500)
    assert spec.members == 500 and spec.days == load_config().get("simulate.days")
    with pytest.raises(InvalidParameterError):
        SimulationSpec(members=10)
    with pytest.raises(InvalidParameterError):
        SimulationSpec(crisis_aspect="天气")
    with pytest.raises(InvalidParameterError):
        SimulationSpec.from_config(load_config(), colour="red")


def test_parquet_output_imports_cleanly(tmp_path, store):
    from reef.ingest import import_paths

    s = simulate_to_parquet(tmp_path / "out", SimulationSpec(seed=4, **TINY))
    result = import_paths(store, s.files, fmt="parquet")
    assert result.quarantined == 0
    assert store.fetch_value("SELECT count(*) FROM content") == s.counts["content"]
    assert store.fetch_value("SELECT count(*) FROM interactions") == s.counts["interactions"]
