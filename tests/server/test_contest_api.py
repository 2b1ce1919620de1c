"""QA (a community operator): the contest existed only in the CLI and the Python API. Now ``GET /api/v1/contest``
answers ``reef contest --json``'s dict (an unknown campaign is 404 not_found, as other unknown ids), ``GET
/api/v1/campaigns`` lists the campaigns, the 征集评审 page ranks the entries with each part's points, and the contest
downloads as Excel or CSV."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from surface_fixtures import client_on, login

pytest.importorskip("fastapi")


def _cli(db, *args):
    from reef.cli import app
    from reef.store import close_all

    r = CliRunner().invoke(app, [*args, "--db", str(db), "--json"])
    close_all()
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_contest_api_answers_the_cli_json_and_404_for_an_unknown_campaign(db_path):
    camp = _cli(db_path, "campaigns")[0]["campaign_id"]
    cli = _cli(db_path, "contest", "--campaign", camp, "--top", "5")
    with client_on(db_path) as client:
        login(client, "viewer")
        got = client.get(f"/api/v1/contest?campaign={camp}&top=5")
        assert got.status_code == 200 and got.json() == cli
        listed = client.get("/api/v1/campaigns").json()
        assert listed["total"] >= 1 and listed["items"][0]["campaign_id"] == camp
        assert listed["items"][0]["entries_judged"] == cli["entries_judged"] > 5
        missing = client.get("/api/v1/contest?campaign=nope")
        assert missing.status_code == 404
        err = missing.json()["error"]
        assert err["code"] == "not_found" and camp in err["hint"]
        assert client.get(f"/api/v1/contest?campaign={camp}&top=0").status_code == 422


def test_contest_downloads_every_entry_under_the_cli_headers(client):
    login(client, "viewer")
    camp = client.get("/api/v1/campaigns").json()["items"][0]["campaign_id"]
    data = client.get(f"/api/v1/contest?campaign={camp}&top=100").json()
    r = client.get(f"/api/v1/contest/download?campaign={camp}&format=csv&lang=zh")
    assert r.status_code == 200 and r.headers["content-disposition"].endswith(f'-{data["as_of"][:10]}.csv"')
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["评审结果"] and "文字质量（满分35）" in rows[1] and "总分" in rows[1]
    body = rows[2:2 + data["entries_judged"]]
    assert [row[1] for row in body] == [e["content_id"] for e in data["entries"]]
    assert [float(row[rows[1].index("总分")]) for row in body] == [e["score"] for e in data["entries"]]
    xlsx = client.get(f"/api/v1/contest/download?campaign={camp}&format=xlsx&lang=en")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/api/v1/contest/download?campaign={camp}&format=pdf").status_code == 422
    assert client.get("/api/v1/contest/download?campaign=nope&format=csv").status_code == 404


def test_contest_page_picks_a_campaign_and_shows_each_part(client):
    login(client, "viewer")
    camp = client.get("/api/v1/campaigns").json()["items"][0]
    data = client.get(f"/api/v1/contest?campaign={camp['campaign_id']}&top=100").json()
    page = client.get("/contest").text
    assert f'href="/contest?campaign={camp["campaign_id"]}"' in page and ">征集评审<" in page
    heads = re.findall(r'<th scope="col" data-col="([^"]+)">([^<]+)</th>', page)
    assert ("text_points", "文字质量（满分35）") in heads and ("score", "总分") in heads
    body = re.search(r'<table id="entries"[^>]*>.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    shown = re.findall(r'href="/content/([^"]+)"', body)
    assert shown == [e["content_id"] for e in data["entries"]][:len(shown)] and shown
    assert all(f'href="/members/{e["author_id"]}"' in body for e in data["entries"][:len(shown)])
    ranks = [e["rank"] for e in data["entries"][:len(shown)]]
    assert body.count("并列") == sum(ranks.count(r) > 1 for r in ranks)
    assert f"共 {data['entries_judged']} 份投稿参评" in page and "/api/v1/contest/download?campaign=" in page
    english = client.get(f"/contest?campaign={camp['campaign_id']}&lang=en").text
    assert "text quality (of 35)" in english and "entries judged" in english
    assert client.get("/contest?campaign=nope", headers={"accept": "text/html"}).status_code == 404
