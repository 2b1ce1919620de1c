"""A test message to a group robot: is the robot's address, format and signing right, before any alert needs it.

:func:`send_test` posts one clearly-marked test message (Chinese, or English with ``lang="en"``) in the platform's
format to the configured robot (``risks.webhook_url`` / ``risks.webhook_platform``) or the given one, signed like the
alerts (``risks.webhook_secret``), and reports whether it reached the robot and, if not, why (the failure's kind and
reason in the reader's words). It is tried once (a test reports what one post does; no retries), paced with the
URL's other posts when a ``pacer`` is shared, and logged in ``risk_webhook_log`` like every delivery (``alert_key``
:data:`TEST_KEY`); it never touches the alerts' delivery state. ``reef alerts --test``, ``Community.test_webhook``,
``POST /api/v1/webhook/test`` and the 风险雷达 page's 发送测试消息 button all call it.

Example:
    >>> format_test("wecom", "zh", "2026-05-01 09:30 (Asia/Shanghai)", "/risks")["markdown"]["content"].splitlines()[1:]
    ['这是一条来自 Reef 的测试消息：Reef 的风险提醒可以发送到本群。无需任何操作。', '发送时间：2026-05-01 09:30 (Asia/Shanghai)']
    >>> format_test("feishu", "en", "2026-05-01 09:30", "")["content"]["text"].splitlines()[0]
    'Reef test message (no action needed)'
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any, Callable

from reef.errors import InvalidParameterError, with_cli_hint
from reef.risks.delivery_state import failure_kind, failure_label, failure_reason
from reef.risks.robots import _wrap, signed

__all__ = ["TEST_KEY", "format_test", "send_test"]

TEST_KEY = "reef_test_message"  # the alert_key of a test message in risk_webhook_log
_WORDS = {"zh": ("Reef 测试消息（无需处理）", "这是一条来自 Reef 的测试消息：Reef 的风险提醒可以发送到本群。无需任何操作。",
                 "发送时间：{at}", "风险雷达 {link}", "测试消息"),
          "en": ("Reef test message (no action needed)", "This is a test message from Reef: its risk alerts can reach this "
                 "group. Nothing to do.", "Sent at: {at}", "Risk radar {link}", "Test message")}


def format_test(platform: str, lang: str | None, at: str, link: str) -> dict:
    """The JSON body of a test message for a ``platform`` robot, in ``lang`` (zh or en), naming the time ``at`` (its
    time zone named by the caller) and the dashboard page the alerts will link (``link``; left out unless it is a full
    address: without ``server.public_url`` it is a bare path that leads nowhere in a chat)."""
    title, body, when, where, _ = _WORDS["en" if lang == "en" else "zh"]
    # a bare path (server.public_url not set) goes nowhere in a group chat: only a full address is named
    lines = [body, when.format(at=at)] + ([where.format(link=link)] if link.startswith(("http://", "https://")) else [])
    return _wrap(platform, title, "\n".join(lines), markdown=False)


def send_test(store, config, *, url: str | None = None, platform: str | None = None, lang: str | None = None,
              pacer=None, clock: Callable[[], float] = time.time, robot: str | None = None,
              pacers: dict | None = None) -> dict[str, Any]:
    """Post a test message to the robot (``url`` / ``platform``, default the configured ones); returns ``{"target"
    (without its key), "platform", "sent", "attempts", "kind", "kind_name", "reason", "error", "lang"}``: ``sent``
    False with the failure's kind and reason in ``lang``'s words (``error``: as logged) when it did not reach the robot. Raises :class:`InvalidParameterError` when no robot
    is configured or the URL or platform is invalid (nothing is posted or logged then).

    Without ``url`` / ``platform`` every configured robot (:func:`reef.robot_config.configured_robots`) is tested,
    or only the one named ``robot``, each with its own secret: ``robots`` lists each one's answer (with its ``name``);
    the fields above are the first failed robot's (else the first's), and ``sent`` is True only when every test arrived.
    ``pacers``: the pacing per URL to share (a server's)."""
    from reef.robot_config import pick_robots

    lang = "en" if (lang or config.get("general.language")) == "en" else "zh"
    robots = [] if (url or "").strip() or (platform or "").strip() else pick_robots(config, robot)
    if not robots:
        return _send_one(store, config, url=url, platform=platform, lang=lang, pacer=pacer, clock=clock)
    answers = []
    for r in robots:
        shared = pacers.get(r.url) if pacers is not None else pacer if len(robots) == 1 else None
        answers.append({"name": r.name, "label": r.label(lang), **_send_one(store, config, url=r.url, platform=r.platform, lang=lang,
                                                                          pacer=shared, clock=clock, secret=r.secret)})
    first = next((a for a in answers if not a["sent"]), answers[0])
    return {**first, "sent": all(a["sent"] for a in answers), "robots": answers}


def _send_one(store, config, *, url: str | None, platform: str | None, lang: str, pacer=None,
              clock: Callable[[], float] = time.time, secret: str | None = None) -> dict[str, Any]:
    """One test message to one robot (``secret`` None: ``risks.webhook_secret``)."""
    from reef.risks.deliveries import robot_target, shown_url
    from reef.risks.robot_urls import redact
    from reef.risks.sending import _link, _post

    url, platform = robot_target(config, url, platform)
    if url is None:
        raise with_cli_hint(InvalidParameterError(
            "webhook", None, "a robot URL (risks.webhook_url)",
            hint="Give the robot's address (url=), or set risks.webhook_url and risks.webhook_platform in the configuration file."),
            "Give the robot's address (reef alerts --test --webhook URL), or set risks.webhook_url "
            "and risks.webhook_platform in the configuration file.")
    cfg = config.section("risks")
    zone = _zone(config)
    at = f"{datetime.fromtimestamp(clock(), timezone.utc).astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"  # the zone named
    payload = format_test(platform, lang, at, _link(config))
    if pacer is not None:
        pacer.wait()
    error, post_url = None, None
    try:
        post_url, body = signed(url, payload, platform, str(cfg.get("webhook_secret") or "") if secret is None else secret, clock())
        _post(post_url, body, float(cfg["webhook_timeout_seconds"]))
    except Exception as exc:  # noqa: BLE001 - any failure is the test's answer
        error = redact(f"{type(exc).__name__}: {exc}", url, post_url)[:500]  # never the key
    _log(store, url, platform, error, lang)
    kind = failure_kind(error) if error else None
    return {"target": shown_url(url), "platform": platform, "sent": error is None, "attempts": 1, "kind": kind,
            "kind_name": failure_label(kind, lang) if kind else None, "reason": failure_reason(error, lang) if error else None,
            "error": error, "lang": lang}


def _zone(config):
    from zoneinfo import ZoneInfo

    return ZoneInfo(str(config.get("general.timezone")))


def _log(store, url: str, platform: str, error: str | None, lang: str) -> None:
    """One row in ``risk_webhook_log``, as every delivery writes (the delivery log of the 发送到群 card shows it)."""
    blob = json.dumps({"alert_key": TEST_KEY, "family": "test", "message_zh": _WORDS["zh"][1], "message_en": _WORDS["en"][1],
                       "lang": lang}, ensure_ascii=False)
    store.execute("INSERT INTO risk_webhook_log VALUES ($k, $p, $u, $s, 1, $e, $j, $t)",
                  {"k": TEST_KEY, "p": platform, "u": url, "s": "failed" if error else "sent", "e": error, "j": blob,
                   "t": datetime.now(timezone.utc)})
