"""The team builder (组建项目团队, /org/team): the form, a proposal on the simulated store, refusals, masking, adopt, API."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import PASSWORD, client_on, login, post_login

pytest.importorskip("fastapi")

PHONE, MASKED = "13812345678", "138****5678"
BRIEF = {"name": "冬季续航指南", "deadline": "2026-08-31", "writer": "1", "visual": "1", "structurer": "0",
         "expert": "续航与充电", "size": "4"}


def _page_login(client, role):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def test_the_form_renders_for_operators_with_defaults_and_help(client):
    _page_login(client, "operator")
    assert 'href="/org/team"' in client.get("/org").text  # the 组织 page links the builder
    r = client.get("/org/team")
    assert r.status_code == 200 and "<h1>组建项目团队</h1>" in r.text
    form = re.search(r'<form method="get" action="/org/team" id="team-form">(.*?)</form>', r.text, re.S).group(1)
    for name in ("name", "topic", "deadline", "writer", "visual", "structurer", "expert_count", "size", "circle", "exclude", "alternatives"):
        assert f'name="{name}"' in form, name
    assert form.count('name="expert"') == 14 and form.count('name="aspects"') == 14  # the 14 car aspects
    assert re.search(r'name="writer" type="number" value="1"', form) and re.search(r'name="deadline" type="date" value="\d{4}-\d\d-\d\d"', form)
    assert "也是团队名" in form and 'id="team-proposal"' not in r.text  # help text; nothing proposed yet
    en = client.get("/org/team?lang=en").text
    assert "<h1>Build a project team</h1>" in en and "range and charging" in en


def test_the_default_deadline_follows_the_clock(client, monkeypatch):
    """The page is not kept by the read cache: a day later the empty form's deadline moves a day too."""
    from datetime import datetime, timezone

    import reef.layers.team_builder as tb

    _page_login(client, "operator")
    deadline = lambda: re.search(r'name="deadline" type="date" value="([\d-]+)"', client.get("/org/team").text).group(1)  # noqa: E731
    monkeypatch.setattr(tb, "_now", lambda tz: datetime(2026, 3, 1, 12, tzinfo=timezone.utc).astimezone(tz))
    first = deadline()
    monkeypatch.setattr(tb, "_now", lambda tz: datetime(2026, 3, 2, 12, tzinfo=timezone.utc).astimezone(tz))
    second = deadline()
    assert (datetime.fromisoformat(second) - datetime.fromisoformat(first)).days == 1


def test_viewers_get_no_form(client):
    _page_login(client, "viewer")
    r = client.get("/org/team")
    assert r.status_code == 200 and 'id="team-form"' not in r.text and 'id="team-operators-only"' in r.text
    assert 'href="/org/team"' not in client.get("/org").text


def test_a_valid_brief_yields_a_team_with_reasons_coverage_and_alternatives(client):
    _page_login(client, "operator")
    r = client.get("/org/team", params=BRIEF)
    assert r.status_code == 200, r.text
    members = re.search(r'<table id="team-members"[^>]*>.*?</table>', r.text, re.S).group(0)
    seats = re.findall(r'<tr><td>(\d+)</td><td>([^<]+)</td><td><a href="/members/([^"]+)">', members)
    assert [s[0] for s in seats] == ["1", "2", "3", "4"] and len({s[2] for s in seats}) == 4
    assert [s[1] for s in seats][:3] == ["主笔", "视觉", "续航与充电技术专家"]
    assert "适配度" in members and ("有过直接互动" in members or "共同互动伙伴" in members or "尚无互动记录" in members)
    coverage = re.search(r'<table id="team-coverage"[^>]*>.*?</table>', r.text, re.S).group(0)
    assert "<td>主笔</td><td>1</td><td>1</td>" in coverage and "<td>成员</td><td>1</td><td>1</td>" in coverage
    assert r.text.count('class="team-alternatives"') == 4 and "可替换" in r.text
    assert 'id="team-adopt"' in r.text and 'name="team" value="冬季续航指南"' in r.text
    # the same proposal, as JSON
    api = client.get("/api/v1/team/proposal", params=BRIEF).json()
    assert [s["member_id"] for s in api["team"]] == [s[2] for s in seats]
    assert [r["key"] for r in api["roles"]] == ["writer", "visual", "expert:续航与充电", "member"]
    assert api["coverage"]["roles_covered"] == 4 and all(r["filled"] == r["needed"] for r in api["roles"])
    assert all(s["reason"] for s in api["team"]) and api["alternatives"]["writer"]


