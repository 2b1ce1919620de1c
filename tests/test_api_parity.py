"""Parity of the Python API with the CLI: every read command's ``--json`` equals its ``Community`` method's result on
the same store, and every command has a method or a reason not to (reef.api_reads.CLI_METHODS / CLI_EXCLUDED)."""
from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

import reef
from reef.api_reads import CLI_EXCLUDED, CLI_METHODS
from reef.cli import app
from reef.cli._common import to_json
from reef.store import close_all

BRIEF = Path(__file__).resolve().parents[1] / "docs" / "examples" / "team-brief.toml"
# Commands whose method writes or only starts work, tested elsewhere (tests/test_api.py, tests/cli).
NOT_READS = {"import", "simulate", "report", "enrich"}


def _leaves(group, prefix=""):
    for name, cmd in group.commands.items():
        if getattr(cmd, "commands", None):
            yield from _leaves(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}"


def _ids(path: Path) -> dict:
    """A member on the ladder, a campaign and a circle of the store, for the commands that take one."""
    c = reef.open(path, read_only=True)
    try:
        one = lambda sql: c.sql(sql).column(0).to_pylist()[0]  # noqa: E731
        return {"member": one("SELECT member_id FROM ladder_members ORDER BY member_id LIMIT 1"),
                "campaign": one("SELECT campaign_id FROM campaigns ORDER BY 1 LIMIT 1"),
                "circle": one("SELECT circle_id FROM layers_circles ORDER BY 1 LIMIT 1")}
    finally:
        c.close()


def _cases(ids: dict, out: Path) -> dict[str, tuple[list[str], str, tuple, dict]]:
    """command -> (CLI arguments, method, positional, keyword arguments): the same call through both doors."""
    m, camp, circle = ids["member"], ids["campaign"], ids["circle"]
    return {
        "status": ([], "status", (), {}),
        "quarantine": (["--limit", "5"], "quarantine", (), {"limit": 5}),
        "action list": (["--per-page", "5"], "actions", (), {"per_page": 5}),
        "analyze": (["--as-of", "2000-01-01"], "analyze", (), {"as_of": "2000-01-01"}),
        "ladder": (["--top", "5", "--lang", "en"], "ladder", (), {"top": 5, "lang": "en"}),
        "member": ([m], "member", (m,), {}),
        "funnel": ([], "funnel", (), {}),
        "recognise": (["--top", "5"], "recognise", (), {"top": 5}),
        "contest": (["--campaign", camp, "--top", "3"], "contest", (), {"campaign": camp, "top": 3}),
        "campaigns": (["--lang", "en"], "campaigns", (), {"lang": "en"}),
        "connectors": (["--top", "5", "--role", "all"], "connectors", (), {"top": 5, "role": "all"}),
        "ripple": (["--campaign", camp], "ripple", (), {"campaign": camp}),
        "seed-plan": (["--k", "3", "--runs", "50", "--seed", "7"], "seed_plan", (), {"k": 3, "runs": 50, "seed": 7}),
        "helpers": (["--top", "5", "--member", m], "helpers", (), {"top": 5, "member": m}),
        "kb qa": (["--top", "5"], "kb_qa", (), {"top": 5}),
        "kb essence": (["--top", "5"], "kb_essence", (), {"top": 5}),
        "kb repeated": (["--top", "5", "--min-asked", "1"], "kb_repeated", (), {"top": 5, "min_asked": 1}),
        "kb topics": (["--top", "5"], "kb_topics", (), {"top": 5}),
        "kb gaps": (["--top", "5"], "kb_gaps", (), {"top": 5}),
        "ask": (["冬天续航掉多少", "--top", "3"], "ask", ("冬天续航掉多少",), {"top": 3}),
        "crisis": (["--days", "5"], "crisis", (), {"days": 5}),
        "guide": (["--out", str(out), "--format", "md"], "guide", (), {"out": out, "fmt": "md"}),
        "risks": (["--evidence", "2"], "risks", (), {"evidence": 2}),
        "alerts": (["--top", "5"], "alerts", (), {"top": 5}),
        "groups": (["--circle", circle, "--top", "3"], "groups", (), {"circle": circle, "top": 3}),
        "plaza": (["--top", "5"], "plaza", (), {"top": 5}),
        "council": (["--seats", "5"], "council", (), {"seats": 5}),
        "effect": (["--action", "recognise"], "effect", (), {"action": "recognise"}),
        "team": (["--brief", str(BRIEF), "--seed", "1"], "team", (str(BRIEF),), {"seed": 1}),
    }


