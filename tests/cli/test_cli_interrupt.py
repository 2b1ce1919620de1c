"""Ctrl-C, DuckDB errors that escape a command, and a closed stdout pipe end a command in one line (or quietly)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from analyses.handmade import write_community
from reef.cli import app, main
from reef.store import open_store

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def db(tmp_path) -> Path:
    db = tmp_path / "c.duckdb"
    result = runner.invoke(app, ["import", *map(str, write_community(tmp_path / "data")), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _counts(db: Path) -> dict:
    store = open_store(db, read_only=True)
    try:
        return {t: store.fetch_value(f"SELECT count(*) FROM {t}") for t in ("members", "content", "imports")}
    finally:
        store.close()


def _more(tmp_path) -> Path:
    path = tmp_path / "more.jsonl"
    path.write_text("".join(f'{{"entity": "members", "member_id": "x{i}", "joined_at": "2026-01-01"}}\n' for i in range(50)),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), RuntimeError("Query interrupted"), duckdb.InterruptException("INTERRUPT Error")])
def test_ctrl_c_during_an_import_is_one_line_exit_130_and_keeps_the_store(db, tmp_path, monkeypatch, stop):
    import reef.ingest

    real = reef.ingest.import_paths

    def interrupted(store, paths, **kwargs):
        def on_progress(label, done, total):  # the import is under way (inside its transaction) when Ctrl-C comes
            raise stop
        return real(store, paths, **{**kwargs, "on_progress": on_progress})

    before = _counts(db)
    monkeypatch.setattr(reef.ingest, "import_paths", interrupted)
    result = runner.invoke(app, ["import", str(_more(tmp_path)), "--db", str(db)])
    assert result.exit_code == 130, result.output
    assert result.stderr.strip() == "Interrupted; nothing was imported; the store is unchanged."
    assert _counts(db) == before


def test_ctrl_c_in_any_command_exits_130(db, monkeypatch):
    import reef.reads

    def stop(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(reef.reads, "status", stop)  # the library call behind `reef status`
    result = runner.invoke(app, ["status", "--db", str(db)])
    assert result.exit_code == 130 and result.stderr.strip().startswith("Interrupted;")


def test_ctrl_c_outside_a_command_exits_130(monkeypatch, capsys):
    """Ctrl-C while click parses (outside handled()): click turns it into Abort, which used to print 'Aborted!', exit 1."""
    import typer.main

    import typer

    tiny = typer.Typer()

    @tiny.command()
    def stop() -> None:  # a command without handled(): Ctrl-C reaches click
        raise KeyboardInterrupt

    command = typer.main.get_command(tiny)
    monkeypatch.setattr(typer.main, "get_command", lambda app: command)
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 130 and "Interrupted." in capsys.readouterr().err


def test_a_duckdb_error_escaping_a_command_is_one_line(db, monkeypatch):
    import reef.reads

    def broken(*a, **k):
        raise duckdb.CatalogException("Catalog Error: Table with name members does not exist!")

    monkeypatch.setattr(reef.reads, "status", broken)  # the library call behind `reef status`
    result = runner.invoke(app, ["status", "--db", str(db)])
    assert result.exit_code == 4, result.output
    assert "Table with name members does not exist" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    as_json = runner.invoke(app, ["status", "--db", str(db), "--json"])
    assert as_json.exit_code == 4 and '"store_error"' in as_json.stdout


@pytest.mark.parametrize("flags", [[], ["--json"]])
def test_a_closed_stdout_pipe_exits_0_quietly(db, flags):
    """`reef status | head -1`: the reader is gone before reef writes; rich used to exit 1 with no message."""
    proc = subprocess.Popen([sys.executable, "-c", "from reef.cli import main; main()", "status", "--db", str(db), *flags],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # long before the child has started up and written
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0 and stderr.strip() == b""
