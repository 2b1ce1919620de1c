"""The team builder's front doors: ``GET /api/v1/team/proposal`` and the 组建项目团队 page's adopt button.

Both call one library function of :mod:`reef.layers.team_builder`: the API route takes the page's
form fields as query parameters and answers the proposal as JSON (a refused brief is 422
``invalid_parameter``, ``where.field`` the form field and ``hint`` the reason in ``lang``); ``POST /org/team/adopt``
(operators, CSRF field) records the proposed team as open ``add_to_team`` actions and returns to the
组织 page, whose active-teams list now shows it. The page itself is registered by
:mod:`reef.layers.surfaces`.
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from reef.errors import InvalidParameterError, Location
from reef.i18n import check_lang
from reef.server.cache import cached_json
from reef.server.deps import Principal, client_of, get_store, guarded, require

__all__ = ["build_team_router"]


def _parameters() -> list[dict]:
    """The form's fields as the API documents them: what each takes, from the constants the brief is checked with."""
    from reef.layers.team_brief import ASPECTS
    from reef.layers.team_form import COUNT_RANGES, FIELD_LABELS, LIST_FIELDS
    from reef.params import DAY_EXAMPLE, DAY_PATTERN

    def schema(k: str) -> dict:
        if k in LIST_FIELDS:  # one of the car aspects each
            return {"type": "array", "items": {"type": "string", "enum": list(ASPECTS)}}
        if k in COUNT_RANGES:
            return {"type": "integer", "minimum": COUNT_RANGES[k][0], "maximum": COUNT_RANGES[k][1]}
        if k == "deadline":  # a date, as the brief reads it (reef.layers.team_brief): of a timestamp only the date
            return {"type": "string", "pattern": DAY_PATTERN, "example": DAY_EXAMPLE}
        return {"type": "string"}

    return [{"name": k, "in": "query", "required": k in ("name", "deadline"), "schema": schema(k),
             "description": f"{en} ({zh})"} for k, (zh, en) in FIELD_LABELS.items()]


def build_team_router() -> APIRouter:
    r = APIRouter(tags=["team"])

    @guarded(r, "GET", "/api/v1/team/proposal", "viewer", summary="Propose a project team for a brief (the 组建项目团队 form)",
             description="The form's fields as query parameters (`expert` and `aspects` repeat, one aspect each); the answer "
                         "is `reef team --json`'s plus `roles` (coverage and alternatives per role). Names masked for viewers.",
             openapi_extra={"parameters": _parameters()})
    async def proposal(request: Request, lang: Optional[str] = None, store=Depends(get_store),
                       who: Principal = Depends(require("viewer"))):
        from reef.layers.team_builder import team_builder

        lang = check_lang(lang or request.app.state.config.get("general.language"))

        def compute() -> dict:
            data = team_builder(store, request.query_params, lang=lang, masked=who.masked, ask=True)
            if data["error"]:  # the page's reason, in lang, as the hint; where.field names the form field
                field = data["error_field"] or "brief"
                err = InvalidParameterError(field, data["form"].get(field), "a brief the team builder can propose for",
                                            hint=data["error"])
                err.where = Location(field=field)
                raise err
            return data["proposal"]

        key = ("team", tuple(sorted(request.query_params.multi_items())), lang, who.masked)
        return await cached_json(request, key, compute)

    @guarded(r, "POST", "/org/team/adopt", "operator", include_in_schema=False)
    def adopt(request: Request, team: str = Form(""), member: list[str] = Form([]), role: list[str] = Form([]),
              store=Depends(get_store), who: Principal = Depends(require("operator"))):
        from reef.layers.team_builder import adopt_team

        if len(role) != len(member):
            raise InvalidParameterError("role", len(role), f"one role per member ({len(member)})")
        done = adopt_team(store, team, list(zip(member, role)), by=who.username, role=who.role, client=client_of(request))
        query = urlencode({"adopted": done["team"], "n": len(done["recorded"])})
        return RedirectResponse(f"/org?{query}#teams", status_code=303)

    return r
