"""Delivery state of risk alerts: what was sent (or shown) to which target, per severity and episode.

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
next run retries them; :func:`reef.risks.webhook.redeliver` re-sends failed ones explicitly (to any URL of the platform).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from reef.errors import InvalidParameterError
from reef.risks.robots import PLATFORMS
from reef.store.migrations import LEGACY_EPISODE

__all__ = ["CONSOLE", "FAILURE_KINDS", "SEVERITY_RANK", "last_failure", "failure_kind", "failure_label", "failure_reason",
           "check_platform", "record_delivery", "episode_text", "delivered_ranks", "done_rank", "failed_todo"]

CONSOLE = "console"
SEVERITY_RANK = {"medium": 1, "high": 2}
_DONE = ("sent", "shown")
_KEEP = ("alert_key", "family", "part", "severity", "score", "subject", "member_id", "content_id", "message_zh", "message_en", "as_of",
         "episode", "escalated_from")
_LEGACY = datetime.fromisoformat(LEGACY_EPISODE)  # a delivery recorded before episodes: counts for every episode


def check_platform(platform: str) -> str:
    """``platform`` if it is a robot format Reef posts in (:data:`reef.risks.robots.PLATFORMS`), else
    :class:`InvalidParameterError` naming them."""
    if platform not in PLATFORMS:
        raise InvalidParameterError("platform", platform, "one of " + ", ".join(PLATFORMS))
    return platform


def record_delivery(store, alert: dict, target: str, platform: str, status: str, attempts: int, error: str | None) -> None:
    """Record one delivery of ``alert`` to ``target``: a row of ``risk_webhook_log`` (not for the console) and the
    alert's state per target, platform and episode in ``risk_alert_delivery`` (a sent or shown one stays so)."""
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


def episode_text(episode) -> str | None:
    """An episode as kept in a delivery's alert JSON (``default=str``)."""
    return None if episode is None else str(episode)


def _episode_of(alert: dict) -> datetime | None:
    """The episode an alert (a current row, or one read back from a delivery's JSON) belongs to, None if unknown."""
    ep = alert.get("episode")
    return datetime.fromisoformat(ep) if isinstance(ep, str) else ep


def delivered_ranks(store, target: str, platform: str | None = None) -> dict[str, list[tuple[int, datetime | None]]]:
    """{alert_key: [(severity rank, as_of of the alert sent), ...] sent/shown to ``target`` (in ``platform``'s format
    when given)}. A delivery whose alert kept no as_of (written before releases stored it) has None: it counts for every
    episode."""
    rows = store.fetch_all("""SELECT alert_key, severity, episode, TRY_CAST(json_extract_string(alert, '$.as_of') AS TIMESTAMPTZ)
                              FROM risk_alert_delivery WHERE target = $t AND status IN ('sent', 'shown')
                              AND ($p IS NULL OR platform = $p)""", {"t": target, "p": platform})
    out: dict[str, list[tuple[int, datetime | None]]] = {}
    for key, sev, ep, sent_as_of in rows:
        out.setdefault(key, []).append((SEVERITY_RANK.get(sev, 0), sent_as_of if sent_as_of is not None else None if ep == _LEGACY else ep))
    return out


def done_rank(done: dict, key: str, episode: datetime | None) -> int:
    """The highest severity rank of ``key`` delivered in ``episode`` (an alert of it as of the episode's start or
    later); any delivery counts when the episode is unknown."""
    return max((rank for rank, at in done.get(key, ()) if episode is None or at is None or at >= episode), default=0)


def failed_todo(store, url: str, platform: str, robot=None) -> dict[tuple, dict]:
    """{(alert_key, severity, episode): alert} of the failed deliveries ``redeliver`` would send to ``url``: per key and episode
    only the most severe one (a failed medium that a failed high followed is not posted beside it). With a configured
    ``robot`` (:class:`reef.robot_config.Robot`) only its own failures that pass its filter: another robot's
    failure is that robot's to retry, never posted to a group that did not ask for it."""
    done = delivered_ranks(store, url, platform)
    best: dict[tuple, tuple[int, str, dict]] = {}
    for key, sev, blob in store.fetch_all("""SELECT alert_key, severity, alert FROM risk_alert_delivery
                                             WHERE status = 'failed' AND platform = $p AND ($u IS NULL OR target = $u)
                                             ORDER BY last_tried_at""",
                                          {"p": check_platform(platform), "u": url if robot is not None else None}):
        alert = json.loads(blob)
        if robot is not None and not robot.matches(alert):
            continue
        ep = alert.get("episode")
        rank = SEVERITY_RANK.get(sev, 0)
        if rank > done_rank(done, key, _episode_of(alert)) and rank > best.get((key, ep), (0,))[0]:
            best[(key, ep)] = (rank, sev, alert)
    return {(key, sev, ep): alert for (key, ep), (_, sev, alert) in best.items()}


