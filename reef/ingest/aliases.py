"""Chinese column headers and values of forum / CRM exports, read as the canonical model's names.

Chinese exports name their columns ``用户ID,昵称,注册时间`` and their kinds ``点赞`` or ``回复``. :data:`HEADER_ALIASES`
maps such a header to a field of the file's entity (per entity: ``用户ID`` is ``member_id`` in a members file,
``author_id`` in a content file, ``actor_id`` in an interactions file), :data:`VALUE_ALIASES` maps a Chinese value of
an enumerated field to its canonical value. Both are documented in one table each in docs/importers.md.

Rules (:func:`map_columns`): a header is matched after NFKC folding (full-width letters), lower case and without
spaces (``用户 ID``, ``用户ｉｄ``); it maps only when the file has no column of the field itself (``member_id`` beside
``用户ID`` leaves ``用户ID`` in ``attrs``); two columns mapping to one field are an :class:`AmbiguousColumnError` naming
both; a file whose entity's id column is still missing is a :class:`MissingColumnError` naming the columns seen and
the likely one (:func:`missing_key_error`), instead of a quarantine record per row.

Example:
    >>> from reef.model.schema import ENTITIES
    >>> map_columns(ENTITIES["members"], ["用户ID", "昵称", "注册时间", "地区"])
    {'用户ID': 'member_id', '昵称': 'name', '注册时间': 'joined_at', '地区': 'region'}
    >>> map_columns(ENTITIES["members"], ["member_id", "用户ID", "joined_at"])
    {}
    >>> VALUE_ALIASES["interactions"]["kind"]["点赞"]
    'like'
"""
from __future__ import annotations

import unicodedata
from typing import Iterable

from reef.errors import AmbiguousColumnError, Location, MissingColumnError
from reef.model.schema import ENTITIES, Entity

__all__ = ["HEADER_ALIASES", "VALUE_ALIASES", "header_key", "map_columns", "missing_key_error", "value_alias_sql"]

