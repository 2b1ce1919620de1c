"""Dashboard pages: a registry of pages, one generic handler, and the form posts.

A :class:`Page` names its path, title, template and a ``load(store, request, who)`` function
that calls ONE library function; the nav bar is built from the registry in order. Later
capabilities add theirs with :func:`register_page` (docs/surfaces.md). Member-written text is
only ever rendered through Jinja2 autoescaping.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reef import actions as A
from reef.errors import InvalidParameterError
from reef.i18n import LANGUAGES
from reef.server.deps import Principal, client_of, get_store, guarded, require
from reef.web import TEMPLATES
from reef.web.messages import tr

__all__ = ["Page", "PAGES", "register_page", "render", "build_pages_router", "LANG_COOKIE"]

LANG_COOKIE = "reef_lang"


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    title: str  # message key
    template: str
    load: Callable[..., dict[str, Any]]
    role: str = "viewer"
    nav: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


PAGES: dict[str, Page] = {}


def register_page(page: Page) -> Page:
    PAGES[page.key] = page
    return page


def _env():
    import jinja2
    # Autoescape everything: member names and posts may contain HTML or script.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


_ENV = None


def _chart(rows: list[dict[str, Any]], column: str):
    # Server-side SVG (labels escaped inside line_chart_svg): no chart library, works offline.
    from markupsafe import Markup
    from reef.report.model import line_chart_svg
    return Markup(line_chart_svg([(r["day"], float(r[column] or 0)) for r in rows]))


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or \
        request.app.state.config.get("general.language")
    return lang if lang in LANGUAGES else "zh"


def render(request: Request, template: str, context: dict[str, Any], *, who: Principal | None,
           status_code: int = 200) -> HTMLResponse:
    """Render ``template`` with the nav, language, CSRF token and message function."""
    global _ENV
    _ENV = _ENV or _env()
    lang = lang_of(request)
    nav = [p for p in PAGES.values() if p.nav and who is not None and A.allowed(who.role, p.role)]
    html = _ENV.get_template(template).render(
        request=request, who=who, lang=lang, t=lambda key, **kw: tr(key, lang, **kw), nav=nav,
        csrf=who.csrf_token if who else "", can=lambda role: who is not None and A.allowed(who.role, role),
        path=request.url.path, chart=_chart, **context)
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", path="/", max_age=365 * 86400)
    return response


def _int(request: Request, name: str, default: int = 1) -> int:
    try:
        return max(1, int(request.query_params.get(name, default)))
    except ValueError:
        raise InvalidParameterError(name, request.query_params.get(name), "a positive integer") from None


def _page_size(request: Request) -> int:
    return int(request.app.state.config.get("server.page_size"))


def _load_today(store, request, who):
    from reef.actions.overview import today_overview
    return {"data": today_overview(store)}


def _load_members(store, request, who):
    q = request.query_params.get("q") or None
    return {"q": q or "", "data": A.page_view(store, "member_summary", q=q, page=_int(request, "page"),
                                              per_page=_page_size(request), masked=who.masked)}


def _load_member(store, request, who):
    n = int(request.app.state.config.get("server.profile_contributions"))
    return {"p": A.member_profile(store, request.path_params["member_id"], masked=who.masked, contributions=n),
            "kinds": A.ACTION_KINDS}


def _load_tasks(store, request, who):
    status = request.query_params.get("status") or None
    return {"status": status or "", "statuses": A.ACTION_STATUSES, "kinds": A.ACTION_KINDS,
            "data": A.list_actions(store, status=status, page=_int(request, "page"), per_page=_page_size(request))}


def _load_imports(store, request, who):
    from reef.actions.overview import imports_overview
    return {"data": imports_overview(store, page=_int(request, "page"), per_page=_page_size(request),
                                     masked=who.masked), "jobs": request.app.state.jobs.list()[:10]}


register_page(Page("today", "/", "nav.today", "today.html", _load_today))
register_page(Page("members", "/members", "nav.members", "members.html", _load_members))
register_page(Page("member", "/members/{member_id}", "member.profile", "member.html", _load_member, nav=False))
register_page(Page("tasks", "/tasks", "nav.tasks", "tasks.html", _load_tasks))
register_page(Page("imports", "/imports", "nav.imports", "imports.html", _load_imports))


def _page_route(router: APIRouter, page: Page) -> None:
    def handler(request: Request, store=Depends(get_store), who: Principal = Depends(require(page.role))):
        return render(request, page.template, {"page": page, **page.load(store, request, who)}, who=who)

    handler.__name__ = f"page_{page.key}"
    guarded(router, "GET", page.path, page.role, include_in_schema=False, response_class=HTMLResponse)(handler)


def build_pages_router() -> APIRouter:
    r = APIRouter(tags=["pages"])
    for page in list(PAGES.values()):
        _page_route(r, page)

    @guarded(r, "POST", "/members/{member_id}/actions", "operator", include_in_schema=False)
    def record(member_id: str, request: Request, kind: str = Form(...), note: str = Form(""),
               status: str = Form("open"), store=Depends(get_store), who: Principal = Depends(require("operator"))):
        A.record_action(store, member_id, kind, note=note or None, status=status, source="dashboard",
                        by=who.username, role=who.role, client=client_of(request))
        return RedirectResponse(f"/members/{quote(member_id, safe='')}", status_code=303)

    @guarded(r, "POST", "/tasks/{action_id}", "operator", include_in_schema=False)
    def update(action_id: str, request: Request, status: str = Form(...), store=Depends(get_store),
               who: Principal = Depends(require("operator"))):
        A.update_action(store, action_id, status=status, by=who.username, role=who.role, client=client_of(request))
        return RedirectResponse("/tasks", status_code=303)

    @guarded(r, "POST", "/imports/analyze", "operator", include_in_schema=False)
    def analyze(request: Request, who: Principal = Depends(require("operator"))):
        from reef.server.tasks import start_analyze
        start_analyze(request.app.state, who, client_of(request))
        return RedirectResponse("/imports", status_code=303)

    return r