def _plain(value):
    """JSON as --json prints it, without run times (they differ between two runs of the same work)."""
    if hasattr(value, "to_pylist"):  # an Arrow table
        value = value.to_pylist()
    elif hasattr(value, "as_dict"):  # the RunReport
        value = value.as_dict()

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ("seconds", "finished_at", "started_at")}
        if isinstance(node, str):  # a warning's advice names --as-of on the CLI, the parameter as_of in the API: by design
            return cli_wording(node)
        return [strip(v) for v in node] if isinstance(node, list) else node

    # Written in the store's zone, as --json writes every time (docs/cli.md, "JSON output"): the simulated store
    # keeps the default general.timezone.
    from reef.config import load_config
    from reef.store.coverage import cli_wording

    return strip(json.loads(to_json(value, str(load_config().get("general.timezone")))))


def _fresh(template: Path, path: Path) -> Path:
    close_all()
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.copy(template, path)
    return path


def test_every_cli_command_has_a_method_or_a_reason():
    commands = set(_leaves(get_command(app)))
    assert commands == set(CLI_METHODS) | set(CLI_EXCLUDED), "a new command needs a Community method or a reason in CLI_EXCLUDED"
    assert not set(CLI_METHODS) & set(CLI_EXCLUDED)
    assert all(reason.strip() for reason in CLI_EXCLUDED.values())
    for command, method in CLI_METHODS.items():
        assert callable(getattr(reef.Community, method, None)), f"{command}: Community.{method} is missing"
    assert set(_cases({"member": "m", "campaign": "c", "circle": "c"}, Path("g"))) == set(CLI_METHODS) - NOT_READS


def test_docs_name_every_method_and_every_command_left_out():
    """docs/cli.md, "The Python API": its table has a row for every command with a method, and its list of the commands
    without one names each of CLI_EXCLUDED (`user ...` stands for the user subcommands). The list lacked
    `quarantine-clear`."""
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text[text.index("## The Python API"):text.index("**Warnings.**")]
    tabled = set(re.findall(r"\| `([a-z -]+)` \| `[a-z_]+\(", section))
    assert set(CLI_METHODS) - tabled == set(), f"docs/cli.md's Python API table lacks: {sorted(set(CLI_METHODS) - tabled)}"
    left_out = section[section.index("CLI_EXCLUDED`:"):]
    left_out = left_out[:left_out.index("\n\n")]
    named = set(re.findall(r"`([a-z][a-z -]*)(?: \.\.\.)?`", left_out))
    missing = sorted(c for c in CLI_EXCLUDED if c not in named and c.split()[0] not in named)
    assert not missing, f"docs/cli.md does not name these commands without a method: {missing}"


