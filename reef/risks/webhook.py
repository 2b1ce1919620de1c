"""Deliver risk alerts to WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书) group robots, at most once each.

Delivery state lives in the store, per alert and target (table ``risk_alert_delivery``, migrations
``0008_risk_alert_delivery``, ``0009_risk_alert_delivery_episodes`` and ``0010_risk_alert_delivery_platforms``): one row
per (``alert_key``, ``severity``, ``target``, ``platform``, ``episode``) where the target is a robot URL or ``console``
(what ``reef alerts`` listed), the platform the robot format it was sent in (a URL's state in one format never
overwrites another's), and the
episode is the start of the alert's current episode (:func:`reef.risks.alert_log.current_episodes`). An alert is
*new* for a target until it was sent there (or, for the console, shown) in its current episode at its severity or a
higher one: a medium→high escalation is new again, a repeat or a fall to medium is not, and a risk raised again after
a quiet spell (longer than ``risks.dedupe_days``, with a run that did not raise it) is sent again. Alerts of a
back-dated run are never delivered. Failed sends of current alerts stay new, so the
next run retries them; :func:`redeliver` re-sends failed ones explicitly (to any URL of the platform).

A message is tried once and then ``risks.webhook_retries`` more times with exponential backoff
(``webhook_backoff_seconds``, doubling). Posts to one URL are paced (:class:`Pacer`): at most ``webhook_per_minute``
in any 60 seconds, every attempt counted (the robots take about 20 a minute and throttle a robot that sends more), the
run sleeping until it may post again; ``sleep`` and ``clock`` are injectable, so tests never wait. Any exception of one
message (refused connection, bad status line, HTTP error, robot error code) fails that message only; each outcome is
written to ``risk_webhook_log`` with its reason. More than ``webhook_digest_over`` alerts go out as digest messages
(:func:`reef.risks.robots.format_digests`), fewer as one message each. Messages name the member by id and display name
(from ``members``, masked like every output).

Example:
    >>> from reef.store import open_store
    >>> from reef.config import load_config
    >>> run_alerts(open_store(":memory:"), load_config())["alerts"]
    []
"""
from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections import deque
from datetime import datetime, timedelta, timezone
from typing import Callable

from reef.actions.views import member_names
from reef.errors import InvalidParameterError, ReefError
from reef.risks.alert_log import current_episodes
from reef.risks.robots import PLATFORMS, check_url, format_digests, format_message, signed
from reef.store.migrations import LEGACY_EPISODE

__all__ = ["PLATFORMS", "CONSOLE", "DeliveryError", "Pacer", "format_message", "deliver", "redeliver", "run_alerts", "delivery_failure"]

CONSOLE = "console"
_RANK = {"medium": 1, "high": 2}
_DONE = ("sent", "shown")
_KEEP = ("alert_key", "family", "part", "severity", "score", "subject", "member_id", "content_id", "message_zh", "message_en", "as_of",
         "episode", "escalated_from")
_LEGACY = datetime.fromisoformat(LEGACY_EPISODE)  # a delivery recorded before episodes: counts for every episode


class DeliveryError(ReefError):
    """Every webhook delivery of a run failed (nothing reached the robot)."""

    code = "delivery_failed"


def _config(config):
    from reef.config import load_config

    return (config or load_config()).section("risks")


def _check_platform(platform: str) -> str:
    if platform not in PLATFORMS:
        raise InvalidParameterError("platform", platform, "one of " + ", ".join(PLATFORMS))
    return platform


def _post(url: str, payload: dict, timeout: float) -> None:
    req = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                 headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the operator configures the URL
        body = resp.read().decode("utf-8", "replace")
    # Robots answer HTTP 200 with an error code in the body (errcode / code) when they refuse a message, and always
    # answer JSON: anything else (a proxy's or captive portal's page) means the message never reached the robot.
    try:
        data = json.loads(body)
    except ValueError:
        raise RuntimeError(f"the answer is not a robot's JSON (a proxy or a wrong URL?): {body[:200] or 'empty'}") from None
    if not isinstance(data, dict):
        raise RuntimeError(f"the answer is not a robot's JSON object (a proxy or a wrong URL?): {body[:200]}")
    code = data.get("errcode", data.get("code", 0))
    if code not in (0, None):
        raise RuntimeError(f"robot refused the message: {body[:200]}")


