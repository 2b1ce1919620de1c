"""Words of the CLI's own tables and lines, ``{key: (Chinese, English)}``: the ``reef status`` summary, the analysis
runs' notes, the ripple summary, the export and report lines, an action's due date. The --json keys stay as they are;
these only name them for a reader (:func:`reef.i18n.column_label` names the keys every surface shares).

Example:
    >>> word("first_content_at", "zh"), word("first_content_at", "en")
    ('最早内容', 'first content')
    >>> analysis_note("up to date", "zh"), analysis_note("not run: dependency ladder failed", "zh")
    ('已是最新', '未运行：依赖的分析 ladder 失败')
    >>> due_text("2026-07-31", True, "zh"), due_text("2026-07-31", True, "en")
    ('截止 2026-07-31（已逾期）', 'due 2026-07-31 (overdue)')
"""
from __future__ import annotations

import re

from reef.risks.delivery_state import FAILURE_KINDS

__all__ = ["WORDS", "word", "labels", "analysis_note", "due_text", "RUN_LABELS"]

WORDS: dict[str, tuple[str, str]] = {
    # reef status: a member's join date is not data, and a bad row imported twice is quarantined twice but held once
    "store": ("数据库", "Store"),
    "first_content_at": ("最早内容", "first content"),
    "first_member_joined_at": ("最早入会", "first member join"),
    "first_at": ("最早（含入会）", "first (any)"),
    "last_at": ("最近", "last"),
    "staff_accounts": ("官方/员工账号", "staff accounts"),
    "imports": ("导入次数", "imports"),
    "quarantined_summed": ("隔离行（各次导入合计）", "quarantined (summed over imports)"),
    "quarantined_held": ("当前隔离行", "quarantined rows held"),
    "by_reason": ("隔离原因（按类别）", "Quarantine by reason"),
    "runs": ("最近的分析运行", "Last analysis runs"),
    # reef ripple's summary
    # (campaign_id, topic and adopters are reef.i18n's column labels; these three mean what they do here only)
    "seeds": ("种子成员", "Seeds"), "since": ("开始时间", "Since"), "reached": ("触达人数", "Reached"),
    "unreached": ("未经种子触达", "not reached from the seeds"),
    "ripple.figures": ("参与人数：自开始时间起在话题上发帖或回帖的成员；触达人数：其中可经回复、引用、@或互动追溯到种子的成员"
                       "（含种子，即圈层 0）。", 
                       "Adopters: members who posted on the topic since the start; reached: those traced back to a seed "
                       "through replies, quotes, @-mentions or interactions (seeds included, ring 0)."),
    "ripple.unreached": ("其余 {n} 人在话题上发过帖，但没有任何链接通向种子：见按圈层表的“未经种子触达”一行。",
                         " The other {n} posted on the topic but no link leads to them from the seeds: the row "
                         "'not reached from the seeds' by ring."),
    # reef simulate's summary
    "simulation": ("模拟", "Simulation"), "events": ("事件数", "events"), "seconds": ("耗时（秒）", "seconds"),
    "quarantined": ("隔离行数", "quarantined"),
    # reef report, reef export
    "report": ("报告", "Report"), "report_md": ("Markdown 版", "Markdown"),
    "export": ("导出", "Export"), "masked": ("已脱敏", "masked"), "unmasked": ("未脱敏", "UNMASKED"),
    "sheet": ("工作表", "sheet"), "table": ("数据表", "table"), "rows": ("行数", "Rows"),
    # reef guide's kinds, reef plaza's topic types (the report's words, reef/layers/report.py)
    "guide.newbie": ("新手百科", "newbie"), "guide.chronicle": ("年款与OTA编年史", "chronicle"),
    "topic.aspect": ("话题", "aspect"), "topic.tag": ("标签", "tag"), "topic.kind": ("类型", "kind"),
    # reef effect's outcomes and units (reef.actions.effect)
    "outcome.threads": ("发帖", "threads"), "outcome.replies": ("回帖", "replies"), "outcome.content": ("发帖和回帖", "content"),
    "outcome.stage_change": ("阶段变化", "stage_change"), "outcome.promoted": ("晋级", "promoted"),
    "unit.per_week": ("次/周", "per_week"), "unit.stages": ("阶", "stages"), "unit.share": ("占比", "share"),
    "covariate.log_tenure": ("入会时长（对数）", "log_tenure"), "covariate.log_pre_threads": ("此前发帖（对数）", "log_pre_threads"),
    "covariate.log_pre_replies": ("此前回帖（对数）", "log_pre_replies"), "covariate.log_pre_answers": ("此前回答（对数）", "log_pre_answers"),
    # reef user list
    "users": ("用户", "Users"), "username": ("用户名", "username"), "has_password": ("已设密码", "Password set"),
    "tokens": ("API 令牌", "API tokens"),
    # reef user add: the user created and what the creation ended (reef.actions.users.add_user)
    "user": ("用户", "User"), "role": ("角色", "role"), "sessions_ended": ("结束的会话", "Sessions ended"),
    "tokens_revoked": ("撤销的 API 令牌", "API tokens revoked"),
    # reef action add/done/cancel/withdraw: the keys of the action shown (the list's shared ones are reef.i18n's)
    "action.campaign_name": ("活动", "Campaign"), "action.text": ("表彰文案", "Recognition text"), "action.team": ("项目团队", "Project team"),
    "action.role": ("团队角色", "Team role"), "action.layer": ("任务层级", "Task layer"), "action.brief": ("任务说明", "Brief"),
    "action.due": ("截止日期", "Due"), "action.task": ("完成的任务ID", "Task completed"), "action.overdue": ("已逾期", "Overdue"),
    "action.done_at": ("完成时间", "Done at"), "action.cancelled_at": ("取消时间", "Cancelled at"),
    "action.withdraw_reason": ("撤回原因", "Reason withdrawn"), "action.source": ("来源", "Source"),
    "action.updated_by": ("最后修改人", "Last changed by"), "action.updated_at": ("最后修改时间", "Last changed at"),
    "action.note": ("备注", "Note"), "action.reopened_task": ("重新打开的任务", "Task reopened"),
    # reef config show
    "configuration": ("配置", "Configuration"), "config.key": ("配置项", "key"), "config.value": ("值", "value"),
    "config.source": ("来源", "source"),
    # reef alerts: the last failed delivery (reef.risks.delivery_state.last_failure) and its kind
    "last_failure": ("最近一次发送失败", "Last failed delivery"),
    **{f"failure.{kind}": pair for kind, pair in FAILURE_KINDS.items()},  # the delivery log's words too
}

