"""Posts that name a board no groups file brings are imported with the board left empty (and filled in when the
boards arrive), not quarantined; a file none of whose rows came in is warned about loudly, and `reef import` exits 9."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reef.cli import app
from reef.ingest import import_paths
from reef.ingest.reasons import reason_text
from reef.store import open_store


def _files(tmp_path):
    members = tmp_path / "members.csv"
    members.write_text("用户ID,昵称,注册时间\nm1,小王,2025-01-01 08:00\nm2,小李,2025-01-02 08:00\n", encoding="utf-8")
    posts = tmp_path / "posts.csv"
    posts.write_text("帖子ID,用户ID,板块ID,标题,内容,发布时间,类型\n"
                     "p1,m1,g-plaza,标题,内容一,2025-02-01 08:00,主题\n"
                     "p2,m2,g-plaza,标题二,内容二,2025-02-02 08:00,主题\n"
                     "p3,m2,,标题三,内容三,2025-02-03 08:00,主题\n", encoding="utf-8")
    groups = tmp_path / "groups.csv"
    groups.write_text("板块ID,板块名称,创建时间\ng-plaza,广场,2024-01-01\n", encoding="utf-8")
    return members, posts, groups


def _warnings(summary, code):
    return [w for w in summary.warnings if w["code"] == code]


def test_posts_naming_an_unknown_board_are_imported_and_get_it_when_the_boards_arrive(tmp_path):
    members, posts, groups = _files(tmp_path)
    store = open_store(tmp_path / "s.duckdb")
    first = import_paths(store, [members, posts])
    assert (first.imported, first.quarantined) == (5, 0)
    assert store.fetch_all("SELECT content_id, group_id, attrs->>'unresolved_group_id' FROM content ORDER BY 1") == [
        ("p1", None, "g-plaza"), ("p2", None, "g-plaza"), ("p3", None, None)]
    [warning] = _warnings(first, "unknown_group")
    assert warning["rows"] == 2 and warning["values"] == ["g-plaza"] and warning["file"].endswith("posts.csv")
    assert "groups.csv" in warning["message_zh"] and "板块ID,板块名称" in warning["message_zh"] and "可删去该列" in warning["message_zh"]
    again = import_paths(store, [members, posts])  # unchanged: duplicates, not updates
    assert (again.imported, again.updated, again.duplicate) == (0, 0, 5)
    boards = import_paths(store, [groups])
    assert _warnings(boards, "groups_filled")[0]["rows"] == 2
    assert store.fetch_all("SELECT content_id, group_id, attrs FROM content WHERE group_id IS NOT NULL ORDER BY 1") == [
        ("p1", "g-plaza", None), ("p2", "g-plaza", None)]
    final = import_paths(store, [members, posts, groups])
    assert (final.imported, final.updated, final.quarantined) == (0, 0, 0)
    store.close()


def test_posts_and_their_boards_in_one_import_keep_the_board(tmp_path):
    members, posts, groups = _files(tmp_path)
    store = open_store(tmp_path / "s.duckdb")
    summary = import_paths(store, [members, posts, groups])
    assert summary.quarantined == 0 and not _warnings(summary, "unknown_group")
    assert store.fetch_value("SELECT count(*) FROM content WHERE group_id = 'g-plaza'") == 2
    store.close()


def test_a_file_of_which_no_row_came_in_is_warned_about_with_the_file_to_import(tmp_path):
    members, posts, _ = _files(tmp_path)
    store = open_store(tmp_path / "s.duckdb")
    summary = import_paths(store, [posts])
    [warning] = _warnings(summary, "file_quarantined")
    assert warning["rows"] == 3 and warning["reason_code"] == "dangling_reference"
    assert "全部被隔离" in warning["message_zh"] and "members.csv" in warning["message_zh"]
    assert not _warnings(summary, "unknown_group")  # those rows were not imported
    assert not _warnings(import_paths(store, [members]), "file_quarantined")
    store.close()


def test_a_dangling_reference_names_the_file_that_brings_the_record():
    group = reason_text("dangling reference: parent_id 'g9' is not a known group id")
    assert "groups.csv" in group and "板块ID,板块名称" in group
    assert "members.csv" in reason_text("dangling reference: author_id 'm9' is not a known member id", "en")


def test_reef_import_exits_9_when_a_file_came_in_not_at_all(tmp_path):
    members, posts, _ = _files(tmp_path)
    run = CliRunner().invoke(app, ["import", str(posts), "--db", str(tmp_path / "a.duckdb")])
    assert run.exit_code == 9, run.output
    assert "警告：" in run.stderr and "全部被隔离" in run.stderr
    js = CliRunner().invoke(app, ["import", str(posts), "--db", str(tmp_path / "b.duckdb"), "--json"])
    assert js.exit_code == 9 and json.loads(js.stdout)["warnings"][0]["code"] == "file_quarantined"
    ok = CliRunner().invoke(app, ["import", str(members), str(posts), "--db", str(tmp_path / "c.duckdb")])
    assert ok.exit_code == 0, ok.output
    assert "板块留空" in ok.stderr


def test_the_warning_of_a_quarantined_file_masks_the_value_its_reason_quotes(tmp_path):
    # A phone typed into the date column: `reef quarantine` and the export show it masked, so the import's warning
    # (CLI, --json, the 导入 page's job) must too.
    posts = tmp_path / "content.jsonl"
    posts.write_text(json.dumps({"content_id": "c1", "kind": "thread", "author_id": "m1", "created_at": "13987654321",
                                 "body": "x"}) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "s.duckdb")
    [warning] = _warnings(import_paths(store, [posts]), "file_quarantined")
    shown = json.dumps(warning, ensure_ascii=False)
    assert "13987654321" not in shown
    assert "139****4321" in warning["reason"] and "139****4321" in warning["message_zh"]
    assert warning["reason_code"] == "invalid_value"
    store.close()
