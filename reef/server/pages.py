"""Dashboard pages: a registry of pages and one generic handler (the form posts: :mod:`reef.server.page_forms`).

A :class:`Page` names its path, title, template and a ``load(store, request, who)`` function
that calls ONE library function; the nav bar is built from the registry in order. Later
capabilities add theirs with :func:`register_page` (docs/surfaces.md). Member-written text is
only ever rendered through Jinja2 autoescaping.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from reef import actions as A
from reef.errors import InvalidParameterError
from reef.i18n import LANGUAGES, check_lang, code_label
from reef.server.deps import Principal, get_store, guarded, require
from reef.store.coverage import local_time, page_setting, page_wording
from reef.web import TEMPLATES, vendor_url
from reef.web.a11y import chart_figure, symbol_mark
from reef.web.idlinks import link_ids
from reef.web.messages import tr

__all__ = ["Page", "PAGES", "register_page", "render", "build_pages_router", "LANG_COOKIE", "lang_of", "check_page_lang",
           "page_number", "page_size", "paged_loader"]

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
    order: int = 50  # position in the nav bar (today 10 ... imports 95)
    cached: bool = True  # load() reads only the store (not jobs or the clock), so the read cache may keep it


PAGES: dict[str, Page] = {}


def register_page(page: Page) -> Page:
    PAGES[page.key] = page
    return page


def _env():
    import jinja2
    # Autoescape everything: member names and posts may contain HTML or script.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             # a missing value (a member with no name, as every Weibo uid) is an empty cell, never "None"
                             finalize=lambda value: "" if value is None else value)
    env.filters["idlinks"] = link_ids  # ids in evidence sentences as links (escapes the text first)
    env.filters["page_wording"] = page_wording  # a coverage banner's advice names the page's control, not as_of
    env.filters["page_setting"] = page_setting  # ... and its setting's name goes in a folded technical detail
    return env


_ENV = None


def _spec(kind: str, x, series, title: str = "", markers=(), x_label: str = "", marked: str = ""):
    """Build a chart spec inside a template: ``spec('line', days, [(label, values)], title, x_label=t('chart.day'))``;
    ``markers`` flag x indexes, ``marked`` says what they mean (legend and summary)."""
    from reef.report.charts import ChartSpec
    return ChartSpec(kind, list(x), [(name, list(values)) for name, values in series], title=title, markers=list(markers),
                     x_label=x_label, marked=marked)


def lang_of(request: Request) -> str:
    """The page's language: ``?lang=``, else the language cookie, else ``general.language``, else zh. Lenient, since
    error pages use it too; :func:`check_page_lang` refuses an unsupported ``?lang=`` before a page is loaded."""
    for lang in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                 request.app.state.config.get("general.language")):
        if str(lang or "").lower() in LANGUAGES:
            return str(lang).lower()
    return "zh"


def check_page_lang(request: Request) -> None:
    """``?lang=`` other than zh or en is refused (422), as on the API (:func:`reef.i18n.check_lang`)."""
    if "lang" in request.query_params:
        check_lang(request.query_params["lang"])


def render(request: Request, template: str, context: dict[str, Any], *, who: Principal | None,
           status_code: int = 200) -> HTMLResponse:
    """Render ``template`` with the nav, language, CSRF token and message function."""
    global _ENV
    _ENV = _ENV or _env()
    lang = lang_of(request)
    nav = sorted((p for p in PAGES.values() if p.nav and who is not None and A.allowed(who.role, p.role)),
                 key=lambda p: p.order)
    html = _ENV.get_template(template).render(
        request=request, who=who, lang=lang, t=lambda key, **kw: tr(key, lang, **kw), nav=nav,
        csrf=who.csrf_token if who else "", can=lambda role: who is not None and A.allowed(who.role, role),
        path=request.url.path, chart=lambda spec, element_id="": chart_figure(spec, element_id, lang=lang), spec=_spec,
        mark=symbol_mark, code=lambda value: code_label(value, lang),
        other_lang_url=_other_lang_url(request, lang), plotly_js=vendor_url("plotly.min.js"),
        when=lambda value: local_time(value, request.app.state.config.get("general.timezone")), **context)
    response = HTMLResponse(html, status_code=status_code)
    if (request.query_params.get("lang") or "").lower() in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", path="/", max_age=365 * 86400)
    return response


def _other_lang_url(request: Request, lang: str) -> str:
    """The language switch's link: the same page with its search, filters and page number, in the other language."""
    from urllib.parse import urlencode

    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return "?" + urlencode([*pairs, ("lang", "en" if lang == "zh" else "zh")])


def page_number(request: Request, name: str = "page", default: int = 1) -> int:
    """A positive integer query parameter (page numbers of the dashboard's paginated tables): one from 1 to
    :data:`reef.params.MAX_PAGE`, else 422 naming it (as the API's ``page``)."""
    from reef.params import MAX_PAGE

    raw = request.query_params.get(name, default)
    try:
        number = int(raw)
    except ValueError:
        raise InvalidParameterError(name, raw, "a positive integer") from None
    if not 1 <= number <= MAX_PAGE:
        raise InvalidParameterError(name, raw, f"an integer from 1 to {MAX_PAGE}")
    return number


def page_size(request: Request) -> int:
    """Rows per dashboard table page (``server.page_size``)."""
    return int(request.app.state.config.get("server.page_size"))