def last_failure(store, url: str, platform: str, zone: str = "UTC", own: bool = False) -> dict | None:
    """The latest failed delivery in ``platform``'s format (one to ``url`` first, else one to another URL, as
    :func:`failed_todo` re-sends those too; ``own``: to ``url`` only, a configured robot's own failures):
    ``{"at": ISO time in ``zone``, "reason": the error as logged (HTTP
    status, timeout, the robot's errcode/errmsg ...), "kind": its code (:func:`failure_kind`)}``, None when none failed.
    The reason never shows the URL's query, where WeCom and DingTalk keep the robot's key."""
    from reef.store.asof import local_iso

    if not store.table_exists("risk_webhook_log"):
        return None
    rows = store.fetch_all("""SELECT logged_at, url, error FROM risk_webhook_log WHERE status = 'failed' AND platform = $p
                              AND alert_key IS DISTINCT FROM 'reef_test_message'  -- a test message is no alert's delivery
                              AND (NOT $own OR url = $u)
                              ORDER BY url = $u DESC, logged_at DESC LIMIT 1""", {"p": platform, "u": url, "own": own})
    if not rows:
        return None
    at, full, reason = rows[0]
    reason = reason or ""
    if full:
        from reef.risks.robot_urls import redact

        reason = redact(reason, full)  # also a reason logged before deliver redacted its own
    return {"at": local_iso(at, zone), "reason": reason, "kind": failure_kind(reason)}


# Kinds of a logged failure, by what :func:`reef.risks.sending.deliver` writes ("<exception class>: <message>").
_KINDS = (("refused", ("robot refused the message",)), ("not_robot", ("not a robot's JSON",)),
          ("timeout", ("TimeoutError", "timed out", "socket.timeout")), ("http", ("HTTPError",)),
          ("connection", ("URLError", "ConnectionError", "ConnectionRefused", "ConnectionReset", "RemoteDisconnected",
                          "BadStatusLine", "gaierror", "SSLError")))


# Each kind in the operator's words (Chinese, English): reef alerts' line, the error of a run whose every delivery
# failed and the dashboard's delivery log put it before the reason as logged (which stays as the exception said it).
FAILURE_KINDS: dict[str, tuple[str, str]] = {
    "refused": ("机器人拒收", "the robot refused it"),
    "not_robot": ("应答不是机器人的（代理或网址错误？）", "the answer was no robot's (a proxy or a wrong URL?)"),
    "timeout": ("超时", "timed out"), "http": ("HTTP 错误", "HTTP error"),
    "connection": ("无法连接", "could not connect"), "other": ("其他错误", "other error"),
}


def failure_label(kind: str, lang: str = "zh") -> str:
    """A failure kind in ``lang``'s words.

    >>> failure_label("http"), failure_label("timeout", "en")
    ('HTTP 错误', 'timed out')
    """
    pair = FAILURE_KINDS.get(kind, FAILURE_KINDS["other"])
    return pair[1] if lang == "en" else pair[0]


def failure_kind(reason: str | None) -> str:
    """The kind of a delivery failure's reason: refused (the robot's errcode), not_robot (an answer that is no robot's
    JSON), timeout, http (an HTTP error status), connection, or other.

    >>> failure_kind("HTTPError: HTTP Error 500: Internal Server Error"), failure_kind("URLError: <urlopen error timed out>")
    ('http', 'timeout')
    >>> failure_kind('RuntimeError: robot refused the message: {"errcode":93000,"errmsg":"invalid webhook url"}')
    'refused'
    """
    text = reason or ""
    return next((kind for kind, marks in _KINDS if any(m in text for m in marks)), "other")


def failure_reason(reason: str | None, lang: str = "zh") -> str:
    """A logged failure's reason in the reader's words, after its kind (:func:`failure_label`): the robot's errcode and
    errmsg, the HTTP status, the connection's own message; never the Python exception class ("" for a timeout: the
    kind says it all). The log keeps the reason as the exception said it.

    >>> failure_reason("HTTPError: HTTP Error 500: Internal Server Error")
    '状态码 500（Internal Server Error）'
    >>> failure_reason('RuntimeError: robot refused the message: {"errcode":93000,"errmsg":"invalid webhook url"}', "en")
    'errcode 93000 (invalid webhook url)'
    >>> failure_reason("URLError: <urlopen error [Errno 111] Connection refused>")
    '[Errno 111] Connection refused'
    """
    import json
    import re

    text, en = (reason or "").strip(), lang == "en"
    kind = failure_kind(text)
    text = re.sub(r"^not tried: [^;]*; ", "", text)  # a message not posted after the robot failed (sending.NOT_TRIED)
    text = re.sub(r"^(?:[A-Za-z_][\w.]*: )+", "", text)  # the exception class (and a wrapped one's)
    if kind == "timeout":
        return ""
    if kind == "refused":
        body = text.split("robot refused the message:", 1)[-1].strip()
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if isinstance(answer, dict):
            code = answer.get("errcode", answer.get("code", answer.get("StatusCode")))
            msg = answer.get("errmsg", answer.get("msg", answer.get("StatusMessage")))
            return f"errcode {code} ({msg})" if en else f"错误码 {code}（{msg}）"
        return (f"the robot's answer: {body}" if en else f"机器人的应答：{body}") if body else ""
    if kind == "http":
        m = re.search(r"HTTP Error (\d+):?\s*(.*)", text)
        if m:
            return (f"status {m.group(1)} ({m.group(2)})" if en else f"状态码 {m.group(1)}（{m.group(2)}）") if m.group(2) else \
                (f"status {m.group(1)}" if en else f"状态码 {m.group(1)}")
    if kind == "not_robot":
        body = text.split("?):", 1)[-1].strip() if "?):" in text else text
        return f"the answer: {body}" if en else f"应答内容：{body}"
    m = re.fullmatch(r"<urlopen error (.*)>", text)
    return m.group(1) if m else text
