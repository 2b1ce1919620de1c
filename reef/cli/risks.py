"""``reef risks`` and ``reef alerts``: the risk radar and its deduplicated alerts (docs/risks.md).

Each brings the ``risks`` analysis up to date at ``--as-of`` (free when it already is), calls one
library function from :mod:`reef.risks` and renders the result.

Example:
    >>> import typer
    >>> app = typer.Typer(); register(app); len(app.registered_commands)
    2
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, emit, handled, out, rows_table

__all__ = ["register"]

AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Score risks as of this date or datetime (default: end of the data).")]


def _store(db: Path, config: Optional[Path], as_of: Optional[str]):
    from reef.cli._common import open_community

    community = open_community(db, config)
    community.analyze(as_of=as_of, only=["risks"])
    return community


@handled
def risks(as_of: AsOfOpt = None,
          report: Annotated[Optional[Path], typer.Option("--report", help="Also write the weekly risk report (self-contained HTML) to this file.")] = None,
          weeks: Annotated[int, typer.Option("--weeks", min=2, max=52, help="Weeks of score trend in the --report sparklines.")] = 8,
          lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """The risk radar: heat death, implosion, backlash and entropy scored 0-100, each with its parts and top evidence."""
    from reef.risks import risk_radar

    store = _store(db, config, as_of).store
    data = risk_radar(store, lang=lang or "zh")
    if report is not None:
        from reef.risks.weekly import write_weekly_report

        data["report"] = str(write_weekly_report(store, report, lang=lang or "zh", weeks=weeks))

    def render(d: dict) -> None:
        rows_table(f"风险雷达 / Risk radar {d['as_of']}", d["families"], ["family", "name", "score", "level", "summary"])
        for f in d["families"]:
            rows_table(f"{f['name']} {f['score']}", f["parts"], ["part", "score", "value", "note"])
        if d.get("report"):
            out.print(f"report: {d['report']}")

    emit(data, as_json, render)


@handled
def alerts(as_of: AsOfOpt = None, new: Annotated[bool, typer.Option("--new", help="Only alerts not raised in the last risks.dedupe_days.")] = False,
           severity: Annotated[str, typer.Option("--severity", help="Lowest severity shown: medium or high.")] = "medium",
           top: Annotated[int, typer.Option("--top", min=1, help="Show at most this many alerts.")] = 50,
           webhook: Annotated[Optional[str], typer.Option("--webhook", help="Also send the alerts to this group-robot URL.")] = None,
           platform: Annotated[str, typer.Option("--platform", help="Robot format for --webhook: wecom, dingtalk or feishu.")] = "wecom",
           lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Risk alerts with severity and evidence, deduplicated; optionally delivered to a WeCom/DingTalk/Feishu robot."""
    from reef.risks import risk_alerts
    from reef.risks.webhook import deliver

    community = _store(db, config, as_of)
    rows = risk_alerts(community.store, lang=lang or "zh", only_new=new, min_severity=severity, top=top)
    data = {"alerts": rows, "delivery": deliver(community.store, rows, webhook, platform, community.config) if webhook else None}

    def render(d: dict) -> None:
        rows_table("风险提醒 / Risk alerts", d["alerts"], ["severity", "family", "part", "subject", "score", "is_new", "message"])
        if d["delivery"]:
            out.print(f"webhook: {d['delivery']}")

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    """Add ``risks`` and ``alerts`` to the ``reef`` app."""
    for fn in (risks, alerts):
        app.command(fn.__name__)(fn)
