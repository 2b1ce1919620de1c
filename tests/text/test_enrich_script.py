"""Parallel enrichment from a plain script without an ``if __name__ == "__main__":`` guard (QA: it hung forever)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.text.test_enrich import TEXTS, _add, _store

ROOT = Path(__file__).resolve().parents[2]


def test_unguarded_script_enriches_with_workers_and_is_not_run_again(tmp_path):
    store = _store(tmp_path / "db")
    _add(store, [(None, f"{t}，第{i}条") for i, (_, t) in enumerate(TEXTS * 3)])
    store.close()
    script = tmp_path / "notebook_export.py"
    script.write_text(textwrap.dedent(f"""
        import os, reef
        print("BODY", os.getpid(), flush=True)
        c = reef.open({str(tmp_path / "db" / "s.duckdb")!r},
                      config={{"text.enrich_parallel_min": 1, "text.enrich_workers": 2, "text.enrich_batch": 12}})
        s = c.enrich()
        print("DONE", s.enriched, s.workers, flush=True)
        c.close()
    """), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The old spawn Pool re-ran this script in every worker, which died on the locked store and was respawned forever.
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, env=env,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.split("\n")
    assert sum(line.startswith("BODY") for line in lines) == 1  # the workers did not run the script
    assert f"DONE {len(TEXTS) * 3} 2" in done.stdout
    assert "StoreLocked" not in done.stderr
