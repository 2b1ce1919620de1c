"""The breakwater: detect a negative wave per aspect, measure the reef's buffer, pick posts to surface.

Negative volume of an aspect (negative posts naming the aspect, or posts negative on that aspect; ``全部`` counts every
negative post) in a window is compared with the same window 1..``crisis_baseline_weeks`` weeks
earlier (same weekday and hours, like social-listening spike detectors). The baseline mean
(at least ``crisis_floor``) is the rate of a Poisson count; a window is an alarm when its p-value
is below ``crisis_alpha``, it has ``crisis_min_count`` posts and ``crisis_min_ratio`` x the
baseline. Each day also gets the share of negative authors new to complaining about the aspect
(none in the previous 30 days), the reach of the negative posts (interactions and replies), the
buffer (factual owner posts on the aspect in the ``crisis_buffer_days`` before: non-negative
experience, answers, guides, spec claims) and replies that ask for specifics or add facts.

Writes ``crisis_daily``; :func:`crisis_report` is the live view behind ``reef crisis``.

Example:
    >>> import numpy as np
    >>> window_test(np.array([0.0, 1, 2, 3, 4, 5, 6, 7] + [7 * 86400 + i for i in range(8)]), 7 * 86400, 8 * 86400,
    ...             weeks=1, floor=1.0)["observed"]
    8
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from reef.kb.params import KbParams

__all__ = ["window_test", "write_crisis_daily", "load_signals"]

DAY, WEEK = 86400, 7 * 86400
ALL = "全部"


def window_test(times: np.ndarray, t0: float, t1: float, *, weeks: int = 4, floor: float = 1.0) -> dict:
    """Observed count in [t0, t1) of sorted epoch ``times`` vs the same window ``weeks`` weeks back."""
    from scipy.stats import poisson

    obs = int(np.searchsorted(times, t1) - np.searchsorted(times, t0))
    past = [int(np.searchsorted(times, t1 - w * WEEK) - np.searchsorted(times, t0 - w * WEEK)) for w in range(1, weeks + 1)]
    base = float(np.mean(past)) if past else 0.0
    lam = max(base, floor)
    return {"observed": obs, "baseline": base, "ratio": obs / lam, "p_value": float(poisson.sf(obs - 1, lam)) if obs else 1.0}


def load_signals(store, as_of) -> dict[str, pd.DataFrame]:
    """Negative posts per aspect (with reach), factual buffer posts and specifics replies, as of ``as_of``."""
    neg = store.fetch_arrow("""
        WITH c AS (SELECT * FROM content_at($ts)), f AS (SELECT * FROM content_features),
        n AS (SELECT c.content_id, c.author_id, epoch(c.created_at) AS t, c.created_at,
                     -- a negative post counts against every aspect it names (lexicon aspects carry no sentiment of their own)
                     CASE WHEN f.sentiment < 0 OR list_contains(f.intents, 'complaint') THEN f.aspect_names
                          ELSE list_distinct(list_transform(list_filter(f.aspects, lambda a: a.sentiment < 0), lambda a: a.aspect)) END AS asp,
                     f.sentiment FROM c JOIN f USING (content_id)
              WHERE c.kind NOT IN ('poll_vote', 'event') AND (f.sentiment < 0 OR list_contains(f.intents, 'complaint') OR len(list_filter(f.aspects, lambda a: a.sentiment < 0)) > 0)),
        r AS (SELECT target_content_id AS content_id, count(*) AS n FROM interactions_at($ts) GROUP BY 1),
        rp AS (SELECT parent_id AS content_id, count(*) AS n FROM c WHERE parent_id IS NOT NULL GROUP BY 1)
        SELECT n.content_id, n.author_id, n.t, unnest(CASE WHEN n.sentiment < 0 THEN list_append(n.asp, $all) ELSE n.asp END) AS aspect,
               coalesce(r.n, 0) + coalesce(rp.n, 0) AS reach
        FROM n LEFT JOIN r USING (content_id) LEFT JOIN rp USING (content_id)""", {"ts": as_of, "all": ALL}).to_pandas()
    buf = store.fetch_arrow("""
        SELECT epoch(c.created_at) AS t, unnest(list_append(f.aspect_names, $all)) AS aspect
        FROM content_at($ts) c JOIN content_features f USING (content_id)
        WHERE f.sentiment >= 0 AND (len(list_intersect(f.intents, ['experience', 'answer', 'guide'])) > 0 OR len(f.claims) > 0
                                    OR c.kind IN ('answer', 'guide'))""", {"ts": as_of, "all": ALL}).to_pandas()
    spec = store.fetch_arrow("""
        SELECT epoch(c.created_at) AS t, c.parent_id AS content_id FROM content_at($ts) c JOIN content_features f USING (content_id)
        WHERE c.parent_id IS NOT NULL AND (c.body LIKE '%具体%' OR len(f.claims) > 0
              OR len(list_intersect(f.intents, ['clarification', 'question', 'answer'])) > 0)""", {"ts": as_of}).to_pandas()
    return {"neg": neg, "buffer": buf, "specifics": spec}


def _day_starts(store, as_of, first_t: float) -> list[float]:
    """Local midnights from the first signal to ``as_of`` (the store's zone defines the day)."""
    rows = store.fetch_all("""SELECT epoch(d) FROM range(date_trunc('day', to_timestamp($a)), $b::TIMESTAMPTZ, INTERVAL 1 DAY) t(d)""",
                           {"a": first_t, "b": as_of})
    return [float(r[0]) for r in rows]


def write_crisis_daily(store, as_of, config) -> int:
    """One row per day and aspect with the wave test, new-author rate, reach, buffer and specifics."""
    p = KbParams.from_config(config)
    sig = load_signals(store, as_of)
    neg, buf, spec = sig["neg"], sig["buffer"], sig["specifics"]
    out = []
    if not neg.empty:
        days = _day_starts(store, as_of, float(neg["t"].min()))
        spec_by = spec.merge(neg[["content_id", "aspect"]].drop_duplicates(), on="content_id")
        for aspect, g in neg.groupby("aspect"):
            g = g.sort_values("t")
            times = g["t"].to_numpy(float)
            btimes = np.sort(buf.loc[buf["aspect"] == aspect, "t"].to_numpy(float))
            stimes = np.sort(spec_by.loc[spec_by["aspect"] == aspect, "t"].to_numpy(float))
            for d0 in days:
                d1 = d0 + DAY
                if d0 - p.crisis_baseline_weeks * WEEK < times[0] - DAY:
                    continue  # not enough history for a baseline yet
                test = window_test(times, d0, d1, weeks=p.crisis_baseline_weeks, floor=p.crisis_floor)
                today = g[(g["t"] >= d0) & (g["t"] < d1)]
                prior = set(g.loc[(g["t"] >= d0 - 30 * DAY) & (g["t"] < d0), "author_id"])
                authors = set(today["author_id"].dropna())
                buffer = int(np.searchsorted(btimes, d0) - np.searchsorted(btimes, d0 - p.crisis_buffer_days * DAY))
                alarm = (test["p_value"] < p.crisis_alpha and test["observed"] >= p.crisis_min_count
                         and test["ratio"] >= p.crisis_min_ratio)
                out.append({"day": pd.Timestamp(d0, unit="s", tz="UTC"), "aspect": aspect, **test,
                            "negative_authors": len(authors), "new_author_share": len(authors - prior) / len(authors) if authors else 0.0,
                            "reach": int(today["reach"].sum()), "buffer": buffer,
                            "buffer_ratio": buffer / max(test["observed"], 1),
                            "specifics_replies": int(np.searchsorted(stimes, d1) - np.searchsorted(stimes, d0)), "alarm": alarm})
    df = pd.DataFrame(out, columns=["day", "aspect", "observed", "baseline", "ratio", "p_value", "negative_authors",
                                    "new_author_share", "reach", "buffer", "buffer_ratio", "specifics_replies", "alarm"])
    store.con.register("_kb_crisis_df", df)
    store.execute("CREATE OR REPLACE TABLE crisis_daily AS SELECT * FROM _kb_crisis_df ORDER BY day, aspect")
    store.con.unregister("_kb_crisis_df")
    return len(df)
