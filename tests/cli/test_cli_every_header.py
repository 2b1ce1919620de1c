"""Every table every CLI command prints is headed in the output language: in English no header is a raw row key
(``campaign_id``, ``ci_low``, ``runs``), in Chinese no header is ASCII words. A command with --lang that this walk
does not run must say why in ``NOT_RUN``, so a new command is walked as soon as it exists.

The headers are those :func:`reef.cli._common.kv_table` and :func:`reef.cli._common.rows_table` give their tables
(a kv table's key column is its header); they run on a copy of the small analysed surface store (``store_template``).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rich.table import Table
from typer.main import get_command
from typer.testing import CliRunner

import reef.cli._common as common
from reef.cli import app
from tests.cli.conftest import cli_commands

runner = CliRunner(env={"COLUMNS": "400"})
ROOT = Path(__file__).resolve().parents[2]
# Commands with --lang that are not run here, and why.
NOT_RUN = {"demo": "simulates and analyses a community of its own (minutes); its table is code_label'd entity counts"}
# Commands without --lang, and why: every other command prints words for an operator, so it takes --lang.
NO_LANG = {"serve": "prints only the web server's own log lines; the dashboard has its language setting",
           "user token": "prints the token alone, for a script to read"}
# Commands that print no table (a file written, a line said).
NO_TABLE = {"report", "quarantine-clear", "version"}
RAW_KEY = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")  # an --json key as it is: member_id, ci_low, runs
ASCII_WORDS = re.compile(r"[\x20-\x7e]*[a-z][\x20-\x7e]*")  # an English word where a Chinese header belongs


def _lang_commands() -> list[str]:
    return [n for n, c in cli_commands(get_command(app)) if any("--lang" in getattr(p, "opts", ()) for p in c.params)]


@pytest.fixture(scope="module")
def walk(store_template, tmp_path_factory):
    """A store with three actions (to complete, cancel and withdraw) and the arguments each command needs."""
    import duckdb

    folder = tmp_path_factory.mktemp("heads")
    db = folder / "reef.duckdb"
    shutil.copy(store_template, db)
    con = duckdb.connect(str(db), read_only=True)
    member = con.execute("SELECT member_id FROM ladder_members ORDER BY rank LIMIT 1").fetchone()[0]
    campaign = con.execute("SELECT campaign_id FROM campaigns ORDER BY 1 LIMIT 1").fetchone()[0]
    con.close()

    def action(*args: str) -> str:
        r = runner.invoke(app, ["action", "add", member, *args, "--db", str(db), "--json"])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)["action_id"]

    ids = {"done": [action("--kind", "recognise"), action("--kind", "recognise")],
           "cancel": [action("--kind", "assign_task", "--brief", "写提纲"), action("--kind", "assign_task", "--brief", "写提纲")],
           "withdraw": []}
    for _ in range(2):  # withdraw takes a done action
        ids["withdraw"].append(action("--kind", "recognise"))
        assert runner.invoke(app, ["action", "done", ids["withdraw"][-1], "--db", str(db)]).exit_code == 0
    (folder / "members.jsonl").write_text('{"member_id": "zz1", "name": "新车主", "joined_at": "2026-01-01T00:00:00+08:00"}\n',
                                          encoding="utf-8")
    args = {"member": [member], "contest": ["--campaign", campaign], "ripple": ["--campaign", campaign], "ask": ["充电"],
            "kb repeated": ["--min-asked", "1"], "action add": [member, "--kind", "recognise"],
            "quarantine-clear": ["--all"], "team": ["--brief", str(ROOT / "docs" / "examples" / "team-brief.toml")],
            "import": [str(folder / "members.jsonl")], "user add": ["walker_{lang}", "--role", "viewer", "--no-password"],
            "export": ["--out", str(folder / "export_{lang}")], "guide": ["--out", str(folder / "guides_{lang}")],
            "report": ["--out", str(folder / "report_{lang}")],
            "text analyze": ["--input", str(folder / "texts.csv"), "--output", str(folder / "features_{lang}.csv")],
            "text eval": ["--out", str(folder / "quality_{lang}.md"), "--data", str(folder / "no-data")]}
    (folder / "texts.csv").write_text("text,x\n充电很慢\n续航不错,1\n", encoding="utf-8")  # a short row: a warning too
    return db, folder, args, ids


@pytest.fixture
def headers(monkeypatch):
    """The headers of the tables the CLI builds: column headers, and a kv table's keys."""
    seen: list[str] = []

    class Recording(Table):
        def add_column(self, header="", *args, **kwargs):
            if self.show_header:
                seen.append(str(header))
            return super().add_column(header, *args, **kwargs)

        def add_row(self, *cells, **kwargs):
            if not self.show_header and cells:
                seen.append(str(cells[0]))
            return super().add_row(*cells, **kwargs)

    monkeypatch.setattr(common, "Table", Recording)
    return seen


def test_the_walk_covers_every_command_with_a_language():
    assert {"ripple", "seed-plan", "status", "effect", "action add", "groups", "council"} <= set(_lang_commands())
    assert set(NOT_RUN) <= set(_lang_commands())


def test_every_command_but_the_named_ones_takes_lang():
    every = {n for n, _ in cli_commands(get_command(app))}
    assert {"enrich", "text analyze", "text eval", "analyses", "version"} <= set(_lang_commands())
    assert every - set(_lang_commands()) == set(NO_LANG), "a command prints operator words without --lang"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", [n for n in _lang_commands() if n not in NOT_RUN])
def test_no_table_is_headed_with_a_raw_key(name, lang, walk, headers, monkeypatch):
    db, folder, args, ids = walk
    monkeypatch.chdir(folder)  # a command that writes beside the working directory writes into the test's folder
    given = [a.format(lang=lang) for a in args.get(name, [])]
    if name.startswith("action ") and name.split()[1] in ids:
        given = [ids[name.split()[1]][lang == "zh"], *(["--reason", "记错了成员"] if name == "action withdraw" else [])]
    if name == "simulate":
        given = ["--members", "50", "--days", "14", "--seed", "1"]
        target = folder / f"sim_{lang}.duckdb"
    else:
        target = db
    takes_db = any("--db" in getattr(p, "opts", ()) for p in dict(cli_commands(get_command(app)))[name].params)
    result = runner.invoke(app, [*name.split(), *given, *(["--db", str(target)] if takes_db else []), "--lang", lang])
    assert result.exit_code == 0, result.output
    # a table with no rows is one line saying so (nothing quarantined in this store)
    empty = result.stdout.rstrip().endswith(("：暂无。", ": none."))
    assert headers or empty or name in NO_TABLE, f"`reef {name}` printed no table"
    if lang == "en":
        raw = [h for h in headers if RAW_KEY.fullmatch(h)]
        assert not raw, f"`reef {name} --lang en` heads columns with raw keys: {raw}"
    else:
        english = [h for h in headers if ASCII_WORDS.fullmatch(h)]
        assert not english, f"`reef {name} --lang zh` heads columns in ASCII words: {english}"
