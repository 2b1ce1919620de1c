"""The two stores of the as-of isolation tests (tests/analyses/test_as_of_isolation.py, test_as_of_reads.py).

One small simulated community (300 members, 60 days) gets operator actions and later events on both sides of T
(recognitions, official responses, team seats, tasks; an action done or cancelled after T; posts deleted or edited
and members leaving after T). It is copied twice:

* **full** keeps everything and is analysed at the end of the data (as a live store is), then a week before T, then
  as of T: incremental state or history may carry forward from the earlier run, never from the later one;
* **cut** is the store as it stood at T: every row created at or after T is deleted from every canonical table, the
  later events on earlier rows are undone (:func:`cut`), and it is analysed a week before T and as of T.

:func:`build_pair` makes them (about 20 s); tests/analyses/conftest.py shares them as the session fixture
``as_of_pair``. Example::

    full, cut, t = build_pair(tmp_path)
"""
from __future__ import annotations

import json
import math
import shutil
from datetime import timedelta

from reef.analyses import run_analyses
from reef.api import simulate_community
from reef.model.schema import ENTITIES
from reef.store import open_store

__all__ = ["LATER_EVENTS", "build_pair", "cut", "same"]

# Later events recorded on rows created before T: at T they had not happened, so the store as it stood then holds NULL.
LATER_EVENTS = (("members", "left_at"), ("content", "deleted_at"), ("content", "edited_at"),
                ("campaigns", "ended_at"), ("official_facts", "valid_to"))


def cut(store, t) -> None:
    """Make ``store`` the store as it stood at ``t``."""
    for entity in ENTITIES.values():  # rows created at or after t (a fact without valid_from always holds: kept)
        if entity.time_field:
            store.execute(f'DELETE FROM "{entity.name}" WHERE "{entity.time_field}" >= $t', {"t": t})
    for table, column in LATER_EVENTS:
        store.execute(f'UPDATE "{table}" SET "{column}" = NULL WHERE "{column}" >= $t', {"t": t})
    # An action cancelled (or withdrawn) after t was open, or done when done before t; one done after t was open.
    done, cancelled = ("TRY_CAST(attrs->>'done_at' AS TIMESTAMPTZ)", "TRY_CAST(attrs->>'cancelled_at' AS TIMESTAMPTZ)")
    store.execute(f"""UPDATE operator_actions SET status = CASE WHEN {done} < $t THEN 'done' ELSE 'open' END,
                      attrs = json_merge_patch(attrs, '{{"cancelled_at": null, "withdraw_reason": null}}') WHERE {cancelled} >= $t""",
                  {"t": t})
    store.execute(f"""UPDATE operator_actions SET status = 'open', attrs = json_merge_patch(attrs, '{{"done_at": null}}')
                      WHERE {done} >= $t""", {"t": t})


def _action(store, action_id, kind, member, at, *, content=None, status="done", **attrs) -> None:
    store.execute("INSERT INTO operator_actions (action_id, kind, operator, member_id, content_id, created_at, status, attrs) "
                  "VALUES ($id, $kind, 'test', $m, $c, $at, $status, $attrs)",
                  {"id": action_id, "kind": kind, "m": member, "c": content, "at": at, "status": status,
                   "attrs": json.dumps({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in attrs.items()})})


def _targets(path, t) -> tuple[list[str], list[str]]:
    """What the actions must touch to matter at t, from a throw-away run as of t: the complaints left unresolved (an
    official response to one resolves it) and the acts the ladder's alerts name (a task set on one makes it no
    longer proactive)."""
    scratch = path.with_name("scratch.duckdb")
    shutil.copy(path, scratch)
    store = open_store(scratch)
    run_analyses(store, as_of=t, only=["risks"])
    unresolved = [r[0] for r in store.fetch_all("SELECT DISTINCT content_id FROM risk_evidence WHERE part = 'unresolved' "
                                               "AND content_id IS NOT NULL ORDER BY 1")]
    proactive = [r[0] for r in store.fetch_all("SELECT content_id FROM ladder_alerts WHERE content_id IS NOT NULL ORDER BY rank")]
    store.close()
    scratch.unlink()
    assert len(unresolved) >= 6 and len(proactive) >= 4, (unresolved, proactive)
    return unresolved, proactive


