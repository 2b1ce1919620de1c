"""The breakwater: detect a negative wave per aspect, measure the reef's buffer, day by day.

A **negative item** is a root post (thread, photo, video, guide: not a reply, with
``crisis_roots_only``) whose sentiment is negative, whose intent is a complaint, or whose
sentiment score leans negative (at most ``crisis_lean_score``: the text model calls most short
complaints neutral), written by a member (a staff or brand account's post is never a wave post nor buffer: a
staff reply in a wave thread is the brand's answer, :mod:`reef.kb.wave_posts`); it counts against every aspect it
names, and against ``全部``. A post that is
only negative on one aspect counts against that aspect. Each row also carries ``evidence`` for the crisis room's
list of wave posts (:mod:`reef.kb.wave_posts`), never for the count tested here: 2 when the score leans negative and
the label is negative or the intent a complaint, 1 when the label is negative and the score not positive, or the score
leans negative, or the aspect itself is negative, 0 otherwise (a complaint intent on a positive-scored post: the text
layer tags many positive experience posts as complaints). The wave test itself is
:mod:`reef.kb.wave` (hourly, per aspect, outsiders, negative binomial, Bonferroni, persistence).

Each day also gets the share of negative authors new to the aspect, the reach of the window's
negative posts (interactions and replies), the **buffer** (factual owner posts on the aspect in the
``crisis_buffer_days`` before: non-negative experience, answers, guides, spec claims) and replies
that ask for specifics or add facts (the "具体是哪个部分？" pattern).

Writes ``crisis_daily`` (one row per day and aspect once the baseline has enough history), over the last
``crisis_history_days`` before as_of (:func:`history_start`).

Example:
    >>> from reef.kb.params import KbParams
    >>> WaveParams.from_kb(KbParams()).window_hours
    24
"""
from __future__ import annotations

import numpy as np

from reef.kb.params import KbParams
from reef.kb.wave import DAY, WaveParams, hourly_tests, mark_outsiders
from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["load_signals", "hourly_table", "daily_table", "write_crisis_daily", "history_start", "ALL", "DAY"]

ALL = "全部"

_NEG_SQL = """
WITH c AS (SELECT * FROM content_at($ts) WHERE created_at >= $since), f AS (SELECT * FROM content_features),
n AS (SELECT c.content_id, c.author_id, epoch(c.created_at) AS t,
             (f.sentiment < 0 OR coalesce(list_contains(f.intents, 'complaint'), false) OR f.sentiment_score <= $lean) AS post_negative,
             -- the wave list's stricter evidence (never the detector's count): a negative label the score does not
             -- contradict, or a leaning score; both a leaning score and a negative label or complaint intent is strong
             ((f.sentiment < 0 AND f.sentiment_score <= 0) OR f.sentiment_score <= $lean) AS post_evidence,
             (f.sentiment_score <= $lean AND (f.sentiment < 0 OR coalesce(list_contains(f.intents, 'complaint'), false))) AS post_strong,
             f.aspect_names,
             list_distinct(list_transform(list_filter(f.aspects, lambda a: a.sentiment < 0), lambda a: a.aspect)) AS neg_aspects
      FROM c JOIN f USING (content_id) LEFT JOIN members_at($ts) m ON m.member_id = c.author_id
      WHERE c.kind NOT IN ('poll_vote', 'event') AND (NOT $roots OR c.parent_id IS NULL)
        -- a wave is owners' voices: a staff or brand account's post is the brand speaking, never a wave post
        AND coalesce(m.account_type, 'member') NOT IN ('brand', 'staff')),
r AS (SELECT target_content_id AS content_id, count(*) AS n FROM interactions_at($ts) WHERE created_at >= $since GROUP BY 1),
rp AS (SELECT parent_id AS content_id, count(*) AS n FROM c WHERE parent_id IS NOT NULL GROUP BY 1)
SELECT content_id, author_id, t, aspect, reach,
       CASE WHEN post_strong THEN 2 WHEN post_evidence OR list_contains(neg_aspects, aspect) THEN 1 ELSE 0 END AS evidence
FROM (SELECT n.content_id, n.author_id, n.t, n.post_strong, n.post_evidence, n.neg_aspects,
             unnest(CASE WHEN n.post_negative THEN list_append(n.aspect_names, $all) ELSE n.neg_aspects END) AS aspect,
             coalesce(r.n, 0) + coalesce(rp.n, 0) AS reach
      FROM n LEFT JOIN r USING (content_id) LEFT JOIN rp USING (content_id)
      WHERE n.post_negative OR len(n.neg_aspects) > 0)"""


