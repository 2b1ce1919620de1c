"""One standard for whom Reef suggests (leaders, council, plaza hosts, 今日值得表彰), and the roles members hold.

**Conduct standard.** A member is left out of every suggestion list when their hostile acts on record (personal
attacks or toxic items, the ladder's ``life_hostile``, or its window count ``hostile`` when that is larger) exceed
``layers.conduct_max_hostile``, or when the risk radar has them in its burnout evidence (``burnout``) or on its
backlash care list (``care``). A suggested member with a hostile record at or below the bar carries a note
saying so (:func:`record_note`). Lists add their own rules on top (the council: no hostile reply in an escalated
conflict thread; the plaza: no wrong specs, friendly replies).

**Roles** (:func:`roles_held`): a council seat (``layers_council``), a suggested circle leadership (rank <=
``layers.leader_role_rank`` in ``layers_circle_leaders``) and a seat on an active project team (open
``team.team_action_kinds`` actions, with their role). Lists that suggest people show them; the team builder
counts them as load.

Example:
    >>> left_out_because("m1", {"m1": 2}, {"burnout": set(), "care": {"m1"}}, 0)
    ['hostile', 'care']
    >>> record_note(1, 2, "zh")
    '有1次不当言论记录（标准为不超过2次）'
    >>> record_note(0, 2, "zh") is None
    True
"""
from __future__ import annotations

from reef.i18n import plural
from reef.layers.common import flagged_members

__all__ = ["conduct_bar", "hostile_counts", "left_out_because", "record_note", "standing", "excluded_sql",
           "risk_notes", "roles_held", "roles_text"]

STANDARD_PARTS = ("hostile", "care", "burnout")


def conduct_bar(config) -> int:
    """``layers.conduct_max_hostile`` from a Config or a ``[layers]`` section dict."""
    return int(config["conduct_max_hostile"] if isinstance(config, dict) else config.get("layers.conduct_max_hostile"))


def _ladder_columns(store) -> set[str]:
    return {r[0] for r in store.fetch_all("SELECT column_name FROM information_schema.columns WHERE table_name = 'ladder_members'")}


def _hostile_expr(store) -> str:
    """The acts on record of a ``ladder_members`` row: its lifetime count, or its window count when larger."""
    cols = [f"coalesce({c}, 0)" for c in ("hostile", "life_hostile") if c in _ladder_columns(store)]
    return f"greatest({', '.join(cols)})" if cols else "0"


def hostile_counts(store) -> dict[str, int]:
    """Member id -> hostile acts on record (the larger of the ladder's lifetime and window counts); {} without a ladder."""
    if not store.table_exists("ladder_members"):
        return {}
    expr = _hostile_expr(store)
    return dict(store.fetch_all(f"SELECT member_id, ({expr})::INT FROM ladder_members WHERE {expr} > 0"))


def standing(store, as_of, attack_toxicity: float) -> dict:
    """Everything the standard reads: ``hostile`` counts plus :func:`reef.layers.common.flagged_members`'s sets."""
    return {"hostile": hostile_counts(store), **flagged_members(store, as_of, attack_toxicity)}


def left_out_because(member_id: str, hostile: dict[str, int], flags: dict[str, set[str]], bar: int) -> list[str]:
    """The standard's reasons (codes of :data:`STANDARD_PARTS`) for leaving ``member_id`` out; [] when they may be suggested."""
    reasons = ["hostile"] if hostile.get(member_id, 0) > bar else []
    return reasons + [k for k in ("care", "burnout") if member_id in flags.get(k, set())]


def record_note(n: int, bar: int, lang: str = "zh") -> str | None:
    """The note for a suggested member with ``n`` (0 < n <= ``bar``) hostile acts on record, else None."""
    if not n or n > bar:
        return None
    return f"有{n}次不当言论记录（标准为不超过{bar}次）" if lang != "en" else f"{plural(n, 'hostile act')} on record (the standard allows up to {bar})"


