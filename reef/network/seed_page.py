"""The 种子名单 dashboard page (``GET /seed-plan``): the form, the plans run lately, and one plan explained.

A plan runs as a background job (IMM takes seconds on a large store: ``reef.server.tasks.start_seed_plan``); the page
lists the recent plan jobs (``reef.js`` polls a running one and reloads when it ends) and, for ``?job=N``, shows that
plan through :func:`reef.network.seedplan.seed_plan_view` (names masked for viewers). The form posts to
``POST /seed-plan`` and the record button to ``POST /seed-plan/{job}/record`` (operators; ``reef.server.routes_seed``).
Registered from :mod:`reef.network.surfaces` when the server extra is installed.
"""
from __future__ import annotations

from typing import Any

__all__ = ["load_seed_page", "register"]

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.seed_plan": ("种子名单", "Seed plan"),
    "seed.intro": ("选出少数几位成员来发起一个新话题，让它在社群里传得最远（影响力最大化，IMM）。",
                   "Choose a few members to start a new topic through so it spreads furthest (influence maximisation, IMM)."),
    "seed.open": ("规划话题播种 →", "Plan seeding a topic →"),
    "seed.k": ("种子人数", "Number of seeds"), "seed.topic": ("话题（关键词，空格或逗号分隔）", "Topic (terms, spaces or commas)"),
    "seed.circle": ("版块（名称或ID）", "Circle (group name or id)"), "seed.exclude": ("排除成员ID（逗号分隔）", "Members to leave out (ids, commas)"),
    "seed.as_of": ("截至日期（空：数据末尾）", "As of (empty: end of the data)"), "seed.run": ("生成种子名单", "Make the plan"),
    "seed.as_of_field": ("截至日期", "As of"),  # the field as the coverage banner's advice names it (page_wording)
    "seed.operators_only": ("运营及以上角色可以生成种子名单。", "Operators and admins can make a plan."),
    "seed.failed": ("种子名单未生成：", "The plan was not made:"), "seed.record_failed": ("未记录：", "Not recorded:"),
    "seed.recent": ("最近的种子名单", "Recent plans"), "seed.params": ("条件", "Request"), "seed.show": ("查看", "Show"),
    "seed.running": ("正在计算，完成后页面会自动刷新。", "Computing; the page reloads when it is done."),
    "seed.seeds": ("推荐的种子", "Recommended seeds"), "seed.order": ("顺序", "Order"), "seed.why": ("为什么选 TA", "Why"),
    "seed.reach": ("预期覆盖（与对照方案比较）", "Expected reach, against the alternatives"),
    "seed.strategy": ("方案", "Strategy"), "seed.mean": ("预计覆盖人数", "Members reached"),
    "seed.ci": ("95% 置信区间", "95% CI"),
    "seed.summary": ("截至 {as_of}：{candidates} 位候选成员（共 {members} 位，排除 {excluded} 位）。",
                     "As of {as_of}: {candidates:candidate} ({members:member}, {excluded} left out)."),
    "seed.flag": ("⚠ 留意：", "⚠ Check first: "),
    "seed.left_out": ("未列为候选的成员（{n} 位）及原因", "Members left out of the candidates ({n}) and why"),
    "seed.left_out_why": ("原因", "Why"),
    "seed.download": ("下载：", "Download:"), "seed.download_xlsx": ("Excel 表格", "Excel workbook"),
    "seed.download_csv": ("CSV 文件", "CSV file"),
    "seed.record": ("记录为播种行动", "Record as seeding actions"),
    "seed.record_help": ("为每位种子记录一条“话题播种”待办行动（可选：所属活动ID），在“任务”页跟进。",
                         "Records an open 'seed a topic' action per seed (optionally with its campaign id), followed up on the Tasks page."),
    "seed.campaign": ("活动ID（可选）", "Campaign id (optional)"), "seed.note": ("备注（可选）", "Note (optional)"),
    "seed.recorded": ("已记录 {n} 条播种行动：{ids}。", "Recorded {n:seeding action}: {ids}."),
    "seed.already": ("今天已记录过 {n} 位种子（{ids}），没有重复记录。",
                     "{n:seed was|seeds were} already recorded today ({ids}); nothing new was recorded for them."),
    "seed.error.k": ("种子人数应是 1 到 {max} 之间的整数。", "The number of seeds must be a whole number from 1 to {max}."),
    "seed.error.topic": ("话题太长：最多 {limit} 个字。", "The topic is too long: at most {limit:character}."),
    "seed.error.circle": ("找不到名称或ID为“{value}”的版块。", "No group has the name or id '{value}'."),
    "seed.error.exclude": ("排除名单中有不存在的成员ID：{value}。", "These ids to leave out are no members: {value}."),
    "seed.error.as_of": ("截至日期应是一个日期，例如 2026-03-01。", "The as-of date must be a date, like 2026-03-01."),
    "seed.error.note": ("备注太长：最多 {limit} 个字（其余字数留给种子名单摘要）。",
                        "The note is too long: at most {limit:character} (the plan's summary takes the rest)."),
    "seed.error.not_done": ("这份种子名单还没有算完或没有种子，无法记录。", "This plan has not finished or has no seeds: nothing to record."),
    "seed.step.graph": ("读取互动网络", "reading the network"), "seed.step.imm": ("挑选种子", "choosing the seeds"),
    "seed.step.reach": ("估算覆盖", "estimating the reach"), "seed.step.done": ("完成", "done"),
}
STEPS = ("graph", "imm", "reach", "done")


