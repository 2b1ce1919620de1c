"""The group robots alerts go to: ``[[risks.robots]]`` tables, plus the single ``risks.webhook_url`` as one unnamed robot.

Each robot has a ``name`` (unique; what pages, logs and ``--robot`` use), a ``url``, a ``format`` (wecom, dingtalk or
feishu), an optional signing ``secret``, and a filter: ``min_severity`` (medium or high) and ``families`` (risk
families, plus ``crisis`` for the crisis room's negative waves; empty = every family). A robot is identified in the
delivery state by its URL and format, so two robots may not share both. The older single robot
(``risks.webhook_url`` / ``webhook_platform`` / ``webhook_secret``) keeps working: it is the unnamed robot (name
``""``), receiving every alert, listed first.

:func:`robots_problem` is the merge-time check (:mod:`reef.config`): the first thing wrong with a ``risks.robots``
value as ``(dotted key, value, expected in English, expected in Chinese)``.

Example:
    >>> robots_problem([{"name": "ops", "url": "https://robot.example/send", "format": "slack"}])[:2]
    ('risks.robots[1].format', 'slack')
    >>> r = Robot("pr", "https://robot.example/send", "wecom", min_severity="high", families=("backlash", "crisis"))
    >>> r.matches({"severity": "high", "family": "backlash"}), r.matches({"severity": "medium", "family": "backlash"})
    (True, False)
    >>> r.matches({"severity": "high", "alert_key": "crisis:range", "family": "危机"})
    True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reef.errors import InvalidParameterError

__all__ = ["ROBOT_KEYS", "SEVERITIES", "Robot", "robot_families", "robots_problem", "configured_robots", "pick_robots",
           "clash"]

ROBOT_KEYS = ("name", "url", "format", "secret", "min_severity", "families")
SEVERITIES = ("medium", "high")
_RANK = {"medium": 1, "high": 2}
CRISIS = "crisis"  # the crisis room's negative-wave alerts (alert_key crisis:<aspect>)


# Written out, not imported: the config check runs on every config load, and importing reef.risks for two lists pulled
# in the whole radar (tests/risks/test_robots_fanout.py checks they match reef.risks.analysis.FAMILIES and
# reef.risks.robots.PLATFORMS).
RADAR_FAMILIES = ("heat_death", "implosion", "backlash", "entropy")
PLATFORMS = ("wecom", "dingtalk", "feishu")


def robot_families() -> tuple[str, ...]:
    """The names a robot's ``families`` may hold: the radar's families and ``crisis``."""
    return (*RADAR_FAMILIES, CRISIS)


@dataclass(frozen=True)
class Robot:
    """One group robot and its filter (``families`` empty: every family)."""

    name: str
    url: str
    platform: str = "wecom"
    secret: str = ""
    min_severity: str = "medium"
    families: tuple[str, ...] = field(default_factory=tuple)

    def matches(self, alert: dict) -> bool:
        """True when ``alert`` passes this robot's filter (its severity and family)."""
        if _RANK.get(alert.get("severity"), 0) < _RANK[self.min_severity]:
            return False
        if not self.families:
            return True
        family = CRISIS if str(alert.get("alert_key") or "").startswith(CRISIS + ":") else alert.get("family")
        return family in self.families

    def label(self, lang: str = "zh") -> str:
        """The name pages and messages show (the unnamed robot: 默认机器人 / default robot)."""
        return self.name or ("default robot" if lang == "en" else "默认机器人")

    def view(self) -> dict[str, Any]:
        """The robot as surfaces show it: never the URL's query (the key) nor the secret."""
        from reef.risks.deliveries import shown_url

        return {"name": self.name, "target": shown_url(self.url), "platform": self.platform,
                "min_severity": self.min_severity, "families": list(self.families)}