def _record(store, alert: dict, target: str, platform: str, status: str, attempts: int, error: str | None) -> None:
    now = datetime.now(timezone.utc)
    blob = json.dumps({k: alert.get(k) for k in _KEEP}, ensure_ascii=False, default=str)
    if platform != CONSOLE:
        store.execute("INSERT INTO risk_webhook_log VALUES ($k, $p, $u, $s, $a, $e, $j, $t)",
                      {"k": alert.get("alert_key"), "p": platform, "u": target, "s": status, "a": attempts, "e": error, "j": blob, "t": now})
    # One row per platform too (migration 0010): a URL's state in one robot format never overwrites another's.
    store.execute("""INSERT INTO risk_alert_delivery VALUES ($k, $sev, $u, $p, $s, $a, $e, $j, $t, $t, $sent, $ep)
        ON CONFLICT (alert_key, severity, target, platform, episode) DO UPDATE SET
            status = CASE WHEN status IN ('sent', 'shown') THEN status ELSE excluded.status END,
            attempts = attempts + excluded.attempts, error = excluded.error, alert = excluded.alert,
            sent_at = coalesce(sent_at, excluded.sent_at), last_tried_at = excluded.last_tried_at""",
                  {"k": alert.get("alert_key"), "sev": alert.get("severity"), "u": target, "p": platform, "s": status, "a": attempts,
                   "e": error, "j": blob, "t": now, "sent": now if status in _DONE else None, "ep": _episode_of(alert) or _LEGACY})


def _ep_text(episode) -> str | None:
    """An episode as kept in a delivery's alert JSON (``default=str``)."""
    return None if episode is None else str(episode)


def _episode_of(alert: dict) -> datetime | None:
    """The episode an alert (a current row, or one read back from a delivery's JSON) belongs to, None if unknown."""
    ep = alert.get("episode")
    return datetime.fromisoformat(ep) if isinstance(ep, str) else ep


class Pacer:
    """At most ``per_minute`` posts in any 60 seconds (0 or less: no pacing): :meth:`wait` before each post sleeps
    until the oldest post of the last minute is a minute old. Time is ``clock()`` plus what the pacer slept, so an
    injected ``sleep`` that returns at once still paces (and never loops).

    >>> waits = []
    >>> p = Pacer(2, waits.append, lambda: 100.0)
    >>> for _ in range(5):
    ...     p.wait()
    >>> waits
    [60.0, 60.0]
    """

    def __init__(self, per_minute: int, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time):
        self.per_minute, self.sleep, self.clock = int(per_minute), sleep, clock
        self.sent: deque[float] = deque()
        self.now: float | None = None

    def wait(self) -> None:
        if self.per_minute <= 0:
            return
        now = self.clock() if self.now is None else max(self.clock(), self.now)
        while self.sent and self.sent[0] <= now - 60:
            self.sent.popleft()
        if len(self.sent) >= self.per_minute:
            pause = self.sent[-self.per_minute] + 60 - now
            self.sleep(pause)
            now += pause
            while self.sent and self.sent[0] <= now - 60:
                self.sent.popleft()
        self.sent.append(now)
        self.now = now


def deliver(store, alerts: list[dict], url: str, platform: str, config=None, *, lang: str | None = "zh", digest: bool | None = None,
            sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time, pacer: Pacer | None = None) -> dict:
    """Send ``alerts`` (as given: no dedup here) to the robot at ``url``; returns ``{"sent": n, "failed": m}`` in alerts.

    ``digest`` None: digest messages when there are more than ``risks.webhook_digest_over`` alerts. ``pacer``: the
    pacing of ``url`` to share with other calls of the same run (default: a new one, ``risks.webhook_per_minute``).
    """
    cfg = _config(config)
    check_url(url)
    _check_platform(platform)
    counts = {"sent": 0, "failed": 0}
    if not alerts:
        return counts
    if digest is None:
        digest = len(alerts) > int(cfg["webhook_digest_over"])
    names = member_names(store, (a.get("member_id") for a in alerts))
    link = _link(config)
    # An alert naming its own page (a negative wave: /crisis?aspect=…) keeps it, under server.public_url like /risks.
    shown = [{**a, "link": _link(config, a["link"]) if a.get("link") else link,
              **({"member_name": names[str(a["member_id"])]} if a.get("member_id") in names else {})} for a in alerts]
    messages = format_digests(shown, platform, lang) if digest else [(format_message(a, platform, lang), [i]) for i, a in enumerate(shown)]
    retries, secret = max(0, int(cfg["webhook_retries"])), str(cfg.get("webhook_secret") or "")
    pacer = pacer or Pacer(int(cfg["webhook_per_minute"]), sleep, clock)
    for payload, idx in messages:
        error, attempts = None, 0
        for attempt in range(retries + 1):  # the first attempt always happens; retries are extra attempts
            attempts = attempt + 1
            pacer.wait()  # every attempt is a post the robot may count
            try:
                post_url, body = signed(url, payload, platform, secret, clock())
                _post(post_url, body, float(cfg["webhook_timeout_seconds"]))
                error = None
                break
            except Exception as exc:  # noqa: BLE001 - any failure of one message is that message's failure
                error = f"{type(exc).__name__}: {exc}"[:500]
                if attempt < retries:
                    sleep(float(cfg["webhook_backoff_seconds"]) * 2 ** attempt)
        status = "sent" if error is None else "failed"
        for i in idx:
            counts[status] += 1
            _record(store, alerts[i], url, platform, status, attempts, error)
    return counts


