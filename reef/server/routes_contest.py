"""The contest over HTTP: ``GET /api/v1/campaigns``, ``GET /api/v1/contest`` and its download.

Each calls one library function of :mod:`reef.ladder.contest_view` at the ladder's stored as_of (no analysis runs on a
request): the campaigns with their dates and entries judged (the 征集评审 page's picker), the contest as ``reef contest
--json`` prints it (an unknown campaign is 404 ``not_found`` whose hint lists the known ids), and the contest as an
Excel or CSV file (every entry judged, headed as the CLI heads its table, audited as ``contest.download``). Names and
excerpts are masked for every role: contest results are announced to members. The page is :mod:`reef.ladder.contest_page`.
"""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from reef.i18n import check_lang
from reef.server.cache import cached_json
from reef.server.deps import Principal, attachment, client_of, get_store, guarded, require

__all__ = ["build_contest_router"]


def build_contest_router() -> APIRouter:
    from reef.ladder.contest_view import MEDIA_TYPES
    from reef.params import MAX_WHOLE

    r = APIRouter(prefix="/api/v1", tags=["contest"])

    @guarded(r, "GET", "/campaigns", "viewer",
             summary="Campaigns newest first with name, topic, dates and entries judged (`reef campaigns --json` as items)")
    async def campaigns(request: Request, page: int = 1, per_page: Optional[int] = None, store=Depends(get_store),
                        who: Principal = Depends(require("viewer"))):
        from reef.ladder.contest_view import contest_campaigns
        from reef.ladder.queries import ladder_as_of
        from reef.params import check_paging, page_of

        size = int(request.app.state.config.get("server.page_size")) if per_page is None else per_page
        check_paging(page, size, max_per_page=int(request.app.state.config.get("server.max_page_size")))
        # entries judged as the contest judges them
        return await cached_json(request, ("campaigns", page, size),
                                 lambda: page_of(contest_campaigns(store, as_of=ladder_as_of(store)), page, size))

    @guarded(r, "GET", "/contest", "viewer",
             summary="A themed content call judged fairly: `reef contest --json` (entries with each part's points, max_points)",
             bounds={"top": (1, MAX_WHOLE)})  # contest_scores: check_positive("top", top)
    async def contest(request: Request, campaign: str, top: int = 20, lang: Optional[str] = None,
                      store=Depends(get_store), who: Principal = Depends(require("viewer"))):
        from reef.ladder.contest_view import contest_view

        lang = check_lang(lang or request.app.state.config.get("general.language"))
        return await cached_json(request, ("contest", campaign, top, lang),
                                 lambda: contest_view(store, campaign, top=top, lang=lang))

    @guarded(r, "GET", "/contest/download", "viewer",
             summary="Download a contest (format xlsx or csv): every entry judged with each part's points, and 说明",
             media=tuple(MEDIA_TYPES.values()), choices={"format": MEDIA_TYPES})
    def download(request: Request, campaign: str, format: str = "xlsx", lang: Optional[str] = None,  # noqa: A002
                 store=Depends(get_store), who: Principal = Depends(require("viewer"))):
        from reef.actions.log import audit
        from reef.errors import InvalidParameterError
        from reef.ladder.contest_view import contest_file, contest_view
        from reef.server.pages import lang_of

        lang = check_lang(lang) if lang else lang_of(request)  # the dashboard's language when not asked
        if format not in MEDIA_TYPES:  # before any work
            raise InvalidParameterError("format", format, "xlsx or csv")
        content, name = contest_file(contest_view(store, campaign, top=None, lang=lang), format, lang)
        if not store.read_only:  # downloads are audited like exports
            audit(store, who.username, who.role, "contest.download", name, {"campaign": campaign, "format": format},
                  client_of(request))
        return Response(content, media_type=MEDIA_TYPES[format],
                        headers=attachment(name))

    return r
