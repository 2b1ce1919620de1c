"""No server answer tells its user to make a Python call: representative error situations are hit through the JSON API
and the dashboard (error page, a failed job's line on the Imports page), and every hint they show is checked for Python
call syntax (``ladder()``, ``risks(as_of=``, ``entity="members"``, ``Community.``, ``reef.open(``). The library keeps
its own hints (the notebook's), the CLI its ``reef ...`` ones; the server's come from ``with_api_hint``."""
from __future__ import annotations

import html
import re

import pytest

from reef.errors import NotFoundError
from surface_fixtures import login

pytest.importorskip("fastapi")

HTML = {"accept": "text/html,application/xhtml+xml"}
# a call (name() or name(kw=), a keyword argument outside a query string (kw=...), a Python object's method
PY_CALL = re.compile(r"\b[A-Za-z_][\w.]*\((?:\)|[a-z_]+=)|(?<![?&\w])[a-z_]+=|\bCommunity\.|\breef\.open\(")


def _page_hints(page) -> list[str]:
    """The texts of the dashboard's error page under its summary (message, hint, the Chinese hint)."""
    assert page.headers["content-type"].startswith("text/html"), page.text[:200]
    section = re.search(r'<section class="card" id="error-page">(.*?)</section>', page.text, re.S).group(1)
    return [html.unescape(t) for t in re.findall(r'<p class="note"[^>]*>(.*?)</p>', section, re.S)]


def _job_error(client, app, files) -> tuple[dict, str]:
    """Upload ``files`` through the API; the failed job's error (JSON) and its line on the Imports page (text)."""
    r = client.post("/api/v1/jobs/import", files=files, headers={"X-CSRF-Token": client.csrf})
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    assert app.state.jobs.wait(job_id, timeout=60)["status"] == "failed"
    error = client.get(f"/api/v1/jobs/{job_id}").json()["error"]
    page = client.get(f"/imports?job={job_id}", headers=HTML).text
    line = re.search(rf'<tr data-job="{job_id}".*?</tr>', page, re.S).group(0)
    return error, html.unescape(re.sub(r"<[^>]+>", " ", line))


def _situations(client, app):
    """(label, the hint shown) for every situation, on the API and on the dashboard."""
    c, h = client, {"X-CSRF-Token": client.csrf}
    yield "api unknown member", c.get("/api/v1/members/ghost").json()["error"]["hint"]
    for text in _page_hints(c.get("/members/ghost", headers=HTML)):
        yield "page unknown member", text
    yield "api dismiss unknown import", c.post("/api/v1/quarantine/dismiss", json={"import_id": 999}, headers=h).json()["error"]["hint"]
    yield "api dismiss both", c.post("/api/v1/quarantine/dismiss", json={"import_id": 1, "all": True}, headers=h).json()["error"]["hint"]
    for text in _page_hints(c.post("/imports/quarantine-clear", data={"import_id": "999", "csrf_token": client.csrf}, headers=HTML)):
        yield "page dismiss unknown import", text
    yield "api risk report of another as_of", c.get("/api/v1/risks/report?as_of=2020-01-01").json()["error"]["hint"]
    error, line = _job_error(c, app, {"files": ("stuff.csv", b"a,b\n1,2\n", "application/octet-stream")})
    yield "api import job stuff.csv", error["hint"]
    yield "page import job stuff.csv", line
    # a name that tells no format is refused before a job: 400 on the API, the error page on the dashboard
    doc = {"files": ("members.doc", b"x", "application/octet-stream")}
    r = c.post("/api/v1/jobs/import", files=doc, headers=h)
    assert r.status_code == 400, r.text
    yield "api import members.doc", r.json()["error"]["hint"]
    for text in _page_hints(c.post("/imports/upload", data={"csrf_token": client.csrf, "format": "auto"}, files=doc, headers=HTML)):
        yield "page import members.doc", text


def test_no_server_hint_names_a_python_call(client, app):
    client.csrf = login(client, "admin")
    seen = list(_situations(client, app))
    assert len(seen) >= 10 and all(text for _, text in seen if text.startswith("api")), seen
    calls = [(label, text) for label, text in seen if text and PY_CALL.search(text)]
    assert not calls, calls
    # the notebook and the command line keep theirs
    from reef.ingest.dismiss import dismiss_quarantine

    with pytest.raises(NotFoundError) as got:
        dismiss_quarantine(app.state.store, import_id=999)
    assert (got.value.hint, got.value.cli_hint) == ("status() lists the imports and their ids.",
                                                    "`reef status` lists the imports and their ids.")


def test_the_error_page_names_the_dashboards_page_in_its_language(client):
    login(client, "viewer")
    zh = client.get("/members/ghost", headers=HTML)
    assert zh.status_code == 404
    assert "请检查 ID（“成员”页列出全部成员）。" in re.sub(r"<details>.*?</details>", "", zh.text, flags=re.S)
    en = _page_hints(client.get("/members/ghost?lang=en", headers=HTML))
    assert any(t.startswith("Check the id (the Members page, /members, lists members).") for t in en), en
    assert client.get("/api/v1/members/ghost").json()["error"]["hint"].startswith("Check the id (GET /api/v1/member_summary")
    # nor a reef command: the crisis room at another as_of says to open it without one (its CLI hint names `reef crisis`)
    crisis = client.get("/crisis?as_of=2020-01-01&lang=zh", headers=HTML)
    assert crisis.status_code == 422 and "请去掉 as_of 打开危机室查看。" in crisis.text
    assert "reef crisis" not in crisis.text

