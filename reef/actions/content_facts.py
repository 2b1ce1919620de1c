"""A post against the official facts, for the 帖子 page: the spec claims in it that contradict the official sheet
and the risk alerts that name it, so PR sees a rumour and the figure to answer it with at a glance.

The comparison is the risk radar's (:mod:`reef.text.spec_facts`, the ``risks.claim_*`` settings of the store's
configuration), against the sheet in force when the post was written (a figure changed by a later OTA does not
make an earlier post a rumour).

Example:
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> facts_check(s, {"content_id": "c1", "created_at": "2026-07-01T09:00:00+08:00"})
    {'contradictions': [], 'risk_alerts': []}
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from reef.actions.privacy import mask_rows, mask_text

__all__ = ["facts_check"]


def _contradictions(store, content_id: str, at, en: bool, masked: bool, withhold: bool) -> list[dict[str, Any]]:
    from reef.text.claims import ATTRIBUTE_NAMES
    from reef.text.spec_facts import ClaimRules, contradictions, official_text, with_unit

    hits = contradictions(store, at, [content_id], ClaimRules.from_config(store.config)).get(content_id, [])
    out = []
    for h in hits:
        evidence = None if withhold else h["evidence"]
        out.append({"attribute": h["attribute"], "attribute_name": ATTRIBUTE_NAMES.get(h["attribute"], (h["attribute"],) * 2)[en],
                    "claimed": with_unit(h["claimed"], h["unit"])[en], "official": official_text(h, "en" if en else "zh"),
                    "official_value": h["official"], "unit": h["unit"], "model": h["model"], "source": h["source"],
                    "evidence": mask_text(evidence) if masked and evidence else evidence})
    return out


def _alerts(store, content_id: str, en: bool, masked: bool, withhold: bool) -> list[dict[str, Any]]:
    """The risk radar's current alerts naming the post (as the post itself or as their subject); a deleted post's
    (``withhold``) keep their family and severity but lose the message, which quotes the post's sentence."""
    if not store.table_exists("risk_alerts"):
        return []
    rows = store.fetch_dicts(f"""SELECT alert_key, family, part, severity, round(score, 1) AS score, {'message_en' if en else 'message_zh'}
                                        AS message, first_seen FROM risk_alerts WHERE content_id = $id OR subject = $id
                                 ORDER BY severity = 'high' DESC, score DESC, alert_key""", {"id": content_id})
    rows = mask_rows(rows, ("message",)) if masked else rows
    if withhold:  # the quote would show the text the page withholds (admins, show_deleted, still read it)
        rows = [{**r, "message": None} for r in rows]
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]


def facts_check(store, item: dict[str, Any], *, lang: str = "zh", masked: bool = True, withhold: bool = False) -> dict[str, Any]:
    """``{"contradictions", "risk_alerts"}`` for ``item`` (``content_id``, ``created_at``; a datetime or ISO text).

    ``contradictions``: one per spec claim that contradicts the sheet: ``attribute_name``, ``claimed`` and
    ``official`` (e.g. ``CLTC续航620公里``) as text, ``official_value``, ``unit``, ``model``, ``source`` and the
    claim's sentence ``evidence`` (masked for viewers; None when ``withhold``: a deleted post's text).
    ``risk_alerts``: ``alert_key``, ``family``, ``part``, ``severity``, ``score``, ``message`` (masked; None when
    ``withhold``: it quotes the post), ``first_seen``.
    """
    en = lang == "en"
    at = item["created_at"]
    at = datetime.fromisoformat(at) if isinstance(at, str) else at
    return {"contradictions": _contradictions(store, item["content_id"], at, en, masked, withhold),
            "risk_alerts": _alerts(store, item["content_id"], en, masked, withhold)}
