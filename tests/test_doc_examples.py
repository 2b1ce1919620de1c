"""Python examples of the docs run as written: on a simulated community saved as ``community.duckdb`` (the store the
examples open), each block in a fresh namespace of one Python process, which must end without a store left open
(DuckDB's "nanobind: leaked" lines at exit).

Only the blocks in EXAMPLES are run (about 25 s with the store they need). docs/simulator.md's block simulates 3,000
members over 180 days (about 20 s more) and runs in its own test.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# (page, a call that names the block): the blocks that are complete programs. Other blocks are fragments (a call's
# shape with placeholders, or a sketch of an analysis with ``...`` in its SQL), or need every analysis of a layer.
EXAMPLES = [("ladder.md", "ladder_list("), ("risks.md", "risk_radar("), ("layers.md", "adopt_team("),
            ("analyses.md", "@report_section(")]
SLOW_EXAMPLES = [("simulator.md", "simulate_to_store(")]

RUNNER = """
import sys, traceback
failed = 0
for label, code in BLOCKS:
    try:
        exec(compile(code, label, "exec"), {"__name__": "__doc_example__"})
        print("ok", label)
    except Exception:
        failed += 1
        print("FAILED", label, file=sys.stderr)
        traceback.print_exc()
sys.exit(1 if failed else 0)
"""


def python_block(page: str, marker: str) -> tuple[str, str]:
    """The python block of ``docs/page`` that holds ``marker``, labelled with its page and first line."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    for match in re.finditer(r"^```python\n(.*?)^```", text, re.S | re.M):
        if marker in match.group(1):
            return f"docs/{page}:{text[: match.start()].count(chr(10)) + 2}", match.group(1)
    raise AssertionError(f"docs/{page} has no python block with {marker}")


def run_blocks(blocks: list[tuple[str, str]], cwd: Path) -> subprocess.CompletedProcess:
    script = cwd / "doc_examples.py"
    script.write_text(f"BLOCKS = {blocks!r}\n{RUNNER}", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def community_file(tmp_path_factory):
    """A simulated community large enough for the docs' member ids (m0837, m0015), role fitness analysed."""
    from reef.api import Community

    folder = tmp_path_factory.mktemp("doc_examples")
    with Community(folder / "community.duckdb") as c:
        c.simulate(members=1000, days=30, seed=7)
        c.analyze(only=["layers_role_fitness"])
    return folder / "community.duckdb"


def test_doc_examples_run_as_written(community_file, tmp_path):
    shutil.copy(community_file, tmp_path / "community.duckdb")
    blocks = [python_block(page, marker) for page, marker in EXAMPLES]
    done = run_blocks(blocks, tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.count("ok ") == len(blocks)
    assert "leaked" not in done.stderr, "a doc example leaves a store open:\n" + done.stderr[-2000:]


def test_slow_doc_examples_run_as_written(tmp_path):
    done = run_blocks([python_block(page, marker) for page, marker in SLOW_EXAMPLES], tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "leaked" not in done.stderr, done.stderr[-2000:]
