"""One post as operators read it: the item, its thread around it, what it received and what the team did.

Risk evidence, alerts and the crisis room cite posts by id (``例如c5887``); :func:`content_view` is the
ONE library call behind the 帖子 page (``/content/<id>``) and ``GET /api/v1/content/<id>``. Kinds,
sentiment, aspects and intents come back in operator words (``lang``); names and texts are masked
for viewers (``masked``) like every other read (:mod:`reef.actions.privacy`).

Example:
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> _ = s.execute("INSERT INTO members (member_id, name, joined_at) VALUES ('m1', '老王', now())")
    >>> _ = s.execute("INSERT INTO content (content_id, kind, author_id, created_at, body) "
    ...               "VALUES ('c1', 'thread', 'm1', now(), '充电桩坏了，电话13812345678')")
    >>> v = content_view(s, "c1")
    >>> v["item"]["kind_name"], v["item"]["author_name"], v["item"]["body"]
    ('主题帖', '老王', '充电桩坏了，电话138****5678')
    >>> v["interactions"]["likes"], v["thread"]["replies"]
    (0, [])
"""
from __future__ import annotations

from typing import Any

from reef.actions.content_facts import facts_check
from reef.actions.privacy import mask_rows
from reef.errors import NotFoundError
from reef.i18n import check_lang, code_label

__all__ = ["content_view", "SENTIMENT_NAMES", "MAX_REPLIES", "EXCERPT_CHARS", "OFFICIAL_TYPES"]

SENTIMENT_NAMES = {1: ("正面", "positive"), 0: ("中性", "neutral"), -1: ("负面", "negative")}
MAX_REPLIES = 20  # direct replies shown under the item, oldest first
EXCERPT_CHARS = 300  # of a reply's or the thread's text (the item itself is shown whole)
_TEXT = ("title", "body", "author_name", "group_name")  # free text a viewer sees masked
OFFICIAL_TYPES = ("brand", "staff")  # accounts whose reply is the brand's answer (官方)

# The item and each post around it: author and group by name. {extra}: more columns, {join}: more tables.
_ROW = """SELECT c.content_id, c.kind, c.author_id, m.name AS author_name, m.account_type AS author_type,
                 c.created_at, c.edited_at, c.deleted_at, c.parent_id, c.thread_id, c.group_id, g.name AS group_name,
                 c.title, c.body{extra}
          FROM content c LEFT JOIN members m ON m.member_id = c.author_id LEFT JOIN "groups" g ON g.group_id = c.group_id{join}"""


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def _rows(store, where: str, params: list[Any]) -> list[dict[str, Any]]:
    sql = _ROW.format(extra="", join="") + f" WHERE {where} ORDER BY c.created_at, c.content_id"
    return [_iso(r) for r in store.fetch_dicts(sql, params)]


def _replies(store, item: dict[str, Any], cap: int, features: bool) -> tuple[list[dict[str, Any]], int, int, int]:
    """The first ``cap`` undeleted direct replies in time order, how many there are, how many of those are thanks
    by someone other than the item's author, and how many are by official accounts. One scan of ``content`` (reading
    a post costs a scan per query at scale)."""
    thanks = ("count(*) FILTER (WHERE list_contains(f.intents, 'thanks') AND c.author_id IS DISTINCT FROM $author) OVER ()"
              if features else "0")
    official = f"count(*) FILTER (WHERE m.account_type IN {OFFICIAL_TYPES}) OVER ()"
    sql = _ROW.format(extra=f", count(*) OVER () AS _total, {thanks} AS _thanks, {official} AS _official",
                      join=" LEFT JOIN content_features f ON f.content_id = c.content_id" if features else "")
    rows = store.fetch_dicts(sql + " WHERE c.parent_id = $id AND c.deleted_at IS NULL ORDER BY c.created_at, c.content_id LIMIT $n",
                             {"id": item["content_id"], "author": item["author_id"], "n": max(1, cap)})
    total, n_thanks, n_official = (rows[0]["_total"], rows[0]["_thanks"], rows[0]["_official"]) if rows else (0, 0, 0)
    return [_iso({k: v for k, v in r.items() if not k.startswith("_")}) for r in rows[:cap]], int(total), int(n_thanks), int(n_official)


def _worded(rows: list[dict[str, Any]], lang: str, masked: bool, excerpt: int | None,
            show_deleted: bool = False) -> list[dict[str, Any]]:
    """Kinds in words, masked text (masked whole, then cut: a number cut first would no longer match and leak in part);
    a deleted item's title and body withheld unless ``show_deleted``."""
    rows = mask_rows(rows, _TEXT) if masked else rows
    for r in rows:
        r["kind_name"] = code_label(r["kind"], lang)
        r["author_type_name"] = code_label(r["author_type"], lang) if r.get("author_type") else None
        r["official"] = r.get("author_type") in OFFICIAL_TYPES  # marked 官方: PR sees at a glance what is answered
        r["deleted"] = r["deleted_at"] is not None
        if r["deleted"] and not show_deleted:  # its author took it down: every other surface has dropped it too
            r["title"] = r["body"] = None
        if excerpt is not None and isinstance(r.get("body"), str) and len(r["body"]) > excerpt:
            r["body"] = r["body"][:excerpt] + "…"
    return rows


