"""发送到群 on 风险雷达: operators send the new alerts to the configured robot in the background, see the delivery log,
and re-send failures; only an admin names another robot. The robot is a local fake (tests/risks/conftest.py)."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from surface_fixtures import client_on, login
from tests.risks.conftest import robot, second  # noqa: F401 - the local fake robot fixtures

pytest.importorskip("fastapi")
KEY = "SECRET-robot-key"


@contextmanager
def _server(db_path, config=None, **risks):
    """A client of a server whose configuration sets ``risks.*`` (the robot's URL); no retries, so nothing sleeps."""
    from reef.config import load_config

    config = (config or load_config()).with_overrides({"risks.webhook_retries": 0, **{f"risks.{k}": v for k, v in risks.items()}})
    with client_on(db_path, config) as c:
        yield c


def _unchecked(url: str):
    """A configuration whose robot URL skipped the merge-time check (built by hand, as a library caller may)."""
    from reef.config import Config, load_config

    data = load_config().as_dict()
    data["risks"]["webhook_url"] = url
    return Config(data, ["defaults.toml"])


def _post(client, csrf, **form):
    r = client.post("/risks/webhook", data={"csrf_token": csrf, **form}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/risks?job="), r.text
    job_id = int(r.headers["location"].split("=")[1].split("#")[0])
    return client.app.state.jobs.wait(job_id, timeout=60)


def _log(client, status: str) -> list[str]:
    html = client.get("/risks").text
    return re.findall(rf'<tr class="delivery-{status}" data-status="{status}">(.*?)</tr>', html, re.S)


def _alerts(client) -> int:
    handle = client.app.state.pool.acquire()
    try:
        return handle.fetch_value("SELECT count(*) FROM risk_alerts")
    finally:
        client.app.state.pool.release(handle)


def test_a_send_reaches_the_robot_is_logged_and_is_not_repeated(db_path, robot):  # noqa: F811
    url, handler = robot
    with _server(db_path, webhook_url=f"{url}?key={KEY}", webhook_platform="dingtalk") as client:
        n = _alerts(client)
        assert n >= 1
        csrf = login(client, "operator")
        page = client.get("/risks").text
        assert 'id="webhook-send"' in page and "钉钉" in page and url in page and KEY not in page
        job = _post(client, csrf, action="send")
        assert job["status"] == "done", job["error"]
        assert job["result"]["delivery"]["sent"] == n and handler.received  # the messages reached the fake robot
        assert handler.requests[0][0].startswith(f"/send?key={KEY}")
        posted = len(handler.received)
        assert len(_log(client, "sent")) == n
        login(client, "viewer")
        assert KEY not in client.get(f"/api/v1/jobs/{job['job_id']}").text  # jobs are readable by every role
        assert 'id="webhook"' not in client.get("/risks").text  # the card and the log are for operators
        csrf = login(client, "operator")
        again = _post(client, csrf, action="send")
        assert again["status"] == "done" and again["result"]["delivery"]["sent"] == 0 and len(handler.received) == posted
        assert len(_log(client, "sent")) == n  # nothing new was sent
        login(client, "admin")
        started = client.get("/api/v1/audit?action=job.webhook.start").json()["items"]
        assert [e["username"] for e in started] == ["operator", "operator"] and KEY not in str(started)


def test_a_failure_is_shown_and_redelivered(db_path, robot):  # noqa: F811
    url, handler = robot
    with _server(db_path, webhook_url=url) as client:
        n = _alerts(client)
        csrf = login(client, "operator")
        handler.mode = "down"
        job = _post(client, csrf, action="send")
        assert job["status"] == "failed" and job["error"]["code"] == "delivery_failed"
        failed = _log(client, "failed")
        assert len(failed) == n and "503" in failed[0]  # the reason, as risk_webhook_log keeps it
        # ... after its kind, both in the operator's words, as reef alerts says them: no Python exception class
        assert re.search(r'<span class="failure-kind">HTTP 错误</span>：状态码 503（', failed[0]), failed[0]
        assert "HTTPError" not in failed[0]
        row = client.get("/api/v1/webhook?lang=en").json()["log"][0]
        assert row["kind_name"] == "HTTP error" and row["reason"].startswith("status 503") and "HTTPError" in row["error"]
        assert "全部发送失败" in str(job["error"]["message"])  # the job's error in the operator's language
        page = client.get("/risks").text
        assert 'id="webhook-resend"' in page and re.search(rf'id="webhook-pending">{n} ', page)
        handler.mode = "ok"
        again = _post(client, csrf, action="resend")
        assert again["status"] == "done" and again["result"]["delivery"]["resent"] == n and handler.received
        assert len(_log(client, "sent")) == n and 'id="webhook-resend"' not in client.get("/risks").text
        assert client.get("/api/v1/webhook").json()["failed_pending"] == 0
        # One pacing of the URL across both sends: the robot's per-minute limit holds for the server, not per job.
        assert len(client.app.state.pacers[url].sent) == 2 * n


def test_without_a_robot_the_card_says_how_to_set_one(client):
    csrf = login(client, "operator")
    page = client.get("/risks").text
    assert 'id="webhook-unconfigured"' in page and "webhook_url" in page and 'id="webhook-send"' not in page
    r = client.post("/api/v1/jobs/webhook", json={}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and "risks.webhook_url" in r.json()["error"]["hint"]
    assert client.get("/api/v1/webhook").json()["configured"] is False


def test_only_an_admin_names_another_robot(db_path, robot):  # noqa: F811
    url, handler = robot
    with _server(db_path) as client:  # nothing configured
        csrf = login(client, "operator")
        r = client.post("/api/v1/jobs/webhook", json={"url": url}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 403 and not handler.received
        r = client.post("/risks/webhook", data={"csrf_token": csrf, "url": url, "platform": "feishu"}, follow_redirects=False)
        assert r.status_code == 403
        assert 'id="webhook-other"' not in client.get("/risks").text
        csrf = login(client, "admin")
        assert 'id="webhook-other"' in client.get("/risks").text
        job = _post(client, csrf, action="send", url=url, platform="feishu")
        assert job["status"] == "done" and job["result"]["platform"] == "feishu" and handler.received
        assert handler.received[0]["msg_type"] in ("text", "interactive")  # Feishu's format
        csrf = login(client, "viewer")
        assert client.post("/api/v1/jobs/webhook", json={}, headers={"X-CSRF-Token": csrf}).status_code == 403
        assert client.get("/api/v1/webhook").status_code == 403
        csrf = login(client, "admin")
        r = client.post("/api/v1/jobs/webhook", json={"url": url}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 202 and {"outcome", "failed", "blocked"} <= set(r.json())  # job_state, like every job
        client.app.state.jobs.wait(r.json()["job_id"], timeout=60)


def test_the_log_never_shows_a_robots_key_and_masks_for_viewers(tmp_path):
    import json

    from reef.config import load_config
    from reef.risks.deliveries import webhook_status
    from reef.store import open_store

    store = open_store(tmp_path / "log.duckdb")
    url = f"https://robot.example/send?key={KEY}"
    alert = {"alert_key": "backlash:a:m1", "family": "backlash", "severity": "high", "subject": "m1", "member_id": "m1",
             "message_zh": "车主电话13812345678", "message_en": "x"}
    store.execute("INSERT INTO risk_webhook_log VALUES ('backlash:a:m1', 'wecom', ?, 'failed', 1, ?, ?, now())",
                  [url, f"URLError: cannot reach {url}", json.dumps(alert, ensure_ascii=False)])
    config = load_config().with_overrides({"risks.webhook_url": url})
    status = webhook_status(store, config, masked=True)
    assert status["configured"] and status["target"] == "https://robot.example/send" and KEY not in json.dumps(status, default=str)
    row, = status["log"]
    assert row["error"] == "URLError: cannot reach https://robot.example/send" and row["family"] == "反噬"
    assert row["message"] == "车主电话138****5678" and row["severity"] == "high"
    assert webhook_status(store, config, masked=False)["log"][0]["message"] == "车主电话13812345678"
    bad = webhook_status(store, _unchecked("ftp://robot.example/x"))  # merging refuses it; a Config built by hand may not
    assert not bad["configured"] and "webhook" in bad["problem"]


def test_a_malformed_robot_url_never_shows_its_key(db_path):
    from reef.config import load_config
    from reef.errors import ConfigError

    bad = f"qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"  # no scheme
    with pytest.raises(ConfigError) as refused:  # a configuration file or override naming it fails when merged
        load_config().with_overrides({"risks.webhook_url": bad})
    assert refused.value.where.field == "risks.webhook_url" and KEY not in str(refused.value)
    with _server(db_path, _unchecked(bad)) as client:
        csrf = login(client, "operator")
        status = client.get("/api/v1/webhook").json()
        assert status["problem"] and "qyapi.weixin.qq.com/cgi-bin/webhook/send" in status["problem"]
        assert KEY not in client.get("/risks").text and KEY not in str(status)
        r = client.post("/api/v1/jobs/webhook", json={}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 422 and KEY not in r.text
        r = client.post("/risks/webhook", data={"csrf_token": csrf, "action": "send"}, follow_redirects=False)
        assert r.status_code == 422 and KEY not in r.text


def test_a_test_message_from_the_card_and_the_api(db_path, robot):  # noqa: F811
    url, handler = robot
    with _server(db_path, webhook_url=f"{url}?key={KEY}", webhook_platform="wecom") as client:
        csrf = login(client, "operator")
        assert 'id="webhook-test"' in client.get("/risks").text
        r = client.post("/risks/webhook", data={"csrf_token": csrf, "action": "test"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/risks?webhook_test=sent#webhook"
        page = client.get(r.headers["location"]).text
        assert 'id="webhook-tested" data-outcome="sent"' in page and "测试消息已送达" in page
        assert "测试消息" in _log(client, "sent")[0] and KEY not in page
        assert "Reef 测试消息" in handler.received[0]["markdown"]["content"]
        assert handler.requests[0][0] == f"/send?key={KEY}"
        got = client.post("/api/v1/webhook/test", json={"lang": "en"}, headers={"X-CSRF-Token": csrf}).json()
        assert got["sent"] and got["target"] == url and KEY not in str(got)
        assert handler.received[1]["markdown"]["content"].startswith("**Reef test message")
        r = client.post("/api/v1/webhook/test", json={"url": url}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 403 and len(handler.received) == 2  # another robot: admins only, as for sending
        handler.mode = "refuse"
        got = client.post("/api/v1/webhook/test", json={}, headers={"X-CSRF-Token": csrf}).json()
        assert not got["sent"] and got["kind"] == "refused" and "93000" in got["reason"]
        r = client.post("/risks/webhook", data={"csrf_token": csrf, "action": "test"}, follow_redirects=False)
        assert r.headers["location"] == "/risks?webhook_test=failed#webhook"
        assert 'data-outcome="failed"' in client.get(r.headers["location"]).text
        csrf = login(client, "viewer")
        assert client.post("/api/v1/webhook/test", json={}, headers={"X-CSRF-Token": csrf}).status_code == 403
        csrf = login(client, "admin")
        handler.mode = "ok"
        got = client.post("/api/v1/webhook/test", json={"url": url, "platform": "feishu"}, headers={"X-CSRF-Token": csrf}).json()
        assert got["sent"] and got["platform"] == "feishu" and handler.received[-1]["msg_type"] == "text"
        tested = client.get("/api/v1/audit?action=webhook.test").json()["items"]
        assert sorted(e["username"] for e in tested) == ["admin"] + ["operator"] * 4 and KEY not in str(tested)



def test_a_partly_failed_send_is_partial_not_done(db_path, robot, second):  # noqa: F811
    """A send that delivered some alerts and left others undelivered reads 部分失败 / partly failed on the card and
    ``outcome: partial`` in the API (exactly when `reef alerts` exits 10), never 已完成; one in which every delivery
    failed is a failed job, and a send that delivered everything stays done."""
    from reef.config import load_config
    from reef.risks.delivery_outcome import delivery_incomplete

    (ops, ops_h), (pr, pr_h) = robot, second
    config = load_config().with_overrides({"risks.webhook_retries": 0, "risks.robots": [
        {"name": "ops", "url": ops}, {"name": "pr", "url": pr}]})
    with client_on(db_path, config) as client:
        csrf = login(client, "operator")
        pr_h.mode = "down"  # ops receives, pr does not
        job = _post(client, csrf, action="send")
        d = job["result"]["delivery"]
        assert d["failed"] >= 1 and d["sent"] >= 1 and delivery_incomplete(job["result"]).exit_code == 10
        got = client.get(f"/api/v1/jobs/{job['job_id']}").json()
        assert got["status"] == "done" and got["outcome"] == "partial"  # status stays for pollers; outcome says it
        assert [j["outcome"] for j in client.get("/api/v1/jobs").json() if j["job_id"] == job["job_id"]] == ["partial"]
        row = re.search(rf'<tr data-job="{job["job_id"]}".*?</tr>', client.get("/risks").text, re.S).group(0)
        assert 'data-outcome="partial"' in row and "部分失败" in row and "已完成" not in row
        assert "有提醒未送达" in row and f"失败 {d['failed']}" in row
        en = re.search(rf'<tr data-job="{job["job_id"]}".*?</tr>', client.get("/risks?lang=en").text, re.S).group(0)
        assert "Partly failed" in en and "Not every alert was delivered" in en
        down = _post(client, csrf, action="resend", robot="pr")  # the failures again, to the robot still down
        assert down["status"] == "failed" and client.get(f"/api/v1/jobs/{down['job_id']}").json()["outcome"] == "failed"
        pr_h.mode = "ok"
        ok = _post(client, csrf, action="resend", robot="pr")
        assert ok["result"]["delivery"]["resent"] == d["failed"]
        assert client.get(f"/api/v1/jobs/{ok['job_id']}").json()["outcome"] == "done"
