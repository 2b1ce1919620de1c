"""Candidates for a brief: SQL-filtered pools per role, their fitness per seat, ties and load.

Each role's pool is the ``team.pool_size`` best members by that role's fitness from
``layers_role_fitness`` / ``layers_aspect_fitness``, leaving out members with a ``core_burnout``
alert, members already on ``team.max_active_teams`` active teams, the brief's ``exclude`` list
and, with a ``circle``, members who never posted in it. Open seats (``member``) take the best by
their strongest role. Ties between the pooled members come from their partner lists
(:mod:`reef.layers.team_ties`): a direct tie from their decayed interaction weight, a two-step
tie from shared partners.

Active teams are open operator actions of ``team.team_action_kinds`` (``add_to_team``), one team
per distinct ``attrs.team`` (else ``group_id``); the brief's own team does not count as load: its seated
members (:func:`seated_members`) take their seats instead (:mod:`reef.layers.team_seats`). The other roles a
member holds (a council seat, a suggested circle leadership, :func:`reef.layers.standing.roles_held`) count as
load like a team.

Example:
    >>> from reef.store import open_store
    >>> s = open_store(":memory:")
    >>> active_teams(s, ["add_to_team"], exclude_team="x")
    {}
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reef.actions.cutoff import NO_LIMIT, action_cutoff
from reef.errors import NotFoundError, with_cli_hint
from reef.i18n import plural
from reef.layers.standing import roles_held
from reef.layers.team_brief import TeamBrief
from reef.layers.team_ties import load_ties

__all__ = ["Candidates", "active_teams", "load_candidates", "seated_members", "running_team_as_seen", "seat_fit",
           "require_fitness", "FIT_COLUMN"]

FIT_COLUMN = {"writer": "writer_fit", "visual": "visual_fit", "structurer": "structurer_fit",
              "member": "greatest(writer_fit, visual_fit, structurer_fit)"}


@dataclass
class Candidates:
    """Everything the search and the explanations need about the pooled members (index = row)."""

    ids: list[str]
    rows: list[dict]
    aspect_rows: dict[tuple[int, str], dict]
    fit: np.ndarray
    tie: np.ndarray
    direct_n: np.ndarray
    shared: np.ndarray
    penalty: np.ndarray
    teams: list[list[str]]
    roles: list[list[dict]] = field(default_factory=list)
    pools: dict[str, list[int]] = field(default_factory=dict)
    filtered: dict[str, int] = field(default_factory=dict)


def _open_at(store, as_of) -> tuple[str, str, dict]:
    """(source, condition, parameters) selecting the actions open at ``as_of`` (None: now). An action done or cancelled
    after ``as_of`` (its ``done_at`` / ``cancelled_at``) was still open then; one recorded after it did not exist. An
    ``as_of`` at or after the data's end is now: seats given since then count (:mod:`reef.actions.cutoff`)."""
    if as_of is not None and action_cutoff(store, as_of) == NO_LIMIT:
        as_of = None
    if as_of is None:
        return "operator_actions", "coalesce(status, 'done') = 'open'", {}
    return "operator_actions_at($ts)", """(coalesce(status, 'done') = 'open' OR (coalesce(status, 'done') IN ('done', 'cancelled')
        AND coalesce(TRY_CAST(json_extract_string(attrs, '$.done_at') AS TIMESTAMPTZ),
                     TRY_CAST(json_extract_string(attrs, '$.cancelled_at') AS TIMESTAMPTZ)) > $ts))""", {"ts": as_of}


def active_teams(store, kinds: list[str], *, exclude_team: str | None, as_of=None) -> dict[str, list[str]]:
    """Member id -> names of the active teams they are on (open actions of ``kinds``), at ``as_of`` or now (:func:`_open_at`)."""
    source, is_open, params = _open_at(store, as_of)
    rows = store.fetch_all(f"""
        SELECT member_id, list(DISTINCT team ORDER BY team) FROM (
            SELECT member_id, coalesce(json_extract_string(attrs, '$.team'), group_id, action_id) AS team FROM {source}
            WHERE kind IN (SELECT unnest($kinds::VARCHAR[])) AND {is_open} AND member_id IS NOT NULL)
        WHERE team IS DISTINCT FROM $own GROUP BY 1""", {"kinds": list(kinds), "own": exclude_team, **params})
    return {m: list(t) for m, t in rows}


