"""Python examples of the docs run as written: on a simulated community saved as ``community.duckdb`` (the store the
examples open), each block in a fresh namespace of one Python process, which must end without a store left open
(DuckDB's "nanobind: leaked" lines at exit).

Only the blocks in EXAMPLES are run (about 25 s with the store they need). docs/simulator.md's block simulates 3,000
members over 180 days (about 20 s more) and runs in its own test. The blocks in KEYED run in this process with their
documented calls recording what they return: every key their ``# {...}`` comments name must be in it (about 10 s).
"""
from __future__ import annotations

import fnmatch
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


# Blocks whose comments name the keys a call returns (``call(...)  # {as_of, total, circles: [{circle_id, ...}]}``):
# each is run as written with the documented calls recording their results, and every key a comment names must be
# in the result (a list of dicts: its first row), so a renamed or dropped key fails here, not in an analyst's notebook.
KEYED = [("layers.md", "interest_groups("), ("layers.md", "propose_team("), ("layers.md", "team_builder("),
         ("risks.md", "risk_radar(")]
_TOKEN = re.compile(r"\.\.\.|…|[{}\[\]():,]|[\w*]+|[^\s\w]")


def documented_keys(text: str) -> dict:
    """The keys a ``{a, b: [{c, d}], e (a note)}`` comment names: {key: keys of its rows, or None}. Notes in
    parentheses, ``...`` and other values (``[action ids]``) are skipped; a dict value (``{...}``) or a list of dicts
    (``[{...}]``) names the keys of the dict or of its rows.

    >>> documented_keys("{as_of, rows: [{id, *_part, ...}], members (a page), ids: [ids], by: {(notes) day, n}}")
    {'as_of': None, 'rows': {'id': None, '*_part': None}, 'members': None, 'ids': None, 'by': {'day': None, 'n': None}}
    """
    tokens, at = _TOKEN.findall(text), 0

    def skip_group(i: int) -> int:  # tokens[i] opens a bracket: the index after its match
        depth = 0
        for j in range(i, len(tokens)):
            depth += tokens[j] in "{[(" and 1 or -(tokens[j] in "}])")
            if depth == 0:
                return j + 1
        return len(tokens)

    def parse(i: int) -> tuple[dict, int]:  # tokens[i] == "{"
        keys, i = {}, i + 1
        while i < len(tokens) and tokens[i] != "}":
            tok = tokens[i]
            if tok in ("...", "…", ","):
                i += 1
                continue
            if tok in "[(":  # a note standing for keys: (propose_team's dict)
                i = skip_group(i)
                continue
            key, i = tok, i + 1
            keys[key] = None
            while i < len(tokens) and tokens[i] not in (",", "}"):
                if tokens[i] == ":" and tokens[i + 1: i + 3] == ["[", "{"]:  # a list of dicts: its rows' keys
                    keys[key] = parse(i + 2)[0]
                    i = skip_group(i + 1)
                elif tokens[i] == ":" and tokens[i + 1] == "{":  # a dict: its keys
                    keys[key], i = parse(i + 1)
                elif tokens[i] in "{[(":
                    i = skip_group(i)
                else:
                    i += 1
        return keys, i + 1

    while tokens[at] != "{":
        at += 1
    return parse(at)[0]


def commented_calls(code: str) -> dict[str, dict]:
    """{function: documented keys} of a block: a ``# {…}`` comment (continued on the next comment lines until its
    braces close) describes the last call statement before it (``name(`` or ``x = name(`` starting a line)."""
    out, last, lines = {}, None, code.splitlines()
    for n, line in enumerate(lines):
        code_part, _, comment = line.partition("#")
        call = re.match(r"\s*(?:\w+\s*=\s*)?(\w+)\(", code_part)
        if call and call.group(1) not in ("with", "Community", "print"):
            last = call.group(1)
        if comment.strip().startswith("{") and last:
            text, m = comment, n
            while text.count("{") > text.count("}") and m + 1 < len(lines) and lines[m + 1].strip().startswith("#"):
                m += 1
                text += " " + lines[m].strip().lstrip("#")
            out[last] = documented_keys(text)
    return out


def missing_keys(documented: dict, got, where: str) -> list[str]:
    rows = got if isinstance(got, list) else [got]
    if not rows or not isinstance(rows[0], dict):
        return [f"{where}: no row to check (got {type(got).__name__} {got!r:.80})"]
    have, missing = rows[0], []
    for key, sub in documented.items():
        found = [k for k in have if fnmatch.fnmatch(k, key)]
        if not found:
            missing.append(f"{where}.{key}")
        elif sub:
            missing += missing_keys(sub, have[found[0]], f"{where}.{key}")
    return missing


def test_doc_example_results_have_the_keys_the_docs_name(community_file, tmp_path, monkeypatch):
    import importlib

    shutil.copy(community_file, tmp_path / "community.duckdb")
    (tmp_path / "docs").symlink_to(ROOT / "docs")  # the blocks name docs/examples/... as from the repository's root
    monkeypatch.chdir(tmp_path)
    problems, checked = [], 0
    for page, marker in KEYED:
        label, code = python_block(page, marker)
        calls, results = commented_calls(code), {}
        assert calls, f"{label}: no '# {{...}}' comment found"
        for module, names in re.findall(r"^from (\S+) import (.+)$", code, re.M):
            for name in (n.strip() for n in names.split(",")):
                if name in calls:
                    real = getattr(importlib.import_module(module), name)
                    monkeypatch.setattr(f"{module}.{name}", lambda *a, _f=real, _n=name, **k: results.setdefault(_n, _f(*a, **k)))
        exec(compile(code, label, "exec"), {"__name__": "__doc_example__"})
        for name, keys in calls.items():
            assert name in results, f"{label}: {name} was not called through its import"
            problems += missing_keys(keys, results[name], f"{label} {name}")
            checked += 1
    assert checked >= 8 and not problems, problems
