"""Dashboard text: Simplified Chinese first, English switch; falls back to reef.i18n's catalogue.

Example:
    >>> tr("nav.today", "zh"), tr("nav.today", "en")
    ('今日', 'Today')
"""
from __future__ import annotations

from reef.i18n import t as core_t

__all__ = ["tr", "WEB_MESSAGES"]

WEB_MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("Reef 社群运营台", "Reef community desk"),
    "nav.today": ("今日", "Today"),
    "nav.members": ("成员", "Members"),
    "nav.tasks": ("任务", "Tasks"),
    "nav.imports": ("数据导入", "Imports"),
    "nav.logout": ("退出", "Log out"),
    "nav.lang": ("English", "中文"),
    "login.title": ("登录", "Log in"),
    "login.username": ("用户名", "User name"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.not_authenticated": ("用户名或密码错误。", "Wrong user name or password."),
    "login.rate_limited": ("登录失败次数过多，请稍后再试。", "Too many failed logins; try again later."),
    "today.alerts": ("提醒", "Alerts"),
    "today.recognise": ("今日值得表彰", "Who to recognise today"),
    "today.recognise_none": ("暂无建议（需先运行分析）。", "No suggestions yet (run the analyses first)."),
    "today.trend": ("活跃趋势（近90天）", "Activity trend (last 90 days)"),
    "today.size": ("社群规模", "Community size"),
    "today.panels_soon": ("成长阶梯、风险雷达等模块上线后将在此显示。",
                          "Ladder, risk radar and other panels appear here once those capabilities exist."),
    "alert.no_analyses": ("尚未运行分析：请在“数据导入”页启动分析。", "No analyses yet: start one on the Imports page."),
    "alert.failed": ("以下分析运行失败：{names}", "These analyses failed: {names}"),
    "alert.quarantine": ("有 {n} 行数据被隔离，请检查。", "{n} rows are quarantined; please check."),
    "alert.open_tasks": ("有 {n} 项待办任务。", "{n} tasks are open."),
    "members.search": ("搜索成员 ID 或昵称", "Search member id or name"),
    "members.go": ("搜索", "Search"),
    "member.profile": ("成员档案", "Member profile"),
    "member.contributions": ("最近贡献", "Latest contributions"),
    "member.given": ("给出的互动", "Interactions given"),
    "member.received": ("获得的互动", "Interactions received"),
    "member.actions": ("已采取的行动", "Actions taken"),
    "member.record": ("记录行动", "Record an action"),
    "member.none": ("暂无。", "None yet."),
    "field.kind": ("类型", "Kind"),
    "field.note": ("备注", "Note"),
    "field.status": ("状态", "Status"),
    "field.by": ("操作人", "By"),
    "field.at": ("时间", "When"),
    "field.region": ("地区", "Region"),
    "field.car_model": ("车型", "Car model"),
    "field.contact": ("联系方式", "Contact"),
    "field.joined": ("加入时间", "Joined"),
    "field.title": ("标题", "Title"),
    "field.body": ("内容", "Text"),
    "status.open": ("待办", "Open"),
    "status.done": ("已完成", "Done"),
    "status.cancelled": ("已取消", "Cancelled"),
    "tasks.all": ("全部", "All"),
    "tasks.mark_done": ("标记完成", "Mark done"),
    "tasks.cancel": ("取消", "Cancel"),
    "imports.history": ("导入记录", "Import history"),
    "imports.quarantine": ("隔离数据", "Quarantined rows"),
    "imports.jobs": ("后台任务", "Background jobs"),
    "imports.analyze": ("运行全部分析", "Run all analyses"),
    "imports.upload": ("上传并导入文件", "Upload and import files"),
    "imports.export": ("导出 Excel", "Export to Excel"),
    "page.prev": ("上一页", "Previous"),
    "page.next": ("下一页", "Next"),
    "page.of": ("第 {page} / {pages} 页，共 {total} 条", "Page {page} of {pages}, {total} rows"),
    "error.title": ("出错了", "Something went wrong"),
    "masked.note": ("个人信息已脱敏。", "Personal data is masked."),
}


def tr(key: str, lang: str = "zh", **values: object) -> str:
    """The dashboard message ``key`` in ``lang`` (unknown keys fall back to reef.i18n, then the key)."""
    pair = WEB_MESSAGES.get(key)
    if pair is None:
        return core_t(key, lang, **values)
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
