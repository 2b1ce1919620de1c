"""``Community``'s read methods: one per ``reef`` read command, calling the same :mod:`reef.reads` function.

A dict-shaped result is returned as the dict ``--json`` prints (with ``warning``); a list-shaped one as a table in
``format`` (``arrow`` by default, ``polars`` or ``pandas``), as :meth:`reef.api.Community.table` returns tables. The
as-of coverage warning the CLI prints on stderr is raised as a :class:`reef.errors.ReefWarning` (a UserWarning), so a
notebook shows it. :data:`CLI_METHODS` maps every CLI command to its method; :data:`CLI_EXCLUDED` names the commands
without one, and why (tests check that every command is in one of the two).
"""
from __future__ import annotations

import numbers
import warnings
from pathlib import Path
from typing import Any

from reef import reads
from reef.reads import kb as _kb, ladder as _ladder, network as _network, ops as _ops

__all__ = ["ReadsMixin", "CLI_METHODS", "CLI_EXCLUDED", "COLUMNS", "frame", "result_as_of"]

# CLI command -> Community method calling the same library function.
CLI_METHODS = {
    "status": "status", "quarantine": "quarantine", "analyze": "analyze", "report": "report", "enrich": "enrich",
    "import": "import_files", "simulate": "simulate", "action list": "actions",
    "ladder": "ladder", "member": "member", "funnel": "funnel", "recognise": "recognise", "contest": "contest",
    "campaigns": "campaigns", "connectors": "connectors", "ripple": "ripple", "seed-plan": "seed_plan", "helpers": "helpers",
    "kb qa": "kb_qa", "kb essence": "kb_essence", "kb repeated": "kb_repeated", "kb topics": "kb_topics", "kb gaps": "kb_gaps",
    "ask": "ask", "crisis": "crisis", "guide": "guide", "risks": "risks", "alerts": "alerts",
    "groups": "groups", "plaza": "plaza", "council": "council", "effect": "effect", "team": "team",
}
# CLI commands without a Community method, and why.
CLI_EXCLUDED = {
    "serve": "runs the web server; not a notebook call",
    "user add": "manages dashboard accounts (writes; reef.actions.add_user)",
    "quarantine-clear": "dismisses quarantined rows (writes; reef.ingest.dismiss.dismiss_quarantine)",
    "user list": "dashboard accounts, an admin matter (reef.actions.list_users)",
    "user token": "issues an API token for the HTTP API (writes a secret; reef.actions)",
    "export": "writes files for the team, audited (reef.export.export_tables); Community.table reads the same tables",
    "action add": "records an operator action (writes, audited: reef.actions.record_action)",
    "action done": "completes an operator action (writes, audited: reef.actions.update_action)",
    "action cancel": "cancels an operator action (writes, audited: reef.actions.update_action)",
    "action withdraw": "withdraws a done operator action recorded by mistake (writes, audited: reef.actions.withdraw_action)",
    "demo": "simulates a fresh store and writes a report (reef.api.run_demo)",
    "analyses": "the registry, not the store (reef.analyses.registered)",
    "config show": "the configuration, not the store (Community.config; reef.api.describe_config)",
    "version": "reef.__version__ and reef.model.schema.SCHEMA_VERSION",
    "text analyze": "works on files, not the store (reef.text.files.analyze_file)",
    "text eval": "measures the text models (reef.text.evaluate.write_quality)",
}


# The columns of every list-shaped read (keyed by its reef.reads function), so an empty result is 0 rows with the usual
# columns (null-typed), not a table without columns. A test checks them against the non-empty results.
COLUMNS = {
    "quarantine": ("import_id", "file", "line", "entity", "field", "reason", "raw", "quarantined_at", "where",
                   "reason_code"),
    "ladder": ("member_id", "name", "rank", "stage", "stage_name", "stage_name_en", "potential", "momentum", "rising",
               "next_progress", "evidence_zh", "evidence_en", "flags", "stage_since", "max_stage", "last_activity_at"),
    "recognise": ("rank", "alert", "member_id", "name", "stage", "potential", "content_id", "content_kind", "act", "at",
                  "snippet", "message_zh", "message_en", "is_new", "recognised_at", "recognised_status",
                  "recognised_action"),
    "connectors": ("rank", "member_id", "name", "role", "score", "expertise", "brokerage", "responders", "reach",
                   "reciprocity", "items", "followon_replies", "followon", "distinct_others", "askers", "mentioners",
                   "quoters", "agreers", "examples", "expertise_part", "asked_part", "distinct_part", "brokerage_part",
                   "reach_part", "followon_part"),
    "qa": ("question_id", "question", "created_at", "asker_id", "answers", "best_answer_id", "best_answerer_id",
           "best_answerer", "best_score", "best_accepted", "stage", "cluster_id"),
    "essence": ("content_id", "kind", "title", "author_id", "author_name", "created_at", "score", "viral_share",
                "explanation"),
    "repeated": ("cluster_id", "question", "times_asked", "askers", "answered", "accepted", "best_answer_id",
                 "best_answerer_id", "best_answerer", "last_asked"),
    "topics": ("aspect", "car_model", "stage", "questions", "distinct_questions", "answered_share", "accepted_share",
               "answer_age_days", "stale", "mark"),
    "gaps": ("rank", "kind", "label", "title", "times_asked", "answered_share", "priority", "reason", "canonical_id"),
    "ask": ("rank", "score", "question_id", "question", "times_asked", "answer_id", "answer", "answerer_id", "answerer",
            "accepted"),
    "guide": ("kind", "path", "bytes"),
    "campaigns": ("campaign_id", "name", "topic", "started_at", "ended_at", "entries_judged"),
}


