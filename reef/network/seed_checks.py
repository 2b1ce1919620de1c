"""Who a seeding plan leaves out or flags, and why (the checks behind :func:`reef.network.seeding.seed_plan`).

Each member may carry several checks, each a dict with ``reason`` and ``exclude`` (True: left out of the candidates;
False: kept and flagged next to the seed) and the figures behind it (ids and numbers, no names):

* ``typed``: the operator asked to leave them out (always excluded);
* ``overasked``: drew more than ``network.overasked_max`` mentions in ``network.overasked_days`` days (``n``);
* ``burnout``: activity in the last ``network.burnout_days`` fell below ``network.burnout_drop`` of the earlier rate
  (``recent``, ``before``: items per period);
* ``risk``: an alert of the risk radar on them (``risk_alerts``: a part in ``network.seed_risk_parts`` at
  ``network.seed_risk_severity`` or above: ``alert_key``, ``part``, ``severity``, ``message_zh``/``message_en``) or a
  hostile reply of theirs in its evidence (``risk_evidence`` part ``hostility``: a personal attack, or toxicity of
  ``network.seed_risk_toxicity`` or more: ``content_id``, ``toxicity``, ``attack``); excluded unless
  ``network.seed_risk_action`` is ``flag``. The risk tables are read as the last risk run left them (never recomputed
  here), and only when that run is not later than the plan's as_of;
* ``recruited``: an open ``seed`` action already asks them to start this topic (its note names a term of it, as a
  recorded plan's does: ``action_id``); flagged unless
  ``network.seed_recruited_action`` is ``exclude``.

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> seed_checks(open_store(":memory:"), datetime(2026, 1, 1, tzinfo=timezone.utc), topic=None, typed=["m1"])
    {'m1': [{'reason': 'typed', 'exclude': True}]}
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from reef.network.campaign import topic_terms

__all__ = ["seed_checks", "REASONS", "SEVERITIES", "ACTIONS"]

REASONS = ("typed", "overasked", "burnout", "risk", "recruited")
SEVERITIES = ("medium", "high")  # the levels risk_alerts holds (low is never stored)
ACTIONS = ("exclude", "flag")


def seed_checks(store, as_of: datetime, config=None, *, topic: str | None,
                typed: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """member id -> its checks (see the module), in :data:`REASONS` order (``config``: the store's by default)."""
    net = (config or store.config).section("network")
    out: dict[str, list[dict[str, Any]]] = {}

    def add(member: str, reason: str, exclude: bool, **facts: Any) -> None:
        out.setdefault(member, []).append({"reason": reason, "exclude": exclude, **facts})

    for m in dict.fromkeys(typed or []):
        add(m, "typed", True)
    if store.table_exists("content"):
        _activity(store, as_of, net, add)
    risk_exclude = str(net["seed_risk_action"]) != "flag"
    for r in _risks(store, as_of, net):
        add(r.pop("member_id"), "risk", risk_exclude, **r)
    for member, action_id in _recruited(store, topic):
        add(member, "recruited", str(net["seed_recruited_action"]) == "exclude", action_id=action_id)
    return out


def _activity(store, as_of: datetime, net, add) -> None:
    """Over-asked (mentions in the window) and burning-out (activity collapsed) members."""
    rows = store.fetch_all("""
        WITH asked AS (SELECT target_member_id AS m, count(*) AS n FROM interactions_at($ts)
                       WHERE kind = 'mention' AND created_at >= CAST($ts AS TIMESTAMPTZ) - to_days($od) GROUP BY 1),
        act AS (SELECT author_id AS m, count(*) FILTER (WHERE created_at >= CAST($ts AS TIMESTAMPTZ) - to_days($bd)) AS recent,
                       count(*) FILTER (WHERE created_at < CAST($ts AS TIMESTAMPTZ) - to_days($bd)
                                          AND created_at >= CAST($ts AS TIMESTAMPTZ) - to_days(4 * $bd)) / 3.0 AS before
                FROM content_at($ts) GROUP BY 1)
        SELECT 'overasked', m, n, NULL FROM asked WHERE n > $omax
        UNION ALL SELECT 'burnout', m, recent, before FROM act WHERE before >= 5 AND recent < $drop * before
        ORDER BY 1 DESC, 2""",
        {"ts": as_of, "od": int(net["overasked_days"]), "bd": int(net["burnout_days"]),
         "omax": int(net["overasked_max"]), "drop": float(net["burnout_drop"])})
    for reason, m, a, b in rows:
        if reason == "overasked":
            add(m, reason, True, n=int(a), days=int(net["overasked_days"]))
        else:
            add(m, reason, True, recent=int(a), before=round(float(b), 1), days=int(net["burnout_days"]))


def _risks(store, as_of: datetime, net) -> list[dict[str, Any]]:
    """Risk radar alerts on a member and hostile replies in its evidence, from the last risk run (not after as_of)."""
    found: list[dict[str, Any]] = []
    levels = list(SEVERITIES[SEVERITIES.index(str(net["seed_risk_severity"])):])
    if store.table_exists("risk_alerts"):
        found += store.fetch_dicts("""
            SELECT member_id, alert_key, part, severity, message_zh, message_en FROM risk_alerts
            WHERE member_id IS NOT NULL AND list_contains($parts, part) AND list_contains($levels, severity)
              AND as_of <= CAST($ts AS TIMESTAMPTZ)
            ORDER BY member_id, CASE severity WHEN 'high' THEN 0 ELSE 1 END, score DESC, alert_key""",
            {"parts": [str(p) for p in net["seed_risk_parts"]], "levels": levels, "ts": as_of})
    if store.table_exists("risk_evidence"):
        feats = "content_features" if store.table_exists("content_features") else None
        attack = "list_contains(coalesce(f.intents, []), 'personal_attack')" if feats else "false"
        join = f"LEFT JOIN {feats} f ON f.content_id = e.content_id" if feats else ""
        rows = store.fetch_dicts(f"""
            SELECT e.member_id, e.content_id, e.value AS toxicity, {attack} AS attack FROM risk_evidence e {join}
            WHERE e.part = 'hostility' AND e.member_id IS NOT NULL AND e.as_of <= CAST($ts AS TIMESTAMPTZ)
              AND ({attack} OR e.value >= $tox)
            ORDER BY e.member_id, e.value DESC, e.content_id""", {"ts": as_of, "tox": float(net["seed_risk_toxicity"])})
        found += [{**r, "part": "hostility", "toxicity": round(float(r["toxicity"] or 0), 2), "attack": bool(r["attack"])}
                  for r in rows]
    return found


def _recruited(store, topic: str | None) -> list[tuple[str, str]]:
    """(member, action id) of open ``seed`` actions for this topic: their ``topic`` (``attrs.topic``, kept by
    :func:`reef.network.seedplan.record_seed_plan` and ``reef action add --topic``) names one of its terms, or, for an
    action without one (recorded before topics were kept, or by hand), its note does; without a topic, every open
    ``seed`` action."""
    if not store.table_exists("operator_actions"):
        return []
    return [tuple(r) for r in store.fetch_all("""
        SELECT member_id, action_id FROM operator_actions
        WHERE kind = 'seed' AND status = 'open' AND member_id IS NOT NULL
          AND (len($terms) = 0 OR list_bool_or([contains(lower(coalesce(attrs->>'topic', note, '')), lower(t)) FOR t IN $terms]))
        ORDER BY member_id, created_at, action_id""", {"terms": topic_terms(topic) or []})]
