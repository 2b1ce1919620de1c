"""The team builder's form: a brief an operator types on the 组织 page, and refusals in operator words.

The form mirrors the brief file of ``reef team --brief`` (:mod:`reef.layers.team_brief`) field
for field, flattened so it can be typed: ``name``, ``topic``, ``deadline``, a count per role
(``writer``, ``visual``, ``structurer``: 0 = not needed), ``expert`` (aspects, one expert each,
``expert_count`` each), ``size`` (extra seats are open), ``aspects``, ``circle``, ``exclude``
(member ids separated by spaces, commas or 、) and ``alternatives``. :func:`brief_from_form`
turns it into the dict :func:`~reef.layers.team_brief.parse_brief` validates; :func:`refusal`
says why a brief was refused, naming the form's field, in Chinese or English.

Example:
    >>> raw, roles = brief_from_form({"name": "上手指南", "deadline": "2026-08-31", "writer": "1", "expert": ["动力"]})
    >>> [r["role"] for r in raw["roles"]], roles
    (['writer', 'expert'], ['writer', 'expert'])
    >>> from reef.layers.team_brief import parse_brief
    >>> raw, roles = brief_from_form({"name": "x", "deadline": "2026-08-31", "writer": "2", "size": "1"})
    >>> try:
    ...     parse_brief(raw)
    ... except Exception as exc:
    ...     print(refusal(exc, roles, "zh"))
    ('size', '团队人数1少于所选角色合计的2人：请增加人数或减少角色。')
"""
from __future__ import annotations

import re
from typing import Any

from reef.errors import InvalidParameterError, NotFoundError
from reef.i18n import counted, plural
from reef.layers.team_brief import MAX_SIZE

__all__ = ["MAX_ALTERNATIVES", "MAX_NAME_CHARS", "TEXT_FIELDS", "COUNT_FIELDS", "COUNT_RANGES", "LIST_FIELDS", "FIELDS", "FIELD_LABELS",
           "FIELD_HELP", "field_texts", "form_values", "alternatives_of", "brief_from_form", "refusal"]

TEXT_FIELDS = ("name", "topic", "deadline", "circle", "exclude")
COUNT_FIELDS = ("writer", "visual", "structurer", "expert_count", "size", "alternatives")
LIST_FIELDS = ("expert", "aspects")
FIELDS = TEXT_FIELDS + COUNT_FIELDS + LIST_FIELDS
# The form's fields as operators read them (zh, en).
FIELD_LABELS = {
    "name": ("项目名称", "Project name"), "topic": ("项目内容", "What the project is"), "deadline": ("截止日期", "Deadline"),
    "writer": ("主笔人数", "Writers"), "visual": ("视觉人数", "Visual (photo/video)"), "structurer": ("信息架构人数", "Structurers"),
    "expert": ("需要技术专家的方面", "Aspects that need an expert"), "expert_count": ("每个方面的专家人数", "Experts per aspect"),
    "size": ("团队总人数", "Team size"), "aspects": ("项目涉及的方面", "The project's aspects"),
    "circle": ("只从这个小组找人", "Only members of this group"), "exclude": ("不要推荐的成员ID", "Member ids never to propose"),
    "alternatives": ("每个角色的备选人数", "Alternatives per role"),
}
MAX_ALTERNATIVES = 20  # alternatives per role an operator can still read on one page
MAX_NAME_CHARS = 200  # the project's name becomes the team name of add_to_team actions, which take at most this
# The whole numbers each count field takes (a role's 0: not needed), as the form's refusal and the HTTP API's schema say.
COUNT_RANGES = {"writer": (0, MAX_SIZE), "visual": (0, MAX_SIZE), "structurer": (0, MAX_SIZE), "expert_count": (1, MAX_SIZE),
                "size": (1, MAX_SIZE), "alternatives": (0, MAX_ALTERNATIVES)}
