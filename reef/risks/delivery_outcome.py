"""What a ``reef alerts`` run left undelivered, and the error a scheduled run ends with when it left something.

:func:`undelivered` reads the answer of :func:`reef.risks.webhook.run_alerts` (one robot) or
:func:`reef.risks.robot_fanout.run_robots` (every configured robot): the alerts whose delivery failed in this run, the
failed deliveries that no run retries (``failed_pending``: waiting for ``--redeliver``), and the robots whose run
stopped with an error. :func:`delivery_incomplete` is the error of a run that left something undelivered without
every delivery failing (exit code 10, ``delivery_incomplete``); a run in which every delivery failed and nothing was
sent stays :func:`reef.risks.webhook.delivery_failure` (exit code 1). The CLI decides what to print; the library only
says what was and was not delivered.

Example:
    >>> d = {"sent": 17, "failed": 3, "failed_pending": 0, "last_failure": None}
    >>> undelivered({"delivery": d, "target": "https://robot.example/send"})["complete"]
    False
    >>> delivery_incomplete({"delivery": d, "target": "https://robot.example/send"}).exit_code
    10
    >>> delivery_incomplete({"delivery": {"sent": 2, "failed": 0}, "target": "console"}) is None
    True
"""
from __future__ import annotations

from typing import Any

from reef.errors import ReefError, with_cli_hint
from reef.i18n import plural

__all__ = ["DeliveryIncompleteError", "undelivered", "delivery_incomplete", "EXIT_DELIVERY_INCOMPLETE"]

EXIT_DELIVERY_INCOMPLETE = 10  # after 9 (`reef import`: a file wholly quarantined), the CLI's last special code


class DeliveryIncompleteError(ReefError):
    """A run delivered alerts but left some undelivered: a failed delivery, a failed one waiting for ``--redeliver``,
    or a robot whose run stopped with an error."""

    exit_code = EXIT_DELIVERY_INCOMPLETE
    code = "delivery_incomplete"


def undelivered(result: dict[str, Any]) -> dict[str, Any]:
    """The counts of a run's answer that say what it left undelivered: ``sent`` and ``failed`` (alerts tried in this
    run, re-sends included), ``failed_pending`` (earlier failures no run retries), ``stopped`` (the robots whose run
    stopped with an error, by label), ``robots`` (the labels of the robots with anything undelivered; empty for a
    single URL) and ``complete`` (nothing left undelivered; also true when there was nothing to send)."""
    d = result.get("delivery") or {}
    failed, pending = int(d.get("failed") or 0), int(d.get("failed_pending") or 0)
    entries = result.get("robots") or []
    stopped = [e.get("label") or e.get("target") or "" for e in entries if e.get("error")]
    left = [e.get("label") or e.get("target") or "" for e in entries
            if e.get("error") or (e.get("delivery") or {}).get("failed") or (e.get("delivery") or {}).get("failed_pending")]
    return {"sent": int(d.get("sent") or 0), "failed": failed, "failed_pending": pending, "stopped": stopped,
            "robots": left, "complete": not (failed or pending or stopped)}


def delivery_incomplete(result: dict[str, Any]) -> DeliveryIncompleteError | None:
    """The error for a run that left something undelivered (its ``text(lang)`` in Chinese or English), or None when
    nothing was left or when every delivery failed and nothing was sent (that is
    :func:`reef.risks.webhook.delivery_failure`'s).

    >>> e = delivery_incomplete({"delivery": {"sent": 17, "failed": 3}, "target": "https://robot.example/send"})
    >>> e.message.split(" (to")[0]
    'Not every alert was delivered: 3 of 20 alerts failed in this run'
    """
    u = undelivered(result)
    if u["complete"] or (u["failed"] and not u["sent"] and not u["stopped"]):
        return None
    where = ", ".join(u["robots"]) or str(result.get("target") or "")
    en_parts, zh_parts = [], []
    if u["failed"]:
        total = u["sent"] + u["failed"]
        en_parts.append(f"{u['failed']} of {plural(total, 'alert')} failed in this run (to {where})")
        zh_parts.append(f"本次{total}条提醒中有{u['failed']}条发送失败（发往 {where}）")
    if u["failed_pending"]:
        n = u["failed_pending"]
        en_parts.append(f"{plural(n, 'earlier failed delivery', 'earlier failed deliveries')} no run retries "
                        f"{'waits' if n == 1 else 'wait'} to be re-sent")
        zh_parts.append(f"另有{n}条此前发送失败、不会自动重试的提醒等待补发")
    if u["stopped"]:
        en_parts.append(f"the run of {plural(len(u['stopped']), 'robot')} stopped with an error ({', '.join(u['stopped'])})")
        zh_parts.append(f"机器人「{'」「'.join(u['stopped'])}」发送中断")
    failure = (result.get("delivery") or {}).get("last_failure")
    en, zh = _last_reason(failure, "en"), _last_reason(failure, "zh")
    exc = DeliveryIncompleteError(
        f"Not every alert was delivered: {'; '.join(en_parts)}{'; the last reason: ' + en if en else ''}.",
        message_zh=f"有提醒未送达：{'；'.join(zh_parts)}{'；最近一次失败原因：' + zh if zh else ''}。",
        hint="Failed alerts that are still current are retried by the next run; resend_failed=True (the dashboard's "
             f"重发失败) re-sends every failed delivery now. {_LOG[0]}",
        hint_zh=f"仍在当前提醒中的失败提醒会在下次运行时重试；用 resend_failed=True（看板的「重发失败」）立即补发全部失败的提醒。{_LOG[1]}",
        facts={k: u[k] for k in ("sent", "failed", "failed_pending", "stopped")})
    return with_cli_hint(exc, "Failed alerts that are still current are retried by the next run; `reef alerts --redeliver` "
                              f"re-sends every failed delivery now. {_LOG[0]}",
                         f"仍在当前提醒中的失败提醒会在下次运行时重试；运行 reef alerts --redeliver 立即补发全部失败的提醒。{_LOG[1]}")


_LOG = ("Each delivery's reason is in the dashboard's 风险雷达 page, 发送到群 card, 发送记录 (table risk_webhook_log).",
        "每次发送的原因见看板「风险雷达」页「发送到群」卡片的发送记录（表 risk_webhook_log）。")


def _last_reason(last: dict | None, lang: str) -> str | None:
    """The last failure's kind and reason in the reader's words (as the every-delivery-failed error names them)."""
    from reef.risks.delivery_state import failure_kind, failure_label, failure_reason

    if not last or not last.get("reason"):
        return None
    kind = failure_label(last.get("kind") or failure_kind(last["reason"]), lang)
    reason = failure_reason(last["reason"], lang)
    return f"{kind}{(': ' if lang == 'en' else '：') + reason if reason else ''}"
