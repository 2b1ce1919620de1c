"""Sending risk alerts from the dashboard, and the delivery log it shows (the 风险雷达 page's 发送到群 card).

:func:`send_alerts` is what the page's background job runs: the new alerts (``reef alerts --new --webhook``) or the
failed deliveries again (``reef alerts --redeliver``), to the configured robot (``risks.webhook_url``,
``risks.webhook_platform``) unless the caller names another. It returns counts and the last failure's reason only: a
job's result is readable by every role, so it carries no member text and never the robot's key (WeCom and DingTalk
keep it in the URL's query).
:func:`webhook_status` is what the card shows: the configured target without its key, the failed deliveries waiting
for 重发失败, and the latest rows of ``risk_webhook_log``.

Example:
    >>> from reef.store import open_store
    >>> webhook_status(open_store(":memory:"))["configured"]
    False
    >>> shown_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET")
    'https://qyapi.weixin.qq.com/cgi-bin/webhook/send'
"""
from __future__ import annotations

import json
from typing import Any

from reef.errors import InvalidParameterError
from reef.risks.robots import PLATFORMS, check_url
from reef.risks.delivery_state import failed_todo, failure_kind, failure_label, failure_reason, last_failure
from reef.risks.robot_check import TEST_KEY
from reef.risks.sending import Pacer
from reef.risks.robot_urls import shown_url  # a robot URL without its key, as pages, jobs and logs show it: public here too
from reef.risks.webhook import delivery_failure, redeliver, run_alerts

__all__ = ["NOT_CONFIGURED_HINT", "robot_target", "robot_filter", "robot_status", "shown_url", "send_alerts", "webhook_status"]

_TEST_LABEL = ("测试消息", "Test message")
NOT_CONFIGURED_HINT = ("Set risks.webhook_url (the robot's webhook address) and risks.webhook_platform (wecom, dingtalk "
                       "or feishu), or add [[risks.robots]] tables (several robots, each with a filter), in the "
                       "configuration file, then restart reef serve.")


def robot_target(config, url: str | None = None, platform: str | None = None) -> tuple[str | None, str]:
    """``(url, platform)``: the given ones, else ``risks.webhook_url`` / ``risks.webhook_platform``; the URL is None when
    none is configured. A URL that is not http(s) with a host, or an unknown platform, is refused."""
    cfg = config.section("risks")
    url = (url or "").strip() or str(cfg.get("webhook_url") or "").strip() or None
    platform = (platform or "").strip() or str(cfg.get("webhook_platform") or "wecom")
    if platform not in PLATFORMS:
        raise InvalidParameterError("platform", platform, "one of " + ", ".join(PLATFORMS))
    if url is not None:
        check_url(url)
    return url, platform


def send_alerts(store, config, *, url: str | None = None, platform: str | None = None, resend_failed: bool = False,
                lang: str | None = None, pacer: Pacer | None = None, robot: str | None = None,
                pacers: dict | None = None) -> dict[str, Any]:
    """Send the alerts new for the robot (``resend_failed``: re-send the failed deliveries instead, as
    :func:`reef.risks.webhook.redeliver`); returns ``{"target", "platform", "delivery", "warning"}`` (counts and the last
    failure's reason, the URL without its key). Without ``url`` / ``platform``: to every configured robot through its
    filter, or only the one named ``robot`` (:func:`reef.risks.robot_fanout.send_to_robots`, with ``robots``: each
    robot's own counts; ``pacers``: the pacing per URL to share). Raises :class:`reef.risks.webhook.DeliveryError` when
    nothing reached any robot, and :class:`InvalidParameterError` when no robot is configured."""
    lang = "en" if (lang or config.get("general.language")) == "en" else "zh"
    if not (url or "").strip() and not (platform or "").strip():
        from reef.robot_config import pick_robots
        from reef.risks.robot_fanout import send_to_robots

        robots = pick_robots(config, robot)
        if not robots:
            raise InvalidParameterError("webhook", None, "a robot URL (risks.webhook_url)", hint=NOT_CONFIGURED_HINT)
        result = send_to_robots(store, config, robots, resend_failed=resend_failed, lang=lang,
                                pacers=pacers if pacers is not None else {robots[0].url: pacer} if pacer else None)
        error = delivery_failure(result, lang)
        if error is not None:
            raise error
        return result
    url, platform = robot_target(config, url, platform)
    if url is None:
        raise InvalidParameterError("webhook", None, "a robot URL (risks.webhook_url)", hint=NOT_CONFIGURED_HINT)
    if resend_failed:
        counts = redeliver(store, url, platform, config, lang=lang, pacer=pacer)
        failed = last_failure(store, url, platform, str(config.get("general.timezone"))) if counts["failed"] else None
        result = {"target": shown_url(url), "platform": platform,
                  "delivery": {**counts, "resent": counts["sent"], "last_failure": failed}, "warning": None}
    else:
        full = run_alerts(store, config, lang=lang, only_new=True, url=url, platform=platform, pacer=pacer)
        result = {"target": full["target"], "platform": full["platform"], "delivery": full["delivery"],
                  "warning": full["warning"]}
    error = delivery_failure(result, lang)
    if error is not None:
        raise error
    return result


