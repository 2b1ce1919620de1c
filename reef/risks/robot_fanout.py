"""Deliver the alerts to every configured robot (:mod:`reef.robot_config`), each through its own filter.

:func:`run_robots` runs :func:`reef.risks.webhook.run_alerts` once per robot (its URL, format, secret and filter; its
own pacing, delivery state, retries and failures) and puts the answers together: the alerts listed (each once, new
when it is new for any robot), the delivery counts summed, and ``robots``: one entry per robot with its own counts,
last failure and warning. One robot's failures (or an error that stops its run) never stop the next robot's
deliveries: the error is that robot's entry and a warning. :func:`send_to_robots` is the dashboard's send job
(``reef alerts --new`` / ``--redeliver`` to every robot).

Example:
    >>> from reef.store import open_store
    >>> from reef.config import load_config
    >>> cfg = load_config().with_overrides({"risks.robots": [{"name": "ops", "url": "http://127.0.0.1:9/x"}]})
    >>> run_robots(open_store(":memory:"), cfg, configured_robots(cfg))["robots"][0]["name"]
    'ops'
"""
from __future__ import annotations

import time
from typing import Any, Callable

from reef.i18n import plural
from reef.robot_config import Robot, configured_robots
from reef.risks.sending import PUBLIC_URL_NOTE, Pacer

__all__ = ["run_robots", "send_to_robots", "merge"]

_COUNTS = ("sent", "failed", "resent", "already_sent", "failed_pending")


def _own(robots: list[Robot], robot: Robot) -> Robot | None:
    """``robot``, to keep its run to its filter and its own failures; None for the unnamed robot of
    ``risks.webhook_url`` when it is the only one: it works as it always has (every alert, and 重发失败 re-sends the
    platform's failures to any URL, so a corrected URL gets what the old one missed)."""
    return None if len(robots) == 1 and not robot.name else robot


def _pacer(pacers: dict | None, robot: Robot, config, sleep) -> Pacer:
    """The robot URL's pacing: shared through ``pacers`` (a server keeps one per URL), else a new one."""
    fresh = Pacer(int(config.get("risks.webhook_per_minute")), sleep)
    return fresh if pacers is None else pacers.setdefault(robot.url, fresh)


def _error_text(robot: Robot, exc: Exception) -> str:
    """An error that stopped one robot's run, never showing the URL's query (the key)."""
    from reef.risks.robot_urls import redact

    return redact(f"{type(exc).__name__}: {exc}", robot.url)[:500]


def _robot_warning(robot: Robot, entry: dict, lang: str) -> str | None:
    d, name = entry.get("delivery") or {}, robot.label(lang)
    if entry.get("error"):
        return (f"Robot {name}: its run stopped ({entry['error']}); the other robots were sent to." if lang == "en" else
                f"机器人「{name}」发送中断（{entry['error']}），其他机器人照常发送。")
    if d.get("failed") and not d.get("sent"):
        return (f"Robot {name}: {plural(d['failed'], 'delivery', 'deliveries')} failed, none sent; the next run retries "
                f"{'it' if d['failed'] == 1 else 'them'}." if lang == "en" else
                f"机器人「{name}」的{d['failed']}条提醒全部发送失败，下次运行会重试。")
    return None


