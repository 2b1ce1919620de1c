"""``reef team --brief brief.toml``: propose a project team for a brief (docs/layers.md, "Project teams").

Brings the ``layers_role_fitness`` analysis up to date at ``--as-of`` (free when it already is),
calls :func:`reef.layers.team.propose_team` and renders the team (on a running team its seated members
first, marked 已就位, then the proposals for the open seats), alternatives per role and the comparison with
the greedy top-skill baseline.

Example:
    >>> import typer
    >>> app = typer.Typer(); register(app); len(app.registered_commands)
    1
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, out, rows_table
from reef.cli._coverage import emit_noted
from reef.cli._errors import handled

__all__ = ["register"]


@handled
def team(
    brief: Annotated[Path, typer.Option("--brief", help="The project brief (TOML): roles, size, deadline; see docs/examples/team-brief.toml.")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Propose as of this date or datetime (a date alone is its 00:00 local time: that day is not included; default: end of the data; "
                                                 "active teams: every open add_to_team action).")] = None,
    alternatives: Annotated[Optional[int], typer.Option("--alternatives", min=0, help="Alternatives shown per role (default: team.alternatives).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed of the search's random restarts (default: team.seed).")] = None,
    lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False,
) -> None:
    """Propose a project team covering every role of a brief, with a reason per pick and alternatives per role."""
    from reef.cli._common import read
    from reef.layers.team_brief import load_brief
    from reef.reads.ops import team as read_team

    parsed = load_brief(brief)  # a bad brief fails before the store is opened
    r = read(read_team, db, config, parsed, alternatives=alternatives, seed=seed, as_of=as_of, lang=lang)
    data, language = r.data, r.lang

    def render(d: dict) -> None:
        zh = language == "zh"
        b = d["brief"]
        rows_table(f"项目团队：{b['name']}（截止 {b['deadline']}）" if zh else f"Project team: {b['name']} (deadline {b['deadline']})",
                   d["team"], ["seat", "status", "role_label", "member_id", "name", "stage", "fitness", "active_teams"], lang=language)
        for s in d["team"]:  # reasons are long: one line each, below the table; seated members first
            out.print(f"{s['seat'] or '-'}. {s['role_label']} {s['name']}: {s['reason']}")
        role_label = {s["role"]: s["role_label"] for s in d["team"]}  # a role by the brief's name for it, not its key
        for key, alts in d["alternatives"].items():
            if alts:
                rows_table(f"备选：{role_label.get(key, key)}" if zh else f"Alternatives: {key}", alts,
                           ["member_id", "name", "stage", "fitness", "objective_change", "replaces"], lang=language)
        o, base = d["objective"], d["baseline"]
        if not d["open_seats"]:  # every seat taken: nothing was proposed, the warning says so
            for w in d["warnings"]:
                out.print(w, style="yellow")
            return
        out.print((f"目标值 {o['total']:.3f}（适配 {o['fitness']:.3f}，协作 {o['cohesion']:.3f}，负担 -{o['penalty']:.3f}）；"
                   f"按技能逐席贪心 {base['objective']['total']:.3f}") if zh else
                  (f"objective {o['total']:.3f} (fitness {o['fitness']:.3f}, cohesion {o['cohesion']:.3f}, penalty -{o['penalty']:.3f}); "
                   f"greedy top-skill {base['objective']['total']:.3f}"))
        for w in d["warnings"]:
            out.print(w, style="yellow")

    emit_noted(data, as_json, render, r.note)


def register(app: typer.Typer) -> None:
    """Add ``team`` to the ``reef`` app."""
    app.command("team")(team)
