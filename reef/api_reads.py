"""``Community``'s read methods: one per ``reef`` read command, calling the same :mod:`reef.reads` function (the
ladder, network and store reads here; the knowledge reef, risk and layer reads in :mod:`reef.api_ops`).

A dict-shaped result is returned as the dict ``--json`` prints (with ``warning``, times as ISO text with their offset);
a list-shaped one as a table in ``format`` (``arrow`` by default, ``polars`` or ``pandas``) with the columns and types
of :data:`reef.api_frames.SCHEMAS` (times as timestamps in the store's zone), as :meth:`reef.api.Community.table`
returns tables. The as-of coverage warning the CLI prints on stderr is raised as a :class:`reef.errors.ReefWarning` (a
UserWarning), so a notebook shows it. Arguments of the wrong type are refused by name (:mod:`reef.api_args`).
:data:`CLI_METHODS` maps every CLI command to its method; :data:`CLI_EXCLUDED` names the commands without one, and why
(tests check that every command is in one of the two).

The methods' examples use ``c``, a Community on a simulated, analysed store (``reef simulate --db community.duckdb``,
then ``c = reef.open("community.duckdb")``); tests/test_api_docstrings.py runs them on one.
"""
from __future__ import annotations

import warnings
from typing import Any

from reef import reads
from reef.api_frames import COLUMNS, KINDS, frame, plain, result_as_of
from reef.reads import ladder as _ladder, network as _network

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


