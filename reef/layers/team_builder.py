"""The team builder (组建项目团队): a brief typed in a form proposed as a team, and a proposal adopted.

:func:`team_builder` is the one call behind the dashboard's ``/org/team`` page and
``GET /api/v1/team/proposal``: it reads the form (:mod:`reef.layers.team_form`), validates the
brief as ``reef team`` does, calls :func:`reef.layers.team.propose_team` and adds, per role of the
brief, its coverage (seats asked, filled, weak, who) and its alternatives; names and reasons are
masked for viewers. A refused form comes back with what was typed and the reason in operator words.
:func:`adopt_team` records a proposal as an active team: one open ``add_to_team`` action per seat
(what ``reef action --kind add_to_team --team NAME --role ROLE`` records), which the 组织 page lists
among the active project teams and later proposals count as load.

Example:
    >>> from reef.store import open_store
    >>> d = team_builder(open_store(":memory:"), {"name": "上手指南", "deadline": "2026-08-31", "writer": "1"}, lang="en")
    >>> d["asked"], d["error_field"], d["error"]
    (True, '', 'No project-team talent pool yet: run the analyses on the Imports page first.')
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reef.errors import ConfigError, InvalidParameterError, NotFoundError
from reef.layers.team_brief import ASPECTS, parse_brief
from reef.layers.team_form import FIELDS, alternatives_of, field_texts, brief_from_form, form_values, refusal

__all__ = ["team_builder", "form_defaults", "adopt_team"]


def _now(tz: ZoneInfo) -> datetime:
    """The wall clock (one place, so tests can set it)."""
    return datetime.now(tz)


def form_defaults(store) -> dict[str, Any]:
    """The empty form: one writer, visual and structurer, a deadline ``team.form_deadline_days`` from today
    (the community's time zone) and ``team.alternatives`` alternatives per role."""
    c = store.config.section("team")
    today = _now(ZoneInfo(str(store.config.get("general.timezone")))).date()
    values = {k: "" for k in FIELDS} | {"expert": [], "aspects": []}
    return values | {"deadline": (today + timedelta(days=int(c["form_deadline_days"]))).isoformat(), "writer": "1",
                     "visual": "1", "structurer": "1", "expert_count": "1", "alternatives": str(c["alternatives"])}


def _by_role(proposal: dict, lang: str) -> list[dict[str, Any]]:
    """Per role of the brief: its label, seats asked and filled (``seated`` of them already on a running team), weak
    seats, members (seated first) and alternatives (none for a role whose seats are all taken)."""
    rows = []
    for role in proposal["brief"]["roles"]:
        seats = [s for s in proposal["team"] if s["role"] == role["key"]]
        rows.append({"key": role["key"], "label": role["label_en" if lang == "en" else "label_zh"], "label_zh": role["label_zh"],
                     "needed": role["count"], "filled": len(seats), "seated": sum(s["seated"] for s in seats),
                     "weak": sum(s["weak"] for s in seats),
                     "members": [{"member_id": s["member_id"], "name": s["name"], "seated": s["seated"]} for s in seats],
                     "alternatives": proposal["alternatives"].get(role["key"], [])})
    return rows


def _mask(proposal: dict) -> dict:
    """Names and reasons (which quote teammates' names) with personal data masked, as viewers see them, and what an
    operator typed on a running team: its name (the brief's, warnings) and the roles given (a role outside the brief
    is its seat's label)."""
    from reef.actions.privacy import mask_rows, mask_text

    proposal["brief"] = {**proposal["brief"], "name": mask_text(proposal["brief"].get("name"))}
    proposal["team"] = mask_rows(proposal["team"], ("name", "reason", "role_label"))
    proposal["alternatives"] = {k: mask_rows(v, ("name", "reason")) for k, v in proposal["alternatives"].items()}
    proposal["seated"] = mask_rows(proposal.get("seated", []), ("name", "role", "role_label", "role_label_en"))
    proposal["warnings"] = mask_text(proposal.get("warnings", []))
    return proposal


def team_builder(store, form: Any, *, lang: str = "zh", masked: bool = True, ask: bool | None = None) -> dict[str, Any]:
    """The team builder for a typed ``form`` (a dict or a query's multi-dict; fields: :data:`FIELDS`).

    ``asked`` is whether a brief was given (any form field present, or ``ask=True``); without one the
    form comes with :func:`form_defaults`. With one: ``proposal`` is :func:`propose_team`'s dict plus
    ``roles`` (:func:`_by_role`), or ``error`` (the reason, in ``lang``) and ``error_field`` (the form
    field at fault, '' when none) with ``form`` as typed.
    """
    asked = any(k in form for k in FIELDS) if ask is None else ask
    out: dict[str, Any] = {"asked": asked, "aspects": list(ASPECTS), "fields": field_texts(lang), "proposal": None, "error": None, "error_field": None}
    if not asked:
        return out | {"form": form_defaults(store)}
    from reef.layers.team import propose_team

    typed = form_values(form)
    fields: list[str] = []
    try:
        raw, fields = brief_from_form(form)
        brief = parse_brief(raw, "<form>")
        proposal = propose_team(store, brief, alternatives=alternatives_of(form), lang=lang, masked=masked)
    except (ConfigError, InvalidParameterError, NotFoundError) as exc:
        out["error_field"], out["error"] = refusal(exc, fields, lang)
        return out | {"form": typed}
    proposal["roles"] = _by_role(_mask(proposal) if masked else proposal, lang)
    return out | {"form": typed, "proposal": proposal}


def adopt_team(store, team: str, seats: list[tuple[str, str]], *, by: str | None = None, role: str | None = None,
               client: str | None = None) -> dict[str, Any]:
    """Record a proposed team as active: an open ``add_to_team`` action (``team``, the seat's role) per
    (member id, role) of ``seats``, in one transaction (all or none), audited. A member already open on
    ``team`` is not added again (listed in ``already``). Returns ``team``, ``recorded`` (action ids), ``already``.
    """
    from reef.actions.log import record_action

    team = (team or "").strip()
    if not team:
        raise InvalidParameterError("team", team, "the project's name (the team's name)")
    if not seats:
        raise InvalidParameterError("member", None, "at least one member to add to the team")
    recorded, already = [], []
    with store.transaction():
        on_team = {r[0] for r in store.fetch_all("SELECT member_id FROM operator_actions WHERE kind = 'add_to_team' "
                                                 "AND status = 'open' AND attrs->>'team' = ?", [team])}
        for member_id, seat_role in seats:
            if member_id in on_team:
                already.append(member_id)
                continue
            action = record_action(store, member_id, "add_to_team", details={"team": team, "role": seat_role or None},
                                   source="dashboard", by=by, role=role, client=client)
            recorded.append(action["action_id"])
            on_team.add(member_id)
    return {"team": team, "recorded": recorded, "already": already}