def frame(rows: list[dict[str, Any]], format: str = "arrow", columns: tuple[str, ...] | None = None,  # noqa: A002
          as_of: str | None = None):
    """``rows`` as an Arrow table, or Polars / pandas (:func:`reef.api.convert`); with no rows, ``columns`` (null-typed).

    ``as_of`` (the moment the rows describe, ISO) goes into the Arrow schema metadata under ``as_of`` and into a pandas
    frame's ``attrs``; :func:`result_as_of` reads it back (Polars frames keep no metadata: read the Arrow table).
    """
    import pyarrow as pa

    from reef.api import convert

    table = pa.table({c: pa.array([], pa.null()) for c in columns}) if not rows and columns else pa.Table.from_pylist(rows)
    if as_of is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"as_of": as_of.encode()})
    out = convert(table, format)
    if as_of is not None and format == "pandas":
        out.attrs["as_of"] = as_of
    return out


def result_as_of(result: Any) -> str | None:
    """The as_of (ISO) a read method's result describes: a dict's ``as_of``, an Arrow table's schema metadata, a pandas
    frame's ``attrs``; None when it carries none (a Polars frame).

    >>> result_as_of(frame([{"a": 1}], as_of="2026-06-01T21:56:03+08:00"))
    '2026-06-01T21:56:03+08:00'
    """
    if isinstance(result, dict):
        value = result.get("as_of")
        return value.isoformat() if hasattr(value, "isoformat") else value
    schema = getattr(result, "schema", None)
    metadata = getattr(schema, "metadata", None) if schema is not None and not callable(schema) else None
    if metadata and b"as_of" in metadata:
        return metadata[b"as_of"].decode()
    attrs = getattr(result, "attrs", None)
    return attrs.get("as_of") if isinstance(attrs, dict) else None


