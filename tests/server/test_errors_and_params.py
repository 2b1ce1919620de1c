"""Errors and parameters treated alike everywhere: error pages in the page's language, HTML 404s for pages,
unknown query parameters and languages refused, unreadable bodies answered with 422 in the one error shape."""
from __future__ import annotations

import re

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")

HTML = {"accept": "text/html,application/xhtml+xml"}


def _main(page) -> str:
    assert page.headers["content-type"].startswith("text/html"), page.text[:200]
    return re.search(r"<main[^>]*>(.*)</main>", page.text, re.S).group(1)


def _error_shape(r, status: int = 422) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "where", "hint"}
    return body["error"]


def test_error_pages_speak_the_pages_language(client):
    csrf = login(client, "viewer")
    missing = client.get("/members/ghost", headers=HTML)
    assert missing.status_code == 404 and 'lang="zh-CN"' in missing.text
    zh = _main(missing)
    assert "找不到这个页面或记录。" in zh
    outside_details = re.sub(r"<details>.*?</details>", "", zh, flags=re.S)
    assert "No member" not in outside_details and "<details>" in zh  # the English message only as technical details
    bad_page = _main(client.get("/members?page=abc", headers=HTML))
    assert "请求中有无效的参数。" in bad_page and "有问题的参数：page" in bad_page
    refused = client.post("/tasks/ui-1", data={"status": "done", "csrf_token": csrf}, headers=HTML)
    assert refused.status_code == 403 and "您的角色没有权限执行此操作。" in _main(refused)
    en = _main(client.get("/members/ghost?lang=en", headers=HTML))
    assert "This page or record does not exist." in en and "No member &#39;ghost&#39; in the store." in en and "找不到" not in en


