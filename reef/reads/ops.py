"""The risk, layer and action-effect reads: ``reef risks``, ``alerts``, ``groups``, ``plaza``, ``council``, ``effect``
and ``team`` (and the ``Community`` methods of the same names)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reef.reads import Read, check_counts, language, prepare

__all__ = ["risks", "alerts", "groups", "plaza", "council", "effect", "team"]


def risks(store, *, evidence: int = 5, report: str | Path | None = None, weeks: int = 8, as_of: Any = None,
          lang: str | None = None) -> Read:
    """The risk radar with each family's top evidence and its ``warning`` (:func:`reef.risks.surfaces.radar_view`);
    with ``report`` also the weekly risk report (self-contained HTML) written there, its path under ``report``."""
    from reef.params import check_range
    from reef.risks.surfaces import radar_view

    check_range("weeks", weeks, 2, 52)
    moment, code, _ = prepare(store, as_of, ["risks"], lang, counts={"evidence": evidence})
    data = radar_view(store, lang=code, evidence=evidence)  # carries its own coverage warning
    if report is not None:
        from reef.risks.weekly import write_weekly_report

        # an unwritable path is worded by reef.output_paths where the CLI and Community catch it, as for every writer
        data["report"] = str(write_weekly_report(store, report, lang=code, weeks=weeks))
    return Read(data, None, moment, code)


def alerts(store, *, new: bool = False, severity: str = "medium", top: int = 50, webhook: str | None = None,
           platform: str | None = None, digest: bool | None = None, redeliver: bool = False, send: bool = True,
           as_of: Any = None, lang: str | None = None, robot: str | None = None) -> Read:
    """Risk alerts and the crisis room's, deduplicated, each with ``is_new`` (:func:`reef.risks.webhook.run_alerts`); the
    radar and the breakwater are both brought up to date at ``as_of`` first, so they speak of one moment. ``send=False`` never
    posts to a robot (not even ``risks.webhook_url``): the alerts are listed, and recorded as shown here. Without
    ``webhook`` / ``platform`` the alerts go to every configured robot through its filter (``[[risks.robots]]`` and
    ``risks.webhook_url``; :func:`reef.risks.robot_fanout.run_robots`), or to the one named ``robot``."""
    from reef.errors import InvalidParameterError
    from reef.params import check_positive
    from reef.risks.robots import check_url
    from reef.risks.webhook import run_alerts

    if severity not in ("medium", "high"):  # before the analysis, like the URL
        raise InvalidParameterError("severity", severity, "medium or high")
    check_positive("top", top)
    if webhook is not None:
        check_url(webhook)  # a mistyped URL fails at once
    robots = []
    if send and webhook is None and platform is None:
        from reef.robot_config import pick_robots

        robots = pick_robots(store.config, robot)  # an unknown name fails at once
    elif robot is not None:
        raise InvalidParameterError("robot", robot, "a configured robot's name, without a webhook URL or platform")
    # The crisis room's alerts are listed with the radar's: both brought up to the same as_of (reef.kb.crisis_alerts).
    moment, code, _ = prepare(store, as_of, ["risks", *_crisis_analysis()], lang)
    if robots:
        from reef.risks.robot_fanout import run_robots

        data = run_robots(store, store.config, robots, lang=code, only_new=new, min_severity=severity, top=top,
                          digest=digest, resend_failed=redeliver)
        return Read(data, None, moment, code)
    data = run_alerts(store, store.config, lang=code, only_new=new, min_severity=severity, top=top, url=webhook,
                      platform=platform, digest=digest, resend_failed=redeliver, send=send)
    return Read(data, None, moment, code)  # run_alerts words the coverage warning itself


def _crisis_analysis() -> list[str]:
    """``["kb_crisis"]`` when the breakwater is part of this build (its alerts join the radar's), else none."""
    from reef.analyses.registry import discover

    return ["kb_crisis"] if "kb_crisis" in discover() else []


def groups(store, *, circle: str | None = None, top: int = 20, offset: int = 0, as_of: Any = None,
           lang: str | None = None) -> Read:
    """Interest groups (:func:`reef.layers.api.interest_groups`), or one circle with ``circle``
    (:func:`reef.layers.api.circle_detail`)."""
    from reef.layers.api import circle_detail, interest_groups

    moment, code, _ = prepare(store, as_of, ["layers_groups"], lang, counts={"top": top, "offset": offset})
    if circle:
        return Read(circle_detail(store, circle, top=top, offset=offset, lang=code), None, moment, code)
    return Read(interest_groups(store, top=top, offset=offset, lang=code), None, moment, code)


def plaza(store, *, top: int = 20, offset: int = 0, topics: int = 10, as_of: Any = None, lang: str | None = None) -> Read:
    """Plaza topic starters and the topics that work (:func:`reef.layers.api.plaza_starters`)."""
    from reef.layers.api import plaza_starters
    moment, code, _ = prepare(store, as_of, ["layers_plaza"], lang, counts={"topics": topics, "top": top, "offset": offset})
    return Read(plaza_starters(store, top=top, offset=offset, topics=topics, lang=code), None, moment, code)


def council(store, *, seats: int | None = None, as_of: Any = None, lang: str | None = None) -> Read:
    """A balanced advisory-council slate with its coverage (:func:`reef.layers.api.council_slate`)."""
    from reef.layers.api import council_slate

    moment, code, _ = prepare(store, as_of, ["layers_council"], lang, counts={"seats": seats})
    return Read(council_slate(store, seats=seats, lang=code, config=store.config), None, moment, code)


def effect(store, *, action: str = "recognise", window: int | None = None, outcome: str | None = None,
           seed: int | None = None, ladder: bool = True, as_of: Any = None, lang: str | None = None,
           topic: str | None = None) -> Read:
    """What actions did, against matched members who got none (:func:`reef.actions.effect.action_effect`); with
    ``ladder`` the ladder is brought up to date first (else stages are matched only if it ran); ``topic``: only the seed
    actions of that topic."""
    from reef.actions.effect import action_effect

    if ladder:  # window checked before the ladder runs (or a read-only handle says it has no stored run)
        moment, code, _ = prepare(store, as_of, ["ladder"], lang, counts={"window": window, "seed": seed})
    else:
        check_counts({"window": window, "seed": seed})
        moment, code = None, language(lang, store.config)
    data = action_effect(store, action, window_days=window, outcome=outcome, as_of=as_of, seed=seed, lang=code, topic=topic)
    return Read(data, None, moment, code)  # action_effect words the coverage warning itself


def team(store, brief: Any, *, alternatives: int | None = None, seed: int | None = None, as_of: Any = None,
         lang: str | None = None) -> Read:
    """A project team for ``brief`` (a TOML path, a dict or a TeamBrief) with alternatives per role
    (:func:`reef.layers.team.propose_team`)."""
    import reef.layers.team_fitness  # noqa: F401 - registers layers_role_fitness
    from reef.errors import InvalidParameterError
    from reef.layers.team import analyses_for, propose_team
    from reef.layers.team_brief import TeamBrief, load_brief, parse_brief

    if not isinstance(brief, (TeamBrief, dict, str, os.PathLike)):
        raise InvalidParameterError("brief", brief, "a TOML file path or a dict")
    check_counts({"alternatives": alternatives, "seed": seed})
    parsed = (brief if isinstance(brief, TeamBrief) else parse_brief(brief) if isinstance(brief, dict)
              else load_brief(brief))  # a bad brief fails before any analysis runs
    moment, code, note = prepare(store, as_of, analyses_for(store, parsed), lang, counts={"alternatives": alternatives})
    return Read(propose_team(store, parsed, as_of=as_of, alternatives=alternatives, lang=code, seed=seed), note, moment, code)
