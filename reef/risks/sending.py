"""Send risk alerts to a group robot: one message each or digests, paced per URL, retried, every outcome logged.

A message is tried once and then ``risks.webhook_retries`` more times with exponential backoff
(``webhook_backoff_seconds``, doubling). Posts to one URL are paced (:class:`Pacer`): at most ``webhook_per_minute``
in any 60 seconds, every attempt counted (the robots take about 20 a minute and throttle a robot that sends more), the
run sleeping until it may post again; ``sleep`` and ``clock`` are injectable, so tests never wait. Any exception of one
message (refused connection, bad status line, HTTP error, robot error code) fails that message only; each outcome is
written to ``risk_webhook_log`` with its reason. More than ``webhook_digest_over`` alerts go out as digest messages
(:func:`reef.risks.robots.format_digests`), fewer as one message each. A robot out of reach or throttling stops the
run's posts to its URL (:func:`_robot_down`); the messages not posted are logged failed, "not tried", and stay new. Messages name the member by id and display name
(from ``members``, masked like every output), say which day's data they describe (:func:`data_day`, the store's
zone named) and link the dashboard only under ``server.public_url`` (:func:`public_url_note` says so once otherwise).
"""
from __future__ import annotations

import json
import time
import urllib.request
from collections import deque
from typing import Callable

from reef.actions.views import member_names
from reef.risks.delivery_state import check_platform, record_delivery
from reef.risks.robot_urls import redact
from reef.risks.robots import check_url, format_digests, format_message, signed

__all__ = ["Pacer", "deliver", "data_day", "public_url_note", "PUBLIC_URL_NOTE", "NOT_TRIED"]


def _config(config):
    from reef.config import load_config

    return (config or load_config()).section("risks")


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
            sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time, pacer: Pacer | None = None,
            secret: str | None = None) -> dict:
    """Send ``alerts`` (as given: no dedup here) to the robot at ``url``; returns ``{"sent": n, "failed": m}`` in alerts.
    ``secret``: the robot's signing secret (None: ``risks.webhook_secret``).

    ``digest`` None: digest messages when there are more than ``risks.webhook_digest_over`` alerts. ``pacer``: the
    pacing of ``url`` to share with other calls of the same run (default: a new one, ``risks.webhook_per_minute``).
    """
    cfg = _config(config)
    check_url(url)
    check_platform(platform)
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
    day = data_day(alerts, config)
    messages = (format_digests(shown, platform, lang, data_day=day) if digest else
                [(format_message(a, platform, lang, data_day=day), [i]) for i, a in enumerate(shown)])
    retries, secret = max(0, int(cfg["webhook_retries"])), str(cfg.get("webhook_secret") or "") if secret is None else secret
    pacer = pacer or Pacer(int(cfg["webhook_per_minute"]), sleep, clock)
    stopped = None  # why the robot is given up on for this run (it is down, too slow or throttling)
    for payload, idx in messages:
        error, attempts = None, 0
        for attempt in range(0 if stopped else retries + 1):  # the first attempt always happens; retries are extra
            attempts = attempt + 1
            pacer.wait()  # every attempt is a post the robot may count
            post_url = None
            try:
                post_url, body = signed(url, payload, platform, secret, clock())
                _post(post_url, body, float(cfg["webhook_timeout_seconds"]))
                error = None
                break
            except Exception as exc:  # noqa: BLE001 - any failure of one message is that message's failure
                error = redact(f"{type(exc).__name__}: {exc}", url, post_url)[:500]  # never the robot's key
                if _throttled(error):  # a retry within seconds only prolongs the robot's throttle
                    break
                if attempt < retries:
                    sleep(float(cfg["webhook_backoff_seconds"]) * 2 ** attempt)
        if stopped:
            error = stopped
        elif error is not None and _robot_down(error):
            stopped = f"{NOT_TRIED}{error}"[:500]
        status = "sent" if error is None else "failed"
        for i in idx:
            counts[status] += 1
            record_delivery(store, alerts[i], url, platform, status, attempts, error)
    return counts


# Robot answers that say the robot throttles this sender (WeCom 45009, DingTalk 130101, Feishu 9499 and 11232, HTTP 429).
_THROTTLE_CODES = {45009, 130101, 9499, 11232}
NOT_TRIED = "not tried: the robot failed earlier in this run; "


def _throttled(error: str) -> bool:
    """True when a logged failure says the robot throttles us: retrying within seconds only prolongs it."""
    import re

    if "HTTP Error 429" in error:
        return True
    m = re.search(r'"(?:errcode|code|StatusCode)"\s*:\s*(-?\d+)', error)
    return bool(m) and int(m.group(1)) in _THROTTLE_CODES


def _robot_down(error: str) -> bool:
    """True when a message's failure means the next messages to the same URL would fail alike (no connection, a
    timeout, throttling): the run stops posting there, and those messages stay failed and new for the next run."""
    from reef.risks.delivery_state import failure_kind

    return _throttled(error) or failure_kind(error) in ("timeout", "connection")


def _link(config, path: str = "/risks") -> str:
    """Where the messages send the reader: ``path`` (the 风险雷达 page unless the alert names its own), as a full
    address under ``server.public_url`` when it is set (the dashboard's address as operators reach it), else as the
    path alone (no address is guessed)."""
    from reef.config import load_config

    base = str((config or load_config()).get("server.public_url") or "").strip().rstrip("/")
    return f"{base}{path}" if base.startswith(("http://", "https://")) and path.startswith("/") else path


def data_day(alerts: list[dict], config=None) -> str | None:
    """The day of the data ``alerts`` describe (their newest ``as_of``) in the store's zone, the zone named:
    ``2026-06-29 (Asia/Shanghai)``; None when no alert carries one.

    >>> from datetime import datetime, timezone
    >>> data_day([{"as_of": datetime(2026, 6, 29, 15, 59, 58, tzinfo=timezone.utc)}, {}])
    '2026-06-29 (Asia/Shanghai)'
    """
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from reef.config import load_config

    moments = []
    for a in alerts:
        value = a.get("as_of")
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                continue
        if isinstance(value, datetime):
            moments.append(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    if not moments:
        return None
    zone = str((config or load_config()).get("general.timezone"))
    return f"{max(moments).astimezone(ZoneInfo(zone)):%Y-%m-%d} ({zone})"


def public_url_note(config, lang: str = "zh") -> str | None:
    """Said once where robots are sent to or checked, when ``server.public_url`` is not set: the messages then name
    the dashboard's page in words, with no address to click. None when it is set."""
    if _link(config).startswith(("http://", "https://")):
        return None
    return PUBLIC_URL_NOTE["en" if lang == "en" else "zh"]


PUBLIC_URL_NOTE = {
    "en": ("Links: server.public_url is not set, so robot messages name the dashboard page (Risk radar, Crisis room) "
           "without a clickable address; set server.public_url to the dashboard's address as the team reaches it."),
    "zh": ("链接：未设置 server.public_url，群消息只写出仪表盘页面的名称（风险雷达、危机室），没有可点击的地址；"
           "请把 server.public_url 设为团队访问仪表盘的地址。")}
