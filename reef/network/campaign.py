"""Campaign ripples and the boost list (助推名单).

``ripple`` reconstructs one seeded topic (a campaign, or ``topic`` terms + ``seeds`` + ``since``);
``write_campaign_ripples`` does every campaign that names its seeds, for the report and exports.
The boost list holds ring 2-3 adopters (``network.boost_rings``) whose on-topic item drew likes
or replies, each with a public acknowledgement that credits them and the seed whose ripple
reached them — the pattern of the seed article: "这个观点非常有意思，延续了某某之前开启的那个精彩讨论！"

Example:
    >>> acknowledgement("小林", "老王")
    '@小林 这个观点非常有意思，延续了@老王之前开启的那个精彩讨论！欢迎更多车友一起来聊聊。'
"""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa

from reef.errors import InvalidParameterError, NotFoundError, with_cli_hint
from reef.i18n import counted

__all__ = ["acknowledgement", "ripple", "write_campaign_ripples", "topic_terms", "check_member_ids", "boost_empty_reason",
           "BOOST_SCHEMA"]

# The columns of ``network_boost``, also when no campaign drew a boost: readers (the 助推名单 sheet, the 今日 panel)
# sort and select by them.
BOOST_SCHEMA = pa.schema([("campaign_id", pa.string()), ("member_id", pa.string()), ("name", pa.string()),
                          ("ring", pa.int64()), ("via_member_id", pa.string()), ("seed_member_id", pa.string()),
                          ("seed_name", pa.string()), ("content_id", pa.string()), ("engagement", pa.int64()),
                          ("snippet", pa.string()), ("acknowledgement", pa.string())])


def acknowledgement(member: str, seed: str) -> str:
    """The suggested public reply crediting both the adopter and the seed who started the ripple."""
    return f"@{member} 这个观点非常有意思，延续了@{seed}之前开启的那个精彩讨论！欢迎更多车友一起来聊聊。"


# Why a ripple's boost list is empty (its ``boost_empty`` code), zh and en; {rings}, {n} and {min} are filled in.
_BOOST_EMPTY = {
    "no_outer_rings": ("助推名单为空：还没有参与者到达第 {rings} 圈（话题尚未从种子的直接联系人继续扩散），这几圈有人参与后才有可助推的成员。",
                       "The boost list is empty: no adopter has reached ring {rings} yet (the topic has not spread beyond "
                       "the seeds' direct contacts); members there are the ones to boost."),
    "no_engagement": ("助推名单为空：第 {rings} 圈有 {n} 位参与者，但没有人的帖子获得至少 {min} 次互动（点赞、分享、收藏或他人回复），"
                      "或帖子不友善、成员已离开。",
                      "The boost list is empty: ring {rings} has {n:adopter}, but none of their posts drew {min} or more "
                      "likes, shares, bookmarks or replies from others (or the post was uncivil, or the member has left)."),
}


def boost_empty_reason(reason: str, lang: str = "zh", *, rings=(2, 3), adopters: int = 0, min_engagement: int = 1) -> str:
    """Why a ripple's boost list is empty, in ``lang``: ``ripple(...)["boost_empty"]`` holds the ``reason``
    (``no_outer_rings``, ``no_engagement``) and the figures, so ``boost_empty_reason(**r["boost_empty"], lang=lang)``.

    >>> boost_empty_reason("no_engagement", "en", adopters=4)[:60]
    'The boost list is empty: ring 2-3 has 4 adopters, but none o'
    """
    rings = list(rings)
    span = f"{min(rings)}-{max(rings)}" if len(rings) > 1 and rings == list(range(min(rings), max(rings) + 1)) else \
        ("、" if lang != "en" else ", ").join(map(str, rings))
    return counted(_BOOST_EMPTY[reason][lang == "en"], rings=span, n=adopters, min=min_engagement)


def topic_terms(topic: str | None) -> list[str]:
    """The terms of a topic, split on spaces and commas (either width), hashtags' # dropped.

    >>> topic_terms("#续航, 充电，OTA")
    ['续航', '充电', 'OTA']
    """
    return [t.strip("#") for t in (topic or "").replace("，", " ").replace(",", " ").split() if t.strip("#")]