def _features(store, content_id: str, en: bool) -> dict[str, Any] | None:
    """Sentiment, aspects and intents from the text layer's ``content_features`` (None before `reef enrich` read the item)."""
    found = store.fetch_dicts("SELECT sentiment, aspects, intents, toxicity FROM content_features WHERE content_id = ? "
                              "ORDER BY enriched_at DESC NULLS LAST LIMIT 1", [content_id])
    if not found:
        return None
    try:
        from reef.text.report import INTENT_NAMES
    except ImportError:  # text layer absent: the codes themselves
        INTENT_NAMES = {}
    f, lang = found[0], "en" if en else "zh"
    word = lambda s: SENTIMENT_NAMES[s][en] if s in SENTIMENT_NAMES else None  # noqa: E731
    return {"sentiment": f["sentiment"], "sentiment_name": word(f["sentiment"]),
            "aspects": [{"aspect": a["aspect"], "name": code_label(a["aspect"], lang), "sentiment": a["sentiment"],
                         "sentiment_name": word(a["sentiment"])} for a in (f["aspects"] or [])],
            "intents": [{"intent": i, "name": INTENT_NAMES.get(i, (i, i))[en]} for i in (f["intents"] or [])],
            "toxicity": None if f["toxicity"] is None else round(float(f["toxicity"]), 2)}


def _interactions(store, item: dict[str, Any], replies: int, thanks: int) -> dict[str, Any]:
    """What others did to the item: likes, accepts and other acts by kind (the author's own acts not counted), with
    its direct replies and, among them, thanks (replies by others the text layer read as thanking)."""
    by_kind = dict(store.fetch_all(
        "SELECT kind, count(*) FROM interactions WHERE target_content_id = ? AND actor_id IS DISTINCT FROM ? "
        "GROUP BY 1 ORDER BY 2 DESC, 1", [item["content_id"], item["author_id"]]))
    return {"likes": int(by_kind.get("like", 0)), "accepts": int(by_kind.get("accept", 0)), "thanks": thanks,
            "replies": replies, "by_kind": {k: int(n) for k, n in by_kind.items()}}


def _actions(store, content_id: str, lang: str, masked: bool) -> list[dict[str, Any]]:
    """The team's actions citing the item (a 官方回应 to this complaint, a recognition of this post), newest first."""
    from reef.actions.kinds import ACTION_KINDS

    rows = [_iso(r) for r in store.fetch_dicts(
        "SELECT action_id, kind, member_id, operator, status, note, created_at FROM operator_actions "
        "WHERE content_id = ? ORDER BY created_at DESC, action_id DESC LIMIT 50", [content_id])]
    rows = mask_rows(rows, ("note",)) if masked else rows
    for r in rows:
        r["kind_name"] = ACTION_KINDS.get(r["kind"], (r["kind"], r["kind"]))[lang == "en"]
    return rows


def content_view(store, content_id: str, *, masked: bool = True, lang: str = "zh",
                 replies: int = MAX_REPLIES, show_deleted: bool = False) -> dict[str, Any]:
    """Everything the 帖子 page shows about ``content_id``.

    ``{"item", "features", "thread": {"root", "parent", "replies", "replies_total"}, "interactions", "actions"}``:

    * ``item``: id, ``kind`` and ``kind_name``, title, body (whole), author id, name and account type, times
      (``deleted`` when it was deleted; its title and body are then None unless ``show_deleted``, which the
      dashboard and API pass for admins only: every other surface has dropped the item), group id and name, parent
      and thread ids;
    * ``features``: ``sentiment_name``, ``aspects`` and ``intents`` with operator names, ``toxicity`` (None
      before the text layer ran on it);
    * ``facts``: ``contradictions`` (its spec claims that contradict the official sheet, with the official figure and
      its source) and ``risk_alerts`` naming it (:func:`reef.actions.content_facts.facts_check`);
    * ``thread``: the thread's first post and the item replied to (None where there is none; the same post
      when the item answers the first post), and the first ``replies`` direct replies in time order (text cut
      to :data:`EXCERPT_CHARS`; deleted replies left out) with ``replies_total`` and ``official_replies`` (by brand or
      staff accounts; every post row carries ``official``);
    * ``interactions``: ``likes``, ``accepts``, ``thanks``, ``replies`` and ``by_kind``;
    * ``actions``: operator actions that name the item.

    Raises :class:`reef.errors.NotFoundError` for an unknown id.
    """
    lang = check_lang(lang)
    en = lang == "en"
    found = _rows(store, "c.content_id = ?", [content_id])
    if not found:
        raise NotFoundError(f"No content item with id '{content_id}'.",
                            hint="Content ids appear in the risk radar's evidence, alerts and the crisis room.")
    item = _worded(found, lang, masked, None, show_deleted)[0]
    root_id = item["thread_id"] if item["thread_id"] not in (None, content_id) else None
    parent_id = item["parent_id"] if item["parent_id"] not in (None, content_id) else None
    around = {r["content_id"]: r for r in _worded(
        _rows(store, "c.content_id IN (?, ?)", [root_id, parent_id]), lang, masked, EXCERPT_CHARS, show_deleted)} if root_id or parent_id else {}
    enriched = store.table_exists("content_features")
    under, total, thanks, official = _replies(store, item, max(0, int(replies)), enriched)
    return {"item": item, "features": _features(store, content_id, en) if enriched else None,
            "facts": facts_check(store, item, lang=lang, masked=masked, withhold=item["deleted"] and not show_deleted),
            "thread": {"root": around.get(root_id), "parent": around.get(parent_id),
                       "replies": _worded(under, lang, masked, EXCERPT_CHARS), "replies_total": total,
                       "official_replies": official},
            "interactions": _interactions(store, item, total, thanks), "actions": _actions(store, content_id, lang, masked)}
