"""Read functions over the ladder tables: the list, one member's timeline and ladder card, flags, headcount.

Each is the ONE library call behind a CLI command, an API view or a dashboard panel; they read
result tables only, so they are fast on large stores. The alerts (``ladder_alerts``, joined with the operators'
recognitions) are :mod:`reef.ladder.recognised`, the funnel (``ladder_funnel``) :mod:`reef.ladder.funnel`. Fair
judging of a content call is :func:`reef.ladder.contest.contest_scores`.

Example:
    >>> from reef.store import open_store
    >>> ladder_list(open_store(":memory:"))
    []
"""
from __future__ import annotations

from typing import Any

from reef.errors import NotFoundError, with_api_hint, with_cli_hint
from reef.i18n import plural
from reef.ladder.contest import contest_scores
from reef.ladder.funnel import ladder_funnel, median_basis_note  # the funnel: a module of its own
from reef.ladder.params import STAFF_TYPES, LadderParams
from reef.ladder.recognised import ladder_alerts  # the alerts with their recognitions: a module of their own
from reef.params import check_positive
from reef.store.asof import iso_sql

__all__ = ["ladder_list", "member_timeline", "ladder_funnel", "median_basis_note", "ladder_alerts", "contest_scores",
           "member_flags", "explain_flags", "member_ladder", "headcount", "unknown_member", "FLAG_CODES"]

# The flags in ladder_members.flags, in the order they are shown.
FLAG_CODES = ("like_ring", "like_burst", "hostile")

_LIST_COLS = ("member_id, name, rank, stage, stage_name, stage_name_en, potential, momentum, rising, next_progress, "
              "evidence_zh, evidence_en, "
              f"flags, {iso_sql('stage_since')} AS stage_since, max_stage, {iso_sql('last_activity_at')} AS last_activity_at")
_AT_ISO = iso_sql('"at"')  # an event's or alert's time, as every time handed out: ISO 8601 in the store's zone


def ladder_list(store, *, stage: int | None = None, top: int | None = 50) -> list[dict[str, Any]]:
    """Members ranked by stage then potential (``rank``: exact potential, ties by id), optionally one stage, at most ``top``."""
    if top is not None:
        check_positive("top", top)
    if not store.table_exists("ladder_members"):
        return []
    sql = f"SELECT {_LIST_COLS} FROM ladder_members WHERE ($stage IS NULL OR stage = $stage) " \
          "ORDER BY rank LIMIT $top"
    return store.fetch_dicts(sql, {"stage": stage, "top": top if top is not None else 2**62})


def member_timeline(store, member_id: str) -> dict[str, Any]:
    """One member's current stage and evidence plus every stage change with its reason; NotFoundError says why a
    member is not on the ladder (left, staff, joined later, unknown)."""
    from reef.params import check_text

    member_id = check_text("member_id", member_id)  # an id given as a number is its text, not a DuckDB cast error
    if not store.table_exists("ladder_members"):
        raise with_cli_hint(NotFoundError("The ladder has not been computed yet.", hint="Run the analyses first (analyze())."),
                            "Run `reef analyze` first.")
    rows = store.fetch_dicts(f"SELECT {_LIST_COLS} FROM ladder_members WHERE member_id = $m", {"m": member_id})
    if not rows:
        raise _not_on_ladder(store, member_id)
    events = store.fetch_dicts(
        f'SELECT {_AT_ISO} AS "at", ' "event, from_stage, to_stage, reason_zh, reason_en FROM ladder_events "
        "WHERE member_id = $m ORDER BY \"at\"", {"m": member_id})
    flags = store.fetch_dicts("SELECT flag, partners, partner_ids, likes FROM ladder_like_flags WHERE member_id = $m",
                              {"m": member_id})
    return {**rows[0], "timeline": events, "like_flags": flags}


def ladder_as_of(store):
    """The as_of of the ladder in the store: its members' as_of, else (nobody on it yet) its last successful run's;
    None before the ladder first ran (no ``ladder_members`` table yet)."""
    if not store.table_exists("ladder_members"):
        return None
    return store.fetch_value("""SELECT coalesce((SELECT max(as_of) FROM ladder_members),
                                                (SELECT as_of FROM analysis_runs WHERE name = 'ladder' AND status = 'ok'
                                                 ORDER BY finished_at DESC LIMIT 1))""")


