"""Project teams (项目团队): propose a team for a brief, explain every pick, offer alternatives per role.

The brief (:mod:`reef.layers.team_brief`) lists roles; :mod:`reef.layers.team_pool` turns the
precomputed ``layers_role_fitness`` tables into pools, fitness per seat, ties and penalties;
:mod:`reef.layers.team_search` maximises the combined objective (fitness + cohesion - load and
risk penalties) by greedy starts and swap moves; here the result becomes plain dicts with a
reason per member (Chinese, or English with ``lang='en'``) and the greedy top-skill baseline for
comparison. docs/layers.md ("Project teams") explains the objective.

Example:
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> propose_team(s, {"name": "x", "deadline": "2026-08-31", "roles": [{"role": "writer"}]})
    Traceback (most recent call last):
    ...
    reef.errors.NotFoundError: The role fitness table layers_role_fitness does not exist. Run the analyses first (team() does it for you).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from reef.errors import InvalidParameterError
from reef.i18n import plural
from reef.layers.team_brief import TeamBrief, load_brief, parse_brief
from reef.layers import team_fitness as _team_fitness  # noqa: F401 - registers layers_role_fitness
from reef.layers.team_explain import display_name, explain_member
from reef.layers.team_pool import Candidates, load_candidates, require_fitness, seat_fit, seated_members
from reef.layers.team_seats import fill_seats, seated_rows
from reef.layers.team_search import TeamProblem, greedy_top_skill, objective, optimise, replace_gains

__all__ = ["propose_team", "team_problem", "analyses_for"]


def _brief(brief: TeamBrief | dict | str | Path) -> TeamBrief:
    if isinstance(brief, TeamBrief):
        return brief
    if isinstance(brief, dict):
        return parse_brief(brief)
    return load_brief(brief)


def team_problem(cand: Candidates, c: dict) -> TeamProblem:
    """The search problem of a candidate set, weighted by the ``[team]`` configuration."""
    return TeamProblem(cand.fit, cand.tie, cand.penalty, fitness_weight=float(c["fitness_weight"]),
                       cohesion_weight=float(c["cohesion_weight"]))


def _round(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in d.items()}


def _member(cand: Candidates, i: int) -> dict[str, Any]:
    row = cand.rows[i]
    return {"member_id": row["member_id"], "name": display_name(row), "stage": row["stage"], "stage_name": row["stage_name"],
            "active_teams": len(cand.teams[i]), "other_roles": len(cand.roles[i]) if cand.roles else 0,
            "cooling": bool(row["cooling"]), "care": bool(row["care"])}


def _best_slot(cand: Candidates, brief: TeamBrief, i: int):
    """The brief's role (not an open seat; seated roles too) member ``i`` fits best, to explain an open-seat pick."""
    roles = brief.role_slots
    return max(roles, key=lambda slot: seat_fit(cand.rows[i], slot, cand.aspect_rows, i, [])) if roles else None


def _explain(i: int, s: int, team: list[int], cand: Candidates, brief: TeamBrief, c: dict, lang: str) -> str:
    return explain_member(i, brief.slots[s], team, cand, float(cand.fit[i, s]), c, lang, _best_slot(cand, brief, i))


def _alternatives(problem: TeamProblem, cand: Candidates, team: np.ndarray, brief: TeamBrief, n: int, c: dict, lang: str) -> dict:
    gains = replace_gains(problem, team)
    out: dict[str, list[dict]] = {}
    for role in brief.roles:
        seats = [s for s, slot in enumerate(brief.slots) if slot.key == role["key"]]
        best_gain = gains[:, seats].max(axis=1)
        best_seat = np.array(seats)[gains[:, seats].argmax(axis=1)]
        fit = cand.fit[np.arange(len(cand.ids)), best_seat]
        order = [i for i in np.lexsort((np.arange(len(cand.ids)), -best_gain)) if np.isfinite(best_gain[i])]
        order = [i for i in order if fit[i] > 0] + [i for i in order if fit[i] <= 0]  # fitting members first
        rows = []
        for i in order[:n]:
            s = int(best_seat[i])
            others = [int(j) for k, j in enumerate(team) if k != s]
            rows.append({**_member(cand, i), "fitness": round(float(fit[i]), 4), "replaces": cand.ids[int(team[s])],
                         "objective_change": round(float(best_gain[i]), 4),
                         "reason": _explain(int(i), s, others + [int(i)], cand, brief, c, lang)})
        out[role["key"]] = rows
    return out