def test_every_read_command_json_equals_its_method(store_template, tmp_path):
    path = tmp_path / "parity.duckdb"
    ids = _ids(_fresh(store_template, path))
    runner, failures = CliRunner(), []
    for command, (args, method, pos, kwargs) in _cases(ids, tmp_path / "guides").items():
        res = runner.invoke(app, [*command.split(), *args, "--db", str(_fresh(store_template, path)), "--json"])
        assert res.exit_code == 0, (command, res.output[-2000:])
        cli = json.loads(res.stdout)
        _fresh(store_template, path)
        community = reef.open(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            api = getattr(community, method)(*pos, **kwargs)
        community.close()
        if _plain(api) != _plain(cli):
            failures.append(command)
    assert not failures, f"--json and the method differ for: {failures}"


def test_list_results_are_frames_and_dicts_carry_the_warning(store_template, tmp_path):
    c = reef.open(_fresh(store_template, tmp_path / "s.duckdb"))
    assert c.ladder(top=3, format="polars").height == 3
    assert c.kb_qa(top=2).num_rows == 2  # Arrow, as Community.table returns by default
    with pytest.warns(reef.ReefWarning, match="2000-01-01"):
        radar = c.risks(as_of="2000-01-01", lang="en")
    assert "2000-01-01" in radar["warning"]
    with pytest.warns(reef.ReefWarning):
        c.ladder(as_of="2000-01-01")
    assert issubclass(reef.ReefWarning, UserWarning)


LIST_CALLS = {  # Community method -> (reef.reads function, keyword arguments giving rows on the simulated store)
    "ladder": ("ladder", {}), "recognise": ("recognise", {"days": 7}), "connectors": ("connectors", {"role": "all"}),
    "kb_qa": ("qa", {}), "kb_essence": ("essence", {}), "kb_repeated": ("repeated", {"min_asked": 1}),
    "kb_topics": ("topics", {}), "kb_gaps": ("gaps", {}), "ask": ("ask", {"query": "冬天续航掉多少"}),
    "campaigns": ("campaigns", {}),
}


def test_list_read_columns_are_those_of_the_results(store_template, tmp_path):
    from reef.api_reads import COLUMNS

    c = reef.open(_fresh(store_template, tmp_path / "s.duckdb"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method, (name, kwargs) in LIST_CALLS.items():
            table = getattr(c, method)(**kwargs)
            assert table.num_rows and tuple(table.column_names) == COLUMNS[name], method
    c.close()


def test_empty_list_reads_keep_their_columns(tmp_path):
    from reef.api_reads import COLUMNS

    c = reef.open(tmp_path / "empty.duckdb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert list(c.ladder(stage=4, format="pandas").sort_values("rank").columns) == list(COLUMNS["ladder"])
        for method, (name, kwargs) in LIST_CALLS.items():
            table = getattr(c, method)(**kwargs, format="polars")
            assert (table.height, tuple(table.columns)) == (0, COLUMNS[name]), method
        assert tuple(c.quarantine().column_names) == COLUMNS["quarantine"]
    c.close()


def test_every_read_result_says_its_as_of(store_template, tmp_path):
    """Dicts carry ``as_of`` (as --json does); tables carry it in the Arrow schema metadata and a pandas frame's attrs."""
    from datetime import datetime

    from reef.api_reads import result_as_of

    path = tmp_path / "asof.duckdb"
    ids = _ids(_fresh(store_template, path))
    c = reef.open(path)
    missing, moments = [], {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for command, (_, method, pos, kwargs) in _cases(ids, tmp_path / "guides").items():
            if command in ("status", "quarantine", "action list", "analyze"):  # the store's state, not a read at an as_of
                continue
            result = getattr(c, method)(*pos, **kwargs)
            if isinstance(result, dict) and "as_of" not in result or result_as_of(result) is None:
                missing.append(command)
                continue
            moments[command] = datetime.fromisoformat(result_as_of(result))
        frame = c.ladder(top=3, format="pandas")
        assert frame.attrs["as_of"] == c.ladder(top=3).schema.metadata[b"as_of"].decode()
        empty = c.ladder(stage=4, top=1, as_of="2000-01-01")  # an empty table says its as_of too
        assert datetime.fromisoformat(result_as_of(empty)).year == 2000
    c.close()
    assert not missing, f"no as_of on: {missing}"
    # one moment (the end of the data) for the reads that run at the default as_of
    ladder_at = moments["ladder"]
    assert all(moments[k] == ladder_at for k in ("member", "funnel", "recognise", "contest", "connectors", "ripple",
                                                  "seed-plan", "helpers", "kb qa", "ask")), moments
    assert ladder_at.utcoffset() is not None
