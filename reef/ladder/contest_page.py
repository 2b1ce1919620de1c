"""The 征集评审 page (``/contest?campaign=``): pick a campaign from the list, read its entries judged fairly.

One library call each: :func:`reef.ladder.contest_view.contest_campaigns` (the picker: id, name, dates, entries
judged) and :func:`reef.ladder.contest_view.contest_view` (the ranked entries, at the ladder's stored as_of). The
page shows one page of entries (``server.page_size``) with each part's points under headers naming its maximum (文字质量
（满分35）…), the author (linked to the member), the post (linked to 帖子) and the excerpt; equal scores share a rank
and say so (并列). The download links are ``GET /api/v1/contest/download`` (xlsx, csv). Registered by
:mod:`reef.ladder.surfaces` when the server extra is present.

Example:
    >>> from reef.store import open_store
    >>> contest_page(open_store(":memory:"))["campaigns"]
    []
"""
from __future__ import annotations

from collections import Counter
from typing import Any

__all__ = ["contest_page", "register", "MESSAGES"]

MESSAGES = {
    "nav.contest": ("征集评审", "Contest"),
    "contest.pick": ("选择活动", "Pick a campaign"), "contest.none": ("数据库中还没有活动：请先导入活动文件（campaigns.csv / .jsonl）。",
                                                             "The store has no campaigns: import a campaigns file first."),
    "contest.campaign": ("活动", "Campaign"), "contest.campaign_id": ("活动ID", "Campaign ID"), "contest.started": ("开始", "Started"), "contest.ended": ("结束", "Ended"),
    "contest.entries": ("参评投稿", "Entries judged"), "contest.tied": ("并列", "tied"),
    "contest.judged": ("共 {n} 份投稿参评；同分同名次；四项得分相加为总分。", "{n:entry|entries} judged; equal scores share a rank; the four parts add up to the score."),
    "contest.left": ("另有 {n} 份投稿的作者已离开社区，未参评。", "Not judged: {n:entry|entries} more, whose authors have left."),
    "contest.method": ("评分看质量而非点赞数：文字质量、原创度、图片视频，互动只计发布后前 {days} 天并按曝光天数和作者平时的受众归一，新人的好帖也能胜出。",
                       "Judged on quality, not raw likes: text, originality, media, and engagement of the first {days:day} "
                       "days divided by exposure and by the author's usual audience, so a newcomer's strong post can win."),
    "contest.download": ("下载", "Download"), "contest.ladder_none": ("尚未计算成长阶梯：点赞权重需要先运行 `reef analyze`。",
                                                                  "The ladder has not been computed: like weights need `reef analyze` first."),
    "contest.no_entries": ("该活动还没有参评投稿。", "This campaign has no entries judged yet."),
}


def contest_page(store, *, campaign: str | None = None, page: int = 1, per_page: int = 30,
                 lang: str = "zh") -> dict[str, Any]:
    """The page's dict: ``campaigns`` (the picker), ``campaign`` (the one shown: ``campaign``, else the newest with
    entries), ``data`` (its :func:`contest_view`, all entries judged), ``entries`` (one page, each with ``tied``),
    ``pager``, ``heads`` ((column, header) in ``lang``) and ``ladder`` (whether the ladder ran). An unknown
    ``campaign`` is the NotFoundError of ``reef contest`` (the error page, 404)."""
    from reef.i18n import header_label
    from reef.ladder.contest_view import CONTEST_COLUMNS, contest_campaigns, contest_labels, contest_view
    from reef.ladder.queries import ladder_as_of
    from reef.params import page_of

    at = ladder_as_of(store)
    out: dict[str, Any] = {"campaigns": contest_campaigns(store, as_of=at), "campaign": None, "data": None,
                           "entries": [], "pager": None, "heads": [], "ladder": at is not None}
    if not campaign and out["campaigns"]:
        campaign = next((c["campaign_id"] for c in out["campaigns"] if c["entries_judged"]), out["campaigns"][0]["campaign_id"])
    if not campaign:
        return out
    data = contest_view(store, campaign, top=None, lang=lang)
    shared = {r for r, n in Counter(e["rank"] for e in data["entries"]).items() if n > 1}
    one = page_of(data["entries"], page, per_page)
    labels = contest_labels(data)
    heads = [(c, labels[c][lang == "en"] if c in labels else header_label(c, lang)) for c in CONTEST_COLUMNS]
    days = data["exposure_days"]
    return {**out, "campaign": campaign, "data": data, "heads": heads, "days": int(days) if float(days).is_integer() else days,
            "entries": [{**e, "member_id": e["author_id"], "tied": e["rank"] in shared} for e in one["items"]],
            "pager": {"page": page, "pages": one["pages"], "total": one["total"]}}


def register() -> None:
    """Add the page and its text (called by reef.ladder.surfaces when the server extra is present)."""
    from reef.server.pages import Page, lang_of, page_number, page_size, register_page
    from reef.web.messages import WEB_MESSAGES

    WEB_MESSAGES.update(MESSAGES)
    register_page(Page("contest", "/contest", "nav.contest", "contest.html",
                       lambda store, request, who: contest_page(
                           store, campaign=request.query_params.get("campaign") or None, page=page_number(request),
                           per_page=page_size(request), lang=lang_of(request)), order=56))
