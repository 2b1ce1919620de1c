"""The funnel's conversion by join month on a long history: a cohort that joined before the ladder's replayed year
is not listed as if its members never reached a stage.

Found on the 13-year Stack Exchange bicycles meta dump: `reef funnel` listed 157 join months, every one from 2010 to
2022 at 0% for stage 1 or above (the site's founders were participants and connectors in 2010), because a cohort's
"ever reached" is the highest stage of the replayed year only. The surfaces now list the cohorts the replay saw whole
and say which earlier months were left out and why; `--json` keeps every month with `complete`.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.ladder.funnel import cohort_note, ladder_funnel
from tests.conftest import import_rows

TZ = timezone(timedelta(hours=8))
START = datetime(2018, 1, 10, 10, tzinfo=TZ)
AS_OF = datetime(2023, 6, 1, tzinfo=TZ)  # the replayed history (364 days) starts 2022-06-02 00:00 local


def _rows() -> dict:
    """One member joining every month for five and a half years; each posts a thread and answers the newest one."""
    members, content, interactions = [], [], []
    months = 64
    for k in range(months):
        joined = START + timedelta(days=30.5 * k)
        m = f"m{k:03d}"
        members.append({"member_id": m, "name": f"Rider {k}", "joined_at": joined.isoformat()})
        for j in range(3):
            at = joined + timedelta(days=2 + 9 * j)
            content.append({"content_id": f"t{k}_{j}", "kind": "thread", "author_id": m, "created_at": at.isoformat(),
                            "title": f"Tubeless setup question {k}.{j}", "body": "How do I seat a tubeless tyre on this rim?"})
            if k:
                content.append({"content_id": f"r{k}_{j}", "kind": "answer", "author_id": f"m{k - 1:03d}",
                                "parent_id": f"t{k}_{j}", "created_at": (at + timedelta(hours=3)).isoformat(),
                                "body": "Use a compressor and soapy water, then ride it in."})
                interactions.append({"interaction_id": f"i{k}_{j}", "kind": "like", "actor_id": m, "target_content_id": f"r{k}_{j}",
                                     "created_at": (at + timedelta(hours=5)).isoformat()})
    return {"members": members, "content": content, "interactions": interactions}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from reef.analyses import run_analyses

    folder = tmp_path_factory.mktemp("longfunnel")
    store = import_rows(folder, _rows())
    run_analyses(store, as_of=AS_OF, only=["ladder"])
    store.close()
    return folder / "reef.duckdb"


def test_cohorts_before_the_replayed_year_are_marked_and_named(db):
    from reef.store import open_store

    store = open_store(db, read_only=True)
    f = ladder_funnel(store)
    store.close()
    months = [c["cohort"] for c in f["cohorts"]]
    assert months[0] == "2018-01" and len(months) == 64  # --json keeps every month
    complete = [c["cohort"] for c in f["cohorts"] if c["complete"]]
    assert complete == [m for m in months if m >= "2022-06"], complete  # joined at or after the replay's start
    basis = f["cohort_basis"]
    assert basis["since_at"] == "2022-06-02 00:00" and basis["left_out"] == 64 - len(complete)
    assert (basis["first"], basis["last"], basis["members"]) == ("2018-01", "2022-05", 64 - len(complete))
    en = cohort_note(basis, "en")
    assert en.startswith(f"The {basis['left_out']} earlier join months are not listed (2018-01 to 2022-05, ")
    assert "(2022-06-02 00:00)" in en and "not whether they ever reached one" in en
    assert cohort_note(basis, "zh").startswith(f"更早的 {basis['left_out']} 个加入月份未列出（2018-01 至 2022-05，")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reef_funnel_lists_the_complete_cohorts_and_says_which_it_left_out(db, lang):
    runner = CliRunner()
    table = runner.invoke(app, ["funnel", "--db", str(db), "--as-of", "2023-06-01", "--lang", lang])
    assert table.exit_code == 0, table.output
    text = " ".join(table.output.split())
    assert "│ 2022-06 │" in text and "│ 2018-01 │" not in text and "│ 2022-05 │" not in text  # 64 rows before
    assert ("earlier join months are not listed" if lang == "en" else "个加入月份未列出") in text
    data = json.loads(runner.invoke(app, ["funnel", "--db", str(db), "--as-of", "2023-06-01", "--json"]).stdout)
    assert len(data["cohorts"]) == 64 and {c["complete"] for c in data["cohorts"]} == {True, False}
    assert data["cohort_basis"]["left_out"] == sum(not c["complete"] for c in data["cohorts"])


def test_the_ladder_page_and_the_report_list_only_complete_cohorts(db):
    from reef.ladder.report import ladder_section
    from reef.ladder.surfaces import ladder_page_data
    from reef.store import open_store

    store = open_store(db, read_only=True)
    page = ladder_page_data(store, lang="en")["data"]
    section = ladder_section(store, AS_OF, "en")
    store.close()
    assert page["cohorts"] and all(c["complete"] for c in page["cohorts"]) and page["cohorts"][0]["cohort"] == "2022-06"
    assert page["cohort_note"].startswith("The ")
    table = next(t for t in section.tables if t.caption == "Conversion by join month")
    assert [r[0] for r in table.rows][0] == "2022-06"
    assert any(p.startswith("The ") and "earlier join months are not listed" in p for p in section.paragraphs)


def test_a_replay_that_covers_the_data_lists_every_cohort():
    # The simulator's shape: members joined up to years before the first post, the replay covers all the data, so the
    # replay saw every act of every cohort and nothing is left out (the demo's page is unchanged).
    from reef.store import open_store

    as_of = datetime(2026, 6, 1, tzinfo=timezone.utc)
    s = open_store(":memory:")
    s.execute("""CREATE TABLE ladder_members AS SELECT * FROM (VALUES
        ('old', TIMESTAMPTZ '2020-01-01 00:00:00+00', 2, 2, CAST($a AS TIMESTAMPTZ), NULL::VARCHAR, NULL::VARCHAR,
         NULL::DOUBLE, NULL::VARCHAR, NULL::VARCHAR, NULL::TIMESTAMPTZ))
        t(member_id, joined_at, stage, max_stage, as_of, name, stage_name, potential, evidence_zh, evidence_en, stage_since)""",
              {"a": as_of})
    s.execute("CREATE TABLE ladder_events (member_id VARCHAR, \"at\" TIMESTAMPTZ, event VARCHAR, from_stage INT, to_stage INT)")
    s.execute("INSERT INTO content (content_id, kind, author_id, created_at) VALUES ('c1', 'thread', 'old', CAST($t AS TIMESTAMPTZ))",
              {"t": as_of - timedelta(days=90)})
    f = ladder_funnel(s)
    assert [c["complete"] for c in f["cohorts"]] == [True] and f["cohort_basis"]["left_out"] == 0
    assert cohort_note(f["cohort_basis"], "en") == ""
