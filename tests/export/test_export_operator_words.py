"""The workbook in an operator's words: what the 成员 sheet counts beside the other totals, no internal table names,
spool paths, raw JSON, alert keys or duplicate columns, times with their zone, and a warning when results come from an
older analysis version (library, CLI and the dashboard's download)."""
from __future__ import annotations

import re
import urllib.parse

import pytest

from surface_fixtures import client_on, login

openpyxl = pytest.importorskip("openpyxl")


def _sheet(path, title):
    rows = list(openpyxl.load_workbook(path, read_only=True)[title].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_members_sheet_and_about_say_what_the_member_totals_count(db_path, tmp_path):
    from reef.export import export_tables
    from reef.store import open_store

    store = open_store(db_path)
    store.execute("UPDATE members SET left_at = joined_at + INTERVAL 3 DAY WHERE member_id IN "
                  "(SELECT member_id FROM members WHERE account_type = 'member' ORDER BY member_id LIMIT 4)")
    total, left, size = store.fetch_all(
        "SELECT count(*), count(left_at), count(*) FILTER (WHERE left_at IS NULL AND account_type = 'member') FROM members")[0]
    export_tables(store, tmp_path / "x.xlsx", lang="en")
    head, rows = _sheet(tmp_path / "x.xlsx", "Members")
    status = [r[head.index("Membership")] for r in rows]
    assert status.count("left") == left >= 4 and status.count("current member") == total - left
    _, about = _sheet(tmp_path / "x.xlsx", "About")
    line = next(r[0] for r in about if r[0] and str(r[0]).startswith("Members sheet"))
    assert f"{total} accounts" in line and f"{total - left} current" in line and f"{left} who have left" in line
    assert f"Community size on the dashboard: {size}" in line
    export_tables(store, tmp_path / "z.xlsx")
    head, rows = _sheet(tmp_path / "z.xlsx", "成员")
    assert {r[head.index("在籍状态")] for r in rows} == {"在籍", "已离开"}


def test_no_staff_jargon_and_times_name_their_zone(db_path, tmp_path):
    from reef.export import export_tables
    from reef.store import open_store

    store = open_store(db_path)
    store.execute("UPDATE imports SET paths = ['/tmp/x/.reef-spool-abc/spool-1/members-00000.parquet']")
    export_tables(store, tmp_path / "x.xlsx", lang="en")
    head, about = _sheet(tmp_path / "x.xlsx", "About")
    assert head[:4] == ("Sheet", "Rows", "As of (Asia/Shanghai)", "Note")  # the zone named; internals at the right
    assert all(h.startswith("Technical") for h in head[4:])
    assert any(r[0] and re.fullmatch(r"Generated: \d{4}-\d\d-\d\d \d\d:\d\d \(Asia/Shanghai\)", str(r[0])) for r in about)
    head, rows = _sheet(tmp_path / "x.xlsx", "Imports")
    assert "Details" not in head and rows[0][head.index("Files")] == "members-00000.parquet"
    head, _ = _sheet(tmp_path / "x.xlsx", "Risk alerts")
    assert "Alert key" not in head
    head, _ = _sheet(tmp_path / "x.xlsx", "Risks")
    assert "Family" in head and "Name" not in head  # the name was the family again


def test_stages_are_named_in_the_english_workbook(db_path, tmp_path):
    from reef.export import export_tables
    from reef.kb.surfaces import STAGE_NAMES
    from reef.store import open_store

    store = open_store(db_path)
    export_tables(store, tmp_path / "x.xlsx", lang="en")
    english = {en for _, en in STAGE_NAMES.values()}
    for title in ("Knowledge gaps", "Repeated questions"):
        head, rows = _sheet(tmp_path / "x.xlsx", title)
        stages = {r[head.index("Stage")] for r in rows} - {None}
        assert stages and stages <= english, (title, stages)


def test_results_from_an_older_analysis_version_are_warned_about(db_path, tmp_path):
    from typer.testing import CliRunner

    from reef.cli import app
    from reef.export import export_tables
    from reef.store import close_all, open_store

    store = open_store(db_path)
    store.execute("UPDATE analysis_runs SET version = '0' WHERE name = 'ladder'")  # written by an older Reef
    result = export_tables(store, tmp_path / "x.xlsx", lang="en")
    assert "Ladder" in result["warning"] and "older version" in result["warning"] and "reef analyze" in result["warning"]
    _, about = _sheet(tmp_path / "x.xlsx", "About")
    assert any(r[0] and "older version" in str(r[0]) for r in about)
    close_all()
    r = CliRunner().invoke(app, ["export", "--out", str(tmp_path / "y.xlsx"), "--db", str(db_path)])
    assert r.exit_code == 0 and "旧版本" in "".join(r.stderr.split())
    with client_on(db_path) as client:
        login(client, "operator")
        got = client.get("/api/v1/export?format=xlsx&lang=en")
        assert got.status_code == 200 and "older version" in urllib.parse.unquote(got.headers["x-reef-warning"])