def check_member_ids(store, name: str, ids: list[str]) -> list[str]:
    """``ids`` stripped of spaces; an id that is no member of the store is a NotFoundError (exit code 5; a typo would
    otherwise be ignored silently) naming ``name`` (``exc.name``, ``exc.value``: the unknown ids) and some known ids."""
    ids = [i.strip() for i in ids if i and i.strip()]
    known = {r[0] for r in store.fetch_all("SELECT member_id FROM members WHERE member_id IN (SELECT unnest($s))", {"s": ids})}
    unknown = sorted(set(ids) - known)
    if unknown:
        total = int(store.fetch_value("SELECT count(*) FROM members"))
        some = [r[0] for r in store.fetch_all("SELECT member_id FROM members ORDER BY member_id LIMIT 20")]
        known_ids = f"Known member ids: {', '.join(some)}"
        hint = (known_ids + (f" … ({total} in all; the ladder lists them)." if total > 20 else ".")
                if some else "The store has no members.")
        exc = NotFoundError(f"No member with the id {', '.join(map(repr, unknown))} in the store (given as '{name}').", hint=hint)
        if some and total > 20:
            with_cli_hint(exc, known_ids + f" … ({total} in all; `reef ladder` lists them).")
        exc.name, exc.value = name, unknown
        raise exc
    return ids


def _no_campaign(store, as_of, campaign: str) -> NotFoundError:
    """An unknown campaign id, with the ids known at ``as_of`` (as ``reef contest`` words it)."""
    known = [r[0] for r in store.fetch_all("SELECT campaign_id FROM campaigns_at($ts) ORDER BY 1", {"ts": as_of})]
    later = bool(store.fetch_value("SELECT count(*) FROM campaigns WHERE campaign_id = $c", {"c": campaign}))
    shown = ", ".join(known[:20]) + (f" … ({len(known)} in all)" if len(known) > 20 else "")
    hint = f"Known campaign ids: {shown}." if known else "The store has no campaigns at that as_of."
    where = "at the given as_of (it starts later)" if later else "in the store"
    exc = NotFoundError(f"No campaign {campaign!r} {where}.", hint=hint)
    exc.name, exc.value = "campaign", campaign
    return exc


def _adopters(store, as_of, cascade: str, campaign: str | None, terms: list[str], seeds: list[str], since) -> pa.Table:
    from reef.network.ripple import ripple_items

    params = {"ts": as_of, "cid": campaign, "terms": terms or ["\x00"], "since": since, "cascade": cascade,
              "seeds": seeds}
    on_topic = """(c.campaign_id = $cid OR list_bool_or([contains(lower(coalesce(c.title, '') || coalesce(c.body, '')), lower(t))
                    FOR t IN $terms]))"""
    # Members who left since still count as adopters (the ripple is history); only staff accounts are left out.
    items = f"""WITH staff AS (SELECT member_id FROM members_at($ts) WHERE coalesce(account_type, 'member') <> 'member'),
        roots AS (SELECT content_id FROM content_at($ts) c WHERE {on_topic} AND c.created_at >= $since)
        SELECT $cascade AS cascade, c.content_id, c.author_id, c.created_at, c.parent_id FROM content_at($ts) c
        WHERE c.created_at >= $since AND c.author_id NOT IN (SELECT member_id FROM staff)
          AND ({on_topic} OR c.thread_id IN (SELECT content_id FROM roots))"""
    seeds_sql = "SELECT $cascade AS cascade, unnest($seeds) AS member_id"
    return ripple_items(store, items, seeds_sql, params, implicit=True)


