"""Deliver risk alerts to WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书) group robots.

Each alert becomes one Markdown/text message in the robot's format; a message is retried
``risks.webhook_retries`` times with exponential backoff (``webhook_backoff_seconds``, doubling).
Every attempt's outcome is written to the table ``risk_webhook_log`` (status ``sent`` or
``failed`` with the error), so a failed alert is never lost: :func:`redeliver` retries the failed ones.

Example:
    >>> format_message({"severity": "high", "family": "backlash", "message": "核心成员情绪转负"}, "wecom")["msgtype"]
    'markdown'
    >>> format_message({"severity": "high", "family": "backlash", "message": "x"}, "feishu")["msg_type"]
    'text'
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Callable

from reef.errors import InvalidParameterError

__all__ = ["PLATFORMS", "format_message", "deliver", "redeliver"]

PLATFORMS = ("wecom", "dingtalk", "feishu")
_SEV = {"high": "🔴 高", "medium": "🟠 中", "low": "🟢 低"}


def _text(alert: dict) -> tuple[str, str]:
    title = f"Reef 风险提醒｜{alert.get('family', '')}｜{_SEV.get(alert.get('severity', ''), alert.get('severity', ''))}"
    body = alert.get("message") or alert.get("message_zh") or ""
    extra = " ".join(f"{k}: {alert[k]}" for k in ("member_id", "content_id") if alert.get(k))
    return title, f"{body}\n{extra}".strip()


def format_message(alert: dict, platform: str) -> dict:
    """The JSON body a group robot of ``platform`` (wecom, dingtalk, feishu) expects for one alert."""
    title, text = _text(alert)
    if platform == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{text}"}}
    if platform == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n{text}"}}
    if platform == "feishu":
        return {"msg_type": "text", "content": {"text": f"{title}\n{text}"}}
    raise InvalidParameterError("platform", platform, "one of " + ", ".join(PLATFORMS))


def _ensure_log(store) -> None:
    store.execute("""CREATE TABLE IF NOT EXISTS risk_webhook_log (alert_key VARCHAR, platform VARCHAR, url VARCHAR, status VARCHAR,
                     attempts INTEGER, error VARCHAR, payload VARCHAR, logged_at TIMESTAMPTZ)""")


def _post(url: str, payload: dict, timeout: float) -> None:
    req = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                 headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the operator configures the URL
        body = resp.read().decode("utf-8", "replace")
    # Robots answer HTTP 200 with an error code in the body (errcode / code) when they refuse a message.
    try:
        data = json.loads(body or "{}")
    except ValueError:
        return
    code = data.get("errcode", data.get("code", 0)) if isinstance(data, dict) else 0
    if code not in (0, None):
        raise RuntimeError(f"robot refused the message: {body[:200]}")


def deliver(store, alerts: list[dict], url: str, platform: str, config=None, *, sleep: Callable[[float], None] = time.sleep) -> dict:
    """Send each alert; returns counts ``{"sent": n, "failed": m}``. Every outcome is logged in ``risk_webhook_log``."""
    from reef.config import load_config

    cfg = (config or load_config()).section("risks")
    if platform not in PLATFORMS:
        raise InvalidParameterError("platform", platform, "one of " + ", ".join(PLATFORMS))
    _ensure_log(store)
    counts = {"sent": 0, "failed": 0}
    for alert in alerts:
        payload, error, attempts = format_message(alert, platform), None, 0
        for attempt in range(int(cfg["webhook_retries"])):
            attempts = attempt + 1
            try:
                _post(url, payload, float(cfg["webhook_timeout_seconds"]))
                error = None
                break
            except (urllib.error.URLError, OSError, RuntimeError) as exc:
                error = f"{type(exc).__name__}: {exc}"
                if attempt + 1 < int(cfg["webhook_retries"]):
                    sleep(float(cfg["webhook_backoff_seconds"]) * 2 ** attempt)
        status = "sent" if error is None else "failed"
        counts[status] += 1
        store.execute("INSERT INTO risk_webhook_log VALUES ($k, $p, $u, $s, $a, $e, $j, $t)",
                      {"k": alert.get("alert_key"), "p": platform, "u": url, "s": status, "a": attempts, "e": error,
                       "j": json.dumps(alert, ensure_ascii=False, default=str), "t": datetime.now(timezone.utc)})
    return counts


def redeliver(store, url: str, platform: str, config=None, *, sleep: Callable[[float], None] = time.sleep) -> dict:
    """Retry every logged alert whose last outcome was ``failed``."""
    _ensure_log(store)
    rows = store.fetch_all("""SELECT payload FROM (SELECT *, row_number() OVER (PARTITION BY alert_key, platform ORDER BY logged_at DESC) AS k
                              FROM risk_webhook_log WHERE platform = $p) WHERE k = 1 AND status = 'failed'""", {"p": platform})
    return deliver(store, [json.loads(r[0]) for r in rows], url, platform, config, sleep=sleep)
