"""The crisis room's one reading (危机室, ``reef crisis``, the report, 今日 and ``reef alerts``): :func:`crisis_report`.

Every surface shows the same figures from one call, on one stated window: the wave test of each aspect on the
trailing ``hours`` (default ``kb.crisis_window_hours``) before ``as_of`` (``window``: start and end in the store's
zone). The aspect opened is :func:`pick_aspect`'s: the one whose alarm is the most recent, then the strongest (lowest
p-value, then biggest ratio over its baseline); an aspect that never alarmed comes after every alarmed one, ``全部``
last. The opened aspect's wave is the room's **current** wave (``current_wave``) while its last alarm is at most
``kb.crisis_recent_days`` before ``as_of``; an older one is past (``past_wave``: its first and last alarm and the days
since), and the room then lists the trailing window's negative posts, never the old wave's as if it were today's.
Each other aspect carries ``shared``: the share of its negative posts in the window that are also the opened
aspect's (a side tag of the same wave rather than a second one). For that aspect the report carries the wave itself (:mod:`reef.kb.wave_posts`: its negative posts by reach,
their authors, whether each was answered, ``first_alarm_at`` and the last 48 hours hour by hour), the official facts
a correction can cite, the posts to pin (:mod:`reef.kb.pin`), the buffer (all factual posts on the aspect, and those
on the wave's topic, against the wave's posts) and the day-by-day timeline, whose last day is marked ``partial``
when ``as_of`` falls inside it: that row's counts all cover the trailing window of its last evaluation
(``window_start`` to ``until``, HH:MM), not the calendar day, like the alert's sentence. Each row carries the day's
first alarm (``first_alarm_at``) and the first alarm of the wave it belongs to (``wave_first_alarm_at``, the aspects'
``first_alarm_at`` rule).

Example:
    >>> pick_aspect([{"aspect": "动力", "last_alarm_at": 10.0, "p_value": 1e-9, "ratio": 11.0},
    ...              {"aspect": "智能与车机", "last_alarm_at": 10.0, "p_value": 1e-21, "ratio": 7.8},
    ...              {"aspect": "续航与充电", "last_alarm_at": None, "p_value": 1e-30, "ratio": 3.0}])
    '智能与车机'
"""
from __future__ import annotations

import numpy as np

from reef.kb.crisis import ALL, DAY, hourly_table, load_signals
from reef.kb.params import KbParams
from reef.kb.wave_lead import twins
from reef.store.asof import local_iso
from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["crisis_report", "pick_aspect", "aspect_key", "alarm_spans", "untested_words"]


def aspect_key(row: dict) -> tuple:
    """Sort key of an aspect's test row: the most recent alarm first, then the lowest p-value, then the biggest ratio."""
    last = row.get("last_alarm_at")
    return (row["aspect"] == ALL, last is None, -(last or 0.0), row["p_value"], -row["ratio"], row["aspect"])


def pick_aspect(tests: list[dict]) -> str | None:
    """The aspect a surface opens on (see :func:`aspect_key`); None when there is none."""
    return min(tests, key=aspect_key)["aspect"] if tests else None


def alarm_spans(hours: pd.DataFrame, gap_hours: int) -> dict[str, tuple[float, float]]:
    """Per aspect, (first, last) alarm time of its latest wave: alarms less than ``gap_hours`` apart are one wave."""
    out = {}
    for aspect, h in hours[hours["alarm"].astype(bool)].groupby("aspect"):
        t = np.sort(h["t"].to_numpy(float))
        breaks = np.flatnonzero(np.diff(t) > gap_hours * 3600)
        out[aspect] = (float(t[breaks[-1] + 1] if len(breaks) else t[0]), float(t[-1]))
    return out


def _local(store, t: float | None, fmt: str = "%Y-%m-%d %H:%M") -> str | None:
    from reef.kb.wave_posts import local_at

    return local_at(store, t, fmt)