_TIME = ("时间", "创建时间")
# entity -> field -> Chinese headers (matched by header_key). Group columns map only as ids (板块ID): a 板块 column
# usually holds the board's name, which as group_id would hold every row as a dangling reference.
HEADER_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "members": {
        "member_id": ("用户ID", "用户编号", "会员ID", "会员编号", "成员ID", "编号"),
        "name": ("昵称", "用户名", "用户昵称", "会员昵称", "会员名"),
        "joined_at": ("注册时间", "加入时间", "注册日期", "入会时间"),
        "account_type": ("账号类型", "用户类型", "账户类型"),
        "region": ("地区", "所在地", "城市", "省份"),
        "car_model": ("车型", "爱车"),
        "owner_since": ("提车时间", "提车日期"),
        "contact": ("联系方式", "手机号", "手机"),
        "left_at": ("注销时间", "退出时间"),
    },
    "groups": {
        "group_id": ("板块ID", "版块ID", "圈子ID", "编号"),
        "name": ("板块名称", "版块名称", "圈子名称", "名称"),
        "kind": ("类型", "板块类型"),
        "parent_id": ("上级板块ID", "父板块ID"),
        "owner_id": ("版主ID", "圈主ID"),
        "created_at": _TIME,
        "description": ("简介", "描述"),
    },
    "campaigns": {
        "campaign_id": ("活动ID", "活动编号", "编号"),
        "name": ("活动名称", "名称"),
        "topic": ("话题",),
        "started_at": ("开始时间",),
        "ended_at": ("结束时间",),
        "group_id": ("板块ID", "版块ID", "圈子ID"),
        "description": ("简介", "描述"),
    },
    "content": {
        "content_id": ("帖子ID", "内容ID", "帖子编号", "内容编号", "编号"),
        "kind": ("类型", "内容类型", "帖子类型"),
        "author_id": ("作者ID", "用户ID", "发帖人ID", "发布者ID"),
        "created_at": ("发布时间", "发帖时间", *_TIME),
        "parent_id": ("父帖ID", "父ID", "上级ID", "回复帖子ID"),
        "thread_id": ("主题ID", "主帖ID"),
        "group_id": ("板块ID", "版块ID", "圈子ID"),
        "campaign_id": ("活动ID",),
        "title": ("标题",),
        "body": ("正文", "内容", "帖子内容", "评论内容", "回复内容"),
        "tags": ("标签", "话题"),
        "edited_at": ("编辑时间", "修改时间"),
        "deleted_at": ("删除时间",),
    },
    "interactions": {
        "interaction_id": ("互动ID", "记录ID", "编号"),
        "kind": ("互动类型", "类型", "行为"),
        "actor_id": ("用户ID", "操作人ID", "会员ID"),
        "target_content_id": ("帖子ID", "内容ID", "目标帖子ID"),
        "target_member_id": ("目标用户ID", "被关注用户ID", "被提及用户ID"),
        "related_content_id": ("关联帖子ID",),
        "created_at": ("互动时间", *_TIME),
        "value": ("分值", "数值"),
    },
    "awards": {
        "award_id": ("勋章记录ID", "记录ID", "编号"),
        "member_id": ("用户ID", "会员ID"),
        "name": ("勋章名称", "称号", "勋章"),
        "awarded_at": ("获得时间", "授予时间"),
        "level": ("等级",),
    },
    # A spec sheet or selling-point list as a brand team keeps it: 编号,类型,车型,参数,数值,单位,生效时间,来源 (a selling
    # point's title may head its column as 卖点; its description as 描述 / 说明).
    "official_facts": {
        "fact_id": ("编号", "事实ID", "参数ID", "条目ID", "记录ID"),
        "kind": ("类型", "事实类型"),
        "model": ("车型", "车型名称", "型号", "车系"),
        "attribute": ("参数", "参数名", "参数名称", "配置项", "卖点", "卖点名称", "名称"),
        "value": ("数值", "参数值", "值"),
        "value_text": ("描述", "说明", "文字说明", "卖点描述"),
        "unit": ("单位",),
        "valid_from": ("生效时间", "生效日期", "开始时间", "发布时间"),
        "valid_to": ("失效时间", "失效日期", "截止时间", "结束时间"),
        "source": ("来源", "出处", "数据来源"),
    },
}
# entity -> field -> Chinese value -> canonical value; used only for a value that is not canonical already.
VALUE_ALIASES: dict[str, dict[str, dict[str, str]]] = {
    "content": {"kind": {
        "主帖": "thread", "帖子": "thread", "主题": "thread", "主题帖": "thread", "发帖": "thread",
        "回复": "reply", "跟帖": "reply", "楼层": "reply", "评论": "comment", "回答": "answer", "答案": "answer",
        "图片": "photo", "晒图": "photo", "视频": "video", "攻略": "guide", "教程": "guide", "指南": "guide",
        "活动": "event", "投票": "poll", "参与投票": "poll_vote",
    }},
    "interactions": {"kind": {
        "点赞": "like", "赞": "like", "投票": "vote", "回复": "reply", "提及": "mention", "引用": "quote",
        "分享": "share", "转发": "share", "采纳": "accept", "收藏": "bookmark", "关注": "follow", "举报": "report",
        "签到": "checkin", "浏览": "view", "查看": "view", "重复": "duplicate", "链接": "link", "编辑": "edit",
    }},
    "members": {"account_type": {"会员": "member", "用户": "member", "车主": "member", "员工": "staff",
                                 "工作人员": "staff", "官方": "brand", "品牌": "brand", "机器人": "bot"}},
    "groups": {"kind": {"板块": "board", "版块": "board", "圈子": "circle", "小组": "group", "广场": "plaza",
                        "团队": "team", "委员会": "council"}},
    "official_facts": {"kind": {"参数": "spec", "卖点": "selling_point"}},
}


def header_key(name: str) -> str:
    """How a header is compared: NFKC-folded, lower case, without spaces (``用户 ＩＤ`` -> ``用户id``)."""
    return "".join(unicodedata.normalize("NFKC", str(name)).lower().split())


_BY_KEY = {ent: {header_key(a): f for f, names in fields.items() for a in names} for ent, fields in HEADER_ALIASES.items()}