@pytest.mark.parametrize("change, field, reason", [
    ({"name": ""}, "name", "请填写项目名称"),
    ({"deadline": "下周五"}, "deadline", "截止日期请写成日期"),
    ({"writer": "0", "visual": "0", "expert": []}, "writer", "至少需要一个角色"),
    ({"writer": "两个"}, "writer", "“主笔人数”须为0到50之间的整数"),
    ({"size": "2"}, "size", "团队人数2少于所选角色合计的3人"),
    ({"size": "30"}, "size", "符合条件的候选人只有"),
    ({"circle": "没有这个小组"}, "circle", "没有叫“没有这个小组”的小组"),
    ({"alternatives": "99"}, "alternatives", "0到20"),
    ({"name": "长" * 201}, "name", "“项目名称”最多200个字"),
])
def test_a_bad_brief_comes_back_with_what_was_typed_and_the_reason(client, change, field, reason):
    _page_login(client, "operator")
    r = client.get("/org/team", params={**BRIEF, **change})
    assert r.status_code == 422
    error = re.search(r'<p class="error" id="team-error" role="alert">(.*?)</p>', r.text, re.S).group(1)
    assert reason in error, error
    assert 'id="team-proposal"' not in r.text
    form = re.search(r'id="team-form">(.*?)</form>', r.text, re.S).group(1)
    typed = {**BRIEF, **change}
    for key in ("name", "deadline", "writer", "size"):  # what was typed, as typed
        assert f'name="{key}" type="' in form and f'value="{typed[key]}"' in form, key
    assert re.search(rf'<label class="error">[^<]*\s*<input name="{field}"', form) or f'<fieldset class="error">' in form
    api = client.get("/api/v1/team/proposal", params={**BRIEF, **change, "lang": "en"})
    assert api.status_code == 422 and api.json()["error"]["where"]["field"] == field
    assert re.match(r"[A-Z']", api.json()["error"]["hint"])  # the reason, in English


def test_viewers_see_names_and_reasons_masked(db_path):
    from reef.store import close_all, open_store

    store = open_store(db_path)
    with store.transaction():  # every candidate calls themselves by a phone number: it shows in names and reasons
        store.execute("UPDATE layers_role_fitness SET name = '车主' || ? || member_id", [PHONE])
    store.checkpoint()
    close_all()
    with client_on(db_path) as c:
        login(c, "viewer")
        viewer = c.get("/org/team", params=BRIEF)
        api = c.get("/api/v1/team/proposal", params=BRIEF).text
        assert viewer.status_code == 200 and 'id="team-proposal"' in viewer.text and 'id="team-adopt"' not in viewer.text
        for text in (viewer.text, api):
            assert PHONE not in text and MASKED in text
        assert re.search(r'<a href="/members/m\d+">车主138\*\*\*\*5678m\d+</a>', viewer.text)  # masked, still linked
        login(c, "operator")
        assert PHONE in c.get("/org/team", params=BRIEF).text