def _link(config, path: str = "/risks") -> str:
    """Where the messages send the reader: ``path`` (the 风险雷达 page unless the alert names its own), as a full
    address under ``server.public_url`` when it is set (the dashboard's address as operators reach it), else as the
    path alone (no address is guessed)."""
    from reef.config import load_config

    base = str((config or load_config()).get("server.public_url") or "").strip().rstrip("/")
    return f"{base}{path}" if base.startswith(("http://", "https://")) and path.startswith("/") else path


def _delivered(store, target: str, platform: str | None = None) -> dict[str, list[tuple[int, datetime | None]]]:
    """{alert_key: [(severity rank, as_of of the alert sent), ...] sent/shown to ``target`` (in ``platform``'s format
    when given)}. A delivery whose alert kept no as_of (written before releases stored it) has None: it counts for every
    episode."""
    rows = store.fetch_all("""SELECT alert_key, severity, episode, TRY_CAST(json_extract_string(alert, '$.as_of') AS TIMESTAMPTZ)
                              FROM risk_alert_delivery WHERE target = $t AND status IN ('sent', 'shown')
                              AND ($p IS NULL OR platform = $p)""", {"t": target, "p": platform})
    out: dict[str, list[tuple[int, datetime | None]]] = {}
    for key, sev, ep, sent_as_of in rows:
        out.setdefault(key, []).append((_RANK.get(sev, 0), sent_as_of if sent_as_of is not None else None if ep == _LEGACY else ep))
    return out


def _done_rank(done: dict, key: str, episode: datetime | None) -> int:
    """The highest severity rank of ``key`` delivered in ``episode`` (an alert of it as of the episode's start or
    later); any delivery counts when the episode is unknown."""
    return max((rank for rank, at in done.get(key, ()) if episode is None or at is None or at >= episode), default=0)


def redeliver(store, url: str, platform: str, config=None, *, lang: str | None = "zh", digest: bool | None = None,
              sleep: Callable[[float], None] = time.sleep, pacer: Pacer | None = None) -> dict:
    """Re-send every failed delivery of ``platform`` (to any URL) not yet sent to ``url`` at that severity or higher.
    ``pacer``: as in :func:`deliver` (a server shares one per URL across its sends)."""
    check_url(url)
    return deliver(store, list(_failed_todo(store, url, platform).values()), url, platform, config, lang=lang, digest=digest,
                   sleep=sleep, pacer=pacer)


def _failed_todo(store, url: str, platform: str) -> dict[tuple, dict]:
    """{(alert_key, severity, episode): alert} of the failed deliveries ``redeliver`` would send to ``url``: per key and episode
    only the most severe one (a failed medium that a failed high followed is not posted beside it)."""
    done = _delivered(store, url, platform)
    best: dict[tuple, tuple[int, str, dict]] = {}
    for key, sev, blob in store.fetch_all("""SELECT alert_key, severity, alert FROM risk_alert_delivery
                                             WHERE status = 'failed' AND platform = $p ORDER BY last_tried_at""", {"p": _check_platform(platform)}):
        alert = json.loads(blob)
        ep = alert.get("episode")
        rank = _RANK.get(sev, 0)
        if rank > _done_rank(done, key, _episode_of(alert)) and rank > best.get((key, ep), (0,))[0]:
            best[(key, ep)] = (rank, sev, alert)
    return {(key, sev, ep): alert for (key, ep), (_, sev, alert) in best.items()}