def propose_team(store, brief: TeamBrief | dict | str | Path, *, as_of: Any = None, alternatives: int | None = None,
                 lang: str = "zh", seed: int | None = None, config=None, masked: bool = False) -> dict[str, Any]:
    """Propose a team for ``brief`` (a TeamBrief, a dict or a TOML path) from the precomputed fitness tables.

    ``as_of`` inside the data limits the operator actions read for load (active teams) to that moment; without
    it, or at or after the data's end, every open team action counts (:mod:`reef.actions.cutoff`). Returns the team (one row per seat with a reason), objective
    parts, the greedy top-skill baseline, alternatives per role, coverage and warnings.

    A running team (open ``add_to_team`` actions naming the brief's ``name``) is completed, not proposed afresh: its
    seated members take their seats (:mod:`reef.layers.team_seats`) and come first in ``team`` (``seated`` true,
    ``status`` 已就位), the search fills only the ``open_seats`` left, and seated members are never offered as
    alternatives. With no seat open nothing is searched: ``team`` holds the seated members and a warning says so.
    ``masked`` (a viewer): the brief's name finds a running team by its masked name, the one the reader sees
    (:func:`reef.layers.team_pool.running_team_as_seen`); the caller masks the answer.
    """
    started = time.perf_counter()
    if lang not in ("zh", "en"):
        raise InvalidParameterError("lang", lang, "'zh' or 'en'")
    b = _brief(brief)
    config = config or store.config
    c = config.section("team")
    n_alt = int(c["alternatives"] if alternatives is None else alternatives)
    if n_alt < 0:
        raise InvalidParameterError("alternatives", alternatives, "a whole number >= 0")
    if as_of is not None:
        from reef.analyses import resolve_as_of

        as_of = resolve_as_of(store, as_of)
    kinds, stored = list(c["team_action_kinds"]), None
    if masked:  # a viewer typed what it sees: the stored name of that team, or none (a guess finds nothing)
        from dataclasses import replace

        from reef.layers.team_pool import running_team_as_seen

        stored = running_team_as_seen(store, b.name, kinds, as_of)
        b = replace(b, name=stored) if stored is not None else b
    running = seated_members(store, b.name, kinds, as_of) if not masked or stored is not None else []
    seated, rest = fill_seats(b, running)  # a running team: propose its open seats only
    zh = lang == "zh"
    require_fitness(store)  # also when every seat is taken and nothing is proposed
    cand = load_candidates(store, rest, config, alternatives=n_alt, load_as_of=as_of,
                           own_team=not masked or stored is not None) if rest.size else None
    if cand is not None:
        cand.filtered.update(excluded=len(b.exclude), seated=len(seated))
    rows = seated_rows(store, b, seated, lang, status="已就位" if zh else "seated", aspect_bonus=float(c["aspect_bonus"]))
    seats, problem, team, base = [], None, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if cand is not None:
        problem = team_problem(cand, c)
        base = greedy_top_skill(problem)
        team = optimise(problem, restarts=int(c["restarts"]), max_moves=int(c["max_moves"]),
                        seed=int(c["seed"] if seed is None else seed))
    for s, (i, slot) in enumerate(zip(team, rest.slots)):
        fit = float(cand.fit[i, s])
        seats.append({"seat": sum(x["seat"] is not None for x in rows) + s + 1, "role": slot.key, "role_label": slot.label_zh if zh else slot.label_en,
                      "aspect": slot.aspect, **_member(cand, int(i)), "fitness": round(fit, 4), "weak": fit < float(c["min_fitness"]),
                      "ties": [{"member_id": cand.ids[j], "interactions": int(cand.direct_n[i, j]), "shared_partners": int(cand.shared[i, j]),
                                "tie": round(float(cand.tie[i, j]), 4)} for j in team if j != i and cand.tie[i, j] > 0],
                      "reason": _explain(int(i), s, [int(x) for x in team], cand, rest, c, lang), "seated": False,
                      "status": "建议人选" if zh else "proposed"})
    as_of_fit = store.fetch_all("SELECT max(as_of) FROM layers_role_fitness")[0][0]
    warnings = []
    moment = as_of or as_of_fit
    if moment is not None:  # the day in the community's timezone: 06-01 00:00 in Beijing is 05-31 16:00 UTC
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo(str(store.config.get("general.timezone"))))
    ref = moment.date() if moment is not None else None
    if ref is not None and b.deadline < ref:
        warnings.append(f"截止日期{b.deadline}早于{ref}" if zh else f"deadline {b.deadline} is before {ref}")
    if seated:
        warnings.append(_seated_warning(b, seated, rest, lang))
    weak = [x for x in seats if x["weak"]]
    if weak:
        warnings.append(f"{len(weak)}个席位适配度偏低，请参考备选" if zh else f"{plural(len(weak), 'seat has', 'seats have')} a weak fit: see the alternatives")
    zero = {"total": 0.0, "fitness": 0.0, "cohesion": 0.0, "penalty": 0.0}
    j_team, j_base = (objective(problem, team), objective(problem, base)) if problem is not None else (zero, zero)
    placed = rows + seats
    return {
        "brief": b.as_dict(), "as_of": str(as_of_fit) if as_of_fit is not None else None,
        "days_to_deadline": (b.deadline - ref).days if ref is not None else None,
        "team": placed, "seated": seated, "open_seats": rest.size, "objective": _round(j_team),
        "baseline": {"method": "greedy top-skill", "objective": _round(j_base), "team": [cand.ids[i] for i in base] if cand else [],
                     "improvement": round(j_team["total"] - j_base["total"], 4)},
        "alternatives": _alternatives(problem, cand, team, rest, n_alt, c, lang) if cand is not None else {},
        "coverage": {"seats": b.size, "filled": sum(x["role"] is not None for x in placed), "seated": sum(x["role"] is not None for x in rows),
                     "open": rest.size, "roles": len(b.roles), "roles_covered": len({x["role"] for x in placed} - {None}),
                     "weak_seats": len(weak)},
        "excluded": {"burnout": int(store.fetch_all("SELECT count(*) FROM layers_role_fitness WHERE burnout")[0][0]),
                     **(cand.filtered if cand is not None else {"overloaded": 0, "excluded": len(b.exclude), "seated": len(seated)})},
        "candidates": len(cand.ids) if cand is not None else 0, "warnings": warnings,
        "params": {k: c[k] for k in ("fitness_weight", "cohesion_weight", "load_penalty", "cooling_penalty", "care_penalty",
                                     "max_active_teams", "pool_size", "restarts")} | {"seed": int(c["seed"] if seed is None else seed)},
        "seconds": round(time.perf_counter() - started, 3),
    }