def paged_loader(reader: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """A page's ``load`` for a library reader ``reader(store, *, lang, page, per_page, masked)``: the
    request supplies the language, page number and page size, the principal the masking."""
    def load(store, request: Request, who: Principal) -> dict[str, Any]:
        return {"data": reader(store, lang=lang_of(request), page=page_number(request), per_page=page_size(request),
                               masked=who.masked)}
    return load


def _load_today(store, request, who):
    from reef.actions.overview import today_overview
    lang = lang_of(request)
    data = request.app.state.read_cache.get_or_compute(
        ("overview", lang, who.masked), lambda: today_overview(store, lang=lang, masked=who.masked))
    return {"data": data}


def _load_members(store, request, who):
    from reef.ladder import headcount

    q = request.query_params.get("q") or None
    data = A.page_view(store, "member_summary", q=q, page=page_number(request), per_page=page_size(request), masked=who.masked)
    # Who the list counts (left members and staff accounts), so its total reconciles with 今日, the ladder and the report.
    return {"q": q or "", "data": data, "headcount": headcount(store, of="member_summary") if data.get("available") else None}


def _load_member(store, request, who, form: dict[str, str] | None = None, form_error: str = "", form_field: str = ""):
    from reef.ladder import member_ladder

    n = int(request.app.state.config.get("server.profile_contributions"))
    member_id = request.path_params["member_id"]
    card = member_ladder(store, member_id, masked=who.masked)  # stage, evidence, flags explained
    from reef.actions.kinds import DONE_KINDS
    from reef.actions.listing import group_choices

    en = lang_of(request) == "en"
    # The form's status starts at the kind's default (record_action's): which kinds are recorded done, for its title.
    done_kinds = (", " if en else "、").join(A.ACTION_KINDS[k][en] for k in DONE_KINDS)
    return {"p": A.member_profile(store, member_id, masked=who.masked, contributions=n), "done_kinds": done_kinds,
            "kinds": A.ACTION_KINDS, "offered": A.OFFERED_KINDS, "form": form or {}, "form_error": form_error,
            "form_field": form_field,  # the field a refused post names: marked on the form
            "already": request.query_params.get("already", "") if form is None else "", "ladder": card,
            # the ids the group field accepts (record_action checks them), offered as a list beside free typing
            "group_choices": group_choices(store, lang="en" if en else "zh") if not who.masked else []}


def _load_content(store, request, who):
    return {"p": A.content_view(store, request.path_params["content_id"], masked=who.masked, lang=lang_of(request),
                                show_deleted=who.role == "admin")}


def _load_tasks(store, request, who):
    status = request.query_params.get("status") or None
    return {"status": status or "", "statuses": A.ACTION_STATUSES, "kinds": A.ACTION_KINDS,
            "data": A.list_actions(store, status=status, page=page_number(request), per_page=page_size(request),
                                   masked=who.masked)}


def _load_imports(store, request, who):
    from reef.actions.overview import analysis_title, imports_overview
    from reef.analyses import discover
    from reef.ingest import FORMATS
    from reef.server.job_views import PROGRESS_FORMATS, job_view
    from reef.server.tasks import upload_limit
    started = request.query_params.get("job", "")
    lang = lang_of(request)
    return {"data": imports_overview(store, page=page_number(request), per_page=page_size(request),
                                     masked=who.masked, lang=lang),
            "jobs": [job_view(j, lang, admin=who.role == "admin", masked=who.masked) for j in request.app.state.jobs.list()[:10]],
            "upload_mb": upload_limit(request.app.state.config) >> 20, "started": started if started.isdigit() else "",
            "formats": FORMATS, "progress_formats": PROGRESS_FORMATS,
            # for reef.js, which words a running job's progress as the page does
            "steps": {name: analysis_title(name, lang) for name in discover()}}


register_page(Page("today", "/", "nav.today", "today.html", _load_today, order=10))
register_page(Page("members", "/members", "nav.members", "members.html", _load_members, order=20))
register_page(Page("member", "/members/{member_id}", "member.profile", "member.html", _load_member, nav=False))
register_page(Page("content", "/content/{content_id}", "content.title", "content.html", _load_content, nav=False))
register_page(Page("tasks", "/tasks", "nav.tasks", "tasks.html", _load_tasks, order=90))
register_page(Page("imports", "/imports", "nav.imports", "imports.html", _load_imports, order=95, cached=False))
# 组织 (groups, teams, council) is not here yet: reef.layers will register it from its own surfaces
# module like reef.kb.surfaces does (docs/surfaces.md, "The 组织 page").


def _page_route(router: APIRouter, page: Page) -> None:
    def handler(request: Request, store=Depends(get_store), who: Principal = Depends(require(page.role))):
        check_page_lang(request)
        if page.cached:  # the role (masking; an admin's view of deleted posts) and language are part of the key
            key = ("page", page.key, request.url.path, tuple(sorted(request.query_params.multi_items())),
                   who.masked, who.role, lang_of(request))
            data = request.app.state.read_cache.get_or_compute(key, lambda: page.load(store, request, who))
        else:
            data = page.load(store, request, who)
        # A loader may answer a refused query (a form it could not use) with its own status, 422.
        return render(request, page.template, {"page": page, **data}, who=who, status_code=data.get("status_code", 200))

    handler.__name__ = f"page_{page.key}"
    guarded(router, "GET", page.path, page.role, include_in_schema=False, response_class=HTMLResponse)(handler)


def build_pages_router() -> APIRouter:
    r = APIRouter(tags=["pages"])
    for page in list(PAGES.values()):
        _page_route(r, page)

    # The form posts come after the pages' GET routes, as they always have (imported here: it imports this module).
    from reef.server.page_forms import add_form_posts

    add_form_posts(r)

    return r
