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

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from reef import actions as A
from reef.errors import InvalidParameterError
from reef.i18n import LANGUAGES, check_lang, code_label
from reef.server.deps import Principal, client_of, get_store, guarded, require
from reef.store.coverage import local_time
from reef.web import TEMPLATES, vendor_url
from reef.web.idlinks import link_ids
from reef.web.messages import tr

__all__ = ["Page", "PAGES", "register_page", "render", "build_pages_router", "LANG_COOKIE", "lang_of", "check_page_lang",
           "page_number", "page_size", "paged_loader", "form_error"]

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
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["idlinks"] = link_ids  # ids in evidence sentences as links (escapes the text first)
    return env


_ENV = None


def _chart(spec, element_id: str = ""):
    """A chart: server-side SVG (pages work without JavaScript), upgraded by reef.js to the vendored
    plotly.js when it loads. The spec travels as JSON in a data attribute (escaped by markupsafe)."""
    import json

    from markupsafe import Markup, escape

    from reef.report.charts import chart_data, chart_svg
    if not spec.x or not spec.series:
        return Markup("")
    data = json.dumps(chart_data(spec), ensure_ascii=False)
    ident = f' id="{escape(element_id)}"' if element_id else ""
    return Markup(f'<figure class="chart"{ident} data-chart="{escape(data)}"><div class="chart-static">'
                  f'{chart_svg(spec)}</div>{"<figcaption>" + str(escape(spec.title)) + "</figcaption>" if spec.title else ""}'
                  "</figure>")


def _spec(kind: str, x, series, title: str = "", markers=()):
    """Build a chart spec inside a template: ``spec('line', days, [(label, values)], title)``."""
    from reef.report.charts import ChartSpec
    return ChartSpec(kind, list(x), [(name, list(values)) for name, values in series], title=title, markers=list(markers))


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
        path=request.url.path, chart=_chart, spec=_spec, code=lambda value: code_label(value, lang),
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
    """A positive integer query parameter (page numbers of the dashboard's paginated tables)."""
    from reef.params import MAX_PAGE

    try:
        return min(MAX_PAGE, max(1, int(request.query_params.get(name, default))))
    except ValueError:
        raise InvalidParameterError(name, request.query_params.get(name), "a positive integer") from None


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


def _load_member(store, request, who, form: dict[str, str] | None = None, form_error: str = ""):
    from reef.ladder import member_ladder

    n = int(request.app.state.config.get("server.profile_contributions"))
    member_id = request.path_params["member_id"]
    card = member_ladder(store, member_id, masked=who.masked)  # stage, evidence, flags explained
    return {"p": A.member_profile(store, member_id, masked=who.masked, contributions=n),
            "kinds": A.ACTION_KINDS, "offered": A.OFFERED_KINDS, "form": form or {}, "form_error": form_error,
            "already": request.query_params.get("already", "") if form is None else "", "ladder": card}


# The member form's fields as its error messages name them (message keys).
_FORM_FIELDS = {"kind": "field.kind", "status": "field.status", "note": "field.note", "group": "action.group",
                "content": "action.content_id", "campaign": "action.campaign", "team": "action.team", "role": "action.role",
                "layer": "action.layer", "brief": "action.brief", "due": "action.due", "text": "action.text", "task": "action.task"}


