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
    # reef enrich's summary (reef.text.enrich.EnrichSummary)
    "enrich": ("文本分析", "Enrich"), "enrich.items": ("内容条数", "Items"), "enrich.enriched": ("本次分析", "Enriched"),
    "enrich.up_to_date": ("已是最新", "Up to date"), "enrich.removed": ("已移除", "Removed"), "enrich.batches": ("批次数", "Batches"),
    "enrich.workers": ("并行进程数", "Workers"), "enrich.seconds": ("耗时（秒）", "Seconds"),
    "enrich.model_version": ("模型版本", "Model version"),
    # reef text analyze's summary (reef.text.files.analyze_file) and its warnings
    "text_analysis": ("文件文本分析", "Text analysis"), "text.input": ("输入文件", "Input"), "text.output": ("输出文件", "Output"),
    "text.format": ("输出格式", "Format"), "text.encoding": ("编码", "Encoding"), "text.rows": ("行数", "Rows"),
    "text.with_claims": ("含参数说法的行", "With claims"), "text.with_pii": ("含个人信息的行", "With PII"),
    "text.flagged": ("带标记的行", "Flagged"), "text.invalid_records": ("无法读取的记录", "Invalid records"),
    "text.invalid_lines": ("无法读取的行号", "Invalid lines"), "text.short_rows": ("字段不足的行", "Short rows"),
    "text.short_lines": ("字段不足的行号", "Short lines"), "text.not_text_records": ("非文本记录", "Not-text records"),
    "text.not_text_rows": ("非文本记录（行号：类型）", "Not-text rows (line: type)"),
    "text.joined_lists": ("合并的文本列表", "Joined lists"), "text.masked": ("已脱敏", "Masked"),
    # reef text eval's figures (reef.text.evaluate) and reef analyses' columns
    "eval.model_version": ("模型版本", "Model version"), "eval.written_to": ("写入文件", "Written to"),
    "eval.skipped": ("跳过", "Skipped"), "eval.accuracy": ("准确率", "Accuracy"), "eval.precision": ("精确率", "Precision"),
    "eval.recall": ("召回率", "Recall"), "eval.f1": ("F1", "F1"), "eval.auc": ("AUC", "AUC"), "eval.rows": ("行数", "Rows"),
    "eval.cases": ("用例数", "Cases"), "eval.sentences": ("句子数", "Sentences"), "eval.posts": ("帖子数", "Posts"),
    "eval.polar_posts": ("有倾向的帖子", "Polar posts"), "eval.claims": ("说法数", "Claims"),
    "eval.gold_claims": ("标注说法数", "Gold claims"), "eval.gold_spans": ("标注片段数", "Gold spans"),
    "eval.missed": ("漏检", "Missed"), "eval.extra": ("误检", "Extra"), "eval.joint_f1": ("方面+情感 F1", "Joint F1"),
    "eval.aspect_micro_f1": ("方面 micro-F1", "Aspect micro-F1"), "eval.sentiment_macro_f1": ("情感 macro-F1", "Sentiment macro-F1"),
    "eval.sentiment_accuracy": ("情感准确率", "Sentiment accuracy"),
    "eval.binary_pos_vs_neg_accuracy": ("正负二分准确率", "Positive vs negative accuracy"),
    "eval.seed": ("随机种子", "Seed"), "eval.items": ("内容数", "Items"), "eval.cues": ("线索规则", "Cues"),
    "eval.learned": ("学习模型", "Learned"), "eval.n": ("样本数", "Samples"), "eval.texts": ("文本数", "Texts"),
    "eval.macro_f1_supported": ("有样本类别的 macro-F1", "Macro-F1 (supported classes)"),
    "eval.gold": ("标注数", "Gold"), "eval.predicted": ("预测数", "Predicted"), "eval.micro": ("总体（micro）", "Micro"),
    "eval.per_intent": ("各意图", "Per intent"), "eval.intent": ("意图", "Intent"), "eval.value": ("值", "Value"),
    "eval.intents_with_support": ("有样本的意图数", "Intents with support"), "eval.exact_match": ("完全一致率", "Exact match"),
    "eval.source_ccf": ("来源：CCF 帖子", "Source: CCF posts"), "eval.source_weibo": ("来源：微博评论", "Source: Weibo comments"),
    "eval.part_dev": ("开发部分", "Dev part"), "eval.part_held_out": ("留出部分", "Held-out part"),
    "eval.labeller_agreement": ("两位标注者的一致性", "Labeller agreement"),
    "eval.identical_label_sets": ("标签完全相同的占比", "Identical label sets"), "eval.kappa": ("Cohen's kappa", "Cohen's kappa"),
    "eval.snownlp_pos_vs_neg_accuracy": ("SnowNLP 正负二分准确率", "SnowNLP positive vs negative accuracy"),
    "eval.margin_over_snownlp": ("领先 SnowNLP", "Margin over SnowNLP"),
    "depends_on": ("依赖", "Depends on"), "writes": ("写入的表", "Writes"), "description": ("说明", "Description"),
    "registered_analyses": ("已注册的分析", "Registered analyses"),
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


def labels(*keys: str, prefix: str = "") -> dict[str, tuple[str, str]]:
    """``{key: (Chinese, English)}`` of ``keys``, for :func:`reef.cli._common.rows_table`'s ``labels``; with ``prefix``
    every word of that group (``labels(prefix="enrich.")``: ``{"items": ...}``), whose keys mean what they do in one
    command's summary only.

    >>> labels(prefix="enrich.")["items"]
    ('内容条数', 'Items')
    """
    return {**{k: WORDS[k] for k in keys}, **{k[len(prefix):]: v for k, v in WORDS.items() if prefix and k.startswith(prefix)}}


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
