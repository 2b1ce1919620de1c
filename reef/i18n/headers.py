"""Table headers as operators read them (CLI tables, the export workbook, the reports): one label table.

:data:`_EXPORT_HEADERS` names the columns only the workbook and the reports head, in both languages (their Chinese
names join :data:`reef.i18n.labels._COLUMN_LABELS`); :data:`_HEADER_EN` holds the English headers of keys that read
badly as words; any other key is headed by its words.

Example:
    >>> header_label("p_value", "en"), header_label("joined_at"), header_label("followon_replies", "en")
    ('P-value', '加入时间', 'Follow-on replies')
"""
from __future__ import annotations

from reef.i18n.labels import _CODE_LABELS, _COLUMN_EN, _COLUMN_LABELS, code_label

__all__ = ["header_label"]


# Columns that only the export workbook (and a report's generic tables) head: {key: (Chinese, English)}. The Chinese
# names join the table above; the English ones are headers of the workbook, the reports and the CLI's tables
# (header_label), where a key is no header for an operator.
_EXPORT_HEADERS: dict[str, tuple[str, str]] = {
    # members, member summary, daily activity, operator actions
    "joined_at": ("加入时间", "Joined"), "account_type": ("账号类型", "Account type"), "owner_since": ("提车时间", "Owner since"),
    "contact": ("联系方式", "Contact"), "left_at": ("退出时间", "Left"), "attrs": ("附加信息", "Attributes"),
    "import_id": ("导入批次", "Import ID"), "row_hash": ("行指纹", "Row hash"), "ingested_at": ("入库时间", "Ingested"),
    "member_code": ("成员编码", "Member code"), "content_code": ("内容编码", "Content code"), "author_code": ("作者编码", "Author code"),
    "parent_code": ("上级内容编码", "Parent code"), "actor_code": ("操作者编码", "Actor code"),
    "target_content_code": ("目标内容编码", "Target content code"),
    "is_staff": ("官方账号", "Staff account"), "first_activity_at": ("首次活动", "First activity"),
    "last_activity_at": ("最近活动", "Last activity"), "content_total": ("内容数", "Content items"),
    "interactions_given": ("给出互动", "Interactions given"), "interactions_received": ("获得互动", "Interactions received"),
    "active_members": ("发帖成员", "Members posting"), "new_members": ("新成员", "New members"),
    "interactions_total": ("互动数", "Interactions"), "campaign_id": ("活动ID", "Campaign ID"), "group_id": ("小组ID", "Group ID"),
    "label": ("标签", "Label"),  # e.g. a knowledge gap's label (多数未回答), shown by its name
    "team": ("项目团队", "Project team"), "layer": ("任务层级", "Task layer"), "due": ("截止日期", "Due"),
    # imports and quarantine
    "started_at": ("开始时间", "Started"), "finished_at": ("完成时间", "Finished"), "format": ("格式", "Format"),
    "paths": ("文件", "Files"), "reef_version": ("Reef 版本", "Reef version"), "rows_read": ("读取行数", "Rows read"),
    "imported": ("新增", "Imported"), "updated": ("更新", "Updated"), "duplicate": ("重复", "Duplicates"),
    "quarantined": ("隔离", "Quarantined"), "file": ("文件", "File"), "line": ("行号", "Line"), "entity": ("数据类型", "Entity"),
    "field": ("字段", "Field"), "raw": ("原始数据", "Raw row"), "quarantined_at": ("隔离时间", "Quarantined"),
    # ladder
    "rising": ("上升中", "Rising"), "next_progress": ("下一阶段进度（%）", "Progress to next stage (%)"), "flags": ("标记", "Flags"),
    "stage_since": ("进入本阶段", "At this stage since"), "max_stage": ("最高阶段", "Highest stage"),
    "acts": ("互动次数", "Interactions"), "orig_ok": ("合格原创", "Original posts"), "orig_all": ("全部原创", "All original posts"),
    "helped_nc": ("回答新人", "Newcomer answers"), "helped_nc_rec": ("回答新人获认可", "Recognised newcomer answers"),
    "help_all": ("回答他人", "Answers to others"), "help_rec": ("回答获认可", "Recognised answers"),
    "praise": ("称赞他人", "Praise of others"), "disagree": ("理性不同意见", "Civil disagreements"),
    "small_group": ("小组讨论", "Small-group posts"), "hostile": ("不文明言论", "Uncivil posts"),
    "proactive": ("主动创造价值", "Proactive acts"), "pro_meetup": ("自发聚会", "Meetups"), "pro_guide": ("攻略", "Guides"),
    "pro_clarification": ("辟谣", "Clarifications"), "pro_defence": ("有据维护", "Defences with evidence"),
    "wlikes": ("加权获赞", "Weighted likes"), "pace_recent": ("近期节奏", "Recent pace"), "pace_earlier": ("此前节奏", "Earlier pace"),
    "threshold_scale": ("门槛系数", "Threshold scale"), "as_of": ("数据截至", "As of"), "stage_before": ("原阶段", "Stage before"),
    "content_kind": ("内容类型", "Content kind"), "uses": ("使用次数", "Uses"), "act_created_at": ("行为时间", "Act time"),
    "snippet": ("内容摘要", "Snippet"), "flag": ("标记", "Flag"), "partners": ("互赞对象数", "Partners"),
    "partner_ids": ("互赞对象", "Partner IDs"),
    # network
    "expertise": ("专长", "Expertise"), "brokerage": ("桥梁", "Brokerage raw"), "responders": ("回应者", "Responders"),
    "reciprocity": ("互惠度", "Reciprocity"), "items": ("内容数", "Items"), "followon_replies": ("后续回复", "Follow-on replies"),
    "followon": ("后续回复/条", "Follow-on replies per item"), "mentioners": ("提及者", "Mentioners"), "quoters": ("引用者", "Quoters"),
    "agreers": ("认同者", "Agreers"), "distinct_part": ("信任者分", "Trusters part"), "via_member_id": ("转述者ID", "Via member ID"),
    "seed_name": ("种子成员", "Seed member"), "advice": ("建议", "Advice"), "cocreate": ("共创", "Co-creation"),
    "first_help_at": ("首次帮助", "First help"), "example_id": ("示例ID", "Example ID"),
    # knowledge reef and crisis
    "canonical_id": ("代表问题ID", "Canonical question ID"), "aspects": ("方面", "Aspects"), "canonical_title": ("问题", "Question"),
    "first_asked": ("首次提问", "First asked"), "last_asked": ("最近提问", "Last asked"), "best_answer_id": ("最佳回答ID", "Best answer ID"),
    "best_answerer_id": ("最佳回答者ID", "Best answerer ID"), "ratio": ("倍数", "Ratio"), "negative_authors": ("负面发帖人", "Negative authors"),
    "buffer_ratio": ("该方面事实帖 / 负面帖（非缓冲比）", "Aspect factual posts per negative post (not the buffer ratio)"),
    "alarm_now": ("当时仍在报警", "Still alarmed then"), "window_start": ("计数窗口起", "Counted from"), "window_end": ("计数窗口止", "Counted until"),
    "wave_first_alarm_at": ("本轮首次预警", "First alarm of this wave"),
    # risks
    "top_part": ("主要部分", "Main part"), "alert_key": ("提醒编号", "Alert key"),
    # organisation layers
    "term_scores": ("高频词权重", "Term weights"), "seed_size": ("初始人数", "Seed size"), "share": ("占比", "Share"),
    "main_board_id": ("主要版块ID", "Main board ID"), "main_board": ("主要版块", "Main board"),
    "active_recent": ("活跃成员（近期）", "Active members (recent)"), "active_before": ("活跃成员（此前）", "Active members (before)"),
    "posts_recent": ("新帖（近期）", "Posts (recent)"), "posts_before": ("新帖（此前）", "Posts (before)"),
    "items_recent": ("内容（近期）", "Items (recent)"), "joined_recent": ("新加入（近期）", "Joined (recent)"),
    "reply_rate": ("回复率", "Reply rate"), "hostile_share": ("敌意占比", "Hostile share"), "tone_delta": ("情绪差", "Tone difference"),
    "activity_part": ("活跃分", "Activity part"), "replies_part": ("回复分", "Replies part"), "tone_part": ("情绪分", "Tone part"),
    "leader_candidates": ("组长候选人数", "Leader candidates"), "trusters": ("信任者", "Trusters"), "trust_weight": ("信任权重", "Trust weight"),
    "helped": ("帮助人数", "People helped"), "eligible": ("符合条件", "Eligible"), "repliers_part": ("回复者分", "Repliers part"),
    "newcomers_part": ("新人分", "Newcomers part"), "diversity_part": ("多样性分", "Diversity part"), "repliers": ("回复者", "Repliers"),
    "newcomer_repliers": ("新人回复者", "Newcomer repliers"), "plaza_mean": ("广场平均", "Plaza mean"), "tenure": ("入会时长", "Tenure"),
    "tenure_part": ("入会时长分", "Tenure part"), "breadth_part": ("信任广度分", "Breadth part"), "trusters_part": ("信任者分", "Trusters part"),
    "potential_part": ("潜力分", "Potential part"), "objective_gain": ("目标增益", "Objective gain"), "balance_gain": ("均衡增益", "Balance gain"),
    "fallback": ("降级补位", "Fallback seat"), "summary": ("摘要", "Summary"),
}
# English headers of keys named above whose key reads badly as a header ("p_value", "distinct_others"); any other key
# is headed by its words (``times_asked`` -> "Times asked"). One source for the workbook, the reports and the CLI.
_HEADER_EN: dict[str, str] = {
    **{key: pair[1] for key, pair in _EXPORT_HEADERS.items()},
    "member_id": "Member ID", "content_id": "Content ID", "question_id": "Question ID", "cluster_id": "Question group ID",
    "circle_id": "Group ID", "circle_name": "Group", "action_id": "Action ID", "seed_member_id": "Seed member ID",
    "helper_id": "Helper ID", "helped_id": "Helped member ID", "second_circle_id": "Second group ID",
    "p_value": "p-value", "distinct_others": "Trusters", "brokerage_part": "Brokerage", "tenure_days": "Tenure (days)",
    "observed": "Negative posts", "buffer": "Factual posts on the aspect (not the buffer)", "specifics_replies": "Replies asking for specifics",
    "tested": "Tested count", "expected": "Expected count", "first_alarm_at": "First alarm that day", "new_authors": "New complainers",
    "new_author_share": "New complainer share", "stale": "Stale answers", "is_new": "New", "at": "Time", "event": "Change",
    "size": "Members", "members": "Members", "name": "Name", "stage_name": "Stage name", "first_at": "First adoption",
    "last_at": "Last adoption", "reached_1": "≥1", "reached_2": "≥2", "reached_3": "≥3", "reached_4": "≥4",
    "ci_low": "CI low", "ci_high": "CI high", "smd_before": "SMD before matching", "smd_after": "SMD after matching",
    # the CLI's English headers where the key's own words read badly (``answered_24h`` is no "Answered 24h")
    "answered_24h": "Answered within 24 h", "answered_24h_share": "Share answered within 24 h",
    "helped_newcomers": "Newcomers helped", "pay_it_forward_rate": "Pay-it-forward rate",
    "best_accepted": "Best answer accepted", "best_score": "Best answer score",
    "answer_age_days": "Answer age (days)", "role_label": "Role", "act_at": "Time",
    "author_name": "Author", "treated_pre": "Acted on (before)", "treated_post": "Acted on (after)",
    "control_pre": "Controls (before)", "control_post": "Controls (after)",
    "followon_part": "Follow-on part",
}
for _key, (_zh, _en) in _EXPORT_HEADERS.items():
    _COLUMN_LABELS.setdefault(_key, _zh)


