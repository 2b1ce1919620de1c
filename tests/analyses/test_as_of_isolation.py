"""Every registered analysis, run as of T, gives the same results whether or not the store already holds what
happened after T (docs/analyses.md, *Point in time*).

The two stores (full, and cut at T) are built by tests/analyses/asof_stores.py and shared with
test_as_of_reads.py through the session fixture ``as_of_pair`` (tests/analyses/conftest.py).

Every table every analysis writes is then compared, with the exceptions in ``_RULES`` (each with its reason).
Costs about 25 s with the stores (the simulation, one analysis run to pick targets and five of the 300-member store).
"""
from __future__ import annotations

import pytest

from reef.analyses.registry import registered
from reef.store import open_store
from tests.analyses.asof_stores import LATER_EVENTS, same

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


@pytest.mark.parametrize("name", [a.name for a in registered()])
def test_analysis_as_of_t_ignores_what_happened_after_t(as_of_pair, name):
    full, cut, t = as_of_pair
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
            bad = [c for c, u, v in zip(cols, x, y) if not same(u, v)]
            assert not bad, f"{name}: {table} differs in {bad}:\n  with later data {x}\n  without        {y}"


def test_the_cut_undoes_later_events(as_of_pair):
    full, cut, t = as_of_pair
    s_cut = open_store(cut)
    for table, column in LATER_EVENTS:
        assert not s_cut.fetch_value(f'SELECT count(*) FROM "{table}" WHERE "{column}" >= $t', {"t": t}), (table, column)
    assert s_cut.fetch_value("SELECT status FROM operator_actions WHERE action_id = 'team-done-later'") == "open"
    assert s_cut.fetch_value("SELECT status FROM operator_actions WHERE action_id = 'rec-withdrawn'") == "done"
    assert open_store(full).fetch_value("SELECT count(*) FROM operator_actions WHERE created_at >= $t", {"t": t}) >= 15