# What each field is for, in operator words (zh, en): the form's help text.
FIELD_HELP = {
    "name": ("也是团队名：采用后，团队以这个名字出现在“进行中的项目团队”里。",
             "Also the team's name: once adopted, the team is listed under it among the active project teams."),
    "topic": ("可选：一句话说明项目要做什么。", "Optional: one line on what the project makes."),
    "deadline": ("截止日期早于数据的日期时会提醒。", "A deadline before the data's date gives a warning."),
    "writer": ("写长篇原创内容的人；0 表示不需要。", "Who writes the long original pieces; 0 = not needed."),
    "visual": ("拍照片、拍视频的人；0 表示不需要。", "Who takes the photos and videos; 0 = not needed."),
    "structurer": ("整理攻略、把内容理清楚的人（回答常被采纳）；0 表示不需要。",
                   "Who organises guides and structure (answers often accepted); 0 = not needed."),
    "expert": ("勾选需要技术专家把关的方面。", "Tick the aspects that need an expert."),
    "expert_count": ("每个勾选的方面安排几位专家。", "How many experts each ticked aspect gets."),
    "size": ("可选：比上面角色合计多时，多出的席位由最能补强团队的成员填上。",
             "Optional: seats beyond the roles above go to whoever adds most to the team."),
    "aspects": ("懂这些方面的成员会优先推荐。", "Members who know these aspects are preferred."),
    "circle": ("可选：小组ID或名称（也可以是兴趣小组），只推荐在那里发过帖的成员。",
               "Optional: a group id or name (or an interest circle); only members who posted there."),
    "exclude": ("可选：用空格、逗号或顿号分隔。", "Optional: separated by spaces, commas or 、."),
    "alternatives": ("每个角色另外列出几位备选（0 到 20）。", "Extra candidates listed per role (0 to 20)."),
}
_ROLE_FIELDS = ("writer", "visual", "structurer")
_MESSAGES = {
    "name": ("请填写项目名称。", "Give the project a name."),
    "deadline": ("截止日期请写成日期，例如 2026-08-31。", "Write the deadline as a date, e.g. 2026-08-31."),
    "no_roles": ("至少需要一个角色：主笔、视觉、信息架构，或某个方面的技术专家。",
                 "Ask for at least one role: a writer, visual, structurer, or an expert on an aspect."),
    "too_long": ("“{field}”最多{limit}个字。", "'{field}' takes at most {limit:character}."),
    "count": ("“{field}”须为{low}到{high}之间的整数。", "'{field}' must be a whole number from {low} to {high}."),
    "too_big": ("所选角色合计超过50人：请拆成几个小团队。", "The roles add up to more than 50 members: split the project."),
    "size_low": ("团队人数{size}少于所选角色合计的{need}人：请增加人数或减少角色。",
                 "A team of {size} is smaller than the {need:member} the roles need: raise the size or ask for fewer roles."),
    "aspect": ("未知的车辆方面“{value}”。", "Unknown car aspect '{value}'."),
    "circle": ("没有叫“{value}”的小组或兴趣小组。", "No group or interest circle is called '{value}'."),
    "few": ("符合条件的候选人只有{have}位，填不满{seats}个席位：请减少人数，或去掉小组和排除名单。",
            "Only {have:member} can be proposed for {seats:seat}: ask for fewer, or drop the group and the exclude list."),
    "no_fitness": ("还没有项目团队人才库：请先在“数据导入”页运行分析。",
                   "No project-team talent pool yet: run the analyses on the Imports page first."),
}


def _msg(key: str, lang: str, **kw: Any) -> str:
    return counted(_MESSAGES[key][lang == "en"], **kw)


def _label(fld: str, lang: str) -> str:
    return FIELD_LABELS[fld][lang == "en"]


def field_texts(lang: str) -> dict[str, dict[str, str]]:
    """Each form field's label and help text in ``lang``."""
    return {k: {"label": _label(k, lang), "help": FIELD_HELP[k][lang == "en"]} for k in FIELDS}


def _bad_count(fld: str, lang: str) -> str:
    """The reason a count field was refused, with the range that field takes."""
    low, high = COUNT_RANGES[fld]
    return _msg("count", lang, field=_label(fld, lang), low=low, high=high)


def _values(form: Any, key: str) -> list[str]:
    """Every value of ``key``: a multi-dict's (``getlist``, as a query string holds them), a list, or one value."""
    if hasattr(form, "getlist"):
        got = form.getlist(key)
    else:
        got = form.get(key)
        got = [] if got is None else got if isinstance(got, (list, tuple)) else [got]
    return [str(v).strip() for v in got if v is not None]


def form_values(form: Any) -> dict[str, Any]:
    """What was typed, field by field (text stripped, lists kept), to show the form again."""
    out: dict[str, Any] = {}
    for key in FIELDS:
        vals = _values(form, key)
        out[key] = [v for v in vals if v] if key in LIST_FIELDS else (vals[-1] if vals else "")
    return out


