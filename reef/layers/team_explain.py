"""Why each member was picked: role evidence, stage, ties to the rest of the team, load and risk notes.

Operator-facing text, Simplified Chinese with an English switch (``lang='en'``).

Example:
    >>> row = {"member_id": "m1", "name": "老张", "stage": 3, "stage_name": "连接者", "stage_name_en": "connector",
    ...        "long_posts": 6, "long_likes": 8.5, "cooling": False, "care": False}
    >>> role_evidence(row, "writer", None, {}, 365, "zh")
    '近365天长篇原创6篇，平均获赞8.5'
    >>> role_evidence(row, "writer", None, {}, 365, "en")
    '6 long original posts in 365 days, 8.5 likes on average'
"""
from __future__ import annotations

from reef.i18n import code_label, plural

__all__ = ["role_evidence", "explain_member", "display_name"]


def display_name(row: dict) -> str:
    return row.get("name") or row["member_id"]


def role_evidence(row: dict, kind: str, aspect: str | None, aspect_row: dict, window: int, lang: str) -> str:
    """One sentence of the measures behind a member's fitness for ``kind``."""
    zh = lang == "zh"
    if kind == "writer":
        return (f"近{window}天长篇原创{row['long_posts']}篇，平均获赞{row['long_likes']:.1f}" if zh else
                f"{plural(row['long_posts'], 'long original post')} in {plural(window, 'day')}, {row['long_likes']:.1f} likes on average")
    if kind == "visual":
        return (f"近{window}天图片帖{row['photos']}篇、视频{row['videos']}条，平均获赞{row['media_likes']:.1f}" if zh else
                f"{plural(row['photos'], 'photo post')} and {plural(row['videos'], 'video')} in {plural(window, 'day')}, "
                f"{row['media_likes']:.1f} likes on average")
    if kind == "structurer":
        return (f"近{window}天攻略{row['guides']}篇，回答被采纳{row['accepted']}次、被致谢{row['thanked']}次" if zh else
                f"{plural(row['guides'], 'guide')} in {plural(window, 'day')}, answers accepted {plural(row['accepted'], 'time')} and "
                f"thanked {plural(row['thanked'], 'time')}")
    a = aspect_row or {}
    return (f"“{aspect}”相关回答{a.get('answers', 0)}次（被采纳{a.get('accepted', 0)}次、被致谢{a.get('thanked', 0)}次），"
            f"相关经验帖{a.get('posts', 0)}篇" if zh else
            f"{plural(a.get('answers', 0), 'answer')} on {code_label(aspect, 'en')} ({a.get('accepted', 0)} accepted, "
            f"{a.get('thanked', 0)} thanked), {plural(a.get('posts', 0), 'experience post')} on it")


def _ties_text(i: int, others: list[int], cand, lang: str) -> str:
    zh = lang == "zh"
    direct = [(cand.direct_n[i, j], j) for j in others if cand.direct_n[i, j] > 0]
    if direct:
        direct.sort(key=lambda x: (-x[0], cand.ids[x[1]]))
        names = [display_name(cand.rows[j]) for _, j in direct[:3]]
        total = int(sum(n for n, _ in direct))
        return (f"与{'、'.join(names)}{'等' if len(direct) > 3 else ''}有过直接互动（共{total}次）" if zh else
                f"has worked with {', '.join(names)}{' and others' if len(direct) > 3 else ''} ({plural(total, 'interaction')})")
    shared = [(cand.shared[i, j], j) for j in others if cand.shared[i, j] > 0]
    if shared:
        k, j = max(shared, key=lambda x: (x[0], -x[1]))
        return (f"与{display_name(cand.rows[j])}有{int(k)}位共同互动伙伴" if zh else
                f"shares {plural(int(k), 'partner')} with {display_name(cand.rows[j])}")
    return "与团队其他成员尚无互动记录" if zh else "no interactions with the rest of the team yet"


def explain_member(i: int, slot, team: list[int], cand, fit: float, c: dict, lang: str, best_slot=None) -> str:
    """The full reason for member ``i`` in ``slot``: evidence, fitness, stage, ties, load and notes.

    For an open seat (kind ``member``), ``best_slot`` is the brief's role the member fits best; its evidence is shown.
    """
    zh = lang == "zh"
    row = cand.rows[i]
    window = int(c["window_days"])
    kind, aspect = slot.kind, slot.aspect
    prefix = ""
    if kind == "member" and best_slot is not None:
        kind, aspect = best_slot.kind, best_slot.aspect
        prefix = f"最适合{best_slot.label_zh}：" if zh else f"best fit as {best_slot.label_en}: "
    parts = [prefix + role_evidence(row, kind, aspect, cand.aspect_rows.get((i, aspect), {}), window, lang)]
    parts.append(f"适配度{fit:.2f}，阶段{row['stage']}（{row['stage_name']}）" if zh else
                 f"fitness {fit:.2f}, stage {row['stage']} ({row['stage_name_en']})")
    parts.append(_ties_text(i, [j for j in team if j != i], cand, lang))
    teams, roles = cand.teams[i], [r["label_zh" if zh else "label_en"] for r in (cand.roles[i] if cand.roles else [])]
    if teams or roles:
        held = [f"已在{len(teams)}个项目中（{'、'.join(teams)}）" if zh else f"already on {plural(len(teams), 'team')} ({', '.join(teams)})"] if teams else []
        held += [("另担任" if zh else "also ") + ("、" if zh else ", ").join(roles)] if roles else []
        parts.append(("，" if zh else ", ").join(held) + ("（计入负担）" if zh else " (counted as load)"))
    else:
        parts.append("目前未参与其他项目，也未担任其他角色" if zh else "on no other team and holds no other role")
    if row.get("cooling"):
        parts.append("注意：近期活跃度明显下降" if zh else "note: activity has dropped recently")
    if row.get("care"):
        parts.append("注意：在负面情绪关怀名单上" if zh else "note: on the backlash care list")
    if fit < float(c["min_fitness"]):
        parts.append("适配度偏低，建议参考备选" if zh else "weak fit: consider the alternatives")
    return ("；" if zh else "; ").join(parts)

