"""Quarantine reasons in the operator's language: a stable code per kind of reason and a (zh, en) text.

The stored ``quarantine.reason`` stays the English sentence the readers and the validator write: the import
compares it to recognise a row quarantined before (re-imports add no second record and drop resolved ones),
scripts and the docs quote it, and rewriting it would make every earlier record look new. So the codes and the
Chinese are read off the English text here, on display, by pattern: :func:`reason_code` names the kind (it works
on a whole reason and on the grouped prefix ``reef status`` counts by), :func:`reason_text` says the reason in
``lang`` with its values (field, value, line) kept, :func:`reason_label` names a kind. A reason no pattern knows
(a new reader's) has the code ``other`` and is shown in English, never hidden. The kinds, their patterns and texts are
the tables of :mod:`reef.ingest.reason_kinds` (``REASON_KINDS`` is re-exported here).

Example:
    >>> reason_code("missing required field joined_at"), reason_text("missing required field joined_at")
    ('missing_field', '缺少必填字段 joined_at；请在该行填写此字段后重新导入该文件')
    >>> reason_text("missing required field joined_at", "en")
    'missing required field joined_at: fill in this field and import the file again'
"""
from __future__ import annotations

import re

from reef.ingest.reason_kinds import PREFIX_FORMS as _PREFIX_FORMS
from reef.ingest.reason_kinds import REASON_KINDS, ReasonKind
from reef.ingest.reason_kinds import REFERRED as _REFERRED
from reef.ingest.reason_kinds import TODO as _TODO
from reef.ingest.reason_kinds import TS_FORMATS as _TS_FORMATS

__all__ = ["REASON_KINDS", "REASON_CODES", "reason_code", "reason_text", "reason_label", "reason_kind_counts", "reason_code_sql"]

_OTHER = ("其他问题", "other")
_BY_CODE = {k.code: k for k in REASON_KINDS}
REASON_CODES = (*_BY_CODE, "other")
_START = [(re.compile(k.start), k) for k in REASON_KINDS]
_FORMS = {k.code: [(re.compile(rx, re.S), zh) for rx, zh in (*k.forms, *([_PREFIX_FORMS[k.code]] if k.code in _PREFIX_FORMS else []))]
          for k in REASON_KINDS}

# Values inside a reason that are words, not data: named in Chinese.
_WORDS = {
    "timestamp": "时间", "number": "数字", "true/false": "是/否值", "list (JSON array or a|b|c)": "列表（JSON 数组或 a|b|c）",
    "JSON object": "JSON 对象", "member": "成员", "content": "内容", "group": "小组", "campaign": "活动",
    "official_fact": "官方资料", "array": "数组", "string": "字符串", "object": "对象", "bigint": "整数", "ubigint": "整数",
    "double": "小数", "boolean": "布尔值", "null": "空值",
}


def _kind(reason: str) -> ReasonKind | None:
    text = reason.strip()
    return next((kind for rx, kind in _START if rx.match(text)), None)


def reason_code(reason: str | None) -> str:
    """The stable code of a reason's kind (``missing_field``, ``dangling_reference`` ...); ``other`` when none fits.

    >>> reason_code("dangling reference: author_id 'm9' is not a known member id"), reason_code("unknown kind ")
    ('dangling_reference', 'unknown_code')
    """
    kind = _kind(reason or "")
    return kind.code if kind else "other"


def reason_label(code: str, lang: str = "zh") -> str:
    """A reason kind's name in ``lang`` (for counts by kind).

    >>> reason_label("dangling_reference"), reason_label("dangling_reference", "en")
    ('引用不存在的记录', 'dangling reference')
    """
    kind = _BY_CODE.get(code)
    pair = (kind.zh, kind.en) if kind else _OTHER
    return pair[1] if lang == "en" else pair[0]


def _fill(groups: dict[str, str | None], name: str) -> str:
    value = groups.get(name)
    if not value:
        return ""
    if name == "span":
        return f"；该记录跨越第 {groups['first']}-{groups['last']} 行，请检查是否有未闭合的引号"
    if name == "eof":
        return "；有一个引号未闭合，一直延续到文件末尾"
    if name == "kind":
        from reef.i18n import code_label
        return code_label(value)
    if name == "entity":
        from reef.i18n import code_label
        return code_label(value)
    if name in ("what", "noun"):
        return _WORDS.get(value, value)
    return value


