"""`reef groups`, `reef plaza` and `reef council` on the small analysed surface store (tests/server/surface_fixtures.py)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli import app

runner = CliRunner()


def _json(args, db_path):
    result = runner.invoke(app, [*args, "--db", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_groups_lists_circles_and_pages(db_path):
    data = _json(["groups", "--top", "2"], db_path)
    assert set(data) >= {"as_of", "total", "assigned", "circles"} and data["total"] >= 1
    assert len(data["circles"]) == min(2, data["total"])
    for c in data["circles"]:
        assert c["name"] and isinstance(c["top_terms"], list) and "summary" in c and "leader_list" in c
    if data["total"] > 1:
        second = _json(["groups", "--top", "1", "--offset", "1"], db_path)
        assert second["circles"][0]["circle_id"] == data["circles"][1]["circle_id"]


def test_groups_circle_detail_and_unknown_circle(db_path):
    data = _json(["groups"], db_path)
    one = _json(["groups", "--circle", data["circles"][0]["circle_id"], "--top", "3", "--lang", "en"], db_path)
    assert one["circle"]["circle_id"] == data["circles"][0]["circle_id"] and 1 <= len(one["members"]) <= 3
    assert "active members" in one["circle"]["summary"]
    missing = runner.invoke(app, ["groups", "--circle", "c99", "--db", str(db_path)])
    assert missing.exit_code == 5 and "c99" in missing.output


def test_plaza_and_council_json_and_tables(db_path):
    plaza = _json(["plaza", "--top", "5", "--topics", "3"], db_path)
    assert len(plaza["starters"]) <= 5 and len(plaza["topics"]) <= 3
    council = _json(["council", "--seats", "2"], db_path)
    assert council["seats"] == 2 and len(council["slate"]) <= 2
    assert set(council) >= {"coverage", "summary", "fallback", "pool", "excluded", "note"}
    assert (council["note"] is None) == bool(council["slate"])
    table = runner.invoke(app, ["council", "--seats", "3", "--db", str(db_path)])
    assert table.exit_code == 0 and "/3席" in table.output
    english = runner.invoke(app, ["council", "--seats", "3", "--lang", "en", "--db", str(db_path)])
    assert english.exit_code == 0 and "3 seats" in english.output and "席" not in english.output
    bad = runner.invoke(app, ["council", "--seats", "0", "--db", str(db_path)])
    assert bad.exit_code != 0


def test_layers_warn_when_as_of_is_past_the_data(db_path, tmp_path):
    import shutil

    copy = tmp_path / "copy.duckdb"
    shutil.copy(db_path, copy)
    assert _json(["groups", "--top", "1"], copy)["warning"] is None
    late = _json(["groups", "--top", "1", "--as-of", "2027-03-01", "--lang", "en"], copy)
    assert "after the last content" in late["warning"]
    assert "after the last content" in _json(["council", "--as-of", "2027-03-01", "--lang", "en"], copy)["warning"]


def test_chinese_tables_show_chinese_labels_and_english_ones_english(db_path):
    data = _json(["groups"], db_path)
    circle = data["circles"][0]["circle_id"]
    zh = runner.invoke(app, ["groups", "--circle", circle, "--lang", "zh", "--db", str(db_path)])
    en = runner.invoke(app, ["groups", "--circle", circle, "--lang", "en", "--db", str(db_path)])
    assert zh.exit_code == 0 and "主要词语" in zh.output and "top terms" not in zh.output
    assert en.exit_code == 0 and "Top terms" in en.output and "主要词语" not in en.output
    listing = runner.invoke(app, ["groups", "--lang", "zh", "--db", str(db_path)]).output
    assert not any(word in listing for word in ("growing", "declining", "stable"))


def test_council_exclusion_reasons_in_both_languages():
    from reef.layers.council import exclusion_label

    assert [exclusion_label(k) for k in ("hostile", "burnout")] == ["不当言论", "倦怠风险"]
    assert exclusion_label("care", "en") == "care list" and exclusion_label("other") == "other"


def test_groups_table_names_leaders_with_their_ids_and_council_shares_as_percent(db_path):
    """QA: two members share a name, so suggested leaders carry their IDs (joined with 、 in Chinese); the council's
    代表成员占比 is a share, printed as a percentage."""
    data = _json(["groups"], db_path)
    circles = [c for c in data["circles"] if len(c["leader_list"]) >= 2]
    assert circles
    out = CliRunner(env={"COLUMNS": "600"}).invoke(app, ["groups", "--db", str(db_path)]).stdout
    first = circles[0]["leader_list"]
    joined = "、".join(f"{x['name']}（{x['member_id']}）" if x["name"] else x["member_id"] for x in first)
    assert joined in out
    en = CliRunner(env={"COLUMNS": "600"}).invoke(app, ["groups", "--db", str(db_path), "--lang", "en"]).stdout
    assert ", ".join(f"{x['name']} ({x['member_id']})" if x["name"] else x["member_id"] for x in first) in en
    council = CliRunner(env={"COLUMNS": "600"}).invoke(app, ["council", "--db", str(db_path)]).stdout
    assert "代表成员占比" in council and "%" in council.split("代表成员占比")[1]


def test_groups_tables_show_percentages_a_true_terms_header_and_english_words(db_path):
    """QA: 归属置信度 printed 0.7060999870300293, the count column was headed 高频词, growth printed 0.028 and English
    headers were keys (member_growth, top_terms)."""
    import re

    from reef.i18n import ASPECT_EN

    wide = CliRunner(env={"COLUMNS": "600"})
    data = _json(["groups"], db_path)
    circle = data["circles"][0]["circle_id"]
    one = wide.invoke(app, ["groups", "--circle", circle, "--top", "5", "--db", str(db_path)]).stdout
    members = one[one.index("成员（"):]
    assert "用词数" in members and "高频词" not in members and "按归属强度排序" in members
    assert not re.search(r"\d\.\d{5,}", members) and re.search(r"│ \d{1,3}% ", members)
    listing = wide.invoke(app, ["groups", "--db", str(db_path)]).stdout
    for c in data["circles"]:
        for key in ("member_growth", "post_growth"):
            if c[key] is not None:
                assert f"{100 * c[key]:+.0f}%" in listing and f" {c[key]} " not in listing
    en = wide.invoke(app, ["groups", "--lang", "en", "--db", str(db_path)]).stdout
    assert "Member growth" in en and "Top terms" in en and "member_growth" not in en and "top_terms" not in en
    en_json = _json(["groups", "--lang", "en"], db_path)
    assert not any(t in ASPECT_EN for c in en_json["circles"] for t in c["top_terms"] + c["name"].split("·"))
    # the member order is the documented one: confidence x ln(1 + ties + terms), strongest first
    import math
    rows = _json(["groups", "--circle", circle, "--top", "20"], db_path)["members"]
    keys = [m["confidence"] * math.log(1 + m["ties"] + m["terms"]) for m in rows]
    assert keys == sorted(keys, reverse=True)
