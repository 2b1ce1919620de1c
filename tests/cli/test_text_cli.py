"""`reef enrich`, `reef text analyze` and `reef text eval` through typer's CliRunner."""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone

import pyarrow.parquet as pq
from typer.testing import CliRunner

from reef.cli import app
from reef.store import close_all, open_store

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _db(tmp_path):
    db = tmp_path / "c.duckdb"
    store = open_store(db)
    with store.transaction():
        for i, body in enumerate(["续航620km，推荐", "车机卡顿，电话13812345678", ""]):
            store.execute("INSERT INTO content (content_id, kind, created_at, body) VALUES (?, 'thread', ?, ?)",
                          [f"c{i}", datetime(2025, 1, 1 + i, tzinfo=timezone.utc), body])
    close_all()
    return db


def test_enrich_fills_the_store_then_finds_nothing_to_do(tmp_path):
    db = _db(tmp_path)
    first = invoke("enrich", "--db", db, "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["enriched"] == 3
    again = json.loads(invoke("enrich", "--db", db, "--json").output)
    assert (again["enriched"], again["up_to_date"]) == (0, 3)
    forced = json.loads(invoke("enrich", "--db", db, "--force", "--json").output)
    assert forced["enriched"] == 3
    table = invoke("enrich", "--db", db)  # Chinese by default, English with --lang en
    assert table.exit_code == 0 and "已是最新" in table.output and "Up to date" not in table.output
    assert "Up to date" in invoke("enrich", "--db", db, "--lang", "en").output
    bad = invoke("enrich", "--db", db, "--lang", "fr")
    assert bad.exit_code == 2 and "--lang" in bad.stderr


def test_text_analyze_csv_to_jsonl_masks_pii(tmp_path):
    src = tmp_path / "in.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "content"])
        w.writerow(["a", "零百加速3.9秒，电话13812345678"])
        w.writerow(["b", "😀"])
    out = tmp_path / "out.jsonl"
    result = invoke("text", "analyze", "--input", src, "--column", "content", "--output", out, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"] == 2
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["id"] == "a" and rows[0]["claims"][0]["attribute"] == "acceleration_0_100"
    assert "13812345678" not in out.read_text(encoding="utf-8")
    assert rows[0]["pii"][0]["text"] == "138****5678"
    assert rows[1]["flags"] and rows[1]["sentiment"] == 0


def test_text_analyze_jsonl_to_parquet_and_csv_keeping_pii_when_asked(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "电话13812345678"}\n{"text": null}\n', encoding="utf-8")
    pq_out = tmp_path / "out.parquet"
    assert invoke("text", "analyze", "--input", src, "--output", pq_out, "--keep-pii").exit_code == 0
    assert pq.read_table(pq_out).column("original").to_pylist()[0] == "电话13812345678"
    csv_out = tmp_path / "out.csv"
    assert invoke("text", "analyze", "--input", src, "--output", csv_out).exit_code == 0
    rows = list(csv.DictReader(open(csv_out, encoding="utf-8-sig")))
    assert rows[0]["original"] == "电话138****5678" and json.loads(rows[0]["pii"])[0]["kind"] == "phone"


def test_text_analyze_refuses_unknown_formats_and_columns(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "好"}\n', encoding="utf-8")
    assert invoke("text", "analyze", "--input", src, "--output", tmp_path / "o.xlsx").exit_code != 0
    bad = invoke("text", "analyze", "--input", src, "--column", "body", "--output", tmp_path / "o.csv")
    assert bad.exit_code != 0 and "column" in bad.output.lower() + str(bad.stderr_bytes or b"")
    assert invoke("text", "analyze", "--input", tmp_path / "missing.csv", "--output", tmp_path / "o.csv").exit_code != 0


def test_text_eval_writes_the_figures_file(tmp_path):
    out = tmp_path / "quality.md"
    result = invoke("text", "eval", "--out", out, "--data", tmp_path / "no-data", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["claims_300"]["sentences"] == 300 and "skipped" in figures["ccf_held_out"]
    assert figures["claims_fresh_300"]["sentences"] == 300 and figures["claims_final_300"]["sentences"] == 300
    assert figures["claims_blind_pooled"]["sentences"] == 600
    text = out.read_text(encoding="utf-8")
    assert "| claims_blind_pooled | precision |" in text and "## claims_300" in text and "## pii" in text
    zh = invoke("text", "eval", "--out", out, "--data", tmp_path / "no-data")  # the tables: Chinese by default
    assert zh.exit_code == 0 and "写入文件" in zh.stdout and "句子数" in zh.stdout and "找不到数据：" in zh.stdout
    assert "Written to" not in zh.stdout and "data not found" not in zh.stdout
    en = invoke("text", "eval", "--out", out, "--data", tmp_path / "no-data", "--lang", "en")
    assert "Written to" in en.stdout and "Sentences" in en.stdout and "data not found at" in en.stdout


def test_analyze_redoes_features_that_reef_enrich_wrote_with_another_config(tmp_path):
    db = _db(tmp_path)
    assert invoke("analyze", "--db", db, "--only", "text_features").exit_code == 0
    other = tmp_path / "other.toml"
    other.write_text("[text]\nmax_chars = 50\n", encoding="utf-8")
    assert json.loads(invoke("enrich", "--db", db, "--config", other, "--json").output)["enriched"] == 3
    rerun = json.loads(invoke("analyze", "--db", db, "--only", "text_features", "--json").output)
    assert [r["status"] for r in rerun["results"] if r["name"] == "text_features"] == ["ok"]  # not "skipped"
    store = open_store(db, read_only=True)
    assert "+cfg-" not in store.fetch_value("SELECT min(model_version) FROM content_features")
    close_all()
    again = json.loads(invoke("analyze", "--db", db, "--only", "text_features", "--json").output)
    assert [r["status"] for r in again["results"] if r["name"] == "text_features"] == ["skipped"]
