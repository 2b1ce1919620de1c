"""Accessibility of the dashboard (WCAG 2.1 AA basics, docs/surfaces.md "Accessibility"), checked without a browser.

Every page the app serves is found from its routes (a GET route outside /api that answers HTML), rendered in Chinese
and in English over the small surface store, and read with the standard library's HTML parser
(tests/web/a11y_rules.py); a new page is checked without being named here. Pages in a state the plain GET does not
show (a refused form, a finished seed plan, a proposed team, the error and login pages, a list's later pages) are
added below, as an admin, and every page again as each lower role (viewer, operator) with the pages only they see:
a refused (403) form, the error page. The stylesheet's colours are checked for WCAG contrast (tests/web/a11y_colours.py).
"""
from __future__ import annotations

import re
import shutil

import pytest

from a11y_colours import contrast, contrast_problems, css_rules
from a11y_rules import page_problems, parse_page
from surface_fixtures import PASSWORD, api_routes, login, post_login, run_seed_plan

pytest.importorskip("fastapi")

LANGS = ("zh", "en")
LOWER_ROLES = ("viewer", "operator")  # reef.actions.users' roles below admin (the fixture store has one user of each)
# A value for each path parameter of a page (from the surface store); a page with a new parameter fails until named here.
SAMPLES = {"member_id": "evil", "content_id": "evil-1"}
BRIEF = {"name": "冬季续航指南", "deadline": "2026-08-31", "writer": "1", "visual": "1", "structurer": "0",
         "expert": "续航与充电", "size": "4"}


def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def page_paths(app) -> list[str]:
    """The dashboard's GET routes (not the API's, not the static files), path parameters filled from SAMPLES."""
    paths = []
    for route in api_routes(app.routes):
        if "GET" not in route.methods or route.path.startswith("/api/"):
            continue
        missing = set(re.findall(r"\{(\w+)", route.path)) - set(SAMPLES)
        assert not missing, f"page {route.path} takes {missing}: add a sample value to SAMPLES"
        paths.append(re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: SAMPLES[m.group(1)], route.path))
    return paths


@pytest.fixture(scope="module")
def rendered(store_template, tmp_path_factory):
    """{(what, lang): html} for every page and the extra states, as an admin (who sees every form), plus the
    paths found from the routes."""
    from fastapi.testclient import TestClient

    from reef.server import create_app
    from reef.store import close_all

    db = tmp_path_factory.mktemp("a11y") / "reef.duckdb"
    shutil.copy(store_template, db)
    close_all()
    app = create_app(db)
    pages: dict[tuple[str, str], str] = {}
    try:
        with TestClient(app) as c:
            for lang in LANGS:  # the login page before logging in, and after a wrong password
                pages[("/login", lang)] = c.get("/login", params={"lang": lang}).text
                pages[("/login failed", lang)] = post_login(c, {"username": "operator", "password": "wrong-one"},
                                                            params={"lang": lang}).text
            csrf = login(c, "admin")
            page = c.get("/members/evil").text  # open and done tasks, so 任务 shows its buttons and withdraw form
            for status in ("open", "done"):
                c.post("/members/evil/actions", data={"kind": "recognise", "status": status, "csrf_token": _csrf(page)},
                       follow_redirects=False)
            job = run_seed_plan(c, app, csrf)
            found = page_paths(app)
            for lang in LANGS:
                q = {"lang": lang}
                for path in found:
                    r = c.get(path, params=q, headers={"accept": "text/html"})
                    if r.headers.get("content-type", "").startswith("text/html"):
                        pages[(path, lang)] = r.text
                pages[("/seed-plan?job", lang)] = c.get("/seed-plan", params={"job": job, **q}).text
                pages[("/org/team proposal", lang)] = c.get("/org/team", params={**BRIEF, **q}).text
                pages[("/org/team refused", lang)] = c.get("/org/team", params={**BRIEF, "writer": "两个", **q}).text
                pages[("error 404", lang)] = c.get("/members/no-such-member", params=q, headers={"accept": "text/html"}).text
                pages[("member form refused", lang)] = c.post(
                    "/members/evil/actions", params=q, headers={"accept": "text/html"},
                    data={"kind": "recognise", "topic": "冬季续航", "note": "谢谢", "csrf_token": csrf}).text
                pages[("report form refused", lang)] = c.post(
                    "/reports", params=q, headers={"accept": "text/html"}, data={"as_of": "2990-01-01", "csrf_token": csrf}).text
                pages[("seed form refused", lang)] = c.post(
                    "/seed-plan", params=q, headers={"accept": "text/html"},
                    data={"k": "0", "topic": "冬季续航", "csrf_token": csrf}).text
                # a list's later pages: the pager with a link back and forward, and one past the end
                pages[("/members?page=2", lang)] = c.get("/members", params={"page": "2", **q}).text
                pages[("/members?page=99", lang)] = c.get("/members", params={"page": "99", **q}).text
    finally:
        app.state.jobs.shutdown()
    return {"pages": pages, "found": found}