def merge(results: list[tuple[Robot, dict | None, str | None]], lang: str, top: int | None = None) -> dict[str, Any]:
    """One answer from each robot's ``(robot, run_alerts answer or None, error or None)``: alerts listed once (new when
    new for any robot), counts summed, the latest failure, every warning once, and ``robots`` (each robot's own)."""
    alerts: dict[str, dict] = {}
    delivery: dict[str, Any] = {k: 0 for k in _COUNTS}
    warnings: list[str] = []
    robots, lasts, as_of = [], [], None
    note, noted = PUBLIC_URL_NOTE["en" if lang == "en" else "zh"], False
    for robot, answer, error in results:
        entry = {**robot.view(), "label": robot.label(lang), "delivery": (answer or {}).get("delivery"), "error": error}
        robots.append(entry)
        if answer is not None:
            as_of = as_of or answer["as_of"]
            for a in answer["alerts"]:
                seen = alerts.setdefault(a["alert_key"], {**a, "robots": []})
                seen["is_new"] = seen["is_new"] or a["is_new"]
                seen["robots"].append(robot.name)
            for k in _COUNTS:
                delivery[k] += int((answer.get("delivery") or {}).get(k) or 0)
            if (answer.get("delivery") or {}).get("last_failure"):
                lasts.append(answer["delivery"]["last_failure"])
            # The note on server.public_url is the same for every robot: said once, after the others.
            text = answer.get("warning") or ""
            if note in text:
                text, noted = text.replace(note, "").strip(), True
            warnings += [w for w in text.split("\n") if w]
        warnings.append(_robot_warning(robot, entry, lang) or "")
    warnings.append(note if noted else "")
    delivery["last_failure"] = max(lasts, key=lambda f: f["at"] or "") if lasts else None
    if not any((entry["delivery"] or {}).get("failed_pending") is not None for entry in robots):
        delivery.pop("failed_pending")
    rows = list(alerts.values())
    if len(results) > 1:  # one robot's order is kept as it is; several: new first, then by severity and score
        rows.sort(key=lambda a: (not a["is_new"], a["severity"] != "high", not str(a["alert_key"]).startswith("crisis:"),
                                 -float(a.get("score") or 0)))
    platforms = {r.platform for r, _, _ in results}
    return {"as_of": as_of, "alerts": rows[:top] if top else rows, "target": ", ".join(e["target"] for e in robots),
            "platform": next(iter(platforms)) if len(platforms) == 1 else None, "delivery": delivery,
            "warning": " ".join(dict.fromkeys(w for w in warnings if w)) or None, "robots": robots}


def run_robots(store, config, robots: list[Robot], *, lang: str | None = None, only_new: bool = False,
               min_severity: str = "medium", top: int = 50, digest: bool | None = None, resend_failed: bool = False,
               sleep: Callable[[float], None] = time.sleep, pacers: dict | None = None) -> dict[str, Any]:
    """:func:`reef.risks.webhook.run_alerts` for each robot of ``robots`` (see :func:`merge` for the answer)."""
    from reef.risks.webhook import run_alerts

    lang = "en" if (lang or config.get("general.language")) == "en" else "zh"
    results = []
    for robot in robots:
        try:
            answer = run_alerts(store, config, lang=lang, only_new=only_new, min_severity=min_severity, top=top, digest=digest,
                                resend_failed=resend_failed, sleep=sleep, pacer=_pacer(pacers, robot, config, sleep),
                                url=robot.url, platform=robot.platform, robot=_own(robots, robot))
            results.append((robot, answer, None))
        except Exception as exc:  # noqa: BLE001 - one robot's error must not stop the others' deliveries
            results.append((robot, None, _error_text(robot, exc)))
    return merge(results, lang, top)


def send_to_robots(store, config, robots: list[Robot], *, resend_failed: bool = False, lang: str = "zh",
                   pacers: dict | None = None, sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """The dashboard's send to every robot of ``robots``: the new alerts, or (``resend_failed``) each robot's own failed
    deliveries again. Returns ``{"target", "platform", "delivery", "warning", "robots"}`` (no member text: a job's result
    is readable by every role)."""
    from reef.risks.delivery_state import last_failure
    from reef.risks.webhook import redeliver

    if not resend_failed:
        full = run_robots(store, config, robots, lang=lang, only_new=True, sleep=sleep, pacers=pacers)
        return {k: full[k] for k in ("target", "platform", "delivery", "warning", "robots")}
    results = []
    zone = str(config.get("general.timezone"))
    for robot in robots:
        try:
            own = _own(robots, robot)
            counts = redeliver(store, robot.url, robot.platform, config, lang=lang, sleep=sleep,
                               pacer=_pacer(pacers, robot, config, sleep), robot=own)
            failed = last_failure(store, robot.url, robot.platform, zone, own=own is not None) if counts["failed"] else None
            results.append((robot, {"as_of": None, "alerts": [], "warning": None,
                                    "delivery": {**counts, "resent": counts["sent"], "last_failure": failed}}, None))
        except Exception as exc:  # noqa: BLE001 - as in run_robots
            results.append((robot, None, _error_text(robot, exc)))
    full = merge(results, lang)
    return {k: full[k] for k in ("target", "platform", "delivery", "warning", "robots")}