def _seated_warning(b: TeamBrief, seated: list[dict], rest: TeamBrief, lang: str) -> str:
    """The running team's warning: who is seated (by id: warnings are not masked for viewers) and what is left."""
    zh = lang == "zh"
    label = "role_label" if zh else "role_label_en"
    who = [f"{x['member_id']}（{x[label]}）" if x[label] else x["member_id"] for x in seated]
    text = f"项目「{b.name}」已在进行，已就位{len(seated)}人：{'、'.join(who)}" if zh else \
        f"team {b.name} is running with {len(seated)} seated: {', '.join(who).replace('（', ' (').replace('）', ')')}"
    if rest.size:
        text += f"；本建议只补其余{rest.size}个空缺席位" if zh else f"; this proposal fills the {plural(rest.size, 'open seat')} only"
    else:
        text += f"；全部{b.size}个席位均已就位，无需再推荐" if zh else \
            ("; its one seat is filled" if b.size == 1 else f"; all {plural(b.size, 'seat')} are filled") + ": nothing to propose"
    unseated = [x["member_id"] for x in seated if x["role_key"] is None]
    if unseated:
        text += (f"；{'、'.join(unseated)}的角色已满或不在本项目中，未占席位" if zh else
                 f"; {', '.join(unseated)} hold no seat of the brief (their role is full or not in it)")
    return text


def analyses_for(store, brief: TeamBrief) -> list[str]:
    """The analyses to bring up to date before :func:`propose_team`: role fitness, and the interest circles too when
    the brief's ``circle`` is no group of the store (an interest circle's members must be those of the same as_of).

    >>> from reef.store import open_store
    >>> analyses_for(open_store(":memory:"), parse_brief({"name": "x", "deadline": "2026-08-31", "circle": "c01",
    ...                                                  "roles": [{"role": "writer"}]}))
    ['layers_role_fitness', 'layers_groups']
    """
    needed = ["layers_role_fitness"]
    if brief.circle and not store.fetch_value("SELECT count(*) FROM groups WHERE group_id = $c OR name = $c", {"c": brief.circle}):
        needed.append("layers_groups")
    return needed