def test_adopting_records_the_team_and_the_org_page_lists_it(client):
    _page_login(client, "operator")
    html = client.get("/org/team", params=BRIEF).text
    adopt = re.search(r'<form method="post" action="/org/team/adopt" id="team-adopt".*?</form>', html, re.S).group(0)
    data = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', adopt).group(1), "team": "冬季续航指南",
            "member": re.findall(r'name="member" value="([^"]+)"', adopt), "role": re.findall(r'name="role" value="([^"]*)"', adopt)}
    assert len(data["member"]) == 4 and data["role"][:3] == ["主笔", "视觉", "续航与充电技术专家"]
    assert client.post("/org/team/adopt", data={k: v for k, v in data.items() if k != "csrf_token"},
                       follow_redirects=False).status_code == 403  # no CSRF token: nothing written
    r = client.post("/org/team/adopt", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/org?adopted=")
    org = client.get(r.headers["location"]).text
    assert "已采用团队“冬季续航指南”：记录了4位成员" in org
    # in English the count reads as a plural, and the one member of a redirect's n=1 as a singular
    assert "Adopted team “冬季续航指南”: 4 members recorded." in client.get("/org", params={"adopted": "冬季续航指南", "n": 4, "lang": "en"}).text
    assert "Adopted team “x”: 1 member recorded." in client.get("/org?adopted=x&n=1&lang=en").text
    teams = re.search(r'<table id="org-teams"[^>]*>.*?</table>', org, re.S).group(0)
    assert "冬季续航指南" in teams and re.search(rf'<a href="/members/{data["member"][0]}">[^<]+</a> · 主笔', teams)  # named, linked
    actions = client.get("/api/v1/actions?kind=add_to_team&team=冬季续航指南").json()
    assert actions["total"] == 4 and {a["status"] for a in actions["items"]} == {"open"}
    # adopting again adds nobody twice
    r = client.post("/org/team/adopt", data=data, follow_redirects=False)
    assert "n=0" in r.headers["location"] and client.get("/api/v1/actions?kind=add_to_team&team=冬季续航指南").json()["total"] == 4


def test_adopt_is_all_or_nothing_in_the_library(db_path):
    from reef.errors import NotFoundError
    from reef.layers.team_builder import adopt_team
    from reef.store import close_all, open_store

    close_all()
    store = open_store(db_path)
    with pytest.raises(NotFoundError):
        adopt_team(store, "t1", [("evil", "主笔"), ("no-such-member", "视觉")], by="li")
    assert store.fetch_value("SELECT count(*) FROM operator_actions WHERE attrs->>'team' = 't1'") == 0
    done = adopt_team(store, "t1", [("evil", "主笔")], by="li")
    assert len(done["recorded"]) == 1 and done["already"] == []
    assert adopt_team(store, "t1", [("evil", "主笔")], by="li")["already"] == ["evil"]
    close_all()


def test_a_running_team_fills_only_its_open_seats_alike_in_the_cli_the_api_and_the_page(db_path, tmp_path):
    """QA: re-proposing a running team warned who was seated but still proposed a new 主笔 next to the seated one."""
    import json

    from typer.testing import CliRunner

    from reef.cli import app
    from reef.layers.team_builder import adopt_team
    from reef.store import close_all, open_store

    store = open_store(db_path)
    with store.transaction():  # names with a phone number: the page masks them for viewers, the warning names ids
        store.execute("UPDATE members SET name = '车主' || ? || member_id", [PHONE])
        store.execute("UPDATE layers_role_fitness SET name = '车主' || ? || member_id", [PHONE])
    from reef.layers.team_builder import team_builder

    writer = team_builder(store, BRIEF, masked=False)["proposal"]["team"][0]
    assert writer["role"] == "writer"
    adopt_team(store, "冬季续航指南", [(writer["member_id"], "主笔")], by="li")
    store.checkpoint()
    close_all()
    brief = tmp_path / "b.toml"
    brief.write_text('name = "冬季续航指南"\ndeadline = 2026-08-31\nsize = 4\n[[roles]]\nrole = "writer"\n[[roles]]\nrole = "visual"\n'
                     '[[roles]]\nrole = "expert"\naspect = "续航与充电"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["team", "--brief", str(brief), "--db", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    table = CliRunner().invoke(app, ["team", "--brief", str(brief), "--db", str(db_path)], env={"COLUMNS": "300"}).output
    close_all()
    with client_on(db_path) as c:
        login(c, "operator")
        api = c.get("/api/v1/team/proposal", params=BRIEF).json()
        page = c.get("/org/team", params=BRIEF).text
        login(c, "viewer")
        viewer = c.get("/org/team", params=BRIEF).text
    for d in (cli, api):
        assert [(s["role"], s["seated"]) for s in d["team"]] == [("writer", True), ("visual", False), ("expert:续航与充电", False),
                                                                 ("member", False)]
        assert d["team"][0]["member_id"] == writer["member_id"] and d["team"][0]["status"] == "已就位"
        assert "writer" not in d["alternatives"] and writer["member_id"] not in {
            a["member_id"] for alts in d["alternatives"].values() for a in alts}
        assert f"项目「冬季续航指南」已在进行，已就位1人：{writer['member_id']}（主笔）；本建议只补其余3个空缺席位" in d["warnings"]
    assert [s["member_id"] for s in cli["team"]] == [s["member_id"] for s in api["team"]] and cli["warnings"] == api["warnings"]
    assert api["roles"][0] | {"alternatives": []} == {"key": "writer", "label": "主笔", "label_zh": "主笔", "needed": 1, "filled": 1, "seated": 1,
                                                     "weak": 0, "members": [{"member_id": writer["member_id"], "name": f"车主{PHONE}{writer['member_id']}",
                                                                             "seated": True}], "alternatives": []}
    assert "已就位" in table and table.index(writer["member_id"]) < table.index(api["team"][1]["member_id"])
    rows = re.findall(r'<tr( class="team-seated")?><td>([^<]+)</td><td>([^<]+)', re.search(r'<table id="team-members"[^>]*>.*?</table>', page, re.S).group(0))
    assert [(bool(r[0]), r[1], r[2].strip()) for r in rows] == [(True, "1", "主笔"), (False, "2", "视觉"), (False, "3", "续航与充电技术专家"),
                                                                (False, "4", "成员")]
    adopt = re.search(r'<form method="post" action="/org/team/adopt".*?</form>', page, re.S).group(0)
    assert re.findall(r'name="member" value="([^"]+)"', adopt) == [s["member_id"] for s in api["team"][1:]]  # the open seats only
    assert page.count('class="team-alternatives"') == 3  # none for the seated 主笔
    seated_name = re.search(r'<tr class="team-seated">.*?</tr>', viewer, re.S).group(0)
    assert MASKED in seated_name and PHONE not in viewer  # the seated member by name, masked for viewers


def test_viewers_see_a_running_teams_name_and_roles_masked_and_name_it_as_they_see_it(client):
    """A viewer typing a running team's unmasked name got the team completed, with the roles the operator typed
    unmasked (seated rows, seat labels, the warning): a guess confirmed and what /org masks shown. Now a viewer names
    a running team by its masked name, as /org shows it, and sees its roles masked."""
    team = f"车队 {PHONE}"
    csrf = login(client, "operator")
    seated = [s["member_id"] for s in client.get("/api/v1/team/proposal", params=BRIEF).json()["team"]][:2]
    for member in seated:
        body = {"member_id": member, "kind": "add_to_team", "team": team, "role": f"联络 {PHONE}"}
        assert client.post("/api/v1/actions", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    operator = client.get("/api/v1/team/proposal", params={**BRIEF, "name": team}).json()
    assert [s["member_id"] for s in operator["seated"]] == seated  # operators: the team as typed
    login(client, "viewer")
    guess = client.get("/api/v1/team/proposal", params={**BRIEF, "name": team})
    assert guess.status_code == 200 and PHONE not in guess.text and guess.json()["seated"] == []  # no team found
    page = client.get("/org/team", params={**BRIEF, "name": team}, headers={"accept": "text/html"}).text
    assert "team-proposal" in page and f"联络 {PHONE}" not in page and f"「{team}」" not in page
    seen = client.get("/api/v1/team/proposal", params={**BRIEF, "name": f"车队 {MASKED}"})
    assert PHONE not in seen.text and [s["member_id"] for s in seen.json()["seated"]] == seated
    assert {s["role"] for s in seen.json()["seated"]} == {f"联络 {MASKED}"}
    page = client.get("/org/team", params={**BRIEF, "name": f"车队 {MASKED}"}, headers={"accept": "text/html"}).text
    assert PHONE not in page and f"「车队 {MASKED}」" in page  # the running team's warning, masked