_LANG_SUFFIXES = ("_zh", "_en")


def header_label(key: str, lang: str = "zh") -> str:
    """A column as an operator reads its header in ``lang``: the Chinese of :func:`column_label`, or an English
    header (a registered one, one of the export's, else the key in words: ``times_asked`` -> ``Times asked``).
    ``content_<kind>`` and ``interactions_<kind>`` name the kind, ``life_<measure>`` is the measure in all time, and
    a language twin (``reason_zh``, ``summary_en``) is headed as its column (``reason``).

    >>> header_label("times_asked"), header_label("times_asked", "en"), header_label("member_id", "en")
    ('被问次数', 'Times asked', 'Member ID')
    >>> header_label("interactions_like"), header_label("life_orig_ok", "en"), header_label("reason_zh")
    ('互动：点赞', 'Lifetime original posts', '原因')
    """
    en = lang == "en"
    known = (_HEADER_EN.get(key) or _COLUMN_EN.get(key)) if en else _COLUMN_LABELS.get(key)
    if known:
        return known[:1].upper() + known[1:] if en else known
    for prefix, zh, english in (("content_", "内容：", "Content: "), ("interactions_", "互动：", "Interactions: ")):
        kind = key[len(prefix):]
        if key.startswith(prefix) and kind in _CODE_LABELS:
            return (english + code_label(kind, "en")) if en else zh + code_label(kind)
    if key.startswith("life_"):
        inner = header_label(key[5:], lang)
        return f"Lifetime {inner[:1].lower()}{inner[1:]}" if en else "累计" + inner
    if key.endswith(_LANG_SUFFIXES) and len(key) > 3:
        return header_label(key[:-3], lang)
    if not en:
        return key
    words = [{"id": "ID", "ids": "IDs", "url": "URL", "ota": "OTA"}.get(w, w) for w in key.split("_") if w]
    text = " ".join(words) or key
    return text[:1].upper() + text[1:]