def _absence(store, member_id: str) -> dict[str, Any]:
    """Why ``member_id`` is not on the ladder, as of the ladder's ``as_of``: ``why`` is ``left`` (with ``left_at``),
    ``staff`` (with ``account_type``), ``later`` (joined after ``as_of``, with ``joined_at``), ``unknown`` or ``stale``."""
    as_of = ladder_as_of(store)
    row = store.fetch_dicts(f"SELECT account_type, {iso_sql('joined_at')} AS joined_at, {iso_sql('left_at')} AS left_at, "
                            "left_at IS NOT NULL AND left_at < $ts AS has_left, joined_at >= $ts AS later "
                            "FROM members WHERE member_id = $m", {"m": member_id, "ts": as_of})
    out: dict[str, Any] = {"as_of": str(as_of) if as_of is not None else None}
    if not row:
        return {**out, "why": "unknown"}
    r = row[0]
    if r["has_left"]:
        return {**out, "why": "left", "left_at": r["left_at"]}
    if (r["account_type"] or "member") in STAFF_TYPES:
        return {**out, "why": "staff", "account_type": r["account_type"]}
    if r["later"]:
        return {**out, "why": "later", "joined_at": r["joined_at"]}
    return {**out, "why": "stale"}


def _not_on_ladder(store, member_id: str) -> NotFoundError:
    """Why ``member_id`` is not on the ladder, from the data as of the ladder's ``as_of``: left (and when), a staff or
    brand account, joined after ``as_of``, or unknown."""
    a = _absence(store, member_id)
    as_of = a["as_of"]
    if a["why"] == "unknown":
        return unknown_member(store, member_id)
    if a["why"] == "left":
        why, hint = f"Member {member_id} left the community on {a['left_at']}, before the ladder's as_of ({as_of}).", \
            "Use an as_of before that date to see their stage and timeline while they were a member."
        cli = "Use --as-of before that date to see their stage and timeline while they were a member."
    elif a["why"] == "staff":
        why, hint, cli = f"Member {member_id} is a {a['account_type']} account; staff and brand accounts are not on the ladder.", None, None
    elif a["why"] == "later":
        why, hint, cli = f"Member {member_id} joined on {a['joined_at']}, after the ladder's as_of ({as_of}).", "Use a later as_of.", \
            "Use a later --as-of."
    else:
        why, hint, cli = f"No member {member_id} on the ladder as of {as_of}.", "Run the analyses (analyze()) to bring the " \
            "ladder up to date.", "Run `reef analyze` to bring the ladder up to date."
    exc = NotFoundError(why, hint=hint)  # the library names parameters and methods; the CLI its options (with_cli_hint)
    return with_cli_hint(exc, cli) if cli else exc


# The id with surrounding blanks (tabs, line ends, the full-width space of Chinese input), letter case and leading
# zeros set aside.
_FOLD = "lower(ltrim(trim({}, chr(32) || chr(9) || chr(10) || chr(13) || chr(12288)), '0'))"


def unknown_member(store, member_id: str) -> NotFoundError:
    """The error for an id that is in no row of ``members``, the same from ``reef member``, ``member()``, the member
    profile and ``GET /api/v1/members/{id}``: the id quoted (a blank or spaced id shows) and up to 20 known ids, with
    the hint naming the listing of each surface (``ladder()``, ``reef ladder``, ``GET /api/v1/member_summary``, the
    Members page).

    >>> from reef.store import open_store
    >>> str(unknown_member(open_store(":memory:"), "m9"))
    "No member 'm9' in the store. Check the id (ladder() lists members). The store has no members."
    """
    some = [r[0] for r in store.fetch_all("SELECT member_id FROM members ORDER BY member_id LIMIT 20")]
    total = int(store.fetch_value("SELECT count(*) FROM members"))
    more = total > 20
    known = (f" Known member ids: {', '.join(some)}" + (f" … ({total} in all)." if more else ".")) if some \
        else " The store has no members."
    known_zh = (f"已有的成员 ID：{'、'.join(some)}" + (f" …（共 {total} 个）。" if more else "。")) if some else "库中没有成员。"
    # An id pasted with spaces, another letter case or Excel's lost/added leading zeros: name the one id it folds to
    # (as the importer's "did you mean"), never pick it silently: which member is meant is the operator's call.
    near = [r[0] for r in store.fetch_all(
        f"SELECT member_id FROM members WHERE {_FOLD.format('member_id')} = {_FOLD.format('?')} AND member_id <> ? "
        "LIMIT 2", [member_id, member_id])]
    mean = near[0] if len(near) == 1 else None
    known = (f" Did you mean {mean!r}?" if mean else "") + known
    known_zh = (f"是不是 {mean!r}？" if mean else "") + known_zh
    exc = NotFoundError(f"No member {member_id!r} in the store.", hint="Check the id (ladder() lists members)." + known,
                        message_zh=f"库中没有成员 {member_id!r}。", hint_zh="请检查 ID（ladder() 列出成员）。" + known_zh,
                        facts={"member_id": member_id, "known": some, "total": total, "did_you_mean": mean})
    with_api_hint(exc, "Check the id (GET /api/v1/member_summary lists members)." + known,
                  page="Check the id (the Members page, /members, lists members)." + known,
                  page_zh="请检查 ID（“成员”页列出全部成员）。" + known_zh)
    return with_cli_hint(exc, "Check the id (`reef ladder` lists members)." + known, "请检查 ID（`reef ladder` 列出成员）。" + known_zh)


