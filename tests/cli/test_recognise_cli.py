"""``reef recognise`` and ``Community.recognise`` mark a member recognised since the act, reading recognitions up to
``--as-of`` (the hand-made community: lead's first meetup is a recognise-now alert on day 21)."""
from __future__ import annotations

import json
from datetime import timedelta

from typer.testing import CliRunner

from reef.cli import app
from tests.conftest import import_rows
from tests.ladder.conftest import T0, handmade_rows

AS_OF = (T0 + timedelta(days=21)).isoformat()


def _recognise(db, *args):
    r = CliRunner(env={"COLUMNS": "400"}).invoke(app, ["recognise", "--db", db, "--as-of", AS_OF, *args])
    assert r.exit_code == 0, r.output
    return r.output


def test_recognise_marks_members_recognised_before_as_of_only(tmp_path):
    from reef.api import Community
    from reef.store import close_all

    store = import_rows(tmp_path, handmade_rows())
    with store.transaction():  # a recognition recorded after --as-of (day 22) does not count at day 21
        store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs, ingested_at) "
                      "VALUES ('x-late', 'recognise', 'ops', 'lead', ?, 'done', '{}', now())", [T0 + timedelta(days=22)])
    db = str(store.path)
    close_all()
    rows = json.loads(_recognise(db, "--json"))
    assert [(r["member_id"], r["recognised_status"], r["recognised_at"]) for r in rows] == [("lead", None, None)]
    store = Community(db).store
    with store.transaction():  # one recorded half a day after the meetup, before --as-of: recognised
        store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs, ingested_at) "
                      "VALUES ('x-on-time', 'recognise', 'ops', 'lead', ?, 'done', '{}', now())", [T0 + timedelta(days=20.5)])
    close_all()
    rows = json.loads(_recognise(db, "--json"))
    assert [(r["member_id"], r["recognised_status"], r["recognised_action"]) for r in rows] == [("lead", "done", "x-on-time")]
    assert rows[0]["recognised_at"].startswith("2026-03-21T")
    assert "已认可 2026-03-21" in _recognise(db)
    assert "recognised 2026-03-21" in _recognise(db, "--lang", "en")
    assert Community(db).recognise(as_of=AS_OF, format="polars")["recognised_status"].to_list() == ["done"]


def test_recognise_keeps_an_unrecognised_alert_for_the_backlog_days(tmp_path):
    """QA (a weekly operator): lead's first meetup (day 20) was an alert on day 21 only; four days later it vanished
    unrecognised. Now it stays, not new, until recognised; --days lists it either way; the stage shows its name."""
    from reef.store import close_all

    store = import_rows(tmp_path, handmade_rows())
    db = str(store.path)
    close_all()
    later = (T0 + timedelta(days=24)).isoformat()

    def run(*args):
        r = CliRunner(env={"COLUMNS": "400"}).invoke(app, ["recognise", "--db", db, "--as-of", later, *args])
        assert r.exit_code == 0, r.output
        return r.output

    rows = [r for r in json.loads(run("--json")) if r["member_id"] == "lead"]
    assert [(r["alert"], r["is_new"], r["recognised_status"]) for r in rows] == [("first_proactive", False, None)]
    text = run()
    assert "首次主动创造价值" in text and "first_proactive" not in text and "0 沉默" in text
    assert "first proactive act" in run("--lang", "en")
    from reef.api import Community

    store = Community(db).store
    with store.transaction():
        store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, created_at, status, attrs, ingested_at) "
                      "VALUES ('x-wk', 'recognise', 'ops', 'lead', ?, 'done', '{}', now())", [T0 + timedelta(days=22)])
    close_all()
    assert not [r for r in json.loads(run("--json")) if r["member_id"] == "lead"]  # recognised: off the default list
    rows = [r for r in json.loads(run("--json", "--days", "7")) if r["member_id"] == "lead"]
    assert [r["recognised_status"] for r in rows] == ["done"]
    assert [r["member_id"] for r in json.loads(run("--json", "--days", "1"))] == []
    r = CliRunner(env={"COLUMNS": "400"}).invoke(app, ["recognise", "--db", db, "--as-of", later, "--days", "30"])
    assert r.exit_code == 2 and "alert_backlog_days" in r.output


def test_recognise_table_names_the_post_of_the_act(tmp_path):
    """QA (an operator): the table had no content id (the JSON had it), so she could not go to the post."""
    from reef.store import close_all

    store = import_rows(tmp_path, handmade_rows())
    db = str(store.path)
    close_all()
    rows = json.loads(_recognise(db, "--json"))
    assert rows and all(r["content_id"] for r in rows)
    for lang, head in (("zh", "内容ID"), ("en", "Content ID")):
        table = _recognise(db, "--lang", lang)
        assert head in table
        assert all(r["content_id"] in table for r in rows)
