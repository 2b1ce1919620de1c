"""Names for operators of stored codes and row keys, Chinese first with an English switch.

- :func:`code_label`: a stored code (content and interaction kinds, trends, statuses, the text layer's car aspects,
  the codes capabilities register: risk parts, action kinds ...);
- :func:`column_label`: a row key (the --json keys); the Chinese names of the export's columns
  (:mod:`reef.i18n.headers`) join :data:`_COLUMN_LABELS` when the package is imported, and tables are headed by
  :func:`reef.i18n.header_label`;
- :func:`language_columns`: a table's columns without the other language's twins.

Example:
    >>> code_label("reply"), code_label("reply", "en"), code_label("续航与充电", "en"), aspect_code("range and charging")
    ('回复', 'reply', 'range and charging', '续航与充电')
    >>> column_label("times_asked"), column_label("times_asked", "en")
    ('被问次数', 'times_asked')
"""
from __future__ import annotations

__all__ = ["code_label", "register_code_labels", "aspect_code", "ASPECT_EN", "column_label", "register_column_labels",
           "language_columns"]


# Chinese names of the codes stored in tables (content and interaction kinds, trends, gap kinds, import counts);
# in English the code itself is shown, with underscores as spaces.
_CODE_LABELS: dict[str, str] = {
    "thread": "主题帖", "reply": "回复", "comment": "评论", "answer": "回答", "photo": "图片", "video": "视频", "guide": "攻略",
    "event": "活动", "poll": "投票", "poll_vote": "投票选项", "like": "点赞", "vote": "投票", "mention": "提及", "quote": "引用",
    "share": "分享", "accept": "采纳", "bookmark": "收藏", "follow": "关注", "report": "举报", "checkin": "签到", "view": "浏览",
    "duplicate": "重复", "link": "链接", "edit": "编辑", "growing": "上升", "declining": "下降", "stable": "平稳",
    "unanswered": "无人回答", "outdated": "已过时", "imported": "新增", "updated": "更新", "quarantined": "隔离",
    "format": "格式", "entity": "数据类型", "field": "字段", "members": "成员", "content": "内容", "interactions": "互动",
    "groups": "小组", "campaigns": "活动", "official_facts": "官方资料", "awards": "奖励", "operator_actions": "运营行动",
    "import": "导入", "analyze": "分析", "thanked": "被致谢", "accepted": "被采纳", "advice": "建议", "cocreate": "共创",
    "car_model": "车型", "circle": "小组", "region": "地区", "tenure": "入会时长", "ok": "完成", "failed": "失败",
    "blocked": "未运行", "skipped": "已是最新", "connector": "连接者", "broadcaster": "广播者", "member": "成员",
    "staff": "工作人员", "brand": "品牌账号", "bot": "机器人",
}


# English names of the text layer's 14 car aspects (10 CCF aspects + 4 from the seed lexicon); the stored code is
# the Chinese name, which Chinese pages show as it is.
ASPECT_EN: dict[str, str] = {
    "动力": "power", "价格": "price", "内饰": "interior", "配置": "features", "安全性": "safety", "外观": "exterior",
    "操控": "handling", "油耗": "fuel consumption", "空间": "space", "舒适性": "comfort", "续航与充电": "range and charging",
    "智能与车机": "smart features and infotainment", "售后与服务": "after-sales and service", "质量与故障": "quality and faults",
    "其他": "other", "全部": "all aspects",
}


def aspect_code(name: str | None) -> str | None:
    """The stored (Chinese) code of an aspect named in either language, so ``--aspect "range and charging"`` reads as
    ``--aspect 续航与充电``; a Chinese name, or a name that is no aspect (the caller's check names the known ones), is
    returned as given.

    >>> aspect_code("Range and Charging"), aspect_code("续航与充电"), aspect_code(None)
    ('续航与充电', '续航与充电', None)
    """
    if name is None:
        return None
    wanted = " ".join(str(name).split()).lower()
    return next((zh for zh, en in ASPECT_EN.items() if en == wanted), name)


# English names of codes a capability registers (its risk parts, action kinds ...) where the code itself is no phrase.
_CODE_EN: dict[str, str] = {}


def register_code_labels(labels: dict[str, tuple[str, str]]) -> None:
    """Let :func:`code_label` name a capability's codes: ``{code: (Chinese, English)}``. A code already named keeps
    its name, so one capability cannot rename another's.

    >>> register_code_labels({"like_ring": ("互赞圈", "like ring")}); code_label("like_ring"), code_label("like_ring", "en")
    ('互赞圈', 'like ring')
    """
    _register(labels, _CODE_LABELS, _CODE_EN)