def seated_members(store, team: str, kinds: list[str], as_of=None) -> list[dict]:
    """Members on ``team`` at ``as_of`` or now (open actions of ``kinds``, :func:`_open_at`): member id, name and role,
    in the order they were seated.

    >>> from reef.store import open_store
    >>> seated_members(open_store(":memory:"), "x", ["add_to_team"])
    []
    """
    if not store.table_exists("operator_actions"):
        return []
    source, is_open, params = _open_at(store, as_of)
    return store.fetch_dicts(f"""
        SELECT a.member_id, any_value(m.name) AS name, any_value(json_extract_string(a.attrs, '$.role')) AS role
        FROM (SELECT * FROM {source} WHERE {is_open}) a LEFT JOIN members m USING (member_id)
        WHERE a.kind IN (SELECT unnest($k::VARCHAR[])) AND a.member_id IS NOT NULL
          AND coalesce(json_extract_string(a.attrs, '$.team'), a.group_id, a.action_id) = $t
        GROUP BY a.member_id ORDER BY min(a.created_at), a.member_id""", {"k": list(kinds), "t": team, **params})


def running_team_as_seen(store, typed: str, kinds: list[str], as_of=None) -> str | None:
    """The running team at ``as_of`` or now (open actions of ``kinds``) whose masked name is ``typed``, as stored; None
    when there is none. A masked reader (a viewer) names a team by what it sees: a guess of the unmasked name finds no team.

    >>> from reef.store import open_store
    >>> running_team_as_seen(open_store(":memory:"), "x", ["add_to_team"]) is None
    True
    """
    if not store.table_exists("operator_actions"):
        return None
    source, is_open, params = _open_at(store, as_of)
    rows = store.fetch_all(f"""
        SELECT team FROM (SELECT DISTINCT coalesce(json_extract_string(attrs, '$.team'), group_id, action_id) AS team
                          FROM {source} WHERE kind IN (SELECT unnest($k::VARCHAR[])) AND {is_open} AND member_id IS NOT NULL)
        WHERE reef_mask_text(team) = $t ORDER BY team = $t DESC, team LIMIT 1""", {"k": list(kinds), "t": typed, **params})
    return rows[0][0] if rows else None


def _circle(store, circle: str) -> dict:
    """Parameters selecting a circle: groups (id or name) members posted in, else a discovered interest circle."""
    rows = store.fetch_all("SELECT group_id FROM groups WHERE group_id = $c OR name = $c", {"c": circle})
    if rows:
        return {"gids": [r[0] for r in rows]}
    if store.table_exists("layers_circles") and store.table_exists("layers_circle_members"):
        rows = store.fetch_all("SELECT circle_id FROM layers_circles WHERE circle_id = $c OR name = $c", {"c": circle})
        if rows:
            return {"cids": [r[0] for r in rows]}
    raise with_cli_hint(NotFoundError(f"No group or circle called {circle!r}.", facts={"circle": circle},
                                      hint="Give a group id or name from the groups table, or a circle id or name from groups()."),
                        "Give a group id or name from the groups table, or a circle id or name from `reef groups`.")


def _where(params: dict) -> str:
    """Members who may be proposed: no burnout alert, not overloaded or excluded, in the circle if one is given."""
    where = "NOT r.burnout AND r.member_id NOT IN (SELECT unnest($ex::VARCHAR[]))"
    if "gids" in params:
        where += " AND list_has_any(r.groups, $gids)"
    if "cids" in params:
        where += " AND r.member_id IN (SELECT member_id FROM layers_circle_members WHERE circle_id IN (SELECT unnest($cids::VARCHAR[])))"
    return where


def _pool_sql(kind: str, params: dict) -> str:
    if kind == "expert":
        return f"""SELECT a.member_id FROM layers_aspect_fitness a JOIN layers_role_fitness r USING (member_id)
                   WHERE a.aspect = $aspect AND a.fit > 0 AND {_where(params)} ORDER BY a.fit DESC, a.member_id LIMIT $n"""
    col = FIT_COLUMN[kind]
    return f"""SELECT r.member_id FROM layers_role_fitness r WHERE {col} > 0 AND {_where(params)}
               ORDER BY {col} DESC, r.member_id LIMIT $n"""


def require_fitness(store) -> None:
    """Refuse when there is no talent pool (``layers_role_fitness``) yet: run the analyses first."""
    if not store.table_exists("layers_role_fitness"):
        raise with_cli_hint(NotFoundError("The role fitness table layers_role_fitness does not exist.", facts={"table": "layers_role_fitness"},
                                          hint="Run the analyses first (team() does it for you)."),
                            "Run `reef analyze` first (reef team does it for you).")