def _tests(table: pd.DataFrame, spans: dict) -> list[dict]:
    if table.empty:
        return []
    last = table[table["t"] == table["t"].max()]
    return [{"aspect": r["aspect"], "observed": int(r["observed"]), "baseline": round(float(r["baseline"]), 2),
             "ratio": round(float(r["observed"]) / max(float(r["baseline"]), 1e-9), 2), "tested": int(r["tested"]),
             "expected": round(float(r["expected"]), 2), "p_value": float(r["p_value"]), "new_authors": int(r["new_authors"]),
             "alarm": bool(r["alarm"]), "first_alarm_at": spans.get(r["aspect"], (None, None))[0],
             "last_alarm_at": spans.get(r["aspect"], (None, None))[1]} for _, r in last.iterrows()]


def _timeline(store, target: str, as_of, days: int) -> list[dict]:
    if not store.table_exists("crisis_daily"):
        return []
    have = {r[0] for r in store.fetch_all("SELECT column_name FROM information_schema.columns WHERE table_name = 'crisis_daily'")}
    # a crisis_daily written before kb_crisis 5 has no window columns: its rows counted the calendar day
    extra = "window_start, window_end, wave_first_alarm_at" if "window_start" in have else \
        "day AS window_start, NULL::TIMESTAMPTZ AS window_end, NULL::TIMESTAMPTZ AS wave_first_alarm_at"
    rows = store.fetch_dicts(f"""SELECT day, observed, round(baseline, 1) AS baseline, round(ratio, 2) AS ratio, tested,
                                       round(expected, 1) AS expected, p_value, negative_authors,
                                       round(new_author_share, 2) AS new_author_share, reach, buffer,
                                       round(buffer_ratio, 1) AS buffer_ratio, specifics_replies, alarm, first_alarm_at, {extra}
                                FROM crisis_daily WHERE aspect = $asp AND day < $ts ORDER BY day DESC LIMIT $d""",
                             {"asp": target, "d": days, "ts": as_of})
    end = as_of.timestamp()

    def when(v, fmt: str = "%Y-%m-%d %H:%M") -> str | None:
        return _local(store, pd.Timestamp(v).timestamp(), fmt) if v is not None and not pd.isna(v) else None

    for r in rows:
        start = pd.Timestamp(r["day"]).timestamp()
        r["partial"] = start + DAY > end  # the day as_of falls in: its counts cover the trailing window, not the day
        w0, w1 = r.pop("window_start"), r.pop("window_end")
        # the row's counts: the calendar day (window_start None), else the trailing window of its last evaluation
        r["window_start"] = when(w0) if pd.Timestamp(w0).timestamp() != start else None
        r["window_hours"] = round((pd.Timestamp(w1) - pd.Timestamp(w0)).total_seconds() / 3600) if r["window_start"] else None
        r["until"] = (when(w1, "%H:%M") if w1 is not None and not pd.isna(w1) else _local(store, end, "%H:%M")) if r["partial"] else None
        r["first_alarm_at"] = when(r["first_alarm_at"])
        r["wave_first_alarm_at"] = when(r["wave_first_alarm_at"])
        r["day"] = _local(store, start, "%Y-%m-%d")
    return list(reversed(rows))