def map_columns(entity: Entity, columns: Iterable[str], *, file: str | None = None) -> dict[str, str]:
    """Which columns (as written) stand for which fields of ``entity``; only for fields the file lacks.

    Raises :class:`AmbiguousColumnError` when two columns map to one field."""
    names = [str(c).strip() for c in columns]
    present = {n.lower() for n in names}
    table = _BY_KEY.get(entity.name, {})
    by_field: dict[str, list[str]] = {}
    for name in names:
        field = table.get(header_key(name))
        if field and field not in present and name.lower() not in entity.columns:
            by_field.setdefault(field, []).append(name)
    for field, cols in by_field.items():
        if len(cols) > 1:
            shown = "、".join(cols)
            raise AmbiguousColumnError(
                f"Columns {', '.join(cols)} all map to {entity.name}.{field}; Reef does not guess which one holds it.",
                where=Location(file=file), hint=f"Rename one of them to {field}, or remove the others, and import again.",
                message_zh=f"列 {shown} 都对应 {entity.name}.{field}，无法判断用哪一列。",
                hint_zh=f"请将其中一列改名为 {field}（或删除其余的列）后重新导入。",
                facts={"entity": entity.name, "field": field, "columns": cols})
    return {cols[0]: field for field, cols in by_field.items()}


def missing_key_error(entity: Entity, columns: Iterable[str], *, file: str | None = None) -> MissingColumnError:
    """The one error for a file without its entity's id column: the columns seen and the likely mapping."""
    from reef.errors_zh import join_words
    from reef.i18n import code_label
    from reef.ingest.columns import _suggest

    names = [str(c).strip() for c in columns if str(c).strip() and str(c).strip().lower() != "entity"]
    key = entity.key
    aliases = HEADER_ALIASES.get(entity.name, {}).get(key, ())
    mapped = _BY_KEY.get(entity.name, {})
    # a synonym or close spelling of the key (uid, 用户, menber_id), else an unmapped column named like an id (用户号ID)
    likely = next((n for n in names if _suggest(n.lower(), [key]) == key), None) or next(
        (n for n in names if header_key(n).endswith("id") and header_key(n) not in mapped and n.lower() not in entity.columns), None)
    seen = join_words(names[:20]) + (" ..." if len(names) > 20 else "")  # "none" for a file of no columns
    known = ", ".join(aliases)
    hint_en = (f"Rename column {likely} to {key} " if likely else f"Add a {key} column ") + \
        (f"(or one of its Chinese names: {known}) " if known else "") + "and import again."
    hint_zh = (f"请将列 {likely} 改名为 {key}" if likely else f"请加上 {key} 列") + \
        (f"（或其中文列名之一：{'、'.join(aliases)}）" if aliases else "") + "后重新导入。"
    return MissingColumnError(
        f"The {entity.name} file has no {key} column (columns: {seen}), so none of its rows could be imported.",
        where=Location(file=file), hint=hint_en,
        message_zh=f"{code_label(entity.name)}文件（{entity.name}）缺少 {key} 列（文件中的列：{join_words(names[:20], 'zh')}{' ……' if len(names) > 20 else ''}），"
                   "其中任何一行都无法导入；本次导入没有写入任何数据。",
        hint_zh=hint_zh, facts={"entity": entity.name, "field": key, "columns": names, "suggestion": likely})


def value_alias_sql(entity: str | None, field: str, col: str) -> str:
    """SQL reading the lower-cased value in ``col`` with the Chinese aliases of ``entity.field`` made canonical.

    >>> value_alias_sql("groups", "kind", "x")
    "CASE x WHEN '板块' THEN 'board' WHEN '版块' THEN 'board' WHEN '圈子' THEN 'circle' WHEN '小组' THEN 'group' WHEN '广场' THEN 'plaza' WHEN '团队' THEN 'team' WHEN '委员会' THEN 'council' ELSE x END"
    """
    table = VALUE_ALIASES.get(entity or "", {}).get(field)
    if not table:
        return col
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in table.items())
    return f"CASE {col} {whens} ELSE {col} END"


def _check_tables() -> None:
    """Every alias names a real field and kind, and no header maps to two fields of one entity."""
    for ent, fields in HEADER_ALIASES.items():
        seen: dict[str, str] = {}
        for field, names in fields.items():
            assert field in ENTITIES[ent].columns, (ent, field)
            for name in names:
                assert seen.setdefault(header_key(name), field) == field, (ent, name)
    for ent, fields in VALUE_ALIASES.items():
        for field, table in fields.items():
            assert set(table.values()) <= set(ENTITIES[ent].field(field).kinds or ()), (ent, field)


_check_tables()