class ReadsMixin:
    """The read commands as methods (``reef ladder`` -> :meth:`ladder`, ``reef kb qa`` -> :meth:`kb_qa` ...)."""

    def _read(self, fn, *args: Any, format: str = "arrow", **kwargs: Any):  # noqa: A002
        from reef.api import FORMATS
        from reef.errors import InvalidParameterError, ReefWarning

        if format not in FORMATS:  # before any work
            raise InvalidParameterError("format", format, "one of " + ", ".join(FORMATS))
        from reef.output_paths import output_errors

        # A notebook's numpy integers are counts like any int (reef.params.check_positive); the SQL below binds Python ints.
        kwargs = {k: int(v) if isinstance(v, numbers.Integral) and not isinstance(v, bool) else v for k, v in kwargs.items()}
        with output_errors():  # guide(out=), risks(report=): an unwritable path in the CLI's words (reef.output_paths)
            result = fn(self.store, *args, **kwargs)
        if result.warning:
            warnings.warn(result.warning, ReefWarning, stacklevel=3)
        if isinstance(result.data, list):
            return frame(result.data, format, COLUMNS.get(fn.__name__), as_of=result.iso_as_of)
        return result.noted()

    def status(self) -> dict[str, Any]:
        """Counts per table, date range, imports, quarantine, last analysis runs (``reef status``)."""
        return self._read(reads.status)

    def quarantine(self, limit: int = 50, reason: str | None = None, format: str = "arrow"):  # noqa: A002
        """Quarantined rows with file:line and the stored reason (``reef quarantine``)."""
        return self._read(reads.quarantine, limit=limit, reason=reason, format=format)

    def actions(self, member: str | None = None, kind: str | None = None, status: str | None = None, group: str | None = None,
                team: str | None = None, topic: str | None = None, since: Any = None, until: Any = None, page: int = 1,
                per_page: int = 50) -> dict:
        """Operator actions newest first, filtered and paged (``reef action list``)."""
        return self._read(reads.actions, member=member, kind=kind, status=status, group=group, team=team, topic=topic, since=since,
                          until=until, page=page, per_page=per_page)

    def ladder(self, stage: int | None = None, top: int = 20, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Members by rank with stage, potential, momentum and evidence (``reef ladder``)."""
        return self._read(_ladder.ladder, stage=stage, top=top, as_of=as_of, lang=lang, format=format)

    def member(self, member_id: str, as_of: Any = None, lang: str | None = None) -> dict:
        """One member's stage, evidence and timeline (``reef member``)."""
        return self._read(_ladder.member, member_id, as_of=as_of, lang=lang)

    def funnel(self, as_of: Any = None, lang: str | None = None) -> dict:
        """Counts per stage, cohort conversion, median days to each stage, stuck members (``reef funnel``)."""
        return self._read(_ladder.funnel, as_of=as_of, lang=lang)

    def recognise(self, top: int = 20, days: int | None = None, since: Any = None, as_of: Any = None,
                  lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Recognise-now alerts: new ones and the unrecognised backlog, or all of the last ``days`` (``reef recognise``)."""
        return self._read(_ladder.recognise, top=top, days=days, since=since, as_of=as_of, lang=lang, format=format)

    def contest(self, campaign: str, top: int = 20, as_of: Any = None, lang: str | None = None) -> dict:
        """A themed content call judged fairly (``reef contest``)."""
        return self._read(_ladder.contest, campaign, top=top, as_of=as_of, lang=lang)

    def campaigns(self, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Every campaign with its dates and the entries ``contest`` judges, newest first (``reef campaigns``)."""
        return self._read(_ladder.campaigns, as_of=as_of, lang=lang, format=format)

    def connectors(self, role: str = "connector", top: int = 20, as_of: Any = None, lang: str | None = None,
                   format: str = "arrow"):  # noqa: A002
        """Key connectors with every score's parts (``reef connectors``)."""
        return self._read(_network.connectors, role=role, top=top, as_of=as_of, lang=lang, format=format)

    def ripple(self, campaign: str | None = None, topic: str | None = None, seeds: Any = None, since: Any = None,
               as_of: Any = None, lang: str | None = None) -> dict:
        """Ring-by-ring adoption of a seeded topic and the boost list (``reef ripple``)."""
        return self._read(_network.ripple, campaign=campaign, topic=topic, seeds=seeds, since=since, as_of=as_of, lang=lang)

    def seed_plan(self, k: int | None = None, topic: str | None = None, circle: str | None = None, exclude: Any = None,
                  runs: int | None = None, seed: int | None = None, as_of: Any = None, lang: str | None = None) -> dict:
        """k seed members by IMM with expected reach against baselines (``reef seed-plan``)."""
        return self._read(_network.seed_plan, k=k, topic=topic, circle=circle, exclude=exclude, runs=runs, seed=seed,
                          as_of=as_of, lang=lang)

    def helpers(self, member: str | None = None, top: int = 20, as_of: Any = None, lang: str | None = None) -> dict:
        """The mutual-help summary and leaderboard, or one member's help acts (``reef helpers``)."""
        return self._read(_network.helpers, member=member, top=top, as_of=as_of, lang=lang)

    def kb_qa(self, top: int = 20, unanswered: bool = False, aspect: str | None = None, as_of: Any = None,
              lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Questions with their best answer (``reef kb qa``)."""
        return self._read(_kb.qa, top=top, unanswered=unanswered, aspect=aspect, as_of=as_of, lang=lang, format=format)

    def kb_essence(self, top: int = 20, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Posts of lasting reference value (``reef kb essence``)."""
        return self._read(_kb.essence, top=top, as_of=as_of, lang=lang, format=format)

    def kb_repeated(self, top: int = 20, min_asked: int = 2, as_of: Any = None, lang: str | None = None,
                    format: str = "arrow"):  # noqa: A002
        """Repeated questions (``reef kb repeated``)."""
        return self._read(_kb.repeated, top=top, min_asked=min_asked, as_of=as_of, lang=lang, format=format)

    def kb_topics(self, top: int = 30, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """The topic map (``reef kb topics``)."""
        return self._read(_kb.topics, top=top, as_of=as_of, lang=lang, format=format)

    def kb_gaps(self, top: int = 20, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Knowledge gaps (``reef kb gaps``)."""
        return self._read(_kb.gaps, top=top, as_of=as_of, lang=lang, format=format)

    def ask(self, query: str, top: int | None = None, answered: bool = False, as_of: Any = None, lang: str | None = None,
            format: str = "arrow"):  # noqa: A002
        """Search the reef for a newcomer's question (``reef ask``)."""
        return self._read(_kb.ask, query, top=top, answered=answered, as_of=as_of, lang=lang, format=format)

    def crisis(self, aspect: str | None = None, hours: int | None = None, days: int = 14, as_of: Any = None, lang: str | None = None) -> dict:
        """The breakwater: negative-wave test, the wave's posts to answer first, buffer, posts to pin, timeline (``reef crisis``;
        ``hours`` default ``kb.crisis_window_hours``)."""
        return self._read(_kb.crisis, aspect=aspect, hours=hours, days=days, as_of=as_of, lang=lang)

    def guide(self, kind: str = "newbie", out: str | Path = "guides", fmt: str = "all", as_of: Any = None,
              lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Write a guide (新手百科 or chronicle) into ``out``; the files written (``reef guide``)."""
        return self._read(_kb.guide, kind=kind, out=out, fmt=fmt, as_of=as_of, lang=lang, format=format)

    def risks(self, evidence: int = 5, report: str | Path | None = None, weeks: int = 8, as_of: Any = None,
              lang: str | None = None) -> dict:
        """The risk radar, optionally writing the weekly risk report (``reef risks``)."""
        return self._read(_ops.risks, evidence=evidence, report=report, weeks=weeks, as_of=as_of, lang=lang)

    def alerts(self, new: bool = False, severity: str = "medium", top: int = 50, as_of: Any = None, lang: str | None = None) -> dict:
        """Risk alerts, deduplicated (``reef alerts`` without a webhook: nothing is sent, not even to
        ``risks.webhook_url``; the listed alerts are recorded as shown, so ``new=True`` lists only later ones; a read-only handle lists them
        unrecorded and its ``warning`` says so)."""
        return self._read(_ops.alerts, new=new, severity=severity, top=top, send=False, as_of=as_of, lang=lang)

    def test_webhook(self, url: str | None = None, platform: str | None = None, lang: str | None = None,
                     robot: str | None = None) -> dict:
        """Send one test message to the group robot (``url`` / ``platform``, default every configured robot:
        ``[[risks.robots]]`` and ``risks.webhook_url``; ``robot``: only the one of that name) and say whether it
        arrived (``reef alerts --test``, :func:`reef.risks.robot_check.send_test`; ``robots``: each robot's answer);
        logged in ``risk_webhook_log``."""
        from reef.risks.robot_check import send_test

        return send_test(self.store, self.config, url=url, platform=platform, lang=lang, robot=robot)

    def groups(self, circle: str | None = None, top: int = 20, offset: int = 0, as_of: Any = None, lang: str | None = None) -> dict:
        """Interest groups, or one circle's leaders and members (``reef groups``)."""
        return self._read(_ops.groups, circle=circle, top=top, offset=offset, as_of=as_of, lang=lang)

    def plaza(self, top: int = 20, offset: int = 0, topics: int = 10, as_of: Any = None, lang: str | None = None) -> dict:
        """Plaza topic starters and the topics that work (``reef plaza``)."""
        return self._read(_ops.plaza, top=top, offset=offset, topics=topics, as_of=as_of, lang=lang)

    def council(self, seats: int | None = None, as_of: Any = None, lang: str | None = None) -> dict:
        """A balanced advisory-council slate (``reef council``)."""
        return self._read(_ops.council, seats=seats, as_of=as_of, lang=lang)

    def effect(self, action: str = "recognise", window: int | None = None, outcome: str | None = None, seed: int | None = None,
               ladder: bool = True, as_of: Any = None, lang: str | None = None, topic: str | None = None) -> dict:
        """What actions of a kind did, against matched members (``reef effect``; ``ladder=False`` is ``--no-ladder``;
        ``topic`` with ``action="seed"``: only the seed actions of that topic)."""
        return self._read(_ops.effect, action=action, window=window, outcome=outcome, seed=seed, ladder=ladder,
                          as_of=as_of, lang=lang, topic=topic)

    def team(self, brief: Any, alternatives: int | None = None, seed: int | None = None, as_of: Any = None,
             lang: str | None = None) -> dict:
        """A project team for a brief (TOML path or dict) with alternatives per role (``reef team``)."""
        return self._read(_ops.team, brief, alternatives=alternatives, seed=seed, as_of=as_of, lang=lang)
