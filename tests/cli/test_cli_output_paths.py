"""An output that cannot be written is said in the operator's terms by every output-writing command, through one
helper (reef.output_paths.output_error, reached from reef.cli._errors.handled): a file standing where a folder is
needed names that file and what to do, in Chinese by default and in English with --lang en, exit code 3."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.cli import app


@pytest.fixture
def setting(tmp_path, monkeypatch):
    import reef

    monkeypatch.delenv("REEF_CONFIG", raising=False)
    db = tmp_path / "o.duckdb"
    reef.open(db).close()
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder", encoding="utf-8")
    return db, blocker


@pytest.mark.parametrize("args", [["export", "--out", "{b}/x.xlsx"], ["export", "--format", "csv", "--out", "{b}"],
                                  ["export", "--out", "{b}/deeper/x.xlsx"]])
def test_a_file_where_a_folder_is_needed_is_named(setting, args):
    db, blocker = setting
    argv = [a.format(b=blocker) for a in args] + ["--db", str(db)]
    en = CliRunner().invoke(app, argv + ["--lang", "en"])
    assert en.exit_code == 3, en.output
    assert f"Error: {blocker}: A file stands where a folder is needed." in en.stderr
    assert "Move or rename that file, or choose another output path." in en.stderr and "File exists" not in en.stderr
    zh = CliRunner().invoke(app, argv)
    assert zh.exit_code == 3 and "这里需要一个文件夹，却是一个文件。" in zh.stderr and "请移走或重命名该文件" in zh.stderr
    error = json.loads(CliRunner().invoke(app, argv + ["--json"]).stdout)["error"]
    assert error["code"] == "file_error" and error["where"]["file"] == str(blocker)
    assert error["message"].startswith("A file stands where a folder is needed.")


def test_the_simulator_s_parquet_folder_under_a_file_says_the_same(setting):
    _, blocker = setting
    r = CliRunner().invoke(app, ["simulate", "--out", str(blocker / "parquet"), "--members", "50", "--days", "14", "--lang", "en"])
    assert r.exit_code == 3, r.output
    assert f"{blocker}: A file stands where a folder is needed. {blocker / 'parquet'}" in r.stderr  # .../parquet/truth
    assert "cannot be written under it." in r.stderr