def webhook_status(store, config=None, *, lang: str = "zh", limit: int = 20, masked: bool = True) -> dict[str, Any]:
    """The configured robot (``configured``, ``target`` without its key, ``platform``, ``per_minute``, ``problem``:
    why the configured URL cannot be used), ``failed_pending`` (what 重发失败 would re-send to it) and ``log``: the
    latest ``limit`` rows of ``risk_webhook_log``, newest first, each with the alert's family, severity, subject and
    message in ``lang`` (masked when ``masked``), and a failed row's ``kind`` (:func:`failure_kind`) and ``kind_name``
    (that kind in ``lang``'s words; both None for a sent row)."""
    from reef.actions.privacy import mask_rows
    from reef.risks.surfaces import FAMILY_NAMES, alert_subject, display_name

    from reef.robot_config import configured_robots

    config = config or store.config
    en = lang == "en"
    problem, url, platform = None, None, str(config.get("risks.webhook_platform") or "wecom")
    try:
        url, platform = robot_target(config)
    except InvalidParameterError as exc:
        problem = str(exc)
    robots = configured_robots(config) if problem is None else []
    if url is None and robots:  # only [[risks.robots]]: the card's target line names the first
        url, platform = robots[0].url, robots[0].platform
    out: dict[str, Any] = {"configured": url is not None, "target": shown_url(url), "platform": platform,
                           "per_minute": int(config.get("risks.webhook_per_minute")), "problem": problem,
                           "failed_pending": 0, "robots": [robot_status(store, config, r, lang, own=len(robots) > 1 or bool(r.name))
                                                  for r in robots], "log": []}
    out["failed_pending"] = sum(r["failed_pending"] for r in out["robots"])
    if not store.table_exists("risk_webhook_log"):
        return out
    names = {(r.url, r.platform): r.label(lang) for r in robots}
    rows = store.fetch_dicts("""SELECT logged_at, platform, url, status, attempts, error, payload FROM risk_webhook_log
                                ORDER BY logged_at DESC LIMIT $n""", {"n": int(limit)})
    for r in rows:
        alert = json.loads(r.pop("payload") or "{}")
        r["robot"] = names.get((r["url"], r["platform"]))  # which configured robot (None: another URL)
        full, r["url"] = r["url"], shown_url(r["url"])
        if r["error"] and full:  # an error that quotes the URL must not show the key either
            r["error"] = r["error"].replace(full, r["url"])
        # A failure's kind in the reader's words before the reason as logged (HTTPError: HTTP Error 500 ...).
        r["kind"] = failure_kind(r["error"]) if r["status"] == "failed" else None
        r["kind_name"] = failure_label(r["kind"], lang) if r["kind"] else None
        # ... and the reason itself in the reader's words (the robot's errcode/errmsg, the HTTP status), never the
        # exception class; `error` keeps it as logged.
        r["reason"] = failure_reason(r["error"], lang) if r["kind"] else r["error"]
        r.update(family=display_name(FAMILY_NAMES, alert.get("family") or "", en), severity=alert.get("severity"),
                 member_id=alert.get("member_id"), content_id=alert.get("content_id"), subject=alert_subject(alert, en),
                 message=alert.get("message_en" if en else "message_zh"))
        if alert.get("alert_key") == TEST_KEY:  # a test message (reef alerts --test): no family, no subject
            r.update(family=_TEST_LABEL[en], subject=None)
    out["log"] = mask_rows(rows, ("subject", "message")) if masked else rows
    return out


def robot_status(store, config, robot, lang: str = "zh", own: bool = True) -> dict[str, Any]:
    """One configured robot as the 发送到群 card lists it: its name, target (no key), format and filter, the failed
    deliveries 重发失败 would re-send to it, its last failure and when it last received an alert (``last_sent``).
    ``own`` False: the unnamed robot alone, whose 重发失败 re-sends the platform's failures to any URL."""
    from reef.store.asof import local_iso

    zone = str(config.get("general.timezone"))
    out = {**robot.view(), "label": robot.label(lang), "filter": robot_filter(robot, lang), "failed_pending": 0,
           "last_failure": None, "last_sent": None}
    if store.table_exists("risk_alert_delivery"):
        out["failed_pending"] = len(failed_todo(store, robot.url, robot.platform, robot if own else None))
        sent = store.fetch_value("""SELECT max(sent_at) FROM risk_alert_delivery WHERE target = $u AND platform = $p
                                    AND status = 'sent'""", {"u": robot.url, "p": robot.platform})
        out["last_sent"] = local_iso(sent, zone) if sent is not None else None
    failed = last_failure(store, robot.url, robot.platform, zone, own=own)
    if failed is not None:
        out["last_failure"] = {**failed, "kind_name": failure_label(failed["kind"], lang),
                               "reason": failure_reason(failed["reason"], lang)}
    return out


def robot_filter(robot, lang: str = "zh") -> str:
    """A robot's filter in the reader's words.

    >>> from reef.robot_config import Robot
    >>> robot_filter(Robot("pr", "https://r.example/x", min_severity="high", families=("backlash", "crisis")))
    '仅高 · 反噬、危机室'
    """
    from reef.risks.robots import family_name

    en = lang == "en"
    sev = ("high only" if en else "仅高") if robot.min_severity == "high" else ("medium and high" if en else "中、高")
    fams = [("crisis room" if en else "危机室") if f == "crisis" else family_name(f, lang) for f in robot.families]
    return f"{sev} · {(', ' if en else '、').join(fams) if fams else ('every family' if en else '全部风险族')}"