def _crisis_current(store, lang: str, min_severity: str) -> list[dict]:
    """The crisis room's alarmed aspects in the alerts' shape (:mod:`reef.kb.crisis_alerts`): listed, sent and
    deduplicated with the radar's alerts (one per aspect and wave), never scored by the radar."""
    try:
        from reef.kb.crisis_alerts import crisis_alerts
    except ImportError:  # a build without the knowledge reef
        return []
    return crisis_alerts(store, lang, min_severity=min_severity)


def _current(store, lang: str, min_severity: str, dedupe_days: int) -> list[dict]:
    if not store.table_exists("risk_alerts"):
        return _crisis_current(store, lang, min_severity)
    episodes = current_episodes(store, dedupe_days)
    sev = ["high"] if min_severity == "high" else ["high", "medium"]
    rows = store.fetch_dicts("""SELECT alert_key, family, part, severity, score, subject, member_id, content_id, message_zh, message_en,
                                       first_seen, as_of FROM risk_alerts WHERE list_contains($sev, severity)
                                ORDER BY severity = 'high' DESC, score DESC, alert_key""", {"sev": sev})
    for r in rows:
        r["message"] = r["message_en" if lang == "en" else "message_zh"]
        r["episode"] = episodes.get(r["alert_key"])
    # A wave first within its severity (the room's order), then the radar's alerts in theirs.
    return sorted(_crisis_current(store, lang, min_severity) + rows, key=lambda r: r["severity"] != "high")


def run_alerts(store, config, *, lang: str | None = None, only_new: bool = False, min_severity: str = "medium", top: int = 50,
               url: str | None = None, platform: str | None = None, digest: bool | None = None, resend_failed: bool = False,
               send: bool = True, sleep: Callable[[float], None] = time.sleep, pacer: Pacer | None = None) -> dict:
    """What ``reef alerts`` does: list the current alerts, each with ``is_new`` for its target, and deliver the new ones.

    The target is the robot URL (``url`` or ``risks.webhook_url``) or, without one, the console, which records the
    listed alerts as shown. ``only_new`` keeps the alerts not yet sent/shown to the target (key at this severity or
    higher); with a URL only those are sent. ``resend_failed`` first re-sends earlier failures (:func:`redeliver`).
    Returns ``{"alerts", "target", "platform", "delivery"}``; ``delivery`` holds sent/failed/already_sent counts.
    ``pacer``: the URL's pacing (default: a new one for this run, ``risks.webhook_per_minute``). ``send=False``
    never posts (not even to ``risks.webhook_url``): the target is the console, as in a notebook.
    """
    cfg = config.section("risks")
    lang = "en" if (lang or config.get("general.language") or "zh") == "en" else "zh"
    if min_severity not in _RANK:
        raise InvalidParameterError("severity", min_severity, "medium or high")
    url = (url or str(cfg.get("webhook_url") or "") or None) if send else None
    platform = _check_platform(platform or str(cfg.get("webhook_platform") or "wecom"))
    if url:
        check_url(url)
    elif resend_failed:
        raise InvalidParameterError("webhook", None, "a robot URL to re-send failed deliveries to",
                                    hint="Pass --webhook URL or set risks.webhook_url in the configuration.")
    target = url or CONSOLE
    delivery, tried = None, set()
    pacer = pacer or Pacer(int(cfg["webhook_per_minute"]), sleep)  # one pacing of the URL for the re-sends and the new alerts
    if url:
        delivery = {"sent": 0, "failed": 0, "resent": 0, "already_sent": 0}
        if resend_failed:  # what redeliver does, keeping the keys: re-sent now, so not posted a second time below
            failed = _failed_todo(store, url, platform)
            tried = set(failed)  # (key, severity, episode): a current escalation or a new episode still goes out below
            again = deliver(store, list(failed.values()), url, platform, config, lang=lang, digest=digest, sleep=sleep, pacer=pacer)
            delivery.update(sent=again["sent"], failed=again["failed"], resent=again["sent"])
    done = _delivered(store, target, platform if url else None)
    rows = _current(store, lang, min_severity, int(cfg["dedupe_days"]))
    stale = _back_dated(store)
    for r in rows:  # alerts of a back-dated run are history: listed, never delivered or recorded as shown
        was = _done_rank(done, r["alert_key"], r["episode"])
        r["is_new"] = stale is None and _RANK.get(r["severity"], 0) > was
        if r["is_new"] and was:  # sent before in this episode at a lower severity: the message says it escalated
            r["escalated_from"] = next(s for s, k in _RANK.items() if k == was)
    # New alerts first, then the rest, up to `top`: with old alerts ranked first, a new one below the cap would never
    # be shown or sent while they stay current.
    rows = ([r for r in rows if r["is_new"]] + ([] if only_new else [r for r in rows if not r["is_new"]]))[:top]
    if url:
        todo = [r for r in rows if r["is_new"] and (r["alert_key"], r["severity"], _ep_text(r["episode"])) not in tried]
        sent = deliver(store, todo, url, platform, config, lang=lang, digest=digest, sleep=sleep, pacer=pacer)
        delivery.update(sent=delivery["sent"] + sent["sent"], failed=delivery["failed"] + sent["failed"],
                        already_sent=0 if stale else sum(1 for r in rows if not r["is_new"]))
        # Failures whose alert is no longer current are not retried by this listing: say so, never drop them silently.
        delivery["failed_pending"] = len(_failed_todo(store, url, platform))
    else:
        for r in rows:
            if r["is_new"]:
                _record(store, r, CONSOLE, CONSOLE, "shown", 0, None)
    for r in rows:
        r.pop("message_zh"), r.pop("message_en"), r.pop("episode")
    parts = urllib.parse.urlsplit(url) if url else None  # the query holds the robot's key: not echoed
    shown = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts else CONSOLE
    pending = _pending_warning(delivery["failed_pending"] if delivery else 0, lang)
    warning = " ".join(w for w in (_stale_warning(stale, lang), pending, _coverage(store, config, lang)) if w) or None
    return {"alerts": rows, "target": shown, "platform": platform if url else None, "delivery": delivery,
            "warning": warning}


