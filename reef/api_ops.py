"""``Community``'s knowledge-reef, risk, layer and action-effect reads: one per ``reef`` read command, calling the same
:mod:`reef.reads` function, shaped as :mod:`reef.api_reads` says (dicts as ``--json`` prints them, lists as typed
tables). The examples use ``c``, a Community on a simulated, analysed store, as in :mod:`reef.api_reads`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reef.reads import kb as _kb, ops as _ops

__all__ = ["OpsReadsMixin"]


class OpsReadsMixin:
    """``kb_qa`` ... ``kb_gaps``, ``ask``, ``crisis``, ``guide``, ``risks``, ``alerts``, ``test_webhook``, ``groups``,
    ``plaza``, ``council``, ``effect`` and ``team``, on ``self._read`` (:class:`reef.api_reads.ReadsMixin`)."""

    def kb_qa(self, top: int = 20, unanswered: bool = False, aspect: str | None = None, as_of: Any = None,
              lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Questions with their best answer (``reef kb qa``).

        >>> qa = c.kb_qa(top=3, format="pandas")
        >>> list(qa.columns[:3]), str(qa["created_at"].dtype)
        (['question_id', 'question', 'created_at'], 'datetime64[us, Asia/Shanghai]')
        """
        return self._read(_kb.qa, top=top, unanswered=unanswered, aspect=aspect, as_of=as_of, lang=lang, format=format)

    def kb_essence(self, top: int = 20, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Posts of lasting reference value (``reef kb essence``).

        >>> c.kb_essence(top=3).column_names[:3]
        ['content_id', 'kind', 'title']
        """
        return self._read(_kb.essence, top=top, as_of=as_of, lang=lang, format=format)

    def kb_repeated(self, top: int = 20, min_asked: int = 2, as_of: Any = None, lang: str | None = None,
                    format: str = "arrow"):  # noqa: A002
        """Repeated questions (``reef kb repeated``).

        >>> c.kb_repeated(top=3, min_asked=1).column_names[:3]
        ['cluster_id', 'question', 'times_asked']
        """
        return self._read(_kb.repeated, top=top, min_asked=min_asked, as_of=as_of, lang=lang, format=format)

    def kb_topics(self, top: int = 30, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """The topic map: questions per aspect, car model and owner stage (``reef kb topics``).

        >>> c.kb_topics(top=3).column_names[:3]
        ['aspect', 'car_model', 'stage']
        """
        return self._read(_kb.topics, top=top, as_of=as_of, lang=lang, format=format)

    def kb_gaps(self, top: int = 20, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Knowledge gaps (``reef kb gaps``).

        >>> c.kb_gaps(top=3).column_names[:3]
        ['rank', 'kind', 'label']
        """
        return self._read(_kb.gaps, top=top, as_of=as_of, lang=lang, format=format)

    def ask(self, query: str, top: int | None = None, answered: bool = False, as_of: Any = None, lang: str | None = None,
            format: str = "arrow"):  # noqa: A002
        """Search the reef for a newcomer's question (``reef ask``).

        >>> c.ask("冬天续航掉多少", top=3).column_names[:4]
        ['rank', 'score', 'question_id', 'question']
        """
        from reef.params import check_text

        return self._read(_kb.ask, check_text("query", query), top=top, answered=answered, as_of=as_of, lang=lang,
                          format=format)

    def crisis(self, aspect: str | None = None, hours: int | None = None, days: int = 14, as_of: Any = None, lang: str | None = None) -> dict:
        """The breakwater: negative-wave test, the wave's posts to answer first, buffer, posts to pin, timeline (``reef crisis``;
        ``hours`` default ``kb.crisis_window_hours``).

        >>> wave = c.crisis(days=5)
        >>> type(wave["alarm"]).__name__, len(wave["timeline"]) <= 5
        ('bool', True)
        """
        return self._read(_kb.crisis, aspect=aspect, hours=hours, days=days, as_of=as_of, lang=lang)

    def guide(self, kind: str = "newbie", out: str | Path = "guides", fmt: str = "all", as_of: Any = None,
              lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Write a guide (``kind`` newbie: 新手百科, or chronicle) into the folder ``out``; the files written, one row
        each (``reef guide``).

        >>> import tempfile
        >>> c.guide(out=tempfile.mkdtemp(), fmt="md")["kind"].to_pylist()
        ['newbie']
        """
        return self._read(_kb.guide, kind=kind, out=out, fmt=fmt, as_of=as_of, lang=lang, format=format)

    def risks(self, evidence: int = 5, report: str | Path | None = None, weeks: int = 8, as_of: Any = None,
              lang: str | None = None) -> dict:
        """The risk radar, optionally writing the weekly risk report to the file ``report`` (``reef risks``).

        >>> [f["family"] for f in c.risks(evidence=1)["families"]]
        ['heat_death', 'implosion', 'backlash', 'entropy']
        """
        return self._read(_ops.risks, evidence=evidence, report=report, weeks=weeks, as_of=as_of, lang=lang)

    def alerts(self, new: bool = False, severity: str = "medium", top: int = 50, as_of: Any = None, lang: str | None = None) -> dict:
        """Risk alerts, deduplicated (``reef alerts`` without a webhook: nothing is sent, not even to
        ``risks.webhook_url``; the listed alerts are recorded as shown, so ``new=True`` lists only later ones; a read-only handle lists them
        unrecorded and its ``warning`` says so).

        >>> sorted(c.alerts(top=3))
        ['alerts', 'as_of', 'delivery', 'platform', 'target', 'warning']
        """
        return self._read(_ops.alerts, new=new, severity=severity, top=top, send=False, as_of=as_of, lang=lang)

    def test_webhook(self, url: str | None = None, platform: str | None = None, lang: str | None = None,
                     robot: str | None = None) -> dict:
        """Send one test message to the group robot (``url`` / ``platform``, default every configured robot:
        ``[[risks.robots]]`` and ``risks.webhook_url``; ``robot``: only the one of that name) and say whether it
        arrived (``reef alerts --test``, :func:`reef.risks.robot_check.send_test`; ``robots``: each robot's answer);
        logged in ``risk_webhook_log``. Without a robot there is nothing to test:

        >>> c.test_webhook()
        Traceback (most recent call last):
        ...
        reef.errors.InvalidParameterError: Missing value for 'webhook'. Expected a robot URL (risks.webhook_url)...
        """
        from reef.risks.robot_check import send_test

        return send_test(self.store, self.config, url=url, platform=platform, lang=lang, robot=robot)

    def groups(self, circle: str | None = None, top: int = 20, offset: int = 0, as_of: Any = None, lang: str | None = None) -> dict:
        """Interest groups, or one circle's leaders and members (``reef groups``).

        >>> g = c.groups(top=3)
        >>> len(g["circles"]) <= 3, sorted(c.groups(circle=g["circles"][0]["circle_id"], top=3))[:3]
        (True, ['as_of', 'circle', 'leaders'])
        """
        return self._read(_ops.groups, circle=circle, top=top, offset=offset, as_of=as_of, lang=lang)

    def plaza(self, top: int = 20, offset: int = 0, topics: int = 10, as_of: Any = None, lang: str | None = None) -> dict:
        """Plaza topic starters and the topics that work (``reef plaza``).

        >>> sorted(c.plaza(top=3))
        ['as_of', 'starters', 'topics', 'total', 'warning']
        """
        return self._read(_ops.plaza, top=top, offset=offset, topics=topics, as_of=as_of, lang=lang)

    def council(self, seats: int | None = None, as_of: Any = None, lang: str | None = None) -> dict:
        """A balanced advisory-council slate (``reef council``).

        >>> len(c.council(seats=5)["slate"]) <= 5
        True
        """
        return self._read(_ops.council, seats=seats, as_of=as_of, lang=lang)

    def effect(self, action: str = "recognise", window: int | None = None, outcome: str | None = None, seed: int | None = None,
               ladder: bool = True, as_of: Any = None, lang: str | None = None, topic: str | None = None) -> dict:
        """What actions of a kind did, against matched members (``reef effect``; ``ladder=False`` is ``--no-ladder``;
        ``topic`` with ``action="seed"``: only the seed actions of that topic).

        >>> e = c.effect(action="recognise", seed=1)
        >>> e["action"], e["n_actions"] > 0
        ('recognise', True)
        """
        return self._read(_ops.effect, action=action, window=window, outcome=outcome, seed=seed, ladder=ladder,
                          as_of=as_of, lang=lang, topic=topic)

    def team(self, brief: Any, alternatives: int | None = None, seed: int | None = None, as_of: Any = None,
             lang: str | None = None) -> dict:
        """A project team for a brief (a TOML file's path, or the same fields as a dict) with alternatives per role
        (``reef team``).

        >>> t = c.team({"name": "冬季续航指南", "deadline": "2026-08-31", "roles": [{"role": "writer", "count": 1}]}, seed=1)
        >>> [seat["role"] for seat in t["team"]]
        ['writer']
        """
        return self._read(_ops.team, brief, alternatives=alternatives, seed=seed, as_of=as_of, lang=lang)
