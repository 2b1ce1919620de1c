"""The dashboard in a real browser: Debian's Chromium driven by Playwright against a live `reef serve`.

Chromium comes from the system (``apt-get install -y chromium``); Playwright never downloads a
browser. When /usr/bin/chromium is missing the test tries to install it with apt-get (root only)
and skips, saying why, only when that is impossible. Screenshots of every page are written to
``$REEF_TEST_ARTIFACTS/web`` (default: a pytest temporary folder) as test artefacts.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from surface_fixtures import HOSTILE_NAME, PASSWORD, add_hostile_results

pytest.importorskip("fastapi")
pytest.importorskip("playwright")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _has_cjk_font() -> bool:
    # Without a CJK font Chromium draws Chinese as empty boxes, and the screenshots show nothing.
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found and _has_cjk_font():
        return found
    missing = [pkg for pkg, ok in (("chromium", found), ("fonts-wqy-zenhei", _has_cjk_font())) if not ok]
    why = f"Debian packages {', '.join(missing)} are not installed"
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True, timeout=600)
            subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True, capture_output=True, timeout=1200)
        except (subprocess.SubprocessError, OSError) as exc:
            why += f" and `apt-get install -y {' '.join(missing)}` failed ({exc})"
        found = shutil.which("chromium") or found
        if found:
            return found
    else:
        why += " and this process cannot install them (needs root and apt-get)"
        if found:
            return found  # pages still work; only the screenshots lack Chinese glyphs
    pytest.skip(why + "; install them with `apt-get install -y chromium fonts-wqy-zenhei` to run the browser tests")


@pytest.fixture
def app(db_path):
    """The shared store plus script-carrying member text in the capability pages' tables."""
    pytest.importorskip("fastapi")
    from reef.server import create_app

    add_hostile_results(db_path)
    application = create_app(db_path)
    yield application
    application.state.jobs.shutdown()


@pytest.fixture
def live(app):
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):  # wait for the socket, not for a duration
        if server.started:
            break
        threading.Event().wait(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def artefacts(tmp_path) -> Path:
    root = Path(os.environ["REEF_TEST_ARTIFACTS"]) / "web" if os.environ.get("REEF_TEST_ARTIFACTS") else tmp_path / "web"
    root.mkdir(parents=True, exist_ok=True)
    return root


def test_dashboard_in_chromium(live, artefacts):
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    errors: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN")
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{live}/members")
        assert page.url.startswith(f"{live}/login")
        page.fill("#username", "operator")
        page.fill("#password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_url(f"{live}/members")
        keys = page.eval_on_selector_all("nav a[data-page]", "links => links.map(a => a.dataset.page)")
        assert {"today", "members", "ladder", "network", "campaigns", "kb", "risks", "crisis", "tasks", "imports"} <= set(keys)
        for key in keys:  # every page in the nav, whatever capabilities registered
            page.click(f'nav a[data-page="{key}"]')
            page.wait_for_load_state("networkidle")
            assert page.locator("h1").count() == 1
            charts = page.locator("figure[data-chart]").count()
            if charts:  # the served plotly.js drew every chart over its SVG fallback
                page.wait_for_function(f"document.querySelectorAll('figure[data-rendered=plotly]').length === {charts}")
            page.screenshot(path=str(artefacts / f"{key}.png"), full_page=True)
        # 知识礁: a search, answered from the precomputed reef; script in member text stays text.
        page.click('nav a[data-page="kb"]')
        page.fill("#kb-search", "冬天续航掉多少")
        page.click("#kb-search-go")
        page.wait_for_load_state("networkidle")
        assert page.locator("#kb-results article.result").count() >= 1
        assert '<script>alert("kb")</script>' in page.inner_text("#kb-repeated") + page.inner_text("#kb-results")
        page.screenshot(path=str(artefacts / "kb-search.png"), full_page=True)
        page.click('nav a[data-page="campaigns"]')
        assert HOSTILE_NAME in page.inner_text("#boost")
        # Search, then open the member whose name and post carry script.
        page.click('nav a[data-page="members"]')
        page.fill("#member-search", "evil")
        page.click("#member-search-go")
        page.click('#members a[href="/members/evil"]')
        page.wait_for_url(f"{live}/members/evil")
        assert page.inner_text("#member-name") == '<script>alert("name")</script>车主'
        page.select_option("#action-kind", "recognise")
        page.fill("#action-note", "浏览器测试：感谢分享")
        page.click("#action-submit")
        page.wait_for_url(f"{live}/members/evil")
        assert "浏览器测试：感谢分享" in page.inner_text("#member-actions")
        page.screenshot(path=str(artefacts / "member.png"), full_page=True)
        page.click("#lang-switch")
        page.wait_for_load_state("load")
        assert "Member profile" in page.inner_text("h1")
        browser.close()
    assert not dialogs, f"member text was executed as script: {dialogs}"
    assert not errors, f"console errors: {errors}"
    assert {p.name for p in artefacts.glob("*.png")} >= {f"{k}.png" for k in keys} | {"member.png", "kb-search.png"}


# What a keyboard can reach: links, buttons, fields, folded sections (a closed <details> hides its fields).
_FOCUSABLE = ("a[href], button, input:not([type=hidden]), select, textarea, summary")
_WALK = """() => {
  const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {key: el.id || el.name || el.getAttribute('href') || el.textContent.trim().slice(0, 30),
          tag: el.tagName, inMain: !!el.closest('main'), visible: box.width > 0 && box.height > 0 && box.bottom > 0,
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""


def _reachable(page) -> list[str]:
    return page.eval_on_selector_all(_FOCUSABLE, """els => els.filter(e => e.checkVisibility() && !e.disabled)
        .map(e => e.id || e.name || e.getAttribute('href') || e.textContent.trim().slice(0, 30))""")


def test_the_dashboard_works_from_the_keyboard(live):
    """Log in, skip to the content and walk every control of two pages with Tab alone: each is reached, in order,
    with a visible focus ring (docs/surfaces.md, "Accessibility")."""
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN")
        page.goto(f"{live}/login?next=/members")
        page.keyboard.press("Tab")
        first = page.evaluate(_WALK)
        assert first["key"] == "#main" and first["visible"] and first["ring"], first  # the skip link shows when focused
        page.keyboard.press("Tab")
        while page.evaluate("document.activeElement.id") != "username":
            page.keyboard.press("Tab")
        page.keyboard.type("operator")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live}/members")
        for path in ("/members", "/members/evil"):
            page.goto(f"{live}{path}")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")  # the skip link: the next Tab lands in the page's content, past the nav
            page.keyboard.press("Tab")
            assert page.evaluate(_WALK)["inMain"], path
            page.goto(f"{live}{path}")
            wanted, seen, misses = _reachable(page), [], []
            for _ in range(len(wanted) + 3):
                page.keyboard.press("Tab")
                now = page.evaluate(_WALK)
                if now["tag"] == "BODY":
                    break
                seen.append(now["key"])
                if not (now["visible"] and now["ring"]):
                    misses.append(now)
            assert seen == wanted, (path, [w for w in wanted if w not in seen], [s for s in seen if s not in wanted])
            assert not misses, f"focus not visible on {path}: {misses}"
        browser.close()
