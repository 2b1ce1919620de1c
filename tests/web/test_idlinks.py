"""Ids inside evidence sentences become links (the ``idlinks`` filter): escaped first, only well-formed member and
content ids linked, lookalikes and masked spans left as text; and on the 风险雷达 page, as operators and viewers see it."""
from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from reef.actions.privacy import mask_text
from reef.web.idlinks import link_ids
from surface_fixtures import PASSWORD, client_on, post_login


def _hrefs(html) -> list[str]:
    return re.findall(r'href="([^"]*)"', str(html))


def test_member_and_content_ids_of_every_source_are_linked():
    out = link_ids("新人m021的首帖c460，投诉cb4；SE u123 的 p4567 与评论 c89；微博 wb:778 转发 wb:3:Ab12。")
    assert _hrefs(out) == ["/members/m021", "/content/c460", "/content/cb4", "/members/u123", "/content/p4567", "/content/c89",
                           "/members/wb%3A778", "/content/wb%3A3%3AAb12"]
    assert '>m021</a>的首帖' in out and isinstance(out, Markup)


def test_text_is_escaped_before_linking():
    out = str(link_ids('<script>alert("m12")</script><a href="/members/m99">c12</a>'))
    assert "<script>" not in out and "&lt;script&gt;" in out
    # the quoted id is linked inside escaped text; the member's own anchor is text, its path not relinked
    assert _hrefs(out) == ["/members/m12", "/content/c12"]
    assert "&lt;a href=&#34;/members/m99&#34;&gt;" in out
    assert str(link_ids(None)) == "" and link_ids(Markup("<b>m12</b>")) == Markup("<b>m12</b>")


@pytest.mark.parametrize("text", ["圈子c01", "小鹏p7 车主", "c1驾照", "宝马m3", "mm123", "m123abc", "item12", "p-12",
                                  "u13812345678", "/members/m041", "m123:x", "c12.5公里", "m_12", "wb:", "M123", "C460"])
def test_lookalikes_are_not_linked(text):
    out = link_ids(text)
    assert "<a" not in str(out) and str(out) == str(Markup.escape(text))


@pytest.mark.parametrize("text", ["加微信m1234567", "微信：u12345678", "电话u13812345678", "VIN LSVCA2B40PM123456"])
def test_masked_text_is_untouched(text):
    """Masking keeps a span's first characters (m*******, u138****5678): the remnant is not an id and stays text."""
    masked = mask_text(text)
    assert masked != text
    assert str(link_ids(masked)) == str(Markup.escape(masked))


def test_an_evidence_cell_on_the_risk_page_links_its_ids(db_path):
    from reef.risks.surfaces import top_evidence
    from reef.store import open_store

    store = open_store(db_path)
    member, content = store.fetch_all("SELECT author_id, content_id FROM content WHERE author_id LIKE 'm%' "
                                      "AND content_id LIKE 'c__%' ORDER BY content_id LIMIT 1")[0]
    family = store.fetch_all("SELECT min(family) FROM risk_evidence")[0][0]
    top = top_evidence(store, family, 1)[0]  # a row the page shows: quoting ids, a hostile tag and a WeChat id
    with store.transaction():
        store.execute("UPDATE risk_evidence SET detail_zh = ? WHERE family = ? AND part = ? AND subject IS NOT DISTINCT FROM ?",
                      [f"新人{member}的首帖{content}<b>粗</b>，加微信m1234567", family, top["part"], top["subject"]])
    store.checkpoint()
    pages = {}
    for role in ("operator", "viewer"):
        with client_on(db_path) as c:
            post_login(c, {"username": role, "password": PASSWORD, "next": "/"})
            pages[role] = c.get("/risks").text
    for role, html in pages.items():
        cell = next((m for m in re.findall(r'<td class="note">(.*?)</td>', html) if "粗" in m), None)
        assert cell is not None, role
        assert f'<a href="/members/{member}" class="id-link">{member}</a>' in cell
        assert f'<a href="/content/{content}" class="id-link">{content}</a>' in cell
        assert "&lt;b&gt;粗&lt;/b&gt;" in cell and "<b>" not in cell
    # the operator sees the WeChat id (a member-id lookalike, linked like any id); the viewer only its masked remnant
    assert "m1234567" in pages["operator"]
    assert "m1234567" not in pages["viewer"] and "加微信m*******" in pages["viewer"]


def test_newcomer_evidence_links_the_post_it_names(db_path):
    """The newcomer evidence once glued hours to the post id (首帖c368110小时后): the link must be the row's own post."""
    from reef.store import open_store

    rows = open_store(db_path).fetch_all("SELECT member_id, content_id, detail_zh, detail_en FROM risk_evidence "
                                         "WHERE part = 'newcomers' AND member_id LIKE 'm%' AND content_id LIKE 'c%'")
    assert rows
    for member, content, zh, en in rows:
        for text in (zh, en):
            assert set(_hrefs(link_ids(text))) == {f"/members/{member}", f"/content/{content}"}, text