def load_seed_page(store, request, who, *, form: dict[str, str] | None = None, form_error: str = "",
                   record_error: str = "", form_field: str = "") -> dict[str, Any]:
    """The page's data: recent plan jobs, the plan of ``?job=`` (explained; None while it runs), the form's values
    (what was typed after a refused post, else the shown plan's request, else ``?topic=``/``?circle=`` and the defaults)."""
    from reef.errors import NotFoundError
    from reef.network.seedplan import seed_plan_view
    from reef.server.pages import lang_of
    from reef.server.job_views import job_view
    from reef.web.messages import tr

    lang, jobs, admin = lang_of(request), request.app.state.jobs, who.role == "admin"
    net = store.config.section("network")
    plans = [job_view(j, lang, admin=admin, masked=who.masked) for j in jobs.list() if j["kind"] == "seed_plan"][:10]
    wanted = str(request.path_params.get("job_id") or request.query_params.get("job") or "")
    job, plan = None, None
    if wanted.isdigit():
        job = jobs.get(int(wanted))
        if job["kind"] != "seed_plan":
            raise NotFoundError(f"Job {wanted} is no seed plan.")
        job = job_view(job, lang, admin=admin, masked=who.masked)  # a trace: admins only; masked for viewers
        if job["status"] == "done":
            plan = seed_plan_view(store, job["result"], masked=who.masked, lang=lang)
    asked = (job or {}).get("params") or {}
    values = form or {"k": str(asked.get("k") or request.query_params.get("k") or net["seed_k"]),
                      "topic": asked.get("topic") or request.query_params.get("topic") or "",
                      "circle": asked.get("circle") or request.query_params.get("circle") or "",
                      "exclude": ", ".join(asked.get("exclude") or []), "as_of": (asked.get("as_of") or "")[:10]}
    campaigns = store.fetch_dicts("SELECT campaign_id, any_value(name) AS name FROM campaigns GROUP BY 1 "
                                  "ORDER BY max(started_at) DESC LIMIT 100") if store.table_exists("campaigns") else []
    return {"plans": plans, "job": job, "plan": plan, "form": values, "form_error": form_error, "record_error": record_error,
            "form_field": form_field,  # the field a refused plan names: marked on the form
            "max_k": int(net["seed_max_k"]), "campaigns": campaigns,
            "steps": {s: tr(f"seed.step.{s}", lang) for s in STEPS},
            "recorded": request.query_params.get("recorded", ""), "already": request.query_params.get("already", "")}


def register() -> None:
    """Add the page and its text (called by reef.network.surfaces when the server extra is present)."""
    from reef.i18n import register_code_labels
    from reef.server.pages import Page, register_page
    from reef.web.messages import WEB_MESSAGES

    WEB_MESSAGES.update(MESSAGES)
    register_code_labels({"seed_plan": ("种子名单", "seed plan")})  # the job kind, as the 导入 page lists it
    # Not cached: it shows a job's progress; off the nav bar: reached from 网络 and 活动与涟漪.
    register_page(Page("seed_plan", "/seed-plan", "nav.seed_plan", "seed_plan.html", load_seed_page, nav=False, cached=False))
