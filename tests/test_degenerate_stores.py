"""Degenerate but legal stores (tests/degenerate.py: members only, one post, one day, staff-only content, emoji-only
posts): every analysis runs, and every Community read, every CLI read command with ``--json`` and every parameter-free
GET route of the HTTP API and dashboard answers with a well-formed result or a ReefError, never a traceback, a 500 or
nonsense (NaN, ``None``, infinity, a negative count, a "-0%" change).

Found so far: the risk radar said a change against an empty baseline as 较基线-0% (and any steady count as -0%); a
missing required query parameter answered "Invalid value for 'campaign': None. Expected Field required."; the team
builder's "too few members" error had no Chinese; the OpenAPI description of a view without a date column said
"date column `None`"."""
from __future__ import annotations

import json
import math
import re
import warnings

import pytest

from degenerate import PASSWORD, STORES, build

import reef
from reef.errors import ReefError

BRIEF = "docs/examples/team-brief.toml"
# Words that are never an operator's figure: Python's None, NaN, infinity, JavaScript's undefined, a "-0%" change.
_NONSENSE = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\binf\b|Infinity|\bundefined\b|(?<![\d.])-0(\.0+)?%")


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("degenerate")
    return {name: build(folder, name) for name in STORES}


def _nonsense(value, where: str, found: list) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _nonsense(v, f"{where}.{k}", found)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _nonsense(v, f"{where}[{i}]", found)
    elif isinstance(value, float) and not math.isfinite(value):
        found.append(f"{where}: {value}")
    elif isinstance(value, int) and not isinstance(value, bool) and value < 0:  # counts are whole numbers
        found.append(f"{where}: negative {value}")
    elif isinstance(value, str) and _NONSENSE.search(value):
        found.append(f"{where}: {value[:160]!r}")


def _reads(member: str, campaign: str, out) -> dict[str, tuple[list[str], str, tuple, dict]]:
    """command -> (CLI arguments, Community method, positional, keyword arguments): the reads of tests/test_api_parity.py."""
    return {
        "status": ([], "status", (), {}), "quarantine": ([], "quarantine", (), {}), "action list": ([], "actions", (), {}),
        "ladder": ([], "ladder", (), {}), "member": ([member], "member", (member,), {}), "funnel": ([], "funnel", (), {}),
        "recognise": ([], "recognise", (), {}), "contest": (["--campaign", campaign], "contest", (), {"campaign": campaign}),
        "campaigns": ([], "campaigns", (), {}), "connectors": ([], "connectors", (), {}),
        "ripple": (["--campaign", campaign], "ripple", (), {"campaign": campaign}),
        "seed-plan": (["--runs", "20"], "seed_plan", (), {"runs": 20}), "helpers": ([], "helpers", (), {}),
        "kb qa": ([], "kb_qa", (), {}), "kb essence": ([], "kb_essence", (), {}), "kb repeated": ([], "kb_repeated", (), {}),
        "kb topics": ([], "kb_topics", (), {}), "kb gaps": ([], "kb_gaps", (), {}),
        "ask": (["冬天续航掉多少"], "ask", ("冬天续航掉多少",), {}), "crisis": ([], "crisis", (), {}),
        "guide": (["--out", str(out / "cli"), "--format", "md"], "guide", (), {"out": out / "api", "fmt": "md"}),
        "risks": ([], "risks", (), {}), "alerts": ([], "alerts", (), {}), "groups": ([], "groups", (), {}),
        "plaza": ([], "plaza", (), {}), "council": ([], "council", (), {}), "effect": ([], "effect", (), {}),
        "team": (["--brief", BRIEF], "team", (BRIEF,), {}),
    }


def _ids(name: str) -> tuple[str, str]:
    spec = STORES[name]
    return spec["members"][0]["member_id"], ("k1" if "campaigns" in spec else "no-such-campaign")


@pytest.mark.parametrize("name", list(STORES))
def test_every_analysis_runs(stores, name):
    _, results = stores[name]
    failed = {r["name"]: r["message"] for r in results if r["status"] != "ok"}
    assert failed == {} and len(results) > 10
    found: list = []
    _nonsense(results, "analyze", found)
    assert found == []


@pytest.mark.parametrize("name", list(STORES))
def test_every_python_read_is_well_formed_or_a_reef_error(stores, name, tmp_path):
    from reef.cli._common import to_json

    path, _ = stores[name]
    found, refused = [], {}
    with reef.open(path, read_only=True) as c, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for command, (_, method, pos, kw) in _reads(*_ids(name), tmp_path).items():
            if method == "guide":  # writes files: not on a read-only handle
                continue
            try:
                result = getattr(c, method)(*pos, **kw)
            except ReefError as exc:  # said, with what is missing: fine; any other exception fails the test
                refused[command] = exc.code
                continue
            rows = result.to_pylist() if hasattr(result, "to_pylist") else result
            _nonsense(json.loads(to_json(rows, "Asia/Shanghai")), command, found)
    assert found == []
    assert set(refused) <= {"contest", "ripple", "team", "member"}, refused