def member_flags(store, member_ids) -> dict[str, list[str]]:
    """The ladder flags (``like_ring``, ``like_burst``, ``hostile``) of those of ``member_ids`` that have any.

    The marker the ladder, network and member pages put next to a flagged member.

    >>> from reef.store import open_store
    >>> member_flags(open_store(":memory:"), ["m1"])
    {}
    """
    ids = sorted({str(m) for m in member_ids if m is not None})
    if not ids or not store.table_exists("ladder_members"):
        return {}
    rows = store.fetch_all("SELECT member_id, flags FROM ladder_members WHERE len(flags) > 0 "
                           "AND member_id IN (SELECT unnest(CAST($ids AS VARCHAR[])))", {"ids": ids})
    return {m: sorted(f, key=lambda x: FLAG_CODES.index(x) if x in FLAG_CODES else len(FLAG_CODES)) for m, f in rows}


def explain_flags(flags, details: list[dict[str, Any]] | None = None, config=None) -> list[dict[str, Any]]:
    """Each flag with its label and what it means for the operator, in Chinese and English, with this member's
    figures from ``ladder_like_flags`` rows (``details``) when given.

    >>> [f["label_en"] for f in explain_flags(["like_ring"])]
    ['like ring']
    >>> "0.1" in explain_flags(["like_ring"])[0]["meaning_zh"]
    True
    """
    from reef.i18n import code_label

    p = LadderParams.from_config(config) if config is not None else LadderParams()
    by_flag = {d["flag"]: d for d in details or []}
    out = []
    for flag in flags:
        d = by_flag.get(flag, {})
        if flag == "like_ring":
            who = "、".join(d.get("partner_ids") or []) or "几位成员"
            who_en = ", ".join(d.get("partner_ids") or []) or "a few members"
            zh = (f"属于一个互相快速点赞的小圈子，常在{who}发帖后{p.ring_fast_hours:g}小时内点赞"
                  + (f"（给圈内成员点赞共{d['likes']}次）" if d.get("likes") is not None else "")
                  + f"。互赞圈内成员之间的赞在成长阶梯中每个只按{p.ring_weight:g}个计，以免互刷抬高阶段。"
                  "不一定是作弊，可私下了解；认可或推荐前请先核实。")
            en = (f"part of a small circle that likes each other's posts fast: likes posts by {who_en} within "
                  f"{p.ring_fast_hours:g} h" + (f" ({plural(d['likes'], 'like')} given to ring members)" if d.get("likes") is not None else "")
                  + f". On the ladder each like among ring members counts {p.ring_weight:g}, so trading likes cannot lift a "
                  "stage. Not proof of cheating: check before recognising or boosting them.")
        elif flag == "like_burst":
            zh = (f"其内容{('（如 ' + d['content_id'] + '）') if d.get('content_id') else ''}在{p.burst_hours:g}小时内收到"
                  f"{d['likes'] if d.get('likes') is not None else '大量'}个注册不足{p.burst_account_days:g}天的新账号的点赞"
                  f"（至少{p.burst_min_likes}个才标记）。这些赞在成长阶梯中每个只按{p.burst_weight:g}个计。可能是刷赞，认可前请先核实。")
            en = (f"their items{(' (e.g. ' + d['content_id'] + ')') if d.get('content_id') else ''} drew "
                  f"{plural(d['likes'], 'like') if d.get('likes') is not None else 'many likes'} within {p.burst_hours:g} h from "
                  f"accounts younger than {p.burst_account_days:g} {'day' if p.burst_account_days == 1 else 'days'} "
                  f"(flagged from {p.burst_min_likes}). On the ladder each such like counts "
                  f"{p.burst_weight:g}. Possibly bought likes: check before recognising them.")
        elif flag == "hostile":
            zh = (f"近{p.window_days}天有{p.hostile_max}次或更多人身攻击或不文明言论：在此期间不能升为或保持连接者、引领者。"
                  "可私下提醒。")
            en = (f"{p.hostile_max} or more personal attacks or uncivil posts in the last {plural(p.window_days, 'day')}: they cannot "
                  "reach or keep connector or leader meanwhile. Consider a private word.")
        else:
            zh = en = ""
        out.append({"flag": flag, "label_zh": code_label(flag, "zh"), "label_en": code_label(flag, "en"),
                    "meaning_zh": zh, "meaning_en": en})
    return out