def load_candidates(store, brief: TeamBrief, config, *, alternatives: int, load_as_of=None, own_team: bool = True) -> Candidates:
    """Pools, fitness per seat, ties and penalties for ``brief`` from the fitness tables and the graph. The brief's
    own running team is no load (``own_team=False``: its name names no team the reader may see, so none is left out)."""
    require_fitness(store)
    c = config.section("team")
    teams = active_teams(store, list(c["team_action_kinds"]), exclude_team=brief.name if own_team else None,
                         as_of=load_as_of)
    overloaded = [m for m, t in teams.items() if len(t) >= int(c["max_active_teams"])]
    params = {"ex": sorted(set(overloaded) | set(brief.exclude))}
    if brief.circle:
        params.update(_circle(store, brief.circle))
    pools: dict[str, list[str]] = {}
    order: list[str] = []
    for role in brief.roles:
        limit = max(int(c["pool_size"]), role["count"] + alternatives + 2)
        extra = {"aspect": role["aspect"]} if role["role"] == "expert" else {}
        got = [r[0] for r in store.fetch_all(_pool_sql(role["role"], params), {**params, **extra, "n": limit})]
        pools[role["key"]] = got
        order += got
    ids = list(dict.fromkeys(order))
    if len(ids) < brief.size + alternatives:  # too few fitting members: widen with the highest potential
        more = store.fetch_all(f"SELECT r.member_id FROM layers_role_fitness r WHERE {_where(params)} "
                               "ORDER BY r.potential DESC, r.member_id LIMIT $n", {**params, "n": brief.size + alternatives + len(ids)})
        ids = list(dict.fromkeys(ids + [r[0] for r in more]))
    if len(ids) < brief.size:
        raise NotFoundError(f"Only {plural(len(ids), 'member')} can be proposed for {plural(brief.size, 'seat')}.",
                            hint="Lower the role counts, drop the circle or exclude list, or lower team.min_stage.",
                            message_zh=f"只有{len(ids)}名成员可以提名，不够{brief.size}个席位。",
                            hint_zh="请减少各角色人数、去掉圈子或排除名单，或调低 team.min_stage。",
                            facts={"have": len(ids), "seats": brief.size})
    rows = {r["member_id"]: r for r in store.fetch_dicts(
        "SELECT * EXCLUDE (as_of) FROM layers_role_fitness WHERE member_id IN (SELECT unnest($ids::VARCHAR[]))", {"ids": ids})}
    index = {m: i for i, m in enumerate(ids)}
    needed = sorted({s.aspect for s in brief.slots + brief.role_slots if s.aspect} | set(brief.aspects))
    aspect_rows = {(index[r["member_id"]], r["aspect"]): r for r in store.fetch_dicts(
        """SELECT member_id, aspect, fit, answers, accepted, thanked, posts FROM layers_aspect_fitness
           WHERE member_id IN (SELECT unnest($ids::VARCHAR[])) AND aspect IN (SELECT unnest($asp::VARCHAR[]))""",
        {"ids": ids, "asp": needed or [""]})}
    fit = np.zeros((len(ids), brief.size))
    role_cols = brief.role_slots  # an open seat is scored by every role of the brief, seated ones included
    for j, slot in enumerate(brief.slots):
        for i, m in enumerate(ids):
            fit[i, j] = seat_fit(rows[m], slot, aspect_rows, i, role_cols)
    if brief.aspects:
        bonus = np.array([np.mean([aspect_rows.get((i, a), {}).get("fit", 0.0) for a in brief.aspects]) for i in range(len(ids))])
        fit = fit + float(c["aspect_bonus"]) * bonus[:, None]
    tie, direct_n, shared = load_ties(store, ids, c)
    member_teams = [teams.get(m, []) for m in ids]
    held = roles_held(store, ids)
    member_roles = [[r for r in held.get(m, []) if r["kind"] != "team"] for m in ids]  # teams: as of load_as_of, above
    penalty = np.array([float(c["load_penalty"]) * (len(member_teams[i]) + len(member_roles[i]))
                        + float(c["cooling_penalty"]) * bool(rows[m]["cooling"])
                        + float(c["care_penalty"]) * bool(rows[m]["care"]) for i, m in enumerate(ids)])
    return Candidates(ids=ids, rows=[rows[m] for m in ids], aspect_rows=aspect_rows, fit=fit, tie=tie, direct_n=direct_n,
                      shared=shared, penalty=penalty, teams=member_teams, roles=member_roles, pools={k: [index[m] for m in v] for k, v in pools.items()},
                      filtered={"overloaded": len(overloaded), "excluded": len(brief.exclude)})


def seat_fit(row: dict, slot, aspect_rows: dict, i: int, role_slots: list) -> float:
    """Member ``i``'s fitness for ``slot`` (no aspect bonus): an expert's aspect fit, an open seat's best of ``role_slots``."""
    if slot.kind == "expert":
        return float(aspect_rows.get((i, slot.aspect), {}).get("fit", 0.0))
    if slot.kind == "member":  # an open seat: the member's strongest role among the brief's roles
        return max([seat_fit(row, s, aspect_rows, i, []) for s in role_slots] or [0.0])
    return float(row[f"{slot.kind}_fit"] or 0.0)
