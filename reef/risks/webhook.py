"""Deliver risk alerts to WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书) group robots, at most once each.

:func:`run_alerts` (what ``reef alerts`` does) lists the current alerts, the radar's and the crisis room's, each new
or not for its target by the delivery state (:mod:`reef.risks.delivery_state`), and sends the new ones
(:func:`reef.risks.sending.deliver`: message formats, pacing, retries); :func:`redeliver` re-sends failed deliveries.
Alerts of a back-dated run are listed with a warning and never delivered.

Example:
    >>> from reef.store import open_store
    >>> from reef.config import load_config
    >>> run_alerts(open_store(":memory:"), load_config())["alerts"]
    []
"""
from __future__ import annotations

import time
from typing import Callable

from reef.errors import InvalidParameterError, ReefError, StoreError
from reef.i18n import plural
from reef.risks.alert_log import current_episodes
from reef.risks.delivery_state import (CONSOLE, SEVERITY_RANK, check_platform, delivered_ranks, done_rank, episode_text,
                                      failed_todo, failure_kind, failure_label, failure_reason, last_failure, record_delivery)
from reef.risks.freshness import back_dated_run
from reef.risks.robot_urls import shown_url
from reef.risks.robots import check_url
from reef.risks.sending import Pacer, deliver
from reef.store.asof import local_iso

__all__ = ["DeliveryError", "redeliver", "run_alerts", "delivery_failure"]


class DeliveryError(ReefError):
    """Every webhook delivery of a run failed (nothing reached the robot)."""

    code = "delivery_failed"


def redeliver(store, url: str, platform: str, config=None, *, lang: str | None = "zh", digest: bool | None = None,
              sleep: Callable[[float], None] = time.sleep, pacer: Pacer | None = None, robot=None) -> dict:
    """Re-send every failed delivery of ``platform`` (to any URL) not yet sent to ``url`` at that severity or higher.
    ``pacer``: as in :func:`deliver` (a server shares one per URL across its sends). ``robot``: a configured robot
    (:class:`reef.robot_config.Robot`; its URL, format and secret): only its own failures that pass its filter."""
    if robot is not None:
        url, platform = robot.url, robot.platform
    check_url(url)
    return deliver(store, list(failed_todo(store, url, platform, robot).values()), url, platform, config, lang=lang,
                   digest=digest, sleep=sleep, pacer=pacer, secret=robot.secret if robot is not None else None)


def _crisis_current(store, lang: str, min_severity: str, as_of) -> list[dict]:
    """The crisis room's alarmed aspects in the alerts' shape (:mod:`reef.kb.crisis_alerts`): listed, sent and
    deduplicated with the radar's alerts (one per aspect and wave), never scored by the radar; only when the breakwater
    last ran at the radar's ``as_of`` (None: the radar never ran)."""
    try:
        from reef.kb.crisis_alerts import crisis_alerts
    except ImportError:  # a build without the knowledge reef
        return []
    return crisis_alerts(store, lang, min_severity=min_severity, as_of=as_of)


def _crisis_behind_warning(store, as_of, config, lang: str) -> str | None:
    """Why no crisis alert is listed: the breakwater last ran at another moment than the radar's ``as_of``."""
    try:
        from reef.kb.crisis_alerts import crisis_behind
    except ImportError:
        return None
    held = crisis_behind(store, as_of)
    if held is None:
        return None
    zone = config.get("general.timezone")
    held, radar = (local_iso(t, zone)[:16].replace("T", " ") for t in (held, as_of))
    if lang == "en":
        return (f"Crisis-room alerts left out: the breakwater last ran as of {held}, the radar's alerts are as of {radar}. "
                "`reef alerts` brings both to one moment.")
    return f"未列出危机室的负面声浪提醒：防波堤最近一次运行截至{held}，雷达提醒截至{radar}，不是同一时刻。运行 reef alerts 会把两者更新到同一时刻。"