def form_error(exc: Exception, kind: str, lang: str, values: dict[str, str] | None = None) -> str:
    """What the member form says, in the page's language, when :func:`reef.actions.record_action` refuses it: the
    field at fault in the form's own words (no CLI or API hints on a dashboard page). ``values``: what was typed.

    >>> from reef.errors import InvalidParameterError
    >>> form_error(InvalidParameterError("group", None, "a group"), "appoint_leader", "zh")
    '「任命组长」需要填写小组ID。'
    """
    import re

    from reef.actions.kinds import ACTION_DETAILS

    field = getattr(exc, "name", None) or getattr(getattr(exc, "where", None), "field", None) or ""

    def name(key: str) -> str:  # a field's label inside a sentence ("needs the group id")
        text = tr(_FORM_FIELDS[key], lang) if key in _FORM_FIELDS else key
        return text[:1].lower() + text[1:] if lang == "en" else text

    label = name(field)
    kind_label = A.ACTION_KINDS.get(kind, (kind, kind))[lang == "en"]
    takes = ACTION_DETAILS.get(kind, {})
    value = getattr(exc, "value", None)
    expected = str(getattr(exc, "expected", ""))
    if isinstance(exc, InvalidParameterError):
        if field in takes and takes[field] and value is None:
            return tr("form.needs", lang, kind=kind_label, field=label)
        if field in _FORM_FIELDS and field not in ("kind", "status", "note") and field not in takes:
            names = ("、" if lang == "zh" else ", ").join(name(k) for k in takes)
            return tr("form.not_taken", lang, kind=kind_label, field=label, takes=names) if names else \
                tr("form.not_taken_none", lang, kind=kind_label, field=label)
        limit = re.match(r"at most (\d+) characters", expected)
        if limit:
            return tr("form.too_long", lang, field=label, limit=limit.group(1))
        if field in ("due", "task"):
            return tr(f"form.{field}", lang)
        return tr("form.invalid", lang, field=label, expected=expected)
    if field in ("content", "campaign"):
        return tr(f"form.{field}_missing", lang, value=(values or {}).get(field, "").strip())
    return getattr(exc, "message", str(exc))


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
    from reef.server.tasks import PROGRESS_FORMATS, job_view, upload_limit
    started = request.query_params.get("job", "")
    lang = lang_of(request)
    return {"data": imports_overview(store, page=page_number(request), per_page=page_size(request),
                                     masked=who.masked, lang=lang),
            "jobs": [job_view(j, lang, admin=who.role == "admin") for j in request.app.state.jobs.list()[:10]],
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


def _with_query(path: str, name: str, value: str) -> str:
    """``path`` (a same-site path, maybe with a query and a fragment) with ``name=value`` added to its query."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("recorded", "already")]
    return urlunsplit(("", "", parts.path, urlencode([*query, (name, value)]), parts.fragment))


def build_pages_router() -> APIRouter:
    r = APIRouter(tags=["pages"])
    for page in list(PAGES.values()):
        _page_route(r, page)

    @guarded(r, "POST", "/members/{member_id}/actions", "operator", include_in_schema=False)
    def record(member_id: str, request: Request, kind: str = Form(...), note: str = Form(""),
               status: str = Form("open"), next: str = Form(""), group: str = Form(""), content: str = Form(""),  # noqa: A002
               campaign: str = Form(""), team: str = Form(""), role: str = Form(""), layer: str = Form(""),
               brief: str = Form(""), due: str = Form(""), text: str = Form(""), task: str = Form(""),
               store=Depends(get_store), who: Principal = Depends(require("operator"))):
        from reef.errors import NotFoundError

        typed = {"group": group, "content": content, "campaign": campaign, "team": team, "role": role, "layer": layer,
                 "brief": brief, "due": due, "text": text, "task": task}
        # The form offers every detail field; only those filled in are passed, so each kind gets its own.
        filled = {k: v.strip() for k, v in typed.items() if v.strip()}
        try:
            action = A.record_action(store, member_id, kind, note=note or None, status=status, details=filled or None,
                                     source="dashboard", by=who.username, role=who.role, client=client_of(request))
        except (InvalidParameterError, NotFoundError) as exc:
            if isinstance(exc, NotFoundError) and not (exc.where and exc.where.field):
                raise  # no such member: the error page
            # The member's page again, with what was typed and the problem in the page's language.
            form = {"kind": kind, "note": note, "status": status, **typed}
            data = _load_member(store, request, who, form=form, form_error=form_error(exc, kind, lang_of(request), typed))
            return render(request, "member.html", {"page": PAGES["member"], **data}, who=who, status_code=422)
        again = "already" if action.get("already_recorded") else "recorded"
        # Back to the page the action was taken on (a boost from 活动与涟漪, told what was recorded), same-site paths only.
        if next.startswith("/") and not next.startswith("//"):
            return RedirectResponse(_with_query(next, again, action["action_id"]), status_code=303)
        back = f"/members/{quote(member_id, safe='')}"
        return RedirectResponse(_with_query(back, again, action["action_id"]) if again == "already" else back, status_code=303)

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

    @guarded(r, "POST", "/imports/upload", "operator", include_in_schema=False)
    def upload(request: Request, files: list[UploadFile] = File(...), format: str = Form("auto"),  # noqa: A002
               who: Principal = Depends(require("operator"))):
        from reef.server.tasks import start_import
        job = start_import(request.app.state, who, client_of(request), files, fmt=format)
        return RedirectResponse(f"/imports?job={job['job_id']}", status_code=303)

    return r