@pytest.fixture(scope="module")
def rendered_as(store_template, tmp_path_factory):
    """{(role, what, lang): html} for each lower role: every page it may open, what it sees when it posts a form it
    may not (403, the error page), the error page (404), and for an operator a refused form."""
    from fastapi.testclient import TestClient

    from reef.server import create_app
    from reef.store import close_all

    db = tmp_path_factory.mktemp("a11y-roles") / "reef.duckdb"
    shutil.copy(store_template, db)
    close_all()
    app = create_app(db)
    pages: dict[tuple[str, str, str], str] = {}
    try:
        for role in LOWER_ROLES:
            with TestClient(app) as c:
                csrf = login(c, role)
                html = {"accept": "text/html"}
                for lang in LANGS:
                    q = {"lang": lang}
                    for path in page_paths(app):
                        r = c.get(path, params=q, headers=html)
                        if r.headers.get("content-type", "").startswith("text/html"):
                            pages[(role, path, lang)] = r.text
                    pages[(role, "error 404", lang)] = c.get("/members/no-such-member", params=q, headers=html).text
                    member = c.post("/members/evil/actions", params=q, headers=html,
                                    data={"kind": "recognise", "topic": "冬季续航", "csrf_token": csrf})
                    pages[(role, f"member form {member.status_code}", lang)] = member.text
                    if role == "viewer":
                        for path, data in (("/reports", {"as_of": ""}), ("/seed-plan", {"k": "3"}), ("/imports/analyze", {})):
                            r = c.post(path, params=q, headers=html, data={**data, "csrf_token": csrf}, follow_redirects=False)
                            pages[(role, f"{path} {r.status_code}", lang)] = r.text
    finally:
        app.state.jobs.shutdown()
    return pages


def test_the_lower_roles_see_their_pages_and_refusals_in_both_languages(rendered_as):
    failures = {f"{what} as {role} [{lang}]": page_problems(html, lang) for (role, what, lang), html in rendered_as.items()}
    failures = {k: v for k, v in failures.items() if v}
    assert not failures, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in failures.items())
    # what was checked is what each role sees: a viewer's refusals are the 403 error page, its pages have no forms
    for lang in LANGS:
        for what in ("member form 403", "/reports 403", "/seed-plan 403", "/imports/analyze 403"):
            assert 'id="error-page"' in rendered_as[("viewer", what, lang)], what
        assert 'id="error-page"' in rendered_as[("operator", "error 404", lang)]
        assert 'id="form-error"' in rendered_as[("operator", "member form 422", lang)]
        assert 'action="/members/evil/actions"' not in rendered_as[("viewer", "/members/evil", lang)]
        assert 'action="/members/evil/actions"' in rendered_as[("operator", "/members/evil", lang)]
    assert "权限" in rendered_as[("viewer", "member form 403", "zh")]
    for role in LOWER_ROLES:  # every page, not only the refusals
        assert {"/", "/members/evil", "/seed-plan", "/org/team", "/imports", "/reports"} <= {w for r, w, _ in rendered_as if r == role}


def test_every_page_is_found_from_the_routes(rendered):
    from reef.server.pages import PAGES

    checked = {p for p, _ in rendered["pages"]}
    registered = {re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], p.path) for p in PAGES.values()}
    assert registered | {"/login"} <= set(rendered["found"]) and registered <= checked, registered - checked
    assert "/health" in rendered["found"] and "/health" not in checked  # a route that answers JSON is no page


def test_the_extra_states_show_what_they_are_checked_for(rendered):
    pages = rendered["pages"]
    for lang in LANGS:
        assert 'id="login-error"' in pages[("/login failed", lang)] and 'id="username"' in pages[("/login", lang)]
        assert 'class="inline withdraw"' in pages[("/tasks", lang)] and 'name="status" value="done"' in pages[("/tasks", lang)]
        assert 'id="seeds"' in pages[("/seed-plan?job", lang)] and 'id="seed-record"' in pages[("/seed-plan?job", lang)]
        assert 'id="team-proposal"' in pages[("/org/team proposal", lang)] and 'id="team-error"' in pages[("/org/team refused", lang)]
        assert 'id="error-page"' in pages[("error 404", lang)]
        assert all('id="form-error"' in pages[(f"{form} form refused", lang)] for form in ("member", "seed", "report"))
        assert 'data-chart=' in pages[("/", lang)] and 'id="webhook"' in pages[("/risks", lang)]
        later = pages[("/members?page=2", lang)]
        assert 'rel="prev"' in later and 'rel="next"' in later and "?page=99" not in later
        assert 'aria-current="page"' in pages[("/members?page=99", lang)] and "?page=3" in pages[("/members?page=99", lang)]


