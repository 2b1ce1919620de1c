"""The ladder's surfaces: API views, export sheets, the 今日 recognise-now panel and the 成长阶梯 page (docs/surfaces.md).

Example:
    >>> from reef.actions.views import VIEWS
    >>> "ladder_members" in VIEWS
    True
"""
from __future__ import annotations

from typing import Any

from reef.actions.overview import register_panel
from reef.actions.views import TableView, register_view
from reef.export import Sheet, register_sheet
from reef.i18n import register_code_labels
from reef.ladder.queries import ladder_alerts, ladder_funnel

__all__ = ["alerts_panel", "ladder_page_data"]

register_view(TableView("ladder_members", "ladder_members", {"zh": "成长阶梯", "en": "Growth ladder"},
                        date_column="last_activity_at", filters=("stage",), search=("member_id", "name"),
                        sortable=("rank", "stage", "potential", "momentum", "next_progress", "member_id"),
                        order="rank", text_columns=("name", "evidence_zh", "evidence_en")))
register_view(TableView("ladder_events", "ladder_events", {"zh": "阶梯变化", "en": "Ladder timeline"},
                        date_column="at", filters=("event", "to_stage"), search=("member_id",),
                        sortable=("member_id",), order='"at" DESC, member_id', text_columns=("reason_zh", "reason_en")))
register_view(TableView("ladder_alerts", "ladder_alerts", {"zh": "立即认可", "en": "Recognise now"},
                        date_column="at", filters=("alert", "stage"), search=("member_id", "name"),
                        sortable=("rank", "potential"), order="rank", text_columns=("name", "snippet", "message_zh", "message_en")))
register_view(TableView("ladder_like_flags", "ladder_like_flags", {"zh": "异常点赞", "en": "Like flags"},
                        filters=("flag",), search=("member_id",), order="flag, member_id"))
# The codes of the timeline, the alerts and the like flags, as operators read them in sheets, reports and pages.
register_code_labels({"start": ("起点", "start"), "promote": ("升级", "promote"), "demote": ("降级", "demote"),
                      "leader_crossing": ("晋升引领者", "crossed into leader"), "first_proactive": ("首次主动创造价值", "first proactive act"),
                      "first_original": ("首次发布原创", "first original post"),
                      "first_newcomer_answer": ("首次回答新人提问", "first answer to a newcomer"),
                      "like_ring": ("互赞圈", "like ring"), "like_burst": ("新号集中点赞", "burst of likes from fresh accounts")})
register_sheet(Sheet("阶梯", "ladder_members", "rank", ("name", "evidence_zh", "evidence_en")))
register_sheet(Sheet("阶梯变化", "ladder_events", 'member_id, "at"', ("reason_zh", "reason_en"), labels=("event",)))
register_sheet(Sheet("立即认可", "ladder_alerts", "rank", ("name", "snippet", "message_zh", "message_en"), labels=("alert", "content_kind")))
register_sheet(Sheet("异常点赞", "ladder_like_flags", "flag, member_id", labels=("flag",)))


def alerts_panel(store, *, lang: str = "zh", masked: bool = True) -> dict[str, Any] | None:
    """今日 panel: members to recognise now (stage-4 crossings, first proactive acts, first posts and answers)."""
    from reef.actions.privacy import mask_rows

    rows = ladder_alerts(store, top=10)
    if not rows:
        return None
    if masked:  # the message quotes the member's post
        rows = mask_rows(rows, ("name", "message_zh", "message_en"))
    zh = lang != "en"
    return {"title": "立即认可" if zh else "Recognise now",
            "lines": [f"{r['name'] or r['member_id']}：{r['message_zh']}" if zh else f"{r['name'] or r['member_id']}: {r['message_en']}"
                      for r in rows]}


register_panel("ladder_alerts", alerts_panel)


def ladder_page_data(store, *, masked: bool = True, lang: str = "zh") -> dict[str, Any]:
    """成长阶梯 page: the funnel (counts, cohorts, median days to reach, stuck members, and ``warning`` when the
    ladder last ran at an as_of outside the data, in ``lang``) and alerts.

    Member names are masked for viewers (contact details in names) like every other surface.
    """
    from reef.actions.privacy import mask_rows
    from reef.store.coverage import results_warning

    data = {**ladder_funnel(store), "warning": results_warning(store, ("ladder",), lang)}
    alerts = ladder_alerts(store, top=20)
    if masked:
        data = {**data, "stuck": mask_rows(data["stuck"], ("name",))}
        alerts = mask_rows(alerts, ("name", "snippet", "message_zh", "message_en"))
    return {"data": data, "alerts": alerts}


def _register_page() -> None:
    try:
        from reef.server.pages import Page, lang_of, register_page
        from reef.web.messages import WEB_MESSAGES
    except ImportError:  # no server extra: API views and sheets still work through the library
        return
    WEB_MESSAGES.update({
        "nav.ladder": ("成长阶梯", "Ladder"), "ladder.none": ("尚未计算成长阶梯：请运行 `reef analyze`。",
                                                        "The ladder has not been computed: run `reef analyze`."),
        "ladder.funnel": ("阶梯漏斗", "Funnel"), "ladder.stage": ("阶段", "Stage"), "ladder.members": ("人数", "Members"),
        "ladder.median_days": ("入会到达中位天数", "Median days from joining"),
        "ladder.median_note": ("中位天数只统计在回溯期内加入的成员（更早加入者的到达时间未知）。",
                               "Median days count only members who joined inside the replayed history "
                               "(for earlier members the time they got there is unknown)."),
        "ladder.cohorts": ("按加入月份的转化", "Conversion by monthly join cohort"), "ladder.cohort": ("加入月份", "Cohort"),
        "ladder.stuck": ("长期停留在同一阶段", "Stuck at a stage"), "ladder.days_at_stage": ("停留天数", "Days at stage"),
        "ladder.potential": ("潜力", "Potential"), "ladder.evidence": ("依据", "Evidence"),
        "ladder.alerts": ("立即认可", "Recognise now"), "ladder.act": ("行为", "Act"), "ladder.empty": ("暂无。", "None yet."),
    })
    register_page(Page("ladder", "/ladder", "nav.ladder", "ladder.html",
                       lambda store, request, who: ladder_page_data(store, masked=who.masked, lang=lang_of(request))))


_register_page()
