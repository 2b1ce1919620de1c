"""Which aspect a negative wave is *about* when two aspects fire on (nearly) the same posts.

The text layer tags a post with every aspect it names, so a range-and-charging wave written as "OTA把续航搞坏了"
or "OTA 5.5推送后快充功率只有62kW了" alarms 续航与充电 *and* 智能与车机 on the same posts. The strongest test (lowest
p-value) is then a matter of which baseline is noisier, not of what the owners complain about. Two alarmed aspects
are **twins** when each has at least ``share`` (``kb.crisis_side_tag_share``) of its negative posts in the other's;
a twin pair is one wave, and its lead is the aspect whose own cue words (the seed aspect lexicon, read on the posts'
simplified text) the posts of both use more often: "OTA把续航搞坏了，快充功率只有62kW" names 续航/快充 twice for one
OTA. Ties, and aspects without cue words (the model-tagged ones), keep the detector's order. An aspect whose posts
are a subset of another's (a side tag, not a twin) never competes: it is named by its lead, as before.

Example:
    >>> posts = {"智能与车机": {"a", "b", "c"}, "续航与充电": {"a", "b", "c"}, "售后与服务": {"a"}}
    >>> texts = {"a": "OTA把续航搞坏了", "b": "OTA推送后快充功率只有62kW，充电太慢", "c": "升级OTA之后掉电严重"}
    >>> lead_order(["智能与车机", "续航与充电", "售后与服务"], posts, texts, 0.8)
    ['续航与充电', '智能与车机', '售后与服务']
"""
from __future__ import annotations

__all__ = ["cue_hits", "twins", "lead_order", "post_texts"]


def cue_hits(aspect: str, texts: list[str]) -> int:
    """How many times ``aspect``'s own cue words occur in ``texts`` (0 for an aspect without cue words).

    >>> cue_hits("续航与充电", ["OTA把续航搞坏了，快充也慢", "车机卡顿"])
    2
    """
    from reef.text.lexicon import seed_aspects

    cue = seed_aspects().get(aspect)
    return sum(len(cue.findall(t or "")) for t in texts) if cue is not None else 0


def twins(a: set, b: set, share: float) -> bool:
    """Each of the two post sets has at least ``share`` of its posts in the other (one wave, two tags).

    >>> twins({1, 2, 3}, {1, 2, 3, 4}, 0.8), twins({1}, {1, 2, 3}, 0.8)
    (False, False)
    >>> twins({1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, 0.8)
    True
    """
    if not a or not b:
        return False
    common = len(a & b)
    return common >= share * len(a) and common >= share * len(b)


def lead_order(order: list[str], posts: dict[str, set], texts: dict[str, str], share: float) -> list[str]:
    """``order`` (alarmed aspects, strongest first) with each twin group led by the aspect its posts are about: the
    group takes the place of its strongest member, the member with most cue hits on the group's posts first."""
    groups: list[list[str]] = []
    for a in order:
        home = next((g for g in groups if twins(posts.get(a, set()), posts.get(g[0], set()), share)), None)
        if home is None:
            groups.append([a])
        else:
            home.append(a)
    out = []
    for g in groups:
        if len(g) > 1:
            ids = set().union(*(posts.get(a, set()) for a in g))
            words = [texts.get(i, "") for i in ids]
            hits = {a: cue_hits(a, words) for a in g}
            g = sorted(g, key=lambda a: (-hits[a], g.index(a)))
        out += g
    return out


def post_texts(store, ids) -> dict[str, str]:
    """content_id -> the post's simplified title and body (the text layer's ``text_simplified``)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = store.fetch_all("SELECT content_id, coalesce(text_simplified, '') FROM content_features "
                           "WHERE list_contains($ids, content_id)", {"ids": ids})
    return {r[0]: r[1] for r in rows}