def load_signals(store, as_of, config=None, *, since=None, posts_since=None, buffer_since=None) -> dict:
    """Negative items (with reach), every post's (author, aspect, time) for outsiders, factual buffer
    posts, specifics replies and daily active authors, as of ``as_of`` (from ``since`` if given; the posts that mark
    outsiders from ``posts_since``, else ``since``; the buffer from ``buffer_since``, else all of it)."""
    p = KbParams.from_config(config)
    epoch = pd.Timestamp("1970-01-01", tz="UTC")
    since = since if since is not None else epoch
    args = {"ts": as_of, "since": since}
    neg = store.fetch_arrow(_NEG_SQL, {**args, "all": ALL, "lean": p.crisis_lean_score, "roots": p.crisis_roots_only}).to_pandas()
    posts = store.fetch_arrow("""
        SELECT c.author_id, epoch(c.created_at) AS t, unnest(f.aspect_names) AS aspect
        FROM content_at($ts) c JOIN content_features f USING (content_id)
        WHERE c.created_at >= $since AND c.kind NOT IN ('poll_vote', 'event')""",
        {"ts": as_of, "since": posts_since if posts_since is not None else since}).to_pandas()
    buf = store.fetch_arrow("""
        SELECT epoch(c.created_at) AS t, unnest(list_append(f.aspect_names, $all)) AS aspect
        FROM content_at($ts) c JOIN content_features f USING (content_id) LEFT JOIN members_at($ts) m ON m.member_id = c.author_id
        WHERE c.created_at >= $since AND coalesce(m.account_type, 'member') NOT IN ('brand', 'staff') AND f.sentiment >= 0
          AND (len(list_intersect(f.intents, ['experience', 'answer', 'guide'])) > 0 OR len(f.claims) > 0
               OR c.kind IN ('answer', 'guide'))""",
        {"ts": as_of, "all": ALL, "since": buffer_since if buffer_since is not None else epoch}).to_pandas()
    spec = store.fetch_arrow("""
        SELECT epoch(c.created_at) AS t, c.parent_id AS content_id FROM content_at($ts) c JOIN content_features f USING (content_id)
        WHERE c.created_at >= $since AND c.parent_id IS NOT NULL AND (c.body LIKE '%具体%' OR len(f.claims) > 0
              OR len(list_intersect(f.intents, ['clarification', 'question', 'answer'])) > 0)""", args).to_pandas()
    active = store.fetch_value("""SELECT coalesce(avg(n), 0) FROM (
        SELECT date_trunc('day', created_at) AS d, count(DISTINCT author_id) AS n FROM content_at($ts)
        WHERE created_at >= $ts - INTERVAL 28 DAY GROUP BY 1)""", {"ts": as_of})
    return {"neg": neg, "posts": posts, "buffer": buf, "specifics": spec, "active_per_day": float(active or 0.0)}


def day_starts(store, first_t: float, as_of) -> list[float]:
    """Local midnights from the day of ``first_t`` up to ``as_of`` (the store's zone defines the day)."""
    rows = store.fetch_all("""SELECT epoch(d) FROM range(date_trunc('day', to_timestamp($a)), $b::TIMESTAMPTZ, INTERVAL 1 DAY) t(d)""",
                           {"a": first_t, "b": as_of})
    return [float(r[0]) for r in rows]