def robots_problem(value: Any) -> tuple[str, Any, str, str] | None:
    """The first thing wrong with a ``risks.robots`` value: ``(dotted key, value, expected, expected in Chinese)``."""
    from reef.config_rules import valid_http_url

    if not isinstance(value, list):
        return "risks.robots", value, "a list of robot tables ([[risks.robots]])", "机器人表的列表（[[risks.robots]]）"
    names: set[str] = set()
    targets: set[tuple[str, str]] = set()
    for i, robot in enumerate(value, 1):
        at = f"risks.robots[{i}]"
        if not isinstance(robot, dict):
            return at, robot, "a table with name, url and format", "含 name、url、format 的表"
        unknown = sorted(set(robot) - set(ROBOT_KEYS))
        if unknown:
            return (f"{at}.{unknown[0]}", robot[unknown[0]], "one of the keys " + ", ".join(ROBOT_KEYS),
                    "这些键之一：" + "、".join(ROBOT_KEYS))
        name = robot.get("name")
        if not isinstance(name, str) or not name.strip():
            return f"{at}.name", name, "a robot name (text, not empty)", "机器人名称（非空文本）"
        if name in names:
            return f"{at}.name", name, "a name no other robot has", "与其他机器人不重复的名称"
        names.add(name)
        if not isinstance(robot.get("url"), str) or not valid_http_url(robot.get("url")):
            return f"{at}.url", robot.get("url"), "an http:// or https:// robot URL with a host", "带主机名的 http:// 或 https:// 机器人网址"
        fmt = robot.get("format", "wecom")
        if fmt not in PLATFORMS:
            return f"{at}.format", fmt, "one of " + ", ".join(PLATFORMS), "以下之一：" + "、".join(PLATFORMS)
        if (robot["url"].strip(), fmt) in targets:
            return f"{at}.url", robot["url"], "a URL no other robot of this format has", "与同一格式的其他机器人不同的网址"
        targets.add((robot["url"].strip(), fmt))
        if not isinstance(robot.get("secret", ""), str):
            return f"{at}.secret", robot.get("secret"), "a signing secret (text)", "加签密钥（文本）"
        sev = robot.get("min_severity", "medium")
        if sev not in SEVERITIES:
            return f"{at}.min_severity", sev, "medium or high", "medium 或 high"
        fams = robot.get("families", [])
        known = robot_families()
        if not isinstance(fams, list) or not all(isinstance(f, str) for f in fams):
            return f"{at}.families", fams, "a list of families among: " + ", ".join(known), "风险族列表，可选：" + "、".join(known)
        bad = [f for f in fams if f not in known]
        if bad:
            return (f"{at}.families", fams, f"families among: {', '.join(known)} (unknown: {', '.join(bad)})",
                    f"以下风险族之一：{'、'.join(known)}（未知：{'、'.join(bad)}）")
    return None


def clash(data: dict[str, dict[str, Any]]) -> str | None:
    """The URL ``risks.webhook_url`` shares (in the same format) with a ``[[risks.robots]]`` table, else None."""
    risks = data.get("risks", {})
    url = str(risks.get("webhook_url") or "").strip()
    platform = risks.get("webhook_platform") or "wecom"
    hit = any(isinstance(r, dict) and str(r.get("url") or "").strip() == url and r.get("format", "wecom") == platform
              for r in risks.get("robots") or [])
    return url if url and hit else None


def configured_robots(config) -> list[Robot]:
    """Every configured robot: the unnamed one of ``risks.webhook_url`` first (when set), then ``[[risks.robots]]``. A
    URL or format that is no robot's (a configuration built by hand skips the merge-time check) is refused here, as
    :func:`reef.risks.deliveries.robot_target` refuses it, never showing the URL's key."""
    from reef.risks.deliveries import robot_target

    cfg = config.section("risks")
    out = []
    url = str(cfg.get("webhook_url") or "").strip()
    if url:
        url, platform = robot_target(config)
        out.append(Robot("", url, platform, str(cfg.get("webhook_secret") or "")))
    for r in cfg.get("robots") or []:
        robot_target(config, r["url"], r.get("format", "wecom"))
        out.append(Robot(r["name"], r["url"].strip(), r.get("format", "wecom"), r.get("secret", ""),
                         r.get("min_severity", "medium"), tuple(r.get("families", ()))))
    return out


def pick_robots(config, name: str | None = None) -> list[Robot]:
    """The configured robots, or only the one named ``name`` (:class:`InvalidParameterError` naming the others when no
    robot has that name)."""
    robots = configured_robots(config)
    if name is None:
        return robots
    chosen = [r for r in robots if r.name == name]
    if not chosen:
        names = ", ".join(r.name for r in robots if r.name) or "none ([[risks.robots]] is empty)"
        raise InvalidParameterError("robot", name, f"a configured robot name: {names}",
                                    hint="Robots are the [[risks.robots]] tables of the configuration file.")
    return chosen
