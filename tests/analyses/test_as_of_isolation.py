"""Every registered analysis, run as of T, gives the same results whether or not the store already holds what
happened after T (docs/analyses.md, *Point in time*).

One small simulated community (300 members, 60 days) gets operator actions and later events on both sides of T
(recognitions, official responses, team seats, tasks; an action done or cancelled after T; posts deleted or edited
and members leaving after T). It is copied twice:

* **full** keeps everything and is analysed at the end of the data (as a live store is), then a week before T, then
  as of T: incremental state or history may carry forward from the earlier run, never from the later one;
* **cut** is the store as it stood at T: every row created at or after T is deleted from every canonical table, the
  later events on earlier rows are undone (``_cut``), and it is analysed a week before T and as of T.

Every table every analysis writes is then compared, with the exceptions in ``_RULES`` (each with its reason).
Costs about 25 s (the simulation, one analysis run to pick targets and five of the 300-member store).
"""
from __future__ import annotations

import json
import math
import shutil
from datetime import timedelta

import pytest

from reef.analyses import run_analyses
from reef.analyses.registry import registered
from reef.api import simulate_community
from reef.model.schema import ENTITIES
from reef.store import open_store

# Later events recorded on rows created before T: at T they had not happened, so the store as it stood then holds NULL.
_LATER_EVENTS = (("members", "left_at"), ("content", "deleted_at"), ("content", "edited_at"),
                 ("campaigns", "ended_at"), ("official_facts", "valid_to"))


def _cut(store, t) -> None:
    """Make ``store`` the store as it stood at ``t``."""
    for entity in ENTITIES.values():  # rows created at or after t (a fact without valid_from always holds: kept)
        if entity.time_field:
            store.execute(f'DELETE FROM "{entity.name}" WHERE "{entity.time_field}" >= $t', {"t": t})
    for table, column in _LATER_EVENTS:
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


# Per table, what is not compared, and why. Everything else of every table is compared.
_WHOLE_STORE_SECTIONS = ("content_by_kind", "interactions_by_kind", "staff_accounts", "range")
_RULES = {
    # A per-item cache: an item's features depend on its text only, and readers join it through content_at, so rows of
    # items created after T are never read at T. enriched_at is the wall-clock time of enrichment (run metadata).
    "content_features": {"where": "WHERE content_id IN (SELECT content_id FROM content_at($t))", "drop": ("enriched_at",)},
    # The status part (kinds, date range, staff) caches `reef status` for the store now, whatever the as_of (documented
    # in reef/analyses/overview.py and docs/analyses.md); whole_store's "at" is the wall clock of the scan;
    # profile_complete says whether this run's as_of covers the store's data (it does in the cut copy, not in full).
    "overview_status": {"where": "WHERE section NOT IN (SELECT unnest($s)) AND key NOT IN ('whole_store', 'profile_complete')"},
    # Histories of every run, keyed by the run's as_of (reef/risks/alert_log.py): the full copy also holds the run at
    # the end of the data; the run at T's own rows are compared.
    "risk_alert_sightings": {"where": "WHERE as_of = $t"},
    "risk_score_log": {"where": "WHERE as_of = $t"},
    # The legacy summary of all runs (first and last sighting over every run, whatever its as_of); the as-of reads use
    # risk_alert_sightings, compared above. Its rows for the keys alerted at T are compared without the all-runs columns.
    "risk_alert_log": {"where": "WHERE alert_key IN (SELECT alert_key FROM risk_alerts)",
                       "drop": ("last_seen", "severity", "message_zh", "message_en")},
}


def _rows(store, table: str, t) -> tuple[list[str], list[tuple]]:
    rule = _RULES.get(table, {})
    cols = [c for c in store.fetch_arrow(f'SELECT * FROM "{table}" LIMIT 0').column_names if c not in rule.get("drop", ())]
    sql = f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)} FROM "{table}" {rule.get("where", "")}'
    params = {k: v for k, v in {"t": t, "s": list(_WHOLE_STORE_SECTIONS)}.items() if f"${k}" in sql}
    return cols, sorted(store.fetch_all(sql, params or None), key=lambda r: repr(_rounded(r)))


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _same(a, b) -> bool:
    """Equal, floats to 1e-9 relative: a sum over the same acts in another order differs in its last bits."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("asof")
    raw, full, cut = folder / "raw.duckdb", folder / "full.duckdb", folder / "cut.duckdb"
    store = open_store(raw)
    simulate_community(store, members=300, days=60, seed=3)
    t = store.fetch_value("SELECT max(created_at) FROM content") - timedelta(days=4.5)
    store.close()
    targets = _targets(raw, t)
    store = open_store(raw)
    _later_events(store, t, *targets)
    store.close()
    shutil.copy(raw, full)
    shutil.copy(raw, cut)
    s_full, s_cut = open_store(full), open_store(cut)
    # The live store, analysed at the end of the data, then a week before t: the run at t may carry state forward
    # from that one (the incremental network and risk bases), never from the one after t.
    run_analyses(s_full)
    run_analyses(s_full, as_of=t - timedelta(days=7))
    run_analyses(s_full, as_of=t, force=True)
    _cut(s_cut, t)
    assert s_cut.fetch_value("SELECT count(*) FROM content") < s_full.fetch_value("SELECT count(*) FROM content")
    run_analyses(s_cut, as_of=t - timedelta(days=7))  # the same history up to t: a risk seen a week before is not new
    run_analyses(s_cut, as_of=t, force=True)
    s_full.close()
    s_cut.close()
    return full, cut, t


@pytest.mark.parametrize("name", [a.name for a in registered()])
def test_analysis_as_of_t_ignores_what_happened_after_t(pair, name):
    full, cut, t = pair
    s_full, s_cut = open_store(full), open_store(cut)
    analysis = next(a for a in registered() if a.name == name)
    assert analysis.writes, name
    for table in analysis.writes:
        cols, a = _rows(s_full, table, t)
        cols_cut, b = _rows(s_cut, table, t)
        assert cols == cols_cut, table
        assert a, f"{table} is empty: the comparison would prove nothing"
        assert len(a) == len(b), f"{name}: {table} has {len(a)} rows with the later data, {len(b)} without"
        for x, y in zip(a, b):
            bad = [c for c, u, v in zip(cols, x, y) if not _same(u, v)]
            assert not bad, f"{name}: {table} differs in {bad}:\n  with later data {x}\n  without        {y}"


def test_the_cut_undoes_later_events(pair):
    full, cut, t = pair
    s_cut = open_store(cut)
    for table, column in _LATER_EVENTS:
        assert not s_cut.fetch_value(f'SELECT count(*) FROM "{table}" WHERE "{column}" >= $t', {"t": t}), (table, column)
    assert s_cut.fetch_value("SELECT status FROM operator_actions WHERE action_id = 'team-done-later'") == "open"
    assert s_cut.fetch_value("SELECT status FROM operator_actions WHERE action_id = 'rec-withdrawn'") == "done"
    assert open_store(full).fetch_value("SELECT count(*) FROM operator_actions WHERE created_at >= $t", {"t": t}) >= 15