def member_ladder(store, member_id: str, config=None, *, masked: bool = False) -> dict[str, Any] | None:
    """The 成员档案's ladder card: the member's stage, potential, evidence and flags (each explained), or why they are
    not on the ladder (``on_ladder`` false, ``why``: left, staff, later, unknown, stale); None before the ladder ran.
    With ``masked`` (a viewer) the member's name is masked like the rest of the profile.

    Stage changes with their reasons are in :func:`reef.actions.views.member_timeline` (the profile's timeline).

    >>> from reef.store import open_store
    >>> member_ladder(open_store(":memory:"), "m1") is None
    True
    """
    if not store.table_exists("ladder_members"):
        return None
    rows = store.fetch_dicts(f"SELECT {_LIST_COLS}, {iso_sql('as_of')} AS as_of FROM ladder_members WHERE member_id = $m",
                             {"m": member_id})
    if not rows:
        return {"on_ladder": False, **_absence(store, member_id)}
    details = store.fetch_dicts("SELECT flag, partners, partner_ids, CAST(likes AS BIGINT) AS likes, content_id "
                                "FROM ladder_like_flags WHERE member_id = $m", {"m": member_id}) \
        if store.table_exists("ladder_like_flags") else []
    row = rows[0]
    flags = sorted(row["flags"] or [], key=lambda x: FLAG_CODES.index(x) if x in FLAG_CODES else len(FLAG_CODES))
    card = {"on_ladder": True, **row, "flags": flags,
            "flag_notes": explain_flags(flags, details, config if config is not None else store.config)}
    if masked:
        from reef.actions.privacy import mask_rows

        card = mask_rows([card], ("name",))[0]
    return card


def headcount(store, as_of=None, *, of: str = "ladder") -> dict[str, Any]:
    """Who each "members" figure counts, so the surfaces' numbers reconcile: ``total`` rows in ``members`` (every
    account ever imported), ``left`` (left before ``as_of``), ``later`` (joined after it), ``present`` (the rest: the
    成员 list), ``staff`` (staff, brand and bot accounts among them) and ``ordinary`` (present minus staff: the ladder
    and the report). ``as_of`` defaults to that of the table the figures sit beside (``of``: ``ladder`` or
    ``member_summary``), else the other's, else the end of the data.

    >>> from reef.store import open_store
    >>> headcount(open_store(":memory:"))["total"]
    0
    """
    if of not in ("ladder", "member_summary"):
        raise ValueError(f"of must be 'ladder' or 'member_summary', not {of!r}")
    for name in (of, "member_summary" if of == "ladder" else "ladder"):
        if as_of is None and name == "ladder" and store.table_exists("ladder_members"):
            as_of = ladder_as_of(store)
        if as_of is None and name == "member_summary":
            as_of = store.fetch_value("SELECT as_of FROM analysis_runs WHERE name = 'member_summary' AND status = 'ok' "
                                      "ORDER BY finished_at DESC LIMIT 1")
    staff = "(" + ", ".join(f"'{t}'" for t in STAFF_TYPES) + ")"
    # The same split as members_at($ts): joined before it, and not left before it.
    row = store.fetch_dicts(f"""
        SELECT count(*) AS total, count(*) FILTER (WHERE joined_at >= $ts) AS later,
               count(*) FILTER (WHERE joined_at < $ts AND left_at < $ts) AS "left",
               count(*) FILTER (WHERE joined_at < $ts AND (left_at IS NULL OR left_at >= $ts)
                                  AND coalesce(account_type, 'member') IN {staff}) AS staff
        FROM members""", {"ts": as_of if as_of is not None else "infinity"})[0]
    out = {k: int(v or 0) for k, v in row.items()}
    out["present"] = out["total"] - out["left"] - out["later"]
    out["ordinary"] = out["present"] - out["staff"]
    out["as_of"] = str(as_of)[:10] if as_of is not None else None
    return out
