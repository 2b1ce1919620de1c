"""The ladder's report section: the funnel, the top of each stage with evidence, alerts, like flags.

Example:
    >>> from reef.store import open_store
    >>> ladder_section(open_store(":memory:"), None, "en").title
    'Emergence ladder'
"""
from __future__ import annotations

from reef.analyses.registry import report_section
from reef.ladder import analysis as _analysis  # noqa: F401 - registers the analysis before its section
from reef.ladder.funnel import cohort_note, complete_cohorts, ladder_funnel
from reef.ladder.queries import ladder_alerts, ladder_list
from reef.ladder.recognised import recognised_label
from reef.report.model import Section, Table

__all__ = ["ladder_section"]

_L = {"zh": {"title": "成长阶梯", "none": "尚未计算成长阶梯：请运行 `reef analyze`。", "funnel": "各阶段人数",
             "stage": "阶段", "members": "人数", "top": "值得关注的成员（先按阶段从高到低，同一阶段内按潜力从高到低）", "member": "成员", "potential": "潜力",
             "evidence": "依据", "alerts": "立即认可（近24小时）", "alert": "提醒", "recognised": "认可状态", "cohort": "按加入月份的转化",
             "month": "加入月份", "intro": "阶梯由成员行为自然涌现：升级即时，降级需连续低于要求的90%达宽限期。"},
      "en": {"title": "Emergence ladder", "none": "The ladder has not been computed: run `reef analyze`.",
             "funnel": "Members per stage", "stage": "Stage", "members": "Members", "top": "Members to watch (by stage, highest first, then by potential)",
             "member": "Member", "potential": "Potential", "evidence": "Evidence", "alerts": "Recognise now (last 24 h)",
             "alert": "Alert", "recognised": "Recognised", "cohort": "Conversion by join month", "month": "Joined",
             "intro": "Stages emerge from behaviour: promotion at once, demotion only after a grace period below 90% of the requirement."}}


@report_section("ladder")
def ladder_section(store, as_of, lang: str) -> Section:
    """Funnel, cohorts, the twenty highest-potential members with evidence, and alerts."""
    L = _L["en" if lang == "en" else "zh"]
    en = lang == "en"
    section = Section(L["title"], key="ladder")
    funnel = ladder_funnel(store)
    if not funnel["stages"]:
        section.paragraphs.append(L["none"])
        return section
    section.paragraphs.append(L["intro"])
    section.tables.append(Table([L["stage"], L["members"]],
                                [[f"{s['stage']} {s['name_en' if en else 'name']}", s["members"]] for s in funnel["stages"]],
                                L["funnel"]))
    section.tables.append(Table([L["month"], L["members"], "≥1", "≥2", "≥3", "≥4"],
                                [[c["cohort"], c["members"], c["reached_1"], c["reached_2"], c["reached_3"], c["reached_4"]]
                                 for c in complete_cohorts(funnel)[-12:]], L["cohort"]))
    if note := cohort_note(funnel["cohort_basis"], "en" if en else "zh"):
        section.paragraphs.append(note)
    top = ladder_list(store, top=20)
    section.tables.append(Table([L["member"], L["stage"], L["potential"], L["evidence"]],
                                [[r["name"] or r["member_id"], r["stage_name_en" if en else "stage_name"], r["potential"],
                                  r["evidence_en" if en else "evidence_zh"]] for r in top], L["top"]))
    alerts = ladder_alerts(store, top=20)
    if alerts:
        section.tables.append(Table([L["member"], L["alert"], L["recognised"]],
                                    [[a["name"] or a["member_id"], a["message_en" if en else "message_zh"],
                                      recognised_label(a, "en" if en else "zh")] for a in alerts],
                                    L["alerts"]))
    return section