# Headers of the analysis-run tables (reef status, reef analyze): a "name" here is an analysis, no nickname.
RUN_LABELS: dict[str, tuple[str, str]] = {
    "name": ("分析", "Analysis"), "version": ("版本", "Version"), "rows": ("行数", "Rows"), "seconds": ("耗时（秒）", "Seconds"),
    "message": ("说明", "Message"), "reason": ("原因", "Reason"),
}

# The runner's notes on a run (reef.analyses.runner), English as stored; a failure's own message stays as raised.
_NOTES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"up to date"), "已是最新"),
    (re.compile(r"not run: dependency (?P<deps>.+) failed"), "未运行：依赖的分析 {deps} 失败"),
)


def word(key: str, lang: str, default: str | None = None) -> str:
    """The CLI's word for ``key`` in ``lang``; ``default`` (else the key) when none is known."""
    pair = WORDS.get(key)
    return (pair[1] if lang == "en" else pair[0]) if pair else key if default is None else default


def labels(*keys: str) -> dict[str, tuple[str, str]]:
    """``{key: (Chinese, English)}`` of ``keys``, for :func:`reef.cli._common.rows_table`'s ``labels``."""
    return {k: WORDS[k] for k in keys}


def analysis_note(message: str | None, lang: str) -> str | None:
    """An analysis run's note in ``lang``: the runner's own notes in Chinese, anything else (an error) as it is."""
    if not message or lang == "en":
        return message
    for rx, zh in _NOTES:
        m = rx.fullmatch(message)
        if m:
            return zh.format(**m.groupdict())
    return message


def due_text(due: str, overdue: bool, lang: str) -> str:
    """An action's due date as the action list shows it, with 已逾期 / overdue (reef/web/messages.py's word)."""
    from reef.web.messages import WEB_MESSAGES

    i = 1 if lang == "en" else 0
    late = WEB_MESSAGES["action.overdue"][i]
    if lang == "en":
        return f"due {due}" + (f" ({late})" if overdue else "")
    return f"截止 {due}" + (f"（{late}）" if overdue else "")
