"""Defects an analyst's exports found in `reef text analyze` / `analyze_file` (QA review of the file front door).

Output over the input, semicolon / tab separated exports, repeated header names, a wrong --column, Excel workbooks
and the float noise of float32 scores written through float64.
"""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.errors import InvalidParameterError, OutputPathError
from reef.text.files import analyze_file, read_records

runner = CliRunner()


def _jsonl(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_output_over_the_input_is_refused_and_the_input_is_kept(tmp_path, monkeypatch):
    src = tmp_path / "posts.csv"
    src.write_text("id,text\n1,电话13812345678\n", encoding="utf-8")
    before = src.read_bytes()
    with pytest.raises(OutputPathError) as err:
        analyze_file(src, src)
    assert str(src) in str(err.value) and "output=" in str(err.value)
    monkeypatch.chdir(tmp_path)  # the same file under another spelling
    with pytest.raises(OutputPathError):
        analyze_file("posts.csv", tmp_path / "." / "posts.csv")
    result = runner.invoke(app, ["text", "analyze", "--input", str(src), "--output", str(src), "--json"])
    assert result.exit_code == 3
    error = json.loads(result.output)["error"]
    assert error["where"]["file"] == str(src) and "--output" in error["hint"]
    assert src.read_bytes() == before


@pytest.mark.parametrize("sep,suffix", [(";", ".csv"), ("\t", ".csv"), ("\t", ".tsv"), ("|", ".csv")])
def test_semicolon_and_tab_separated_exports_are_split_on_their_separator(tmp_path, sep, suffix):
    src = tmp_path / f"posts{suffix}"
    src.write_text(sep.join(["id", "渠道", "text"]) + "\n" + sep.join(["7", "微博", "续航500公里，很满意"]) + "\n",
                   encoding="utf-8")
    out = tmp_path / "o.jsonl"
    analyze_file(src, out)
    row, = _jsonl(out)
    assert (row["id"], row["渠道"], row["original"]) == ("7", "微博", "续航500公里，很满意")
    assert row["claims"][0]["value"] == 500
    comma = tmp_path / "comma.csv"  # a header with commas is split on commas, whatever the values hold
    comma.write_text("id,text\n1,好车;续航长\n", encoding="utf-8")
    assert read_records(comma).texts == ["好车;续航长"]


def test_repeated_and_blank_header_names_lose_no_column(tmp_path):
    src = tmp_path / "posts.csv"
    src.write_text(",text,text\n1,好车,差车\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    analyze_file(src, out)
    row, = _jsonl(out)
    assert row["original"] == "好车"  # the first column of that name is the one analysed
    assert (row["column_1"], row["text.1"]) == ("1", "差车")


@pytest.mark.parametrize("asked,header,suggestion", [("Content", "id,content", "content"),
                                                      ("text", "帖子ID,内容", "内容"),
                                                      ("txet", "id,text", "text")])
def test_a_missing_column_names_the_file_and_the_likely_column(tmp_path, asked, header, suggestion):
    src = tmp_path / "posts.csv"
    src.write_text(header + "\n1,好车\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError) as err:
        analyze_file(src, tmp_path / "o.csv", column=asked)
    assert err.value.where.file == str(src)
    assert err.value.facts["suggestion"] == suggestion
    assert f"column={suggestion!r}" in err.value.hint
    result = runner.invoke(app, ["text", "analyze", "--input", str(src), "--column", asked,
                                 "--output", str(tmp_path / "o.csv"), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error"]["hint"] == f"Pass --column {suggestion}."


def test_an_empty_file_is_explained_in_chinese(tmp_path):
    src = tmp_path / "header.csv"
    src.write_text("id,text\n", encoding="utf-8")
    from reef.errors import UnreadableFileError

    with pytest.raises(UnreadableFileError) as err:
        analyze_file(src, tmp_path / "o.csv")
    zh = err.value.text("zh")
    assert zh.startswith(str(src)) and "没有可分析的记录" in zh and "Check" not in zh


def test_an_excel_workbook_is_read_like_its_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "内容", "点赞"])
    sheet.append([1, "續航500公里，电话13812345678", 3])
    sheet.append([2, "车机很卡", 0])
    src = tmp_path / "posts.xlsx"
    book.save(src)
    out = tmp_path / "o.jsonl"
    summary = analyze_file(src, out, column="内容")
    rows = _jsonl(out)
    assert summary["rows"] == 2 and summary["encoding"] == "xlsx"
    assert [r["编号"] for r in rows] == ["1", "2"] and rows[0]["点赞"] == "3"
    assert rows[0]["text"] == "续航500公里，电话138****5678" and rows[0]["claims"][0]["value"] == 500


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_scores_are_written_without_float64_noise(tmp_path, suffix):
    src = tmp_path / "posts.csv"
    src.write_text("id,text\n1,车机很卡，售后太差了\n2,外观漂亮，动力也很好\n", encoding="utf-8")
    out = tmp_path / f"o{suffix}"
    analyze_file(src, out)
    parquet = tmp_path / "o.parquet"
    analyze_file(src, parquet)
    import pyarrow.parquet as pq

    exact = pq.read_table(parquet).to_pylist()
    if suffix == ".csv":
        with open(out, encoding="utf-8-sig", newline="") as fh:
            written = list(csv.DictReader(fh))
        scores = [r["sentiment_score"] for r in written]
        aspect_scores = [[str(a["score"]) for a in json.loads(r["aspects"])] for r in written]
    else:
        written = _jsonl(out)
        scores = [repr(r["sentiment_score"]) for r in written]
        aspect_scores = [[repr(a["score"]) for a in r["aspects"]] for r in written]
    assert scores == [str(np.float32(r["sentiment_score"])) for r in exact]
    assert aspect_scores == [[str(np.float32(a["score"])) for a in r["aspects"]] for r in exact]
    assert all(len(s) <= 14 for s in scores)


@pytest.mark.parametrize("lead", ["   \n", "\t\n", " \t \n\n\t\t\n"])
@pytest.mark.parametrize("sep", [",", ";"])
def test_lines_of_spaces_or_tabs_before_the_header_are_skipped_as_reef_import_skips_them(tmp_path, lead, sep):
    """A line of spaces or tabs above the header was read as a one-column header: the text column was reported
    missing. Line numbers still count the skipped lines."""
    src = tmp_path / "posts.csv"
    src.write_text(lead + sep.join(["id", "author", "text"]) + f"\n1{sep}老王{sep}电话13812345678\n2{sep}小李\n",
                   encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["text", "analyze", "--input", str(src), "--output", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["short_lines"]) == (2, [lead.count("\n") + 3])
    rows = _jsonl(out)
    assert [(r["id"], r["author"]) for r in rows] == [("1", "老王"), ("2", "小李")]
    assert rows[0]["original"] == "电话138****5678"
