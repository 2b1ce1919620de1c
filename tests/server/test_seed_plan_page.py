"""The 种子名单 page and /api/v1/seed-plan: a plan runs as a job, is shown with reasons and reach, masked for viewers,
refuses bad input in the page's language, and is recorded as seed actions."""
from __future__ import annotations

import re

import pytest
from markupsafe import escape

from surface_fixtures import login, run_seed_plan

pytest.importorskip("fastapi")



def _seed_ids(html: str) -> list[str]:
    table = html.split('id="seeds"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/members/([^"]+)"', table)


def test_page_shows_seeds_with_reasons_and_reach_against_the_alternatives(client, app):
    csrf = login(client, "operator")
    job_id = run_seed_plan(client, app, csrf)
    html = client.get(f"/seed-plan?job={job_id}").text
    seeds = _seed_ids(html)
    assert len(seeds) == 3
    assert "首选：单靠 TA 发起，预计话题会传到约" in html and "位成员回复过 TA 的内容" in html  # the reasons, in Chinese
    for strategy in ("plan", "top_degree", "top_pagerank", "random"):
        assert f'data-strategy="{strategy}"' in html
    assert "95% 置信区间" in html and 'id="seed-headline"' in html
    assert f'href="/seed-plan?job={job_id}"' in html  # listed among the recent plans
    english = client.get(f"/seed-plan?job={job_id}&lang=en").text
    assert "Chosen first: started by them alone" in english and _seed_ids(english) == seeds
    # reachable from 网络 and 活动与涟漪
    assert 'href="/seed-plan"' in client.get("/network").text
    assert 'id="seed-plan-link"' in client.get("/campaigns").text


def test_viewer_sees_the_plan_with_names_masked_and_cannot_run_one(client, app):
    csrf = login(client, "operator")
    job_id = run_seed_plan(client, app, csrf)
    first = _seed_ids(client.get(f"/seed-plan?job={job_id}").text)[0]
    handle = app.state.pool.acquire()
    try:  # names are read when the plan is shown, so a name changed now shows
        handle.execute("UPDATE members SET name = '车主13812345678' WHERE member_id = ?", [first])
    finally:
        app.state.pool.release(handle)
    assert "13812345678" in client.get(f"/seed-plan?job={job_id}").text  # operators work with members directly
    csrf = login(client, "viewer")
    html = client.get(f"/seed-plan?job={job_id}").text
    assert "13812345678" not in html and "138****5678" in html
    assert 'id="seed-form"' not in html and 'id="seed-record"' not in html
    assert client.post("/seed-plan", data={"csrf_token": csrf, "k": "3"}).status_code == 403
    api = client.get(f"/api/v1/seed-plan/{job_id}").json()
    assert api["plan"]["seeds"][0]["name"] == "车主138****5678"


@pytest.mark.parametrize("form, zh, en", [
    ({"k": "0"}, "种子人数应是 1 到 50 之间的整数。", "The number of seeds must be a whole number from 1 to 50."),
    ({"k": "abc"}, "种子人数应是 1 到 50 之间的整数。", "The number of seeds must be a whole number from 1 to 50."),
    ({"k": "51"}, "种子人数应是 1 到 50 之间的整数。", "The number of seeds must be a whole number from 1 to 50."),
    ({"circle": "没有这个版块"}, "找不到名称或ID为“没有这个版块”的版块。", "No group has the name or id '没有这个版块'."),
    ({"exclude": "evil, nobody-x"}, "排除名单中有不存在的成员ID：nobody-x。", "These ids to leave out are no members: nobody-x."),
    ({"as_of": "2026-13-45"}, "截至日期应是一个日期", "The as-of date must be a date"),
])
def test_bad_input_comes_back_in_the_page_with_the_reason(client, app, form, zh, en):
    csrf = login(client, "operator")
    before = len(app.state.jobs.list())
    r = client.post("/seed-plan", data={"csrf_token": csrf, "k": "3", **form})
    assert r.status_code == 422 and 'id="form-error"' in r.text and zh in r.text
    for value in form.values():  # what was typed is kept
        assert f'value="{value}"' in r.text
    client.cookies.set("reef_lang", "en")
    r = client.post("/seed-plan", data={"csrf_token": csrf, "k": "3", **form})
    assert r.status_code == 422 and str(escape(en)) in r.text  # autoescaped: ' is &#39;
    assert len(app.state.jobs.list()) == before  # nothing was started


