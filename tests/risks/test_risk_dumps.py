"""Heat-death measures on a real Stack Exchange dump equal a direct count from its XML."""
from __future__ import annotations

from datetime import datetime, timezone

from reef.config import load_config
from reef.ingest import import_paths
from reef.risks.metrics import heat_metrics
from reef.store import open_store
from tests.conftest import load_script, shared_data



def _direct():
    return load_script("validate_risks").direct_counts


def test_quantumcomputing_first_response_matches_the_xml(tmp_path):
    folder = shared_data("se-quantumcomputing")
    store = open_store(tmp_path / "qc.duckdb")
    import_paths(store, [folder])
    cfg = load_config()
    ts = datetime(2018, 7, 1, tzinfo=timezone.utc)
    lib = heat_metrics(store, ts, 60, cfg)
    raw = _direct()(folder, ts, 60, int(cfg.get("risks.newcomer_days")), float(cfg.get("risks.response_hours")))
    assert lib["newcomers"] == raw["newcomers"] > 10
    assert abs(lib["ttfr_h"] - raw["ttfr_h"]) < 1e-6
    assert lib["unanswered"] == raw["unanswered"]
    assert (lib["contributors"], lib["items"], lib["caf"]) == (raw["contributors"], raw["items"], raw["caf"])
    assert abs(lib["stickiness"] - raw["stickiness"]) < 1e-9