class ReadsMixin:
    """The read commands as methods (``reef ladder`` -> :meth:`ladder`, ``reef kb qa`` -> :meth:`kb_qa` ...)."""

    def _read(self, fn, *args: Any, format: str = "arrow", **kwargs: Any):  # noqa: A002
        from reef.api import FORMATS
        from reef.api_args import checked_args
        from reef.errors import InvalidParameterError, ReefWarning
        from reef.output_paths import output_errors

        if format not in FORMATS:  # before any work
            raise InvalidParameterError("format", format, "one of " + ", ".join(FORMATS))
        kwargs = checked_args(kwargs)  # a wrong type named as such, never a DuckDB cast error (reef.api_args)
        with output_errors():  # guide(out=), risks(report=): an unwritable path in the CLI's words (reef.output_paths)
            result = fn(self.store, *args, **kwargs)
        if result.warning:
            warnings.warn(result.warning, ReefWarning, stacklevel=4)  # the method's caller, past keywords_checked
        zone = str(self.store.config.get("general.timezone"))
        if isinstance(result.data, list):
            name = fn.__name__
            return frame(result.data, format, COLUMNS.get(name), as_of=result.iso_as_of, kinds=KINDS.get(name), zone=zone)
        return plain(result.noted(), zone)

    def status(self) -> dict[str, Any]:
        """Counts per table, date range, imports, quarantine, last analysis runs (``reef status``).

        >>> c.status()["tables"]["members"] > 0
        True
        """
        return self._read(reads.status)

    def quarantine(self, limit: int = 50, reason: str | None = None, format: str = "arrow"):  # noqa: A002
        """Quarantined rows with file:line and the stored reason (``reef quarantine``); ``reason``: rows whose reason
        contains it.

        >>> c.quarantine(limit=5).column_names[:4]
        ['import_id', 'file', 'line', 'entity']
        """
        return self._read(reads.quarantine, limit=limit, reason=reason, format=format)

    def actions(self, member: str | None = None, kind: str | None = None, status: str | None = None, group: str | None = None,
                team: str | None = None, topic: str | None = None, since: Any = None, until: Any = None, page: int = 1,
                per_page: int = 50) -> dict:
        """Operator actions newest first, filtered and paged: ``{items, page, per_page, total, pages}`` (``reef action
        list``).

        >>> page = c.actions(kind="recognise", per_page=5)
        >>> sorted(page), len(page["items"]) <= 5
        (['items', 'page', 'pages', 'per_page', 'total'], True)
        """
        return self._read(reads.actions, member=member, kind=kind, status=status, group=group, team=team, topic=topic, since=since,
                          until=until, page=page, per_page=per_page)

    def ladder(self, stage: int | None = None, top: int = 20, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Members by rank with stage, potential, momentum and evidence (``reef ladder``).

        >>> top = c.ladder(top=5, format="pandas")
        >>> list(top.columns[:4]), len(top), str(top["stage_since"].dtype)
        (['member_id', 'name', 'rank', 'stage'], 5, 'datetime64[us, Asia/Shanghai]')
        """
        return self._read(_ladder.ladder, stage=stage, top=top, as_of=as_of, lang=lang, format=format)

    def member(self, member_id: str, as_of: Any = None, lang: str | None = None) -> dict:
        """One member's stage, evidence and timeline of stage changes (``reef member``).

        >>> first = c.ladder(top=1)["member_id"][0].as_py()
        >>> m = c.member(first)
        >>> m["member_id"] == first, m["rank"], [k for k in m if k in ("timeline", "as_of")]
        (True, 1, ['timeline', 'as_of'])
        """
        from reef.params import check_text

        return self._read(_ladder.member, check_text("member_id", member_id), as_of=as_of, lang=lang)

    def funnel(self, as_of: Any = None, lang: str | None = None) -> dict:
        """Counts per stage, cohort conversion, median days to each stage, stuck members (``reef funnel``).

        >>> [s["name_en"] for s in c.funnel()["stages"]]
        ['silent', 'participant', 'creator', 'connector', 'leader']
        """
        return self._read(_ladder.funnel, as_of=as_of, lang=lang)

    def recognise(self, top: int = 20, days: int | None = None, since: Any = None, as_of: Any = None,
                  lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Recognise-now alerts: new ones and the unrecognised backlog, or all of the last ``days`` (``reef recognise``).

        >>> c.recognise(top=5).column_names[:4]
        ['rank', 'alert', 'member_id', 'name']
        """
        return self._read(_ladder.recognise, top=top, days=days, since=since, as_of=as_of, lang=lang, format=format)

    def contest(self, campaign: str, top: int = 20, as_of: Any = None, lang: str | None = None) -> dict:
        """A themed content call judged fairly: every entry's score and its parts (``reef contest``).

        >>> result = c.contest("camp-1", top=3)
        >>> result["campaign_id"], len(result["entries"]) <= 3
        ('camp-1', True)
        """
        from reef.params import check_text

        return self._read(_ladder.contest, check_text("campaign", campaign), top=top, as_of=as_of, lang=lang)

    def campaigns(self, as_of: Any = None, lang: str | None = None, format: str = "arrow"):  # noqa: A002
        """Every campaign with its dates and the entries ``contest`` judges, newest first (``reef campaigns``).

        >>> c.campaigns().column_names
        ['campaign_id', 'name', 'topic', 'started_at', 'ended_at', 'entries_judged']
        """
        return self._read(_ladder.campaigns, as_of=as_of, lang=lang, format=format)

    def connectors(self, role: str = "connector", top: int = 20, as_of: Any = None, lang: str | None = None,
                   format: str = "arrow"):  # noqa: A002
        """Key connectors with every score's parts (``reef connectors``; ``role``: connector, broadcaster, member or all).

        >>> c.connectors(role="all", top=5, format="polars").columns[:4]
        ['rank', 'member_id', 'name', 'role']
        """
        return self._read(_network.connectors, role=role, top=top, as_of=as_of, lang=lang, format=format)

    def ripple(self, campaign: str | None = None, topic: str | None = None, seeds: Any = None, since: Any = None,
               as_of: Any = None, lang: str | None = None) -> dict:
        """Ring-by-ring adoption of a seeded topic and the boost list (``reef ripple``): a campaign's, or a ``topic``
        seeded by ``seeds`` (ids: a list, or one text, comma-separated) ``since`` a date.

        >>> r = c.ripple(campaign="camp-1")
        >>> r["campaign_id"], type(r["since"]).__name__, [k for k in r if k in ("rings", "boost")]
        ('camp-1', 'str', ['rings', 'boost'])
        """
        return self._read(_network.ripple, campaign=campaign, topic=topic, seeds=seeds, since=since, as_of=as_of, lang=lang)

    def seed_plan(self, k: int | None = None, topic: str | None = None, circle: str | None = None, exclude: Any = None,
                  runs: int | None = None, seed: int | None = None, as_of: Any = None, lang: str | None = None) -> dict:
        """k seed members by IMM with expected reach against baselines (``reef seed-plan``).

        >>> plan = c.seed_plan(k=3, runs=50, seed=7)
        >>> len(plan["seeds"]), [k for k in plan if k in ("plan", "baselines")]
        (3, ['plan', 'baselines'])
        """
        return self._read(_network.seed_plan, k=k, topic=topic, circle=circle, exclude=exclude, runs=runs, seed=seed,
                          as_of=as_of, lang=lang)

    def helpers(self, member: str | None = None, top: int = 20, as_of: Any = None, lang: str | None = None) -> dict:
        """The mutual-help summary and leaderboard, or one member's help acts (``reef helpers``).

        >>> sorted(c.helpers(top=3))
        ['as_of', 'leaders', 'summary', 'warning']
        """
        return self._read(_network.helpers, member=member, top=top, as_of=as_of, lang=lang)