def _later_events(store, t, unresolved: list[str], proactive: list[str]) -> None:
    """Operator actions and events before and after ``t`` on members and items that existed before it."""
    members = [r[0] for r in store.fetch_all(
        "SELECT author_id FROM content WHERE created_at < $t AND author_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 "
        "LIMIT 12", {"t": t})]
    threads = [r[0] for r in store.fetch_all(
        "SELECT content_id FROM content WHERE created_at < $t - INTERVAL 2 DAY AND kind = 'thread' ORDER BY created_at DESC, 1 "
        "LIMIT 4", {"t": t})]
    d = timedelta(days=1)
    for i, m in enumerate(members[:4]):  # recognised after t; one recognised before and withdrawn after
        _action(store, f"rec-after-{i}", "recognise", m, t + d * (i + 1))
    _action(store, "rec-withdrawn", "recognise", members[4], t - 2 * d, status="cancelled", done_at=t - 2 * d,
            cancelled_at=t + 3 * d, withdraw_reason="test")
    # official responses to unresolved complaints: after t (still unresolved at t), before t and cancelled after t
    # (answered at t), and one before t that stays (answered in both copies)
    for i, c in enumerate(unresolved[:-2]):
        _action(store, f"resp-after-{i}", "respond", None, t + d * (i + 1), content=c)
    _action(store, "resp-cancelled-later", "respond", None, t - d, content=unresolved[-2], status="cancelled",
            cancelled_at=t + d)
    _action(store, "resp-before", "respond", None, t - d, content=unresolved[-1])
    for i, c in enumerate(proactive[:3]):  # tasks set after t on the acts the ladder alerts on
        _action(store, f"task-after-{i}", "assign_task", members[9], t + d, content=c, status="open")
    _action(store, "team-open", "add_to_team", members[5], t - 5 * d, status="open", team="上手指南", role="主笔")
    _action(store, "team-done-later", "add_to_team", members[6], t - 5 * d, status="done", done_at=t + 2 * d, team="上手指南")
    _action(store, "team-after", "add_to_team", members[7], t + d, status="open", team="上手指南")
    _action(store, "council-after", "seat_council", members[8], t + d)
    for kind in ("seed", "boost", "invite", "appoint_leader", "complete_task", "note"):
        _action(store, f"{kind}-after", kind, members[10], t + 2 * d, status="open" if kind == "seed" else "done")
    store.execute("UPDATE content SET deleted_at = $t + INTERVAL 1 DAY WHERE content_id IN (SELECT unnest($c))",
                  {"t": t, "c": threads[:2] + proactive[3:4]})
    store.execute("UPDATE content SET edited_at = $t + INTERVAL 1 DAY WHERE content_id IN (SELECT unnest($c))",
                  {"t": t, "c": threads[2:4]})
    store.execute("UPDATE members SET left_at = $t + INTERVAL 2 DAY WHERE member_id = $m", {"t": t, "m": members[11]})


def same(a, b) -> bool:
    """Equal, floats to 1e-9 relative: a sum over the same acts in another order differs in its last bits."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b



def build_pair(folder):
    """(full, cut, t): the two analysed store files in ``folder`` (closed) and the moment T."""
    raw, full, cut_path = folder / "raw.duckdb", folder / "full.duckdb", folder / "cut.duckdb"
    store = open_store(raw)
    simulate_community(store, members=300, days=60, seed=3)
    t = store.fetch_value("SELECT max(created_at) FROM content") - timedelta(days=4.5)
    store.close()
    targets = _targets(raw, t)
    store = open_store(raw)
    _later_events(store, t, *targets)
    store.close()
    shutil.copy(raw, full)
    shutil.copy(raw, cut_path)
    s_full, s_cut = open_store(full), open_store(cut_path)
    # The live store, analysed at the end of the data, then a week before t: the run at t may carry state forward
    # from that one (the incremental network and risk bases), never from the one after t.
    run_analyses(s_full)
    run_analyses(s_full, as_of=t - timedelta(days=7))
    run_analyses(s_full, as_of=t, force=True)
    cut(s_cut, t)
    assert s_cut.fetch_value("SELECT count(*) FROM content") < s_full.fetch_value("SELECT count(*) FROM content")
    run_analyses(s_cut, as_of=t - timedelta(days=7))  # the same history up to t: a risk seen a week before is not new
    run_analyses(s_cut, as_of=t, force=True)
    s_full.close()
    s_cut.close()
    return full, cut_path, t
