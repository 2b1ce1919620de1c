"""The 种子名单 plan as a download (Excel or CSV, the page's columns and words, the members left out, masked for
viewers, audited), the JSON API's hint for an unknown campaign, and English counts of one (1 member, not 1 members)."""
from __future__ import annotations

import csv
import json
import io

import pytest

from surface_fixtures import login, run_seed_plan

pytest.importorskip("fastapi")
openpyxl = pytest.importorskip("openpyxl")



def _left_out(client, app, csrf: str) -> str:
    """A member to leave out: the first seed of a plan (one who would be a candidate)."""
    job_id = run_seed_plan(client, app, csrf, k="1")
    return client.get(f"/api/v1/seed-plan/{job_id}").json()["plan"]["seeds"][0]["member_id"]


def test_plan_downloads_as_excel_with_the_pages_seeds_reach_and_exclusions(client, app):
    csrf = login(client, "operator")
    gone = _left_out(client, app, csrf)
    job_id = run_seed_plan(client, app, csrf, exclude=gone)
    page = client.get(f"/seed-plan?job={job_id}").text
    assert f'href="/api/v1/seed-plan/{job_id}/download?format=xlsx&amp;lang=zh"' in page  # the page links it
    api = client.get(f"/api/v1/seed-plan/{job_id}").json()["plan"]
    r = client.get(f"/api/v1/seed-plan/{job_id}/download", params={"format": "xlsx"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f'filename="seed-plan-{job_id}-' in r.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["推荐的种子", "预期覆盖", "排除的成员", "说明"]
    seeds = list(book["推荐的种子"].values)
    assert seeds[0] == ("顺序", "成员ID", "昵称", "预计新增覆盖人数", "为什么选 TA", "需要留意")
    assert [row[1] for row in seeds[1:]] == [s["member_id"] for s in api["seeds"]]  # the page's seeds, in order
    assert seeds[1][4] == "；".join(api["seeds"][0]["reasons"]) and seeds[1][4].startswith("首选：单靠 TA 发起")
    reach = list(book["预期覆盖"].values)
    assert reach[0] == ("方案", "预计覆盖人数", "置信区间下限", "置信区间上限", "账号数")
    assert [row[0] for row in reach[1:]] == [x["label"] for x in api["reach"]]
    assert reach[1][2] <= reach[1][1] <= reach[1][3]  # the plan's mean inside its 95% CI
    left = list(book["排除的成员"].values)
    assert left[0] == ("成员ID", "昵称", "排除原因") and (gone, "按要求排除") in {(row[0], row[2]) for row in left[1:]}


def test_plan_downloads_as_csv_in_english_and_masked_for_viewers(client, app):
    csrf = login(client, "operator")
    gone = _left_out(client, app, csrf)
    job_id = run_seed_plan(client, app, csrf, exclude=gone)
    first = client.get(f"/api/v1/seed-plan/{job_id}").json()["plan"]["seeds"][0]["member_id"]
    handle = app.state.pool.acquire()
    try:
        handle.execute("UPDATE members SET name = '车主13812345678' WHERE member_id = ?", [first])
    finally:
        app.state.pool.release(handle)
    login(client, "viewer")
    r = client.get(f"/api/v1/seed-plan/{job_id}/download", params={"format": "csv", "lang": "en"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # Excel opens Chinese UTF-8 with the byte-order mark
    text = r.content.decode("utf-8-sig")
    assert "13812345678" not in text and "138****5678" in text  # a viewer's file is masked, like the page
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Recommended seeds"] and rows[1] == ["Order", "Member ID", "Name", "Members added", "Why", "Check first"]
    assert rows[2][1] == first and rows[2][4].startswith("Chosen first: started by them alone")
    at = rows.index(["Members left out"])
    assert rows[at + 1] == ["Member ID", "Name", "Why left out"] and [gone, rows[at + 2][1], "left out as asked"] in rows
    handle = app.state.pool.acquire()
    try:  # downloads are audited like exports
        audited = handle.fetch_all("SELECT username, target FROM audit_log WHERE action = 'seed_plan.download'")
    finally:
        app.state.pool.release(handle)
    assert ("viewer", f"seed-plan-{job_id}-{rows[rows.index(['About']) + 2][1]}.csv") in [tuple(a) for a in audited]
    assert client.get(f"/api/v1/seed-plan/{job_id}/download", params={"format": "pdf"}).status_code == 422
    assert client.get("/api/v1/seed-plan/999/download").status_code == 404


def test_unknown_campaign_over_the_api_says_how_to_import_one(client, app):
    csrf = login(client, "operator")
    job_id = run_seed_plan(client, app, csrf)
    r = client.post(f"/api/v1/seed-plan/{job_id}/record", json={"campaign": "没有的活动"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422, r.text  # a field of the body, as a bad k or exclude is
    error = r.json()["error"]
    assert error["code"] == "invalid_parameter" and error["where"]["field"] == "campaign"
    hint = error["hint"] or ""
    assert "campaigns.csv" in hint and "reef import campaigns.csv" in hint and "leave the campaign empty" in hint
    assert client.get("/api/v1/actions", params={"kind": "seed"}).json()["total"] == 0  # nothing recorded


def test_one_seed_and_one_member_are_counted_in_the_singular(client, app):
    from reef.web.messages import tr

    csrf = login(client, "operator")
    job_id = run_seed_plan(client, app, csrf, k="1")
    labels = {x["strategy"]: x["label"] for x in client.get(f"/api/v1/seed-plan/{job_id}?lang=en").json()["plan"]["reach"]}
    assert labels["random"] == "1 member at random" and labels["top_degree"] == "The 1 member with the most repliers"
    assert tr("campaigns.unreached", "en", n=1).startswith("Another 1 member posted on the topic")
    assert tr("campaigns.unreached", "en", n=2).startswith("Another 2 members posted")
    assert tr("seed.already", "en", n=1, ids="ui-1").startswith("1 seed was already recorded")
    assert tr("alert.recognise_now", "en", n=1) == "The ladder has 1 member to recognise now:"


def _xlsx_parts(content: bytes) -> dict[str, bytes]:
    """A workbook's zip members but its creation time (docProps/core.xml: the moment the file was written)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_seed_plan_out_writes_the_file_the_route_downloads(client, app, db_path, tmp_path, fmt):
    from typer.testing import CliRunner

    from reef.cli import app as cli

    csrf = login(client, "operator")  # operators see names unmasked, as the command line does
    gone = _left_out(client, app, csrf)
    job_id = run_seed_plan(client, app, csrf, topic="续航", exclude=gone)
    route = client.get(f"/api/v1/seed-plan/{job_id}/download", params={"format": fmt, "lang": "en"})
    assert route.status_code == 200, route.text
    path = tmp_path / f"plan.{fmt}"
    result = CliRunner().invoke(cli, ["seed-plan", "--k", "3", "--topic", "续航", "--exclude", gone, "--db", str(db_path),
                                      "--lang", "en", "--json", "--out", str(path)])
    assert result.exit_code == 0, result.output
    assert path.is_file()
    if fmt == "csv":
        assert path.read_bytes() == route.content
    else:
        assert _xlsx_parts(path.read_bytes()) == _xlsx_parts(route.content)
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["Recommended seeds", "Expected reach", "Members left out", "About"]
        assert ("topic", "续航") in set(book["About"].values) and len(list(book["Recommended seeds"].values)) == 4


def test_seed_plan_out_refuses_other_suffixes_before_running(db_path, tmp_path):
    from typer.testing import CliRunner

    from reef.cli import app as cli

    path = tmp_path / "plan.pdf"
    result = CliRunner().invoke(cli, ["seed-plan", "--db", str(db_path), "--out", str(path), "--json"])
    assert result.exit_code == 2, result.output  # invalid parameter
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "invalid_parameter" and ".xlsx" in error["message"] and ".csv" in error["message"]
    assert "plan.pdf" in error["message"] and not path.exists()
