"""Bad input through the file front door (`reef text analyze`, `analyze_file`) and `reef.text.analyze`.

Each test writes its own files: GBK exports, mixed encodings, broken records, PII outside the analysed
column, lone surrogates, bare strings and NaN must give defined rows, never stop the batch.
"""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.config import load_config
from reef.errors import InvalidParameterError, NotFoundError
from reef.text import analyze
from reef.text.files import analyze_file, mask_table, read_records

PLATE_TEXT = "车牌粤B12345的车主，續航五百公里，电话13812345678"


def _out(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _encoding_flags(row):
    return [f for f in row["flags"] if f in ("decoded_gb18030", "invalid_encoding")]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_gbk_export_round_trips_to_the_right_chinese_text(tmp_path, suffix):
    src = tmp_path / f"gbk{suffix}"
    records = [("1", "标题一", PLATE_TEXT), ("2", "标题二", "车机很卡，售后服务太差了")]
    if suffix == ".csv":
        lines = ["id,title,text"] + [",".join(r) for r in records]
        src.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    else:
        src.write_bytes("".join(json.dumps({"id": i, "title": t, "text": x}, ensure_ascii=False) + "\n"
                                for i, t, x in records).encode("gb18030"))
    out = tmp_path / "out.jsonl"
    summary = analyze_file(src, out, mask=False)
    assert summary["encoding"] == "gb18030" and summary["rows"] == 2 and summary["invalid_records"] == 0
    rows = _out(out)
    assert [r["original"] for r in rows] == [r[2] for r in records]
    assert [r["title"] for r in rows] == ["标题一", "标题二"]
    assert "续航" in rows[0]["text"]  # traditional converted: the text was decoded, not mojibake
    assert {(p["kind"], p["text"]) for p in rows[0]["pii"]} == {("plate", "粤B12345"), ("phone", "13812345678")}
    assert not any(_encoding_flags(r) for r in rows)
    masked = tmp_path / "masked.csv"
    analyze_file(src, masked)
    written = masked.read_text(encoding="utf-8")
    assert "粤B12345" not in written and "13812345678" not in written and "车机很卡" in written


def test_mostly_utf8_jsonl_flags_only_the_gbk_and_the_undecodable_line(tmp_path):
    src = tmp_path / "mixed.jsonl"
    good = [json.dumps({"id": i, "text": f"第{i}条：续航很好"}, ensure_ascii=False).encode("utf-8") for i in range(20)]
    gbk = json.dumps({"id": 20, "text": "车机很卡死机", "note": "备注"}, ensure_ascii=False).encode("gbk")
    broken = b'{"id": 21, "text": "ok \xff\xfe"}'
    src.write_bytes(b"\n".join(good[:10] + [gbk] + good[10:] + [broken]) + b"\n")
    out = tmp_path / "out.jsonl"
    summary = analyze_file(src, out)
    assert summary["encoding"] == "utf-8" and summary["rows"] == 22
    rows = _out(out)
    assert [r["id"] for r in rows] == list(range(10)) + [20] + list(range(10, 20)) + [21]
    assert rows[10]["original"] == "车机很卡死机" and rows[10]["note"] == "备注"
    assert _encoding_flags(rows[10]) == ["decoded_gb18030"]
    assert _encoding_flags(rows[-1]) == ["invalid_encoding"] and rows[-1]["original"].startswith("ok ")
    assert not any(_encoding_flags(r) for r in rows[:10] + rows[11:-1])
    assert rows[3]["original"] == "第3条：续航很好"


def test_utf8_csv_with_one_gbk_row_recovers_that_row(tmp_path):
    src = tmp_path / "mixed.csv"
    lines = ["id,title,text".encode()] + [f"{i},标题{i},第{i}条很好".encode("utf-8") for i in range(8)]
    lines.insert(4, "x,坏标题,质量太差了".encode("gbk"))
    src.write_bytes(b"\n".join(lines) + b"\n")
    records = read_records(src)
    assert records.encoding == "utf-8" and len(records.rows) == 9
    assert records.texts[3] == "质量太差了" and records.rows[3]["title"] == "坏标题"
    assert records.texts[4] == "第3条很好"
    assert [i for i, f in enumerate(records.flags) if f] == [3] and records.flags[3] == ["decoded_gb18030"]


def test_a_broken_line_between_two_good_ones_gives_three_rows(tmp_path):
    src = tmp_path / "broken.jsonl"
    src.write_text('{"id": 1, "text": "质保八年或16万公里"}\n{"id": 2, "text": "百公里加速3.8秒"\n'
                   '{"id": 3, "text": "电话13812345678"}\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    summary = analyze_file(src, out)
    assert summary["rows"] == 3 and summary["invalid_records"] == 1 and summary["invalid_lines"] == [2]
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert [r["id"] for r in rows] == ["1", "", "3"]
    flags = [json.loads(r["flags"]) for r in rows]
    assert "invalid_record" in flags[1] and "missing" in flags[1] and rows[1]["original"] == ""
    assert "invalid_record" not in flags[0] + flags[2]
    assert rows[2]["original"] == "电话138****5678"


def test_json_values_that_are_not_objects_are_invalid_records(tmp_path):
    src = tmp_path / "nonobj.jsonl"
    src.write_text('{"id": 1, "text": "好"}\n[1, 2]\n"x"\n\n42\n{"id": 5, "text": "差"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = analyze_file(src, out)
    rows = _out(out)
    assert summary["invalid_lines"] == [2, 3, 5] and len(rows) == 5  # the blank line is no record
    assert [("invalid_record" in r["flags"]) for r in rows] == [False, True, True, True, False]
    assert [r["id"] for r in rows] == [1, None, None, None, 5]


def test_csv_extra_and_missing_fields_and_a_1mb_field(tmp_path):
    src = tmp_path / "ragged.csv"
    long_text = "续航标称600公里，实际跑了450公里。" * 60_000  # about 1.2 MB in UTF-8
    with open(src, "w", encoding="utf-8", newline="") as fh:
        fh.write("id,text\n1,百公里加速3.8秒,extra,more\n2\n")
        csv.writer(fh).writerow(["3", long_text])
        fh.write("4,质保八年\n")
    before = csv.field_size_limit()
    out = tmp_path / "out.jsonl"
    summary = analyze_file(src, out)
    assert csv.field_size_limit() == before  # the raised limit does not leak into the process
    rows = _out(out)
    assert summary["rows"] == 4 and summary["invalid_records"] == 0
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert "extra_fields" in rows[0]["flags"] and rows[0]["original"] == "百公里加速3.8秒"
    assert None not in rows[0] and "null" not in rows[0]
    assert "missing" in rows[1]["flags"] and "short_row" in rows[1]["flags"]
    assert [("short_row" in r["flags"]) for r in rows] == [False, True, False, False]
    assert (summary["short_rows"], summary["short_lines"]) == (1, [3])
    assert "truncated" in rows[2]["flags"] and len(rows[2]["original"]) == len(long_text)
    assert rows[3]["claims"][0]["attribute"] == "warranty"


def test_an_unclosed_quote_loses_one_record_not_the_rest_of_the_file(tmp_path):
    src = tmp_path / "unclosed.csv"
    src.write_text('id,text\n1,"多行\n正文"\n2,"续航500公里\n3,百公里加速3.8秒\n4,"质保""八年"""\n', encoding="utf-8")
    records = read_records(src)
    assert records.invalid_lines == [4]
    assert records.rows == [{"id": "1", "text": "多行\n正文"}, {}, {"id": "3", "text": "百公里加速3.8秒"},
                            {"id": "4", "text": '质保"八年"'}]
    out = tmp_path / "out.jsonl"
    summary = analyze_file(src, out)
    assert summary["rows"] == 4 and summary["invalid_records"] == 1
    assert "invalid_record" in _out(out)[1]["flags"]
    # A quoted field that is closed on the last line is one record, not an invalid one.
    closed = tmp_path / "closed.csv"
    closed.write_text('id,text\n1,"第一行\n第二行"\n', encoding="utf-8")
    assert read_records(closed).rows == [{"id": "1", "text": "第一行\n第二行"}]


@pytest.mark.parametrize("text, rows, invalid", [
    # A stray quote inside an unquoted field and a closed multi-line field: one good record.
    ('id,size,text\n1,5" screen,"多行\n正文"\n', [{"id": "1", "size": '5" screen', "text": "多行\n正文"}], []),
    # A stray quote and an unclosed one (an even number of quotes in all): the unclosed record alone is lost.
    ('id,size,text\n1,5" screen,"没写完\n2,a,b\n3,c,d\n', [{}, {"id": "2", "size": "a", "text": "b"},
                                                         {"id": "3", "size": "c", "text": "d"}], [2]),
    # An unclosed quote on a last line without a newline.
    ('id,size,text\n1,a,b\n2,c,"没写完', [{"id": "1", "size": "a", "text": "b"}, {}], [3]),
])
def test_unclosed_quotes_are_told_from_stray_ones(tmp_path, text, rows, invalid):
    src = tmp_path / "q.csv"
    src.write_text(text, encoding="utf-8")
    records = read_records(src)
    assert records.rows == rows and records.invalid_lines == invalid


def test_a_runaway_field_loses_one_record_and_an_unclosed_header_is_an_error(tmp_path, monkeypatch):
    import reef.text.records as records

    monkeypatch.setattr(records, "_FIELD_LIMIT", 200)  # stands in for 64 MiB
    src = tmp_path / "big.csv"
    src.write_text("id,text\n1,好\n2,\"没写完\n" + "".join(f"{i},第{i}行\n" for i in range(3, 60)), encoding="utf-8")
    records = read_records(src)
    assert records.invalid_lines == [3]
    assert [r.get("id") for r in records.rows] == ["1", None] + [str(i) for i in range(3, 60)]
    head = tmp_path / "head.csv"
    head.write_text('id,"text\n1,a\n2,b\n', encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="head.csv:1"):
        read_records(head)


def test_unreadable_files_still_raise_clear_errors(tmp_path):
    bad = tmp_path / "allbad.jsonl"
    bad.write_text('[1]\n{"broken\n', encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="allbad.jsonl:1"):
        analyze_file(bad, tmp_path / "o.jsonl")
    good = tmp_path / "in.csv"
    good.write_text("id,body\n1,好\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="column"):
        analyze_file(good, tmp_path / "o.jsonl")
    with pytest.raises(NotFoundError):
        analyze_file(tmp_path / "absent.csv", tmp_path / "o.jsonl")
    odd = tmp_path / "in.txt"
    odd.write_text("好\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="input"):
        analyze_file(odd, tmp_path / "o.jsonl")


def test_pii_is_masked_in_pass_through_columns(tmp_path):
    src = tmp_path / "in.jsonl"
    rec = {"id": 1, "title": "急售，电话13912345678", "meta": {"contact": "微信 car_fan2024", "vin": "LRW3E7FS1PC123456"},
           "tel": 13812345678, "views": 17, "text": "车况很好"}
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    for out in (tmp_path / "o.jsonl", tmp_path / "o.csv", tmp_path / "o.parquet"):
        analyze_file(src, out)
    written = (tmp_path / "o.jsonl").read_text(encoding="utf-8") + (tmp_path / "o.csv").read_text(encoding="utf-8")
    for secret in ("13912345678", "car_fan2024", "LRW3E7FS1PC123456", "13812345678"):
        assert secret not in written
    row = _out(tmp_path / "o.jsonl")[0]
    assert row["title"] == "急售，电话139****5678" and row["views"] == 17 and row["id"] == 1
    import pyarrow.parquet as pq

    assert "13912345678" not in str(pq.read_table(tmp_path / "o.parquet").to_pylist())
    analyze_file(src, tmp_path / "raw.jsonl", mask=False)
    raw = _out(tmp_path / "raw.jsonl")[0]
    assert raw["title"] == rec["title"] and raw["tel"] == 13812345678


def test_id_columns_pass_through_unmasked_even_when_shaped_like_a_phone(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("content_id,member_id,userID,wechat_id,phone,text\n"
                   "13812345678,13912345678,13712345678,13612345678,13512345678,车主电话13412345678\n", encoding="utf-8")
    analyze_file(src, tmp_path / "o.jsonl")
    row = _out(tmp_path / "o.jsonl")[0]
    assert (row["content_id"], row["member_id"], row["userID"]) == ("13812345678", "13912345678", "13712345678")
    assert row["wechat_id"] == "136****5678" and row["phone"] == "135****5678"  # contacts under any name stay masked
    assert row["original"] == "车主电话134****5678"
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"id": 13812345678, "member_id": 13912345678, "tel": 13712345678, "text": "好"}) + "\n",
                     encoding="utf-8")
    analyze_file(jsonl, tmp_path / "j.jsonl")
    row = _out(tmp_path / "j.jsonl")[0]
    assert (row["id"], row["member_id"]) == (13812345678, 13912345678) and row["tel"] == "137****5678"


@pytest.mark.parametrize("name, is_id", [
    ("用户ID", True), ("帖子id", True), ("会员编号", True), ("hotel_id", True), ("province_id", True), ("user_ids", True),
    ("open_id", False), ("unionId", False), ("vin_id", False), ("手机号ID", False), ("video", False), ("paid", False)])
def test_id_column_names_chinese_and_whole_contact_words(name, is_id):
    # Chinese headers name ids as 用户ID / 会员编号; contact words count whole (hotel_id holds no "tel"); an OpenID
    # identifies a WeChat user, so it stays masked
    from reef.text.files import is_id_column

    assert is_id_column(name) is is_id


def test_short_rows_are_flagged_counted_and_warned_about(tmp_path):
    src = tmp_path / "short.csv"
    src.write_text("id,author,text\n1,老王,续航很好\n2,小李\n3\n4,阿强,车机卡\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(app, ["text", "analyze", "--input", str(src), "--output", str(out), "--json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["short_rows"], summary["short_lines"]) == (4, 2, [3, 4])
    zh = CliRunner().invoke(app, ["text", "analyze", "--input", str(src), "--output", str(out), "--json"])  # the default: Chinese
    assert json.loads(zh.stdout) == summary  # the --json keys are the same in both languages
    assert "警告：" in zh.stderr and "中有 2 行的字段少于表头（第 3、4 行）" in zh.stderr and "short_row" in zh.stderr
    assert "2 rows of" in result.stderr and "have fewer fields than the header (lines 3, 4)" in result.stderr
    rows = _out(out)
    assert [("short_row" in r["flags"]) for r in rows] == [False, True, True, False]
    assert rows[1]["author"] == "小李" and not rows[1]["original"] and "missing" in rows[1]["flags"]


def test_lone_surrogates_do_not_stop_the_batch():
    table = analyze(["\ud800abc", "好\ud83d\ude00", "正常的一句话", "半个表情\ud83d 车机很好"])
    assert table.num_rows == 4
    original = table.column("original").to_pylist()
    flags = table.column("flags").to_pylist()
    assert original[0] == "\ufffdabc" and "invalid_encoding" in flags[0]
    assert original[1] == "好\U0001f600" and "invalid_encoding" not in flags[1]  # a valid pair is joined, kept
    assert "invalid_encoding" not in flags[2]
    assert "invalid_encoding" in flags[3] and "车机" in table.column("tokens").to_pylist()[3]


def test_lone_surrogate_escapes_in_jsonl_are_written(tmp_path):
    src = tmp_path / "sur.jsonl"
    src.write_text('{"id": 1, "text": "百公里加速3.8秒"}\n{"id": 2, "text": "半个\\ud83d车机", "title": "x\\udc00"}\n'
                   '{"id": 3, "text": "表情\\ud83d\\ude00"}\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert analyze_file(src, out)["rows"] == 3
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert rows[1]["original"] == "半个\ufffd车机" and rows[1]["title"] == "x\ufffd"
    assert "invalid_encoding" in json.loads(rows[1]["flags"])
    assert rows[2]["original"] == "表情\U0001f600" and "invalid_encoding" not in json.loads(rows[2]["flags"])


def test_a_bare_string_is_refused_and_nan_is_missing():
    for bare in ("单个字符串", b"bytes"):
        with pytest.raises(InvalidParameterError, match="list"):
            analyze(bare)
    table = analyze([float("nan"), np.float32("nan"), np.nan, "nan", None])
    texts, flags = table.column("text").to_pylist(), table.column("flags").to_pylist()
    assert texts[:3] == ["", "", ""] and all("missing" in f for f in flags[:3])
    assert texts[3] == "nan" and "missing" not in flags[3] and "missing" in flags[4]


def test_pandas_missing_values_are_missing():
    pd = pytest.importorskip("pandas")
    flags = analyze([pd.NA, pd.NaT, "好"]).column("flags").to_pylist()
    assert "missing" in flags[0] and "missing" in flags[1] and "missing" not in flags[2]


def test_text_longer_than_the_pii_scan_is_flagged_and_still_masked_on_export():
    cfg = load_config().with_overrides({"text.max_pii_chars": 40})
    long = "电话13812345678，" + "续航很好。" * 10 + "另一个电话13912345678"
    table = analyze([long, "电话13812345678"], config=cfg)
    flags = table.column("flags").to_pylist()
    assert "pii_scan_truncated" in flags[0] and "pii_scan_truncated" not in flags[1]
    assert [s["text"] for s in table.column("pii").to_pylist()[0]] == ["13812345678"]  # the head only
    masked = mask_table(table).column("original").to_pylist()[0]
    assert "13812345678" not in masked and "13912345678" not in masked and masked.endswith("139****5678")


def test_cli_warns_about_invalid_records_on_stderr(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "好"}\nnot json\n{"text": "差"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["text", "analyze", "--input", str(src), "--output", str(tmp_path / "o.jsonl"),
                                      "--json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["invalid_records"] == 1 and summary["invalid_lines"] == [2]
    assert "Warning: 1 record of" in result.stderr and "(line 2); it is kept as an empty row" in result.stderr
    assert "invalid_record" in result.stderr


def test_csv_output_opens_in_excel_and_keeps_colliding_input_columns(tmp_path):
    from reef.text.files import analyze_file

    src = tmp_path / "in.csv"
    src.write_text('id,body,sentiment\n1,"=HYPERLINK(""http://x"",""点我"")",1\n2,续航不错,-1\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    analyze_file(src, out, column="body")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads Chinese right only with the byte-order mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["input_sentiment"] for r in rows] == ["1", "-1"] and "sentiment" in rows[0]
    assert rows[0]["original"].startswith("'=HYPERLINK")


def test_tokens_that_hold_a_whole_id_are_masked(tmp_path):
    from reef.text.files import analyze_file

    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in
                             ["有事加我QQ123456789", "售后Tel13812345678", "加V13812345678"]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    analyze_file(src, out)
    text = out.read_text(encoding="utf-8")
    for secret in ("123456789", "13812345678"):
        assert secret not in text


def test_empty_inputs_raise_and_a_bad_output_name_fails_before_the_work(tmp_path):
    from reef.errors import UnreadableFileError

    header_only = tmp_path / "h.csv"
    header_only.write_text("id,text\n", encoding="utf-8")
    empty = tmp_path / "e.jsonl"
    empty.write_text("", encoding="utf-8")
    for src in (header_only, empty):
        with pytest.raises(UnreadableFileError):
            analyze_file(src, tmp_path / "o.jsonl")
    good = tmp_path / "g.csv"
    good.write_text("id,text\n1,续航不错\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="output"):
        analyze_file(good, tmp_path / "o.txt")


@pytest.mark.parametrize("raw", ["电话：138&nbsp;1234&nbsp;5678", "电话：138<b>1234</b>5678 好", "电话&#65306;13812345678"])
def test_pii_that_only_cleaning_reveals_is_masked_in_every_column(tmp_path, raw):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"text": raw}, ensure_ascii=False) + "\n", encoding="utf-8")
    analyze_file(src, dst, column="text", mask=True, config=load_config(None))
    row = _out(dst)[0]
    readable = json.dumps(row, ensure_ascii=False).replace("&nbsp;", "").replace("<b>", "").replace("</b>", "")
    assert "1234" not in readable and "12345678" not in readable
    assert row["original"] and "5678" in row["original"]  # masked, not dropped


@pytest.mark.parametrize("text", ["预算<20万，续航>500公里的车有推荐吗", "油耗<6L，零百加速<8秒", "我觉得A<B，但是B>C"])
def test_comparisons_are_text_not_html(text):
    row = analyze([text]).to_pylist()[0]
    assert row["text"] == text and "html" not in row["flags"]


def test_markup_is_stripped_and_an_unclosed_script_keeps_what_follows():
    rows = analyze(["<p>好车</p><script>alert(1)</script>续航<b>500</b>公里", "<script>续航500公里" * 3000]).to_pylist()
    assert "alert" not in rows[0]["text"] and "好车" in rows[0]["text"] and "html" in rows[0]["flags"]
    assert "续航500公里" in rows[1]["text"] and "<script>" not in rows[1]["text"]


def test_a_jsonl_text_that_is_a_list_or_an_object_is_joined_or_refused_never_its_python_repr(tmp_path):
    """QA: a JSONL text field holding a list or an object was analysed as its Python repr ("['a', 'b']") while
    reef.text.analyze refuses such items. A list of strings (paragraphs) is joined with line breaks (joined_list); an
    object or a list of non-strings is no text: the row stays, empty, flagged not_text, and the summary names its file,
    line and field; the CLI warns."""
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [{"id": "a", "text": ["续航很扎实", None, "充电快"]}, {"id": "b", "text": {"k": "售后太差"}},
             {"id": "c", "text": "好车"}, {"id": "d", "text": [1, "x"]}]
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    summary = analyze_file(src, dst)
    rows = _out(dst)
    assert [r["text"] for r in rows] == ["续航很扎实\n充电快", "", "好车", ""]
    assert not any("[" in r["original"] or "{" in r["original"] for r in rows)
    assert "joined_list" in rows[0]["flags"] and "not_text" in rows[1]["flags"] and "not_text" in rows[3]["flags"]
    assert rows[2]["flags"] == []
    assert summary["not_text_records"] == 2 and summary["joined_lists"] == 1
    assert summary["not_text_rows"] == [{"file": str(src), "line": 2, "field": "text", "type": "object"},
                                        {"file": str(src), "line": 4, "field": "text", "type": "array"}]
    with pytest.raises(InvalidParameterError):  # the library refuses the same items
        analyze([{"k": "售后太差"}])
    r = CliRunner().invoke(app, ["text", "analyze", "--input", str(src), "--output", str(tmp_path / "cli.jsonl"), "--lang", "en"])
    assert r.exit_code == 0 and "2 records" in r.stderr and "line 2: object" in r.stderr and "not_text" in r.stderr


def test_masking_a_masked_table_again_changes_nothing():
    """Found by property tests: the stored spans re-masked the masked original (130****0000 -> *******0000)."""
    once = mask_table(analyze(["电话13000000000，座机010-12345678"]))
    again = mask_table(once)
    assert once.column("original").to_pylist() == ["电话130****0000，座机010-****5678"]
    assert again.column("original").to_pylist() == once.column("original").to_pylist()
    assert again.column("pii").to_pylist() == once.column("pii").to_pylist()


def test_masking_a_long_paste_of_phone_numbers_is_linear(monkeypatch):
    """Found by property tests: each span found in the cleaned text re-derived the whole masked original, so a
    200,000-character paste of phone numbers took 18 s in mask_table (spans times length; 0.4 s after the fix on the
    2-core machine). Counted, not timed: the whole masked text is derived a fixed number of times, not once per span."""
    import reef.text.files as files

    table = analyze(["13812345678 " * 16_667])
    real, long_calls = files._core, []

    def counting(text):
        if len(text) > 1000:
            long_calls.append(len(text))
        return real(text)

    monkeypatch.setattr(files, "_core", counting)
    masked = mask_table(table).column("original").to_pylist()[0]
    assert len(long_calls) <= 2, len(long_calls)  # 16,667 on the old code
    assert "13812345678" not in masked and masked.startswith("138****5678 138****5678")