def _seed_roots(adopters: pa.Table) -> list[str | None]:
    """For each adopter, the ring-0 member (a seed) their chain of via links leads back to (pointer jumping); None
    for an adopter the seeds never reached (no ring), and for a chain that would end anywhere but at ring 0.

    ``ripple_items`` gives every reached member a via member one ring nearer the seeds, so a chain ends at a seed;
    the check keeps a broken chain from naming a non-seed as the seed (the boost list's acknowledgement credits it).
    """
    ids = adopters.column("member_id").to_numpy(zero_copy_only=False)
    via = adopters.column("via_member_id").to_numpy(zero_copy_only=False)
    ring = adopters.column("ring").to_numpy(zero_copy_only=False)
    pos = {m: i for i, m in enumerate(ids)}
    up = np.fromiter((pos.get(v, i) if v is not None else i for i, v in enumerate(via)), dtype=np.int64, count=len(ids))
    for _ in range(64):  # doubling: 2**64 hops covers any chain
        nxt = up[up]
        if np.array_equal(nxt, up):
            break
        up = nxt
    return [ids[u] if ring[u] == 0 else None for u in up.tolist()]


def ripple(store, as_of: datetime, config, *, campaign: str | None = None, topic: str | None = None,
           seeds: list[str] | None = None, since: datetime | None = None) -> dict:
    """Adopters by ring, adoption over time, the reach curve and the boost list of one seeded topic."""
    net = config.section("network")
    if campaign:
        row = store.fetch_dicts("SELECT * FROM campaigns_at($ts) WHERE campaign_id = $c", {"ts": as_of, "c": campaign})
        if not row:
            raise _no_campaign(store, as_of, campaign)
        row = row[0]
        seeds = list(seeds or row["seed_member_ids"] or [])
        topic, since = topic or row["topic"], since or row["started_at"]
    if not seeds or since is None:
        # the library names its parameters; the command line says the same of its options (with_cli_hint)
        raise with_cli_hint(InvalidParameterError("seeds", seeds, "seed members and a start",
                                                  hint="Pass campaign=, or topic=, seeds= and since=.",
                                                  hint_zh="请给出 campaign=，或同时给出 topic=、seeds= 和 since=。"),
                            "Pass --campaign, or --topic, --seeds and --since.", "请给出 --campaign，或同时给出 --topic、--seeds 和 --since。")
    if not campaign:  # a mistyped seed would silently reach no one
        seeds = check_member_ids(store, "seeds", list(seeds))
    terms = topic_terms(topic)[:1] if campaign else topic_terms(topic)  # a campaign's first term is its hashtag
    adopters = _adopters(store, as_of, campaign or "topic", campaign, terms, list(seeds), since)
    roots = _seed_roots(adopters)
    adopters = adopters.append_column("seed_member_id", pa.array(roots, pa.string()))
    from reef.actions.privacy import register_mask_function

    register_mask_function(store.con)  # the boost snippet is masked before it is cut
    with store.registered("_rp_adopters", adopters):
        rings = store.fetch_dicts("""SELECT ring, count(*) AS adopters, min(adopted_at) AS first_at, max(adopted_at) AS last_at
                                     FROM _rp_adopters GROUP BY 1 ORDER BY 1 NULLS LAST""")
        by_day = store.fetch_dicts("""SELECT adopted_at::DATE AS day, ring, count(*) AS adopters FROM _rp_adopters
                                      GROUP BY ALL ORDER BY 1, 2 NULLS LAST""")
        reach = store.fetch_dicts("""SELECT day, sum(n) OVER (ORDER BY day) AS reached FROM
                                     (SELECT adopted_at::DATE AS day, count(*) AS n FROM _rp_adopters WHERE ring IS NOT NULL GROUP BY 1)
                                     ORDER BY 1""")
        # The snippet is the post's own text (its body; the title only when it has none): a campaign post's title is
        # often just the campaign's hashtag, the same on every row.
        boost = store.fetch_dicts("""
            WITH eng AS (SELECT a.*, (SELECT count(*) FROM interactions_at($ts) x WHERE x.target_content_id = a.content_id
                                        AND x.kind IN ('like', 'vote', 'share', 'bookmark') AND coalesce(x.value, 1) > 0) +
                                     (SELECT count(*) FROM content_at($ts) r WHERE r.parent_id = a.content_id
                                        AND r.author_id <> a.member_id) AS engagement
                         FROM _rp_adopters a WHERE a.ring IN (SELECT unnest($rings)))
            SELECT e.member_id, reef_mask_text(m.name) AS name, e.ring, e.via_member_id, e.seed_member_id, reef_mask_text(s.name) AS seed_name, e.content_id,
                   e.engagement, left(reef_mask_text(coalesce(nullif(trim(c.body), ''), c.title)), 80) AS snippet
            FROM eng e JOIN members_at($ts) m USING (member_id)  -- a member who has left cannot be boosted
            LEFT JOIN members_at($ts) s ON s.member_id = e.seed_member_id LEFT JOIN content_at($ts) c USING (content_id)
            LEFT JOIN content_features f ON f.content_id = e.content_id
            WHERE e.engagement >= $min AND coalesce(f.toxicity, 0) < 0.5 AND coalesce(f.sentiment, 0) >= 0
            ORDER BY e.engagement DESC, e.ring, e.member_id LIMIT $top""" if store.table_exists("content_features") else
            "SELECT NULL WHERE false", {"ts": as_of, "rings": list(net["boost_rings"]),
                                       "min": int(net["boost_min_engagement"]), "top": int(net["boost_top"])})
    for b in boost:
        b["acknowledgement"] = acknowledgement(b["name"] or b["member_id"], b["seed_name"] or b["seed_member_id"])
    reached = sum(r["adopters"] for r in rings if r["ring"] is not None)
    outer = sum(r["adopters"] for r in rings if r["ring"] in set(net["boost_rings"]))
    # adopters: every member who posted on the topic since the start; reached: those traced back to a seed (ring 0 is
    # the seeds); unreached: topic posters no link leads to from the seeds (the ring-less row of ``rings``)
    return {"campaign_id": campaign, "topic": topic, "seeds": list(seeds), "since": since,
            "adopters": adopters.num_rows, "reached": reached, "unreached": adopters.num_rows - reached,
            "rings": rings, "by_day": by_day, "reach_curve": reach, "boost": boost,
            # why the boost list is empty (None when it is not): the code and the figures boost_empty_reason words
            "boost_empty": None if boost else {"reason": "no_engagement" if outer else "no_outer_rings",
                                               "rings": list(net["boost_rings"]), "adopters": outer,
                                               "min_engagement": int(net["boost_min_engagement"])},
            "table": adopters}


