"""The contest beyond ``reef contest``: the campaigns to judge, the contest as the HTTP API and the 征集评审 page read
it, the column labels every surface shares, and the contest as a file to download.

* :func:`contest_campaigns`: every campaign (in ``campaigns`` or named by an item) with its name, topic, dates and the
  entries :func:`reef.ladder.contest.contest_scores` would judge (``reef campaigns``, the page's picker).
* :func:`contest_view`: ``contest_scores`` at the ladder's stored as_of, with ``as_of`` and ``warning`` as ``reef
  contest --json`` prints them; it runs no analysis, so a request never recomputes the ladder (the page and API read
  stored results only). Names and excerpts are masked, as ``contest_scores`` always masks them.
* :func:`contest_labels` / :func:`contest_file`: headers (each part with its 满分) and the xlsx/csv download.

Example:
    >>> from reef.store import open_store
    >>> contest_campaigns(open_store(":memory:"))
    []
    >>> contest_labels({"exposure_days": 7.0, "max_points": {"text_points": 35.0, "originality_points": 25.0,
    ...                 "media_points": 15.0, "engagement_points": 25.0}})["text_points"]
    ('文字质量（满分35）', 'text quality (of 35)')
"""
from __future__ import annotations

from typing import Any

from reef.ladder.contest import _ENTRIES
from reef.store.asof import iso_sql

__all__ = ["contest_campaigns", "contest_view", "contest_labels", "contest_file", "CONTEST_PARTS", "CONTEST_COLUMNS",
           "CAMPAIGN_LABELS", "MEDIA_TYPES"]

MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}
# Each part's points, headed with its maximum: the four add up to 总分.
CONTEST_PARTS = {"text_points": ("文字质量", "text quality"), "originality_points": ("原创度", "originality"),
                 "media_points": ("图片视频", "media"), "engagement_points": ("互动（按曝光与受众归一）", "engagement per exposure and audience")}
# The contest table's columns on every surface (the CLI, the page, the download), in order.
CONTEST_COLUMNS = ("rank", "content_id", "member_id", "name", "kind", "score", *CONTEST_PARTS, "likes", "weighted_likes",
                   "snippet")
# Headers of the campaign list that reef.i18n does not name.
CAMPAIGN_LABELS = {"name": ("活动名称", "campaign"), "entries_judged": ("参评投稿", "entries judged"),
                   "ended_at": ("结束时间", "ended")}

_CAMPAIGNS = """
WITH ids AS (SELECT campaign_id FROM campaigns_at($ts)
             UNION SELECT DISTINCT campaign_id FROM content_at($ts) WHERE campaign_id IS NOT NULL),
cm AS (SELECT campaign_id, any_value(name) AS name, any_value(topic) AS topic, min(started_at) AS started_at,
              max(ended_at) AS ended_at FROM campaigns_at($ts) GROUP BY 1),
n AS (  -- the entries reef contest judges: the same filter (reef.ladder.contest), members who left before as_of excluded
  SELECT c.campaign_id, count(*) AS entries_judged FROM content_at($ts) c
  WHERE {entries} AND c.author_id NOT IN (SELECT member_id FROM members WHERE left_at < $ts) GROUP BY 1)
SELECT campaign_id, cm.name, cm.topic, {started} AS started_at, {ended} AS ended_at,
       CAST(coalesce(n.entries_judged, 0) AS INTEGER) AS entries_judged
FROM ids LEFT JOIN cm USING (campaign_id) LEFT JOIN n USING (campaign_id)
ORDER BY cm.started_at DESC NULLS LAST, campaign_id
""".replace("{entries}", _ENTRIES.replace("c.campaign_id = $campaign", "c.campaign_id IS NOT NULL")).replace(
    "{started}", iso_sql("cm.started_at")).replace("{ended}", iso_sql("cm.ended_at"))


def contest_campaigns(store, *, as_of=None) -> list[dict[str, Any]]:
    """Every campaign started by ``as_of`` (default: the end of time), newest first: ``campaign_id``, ``name``,
    ``topic``, ``started_at``, ``ended_at`` (ISO in the store's zone; null for an id only items carry) and
    ``entries_judged`` (what ``reef contest --campaign ID`` counts at that as_of)."""
    from reef.store.asof import as_of_timestamp
    from reef.store.connection import FAR_FUTURE

    ts = as_of_timestamp(as_of, store.config.get("general.timezone")) or FAR_FUTURE
    return store.fetch_dicts(_CAMPAIGNS, {"ts": ts})