def _register(labels: dict[str, tuple[str, str]], zh_names: dict[str, str], en_names: dict[str, str]) -> None:
    """Add ``labels`` to a pair of name tables; a name already there is kept (first registration wins)."""
    for key, (zh, en) in labels.items():
        if key not in zh_names:
            zh_names[key] = zh
            en_names[key] = en


def code_label(code: object, lang: str = "zh") -> str:
    """A stored code (``reply``, ``growing``, an aspect) as operators read it in ``lang``; unknown codes are shown
    as they are.

    >>> code_label("reply"), code_label("poll_vote", "en"), code_label("m001"), code_label("续航与充电", "en")
    ('回复', 'poll vote', 'm001', 'range and charging')
    """
    if code is None:
        return ""
    text = str(code)
    if lang == "en":
        if text in ASPECT_EN or text in _CODE_EN:
            return ASPECT_EN.get(text) or _CODE_EN[text]
        return text.replace("_", " ") if text in _CODE_LABELS else text
    return _CODE_LABELS.get(text, text)


# Chinese names of the row keys that CLI tables show as column headers (the --json keys stay English). The words
# are the dashboard's and the reports' for the same figure (reef/web/messages.py, the capabilities' surfaces and
# report modules), so an operator reads one name for one thing everywhere.
_COLUMN_LABELS: dict[str, str] = {
    # members and ranking
    "rank": "排名", "member_id": "成员ID", "name": "昵称", "stage": "阶段", "stage_name": "阶段名", "potential": "潜力",
    "momentum": "势头", "evidence": "依据", "score": "得分", "seat": "席位", "tenure_days": "入驻天数", "car_model": "车型",
    "region": "地区", "members": "人数", "quality": "质量分", "confidence": "归属置信度", "terms": "高频词",
    # ladder
    "at": "时间", "event": "变化", "from_stage": "原阶段", "to_stage": "新阶段", "reason": "原因", "alert": "提醒",
    "message": "内容", "cohort": "加入月份", "reached_1": "≥1", "reached_2": "≥2", "reached_3": "≥3", "reached_4": "≥4",
    "days_at_stage": "停留天数", "content_id": "内容ID", "kind": "类型", "text_quality": "文字质量", "originality": "原创度",
    "media": "图片视频", "likes": "点赞", "weighted_likes": "加权点赞",
    # knowledge reef and crisis room
    "question_id": "问题ID", "question": "问题", "answers": "回答数", "answer": "回答", "answerer": "回答者",
    "best_answerer": "最佳回答者", "best_score": "最佳回答得分", "best_accepted": "最佳回答被采纳", "accepted": "被采纳",
    "title": "标题", "author_name": "作者", "author": "作者", "explanation": "说明", "cluster_id": "问题组ID",
    "times_asked": "被问次数", "answered": "已回答", "aspect": "方面", "questions": "问题数", "answered_share": "回答率",
    "answer_age_days": "回答距今天数", "stale": "回答陈旧", "priority": "优先级", "observed": "负面帖", "baseline": "基线",
    "tested": "检验计数", "expected": "预期计数", "p_value": "p值", "new_authors": "新抱怨者", "new_author_share": "新抱怨者占比",
    "alarm": "预警", "day": "日期", "reach": "触达", "buffer": "该方面事实帖（非缓冲）", "specifics_replies": "追问细节的回复",
    "first_alarm_at": "当天首次预警", "credibility": "可信度", "path": "文件", "bytes": "字节数",
    # network
    "role": "角色", "askers": "提问者", "distinct_others": "信任者", "expertise_part": "专长分", "asked_part": "被问分",
    "brokerage_part": "桥梁度", "reach_part": "触达分", "followon_part": "后续回复分", "examples": "示例", "ring": "圈层",
    "adopters": "参与人数", "first_at": "首次参与", "last_at": "最近参与", "seed_member_id": "种子成员ID",
    "engagement": "互动", "acknowledgement": "建议致谢语", "strategy": "策略", "mean": "预期覆盖", "ci_low": "置信区间下限",
    "ci_high": "置信区间上限", "runs": "模拟次数", "act_at": "时间", "act": "行为", "helper_id": "帮助者ID",
    "helped_id": "受助者ID", "credit": "积分", "help_credit": "互助积分", "thanked": "被致谢", "people_helped": "帮助人数",
    "mentees": "带新人", "paid_forward": "传递善意",
    "first_questions": "首次提问数", "answered_24h": "24小时内获答", "answered_24h_share": "24小时内获答比例",
    "helped_newcomers": "获助新人数", "pay_it_forward_rate": "回馈比例",
    # organisation layers and project teams
    "circle_id": "小组ID", "circle_name": "小组", "top_terms": "高频词", "size": "人数", "member_growth": "活跃成员变化",
    "post_growth": "发帖变化", "health": "健康度", "trend": "趋势", "leaders": "建议小组长", "help_part": "互助分",
    "stage_part": "阶段分", "affinity_part": "归属分", "graph_part": "互动归属分", "text_part": "内容归属分",
    "second_circle_id": "第二小组ID", "ties": "圈内联系", "threads": "主题帖数", "mean_repliers": "平均回复者",
    "mean_newcomers": "平均新人", "circles": "来自兴趣圈", "sentiment": "情感", "topic_type": "话题类型", "topic": "话题",
    "lift": "参与度倍数", "covers": "覆盖", "dimension": "维度", "values": "类别数", "covered": "已覆盖",
    "members_represented": "代表成员占比", "excluded_because": "未入选原因", "role_label": "角色", "roles": "已担任角色", "fitness": "适配度",
    "active_teams": "在任团队", "objective_change": "目标值变化", "replaces": "替换",
    # risks
    "severity": "严重度", "first_seen": "首次出现", "is_new": "新", "level": "级别",
    # operator actions and their effect
    "action_id": "行动ID", "created_at": "创建时间", "status": "状态", "details": "详情", "operator": "操作人",
    "outcome": "结果指标", "unit": "单位", "treated_pre": "行动组（前）", "treated_post": "行动组（后）",
    "control_pre": "对照组（前）", "control_post": "对照组（后）", "estimate": "估计效果", "covariate": "协变量",
    "smd_before": "匹配前标准化差", "smd_after": "匹配后标准化差",
}


