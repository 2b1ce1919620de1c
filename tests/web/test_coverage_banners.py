"""Every dashboard page that shows analysis results carries the risk page's coverage banner when those analyses last
ran at an as_of outside the data (reef.store.coverage.results_warning), in the page's language, and none otherwise."""
from __future__ import annotations

import pytest

from surface_fixtures import PASSWORD, client_on, post_login

pytest.importorskip("fastapi")
PAGES = ("/ladder", "/network", "/campaigns", "/kb", "/org")
BANNER = 'id="coverage-warning"'
# What the pages read; dependencies run at the same as_of.
ANALYSES = ["ladder", "network_connectors", "network_ripple", "network_helpers", "kb_qa", "kb_gaps", "layers_groups"]


def _login(client, role="viewer"):
    r = post_login(client, {"username": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303


def test_pages_of_results_inside_the_data_show_no_banner(client):
    _login(client)
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 200 and BANNER not in r.text, path


def test_pages_of_results_computed_before_the_data_show_the_banner_in_both_languages(db_path):
    from reef.analyses import run_analyses
    from reef.store import open_store

    store = open_store(db_path)
    run_analyses(store, as_of="2000-01-01", only=ANALYSES)  # a mistyped year
    with client_on(db_path) as c:
        _login(c)
        for path in PAGES:
            zh = c.get(path + "?lang=zh")  # the switch sets a cookie: ask for each language
            assert zh.status_code == 200 and f'<p class="warn" {BANNER}>注意：评估时点2000-01-01早于最早的内容' in zh.text, path
            en = c.get(path + "?lang=en").text
            assert BANNER in en and "as of 2000-01-01 is before the first content" in en and "注意：" not in en, path


def _banner(html: str) -> str:
    return html.split(BANNER + ">", 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("as_of, zh_advice, en_advice", [
    ("2000-01-01", "请在“数据导入”页点“运行全部分析”，按数据的最后一天重新计算。",
     "Click Run all analyses on the Imports page to compute them again at the end of the data."),
    ("2027-03-01", "请在“数据导入”页导入更新的数据，或点“运行全部分析”按数据的最后一天重新计算。",
     "Import newer data on the Imports page, or click Run all analyses there to compute them again at the end of the data."),
])
def test_banner_advice_names_the_dashboard_control_not_the_as_of_parameter(db_path, as_of, zh_advice, en_advice):
    """QA: the banners said 请换一个更晚的 as_of 参数 / Pass a later as_of: a page of results has no as_of to pass; its
    moment is the latest run's, changed with 运行全部分析 on 数据导入 (the end of the data)."""
    from reef.analyses import run_analyses
    from reef.store import open_store

    store = open_store(db_path)
    run_analyses(store, as_of=as_of, only=ANALYSES + ["risks"])
    with client_on(db_path) as c:
        _login(c)
        for path in PAGES + ("/risks",):
            zh, en = _banner(c.get(path + "?lang=zh").text), _banner(c.get(path + "?lang=en").text)
            assert zh.endswith(zh_advice) and "as_of" not in zh and "as-of" not in zh, (path, zh)
            assert en.endswith(en_advice) and "as_of" not in en and "as-of" not in en, (path, en)


def test_late_banner_says_the_limit_in_days_and_folds_the_setting_into_a_technical_detail(db_path):
    """QA: a page of results computed past the data said 超过 risks.stale_data_days = 2 天: an operator sets no
    configuration. The banner says the limit in days; the setting's name sits in a folded 技术细节 under it. The
    征集评审 page showed the library's warning as it is (换一个更早的 as_of 参数): it words it like every page now."""
    from reef.analyses import run_analyses
    from reef.store import open_store

    store = open_store(db_path)
    run_analyses(store, as_of="2027-03-01", only=ANALYSES + ["risks"])
    camp = store.fetch_value("SELECT campaign_id FROM campaigns ORDER BY campaign_id LIMIT 1")
    with client_on(db_path) as c:
        _login(c)
        for path in PAGES + ("/risks", f"/contest?campaign={camp}&"):
            sep = "&" if path.endswith("&") else "?"
            for lang, limit in (("zh", "超过2天"), ("en", "more than 2 days")):
                html = c.get(f"{path.rstrip('&')}{sep}lang={lang}").text
                banner = _banner(html)
                assert limit in banner and "stale_data_days" not in banner and "as_of" not in banner, (path, banner)
                detail = html.split(BANNER + ">", 1)[1].split("</p>", 1)[1].split("</details>", 1)[0]
                assert '<details class="coverage-setting">' in detail and "risks.stale_data_days = 2" in detail, (path, detail)


def test_the_risk_page_says_what_it_cannot_read_on_a_store_of_english_text(db_path):
    """reef.text.coverage: a store of mostly non-Chinese text gets the note above the radar; a Chinese one does not."""
    from reef.store import open_store

    with client_on(db_path) as c:
        _login(c)
        assert 'id="reading-note"' not in c.get("/risks?lang=zh").text
    store = open_store(db_path)
    store.execute("UPDATE content_features SET language = 'en'")
    store.close()
    with client_on(db_path) as c:
        _login(c)
        assert '<p class="warn" id="reading-note">已分析的' in c.get("/risks?lang=zh").text
        en = c.get("/risks?lang=en").text
        assert "are not Chinese" in en and "Sentiment, toxicity, aspects and most intents" in en and "VADER" not in en