def _current(store, lang: str, min_severity: str, dedupe_days: int, as_of=None) -> list[dict]:
    if not store.table_exists("risk_alerts"):
        return _crisis_current(store, lang, min_severity, as_of)
    episodes = current_episodes(store, dedupe_days)
    sev = ["high"] if min_severity == "high" else ["high", "medium"]
    rows = store.fetch_dicts("""SELECT alert_key, family, part, severity, score, subject, member_id, content_id, message_zh, message_en,
                                       first_seen, as_of FROM risk_alerts WHERE list_contains($sev, severity)
                                ORDER BY severity = 'high' DESC, score DESC, alert_key""", {"sev": sev})
    for r in rows:
        r["message"] = r["message_en" if lang == "en" else "message_zh"]
        r["episode"] = episodes.get(r["alert_key"])
    # A wave first within its severity (the room's order), then the radar's alerts in theirs.
    return sorted(_crisis_current(store, lang, min_severity, as_of) + rows, key=lambda r: r["severity"] != "high")


def run_alerts(store, config, *, lang: str | None = None, only_new: bool = False, min_severity: str = "medium", top: int = 50,
               url: str | None = None, platform: str | None = None, digest: bool | None = None, resend_failed: bool = False,
               send: bool = True, sleep: Callable[[float], None] = time.sleep, pacer: Pacer | None = None, robot=None) -> dict:
    """What ``reef alerts`` does: list the current alerts, each with ``is_new`` for its target, and deliver the new ones.

    The target is the robot URL (``url`` or ``risks.webhook_url``) or, without one, the console, which records the
    listed alerts as shown. ``only_new`` keeps the alerts not yet sent/shown to the target (key at this severity or
    higher); with a URL only those are sent. ``resend_failed`` first re-sends earlier failures (:func:`redeliver`).
    Returns ``{"as_of", "alerts", "target", "platform", "delivery", "warning"}``: ``as_of`` the alerts were raised at
    (the radar's, as ``reef risks`` shows it; None before it ran); ``delivery`` holds sent/failed/already_sent counts.
    ``pacer``: the URL's pacing (default: a new one for this run, ``risks.webhook_per_minute``). ``send=False``
    never posts (not even to ``risks.webhook_url``): the target is the console, as in a notebook. ``robot``: a
    configured robot (:class:`reef.robot_config.Robot`) instead of ``url`` / ``platform``: only the alerts its
    filter passes are listed and sent, with its secret, and only its own failures are re-sent or reported
    (:func:`reef.risks.robot_fanout.run_robots` calls this once per robot).
    """
    cfg = config.section("risks")
    lang = "en" if (lang or config.get("general.language") or "zh") == "en" else "zh"
    if min_severity not in SEVERITY_RANK:
        raise InvalidParameterError("severity", min_severity, "medium or high")
    if robot is not None:
        url, platform = robot.url, robot.platform
    secret = robot.secret if robot is not None else None
    url = (url or str(cfg.get("webhook_url") or "") or None) if send else None
    platform = check_platform(platform or str(cfg.get("webhook_platform") or "wecom"))
    if url:
        check_url(url)
        if store.read_only:  # every delivery is recorded, so that nothing goes out twice
            raise StoreError(f"Sending alerts records each delivery, and the store {store.path} is open read-only.",
                             hint=f"Send them from a writable handle: `reef alerts --webhook URL --db {store.path}`.",
                             message_zh=f"发送提醒需要记录每次投递，而存储文件 {store.path} 以只读方式打开。",
                             hint_zh=f"请以可写方式发送：reef alerts --webhook URL --db {store.path}。",
                             facts={"store": str(store.path)})
    elif resend_failed:
        raise InvalidParameterError("webhook", None, "a robot URL to re-send failed deliveries to",
                                    hint="Pass --webhook URL or set risks.webhook_url in the configuration.")
    target = url or CONSOLE
    delivery, tried, gone, cut = None, set(), 0, 0
    pacer = pacer or Pacer(int(cfg["webhook_per_minute"]), sleep)  # one pacing of the URL for the re-sends and the new alerts
    if url:
        delivery = {"sent": 0, "failed": 0, "resent": 0, "already_sent": 0}
        if resend_failed:  # what redeliver does, keeping the keys: re-sent now, so not posted a second time below
            failed = failed_todo(store, url, platform, robot)
            tried = set(failed)  # (key, severity, episode): a current escalation or a new episode still goes out below
            again = deliver(store, list(failed.values()), url, platform, config, lang=lang, digest=digest, sleep=sleep, pacer=pacer,
                            secret=secret)
            delivery.update(sent=again["sent"], failed=again["failed"], resent=again["sent"])
    done = delivered_ranks(store, target, platform if url else None)
    raised = _raised_at(store)  # the radar's moment: the crisis room's alerts are listed only at the same one
    every = _current(store, lang, "medium", int(cfg["dedupe_days"]), raised)  # every current alert, for failed_pending below
    current = {(r["alert_key"], episode_text(r["episode"])) for r in every}
    rows = [r for r in every if SEVERITY_RANK.get(r["severity"], 0) >= SEVERITY_RANK[min_severity] and (robot is None or robot.matches(r))]
    stale = back_dated_run(store)
    for r in rows:  # alerts of a back-dated run are history: listed, never delivered or recorded as shown
        was = done_rank(done, r["alert_key"], r["episode"])
        r["is_new"] = stale is None and SEVERITY_RANK.get(r["severity"], 0) > was
        if r["is_new"] and was:  # sent before in this episode at a lower severity: the message says it escalated
            r["escalated_from"] = next(s for s, k in SEVERITY_RANK.items() if k == was)
    # New alerts first, then the rest, up to `top`: with old alerts ranked first, a new one below the cap would never
    # be shown or sent while they stay current.
    ranked = [r for r in rows if r["is_new"]] + ([] if only_new else [r for r in rows if not r["is_new"]])
    rows = ranked[:top]
    below_top = {(r["alert_key"], episode_text(r["episode"])) for r in ranked[top:] if r["is_new"]}  # not tried by this run
    if url:
        todo = [r for r in rows if r["is_new"] and (r["alert_key"], r["severity"], episode_text(r["episode"])) not in tried]
        sent = deliver(store, todo, url, platform, config, lang=lang, digest=digest, sleep=sleep, pacer=pacer, secret=secret)
        delivery.update(sent=delivery["sent"] + sent["sent"], failed=delivery["failed"] + sent["failed"],
                        already_sent=0 if stale else sum(1 for r in rows if not r["is_new"]))
        # Failures whose alert is no longer current are retried by no run (a current one is new, so the next run
        # retries it), and a current one this run left below `top` was not retried either (newer alerts may keep it
        # there): count both, with a warning, never drop them silently. --redeliver sends them.
        pending = [(key, ep) for key, _, ep in failed_todo(store, url, platform, robot)]
        gone = sum(1 for k in pending if k not in current)
        cut = sum(1 for k in pending if k in below_top)
        delivery["failed_pending"] = gone + cut
        # Why the last delivery failed (HTTP 500, a timeout, the robot's errmsg), when this run or an earlier one failed.
        delivery["last_failure"] = (last_failure(store, url, platform, str(config.get("general.timezone")), own=robot is not None)
                                    if delivery["failed"] or delivery["failed_pending"] else None)
    elif not store.read_only:  # a read-only handle lists them unrecorded (_read_only_warning says so)
        for r in rows:
            if r["is_new"]:
                record_delivery(store, r, CONSOLE, CONSOLE, "shown", 0, None)
    for r in rows:
        r.pop("message_zh"), r.pop("message_en"), r.pop("episode")
    shown = shown_url(url) if url else CONSOLE  # the query (WeCom, DingTalk) or path token (Feishu) is the robot's key
    pending = _pending_warning(gone, lang) if delivery else None
    pending_top = _below_top_warning(cut, top, lang) if delivery else None
    from reef.risks.sending import public_url_note

    unrecorded = _read_only_warning(lang) if not url and store.read_only and any(r["is_new"] for r in rows) else None
    warning = " ".join(w for w in (_stale_warning(stale, lang), unrecorded, pending, pending_top, _crisis_behind_warning(store, raised, config, lang),
                                   _coverage(store, raised, config, lang), public_url_note(config, lang) if url else None) if w) or None
    return {"as_of": local_iso(raised, config.get("general.timezone")), "alerts": rows, "target": shown,
            "platform": platform if url else None, "delivery": delivery, "warning": warning}


