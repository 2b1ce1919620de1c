"""Hand-made stores for the risk tests: rows per entity, and a stand-in ladder whose core the test names."""
from __future__ import annotations

import json
import shutil
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.conftest import import_rows, simulated_store_file

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def ts(d: float) -> str:
    """ISO time ``d`` days after T0."""
    return (T0 + timedelta(days=d)).isoformat()


def handmade_store(tmp_path, rows: dict, core: tuple = ()):
    """Import ``rows`` ({entity: [row, ...]}) into a fresh store; ``core`` members get ladder stage 3."""
    store = import_rows(tmp_path, rows, "s.duckdb")
    store.execute("CREATE TABLE ladder_members AS SELECT member_id, 3 AS stage, 3 AS max_stage FROM members WHERE list_contains($c, member_id)",
                  {"c": list(core) or [""]})
    return store


def burnout_result(store, day: float, **over):
    """The heat-death family result of ``burnout_part`` alone, ``day`` days after T0, with ``risks.*`` overrides."""
    from reef.config import load_config
    from reef.risks.burnout import burnout_part
    from reef.risks.common import FamilyResult, risk_base

    c = load_config().with_overrides({f"risks.{k}": v for k, v in over.items()}).section("risks")
    res = FamilyResult("heat_death")
    with risk_base(store, T0 + timedelta(days=day), 400):
        burnout_part(store, T0 + timedelta(days=day), c, res)
    return res


class _Robot(BaseHTTPRequestHandler):
    """A group robot on localhost: answers 500 to the first ``fail_first`` posts, 503 to all while ``mode`` is
    "down", a proxy's HTML page with status 200 while it is "proxy", a robot's refusal (errcode 93000) while it is
    "refuse", its rate limit (errcode 130101, kept in ``throttled``) while it is "throttle", else accepts; ``received``
    holds the accepted bodies, ``requests`` (path, body) pairs."""
    fail_first = 0
    throttled: list = []
    mode = "ok"
    received: list = []
    requests: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        cls = type(self)
        if cls.mode == "down" or cls.fail_first > 0:
            cls.fail_first = max(0, cls.fail_first - 1)
            self.send_response(503 if cls.mode == "down" else 500)
            self.end_headers()
            return
        if cls.mode == "throttle":  # a robot's rate limit: HTTP 200 with DingTalk's errcode 130101
            cls.throttled.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}')
            return
        if cls.mode in ("proxy", "empty", "list", "refuse"):
            self.send_response(200)
            self.end_headers()
            self.wfile.write({"proxy": b"<html><body>Please log in to the network</body></html>", "empty": b"",
                              "list": b"[]", "refuse": b'{"errcode": 93000, "errmsg": "invalid webhook url"}'}[cls.mode])
            return
        cls.received.append(body)
        cls.requests.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode": 0}')

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    """(URL, handler class) of a local robot, reset for the test."""
    server = HTTPServer(("127.0.0.1", 0), _Robot)
    _Robot.received, _Robot.requests, _Robot.fail_first, _Robot.mode, _Robot.throttled = [], [], 0, "ok", []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/send", _Robot
    server.shutdown()


@pytest.fixture
def second():
    """A second local robot with its own handler class (its own mode and received list): (url, handler)."""
    handler = type("_Second", (_Robot,), {"received": [], "requests": [], "fail_first": 0, "mode": "ok", "throttled": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/pr", handler
    server.shutdown()


@pytest.fixture(scope="session")
def _simulated_risks(tmp_path_factory):
    """A simulated community (400 members, 100 days, seed 5) with the risk radar run once per session."""
    return simulated_store_file(tmp_path_factory.mktemp("risksim"), members=400, days=100, seed=5, analyses=["risks"])


@pytest.fixture(scope="module")
def sim_path(_simulated_risks, tmp_path_factory):
    """This module's own copy of the simulated store (tests may run the radar again on it)."""
    path = tmp_path_factory.mktemp("risksim") / "reef.duckdb"
    shutil.copyfile(_simulated_risks, path)
    return path