# English names of the keys a capability registers where the key itself is no phrase (``detail`` is the evidence).
_COLUMN_EN: dict[str, str] = {}


def register_column_labels(labels: dict[str, tuple[str, str]]) -> None:
    """Let :func:`column_label` name a capability's columns: ``{key: (Chinese, English)}``. A key already named keeps
    its name, so one capability cannot rename another's columns.

    >>> register_column_labels({"detail": ("证据", "evidence"), "rank": ("名次", "place")})
    >>> column_label("detail"), column_label("detail", "en"), column_label("rank"), column_label("rank", "en")
    ('证据', 'evidence', '排名', 'rank')
    """
    _register(labels, _COLUMN_LABELS, _COLUMN_EN)


def column_label(key: str, lang: str = "zh") -> str:
    """A row key (``times_asked``) in ``lang``: its Chinese name, or in English the name a capability registered, else
    the key itself (the name --json gives the figure); unknown keys are shown as they are. Headers of tables (CLI,
    workbook, reports) come from :func:`header_label`, which heads an English column in words.

    >>> column_label("times_asked"), column_label("mean_repliers", "en"), column_label("no_such_key")
    ('被问次数', 'mean_repliers', 'no_such_key')
    """
    if lang == "en":
        return _COLUMN_EN.get(key, key)
    return _COLUMN_LABELS.get(key, key)


def language_columns(columns: list[str], lang: str) -> list[str]:
    """``columns`` without the other language's twin: ``evidence_zh`` goes in English when ``evidence_en`` is there
    (and ``stage_name`` when ``stage_name_en`` is), ``*_en`` in Chinese when ``*_zh`` or the plain column is.

    >>> language_columns(["title", "title_en", "reason_zh", "reason_en", "rank"], "en")
    ['title_en', 'reason_en', 'rank']
    >>> language_columns(["title", "title_en", "reason_zh", "reason_en", "rank"], "zh")
    ['title', 'reason_zh', 'rank']
    """
    have = set(columns)
    if lang == "en":
        return [c for c in columns if not ((c.endswith("_zh") and c[:-3] + "_en" in have) or c + "_en" in have)]
    return [c for c in columns if not (c.endswith("_en") and (c[:-3] + "_zh" in have or c[:-3] in have))]