def _pending_warning(n: int, lang: str) -> str | None:
    if not n:
        return None
    if lang == "en":
        return (f"{plural(n, 'failed delivery is', 'failed deliveries are')} of alerts no longer current, so no run retries "
                f"{'it' if n == 1 else 'them'}: `reef alerts --redeliver` sends {'it' if n == 1 else 'them'}.")
    return f"有{n}条发送失败的提醒已不在当前提醒中，不会自动重试：运行 reef alerts --redeliver 补发。"


def _below_top_warning(n: int, top: int, lang: str) -> str | None:
    if not n:
        return None
    if lang == "en":
        one = n == 1
        return (f"{plural(n, 'failed delivery', 'failed deliveries')} of current alerts {'was' if one else 'were'} not "
                f"retried: {'it ranks' if one else 'they rank'} below the first {top} (--top). Raise --top, or re-send "
                f"{'it' if one else 'them'} with `reef alerts --redeliver` (dashboard: Re-send failed).")
    return f"有{n}条发送失败的当前提醒本次未重试：它们排在前 {top} 条（--top）之后。调大 --top，或运行 reef alerts --redeliver（仪表盘：重发失败）补发。"


def _stale_warning(stale: tuple | None, lang: str) -> str | None:
    if stale is None:
        return None
    shown, latest = (f"{t:%Y-%m-%d %H:%M}" for t in stale)
    if lang == "en":
        return (f"These alerts come from a back-dated run (as of {shown}); the radar last ran as of {latest}. Nothing was "
                "sent or marked as shown: run `reef risks` at the current date, then `reef alerts`.")
    return f"这些提醒来自回溯运行（截至{shown}），雷达最近一次运行截至{latest}。未发送、未标记为已读：请先按当前日期运行 reef risks，再运行 reef alerts。"