def write_campaign_ripples(store, as_of: datetime, config) -> int:
    """(Re)create ``network_ripple`` (adopters of every seeded campaign) and ``network_boost``."""
    tables, boosts = [], []
    for (cid,) in store.fetch_all("""SELECT campaign_id FROM campaigns_at($ts) WHERE len(coalesce(seed_member_ids, [])) > 0
                                     ORDER BY 1""", {"ts": as_of}):
        r = ripple(store, as_of, config, campaign=cid)
        tables.append(r["table"])
        boosts += [{"campaign_id": cid, **b} for b in r["boost"]]
    schema = pa.schema([("cascade", pa.string()), ("member_id", pa.string()), ("ring", pa.int64()),
                        ("via_member_id", pa.string()), ("adopted_at", pa.timestamp("us", tz="UTC")),
                        ("content_id", pa.string()), ("items", pa.int64()), ("seed_member_id", pa.string())])
    ripple_tbl = pa.concat_tables([t.cast(schema) for t in tables]) if tables else schema.empty_table()
    boost_tbl = pa.Table.from_pylist(boosts, schema=BOOST_SCHEMA)
    with store.registered("_rp_t", ripple_tbl), store.registered("_rp_b", boost_tbl):
        store.execute("CREATE OR REPLACE TABLE network_ripple AS SELECT cascade AS campaign_id, * EXCLUDE (cascade) FROM _rp_t")
        store.execute("CREATE OR REPLACE TABLE network_boost AS SELECT * FROM _rp_b")
    return ripple_tbl.num_rows