def _count(typed: str, fld: str, default: int | None = None) -> int | None:
    if not typed:
        return default
    if not re.fullmatch(r"\d{1,3}", typed):
        raise InvalidParameterError(fld, typed, "a whole number from 0 to 50")
    return int(typed)


def alternatives_of(form: Any) -> int | None:
    """The ``alternatives`` typed (0 to :data:`MAX_ALTERNATIVES`), None when left empty (``team.alternatives``)."""
    typed = form_values(form)["alternatives"]
    if typed and (not typed.isdigit() or int(typed) > MAX_ALTERNATIVES):
        raise InvalidParameterError("alternatives", typed, f"a whole number from 0 to {MAX_ALTERNATIVES}")
    return int(typed) if typed else None


def brief_from_form(form: Any) -> tuple[dict[str, Any], list[str]]:
    """The brief dict of a typed form and, per role of the brief, the form field that asked for it.

    An empty role count is 0 (not needed); an empty ``expert_count`` is 1, an empty ``size`` the roles'
    total. A count that is not a number is :class:`InvalidParameterError` naming its field.
    """
    v = form_values(form)
    for key in ("name", "topic"):
        if len(v[key]) > MAX_NAME_CHARS:
            raise InvalidParameterError(key, plural(len(v[key]), "character"), "at most " + plural(MAX_NAME_CHARS, "character"))
    raw: dict[str, Any] = {k: v[k] for k in ("name", "topic", "deadline", "circle") if v[k]}
    roles, fields = [], []
    for kind in _ROLE_FIELDS:
        n = _count(v[kind], kind, 0)
        if n:
            roles.append({"role": kind, "count": n})
            fields.append(kind)
    per = _count(v["expert_count"], "expert_count", 1)
    for aspect in dict.fromkeys(v["expert"]):
        roles.append({"role": "expert", "aspect": aspect, "count": per})
        fields.append("expert_count" if per == 0 else "expert")
    raw["roles"] = roles
    size = _count(v["size"], "size")
    if size is not None:
        raw["size"] = size
    if v["aspects"]:
        raw["aspects"] = list(dict.fromkeys(v["aspects"]))
    exclude = [x for x in re.split(r"[\s,，、;；]+", v["exclude"]) if x]
    if exclude:
        raw["exclude"] = exclude
    return raw, fields


def refusal(exc: Exception, role_fields: list[str], lang: str) -> tuple[str, str]:
    """(form field, reason in the page's language) for a brief or proposal the library refused.

    ``role_fields``: from :func:`brief_from_form`, to name the field behind ``roles[i]``.
    """
    where = getattr(exc, "where", None)
    fld = getattr(exc, "name", None) or (where.field if where is not None else None) or ""
    message = getattr(exc, "message", str(exc))
    facts = getattr(exc, "facts", {})
    m = re.match(r"roles\[(\d+)\]\.(\w+)", fld)
    if m:  # a role's count or aspect: the form field that asked for it
        fld = role_fields[int(m.group(1))] if int(m.group(1)) < len(role_fields) else "expert"
        if m.group(2) == "aspect":
            return "expert", _msg("aspect", lang, value=facts.get("value", ""))
        fld = "expert_count" if fld == "expert" else fld  # an aspect's count refused (51) is the experts per aspect typed
        return fld, _bad_count(fld, lang)
    if fld.startswith("aspects["):
        return "aspects", _msg("aspect", lang, value=facts.get("value", ""))
    if isinstance(exc, InvalidParameterError) and fld in ("name", "topic"):
        return fld, _msg("too_long", lang, field=_label(fld, lang), limit=MAX_NAME_CHARS)
    if isinstance(exc, InvalidParameterError) and fld in FIELD_LABELS:  # a count that is no number, alternatives > 20
        return fld, _bad_count(fld, lang)
    if fld in ("name", "deadline"):
        return fld, _msg(fld, lang)
    if fld == "roles":
        return ("writer", _msg("too_big", lang)) if "most" in facts else ("writer", _msg("no_roles", lang))
    if fld == "size":
        return "size", (_msg("size_low", lang, size=facts["size"], need=facts["need"]) if "need" in facts else
                        _bad_count("size", lang))
    if isinstance(exc, NotFoundError):
        if "seats" in facts:
            return "size", _msg("few", lang, have=facts["have"], seats=facts["seats"])
        if "circle" in facts:
            return "circle", _msg("circle", lang, value=facts["circle"])
        if facts.get("table") == "layers_role_fitness":
            return "", _msg("no_fitness", lang)
    return fld, message
