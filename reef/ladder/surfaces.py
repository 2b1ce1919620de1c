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
from reef.ladder.funnel import cohort_note, complete_cohorts, ladder_funnel, median_basis_note
from reef.ladder.queries import headcount, ladder_alerts, member_flags
from reef.ladder.recognised import ALERT_LABELS, RECOGNISED_LABELS, SHEET_ORDER, pending_alerts, recognised_relation

__all__ = ["alerts_panel", "ladder_page_data"]

register_view(TableView("ladder_members", "ladder_members", {"zh": "成长阶梯", "en": "Growth ladder"}, key=("member_id",),
                        date_column="last_activity_at", filters=("stage",), search=("member_id", "name"),
                        sortable=("rank", "stage", "potential", "momentum", "next_progress", "member_id"),
                        order="rank", text_columns=("name", "evidence_zh", "evidence_en")))
register_view(TableView("ladder_events", "ladder_events", {"zh": "阶梯变化", "en": "Ladder timeline"}, key=("member_id", "at", "event"),
                        date_column="at", filters=("event", "to_stage"), search=("member_id",),
                        sortable=("member_id",), order='"at" DESC, member_id', text_columns=("reason_zh", "reason_en")))
# The alerts with their recognition (recognised_at, recognised_status, recognised_action: reef.ladder.recognised), as
# the lists and 今日 read them: an operator working from the API or the workbook sees who was recognised already.
register_view(TableView("ladder_alerts", "ladder_alerts", {"zh": "立即认可", "en": "Recognise now"}, key=("member_id", "at", "rank"),
                        date_column="at", filters=("alert", "stage", "recognised_status"), search=("member_id", "name"),
                        sortable=("rank", "potential", "recognised_at"), order="rank",
                        text_columns=("name", "snippet", "message_zh", "message_en"), source=recognised_relation))
register_view(TableView("ladder_like_flags", "ladder_like_flags", {"zh": "异常点赞", "en": "Like flags"}, key=("flag", "member_id"),
                        filters=("flag",), search=("member_id",), sortable=("member_id", "flag", "likes"),
                        order="flag, member_id"))
# The codes of the timeline, the alerts and the like flags, as operators read them in sheets, reports and pages.
register_code_labels({"start": ("起点", "start"), "promote": ("升级", "promote"), "demote": ("降级", "demote"),
                      **ALERT_LABELS,  # the alert kinds (reef.ladder.recognised, which the CLI imports alone)
                      "like_ring": ("互赞圈", "like ring"), "like_burst": ("新号集中点赞", "burst of likes from fresh accounts"),
                      "hostile": ("人身攻击或不文明言论", "personal attacks or uncivil posts")})
register_sheet(Sheet("阶梯", "ladder_members", "rank", ("name", "evidence_zh", "evidence_en")))
register_sheet(Sheet("阶梯变化", "ladder_events", 'member_id, "at"', ("reason_zh", "reason_en"), labels=("event",)))
register_sheet(Sheet("立即认可", "ladder_alerts", SHEET_ORDER, ("name", "snippet", "message_zh", "message_en"),
                     labels=("alert", "content_kind", "recognised_status"), source=recognised_relation,
                     codes={"recognised_status": RECOGNISED_LABELS}))
register_sheet(Sheet("异常点赞", "ladder_like_flags", "flag, member_id", labels=("flag",)))