def _read_only_warning(lang: str) -> str:
    if lang == "en":
        return ("The store is open read-only, so these alerts were not marked as shown: the next listing shows them as "
                "new again. Open it writable (`reef alerts`) to mark them.")
    return "存储以只读方式打开，这些提醒未标记为已读：下次查看时仍显示为新提醒。以可写方式打开（reef alerts）即可标记。"


def _raised_at(store):
    """The as_of the alerts were raised at (without alerts: the radar's last run), or None before the radar ran."""
    from reef.store.coverage import analysis_as_of

    as_of = store.fetch_value("SELECT max(as_of) FROM risk_alerts") if store.table_exists("risk_alerts") else None
    return as_of if as_of is not None else analysis_as_of(store, "risks")


def _coverage(store, as_of, config, lang: str) -> str | None:
    """The coverage warning for ``as_of`` (:func:`_raised_at`): past the end of the data, quiet days read as a collapse
    and raise alerts about nothing; before it, none can be raised."""
    from reef.store.coverage import coverage_warning

    return coverage_warning(store, as_of, config, lang) if as_of is not None else None


def delivery_failure(result: dict, lang: str = "zh") -> DeliveryError | None:
    """The error to raise when ``run_alerts`` tried to deliver and nothing reached the robot, else None; worded in
    ``lang`` (zh or en), naming the last failure's kind and reason (the reason as logged).

    >>> d = {"sent": 0, "failed": 2, "last_failure": {"reason": "HTTPError: HTTP Error 500", "kind": "http"}}
    >>> str(delivery_failure({"delivery": d, "target": "https://robot.example/send"}))[:40]
    '2条提醒全部发送失败（发往 https://robot.example/send'
    """
    d = result.get("delivery") or {}
    if not d.get("failed") or d.get("sent"):
        return None
    last = d.get("last_failure") or {}
    en = lang == "en"
    kind = failure_label(last.get("kind") or failure_kind(last.get("reason")), lang) if last.get("reason") else None
    if en:
        reason = failure_reason(last["reason"], lang)  # the reader's words, without the exception class
        why = f"; the last reason: {kind}{': ' + reason if reason else ''}" if kind else ""
        return DeliveryError(f"Every webhook delivery failed ({plural(d['failed'], 'alert')} to {result['target']}{why}); "
                             "each delivery's reason is in the dashboard's 风险雷达 page, 发送到群 card, 发送记录 (the "
                             "delivery log; also GET /api/v1/webhook), kept in the table risk_webhook_log.",
                             hint="Check the URL and the robot's security settings, then run `reef alerts --redeliver` "
                                  "(failed alerts are also retried by the next run).")
    reason = failure_reason(last["reason"], lang)
    why = f"；最近一次失败原因：{kind}{'：' + reason if reason else ''}" if kind else ""
    return DeliveryError(f"{d['failed']}条提醒全部发送失败（发往 {result['target']}{why}）。每次发送的原因见看板「风险雷达」页"
                         "「发送到群」卡片的发送记录（也可 GET /api/v1/webhook），记录在表 risk_webhook_log 中。",
                         hint="请检查网址和机器人的安全设置，然后运行 reef alerts --redeliver 补发（下次运行也会重试失败的提醒）。")