def contest_view(store, campaign: str, *, top: int | None = 20, lang: str = "zh") -> dict[str, Any]:
    """``reef contest --json``'s dict at the ladder's stored as_of (``as_of`` ISO in the store's zone, ``warning`` in
    ``lang`` when that as_of lies outside the data); an unknown campaign is the NotFoundError of ``contest_scores``."""
    from reef.ladder.contest import contest_scores
    from reef.ladder.items import drop_temp_tables
    from reef.ladder.queries import ladder_as_of
    from reef.store.asof import local_iso
    from reef.store.coverage import results_warning

    at = ladder_as_of(store)
    try:
        data = contest_scores(store, campaign, as_of=at, top=top)
    finally:
        drop_temp_tables(store)  # the like weights of this call: a server handle lives on
    zone = str(store.config.get("general.timezone"))
    return {**data, "as_of": local_iso(at, zone) if at is not None else None,
            "warning": results_warning(store, ("ladder",), lang)}


def contest_labels(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Headers (zh, en) of the contest's own columns: each part's points with its maximum ("文字质量（满分35）"), so the
    parts visibly add up to 总分, and the likes counted in the exposure window ("点赞（首7天）")."""
    from reef.i18n import plural

    days = data["exposure_days"]
    days = int(days) if float(days).is_integer() else days
    heads = {k: (f"{zh}（满分{data['max_points'][k]:g}）", f"{en} (of {data['max_points'][k]:g})")
             for k, (zh, en) in CONTEST_PARTS.items()}
    return {"score": ("总分", "score"), "engagement": ("互动（按曝光与受众归一）", "engagement"), **heads,
            "likes": (f"点赞（首{days}天）", f"likes (first {plural(days, 'day')})"),
            "weighted_likes": (f"加权点赞（首{days}天）", f"weighted likes (first {plural(days, 'day')})")}


def contest_file(data: dict[str, Any], fmt: str, lang: str) -> tuple[bytes, str]:
    """The contest (:func:`contest_view`'s dict) as ``xlsx`` or ``csv`` in ``lang``, and its file name
    ``contest-<campaign>-<as-of day>.<fmt>``: the ranked entries with the CLI's columns, then 说明 / About."""
    from reef.errors import InvalidParameterError
    from reef.export.parts import parts_csv, parts_xlsx
    from reef.i18n import code_label, header_label

    if fmt not in MEDIA_TYPES:
        raise InvalidParameterError("format", fmt, "xlsx or csv")
    en = lang == "en"
    labels = contest_labels(data)
    heads = [labels[c][en] if c in labels else header_label(c, lang) for c in CONTEST_COLUMNS]
    rows = [[e.get("author_id") if c == "member_id" else code_label(e.get("kind"), lang) if c == "kind" else e.get(c)
             for c in CONTEST_COLUMNS] for e in data["entries"]]
    about = [("活动ID", "Campaign ID", data["campaign_id"]), ("活动", "Campaign", data.get("campaign")),
             ("截至", "As of", str(data.get("as_of") or "")[:10]), ("参评投稿", "Entries judged", data["entries_judged"]),
             ("作者已离开未参评", "Not judged (author left)", data["entries_of_members_who_left"]),
             ("说明", "Note", "同分同名次；四项得分相加为总分" if not en else "Equal scores share a rank; the four parts add up to the score"),
             ("提醒", "Warning", data.get("warning"))]
    parts = [{"title": "评审结果" if not en else "Ranked entries", "headers": heads, "rows": rows},
             {"title": "说明" if not en else "About", "headers": ["项目", "内容"] if not en else ["Item", "Value"],
              "rows": [[zh if not en else e, v] for zh, e, v in about if v is not None]}]
    import re

    # a file name whatever the id: path separators and control characters go; Chinese stays (the HTTP download sends
    # it as RFC 5987 filename*, with an ASCII filename beside it: reef.server.deps.attachment)
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "_", str(data["campaign_id"])).strip(". ") or "_"
    name = f"contest-{safe}-{str(data.get('as_of') or '')[:10]}.{fmt}"
    return (parts_xlsx(parts) if fmt == "xlsx" else parts_csv(parts)), name