def test_every_page_passes_the_static_rules_in_both_languages(rendered):
    failures = {f"{what} [{lang}]": page_problems(html, lang) for (what, lang), html in rendered["pages"].items()}
    failures = {k: v for k, v in failures.items() if v}
    assert not failures, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in failures.items())


def test_titles_and_languages_follow_the_page(rendered):
    pages = rendered["pages"]
    assert '<html lang="zh-CN">' in pages[("/", "zh")] and '<html lang="en">' in pages[("/", "en")]
    assert "<title>今日 · Reef 社群运营台</title>" in pages[("/", "zh")]
    assert "<title>Risk radar · Reef community desk</title>" in pages[("/risks", "en")]
    assert len({re.search(r"<title>(.*?)</title>", html).group(1) for (p, lang), html in pages.items() if lang == "zh"}) >= 18
    # The switch names the other language in that language, and says so.
    assert re.search(r'id="lang-switch" lang="en" hreflang="en">English</a>', pages[("/", "zh")])


def test_a_refused_form_keeps_what_was_typed_and_marks_the_field_it_names(rendered):
    member = rendered["pages"][("member form refused", "zh")]
    topic = re.search(r'<input name="topic" id="action-topic"[^>]*>', member).group(0)
    assert 'value="冬季续航"' in topic and 'aria-invalid="true"' in topic and 'aria-describedby="form-error"' in topic
    assert 'id="form-error" role="alert"' in member and 'value="谢谢"' in member
    assert member.count('aria-invalid="true"') == 1
    seed = rendered["pages"][("seed form refused", "en")]
    k = re.search(r'<input name="k" id="seed-k"[^>]*>', seed).group(0)
    assert 'aria-invalid="true"' in k and 'value="0"' in k and 'value="冬季续航"' in seed
    report = rendered["pages"][("report form refused", "zh")]
    as_of = re.search(r'<input type="date" name="as_of" id="report-as-of"[^>]*>', report).group(0)
    assert 'value="2990-01-01"' in as_of and 'aria-invalid="true"' in as_of and "周报未生成：" in report
    team = rendered["pages"][("/org/team refused", "zh")]
    assert re.search(r'<input name="writer" type="number" value="两个"[^>]*aria-invalid="true" aria-describedby="team-error"', team)


def test_a_failed_login_keeps_the_user_name_but_never_the_password(rendered):
    html = rendered["pages"][("/login failed", "zh")]
    assert 'id="login-error" role="alert"' in html
    user = re.search(r'<input name="username"[^>]*>', html).group(0)
    assert 'value="operator"' in user and 'aria-invalid="true"' in user
    assert "wrong-one" not in html


def test_charts_say_what_they_show_and_carry_their_figures(rendered):
    root = parse_page(rendered["pages"][("/", "en")])
    figures = [n for n in root.walk() if n.tag == "figure" and n.attrs.get("id") == "trend"]
    svg = next(n for n in figures[0].walk() if n.tag == "svg")
    label = svg.attrs["aria-label"]
    assert re.fullmatch(r"[^:]+: Line chart, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(\d+ points\)\. "
                        r"(Members posting: )?[Ll]owest \d+, highest \d+ \(\d{4}-\d\d-\d\d\), last \d+\.", label), label
    table = next(n for n in figures[0].walk() if n.tag == "table")
    rows = [n for n in table.walk() if n.tag == "tr"]
    days = [n for n in figures[0].walk() if n.tag == "th" and n.attrs.get("scope") == "row"]
    assert len(rows) == len(days) + 1 and len(days) >= 20
    funnel = rendered["pages"][("/ladder", "zh")]
    assert re.search(r'<svg [^>]*role="img" aria-label="[^"]+：漏斗图。0 \S+ \d+、1 \S+ \d+、', funnel)  # every stage