def reason_text(reason: str | None, lang: str = "zh") -> str:
    """A stored reason as an operator reads it in ``lang``, followed by what to do about it: English as stored;
    Chinese with the values kept. A reason of a known kind whose wording no form matches gets the kind's name before
    the English; an unknown one is shown as it is.

    >>> reason_text("dangling reference: author_id 'm9' is not a known member id")
    "引用不存在：author_id 'm9' 不是已知的成员 ID；请导入成员文件 members.csv（列：用户ID,昵称,注册时间 或 member_id,name,joined_at），本行会随那次导入自动重新处理"
    >>> reason_text("not a valid number: 'x'", "en")
    "not a valid number: 'x': correct the value and import again"
    >>> reason_text("something new")
    'something new'
    """
    text = reason or ""
    kind = _kind(text)
    if kind is None:
        return text
    todo = _todo(kind.code, text, lang)
    if lang == "en":
        return f"{text}: {todo}" if todo else text
    todo = f"；{todo}" if todo else ""
    for rx, template in _FORMS[kind.code]:
        m = rx.fullmatch(text.strip())
        if m:
            groups = m.groupdict()
            return template.format(**{name: _fill(groups, name) for name in groups}) + todo
    return f"{kind.zh}：{text}{todo}"


def _todo(code: str, text: str, lang: str) -> str:
    """What to do about a reason of kind ``code`` in ``lang`` ('' when the stored text says it already)."""
    i = 1 if lang == "en" else 0
    if code == "invalid_value" and text.startswith("not a valid timestamp"):
        from reef.ingest.value_hints import timestamp_hint

        m = re.fullmatch(r"not a valid timestamp: '(.*)'", text.strip(), re.S)
        return (timestamp_hint(m.group(1), lang) if m else "") + (
            "请按以下格式之一填写时间后重新导入：", "write it in one of these formats and import again: ")[i] + _TS_FORMATS[i]
    if code == "dangling_reference" and "; did you mean '" in text:
        from reef.ingest.reason_kinds import NEAR_TODO

        return NEAR_TODO[i]
    if code == "dangling_reference":  # name the file that brings what is referred to
        m = re.search(r"is not a known (\w+) id", text)
        pair = _REFERRED.get(m.group(1) if m else "", _TODO[code])
        return pair[i]
    pair = _TODO.get(code)
    return pair[i] if pair else ""


def reason_kind_counts(by_reason: dict[str, int]) -> dict[str, int]:
    """Counts by reason (or by the grouped prefix ``reef status`` uses) added up by kind code, largest first."""
    counts: dict[str, int] = {}
    for reason, n in by_reason.items():
        code = reason_code(reason)
        counts[code] = counts.get(code, 0) + int(n)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def reason_code_sql(code: str, col: str = "reason") -> str:
    """SQL true when the stored reason in ``col`` is of kind ``code``, judged as :func:`reason_code` judges it: the first
    kind whose start matches wins, so ``unknown_code`` excludes ``unknown entity ...``. DuckDB's RE2 reads these patterns
    as Python does.

    >>> import duckdb
    >>> con = duckdb.connect()
    >>> [con.execute("SELECT " + reason_code_sql(c, "$r"), {"r": "unknown entity 'x'"}).fetchone()[0] for c in ("unknown_code", "unknown_entity")]
    [False, True]
    """
    def starts(kind: ReasonKind) -> str:
        return f"regexp_matches({col}, '^\\s*(?:{kind.start.replace(chr(39), chr(39) * 2)})')"

    if code not in REASON_CODES:
        raise ValueError(f"unknown reason code {code!r}")
    earlier = [starts(k) for k in REASON_KINDS[:REASON_CODES.index(code)]]
    cond = " OR ".join(earlier) if earlier else "false"
    if code == "other":
        return f"coalesce(NOT ({cond}), true)"
    return f"coalesce({starts(_BY_CODE[code])} AND NOT ({cond}), false)"