def excluded_sql(store) -> str:
    """SQL of the member ids the standard leaves out (parameter ``$max_hostile``), for readers that filter in SQL."""
    parts = []
    if store.table_exists("ladder_members"):
        parts.append(f"SELECT member_id FROM ladder_members WHERE {_hostile_expr(store)} > $max_hostile")
    if store.table_exists("risk_evidence"):
        parts.append("SELECT member_id FROM risk_evidence WHERE part IN ('burnout', 'care') AND member_id IS NOT NULL")
    return " UNION ".join(parts) or "SELECT NULL::VARCHAR AS member_id WHERE false"


def risk_notes(store, lang: str = "zh") -> dict[str, list[str]]:
    """Member id -> notes that do not bar a suggestion but should travel with it: the ladder's grace period before
    demotion (保级期内…) and the risk radar's ``recently_inactive`` evidence."""
    notes: dict[str, list[str]] = {}
    en = lang == "en"
    col, mark = ("evidence_en", "grace period:") if en else ("evidence_zh", "保级期内：")
    if store.table_exists("ladder_members") and col in _ladder_columns(store):
        for m, text in store.fetch_all(f"SELECT member_id, {col} FROM ladder_members WHERE contains({col}, $mark)", {"mark": mark}):
            notes.setdefault(m, []).append(text[text.index(mark):].split("；" if not en else "; ")[0])
    if store.table_exists("risk_evidence"):
        col = "detail_en" if en else "detail_zh"
        for m, detail in store.fetch_all(f"SELECT member_id, {col} FROM risk_evidence WHERE part = 'recently_inactive' "
                                         "AND member_id IS NOT NULL ORDER BY member_id"):
            notes.setdefault(m, []).append(("recently inactive: " if en else "近期不活跃：") + (detail or ""))
    return notes


def roles_held(store, member_ids: list[str] | None = None, *, exclude_team: str | None = None) -> dict[str, list[dict]]:
    """Member id -> roles: ``{"kind": "council"|"leader"|"team", "label_zh", "label_en", ...}`` (council seat, suggested
    circle leader up to ``layers.leader_role_rank``, seat on an active team other than ``exclude_team``)."""
    out: dict[str, list[dict]] = {}
    want = None if member_ids is None else set(member_ids)

    def add(m: str, role: dict) -> None:
        if want is None or m in want:
            out.setdefault(m, []).append(role)

    if store.table_exists("layers_council"):
        for m, seat in store.fetch_all("SELECT member_id, seat FROM layers_council ORDER BY seat"):
            add(m, {"kind": "council", "seat": int(seat), "label_zh": f"核心顾问团第{seat}席", "label_en": f"council seat {seat}"})
    if store.table_exists("layers_circle_leaders"):
        top = int(store.config.get("layers.leader_role_rank"))
        for m, circle, rank in store.fetch_all("SELECT member_id, circle_id, rank FROM layers_circle_leaders WHERE rank <= $r "
                                               "ORDER BY circle_id, rank", {"r": top}):
            add(m, {"kind": "leader", "circle_id": circle, "rank": int(rank),
                    "label_zh": f"{circle}圈层引领者建议第{rank}位", "label_en": f"suggested leader #{rank} of {circle}"})
    if store.table_exists("operator_actions"):
        kinds = list(store.config.get("team.team_action_kinds"))
        for m, team, role in store.fetch_all(
                """SELECT member_id, coalesce(json_extract_string(attrs, '$.team'), group_id, action_id) AS team,
                          json_extract_string(attrs, '$.role') FROM operator_actions
                   WHERE kind IN (SELECT unnest($k::VARCHAR[])) AND coalesce(status, 'done') = 'open' AND member_id IS NOT NULL
                   ORDER BY team, member_id""", {"k": kinds}):
            if team != exclude_team:
                add(m, {"kind": "team", "team": team, "role": role,
                        "label_zh": f"项目「{team}」" + (f"（{role}）" if role else ""),
                        "label_en": f"team {team}" + (f" ({role})" if role else "")})
    return out


def roles_text(roles: list[dict], lang: str = "zh") -> str:
    """``已担任2个角色：核心顾问团第3席、c05圈层引领者建议第1位`` (empty string without roles)."""
    if not roles:
        return ""
    key = "label_en" if lang == "en" else "label_zh"
    return (f"holds {plural(len(roles), 'role')}: " + ", ".join(r[key] for r in roles)) if lang == "en" else \
        f"已担任{len(roles)}个角色：" + "、".join(r[key] for r in roles)