def test_api_starts_a_plan_and_returns_it(client, app):
    csrf = login(client, "operator")
    headers = {"X-CSRF-Token": csrf}
    assert client.post("/api/v1/seed-plan", json={"k": 0}, headers=headers).status_code == 422
    assert client.post("/api/v1/seed-plan", json={"k": 2, "topics": "续航"}, headers=headers).status_code == 422
    r = client.post("/api/v1/seed-plan", json={"k": 2, "as_of": "2027-03-01"}, headers=headers)
    assert r.status_code == 202 and r.json()["kind"] == "seed_plan"
    job_id = r.json()["job_id"]
    app.state.jobs.wait(job_id, timeout=120)
    body = client.get(f"/api/v1/seed-plan/{job_id}?lang=en").json()
    plan = body["plan"]
    assert body["status"] == "done" and len(plan["seeds"]) == 2 and all(s["reasons"] for s in plan["seeds"])
    assert plan["reach"][0]["strategy"] == "plan" and plan["reach"][0]["ci_low"] <= plan["reach"][0]["mean"] <= plan["reach"][0]["ci_high"]
    assert {"top_degree", "top_pagerank", "random"} <= {r["strategy"] for r in plan["reach"]}
    assert plan["warning"].startswith("Warning: as of 2027-03-01")  # the as-of coverage warning
    assert 'id="coverage-warning"' in client.get(f"/seed-plan?job={job_id}").text
    # the job's own result (GET /api/v1/jobs/{id}, read by viewers) carries ids and figures, never names
    names = {s["name"] for s in plan["seeds"] if s["name"]}
    assert names and not any(n in str(client.get(f"/api/v1/jobs/{job_id}").json()) for n in names)
    assert client.get("/api/v1/seed-plan/999").status_code == 404


def test_recording_the_plan_writes_one_seed_action_per_seed_once(client, app):
    csrf = login(client, "operator")
    job_id = run_seed_plan(client, app, csrf, topic="续航")
    seeds = _seed_ids(client.get(f"/seed-plan?job={job_id}").text)
    r = client.post(f"/seed-plan/{job_id}/record", data={"csrf_token": csrf, "campaign": "没有的活动"})
    assert r.status_code == 422 and "找不到活动ID为“没有的活动”的活动。" in r.text
    page = client.get(f"/seed-plan?job={job_id}").text
    note_max = int(re.search(r'id="seed-note" maxlength="(\d+)"', page).group(1))
    assert note_max < 2000  # the plan's summary takes the rest of the note: a longer note is refused naming the limit
    r = client.post(f"/seed-plan/{job_id}/record", data={"csrf_token": csrf, "note": "长" * (note_max + 1)})
    assert r.status_code == 422 and f"备注太长：最多 {note_max} 个字" in r.text
    r = client.post(f"/seed-plan/{job_id}/record", data={"csrf_token": csrf, "note": "下周一发帖"}, follow_redirects=False)
    assert r.status_code == 303 and "recorded=" in r.headers["location"]
    actions = client.get("/api/v1/actions", params={"kind": "seed"}).json()["items"]
    assert sorted(a["member_id"] for a in actions) == sorted(seeds)
    assert all("续航" in a["note"] and "下周一发帖" in a["note"] and a["status"] == "open" for a in actions)
    assert "已记录 3 条播种行动" in client.get(r.headers["location"]).text
    again = client.post(f"/seed-plan/{job_id}/record", data={"csrf_token": csrf}, follow_redirects=False)
    assert "already=" in again.headers["location"] and "recorded=" not in again.headers["location"]
    assert client.get("/api/v1/actions", params={"kind": "seed"}).json()["total"] == 3


def test_coverage_banner_names_the_pages_date_field_and_the_api_keeps_the_parameter(client, app):
    """QA: the page's banner said 请导入更新的数据或换一个更早的 as_of 参数: its operator has the form's 截至日期 field,
    no as_of parameter; the API's JSON (GET /api/v1/seed-plan/{id}) keeps naming the parameter."""
    csrf = login(client, "operator")
    job_id = run_seed_plan(client, app, csrf, as_of="2027-03-01")
    zh = client.get(f"/seed-plan?job={job_id}&lang=zh").text.split('id="coverage-warning">', 1)[1].split("</p>", 1)[0]
    assert zh.endswith("请在“数据导入”页导入更新的数据，或在“截至日期”中填一个更早的日期（留空即数据的最后一天）。"), zh
    assert "as_of" not in zh
    en = client.get(f"/seed-plan?job={job_id}&lang=en").text.split('id="coverage-warning">', 1)[1].split("</p>", 1)[0]
    assert en.endswith("Import newer data on the Imports page, or enter an earlier date in the As of field (empty: the end "
                       "of the data)."), en
    assert client.get(f"/api/v1/seed-plan/{job_id}?lang=en").json()["plan"]["warning"].endswith(
        "Import newer data or pass an earlier as_of.")
