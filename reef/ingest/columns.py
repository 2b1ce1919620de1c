"""Warnings for columns an import did not use although they look like a field it expected.

A column the model does not know is kept in ``attrs``, as it should be: exports carry many extras. But a CSV whose
text column is called ``text`` instead of ``body`` imports threads with no body, and every text analysis then comes
out empty without a word. :func:`unused_column_warnings` names such columns: an unused column that a small synonym
table, or a close spelling (difflib), maps to a field of the entity that the file does not have. A column whose
field is present (``text`` beside ``body``) is a legitimate extra and says nothing. A warning is not an error: the
rows are imported as they are.

Example:
    >>> from reef.model.schema import ENTITIES
    >>> [w["message"] for w in unused_column_warnings(ENTITIES["content"], ["content_id", "kind", "text"], "t.csv")]
    ['column text was not used (kept in attrs); did you mean body?']
    >>> unused_column_warnings(ENTITIES["content"], ["content_id", "body", "text"], "t.csv")
    []
"""
from __future__ import annotations

import difflib
from typing import Any, Iterable

from reef.model.schema import Entity

__all__ = ["unused_column_warnings", "SYNONYMS", "WARNING_TEXT"]

# field -> column names that usually mean it (lower case); used only when the entity has that field
SYNONYMS: dict[str, tuple[str, ...]] = {
    "body": ("text", "content", "message", "msg", "post", "comment", "正文", "内容", "帖子内容", "评论内容", "文本"),
    "title": ("subject", "headline", "topic_title", "标题", "主题"),
    "author_id": ("user", "user_id", "uid", "author", "poster", "writer", "作者", "用户", "用户id", "发帖人"),
    "actor_id": ("user", "user_id", "uid", "actor", "member", "操作人", "用户", "用户id"),
    "member_id": ("user_id", "uid", "user", "id", "member", "用户id", "会员id", "用户"),
    "content_id": ("id", "post_id", "item_id", "帖子id"),
    "interaction_id": ("id",),
    "group_id": ("board", "board_id", "group", "forum", "circle", "版块", "圈子"),
    "parent_id": ("reply_to", "parent", "in_reply_to", "父id"),
    "created_at": ("time", "date", "timestamp", "created", "create_time", "created_time", "post_time", "posted_at",
                   "publish_time", "发布时间", "创建时间", "时间", "日期"),
    "joined_at": ("join_date", "joined", "register_time", "registered_at", "signup_date", "created_at", "注册时间", "加入时间"),
    "name": ("nickname", "username", "user_name", "display_name", "昵称", "用户名", "名字"),
    "tags": ("tag", "labels", "topics", "标签", "话题"),
    "kind": ("type", "category", "类型"),
}
# (zh, en) templates: the operator reads the Chinese; --json and the API carry both
WARNING_TEXT = ("列 {column} 未使用（已存入 attrs）；是否应为 {field}？", "column {column} was not used (kept in attrs); did you mean {field}?")
_IGNORED = {"entity", "attrs", "file_row_number"}


def _suggest(column: str, missing: list[str]) -> str | None:
    for field in missing:
        if column in SYNONYMS.get(field, ()):
            return field
    close = difflib.get_close_matches(column, missing, n=1, cutoff=0.8)
    return close[0] if close else None


def unused_column_warnings(entity: Entity, columns: Iterable[str], file: str) -> list[dict[str, Any]]:
    """One warning per field the file lacks but some unused column of it probably means (the first such column)."""
    names = [str(c).strip() for c in columns]
    lowered = {n.lower() for n in names}
    missing = [f for f in entity.columns if f not in lowered and f not in _IGNORED]
    warnings: list[dict[str, Any]] = []
    for name in names:
        low = name.lower()
        if not low or low in entity.columns or low in _IGNORED or low.startswith("_"):
            continue
        field = _suggest(low, missing)
        if field is None:
            continue
        missing.remove(field)  # one warning per field: `text` and `content` both unused say body once
        zh, en = (t.format(column=name, field=field) for t in WARNING_TEXT)
        warnings.append({"code": "unused_column", "file": file, "entity": entity.name, "column": name,
                         "suggestion": field, "message": en, "message_zh": zh})
    return warnings