def alerts_panel(store, *, lang: str = "zh", masked: bool = True) -> dict[str, Any] | None:
    """今日 panel: members still to recognise now (stage-4 crossings, first proactive acts, first posts and answers);
    those already recognised or planned are left out, and the panel goes once none remain."""
    from reef.actions.privacy import mask_rows

    rows = pending_alerts(store, top=10)["items"]
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
    ladder last ran at an as_of outside the data, in ``lang``), alerts (the unrecognised first; ``recognised_status``
    and ``recognised_at`` mark the others), each listed member's flags (``flags``: like ring, like burst, hostile)
    and who the counts include (``headcount``).

    Member names are masked for viewers (contact details in names) like every other surface.
    """
    from reef.actions.privacy import mask_rows
    from reef.store.coverage import results_warning

    data = ladder_funnel(store)
    data |= {"warning": results_warning(store, ("ladder",), lang), "median_note": median_basis_note(data["median_basis"], lang),
             "cohorts": complete_cohorts(data), "cohort_note": cohort_note(data["cohort_basis"], lang)}
    alerts = ladder_alerts(store, top=20)
    flags = member_flags(store, [r["member_id"] for r in data["stuck"]] + [a["member_id"] for a in alerts])
    data = {**data, "stuck": [{**r, "flags": flags.get(r["member_id"], [])} for r in data["stuck"]]}
    alerts = [{**a, "flags": flags.get(a["member_id"], [])} for a in alerts]
    if masked:
        data = {**data, "stuck": mask_rows(data["stuck"], ("name",))}
        alerts = mask_rows(alerts, ("name", "snippet", "message_zh", "message_en"))
    return {"data": data, "alerts": alerts, "headcount": headcount(store) if data["stages"] else None}


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
        "ladder.at_stage": ("当前在此阶段", "Now at this stage"),
        "ladder.at_or_above": ("达到此阶段及以上", "At this stage or above"),
        "ladder.funnel_note": ("图表为“达到此阶段及以上”的人数（各阶段人数向下累加），表格第二列为“当前在此阶段”的人数。",
                               "The chart counts members at each stage or above (the stages below add up); "
                               "the table's second column counts members now at that stage only."),
        "ladder.headcount": ("统计对象：当前在群的普通成员 {ordinary} 人 = 累计加入 {total} 人 − 已退出 {left} 人"
                             " − 官方/员工账号 {staff} 个{later}。",
                             "Counted: {ordinary:ordinary member} now in the community = {total} ever joined − {left} who "
                             "left − {staff:staff or brand account}{later}."),
        "ladder.headcount_later": (" − 统计时点后加入 {n} 人", " − {n} who joined after the as-of date"),
        "ladder.median_days": ("入会到达中位天数", "Median days from joining"),
        "ladder.new": ("新", "new"),
        "ladder.flag_legend": ("⚑ 标记：互赞圈、新号集中点赞或人身攻击/不文明言论。鼠标悬停查看含义，成员档案中有详情；认可前请先核实。",
                               "⚑ marks a like ring, a burst of likes from new accounts or personal attacks/uncivil posts. "
                               "Hover for what it means; the member profile has the details. Check before recognising."),
        "flag.like_ring": ("互赞圈：与固定几位成员在发帖后很快互相点赞，圈内的赞在成长阶梯中大幅降权。不一定是作弊，认可前请先核实。",
                           "Like ring: trades fast likes with a few fixed members; likes among them count far less on "
                           "the ladder. Not proof of cheating: check before recognising."),
        "flag.like_burst": ("新号集中点赞：内容在短时间内收到大量新注册账号的点赞，这些赞在成长阶梯中大幅降权。可能是刷赞。",
                            "Like burst: items drew many likes from brand-new accounts within hours; those likes count "
                            "far less on the ladder. Possibly bought likes."),
        "flag.hostile": ("人身攻击或不文明言论：近期次数达到上限，暂不能升为或保持连接者、引领者。",
                         "Personal attacks or uncivil posts: at the limit recently, so cannot reach or keep connector "
                         "or leader for now."),
        "member.ladder": ("成长阶梯", "Growth ladder"), "member.stage": ("阶段", "Stage"),
        "member.stage_since": ("（自 {day} 起）", "(since {day})"), "member.rank": ("排名", "Rank"),
        "member.next_progress": ("距下一阶段", "Towards next stage"), "member.flags": ("标记", "Flags"),
        "member.no_flags": ("无", "None"), "member.ladder_none": ("尚未计算成长阶梯：请运行 `reef analyze`。",
                                                              "The ladder has not been computed: run `reef analyze`."),
        "member.off_left": ("不在成长阶梯上：已于 {at} 退出社群。", "Not on the ladder: left the community on {at}."),
        "member.off_staff": ("不在成长阶梯上：官方/员工账号不参与阶梯。", "Not on the ladder: staff and brand accounts are not ranked."),
        "member.off_later": ("不在成长阶梯上：在阶梯统计时点（{as_of}）之后加入。",
                             "Not on the ladder: joined after the ladder's as-of date ({as_of})."),
        "member.off_stale": ("不在成长阶梯上：阶梯尚未包含该成员，请重新运行 `reef analyze`。",
                             "Not on the ladder yet: run `reef analyze` to bring it up to date."),
        "member.timeline": ("时间线（阶段变化与行动）", "Timeline (stage changes and actions)"),
        "member.event": ("事件", "Event"), "member.detail": ("详情", "Details"),
        "members.headcount": ("列表共 {present} 人 = 累计加入 {total} 人 − 已退出 {left} 人{later}；"
                              "其中含官方/员工账号 {staff} 个（成长阶梯和报告的成员数不含这 {staff} 个，为 {ordinary} 人）。",
                              "The list holds {present:person|people} = {total} ever joined − {left} who left{later}; "
                              "{staff:of them is a staff or brand account|of them are staff or brand accounts} (the ladder and the report count no staff accounts: "
                              "{ordinary:member})."),
        "ladder.cohorts": ("按加入月份的转化", "Conversion by monthly join cohort"), "ladder.cohort": ("加入月份", "Cohort"),
        "ladder.stuck": ("长期停留在同一阶段", "Stuck at a stage"), "ladder.days_at_stage": ("停留天数", "Days at stage"),
        "ladder.potential": ("潜力", "Potential"), "ladder.evidence": ("依据", "Evidence"),
        "ladder.alerts": ("立即认可", "Recognise now"), "ladder.act": ("行为", "Act"), "ladder.post": ("帖子", "Post"), "ladder.empty": ("暂无。", "None yet."),
        "ladder.recognised": ("认可状态", "Recognised"),
        "ladder.recognised_note": ("已认可：成员在该行为之后有一条未取消的表彰行动（已完成）；已安排：表彰行动尚为待办。两者都不再计入今日的待认可人数。",
                                   "Recognised: the member has a recognise action, not cancelled, recorded after the act "
                                   "(done); planned: that action is still open. Neither counts on 今日 as still to recognise."),
        **{f"ladder.recognised_{k}": v for k, v in RECOGNISED_LABELS.items()},
    })
    register_page(Page("ladder", "/ladder", "nav.ladder", "ladder.html",
                       lambda store, request, who: ladder_page_data(store, masked=who.masked, lang=lang_of(request))))
    from reef.ladder.contest_page import register as register_contest_page

    register_contest_page()  # 征集评审 (GET /contest): a themed content call judged fairly


_register_page()