def test_every_pager_is_a_named_nav_that_marks_the_current_page(rendered):
    pages = rendered["pages"]
    kb = parse_page(pages[("/kb", "en")])
    pagers = [n for n in kb.walk() if n.tag == "nav" and "pager" in n.classes()]
    assert len(pagers) == 5 and len({n.attrs["aria-label"] for n in pagers}) == 5, [n.attrs for n in pagers]
    assert "Repeated questions: pages" in {n.attrs["aria-label"] for n in pagers}
    assert re.search(r'<nav class="pager" aria-label="成员：分页">\s*<a href="\?page=1" rel="prev">上一页</a>\s*'
                     r'<span aria-current="page">第 2 / 3 页，共 \d+ 条</span>', pages[("/members?page=2", "zh")])
    old = '<p class="pager"><a href="?page=1">上一页</a> 第 2 / 3 页 <a href="?page=3">下一页</a></p>'
    found = "\n".join(page_problems(f'<html lang="zh-CN"><body><main id="m"><h1>x</h1>{old}</main></body></html>', "zh"))
    assert "a pager outside a <nav>: <p class='pager'>" in found
    unnamed = '<nav class="pager"><a href="/m?gpage=2">下一页</a></nav><nav aria-label="x"></nav><nav aria-label="x"></nav>'
    found = "\n".join(page_problems(f'<html lang="zh-CN"><body><main id="m"><h1>x</h1>{unnamed}</main></body></html>', "zh"))
    assert "a pager's <nav> without aria-label" in found and "marks 0 elements aria-current" in found
    assert "2 <nav> named 'x'" in found


def test_the_rules_catch_what_they_are_for():
    bad = ('<html lang="en"><head><title>Reef</title></head><body><header></header><main id="m">'
           '<h1>A</h1><h3>B</h3><h1>C</h1><input name="q"><button></button><a href="/x"></a>'
           '<table><tr><th>x</th></tr></table><table><tr><td>✓</td></tr></table>'
           '<svg role="img" aria-label="42"></svg><span class="error"></span><figure data-chart="{}"></figure>'
           '<img src="a.png" alt="text"></main></body></html>')
    found = "\n".join(page_problems(bad, "zh"))
    for expected in ("no skip link", "<html lang='en'> on a page in zh", "<title> 'Reef' does not name the page",
                     "2 <h1>", "<h3> 'B' skips a level", "<input name='q'> has no label", "a button without text",
                     "a link without text", "without scope", "has no caption or aria-label", "has no header cells",
                     "only a symbol ('✓')", "label in words (aria-label '42')", "by colour alone",
                     "has no table of its figures", "text belongs in the page"):
        assert expected in found, expected
    chart = ('<figure id="c" data-chart=\'{"series": [{"name": "负面帖"}, {"name": "基线"}], "markers": [3]}\'>'
             '<svg role="img" aria-label="负面帖 趋势"><text>负面帖</text></svg><table><tr><th scope="col">日</th></tr>'
             '</table><figcaption>负面帖与基线（红色为预警日）</figcaption></figure>')
    found = "\n".join(page_problems(f'<html lang="zh-CN"><body><main id="m"><h1>x</h1>{chart}</main></body></html>', "zh"))
    assert "chart 'c' explains by colour" in found and "'基线' is told by colour or shape alone" in found
    assert "ChartSpec.marked" in found and "'负面帖' is told" not in found


# -- the stylesheet ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def css() -> str:
    from reef.web import STATIC

    return (STATIC / "reef.css").read_text(encoding="utf-8")


def test_text_colours_reach_4_5_to_1_on_every_surface(css):
    assert contrast_problems(css) == []
    # the check reads what it should: the old muted grey failed on white, and a dimmed text is refused
    assert contrast_problems(".card { background: #fff; } .muted { color: #6b7b8b; }")
    assert contrast_problems(".card { background: #fff; } .who { opacity: .8; }")
    assert round(contrast("#5b6b7b", "#ffffff"), 2) >= 4.5 > round(contrast("#6b7b8b", "#ffffff"), 2)


def test_focus_stays_visible(css):
    rules = css_rules(css)
    for sel, decls in rules:
        outline = decls.get("outline", "")
        assert not re.match(r"(none|0)\b", outline) or ":focus-visible" in sel, f"{sel} hides the focus ring"
    rings = {sel: decls for sel, decls in rules if sel.endswith(":focus-visible")}
    page_ring = re.search(r"#[0-9a-fA-F]{6}", rings[":focus-visible"]["outline"]).group(0)
    header_ring = rings["header :focus-visible"]["outline-color"]
    backgrounds = {s: d.get("background") for s, d in rules if d.get("background", "").startswith("#")}
    for surface in ("body", ".card"):  # a focus ring is a non-text mark: 3:1 against what it is drawn on
        assert contrast(page_ring, backgrounds[surface]) >= 3, surface
    assert contrast(header_ring, backgrounds["header"]) >= 3


def test_cjk_text_has_room_and_a_chinese_font_stack_and_no_text_in_images(css):
    body = dict(css_rules(css))["body"]
    assert float(body["line-height"]) >= 1.5
    fonts = [f.strip().strip('"') for f in body["font-family"].split(",")]
    assert fonts[0] in ("PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei") and fonts[-1] == "sans-serif"
    assert {"Noto Sans CJK SC", "Microsoft YaHei"} <= set(fonts)
    assert "url(" not in css  # no background images (text in images, or anything fetched)