def _back_dated(store) -> tuple | None:
    """(as_of of the alerts in the store, latest as_of the radar ran at) when the alerts come from an earlier date than
    a later run and from before the last day of the data: a report of the past. A run at the data's end is current
    even after a mistaken run at a later date."""
    if not (store.table_exists("risk_scores") and store.table_exists("risk_score_log")):
        return None
    shown, latest = store.fetch_all("SELECT (SELECT max(as_of) FROM risk_scores), (SELECT max(as_of) FROM risk_score_log)")[0]
    if shown is None or latest is None or shown >= latest:
        return None
    data_end = store.fetch_value("SELECT max(created_at) FROM content") if store.table_exists("content") else None
    return None if data_end is not None and shown >= data_end - timedelta(days=1) else (shown, latest)


def _pending_warning(n: int, lang: str) -> str | None:
    if not n:
        return None
    if lang == "en":
        return f"{n} failed deliveries are still unsent (their alerts may no longer be current): `reef alerts --redeliver` sends them."
    return f"有{n}条提醒发送失败且尚未补发（可能已不在当前提醒中）：运行 reef alerts --redeliver 补发。"


def _stale_warning(stale: tuple | None, lang: str) -> str | None:
    if stale is None:
        return None
    shown, latest = (f"{t:%Y-%m-%d %H:%M}" for t in stale)
    if lang == "en":
        return (f"These alerts come from a back-dated run (as of {shown}); the radar last ran as of {latest}. Nothing was "
                "sent or marked as shown: run `reef risks` at the current date, then `reef alerts`.")
    return f"这些提醒来自回溯运行（截至{shown}），雷达最近一次运行截至{latest}。未发送、未标记为已读：请先按当前日期运行 reef risks，再运行 reef alerts。"


def _coverage(store, config, lang: str) -> str | None:
    """The coverage warning for the as_of the alerts were raised at (without alerts: the radar's last run): past the
    end of the data, quiet days read as a collapse and raise alerts about nothing; before it, none can be raised."""
    from reef.store.coverage import analysis_as_of, coverage_warning

    as_of = store.fetch_value("SELECT max(as_of) FROM risk_alerts") if store.table_exists("risk_alerts") else None
    as_of = as_of if as_of is not None else analysis_as_of(store, "risks")
    return coverage_warning(store, as_of, config, lang) if as_of is not None else None


def delivery_failure(result: dict) -> DeliveryError | None:
    """The error to raise when ``run_alerts`` tried to deliver and nothing reached the robot, else None."""
    d = result.get("delivery") or {}
    if not d.get("failed") or d.get("sent"):
        return None
    return DeliveryError(f"Every webhook delivery failed ({d['failed']} alert(s) to {result['target']}); "
                         "the reasons are in the table risk_webhook_log.",
                         hint="Check the URL and the robot's security settings, then run `reef alerts --redeliver` "
                              "(failed alerts are also retried by the next run).")