def test_an_unexpected_failure_shows_the_chinese_error_page(app, monkeypatch):
    from fastapi.testclient import TestClient

    import reef.actions as A

    monkeypatch.setattr(A, "page_view", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with TestClient(app, raise_server_exceptions=False) as c:
        login(c, "viewer")
        page = c.get("/members", headers=HTML)
        assert page.status_code == 500 and "服务器内部错误" in _main(page) and "boom" not in page.text


def test_unknown_pages_get_an_html_404_and_api_paths_keep_json(client):
    login(client, "viewer")
    for path, headers in (("/members/evil/no-such-tab", {}), ("/kb/nothing", {"accept": "*/*"}), ("/no-such-page", HTML)):
        page = client.get(path, headers=headers)
        assert page.status_code == 404 and "找不到这个页面或记录。" in _main(page), path
    assert _error_shape(client.get("/no-such-page"), 404)["code"] == "not_found"  # a script asking for anything
    assert _error_shape(client.get("/api/v1/no/such/route", headers=HTML), 404)["code"] == "not_found"


@pytest.mark.parametrize("url, unknown, listed", [
    ("/api/v1/activity_daily?foo=1", "foo", "since"),
    ("/api/v1/member_summary?account_typ=staff", "account_typ", "account_type"),  # misspelled view filter
    ("/api/v1/actions?stauts=open", "stauts", "status"),
    ("/api/v1/effect?windows=7", "windows", "window"),
    ("/api/v1/status?verbose=1", "verbose", "per_page"),
    ("/api/v1/members/evil?full=1", "full", "lang"),
])
def test_unknown_query_parameters_are_refused_naming_them(client, url, unknown, listed):
    login(client, "viewer")
    error = _error_shape(client.get(url))
    assert error["code"] == "invalid_parameter" and f"'{unknown}'" in error["message"] and listed in error["message"]


def test_declared_and_generic_query_parameters_still_pass(client):
    login(client, "admin")
    for url in ("/api/v1/member_summary?account_type=staff&q=m&sort=-content_total&page=1&per_page=5&lang=en",
                "/api/v1/status?page=2&per_page=3&sort=x&lang=zh&format=json",
                "/api/v1/actions?member_id=evil&status=open&kind=note&group_id=g&team=t&since=2026-01-01&until=2026-12-31",
                "/api/v1/audit?username=admin&action=login&page=1&per_page=5"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("url, html", [
    ("/api/v1/effect?lang=fr", False), ("/api/v1/overview?lang=fr", False), ("/api/v1/member_summary?lang=fr", False),
    ("/members?lang=fr", True), ("/risks?lang=de", True), ("/login?lang=fr", True),
])
def test_an_unsupported_language_is_refused_everywhere(client, url, html):
    login(client, "viewer")
    r = client.get(url, headers=HTML if html else {})
    if html:
        assert r.status_code == 422 and "有问题的参数：lang" in _main(r)
    else:
        error = _error_shape(r)
        assert error["code"] == "invalid_parameter" and "'lang'" in error["message"]
    assert client.get(url.replace("fr", "en").replace("de", "en"), headers=HTML if html else {}).status_code == 200


@pytest.mark.parametrize("method, path, ctype, body", [
    ("POST", "/api/v1/actions", "application/json", b'{"member_id": "evil", "kind": "note", "note": "\xff\xfe"}'),
    ("POST", "/api/v1/actions", "application/json", '{"member_id": "evil", "kind": "note"}'.encode("utf-16")),
    ("PATCH", "/api/v1/actions/ui-1", "application/json", b'{"note": "\xc3"}'),
    ("POST", "/api/v1/jobs/analyze", "application/json; charset=utf-8", b'{"only": ["\xff"]}'),
    ("POST", "/api/v1/login", "application/json", b'{"username": "operator", "password": "\xff"}'),
    ("POST", "/login", "application/x-www-form-urlencoded", b"username=operator&password=%FF"),
    ("POST", "/members/evil/actions", "application/x-www-form-urlencoded", b"kind=note&note=\xff\xfe"),
    ("POST", "/members/evil/actions", "application/x-www-form-urlencoded", b"kind=note&note=%E5%A5"),
    ("POST", "/tasks/ui-1", "application/x-www-form-urlencoded", b"status=%FF"),
])
def test_a_body_that_is_not_utf8_is_a_422_everywhere(client, method, path, ctype, body):
    csrf = login(client, "operator")
    if ctype.startswith("application/x-www"):
        body += b"&csrf_token=" + csrf.encode()
    before = client.get("/api/v1/actions?member_id=evil").json()["total"]
    r = client.request(method, path, content=body, headers={"content-type": ctype, "x-csrf-token": csrf})
    error = _error_shape(r)
    assert error["code"] == "invalid_parameter" and "'body'" in error["message"] and "not UTF-8" in error["message"]
    assert client.get("/api/v1/actions?member_id=evil").json()["total"] == before  # nothing recorded


def test_a_body_the_framework_cannot_parse_is_a_422_too(client):
    csrf = login(client, "operator")
    r = client.post("/api/v1/jobs/import", content=b"garbage", headers={"content-type": "multipart/form-data",
                                                                         "x-csrf-token": csrf})
    error = _error_shape(r)
    assert error["code"] == "invalid_parameter" and "'body'" in error["message"]


def test_an_unknown_member_says_what_reef_member_says_with_an_http_hint(client, db_path):
    """GET /api/v1/members/{id} of an unknown id: the message and known ids of `reef member` (one library function,
    reef.ladder.queries.unknown_member), with a hint naming an endpoint rather than a Python call or a CLI command."""
    import json

    from typer.testing import CliRunner

    from reef.cli import app as cli
    from reef.store import close_all

    login(client, "viewer")
    error = _error_shape(client.get("/api/v1/members/不存在"), 404)
    assert error["code"] == "not_found" and error["message"] == "No member '不存在' in the store."
    assert error["hint"].startswith("Check the id (GET /api/v1/member_summary lists members). Known member ids: ")
    assert "(121 in all)" in error["hint"] and "ladder()" not in error["hint"] and "reef ladder" not in error["hint"]
    close_all()
    cli_error = json.loads(CliRunner().invoke(cli, ["member", "不存在", "--db", str(db_path), "--json"]).stdout)["error"]
    assert cli_error["message"] == error["message"]
    assert cli_error["hint"].split("Known member ids: ")[1] == error["hint"].split("Known member ids: ")[1]


@pytest.mark.parametrize("url, field, expected", [
    ("/api/v1/ladder_members?stage=abc", "stage", "Expected a whole number."),
    ("/api/v1/ladder_alerts?stage=1.5", "stage", "Expected a whole number."),  # a view read through a library relation
    ("/api/v1/network_boost?ring=x", "ring", "Expected a whole number."),
    ("/api/v1/kb_questions?answered=maybe", "answered", "Expected true or false."),
])
def test_a_filter_value_its_column_cannot_hold_is_a_422_not_an_empty_page(client, url, field, expected):
    login(client, "viewer")
    error = _error_shape(client.get(url))
    assert error["code"] == "invalid_parameter" and error["where"]["field"] == field and error["message"].endswith(expected)


def test_typed_filters_still_match_their_rows(client):
    login(client, "viewer")
    staged = client.get("/api/v1/ladder_members?stage=3").json()
    assert staged["total"] > 0 and {r["stage"] for r in staged["items"]} == {3}
    answered = client.get("/api/v1/kb_questions?answered=TRUE").json()
    assert answered["total"] > 0 and all(r["answered"] is True for r in answered["items"])
    assert client.get("/api/v1/kb_questions?answered=false").json()["total"] > 0