# The CLI opens the store once per command (~0.2 s each): two stores keep the sweep within a few seconds, since the
# parity test (tests/test_api_parity.py) holds --json equal to the method the Python sweep calls on all five.
@pytest.mark.parametrize("name", ["members_only", "one_day"])
def test_every_cli_read_prints_json_or_its_error(stores, name, tmp_path):
    from typer.testing import CliRunner

    from reef.cli import app

    path, _ = stores[name]
    runner, found = CliRunner(), []
    for command, (args, *_) in _reads(*_ids(name), tmp_path).items():
        res = runner.invoke(app, [*command.split(), *args, "--db", str(path), "--json"])
        assert res.exception is None or isinstance(res.exception, SystemExit), (command, repr(res.exception))
        assert "Traceback" not in res.output, command
        body = json.loads(res.stdout)
        if res.exit_code:
            assert res.exit_code != 1 and set(body) == {"error"}, (command, res.exit_code, res.output[-500:])
        _nonsense(body, command, found)
    assert found == []


@pytest.mark.parametrize("name", list(STORES))
def test_every_parameter_free_get_route_answers_without_a_500_or_nonsense(stores, name):
    pytest.importorskip("fastapi")
    from surface_fixtures import api_routes, client_on

    path, _ = stores[name]
    found = []
    with client_on(path) as c:
        assert c.post("/api/v1/login", json={"username": "admin", "password": PASSWORD}).status_code == 200
        paths = sorted({r.path for r in api_routes(c.app.routes) if "GET" in r.methods and "{" not in r.path}
                       - {"/logout", "/api/v1/logout"})
        assert len(paths) > 30 and "/risks" in paths
        for p in paths:
            r = c.get(p)
            assert r.status_code < 500, (p, r.status_code, r.text[:300])
            kind = r.headers.get("content-type", "")
            if p.endswith("openapi.json"):  # a schema says null types: only its prose is read
                _nonsense([op.get("description", "") for ops in r.json()["paths"].values() for op in ops.values()], p, found)
            elif kind.startswith("application/json"):
                _nonsense(r.json(), p, found)
            elif kind.startswith("text/html"):
                text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", r.text, flags=re.S)
                _nonsense(text, p, found)
    assert found == []


def test_an_empty_baseline_is_no_change(stores):
    """On a store with members only the radar's activity part had value 0.0 said as 较基线-0% against an empty baseline;
    it has no change to say (value None, value_text ""), and the note says the baseline is empty."""
    path, _ = stores["members_only"]
    with reef.open(path, read_only=True) as c, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        heat = next(f for f in c.risks()["families"] if f["family"] == "heat_death")
    activity = next(p for p in heat["parts"] if p["part"] == "activity")
    assert activity["value"] is None and activity["value_text"] == "" and "基线为空" in activity["note"]
    homogenisation = next(p for p in heat["parts"] if p["part"] == "homogenisation")
    assert homogenisation["note"].endswith("话题熵变化—")


def test_a_change_that_rounds_to_nothing_is_plus_zero():
    from reef.risks.wording import change, part_value

    assert change(-0.0) == change(0.0) == change(-0.004) == "+0%" and change(-0.5) == "-50%"
    assert part_value("activity", 0.0) == "较基线+0%" and part_value("activity", 0.25, "en") == "-25% vs baseline"


def test_too_few_members_for_a_team_is_said_in_chinese(stores):
    from typer.testing import CliRunner

    from reef.cli import app

    path, _ = stores["one_day"]
    res = CliRunner().invoke(app, ["team", "--brief", BRIEF, "--db", str(path)])
    assert res.exit_code == 5 and "只有0名成员可以提名，不够6个席位" in res.output and "Only" not in res.output
    res = CliRunner().invoke(app, ["team", "--brief", BRIEF, "--db", str(path), "--json"])
    assert json.loads(res.stdout)["error"]["message"] == "Only 0 members can be proposed for 6 seats."


def test_a_missing_required_parameter_is_named_as_missing(stores):
    pytest.importorskip("fastapi")
    from surface_fixtures import client_on

    path, _ = stores["one_post"]
    with client_on(path) as c:
        c.post("/api/v1/login", json={"username": "admin", "password": PASSWORD})
        error = c.get("/api/v1/contest").json()["error"]
    assert error["code"] == "invalid_parameter" and error["where"]["field"] == "campaign"
    assert "None" not in error["message"] and error["message"].startswith("Missing value for 'campaign'.")


def test_the_funnel_says_why_members_who_joined_that_day_are_not_in_its_medians(stores):
    # one_day: both members joined at 08:00 and the first post is at 10:00. The cohort table lists them (2026-03); the
    # medians leave them out (they joined before the data starts). The note used to say "nobody has joined since the
    # data starts" with only the date; it now names the moment and the two members.
    from typer.testing import CliRunner

    from reef.cli import app

    path, _ = stores["one_day"]
    zh = CliRunner().invoke(app, ["funnel", "--db", str(path)]).output
    assert "暂无可统计的成员：全部 2 名成员都在数据开始（2026-03-10 10:00，最早的内容或互动）之前加入" in zh
    en = CliRunner().invoke(app, ["funnel", "--db", str(path), "--lang", "en"]).output
    assert "the 2 members on the ladder joined before the data starts (2026-03-10 10:00," in " ".join(en.split())
