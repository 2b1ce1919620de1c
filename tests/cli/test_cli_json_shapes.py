"""One shape for every ``--json`` output: each command runs on a small simulated store and every time in its JSON
is ISO 8601 (``T``, ``±HH:MM``) in the store's zone, every date ``YYYY-MM-DD`` (docs/cli.md, "JSON output")."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from reef.cli import app
from tests.cli.conftest import cli_commands

runner = CliRunner()
# Commands that make a store or need no store (their JSON holds no store times); `demo` simulates its own.
SKIP = {"import", "simulate", "demo", "text analyze", "text eval", "user add", "user token", "serve"}
ROOT = Path(__file__).resolve().parents[2]
# Anything that starts like a date: it must be a date or an ISO time, never DuckDB's "2026-06-01 21:56:03+08".
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    import duckdb

    folder = tmp_path_factory.mktemp("json")
    db = folder / "s.duckdb"
    assert runner.invoke(app, ["simulate", "--db", str(db), "--members", "120", "--days", "40", "--seed", "3"]).exit_code == 0
    assert runner.invoke(app, ["analyze", "--db", str(db)]).exit_code == 0
    con = duckdb.connect(str(db), read_only=True)
    ids = {"member": con.execute("SELECT member_id FROM ladder_members ORDER BY rank LIMIT 1").fetchone()[0],
           "campaign": con.execute("SELECT campaign_id FROM campaigns ORDER BY 1 LIMIT 1").fetchone()[0]}
    con.close()
    added = runner.invoke(app, ["action", "add", ids["member"], "--kind", "recognise", "--db", str(db), "--json"])
    ids["action"] = json.loads(added.stdout)["action_id"]
    task = runner.invoke(app, ["action", "add", ids["member"], "--kind", "assign_task", "--brief", "写提纲", "--db", str(db), "--json"])
    ids["task"] = json.loads(task.stdout)["action_id"]  # `action cancel` needs an open action of its own: done is final
    mistake = runner.invoke(app, ["action", "add", ids["member"], "--kind", "recognise", "--db", str(db), "--json"])
    ids["mistake"] = json.loads(mistake.stdout)["action_id"]  # `action withdraw` needs a done action of its own
    return db, ids, folder


def _args(name: str, ids: dict, folder: Path) -> list[str]:
    return {"member": [ids["member"]], "contest": ["--campaign", ids["campaign"]], "ask": ["充电"],
            "action add": [ids["member"], "--kind", "recognise"], "ripple": ["--campaign", ids["campaign"]], "action done": [ids["action"]], "quarantine-clear": ["--all"],
            "action cancel": [ids["task"]], "action withdraw": [ids["mistake"], "--reason", "记错了成员"],
            "team": ["--brief", str(ROOT / "docs" / "examples" / "team-brief.toml")],
            "export": ["--out", str(folder / "export")], "guide": ["--out", str(folder / "guides")], "report": ["--out", str(folder / "report")]}.get(name, [])


def _json_commands() -> dict[str, bool]:
    """Every command with --json, and whether it takes --db."""
    return {n: any("--db" in getattr(p, "opts", ()) for p in c.params) for n, c in cli_commands(get_command(app))
            if n not in SKIP and any("--json" in getattr(p, "opts", ()) for p in c.params)}


def _strings(data):
    if isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)
    elif isinstance(data, str):
        yield data


def test_the_walk_sees_the_commands_the_review_named():
    assert {"ladder", "member", "funnel", "recognise", "contest", "kb qa", "status", "risks", "crisis", "effect"} <= set(_json_commands())


@pytest.mark.parametrize("name", _json_commands())
def test_every_time_in_json_is_iso_in_the_store_zone(name, sim, monkeypatch):
    db, ids, folder = sim
    monkeypatch.chdir(folder)  # a command that writes beside the working directory (guide) writes into the test's folder
    store = ["--db", str(db)] if _json_commands()[name] else []
    result = runner.invoke(app, [*name.split(), *_args(name, ids, folder), *store, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for text in _strings(data):
        if not _DATE_LIKE.match(text) or " " in text.strip() and not re.match(r"^\d{4}-\d{2}-\d{2} \d", text):
            continue  # a sentence that starts with a date is text, not a time
        if len(text) == 10:
            date.fromisoformat(text)
            continue
        assert "T" in text, f"`reef {name} --json`: {text!r} is not ISO 8601 (no T)"
        moment = datetime.fromisoformat(text)
        assert moment.utcoffset() == timedelta(hours=8), f"`reef {name} --json`: {text!r} is not in the store's zone (+08:00)"
        assert re.search(r"[+-]\d{2}:\d{2}$", text), f"`reef {name} --json`: {text!r} has no ±HH:MM offset"


def test_until_takes_its_whole_day_and_as_of_help_says_a_date_is_its_midnight(sim):
    """docs/cli.md: `--until DAY` keeps actions of DAY (a calendar day in the store's zone); `--as-of DAY` is DAY's
    00:00, so that day is not included — the help says so."""
    db, _, _ = sim
    items = json.loads(runner.invoke(app, ["action", "list", "--db", str(db), "--json", "--per-page", "200"]).stdout)["items"]
    first = min(items, key=lambda a: a["created_at"])
    day = datetime.fromisoformat(first["created_at"]).date()
    def listed(until):
        out = runner.invoke(app, ["action", "list", "--db", str(db), "--json", "--per-page", "200", "--until", until.isoformat()])
        return {a["action_id"] for a in json.loads(out.stdout)["items"]}
    assert first["action_id"] in listed(day) and first["action_id"] not in listed(day - timedelta(days=1))
    helps = [runner.invoke(app, [*cmd, "--help"], env={"COLUMNS": "300"}).stdout for cmd in (["ladder"], ["risks"], ["analyze"])]
    assert all("00:00" in h for h in helps)


def test_json_output_keeps_text_shaped_like_an_impossible_time():
    from reef.cli._json import json_ready

    data = {"body": "2026-02-30 10:00:00", "attrs": ["2026-13-01 00:00"], "at": "2026-06-01 21:56"}
    assert json_ready(data, "Asia/Shanghai") == {"body": "2026-02-30 10:00:00", "attrs": ["2026-13-01 00:00"],
                                                 "at": "2026-06-01T21:56:00+08:00"}


# docs/cli.md "JSON output": every object-shaped read names the moment it describes; list-shaped reads stay arrays.
OBJECT_READS = ("member", "funnel", "contest", "ripple", "seed-plan", "helpers", "risks", "crisis", "groups", "plaza",
                "council", "effect", "team")


@pytest.mark.parametrize("name", OBJECT_READS)
def test_object_shaped_reads_carry_their_as_of(name, sim):
    db, ids, folder = sim
    result = runner.invoke(app, [*name.split(), *_args(name, ids, folder), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict) and data.get("as_of"), f"`reef {name} --json` has no as_of"
    assert datetime.fromisoformat(data["as_of"]).utcoffset() == timedelta(hours=8)


# docs/cli.md names `--json` keys in each command's `--json` row; a key named there must be one the command emits.
DOC = ROOT / "docs" / "cli.md"
_VALUES = {"unused_column", "no_interactions", "no_candidates", "no_outer_rings", "no_engagement", "general", "timezone"}
# Keys the docs name for a case the small store does not reach (alerts sent to configured robots).
# Rows of lists the small store leaves empty (stuck members, council seats, quarantine, users) are not checked either.
_CONDITIONAL = {"alerts": {"robots", "name", "error", "last_failure"}, "funnel": {"member_id", "potential", "stage_since", "days_at_stage"},
                "council": {"covers"}, "quarantine": {"where", "reason", "reason_code"},
                "user list": {"username", "role", "created_at", "disabled", "has_password", "tokens"}}


def _keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def _documented_keys(name: str) -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## `reef {name}`")
    end = text.find("\n## ", start + 1)
    row = next((line for line in text[start:end].splitlines() if line.startswith("| `--json` |")), "")
    row = row.split("; with `--")[0]  # keys of another mode (`groups --circle`, `helpers --member`) are not checked
    return {t for t in re.findall(r"`([a-z][a-z0-9_]*)`", row.split("|", 2)[2]) if t not in _VALUES}


def _json_of(name: str, sim, monkeypatch):
    """What ``reef <name> ... --json`` prints on the simulated store, parsed (the command must succeed)."""
    db, ids, folder = sim
    monkeypatch.chdir(folder)
    store = ["--db", str(db)] if _json_commands()[name] else []
    result = runner.invoke(app, [*name.split(), *_args(name, ids, folder), *store, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", [n for n in _json_commands() if _documented_keys(n)])
def test_json_keys_named_in_the_docs_are_emitted(name, sim, monkeypatch):
    missing = _documented_keys(name) - _keys(_json_of(name, sim, monkeypatch)) - _CONDITIONAL.get(name, set())
    assert not missing, f"docs/cli.md names `reef {name} --json` keys it does not emit: {sorted(missing)}"


def test_funnel_json_has_a_median_key_per_stage(sim):
    """docs/cli.md "JSON output": keys do not depend on the data; a stage nobody counted reached is null."""
    db, _, _ = sim
    data = json.loads(runner.invoke(app, ["funnel", "--db", str(db), "--json"]).stdout)
    assert set(data["median_days_to_reach"]) == {"1", "2", "3", "4"}


# The other way round: a row that lists its command's keys lists every top-level one (the keys of an object, of a
# list's rows). docs/cli.md's `reef plaza` row named `starters`, `topics`, `total` and not the `as_of` and `warning`
# every object-shaped read carries. Rows that sum keys up in a word are left out, with the word.
_SUMMED_UP = {"member": "the member's `reef ladder` row (… `flags` …)", "effect": "counts (`n_treated` …)",
              "connectors": "raw figures such as …", "export": "what was written (`out`, `sheets` …)"}


def _top_keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data)
    return {k for row in data if isinstance(row, dict) for k in row}


@pytest.mark.parametrize("name", [n for n in _json_commands() if _documented_keys(n) and n not in _SUMMED_UP])
def test_json_keys_emitted_are_named_in_the_docs(name, sim, monkeypatch):
    unnamed = _top_keys(_json_of(name, sim, monkeypatch)) - _documented_keys(name)
    assert not unnamed, f"`reef {name} --json` emits keys its docs/cli.md `--json` row does not name: {sorted(unnamed)}"
