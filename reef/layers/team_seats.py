"""Seats already taken on a running project team: who holds which seat of the brief, and the brief of the open seats.

Proposing a brief whose team is already running (open ``add_to_team`` actions with ``attrs.team`` = the brief's
name, :func:`reef.layers.team_pool.seated_members`) fills only the open seats. Each seated member takes a seat of
the role recorded for them (``attrs.role``): the role's label as the brief shows it (主笔, 视觉总监,
续航与充电技术专家 — what adopting a proposal records), its key (``writer``, ``expert:续航与充电``), a name the brief
accepts for it (摄影, writer), or an expert role whose aspect the recorded role names (续航与充电专家). A member with
no recorded role, or one the brief does not have, or whose role is full, takes an open seat (成员) if one is
left; otherwise they are listed without a seat. :func:`fill_seats` returns the seated members with their seat's
role and the brief of the seats still open (a role with several seats keeps the remaining count; a role with
none left is dropped), which also leaves the seated members out of the candidates.

Example:
    >>> from reef.layers.team_brief import parse_brief
    >>> b = parse_brief({"name": "x", "deadline": "2026-08-31", "size": 4,
    ...                  "roles": [{"role": "writer", "count": 2}, {"role": "expert", "aspect": "续航与充电"}]})
    >>> seated, rest = fill_seats(b, [{"member_id": "m1", "name": None, "role": "主笔"},
    ...                               {"member_id": "m2", "name": None, "role": "续航与充电专家"},
    ...                               {"member_id": "m3", "name": None, "role": "顾问"}])
    >>> [(x["member_id"], x["role_key"]) for x in seated]
    [('m1', 'writer'), ('m2', 'expert:续航与充电'), ('m3', 'member')]
    >>> [(r["key"], r["count"]) for r in rest.roles], rest.size, rest.exclude
    ([('writer', 1)], 1, ('m1', 'm2', 'm3'))
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from reef.layers.team_brief import _ALIASES, ROLE_KINDS, TeamBrief

__all__ = ["fill_seats", "role_of", "seated_rows"]


def role_of(recorded: str | None, roles: list[dict[str, Any]]) -> list[str]:
    """The brief's role keys (open seats left out) a recorded role names, best match first.

    >>> role_of("视觉总监", [{"key": "visual", "role": "visual", "aspect": None, "label_zh": "视觉总监", "label_en": "visual"}])
    ['visual']
    """
    text = (recorded or "").strip()
    if not text:
        return []
    named = [r for r in roles if r["key"] != "member"]
    exact = [r["key"] for r in named if text.lower() in (r["key"].lower(), r["label_zh"].lower(), r["label_en"].lower())]
    kind = _ALIASES.get(text, text.lower())
    by_aspect = [r["key"] for r in named if r["aspect"] and r["aspect"] in text]
    by_kind = [r["key"] for r in named if kind in ROLE_KINDS and r["role"] == kind]
    return list(dict.fromkeys(exact + by_aspect + by_kind))


def fill_seats(brief: TeamBrief, seated: list[dict]) -> tuple[list[dict], TeamBrief]:
    """Give each of ``seated`` (``member_id``, ``name``, ``role`` as recorded, in the order they were seated) a seat.

    Returns the seated members in the brief's order of roles (members left without a seat last), each with ``role_key`` (the seat's role, ``member`` for an open seat, ``None`` when
    no seat was left) and ``role_label`` / ``role_label_en`` (the brief's label, else the role as recorded), and the
    brief of the seats still open, with the seated members added to its ``exclude`` and ``whole`` set to every seat.
    """
    free = Counter(s.key for s in brief.slots)
    keys: dict[str, str | None] = {}
    for x in seated:  # first the members whose recorded role the brief has, in the order they were seated
        key = next((k for k in role_of(x.get("role"), brief.roles) if free[k] > 0), None)
        if key:
            keys[x["member_id"]], free[key] = key, free[key] - 1
    for x in seated:  # then the rest take the open seats (成员), while any are left
        if x["member_id"] not in keys:
            key = "member" if free["member"] > 0 else None
            keys[x["member_id"]] = key
            free["member"] -= key is not None
    labels = {r["key"]: (r["label_zh"], r["label_en"]) for r in brief.roles}
    place = {r["key"]: n for n, r in enumerate(brief.roles)}
    out = []
    for x in sorted(seated, key=lambda x: place.get(keys[x["member_id"]], len(place))):  # the brief's order; seatless last
        key = keys[x["member_id"]]
        zh, en = labels.get(key, (x.get("role") or "", x.get("role") or ""))
        out.append({**x, "role_key": key, "role_label": zh, "role_label_en": en})
    slots = []
    left = Counter(free)
    for slot in brief.slots:  # keep the brief's order, the seats of each role that are still free
        if left[slot.key] > 0:
            slots.append(slot)
            left[slot.key] -= 1
    roles = [{**r, "count": free[r["key"]]} for r in brief.roles if free[r["key"]] > 0]
    exclude = tuple(dict.fromkeys([*brief.exclude, *(x["member_id"] for x in seated)]))
    return out, replace(brief, slots=slots, roles=roles, exclude=exclude, whole=list(brief.whole or brief.slots))


def _note(x: dict, lang: str) -> str:
    """Why a seated member is on the team: the role the operators recorded, and the seat it takes."""
    zh, recorded = lang == "zh", x.get("role")
    text = (f"已就位（运营记录：{recorded}）" if recorded else "已就位（运营未记录角色）") if zh else \
        (f"seated (recorded by the operators as {recorded})" if recorded else "seated (no role recorded)")
    if x["role_key"] is None:
        text += "；本项目已无对应的空席位，未占席位" if zh else "; no seat of the brief was left for them"
    elif x["role_key"] == "member" and recorded and recorded.strip().lower() not in ("成员", "member"):
        text += "；占一个成员席位" if zh else "; takes an open seat"
    return text


def seated_rows(store, brief: TeamBrief, seated: list[dict], lang: str, *, status: str, aspect_bonus: float = 0.0) -> list[dict]:
    """Team rows of the seated members (seats 1 on; ``None`` for a member left without one), shaped as the proposed seats: fitness for their seat from
    ``layers_role_fitness`` when they are in it (else ``None``), ``seated`` true, ``status`` the word shown."""
    from reef.layers.team_pool import seat_fit

    ids = [x["member_id"] for x in seated]
    fit = {r["member_id"]: r for r in store.fetch_dicts(
        "SELECT * EXCLUDE (as_of) FROM layers_role_fitness WHERE member_id IN (SELECT unnest($ids::VARCHAR[]))", {"ids": ids})}
    aspects = {(r["member_id"], r["aspect"]): r for r in store.fetch_dicts(
        "SELECT member_id, aspect, fit FROM layers_aspect_fitness WHERE member_id IN (SELECT unnest($ids::VARCHAR[]))",
        {"ids": ids})} if store.table_exists("layers_aspect_fitness") else {}
    slot_of = {s.key: s for s in brief.whole or brief.slots}
    rows, n = [], 0
    for x in seated:
        row, slot = fit.get(x["member_id"]), slot_of.get(x["role_key"])
        n += slot is not None  # a member left without a seat gets no seat number
        own = {(0, a): r for (m, a), r in aspects.items() if m == x["member_id"]}
        value = None
        if row and slot:  # as a proposed seat's fitness: with the bonus for the project's aspects
            bonus = sum(own.get((0, a), {}).get("fit", 0.0) for a in brief.aspects) / len(brief.aspects) if brief.aspects else 0.0
            value = round(seat_fit(row, slot, own, 0, brief.role_slots) + aspect_bonus * bonus, 4)
        rows.append({"seat": n if slot else None, "role": x["role_key"], "role_label": x["role_label"] if lang == "zh" else x["role_label_en"],
                     "aspect": slot.aspect if slot else None, "member_id": x["member_id"],
                     "name": x.get("name") or (row or {}).get("name") or x["member_id"],
                     "stage": (row or {}).get("stage"), "stage_name": (row or {}).get("stage_name"), "active_teams": None,
                     "other_roles": None, "cooling": bool((row or {}).get("cooling")), "care": bool((row or {}).get("care")),
                     "fitness": value, "weak": False, "ties": [], "reason": _note(x, lang), "seated": True, "status": status})
    return rows