def hourly_table(store, as_of, config, signals: dict | None = None, *, since=None, **overrides) -> pd.DataFrame:
    """The hourly wave tests (:func:`reef.kb.wave.hourly_tests`) of the store as of ``as_of``: the baseline starts on
    the first negative item's day, or with ``since`` (the data goes back further than the signals read) at the first
    local midnight from it, so every day of the span gets its row as a whole-history run gave it."""
    p = KbParams.from_config(config)
    wp = WaveParams.from_kb(p, **overrides)
    sig = signals if signals is not None else load_signals(store, as_of, config)
    neg = sig["neg"]
    if neg.empty and not (since is not None and len(sig.get("aspects", ()))):
        return hourly_tests(neg, 0, 0, params=wp)
    items = mark_outsiders(neg[["t", "author_id", "aspect"]], sig["posts"], wp.new_author_days)
    if since is None:
        start = day_starts(store, float(neg["t"].min()), as_of)[0]
    else:  # not the midnight before it: its windows would count days whose items were not read
        bound = pd.Timestamp(since).timestamp()
        start = next((d for d in day_starts(store, bound, as_of) if d >= bound), as_of.timestamp())
    return hourly_tests(items, start, as_of.timestamp(), active_per_day=sig["active_per_day"], params=wp,
                        aspects=sig.get("aspects", ()))


def daily_table(store, as_of, config, signals: dict, hours: pd.DataFrame) -> pd.DataFrame:
    """Summarise the hourly tests per day and aspect: the figures of the day's last evaluation, and every other
    count of the row (negative_authors, reach, specifics_replies; buffer before it) on that evaluation's own window,
    ``window_start`` to ``window_end``. For a whole day that window is the day itself (the evaluation at the next
    midnight covers the 24 hours before it); for the day as_of falls in it is the trailing ``crisis_window_hours``
    before its last evaluation, so a row never mixes a 24-hour count with a calendar-day one. ``alarm`` when any
    evaluation in the day alarmed, ``alarm_now`` when the day's last evaluation did (the wave still running at the
    day's end, or at as_of for the day it falls in), ``first_alarm_at`` the day's first alarm, ``wave_first_alarm_at`` the first alarm
    of the wave the day's last alarm belongs to (alarms less than a window apart are one wave: the room's rule)."""
    p = KbParams.from_config(config)
    window = WaveParams.from_kb(p).window_hours * 3600.0
    cols = ["day", "aspect", "window_start", "window_end", "observed", "baseline", "ratio", "tested", "expected", "p_value",
            "negative_authors", "new_authors", "new_author_share", "reach", "buffer", "buffer_ratio", "specifics_replies",
            "alarm", "alarm_now", "first_alarm_at", "wave_first_alarm_at"]
    if hours.empty:
        return pd.DataFrame(columns=cols)
    neg, buf, spec = signals["neg"], signals["buffer"], signals["specifics"]
    starts = np.array(day_starts(store, float(hours["t"].min()) - DAY, as_of))
    ends = np.r_[starts[1:], as_of.timestamp()]
    spec_by = spec.merge(neg[["content_id", "aspect"]].drop_duplicates(), on="content_id")
    to_ts = lambda v: pd.to_datetime(v, unit="s", utc=True)  # noqa: E731
    frames = []
    for aspect, h in hours.groupby("aspect", sort=True):
        t = h["t"].to_numpy(float)
        k = np.searchsorted(t, ends, "right") - 1
        ok = (k >= 0) & (t[np.maximum(k, 0)] > starts)
        rows = h.iloc[k[ok]].reset_index(drop=True)
        idx = np.flatnonzero(ok)
        alarmed = h["alarm"].to_numpy(bool)
        alarm_t = t[alarmed]
        alarm_day = np.searchsorted(ends, alarm_t, "left")  # an alarm at d1 closes day d0..d1
        first = pd.Series(alarm_t).groupby(alarm_day).min() if len(alarm_t) else pd.Series(dtype=float)
        # each alarm's wave: the first alarm of its run of alarms less than a window apart
        wave_of = alarm_t[np.maximum.accumulate(np.where(np.r_[True, np.diff(alarm_t) > window], np.arange(len(alarm_t)), 0))] \
            if len(alarm_t) else alarm_t
        wave_first = pd.Series(wave_of).groupby(alarm_day).last() if len(alarm_t) else pd.Series(dtype=float)
        w1 = rows["t"].to_numpy(float)  # the row's evaluation: its window is [w1 - window, w1)
        w0 = w1 - window
        mine = neg[neg["aspect"] == aspect].sort_values("t", kind="stable")
        nt = mine["t"].to_numpy(float)
        lo, hi = np.searchsorted(nt, w0, "left"), np.searchsorted(nt, w1, "left")
        authors = mine["author_id"].to_numpy()
        reach_cum = np.r_[0, np.cumsum(mine["reach"].to_numpy(np.int64))]
        btimes = np.sort(buf.loc[buf["aspect"] == aspect, "t"].to_numpy(float))
        stimes = np.sort(spec_by.loc[spec_by["aspect"] == aspect, "t"].to_numpy(float))
        observed = rows["observed"].to_numpy(int)
        buffer = np.searchsorted(btimes, w0) - np.searchsorted(btimes, w0 - p.crisis_buffer_days * DAY)
        first_at = first.reindex(idx).to_numpy(float)
        frames.append(pd.DataFrame({
            "day": to_ts(starts[idx]), "aspect": aspect, "window_start": to_ts(w0), "window_end": to_ts(w1), "observed": observed,
            "baseline": rows["baseline"].to_numpy(float), "ratio": observed / np.maximum(rows["baseline"].to_numpy(float), 1e-9),
            "tested": rows["tested"].to_numpy(int), "expected": rows["expected"].to_numpy(float), "p_value": rows["p_value"].to_numpy(float),
            "negative_authors": np.array([len(set(authors[a:b])) for a, b in zip(lo, hi)], dtype=int),
            "new_authors": rows["new_authors"].to_numpy(int),
            "new_author_share": rows["new_authors"].to_numpy(float) / np.maximum(observed, 1),
            "reach": reach_cum[hi] - reach_cum[lo], "buffer": buffer, "buffer_ratio": buffer / np.maximum(observed, 1),
            "specifics_replies": np.searchsorted(stimes, w1) - np.searchsorted(stimes, w0),
            "alarm": ~np.isnan(first_at), "alarm_now": rows["alarm"].to_numpy(bool), "first_alarm_at": to_ts(first_at),
            "wave_first_alarm_at": to_ts(wave_first.reindex(idx).to_numpy(float))}))
    return pd.concat(frames, ignore_index=True)[cols]