def crisis_report(store, as_of, config=None, *, aspect: str | None = None, hours: int | None = None, days: int = 14,
                  surface: int = 5, wave_top: int = 20, masked: bool = False) -> dict:
    """The crisis room as of ``as_of`` (None: the end of the data), on the trailing ``hours`` window."""
    from reef.analyses.runner import resolve_as_of
    from reef.kb.views import check_aspect
    from reef.kb.wave_posts import hourly_growth, wave_posts

    check_aspect(aspect, extra=(ALL,))
    config = config or store.config
    as_of = resolve_as_of(store, as_of)
    p = KbParams.from_config(config)
    hours = int(hours or p.crisis_window_hours)
    lookback = p.crisis_baseline_days + max(p.crisis_baseline_weeks * 7, p.crisis_new_author_days) + 2
    since = as_of - pd.Timedelta(days=lookback)
    sig = load_signals(store, as_of, config, since=since)
    # The baseline starts with the lookback when the data goes back further, not at its first negative post: on a
    # sparse community (a few negative posts a year) that post was most often under 29 days old, so no aspect was
    # tested and the room said "no aspect in the data" beside a timeline that had them (kb_crisis 8's rule).
    earlier = store.fetch_value("SELECT EXISTS (SELECT 1 FROM content_at($ts) WHERE created_at < $since)", {"ts": as_of, "since": since})
    table = hourly_table(store, as_of, config, sig, since=since if earlier else None, window_hours=hours)
    tests = sorted(_tests(table, alarm_spans(table, hours) if not table.empty else {}), key=aspect_key)
    t1 = as_of.timestamp()
    # The tests' window ends at their last evaluation, a whole hour of the store's zone (23:00 for as_of 23:59:58):
    # the stated window, the negative posts each aspect counts and the timeline's partial day all end there.
    t_eval = float(table["t"].max()) if not table.empty else t1
    recent = sig["neg"][(sig["neg"]["t"] >= t_eval - hours * 3600) & (sig["neg"]["t"] < t_eval)]
    tests = _lead_first(store, tests, recent, p.crisis_side_tag_share)
    target = aspect or (tests[0]["aspect"] if tests else None)  # pick_aspect's rule, twin groups led by their topic
    row = next((r for r in tests if r["aspect"] == target), None)
    first_alarm = row["first_alarm_at"] if row else None
    past = None  # a wave whose last alarm is older than crisis_recent_days is no current wave: named, not listed
    if row and row["last_alarm_at"] is not None and t1 - row["last_alarm_at"] > p.crisis_recent_days * DAY:
        past = {"aspect": target, "first_alarm_at": _local(store, first_alarm), "last_alarm_at": _local(store, row["last_alarm_at"]),
                "days_ago": int((t1 - row["last_alarm_at"]) // DAY)}
        first_alarm = None
    # The wave: from the window that raised its first alarm (else the trailing window) up to as_of.
    wave_start = (first_alarm - hours * 3600) if first_alarm is not None else t_eval - hours * 3600
    mine = set(recent.loc[recent["aspect"] == target, "content_id"])
    twin = [r["aspect"] for r in tests if r["aspect"] not in (target, ALL) and r["last_alarm_at"] is not None
            and twins(set(recent.loc[recent["aspect"] == r["aspect"], "content_id"]), mine, p.crisis_side_tag_share)]
    for r in tests:
        r["first_alarm_at"], r["last_alarm_at"] = _local(store, r["first_alarm_at"]), _local(store, r["last_alarm_at"])
        # A side tag of the same posts (an OTA wave also tagged 动力) is the same wave, not a second one.
        ids = set(recent.loc[recent["aspect"] == r["aspect"], "content_id"])
        r["shared"] = round(len(ids & mine) / len(ids), 2) if ids and r["aspect"] not in (target, ALL) else None
    wave = wave_posts(store, as_of, sig["neg"], target, since=wave_start, top=wave_top, config=config, masked=masked) if target else \
        {"posts": [], "total": 0, "authors": 0, "texts": []}
    # No current wave: no topic to match (the trailing window's one or two negative posts are no wave's words), so the
    # pins rank by credibility alone, each "该方面的可信事实帖", as docs/kb.md says.
    pins = _pins(store, as_of, target, wave["texts"] if first_alarm is not None else [], p, wave_start=wave_start,
                 n=surface, masked=masked)
    buf = sig["buffer"]
    before = int(((buf["aspect"] == target) & (buf["t"] < wave_start) & (buf["t"] >= wave_start - p.crisis_buffer_days * DAY)).sum())
    wave_n = wave["total"]  # the wave since its start, like the buffer counted before it
    to_utc = lambda t: pd.Timestamp(t, unit="s", tz="UTC")  # noqa: E731
    return {"as_of": local_iso(as_of, config.get("general.timezone")), "as_of_local": _local(store, t1), "window_hours": hours,
            "untested": None if tests else _untested(store, sig["neg"], as_of, hours, p, lookback),
            "window": {"start": _local(store, t_eval - hours * 3600), "end": _local(store, t_eval)},
            "aspects": tests, "aspect": target, "alarm": bool(row and row["alarm"]),
            "first_alarm_at": _local(store, first_alarm), "wave_start": _local(store, wave_start),
            "current_wave": first_alarm is not None, "past_wave": past, "recent_days": p.crisis_recent_days,
            "buffer": {"aspect_posts": before, "topic_posts": pins["matched"], "wave_posts": wave_n,
                       "ratio": round(pins["matched"] / max(wave_n, 1), 1), "aspect_ratio": round(before / max(wave_n, 1), 1),
                       "terms": pins["terms"], "days": p.crisis_buffer_days},
            "wave": {k: v for k, v in wave.items() if k != "texts"},
            # whole hours on the tests' grid; the last one, when as_of falls inside it, runs to as_of
            "growth": hourly_growth(store, sig["neg"], target, t_eval + 3600 if t_eval < t1 else t_eval, 48) if target else [],
            "twins": twin, "facts": _facts(store, to_utc(t1), [target, *twin]) if target else [],
            "surface": pins["posts"], "timeline": _timeline(store, target, as_of, days) if target else []}


def _untested(store, neg: pd.DataFrame, as_of, hours: int, p: KbParams, lookback: int) -> dict:
    """Why no aspect is tested at ``as_of``: no negative post in the ``lookback`` days (``quiet``), or the baseline's
    days since the first one are not over (``baseline``: the first negative post and the first test, local times)."""
    from reef.kb.crisis import day_starts

    if neg.empty:
        return {"reason": "quiet", "days": lookback}
    first = float(neg["t"].min())
    start = day_starts(store, first, as_of)[0]
    return {"reason": "baseline", "days": p.crisis_baseline_days, "first_negative_at": _local(store, first),
            "first_test_at": _local(store, start + p.crisis_baseline_days * DAY + hours * 3600)}


def untested_words(untested: dict | None, lang: str) -> str:
    """:func:`crisis_report`'s ``untested`` as the room says it (the page, ``reef crisis``): "" when aspects were tested."""
    from reef.web.messages import tr

    if not untested:
        return ""
    if untested["reason"] == "quiet":
        return tr("crisis.untested_quiet", lang, days=untested["days"])
    return tr("crisis.untested_baseline", lang, days=untested["days"], first=untested["first_negative_at"], at=untested["first_test_at"])


def _lead_first(store, tests: list[dict], recent: pd.DataFrame, share: float) -> list[dict]:
    """``tests`` with the alarmed aspects' twin groups led by the aspect the wave is about (:mod:`reef.kb.wave_lead`)."""
    from reef.kb.wave_lead import lead_order, post_texts

    alarmed = [r["aspect"] for r in tests if r["last_alarm_at"] is not None and r["aspect"] != ALL]
    if len(alarmed) < 2:
        return tests
    posts = {a: set(recent.loc[recent["aspect"] == a, "content_id"]) for a in alarmed}
    order = lead_order(alarmed, posts, post_texts(store, set().union(*posts.values())), share)
    rank = {a: i for i, a in enumerate(order)}
    return sorted(tests, key=lambda r: (r["aspect"] not in rank, rank.get(r["aspect"], 0), aspect_key(r)))


def _facts(store, ts, aspects: list[str]) -> list[dict]:
    """Official facts of the wave's aspect and of its twins (one wave, two tags: both sets of facts may be cited)."""
    from reef.kb.wave_posts import official_facts

    seen, out = set(), []
    for a in aspects:
        for f in official_facts(store, ts, a):
            if f["fact_id"] not in seen:
                seen.add(f["fact_id"])
                out.append({**f, "aspect": a})
    return out


def _pins(store, as_of, target, texts: list[str], p: KbParams, *, wave_start: float, n: int, masked: bool) -> dict:
    from reef.actions.privacy import mask_rows
    from reef.kb.pin import candidate_tokens, pin_candidates, rank_pins, wave_terms

    if not target:
        return {"posts": [], "matched": 0, "terms": []}
    start = pd.Timestamp(wave_start, unit="s", tz="UTC")
    cands = pin_candidates(store, as_of, target, before=start, since=start - pd.Timedelta(days=p.crisis_buffer_days))
    tokens = candidate_tokens(cands) if texts else None  # cut once: most of the room's time at scale (docs/kb.md)
    terms = wave_terms(texts, [c["text"] for c in cands], p.crisis_topic_terms, background_tokens=tokens)
    out = rank_pins(cands, terms, n=n, per_author=p.crisis_surface_per_author, min_terms=p.crisis_topic_min_terms, tokens=tokens)
    posts = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in out["posts"]]
    return {"posts": mask_rows(posts, ("title", "author")) if masked else posts, "matched": out["matched"], "terms": terms}
