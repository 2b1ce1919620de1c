"""Dashboard text: Simplified Chinese first, English switch; falls back to reef.i18n's catalogue.

:data:`WEB_MESSAGES` holds the shell's text (this module) and the capability pages' (:mod:`reef.web.messages_pages`);
capabilities add their own with ``WEB_MESSAGES.update``.

Example:
    >>> tr("nav.today", "zh"), tr("nav.today", "en")
    ('今日', 'Today')
    >>> error_summary("not_found", 404, "zh"), error_summary("reef_error", 405, "en")
    ('找不到这个页面或记录。', 'This address does not take this kind of request.')
"""
from __future__ import annotations

from reef.i18n import counted, t as core_t
from reef.web.messages_pages import CAPABILITY_MESSAGES

__all__ = ["tr", "error_summary", "WEB_MESSAGES"]

WEB_MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("Reef 社群运营台", "Reef community desk"),
    "nav.today": ("今日", "Today"),
    "nav.members": ("成员", "Members"),
    "nav.tasks": ("任务", "Tasks"),
    "nav.imports": ("数据导入", "Imports"),
    "nav.logout": ("退出", "Log out"),
    "nav.lang": ("English", "中文"),
    "role.admin": ("管理员", "admin"), "role.operator": ("运营", "operator"), "role.viewer": ("只读", "viewer"),
    "login.title": ("登录", "Log in"),
    "login.username": ("用户名", "User name"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.not_authenticated": ("用户名或密码错误。", "Wrong user name or password."),
    "login.rate_limited": ("登录失败次数过多，请稍后再试。", "Too many failed logins; try again later."),
    "today.alerts": ("提醒", "Alerts"),
    "today.recognise": ("今日值得表彰（近 {days} 天活跃、获得互动最多，已排除有不当言论或倦怠风险的成员）",
                        "Who to recognise today (most interacted-with, active in the last {days:day}; members with "
                        "hostile acts or a burnout risk left out)"),
    "today.recognise_none": ("暂无建议（需先运行分析）。", "No suggestions yet (run the analyses first)."),
    "today.trend": ("活跃趋势（近90天）", "Activity trend (last 90 days)"),
    "today.size": ("社群规模", "Community size"),
    "today.headcount": ("累计账号，含已退出 {left}、官方/员工 {staff}；在群普通成员 {ordinary}",
                        "accounts ever joined, incl. {left} who left and {staff} staff; {ordinary:ordinary member} now"),
    "today.headcount_later": ("；另有 {n} 人在统计时点后加入", "; {n} joined after the as-of date"),
    "today.panels_soon": ("成长阶梯、风险雷达等模块上线后将在此显示。",
                          "Ladder, risk radar and other panels appear here once those capabilities exist."),
    "alert.no_analyses": ("尚未运行分析：请在“数据导入”页启动分析。", "No analyses yet: start one on the Imports page."),
    "alert.failed": ("以下分析运行失败：{names}", "These analyses failed: {names}"),
    "alert.quarantine": ("有 {n} 行数据被隔离，请检查。", "{n:row is|rows are} quarantined; please check."),
    "alert.open_tasks": ("有 {n} 项待办任务。", "{n:task is|tasks are} open."),
    "alert.risks": ("风险雷达当前有 {n} 条提醒（高 {high} 条，新出现 {new} 条），最严重的几条：",
                    "The risk radar holds {n:alert} ({high} high, {new} new); the most severe:"),
    "alert.risks_back_dated": ("风险雷达显示的是截至 {as_of} 的回溯结果（早于数据的最新日期 {data_end}），不是当前提醒：共 {n} 条（高 {high} 条，当时新出现 {new} 条），最严重的几条：",
                               "The risk radar shows a back-dated run as of {as_of} (before the data's latest date {data_end}), not the current alerts: {n:alert} ({high} high, {new} new then); the most severe:"),
    "alert.crisis": ("危机室：{n} 个方面正在出现负面声浪：", "Crisis room: a negative wave on {n:aspect}:"),
    "alert.risks_all": ("查看全部 {n} 条风险提醒", "See all risk alerts ({n})"),
    "alert.recognise_now": ("成长阶梯有 {n} 位成员值得立即认可：", "The ladder has {n:member} to recognise now:"),
    "alert.recognise_all": ("到成长阶梯查看", "See them on the ladder"),
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
    "action.details": ("详情（按类型填写）", "Details (as the kind needs)"),
    "action.group": ("小组ID", "Group id"), "action.content": ("内容ID（回应的投诉、表彰或助推的帖子）", "Content id (complaint answered, post recognised or boosted)"), "action.team": ("项目团队", "Project team"),
    "action.role": ("团队角色", "Team role"), "action.brief": ("任务说明", "Task brief"),
    "action.due": ("截止日期", "Due date"), "action.topic": ("话题", "Topic"), "action.text": ("表彰文案", "Recognition text"),
    "action.task": ("完成的任务ID", "Task id completed"), "action.overdue": ("已逾期", "overdue"),
    "action.content_id": ("内容ID", "content id"), "action.campaign": ("活动ID", "campaign id"), "action.layer": ("任务层级", "task layer"),
    # the member form shown again when an action cannot be recorded (reef.server.page_forms.form_error)
    "form.failed": ("行动未记录：", "The action was not recorded:"),
    "form.needs": ("「{kind}」需要填写{field}。", "'{kind}' needs the {field}."),
    "form.not_taken": ("「{kind}」不填写{field}，请清空此项（此类型可填写：{takes}）。",
                       "'{kind}' does not take the {field}; clear it (this kind takes: {takes})."),
    "form.not_taken_none": ("「{kind}」只需填写备注，请清空{field}。", "'{kind}' takes only the note; clear the {field}."),
    "form.too_long": ("{field}太长：最多 {limit} 个字。", "The {field} is too long: at most {limit:character}."),
    "form.due": ("截止日期应是一个日期，例如 2026-07-31。", "The due date must be a date, like 2026-07-31."),
    "form.task": ("完成的任务ID应是这位成员的一项“分派任务”行动。", "The task id must be an 'assign a task' action on this member."),
    "form.group_missing": ("找不到ID为“{value}”的小组或兴趣圈。请从“小组ID”下拉列表中选择，或到组织页（/org）查看各兴趣圈的ID。",
                           "No group or interest circle has the id '{value}'. Pick one from the group id list, or see the circles' ids on the 组织 page (/org)."),
    "form.content_missing": ("找不到内容ID为“{value}”的帖子或回复。", "No post or reply has the content id '{value}'."),
    # campaigns are only created by importing a campaigns file: say where (the 数据导入 page; no CLI hint on a page)
    "form.campaign_missing": ("找不到活动ID为“{value}”的活动。活动只能通过导入活动文件创建：在“数据导入”页（/imports）上传"
                              "名为 campaigns.csv（或 .xlsx、.jsonl）的文件，列为 活动ID、活动名称、话题、开始时间"
                              "（可加 seed_member_ids），导入后再记录；也可以不填活动ID。",
                              "No campaign has the id '{value}'. Campaigns are only created by importing a campaigns file: "
                              "upload one named campaigns.csv (or .xlsx, .jsonl) on the Imports page (/imports) with the "
                              "columns campaign_id, name, topic, started_at (optionally seed_member_ids), then record "
                              "again; or leave the campaign empty."),
    "form.invalid": ("{field}填写有误，请检查。", "The {field} is not valid: expected {expected}."),
    "notice.recorded": ("已记录行动 {id}，可在“任务”页查看。", "Recorded as action {id}; it is on the Tasks page."),
    "notice.already": ("今天已记录过同样的行动（{id}），没有重复记录。", "The same action was already recorded today ({id}); nothing new was recorded."),
    "campaigns.boosted": ("已记录 {id}", "Recorded {id}"),
    "layer.plaza": ("广场", "Plaza"), "layer.group": ("兴趣小组", "Interest group"),
    "layer.team": ("项目团队", "Project team"), "layer.council": ("顾问团", "Advisory council"),
    "field.note": ("备注", "Note"),
    "field.status": ("状态", "Status"),
    "field.by": ("操作人", "By"),
    "field.at": ("时间", "When"),
    "field.region": ("地区", "Region"),
    "field.car_model": ("车型", "Car model"),
    "field.roles": ("已担任角色", "Roles held"),
    "field.contact": ("联系方式", "Contact"),
    "field.joined": ("加入时间", "Joined"),
    "field.title": ("标题", "Title"),
    "field.body": ("内容", "Text"),
    "status.open": ("待办", "Open"),
    "status.done": ("已完成", "Done"),
    "status.cancelled": ("已取消", "Cancelled"),
    "status.withdrawn": ("已撤回", "Withdrawn"),
    "status.default": ("按类型默认", "Default for the kind"),
    "status.default_hint": ("不选时：{kinds}记为已完成，其余为待办", "When not chosen: {kinds} are recorded done, the rest open"),
    "tasks.all": ("全部", "All"),
    "tasks.mark_done": ("标记完成", "Mark done"),
    "tasks.cancel": ("取消", "Cancel"),
    "tasks.withdraw": ("撤回", "Withdraw"),
    "tasks.withdraw_reason": ("撤回原因（必填）", "Reason (required)"),
    "tasks.withdraw_hint": ("误记的已完成行动可撤回：状态改为已取消，原记录保留；撤回“完成任务”会重新打开它完成的任务",
                            "A done action recorded by mistake is withdrawn: cancelled, the record kept; withdrawing a "
                            "task completion reopens the task it completed"),
    "tasks.withdrawn": ("撤回原因：{reason}", "Withdrawn: {reason}"),
    "imports.history": ("导入记录", "Import history"),
    "imports.warning": ("注意：", "Note: "),
    "imports.file_line": ("文件:行", "file:line"),
    "imports.quarantine": ("隔离数据", "Quarantined rows"),
    "imports.dismiss": ("移出隔离区", "Dismiss held rows"), "imports.dismiss_all": ("全部移出隔离区", "Dismiss all held rows"),
    "imports.dismiss_note": ("移出的行保留在 quarantine_dismissed 表中，不再计入隔离数；重新导入该文件会再次隔离其问题行。",
                             "Dismissed rows are kept in quarantine_dismissed and no longer counted as held; importing the file again quarantines its bad rows afresh."),
    "imports.jobs": ("后台任务", "Background jobs"),
    "imports.analyze": ("运行全部分析", "Run all analyses"),
    "imports.upload": ("上传并导入文件", "Upload and import files"),
    "imports.export": ("导出 Excel", "Export to Excel"),
    "page.prev": ("上一页", "Previous"),
    "page.next": ("下一页", "Next"),
    "page.past": ("第 {page} 页已超出范围（共 {pages} 页，{total} 条）", "Page {page} is past the end ({pages:page}, {total:row})"),
    "page.last": ("回到最后一页", "Go to the last page"),
    "page.of": ("第 {page} / {pages} 页，共 {total} 条", "Page {page} of {pages}, {total:row}"),
    "error.title": ("出错了", "Something went wrong"),
    # error pages: a summary by error code (else by HTTP status), the parameter at fault, the technical message
    "error.not_found": ("找不到这个页面或记录。", "This page or record does not exist."),
    "error.forbidden": ("您的角色没有权限执行此操作。", "Your role does not allow this."),
    "error.csrf_failed": ("安全校验未通过：页面可能已过期，请刷新后重试。",
                          "The security check failed: the page may have expired; reload it and try again."),
    "error.not_authenticated": ("请先登录。", "Please log in first."),
    "error.rate_limited": ("尝试次数过多，请稍后再试。", "Too many attempts; please try again later."),
    "error.invalid_parameter": ("请求中有无效的参数。", "The request has a parameter that is not valid."),
    "error.upload_too_large": ("上传的文件超过了大小上限。", "The upload is larger than allowed."),
    "error.other_site": ("上传的 Stack Exchange 文件来自另一个站点：数据库中已有另一个站点的数据，两个站点的编号会冲突，导入会覆盖它的数据。请把这个站点导入另一个数据库；本次没有导入任何数据。",
                         "The uploaded Stack Exchange file is of another site than the store's: the two sites' ids would collide and the import would overwrite its rows. Import this site into another store; nothing was imported."),
    "error.store_locked": ("数据库正被其他程序占用，请稍后再试。", "The store is in use by another program; try again later."),
    "error.http_405": ("这个地址不支持这种请求方式。", "This address does not take this kind of request."),
    "error.http_500": ("服务器内部错误，请求未能完成。服务器日志中有详细信息，请告知管理员出错的时间。",
                       "Internal error: the request could not be completed. The server log has the details; "
                       "please tell an admin when it happened."),
    "error.generic": ("请求未能完成。", "The request could not be completed."),
    "error.param": ("有问题的参数：{name}", "Parameter at fault: {name}"),
    "error.details": ("技术信息（英文）", "Technical details"),
    "error.home": ("返回今日", "Back to Today"),
    "masked.note": ("个人信息已脱敏。", "Personal data is masked."),
    # 帖子 (/content/<id>): one post cited as evidence, its thread and the 官方回应 form
    "content.title": ("帖子", "Post"), "content.author": ("作者", "Author"), "content.group": ("所在小组", "Group"),
    "content.edited": ("编辑于", "edited"), "content.sentiment": ("情感", "Sentiment"), "content.aspects": ("涉及方面", "Aspects"),
    "content.intents": ("意图", "Intents"), "content.toxicity": ("毒性", "Toxicity"),
    "content.not_enriched": ("尚未做文本分析（运行 `reef enrich` 或 `reef analyze`）。", "Not analysed yet (run `reef enrich` or `reef analyze`)."),
    "content.deleted": ("此帖已于 {at} 删除，仍保留以便核查证据。", "This post was deleted at {at}; it is kept so the evidence can be checked."),
    "content.received": ("获得的互动（不含作者本人）", "Interactions received (the author's own not counted)"),
    "content.likes": ("点赞", "Likes"), "content.accepts": ("采纳", "Accepts"), "content.thanks": ("致谢回复", "Thank-you replies"),
    "content.replies": ("直接回复", "Direct replies"), "content.thread": ("所在主题", "Thread"),
    "content.root": ("主题首帖", "First post of the thread"), "content.parent": ("所回复的帖子", "Replying to"),
    "content.is_root": ("本帖即主题首帖。", "This is the first post of its thread."),
    "content.replies_shown": ("直接回复（按时间先后，显示 {n} / {total} 条）", "Direct replies (oldest first, {n} of {total})"),
    "content.actions": ("关于此帖的行动", "Actions on this post"),
    "content.official": ("官方", "official"),
    "content.official_replies": ("其中官方回复 {n} 条", "{n} of them by official accounts"),
    "content.no_official_reply": ("尚无官方回复", "no official reply yet"),
    "content.contradicts": ("与官方信息不符", "Contradicts the official facts"),
    "content.contradicts_line": ("帖中说{claimed}；官方：{official}", "The post says {claimed}; official: {official}"),
    "content.fact_source": ("来源：{source}", "source: {source}"),
    "content.risk_alerts": ("风险雷达提醒", "Risk radar alerts"),
    "content.respond": ("记录官方回应", "Record an official response"),
    "content.respond_hint": ("记在作者 {author} 名下并关联本帖；下次运行分析后，风险雷达即把这条投诉算作已回应、把这条不实说法算作已由官方纠正。",
                             "Recorded on the author {author} and linked to this post; from the next analysis run the risk radar counts this complaint as answered and this rumour as corrected by an official response."),
    "chart.active": ("发帖成员", "Members posting"),
    "today.no_alerts": ("暂无提醒。", "No alerts."),
    "ladder.reached": ("达到该阶段及以上的人数", "Members at this stage or above"),
    "chart.new": ("新成员", "New members"),
    "chart.content": ("内容", "Content"),
    "chart.interactions": ("互动", "Interactions"),
    "imports.files": ("选择文件（JSONL、CSV、Parquet 等）", "Choose files (JSONL, CSV, Parquet ...)"),
    "imports.format": ("格式", "Format"),
    "format.auto": ("自动识别（按文件名）", "Automatic (by file name)"), "format.jsonl": ("JSONL（每行一条 JSON）", "JSONL (one JSON object a line)"),
    "format.csv": ("CSV 表格", "CSV"), "format.parquet": ("Parquet 列式文件", "Parquet"),
    "format.xlsx": ("Excel 工作簿（.xlsx，读第一个工作表）", "Excel workbook (.xlsx, first sheet)"),
    "format.stackexchange": ("Stack Exchange 导出（XML）", "Stack Exchange dump (XML)"), "format.weibo": ("微博数据（CED）", "Weibo (CED)"),
    "imports.limit": ("单次上传上限 {mb} MB；导入在后台运行，进度显示在下方。",
                      "At most {mb} MB per upload; the import runs in the background, progress below."),
    "imports.started": ("已开始后台任务 #{job}。", "Background job #{job} started."),
    "job.queued": ("排队中", "Queued"), "job.running": ("运行中", "Running"), "job.done": ("已完成", "Done"),
    "job.failed": ("失败", "Failed"), "job.interrupted": ("因服务重启中断", "Interrupted by a restart"),
    "job.partial": ("部分失败", "Partly failed"),
    "job.failed_analyses": ("运行失败：{names}", "Failed: {names}"),
    "job.blocked_analyses": ("未运行（所依赖的分析失败）：{names}", "Not run (an analysis they depend on failed): {names}"),
    # a failed job's lead sentence by its error code (ReefError.code; reef.server.tasks.job_error_view), the detail after it
    "job.error.reef_error": ("任务失败。", "The job failed."),
    "job.error.config_error": ("配置有误，任务未能完成。", "The configuration is wrong; the job could not finish."),
    "job.error.invalid_parameter": ("任务的参数无效。", "A parameter of the job is not valid."),
    "job.error.upload_too_large": ("上传的文件超过了大小上限。", "The upload is larger than allowed."),
    "job.error.unreadable_file": ("有文件无法读取（缺失、为空、已损坏或编码无法识别），本次导入没有写入任何数据。",
                                  "A file cannot be read (missing, empty, damaged or in an unknown encoding); nothing from this import was written."),
    "job.error.file_error": ("无法写入输出文件或文件夹。", "An output file or folder cannot be written."),
    "job.error.no_entity": ("无法确定文件中是哪类数据：请按数据类型命名文件（members、content、interactions ……），或加 entity 列；本次导入没有写入任何数据。",
                            "Cannot tell what a file holds: name it after its entity (members, content, interactions ...) or add an entity column; nothing from this import was written."),
    "job.error.missing_column": ("文件缺少 ID 列（也没有可对应的中文列名），无法导入其中任何一行；本次导入没有写入任何数据。请按下方说明改列名后重新导入。",
                                 "A file has no id column (nor a Chinese header that maps to it), so none of its rows can be imported; nothing from this import was written. Rename the column as below and import again."),
    "job.error.ambiguous_column": ("文件中有两列对应同一个字段，无法判断用哪一列；本次导入没有写入任何数据。请删除或改名其中一列后重新导入。",
                                   "Two columns of a file map to the same field, and Reef does not guess which one holds it; nothing from this import was written. Remove or rename one and import again."),
    "job.error.unknown_format": ("无法识别文件格式，本次导入没有写入任何数据。", "The file's format cannot be recognised; nothing from this import was written."),
    "job.error.store_error": ("无法打开或写入数据库。", "The store cannot be opened or written."),
    "job.error.store_locked": ("数据库正被其他程序占用，请稍后重新开始任务。", "The store is in use by another program; start the job again later."),
    "job.error.other_site": ("数据库中已有另一个 Stack Exchange 站点的数据，两个站点的编号会冲突：请把这个站点导入另一个数据库；本次导入没有写入任何数据。",
                             "The store holds another Stack Exchange site, whose ids would collide: import this site into another store; nothing from this import was written."),
    "job.error.migration_error": ("数据库的结构版本与本程序不符，或升级失败。", "The store's schema does not fit this Reef, or its upgrade failed."),
    "job.error.not_found": ("找不到任务所需的记录或数据表。", "A record or table the job needs does not exist."),
    "job.error.analysis_error": ("分析运行失败。", "An analysis failed."),
    "job.error.missing_dependency": ("缺少所需的 Python 组件，请让管理员安装。", "A Python package the job needs is not installed; ask an admin."),
    "job.error.interrupted": ("服务在任务完成前停止了，请重新开始这个任务。", "The server stopped before this job finished; start it again."),
    "job.error.internal_error": ("任务失败：发生了意外错误，请告知管理员出错的时间。",
                                 "The job failed: an unexpected error; please tell an admin when it happened."),
    "job.progress.running": ("正在运行：{step}（{done}/{total}）", "running {step} ({done}/{total})"),
    "job.progress.finished": ("已运行完 {done}/{total}", "all run {done}/{total}"),
    "job.progress.file": ("{step}：{done}/{total}", "{step}: {done}/{total}"),
    "job.progress.rows": ("{step}：已读取 {done} 行", "{step}: {done:row} read"),
    "field.files": ("文件", "Files"), "field.result": ("结果", "Result"),
}
WEB_MESSAGES.update(CAPABILITY_MESSAGES)  # the capability pages' text (reef.web.messages_pages), after the shell's


def tr(key: str, lang: str = "zh", **values: object) -> str:
    """The dashboard message ``key`` in ``lang`` (unknown keys fall back to reef.i18n, then the key)."""
    pair = WEB_MESSAGES.get(key)
    if pair is None:
        return core_t(key, lang, **values)
    text = pair[1] if lang == "en" else pair[0]
    return counted(text, **values) if values else text


def error_summary(code: str, status: int, lang: str = "zh") -> str:
    """What an error page says first in ``lang``: the text for the error's ``code``, else for its HTTP ``status``,
    else a general line (the error's own message is English, for the API and the server log)."""
    for key in (f"error.{code}", f"error.http_{status}"):
        if key in WEB_MESSAGES:
            return tr(key, lang)
    return tr("error.generic", lang)