def history_start(as_of, config):
    """The first moment the breakwater reads: ``crisis_history_days`` before ``as_of``.

    Its hourly tests cost time and memory in proportion to the span times the aspects (13 years of 15 aspects: 1.7M
    hourly rows, 26 s and 1 GB, every `reef analyze`), and the surfaces read the last days only (the room's 14, the
    weekly report's 30, the alert's current wave); ``crisis_daily`` keeps the timeline of that span.

    >>> from reef.config import load_config
    >>> str(history_start(pd.Timestamp("2026-06-01", tz="UTC"), load_config()))
    '2024-06-01 00:00:00+00:00'
    """
    return pd.Timestamp(as_of) - pd.Timedelta(days=KbParams.from_config(config).crisis_history_days)


def write_crisis_daily(store, as_of, config) -> int:
    """Write ``crisis_daily``: one row per day and aspect from ``crisis_baseline_days`` after :func:`history_start`
    (the first days are the baseline); return the number of rows."""
    p = KbParams.from_config(config)
    since = history_start(as_of, config)
    # Outsiders are judged on the posts of the crisis_new_author_days before each item, the buffer on the
    # crisis_buffer_days before each window: read that far back, so a day inside the span counts as before.
    sig = load_signals(store, as_of, config, since=since, posts_since=since - pd.Timedelta(days=p.crisis_new_author_days),
                       buffer_since=since - pd.Timedelta(days=p.crisis_buffer_days))
    earlier = store.fetch_value("SELECT EXISTS (SELECT 1 FROM content_at($ts) WHERE created_at < $since)", {"ts": as_of, "since": since})
    # Every aspect with a negative item before as_of is tested, as a whole-history run tests it (and divides alpha by it).
    sig["aspects"] = sorted(r[0] for r in store.fetch_all(f"SELECT DISTINCT aspect FROM ({_NEG_SQL})", {
        "ts": as_of, "since": pd.Timestamp("1970-01-01", tz="UTC"), "all": ALL, "lean": p.crisis_lean_score, "roots": p.crisis_roots_only}))
    df = daily_table(store, as_of, config, sig, hourly_table(store, as_of, config, sig, since=since if earlier else None))
    with store.registered("_kb_crisis_df", df):
        store.execute("CREATE OR REPLACE TABLE crisis_daily AS SELECT * FROM _kb_crisis_df ORDER BY day, aspect")
    return len(df)
