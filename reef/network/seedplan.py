"""The seeding plan for operators (the 种子名单 page and ``/api/v1/seed-plan``): check a request, run it, explain it,
and record it as ``seed`` actions.

:func:`check_seed_request` turns what a form or a JSON body gave into the parameters of :func:`reef.network.seeding.seed_plan`
(refusing a bad one with the field at fault); :func:`run_seed_request` runs the plan (IMM: seconds on a large store, so
the server runs it as a background job) and adds, per seed, the facts behind the choice. Its result holds member ids
and figures only, never names, so a job list read by viewers leaks nothing; :func:`seed_plan_view` adds the names
(masked for viewers), the reasons and the comparison in the operator's language, and the as-of coverage warning.
:func:`record_seed_plan` turns the plan into one ``seed`` action per seed (reef.actions).

Example:
    >>> from reef.store import open_store
    >>> store = open_store(":memory:")
    >>> check_seed_request(store, k="3", topic=" 续航 ")["topic"]
    '续航'
    >>> check_seed_request(store, k="0")
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'k': '0'. Expected a whole number from 1 to 50. network.seed_max_k sets the largest plan the server runs; `reef seed-plan` takes any k.
    >>> seed_plan_view(store, run_seed_request(store, check_seed_request(store)), masked=True, lang="en")["empty"]
    'No interactions between members yet at this date: there is nobody to seed through.'
"""
from __future__ import annotations

from typing import Any

from reef.actions.kinds import MAX_NOTE_CHARS
from reef.errors import InvalidParameterError, NotFoundError

__all__ = ["check_seed_request", "run_seed_request", "seed_plan_view", "record_seed_plan", "note_limit", "empty_reason",
           "STRATEGIES"]

MAX_TOPIC_CHARS = 200
# How the page names each seed set it compares (strategy -> zh, en); the plan first.
STRATEGIES: dict[str, tuple[str, str]] = {
    "plan": ("推荐的种子名单（IMM）", "The recommended seeds (IMM)"),
    "top_degree": ("回复者最多的前 {k} 位", "The {k} members with the most repliers"),
    "top_pagerank": ("影响力排名（PageRank）前 {k} 位", "The {k} members ranked first by PageRank"),
    "random": ("随机 {k} 位成员", "{k} members at random"),
    "brand_broadcast": ("官方账号直接发布", "The brand accounts posting it"),
    "pynetim_imm": ("pynetim IMM（参照）", "pynetim IMM (reference)"),
}
# Each figure says what it measures: the reach is the expected number of members the topic gets to (the seed
# included), weighed by how often each member replied before; responders are everyone who ever replied to the seed.
_WORDS: dict[str, tuple[str, str]] = {
    "first": ("首选：单靠 TA 发起，预计话题会传到约 {m} 人（含 TA 本人）",
              "Chosen first: started by them alone, the topic is expected to reach about {members} (themselves included)"),
    "next": ("第 {n} 位：在前面的种子之外，预计再多传到约 {m} 人",
             "Chosen {nth}: expected to reach about {members} more than the seeds before"),
    "responders": ("{n} 位成员回复过 TA 的内容：话题经 TA 可能传到的人（上面的人数已按他们过去回复的频率折算）",
                   "{members} replied to their posts before: whom the topic can reach through them (the reach above "
                   "weighs how often each replied)"),
    "topic": ("写过 {n} 条与「{topic}」有关的内容", "wrote {items} on '{topic}'"),
    "circle": ("在「{circle}」发过 {n} 条内容", "posted {items} in '{circle}'"),
    "both": ("在「{circle}」写过 {n} 条与「{topic}」有关的内容", "wrote {items} on '{topic}' in '{circle}'"),
    "connector": ("也是关键节点：常有其他成员向 TA 提问、提及或引用 TA",
                  "also a key connector: other members often ask, mention or quote them"),
    "no_interactions": ("截至该日期成员之间还没有互动，无人可播种。",
                        "No interactions between members yet at this date: there is nobody to seed through."),
    "no_candidates": ("没有成员符合所选的话题、版块和排除名单：请放宽条件再试。",
                      "No member fits the topic, circle and exclusions: widen them to get a plan."),
    "lift": ("比最好的对照方案（{best}）多覆盖约 {more} 人", "about {members} more than the best alternative ({best})"),
    "no_lift": ("与最好的对照方案（{best}）相当", "about as many as the best alternative ({best})"),
    "behind": ("对照方案「{best}」预计比推荐名单多覆盖约 {more} 人", "The alternative '{best}' is expected to reach about "
               "{members} more than the recommended seeds"),
    "behind_size": ("对照方案「{best}」预计比推荐名单多覆盖约 {more} 人，但它用了 {n} 个账号，推荐名单只用 {k} 位种子",
                    "The alternative '{best}' is expected to reach about {members} more than the recommended seeds, "
                    "but it uses {accounts} against their {k}"),
    "same_size": ("；与同样人数的对照方案相比：{rest}", "; against the alternatives of the same size: {rest}"),
    "note": ("种子名单：{what}，{k} 位种子，预计覆盖约 {mean} 人（95% 置信区间 {low}–{high}）",
             "Seed plan: {what}, {k} seeds, expected reach about {mean} members (95% CI {low}-{high})"),
    "all": ("全体成员", "all members"),
    # why a member was left out of the candidates or flagged next to a seed (reef.network.seed_checks)
    "why.typed": ("按要求排除", "left out as asked"),
    "why.overasked": ("近 {days} 天被 @ {n} 次，已被问得太多", "mentioned {times} in {days} days: asked too often already"),
    "why.burnout": ("近 {days} 天发了 {recent} 条，此前每 {days} 天约 {before} 条：可能正在倦怠",
                    "wrote {recent} items in the last {days} days against about {before} before: may be burning out"),
    "why.alert": ("风险提醒（{severity}）：{message}", "risk alert ({severity}): {message}"),
    "why.attack": ("在回复 {content} 中人身攻击（毒性 {toxicity}）", "personal attack in reply {content} (toxicity {toxicity})"),
    "why.toxic": ("回复 {content} 毒性 {toxicity}，达到敌意线", "reply {content} has toxicity {toxicity}, at the hostility line"),
    "why.recruited": ("已被邀请播种这个话题（待办行动 {action}）", "already asked to seed this topic (open action {action})"),
    "severity.high": ("高", "high"), "severity.medium": ("中", "medium"),
}


def _plural(n: int, one: str, many: str | None = None) -> str:
    """English count and noun: '1 member', '2 members'.

    >>> _plural(1, "item"), _plural(3, "item"), _plural(2, "time", "times")
    ('1 item', '3 items', '2 times')
    """
    return f"{n} {one if n == 1 else many or one + 's'}"


def _ordinal(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd.

    >>> [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '103rd', '111th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _w(key: str, lang: str, **kw: Any) -> str:
    """``key``'s words in ``lang``; English gets counted nouns from ``n`` and ``m`` (members, items, times, accounts)
    and the ordinal of ``n`` (nth); ``m`` counts the members when both are given.

    >>> _w("next", "en", n=2, m=1), _w("topic", "en", n=1, topic="续航")
    ('Chosen 2nd: expected to reach about 1 member more than the seeds before', "wrote 1 item on '续航'")
    """
    if lang == "en":
        n, m = kw.get("n"), kw.get("m")
        if isinstance(n, int):
            kw = {"nth": _ordinal(n), "items": _plural(n, "item"), "times": _plural(n, "time"),
                  "accounts": _plural(n, "account"), "members": _plural(n, "member"), **kw}
        if isinstance(m, int):
            kw = {**kw, "members": _plural(m, "member")}
    return _WORDS[key][lang == "en"].format(**kw)


def empty_reason(code: str, lang: str = "zh") -> str:
    """Why a plan is empty (its ``empty`` code: ``no_candidates``, ``no_interactions``) in ``lang``.

    >>> empty_reason("no_candidates")
    '没有成员符合所选的话题、版块和排除名单：请放宽条件再试。'
    """
    return _w(code, lang)


def check_seed_request(store, *, k: Any = None, topic: Any = None, circle: Any = None, exclude: Any = None,
                       as_of: Any = None) -> dict[str, Any]:
    """The plan's parameters from a form or a JSON body (text or typed): ``k`` from 1 to ``network.seed_max_k``
    (empty: ``network.seed_k``), a topic (terms), a circle (a group's name or id), members to exclude (ids, a list or
    comma-separated) and an as_of date (empty: the end of the data). A bad value is an InvalidParameterError naming it."""
    from reef.network.campaign import check_member_ids
    from reef.store.asof import as_of_timestamp

    net = store.config.section("network")
    top = int(net["seed_max_k"])
    text = str(k).strip() if k is not None and not isinstance(k, int) else k
    try:
        k = int(net["seed_k"]) if text in (None, "") else int(text)
    except (TypeError, ValueError):
        k = None
    if k is None or isinstance(text, bool) or not 1 <= k <= top:
        raise InvalidParameterError("k", text, f"a whole number from 1 to {top}",
                                    hint="network.seed_max_k sets the largest plan the server runs; `reef seed-plan` takes any k.")
    topic = str(topic or "").strip() or None
    if topic and len(topic) > MAX_TOPIC_CHARS:
        raise InvalidParameterError("topic", f"{len(topic)} characters", f"at most {MAX_TOPIC_CHARS} characters")
    circle = str(circle or "").strip() or None
    if circle and not store.fetch_value("SELECT count(*) FROM groups WHERE name = $c OR group_id = $c", {"c": circle}):
        raise InvalidParameterError("circle", circle, "the name or id of a group (board) in the store")
    if isinstance(exclude, str):
        exclude = exclude.replace("，", ",").split(",")
    try:
        ids = check_member_ids(store, "exclude", [str(i) for i in exclude or []])
    except NotFoundError as exc:  # a field of a form or body: 422 naming it, as the API documents
        raise InvalidParameterError("exclude", exc.value, "ids of members in the store", hint=exc.hint) from None
    moment = as_of_timestamp(as_of or None, store.config.get("general.timezone"))
    return {"k": k, "topic": topic, "circle": circle, "exclude": ids, "as_of": moment.isoformat() if moment else None}


def run_seed_request(store, request: dict[str, Any], on_progress=None, *, runs: int | None = None,
                     seed: int | None = None) -> dict[str, Any]:
    """:func:`reef.network.seeding.seed_plan` for a checked ``request``, plus per seed (in ``why``) ``fit``: its items
    on the topic or in the circle, and ``connector_rank`` when the connectors analysis ranked it. Ids and figures only.
    Members left out (``exclusions``) and each seed's ``flags`` come from :mod:`reef.network.seed_checks`: over-asked,
    burning out, under a risk alert, typed by the operator, or already recruited for the topic by an open ``seed``
    action. ``runs`` and ``seed``: Monte-Carlo cascades and random seed (``network.mc_runs``, ``network.seed``)."""
    from reef.analyses.runner import resolve_as_of
    from reef.network.campaign import topic_terms
    from reef.network.seeding import seed_plan

    as_of = resolve_as_of(store, request.get("as_of"))
    plan = seed_plan(store, as_of, store.config, k=request["k"], topic=request.get("topic"), circle=request.get("circle"),
                     exclude=request.get("exclude") or [], runs=runs, seed=seed, on_progress=on_progress)
    ids = [w["member_id"] for w in plan["why"]]
    fit: dict[str, int] = {}
    if ids and (request.get("topic") or request.get("circle")):
        fit = dict(store.fetch_all("""
            SELECT c.author_id, count(*) FROM content_at($ts) c LEFT JOIN groups_at($ts) g ON g.group_id = c.group_id
            WHERE c.author_id IN (SELECT unnest($ids))
              AND (len($terms) = 0 OR list_bool_or([contains(lower(coalesce(c.title, '') || coalesce(c.body, '')), lower(t))
                                                    FOR t IN $terms]))
              AND ($circle IS NULL OR g.name = $circle OR g.group_id = $circle) GROUP BY 1""",
            {"ts": as_of, "ids": ids, "terms": topic_terms(request.get("topic")) or [], "circle": request.get("circle")}))
    ranks: dict[str, int] = {}
    if ids and store.table_exists("network_connectors"):
        ranks = dict(store.fetch_all("SELECT member_id, rank FROM network_connectors WHERE role = 'connector' "
                                     "AND member_id IN (SELECT unnest($ids))", {"ids": ids}))
    for w in plan["why"]:
        w["fit"], w["connector_rank"] = fit.get(w["member_id"]), ranks.get(w["member_id"])
    return {**plan, "as_of": as_of.isoformat(), "request": dict(request)}


def _circle_name(store, circle: str | None) -> str | None:
    if not circle:
        return None
    return store.fetch_value("SELECT any_value(name) FROM groups WHERE group_id = $c OR name = $c", {"c": circle}) or circle


def seed_plan_view(store, result: dict[str, Any], *, masked: bool = True, lang: str = "zh") -> dict[str, Any]:
    """A :func:`run_seed_request` result as the page, the API and ``reef seed-plan`` show it: ``seeds`` (order, id,
    name masked for viewers, ``reasons`` and ``flags`` in words), ``reach`` (the plan and each alternative: mean, 95%
    CI, accounts, label), ``headline`` (the plan against the alternatives, fairly), ``exclusions`` (members left out
    of the candidates, with why), ``empty`` (why there is no plan), ``warning`` (the as-of coverage warning) and the
    request."""
    from datetime import datetime

    from reef.actions.privacy import mask_text
    from reef.store.coverage import coverage_warning

    en = lang == "en"
    req = result.get("request") or {}
    topic, circle = req.get("topic"), _circle_name(store, req.get("circle"))
    left = result.get("exclusions") or []
    ids = [w["member_id"] for w in result.get("why", [])] + [x["member_id"] for x in left]
    names = dict(store.fetch_all("SELECT member_id, name FROM members WHERE member_id IN (SELECT unnest($ids))", {"ids": ids})) if ids else {}
    shown = lambda m: mask_text(names.get(m)) if masked else names.get(m)  # noqa: E731
    seeds = []
    for w in result.get("why", []):
        m = round(w["marginal"])
        reasons = [_w("first", lang, m=m) if w["order"] == 1 else _w("next", lang, n=w["order"], m=m)]
        if w["responders"]:
            reasons.append(_w("responders", lang, n=w["responders"]))
        if w.get("fit"):
            key = "both" if topic and circle else "topic" if topic else "circle"
            reasons.append(_w(key, lang, n=w["fit"], topic=topic, circle=circle))
        if w.get("connector_rank"):
            reasons.append(_w("connector", lang))
        seeds.append({"order": w["order"], "member_id": w["member_id"], "name": shown(w["member_id"]),
                      "marginal": w["marginal"], "responders": w["responders"], "reasons": reasons,
                      "flags": [_why(c, lang, masked) for c in w.get("flags") or []]})
    exclusions = [{"member_id": x["member_id"], "name": shown(x["member_id"]), "reasons": [_why(c, lang, masked) for c in x["reasons"]]}
                  for x in left]
    k = len(seeds) or result.get("k")
    reach = [{"strategy": name, "label": STRATEGIES.get(name, (name, name))[en].format(k=k), **r}
             for name, r in [("plan", result.get("plan") or {}), *(result.get("baselines") or {}).items()] if r]
    as_of = datetime.fromisoformat(result["as_of"])
    return {"seeds": seeds, "reach": reach, "headline": _headline(reach, k, lang), "as_of": result["as_of"],
            "empty": _w(result["empty"], lang) if result.get("empty") else None,
            "warning": coverage_warning(store, as_of, lang=lang), "request": {**req, "circle_name": circle},
            "k": result.get("k"), "candidates": result.get("candidates"), "members": result.get("members"),
            "excluded": len(result.get("excluded") or []), "exclusions": exclusions, "rr_sets": result.get("rr_sets"),
            "note_max": note_limit(store, result, lang) if seeds else None}


def _headline(reach: list[dict[str, Any]], k: int, lang: str) -> str | None:
    """The plan against the alternative that reaches most, saying so when that one reaches more, and when it starts
    from more accounts than the plan's k seeds, how the plan does against the alternatives of its own size."""
    others = [r for r in reach if r["strategy"] != "plan"]
    if not reach or reach[0]["strategy"] != "plan" or not others:
        return None
    plan = reach[0]["mean"]

    def against(pool: list[dict[str, Any]]) -> str:
        best = max(pool, key=lambda r: r["mean"])
        more = round(plan - best["mean"])
        if more > 0:
            return _w("lift", lang, more=more, m=more, best=best["label"])
        if more == 0:
            return _w("no_lift", lang, best=best["label"])
        size = best.get("size")
        if size and size > k:
            return _w("behind_size", lang, more=-more, m=-more, best=best["label"], n=size, k=k)
        return _w("behind", lang, more=-more, m=-more, best=best["label"])

    text = against(others)
    best = max(others, key=lambda r: r["mean"])
    fair = [r for r in others if r.get("size") is not None and r["size"] <= k]
    if round(plan - best["mean"]) < 0 and (best.get("size") or 0) > k and fair:
        text += _w("same_size", lang, rest=against(fair))
    return text


def _why(check: dict[str, Any], lang: str, masked: bool) -> dict[str, str]:
    """One check of :mod:`reef.network.seed_checks` in words: ``reason`` (its code) and ``text``."""
    from reef.actions.privacy import mask_text

    reason = check["reason"]
    if reason == "risk" and check.get("part") == "hostility":
        key = "why.attack" if check.get("attack") else "why.toxic"
        text = _w(key, lang, content=check.get("content_id"), toxicity=f"{check.get('toxicity', 0):.2f}")
    elif reason == "risk":
        message = check.get("message_en" if lang == "en" else "message_zh") or check.get("alert_key") or ""
        level = f"severity.{check.get('severity')}"
        text = _w("why.alert", lang, severity=_w(level, lang) if level in _WORDS else check.get("severity"),
                  message=mask_text(message) if masked else message)
    elif reason == "overasked":
        text = _w("why.overasked", lang, n=check["n"], days=check["days"])
    elif reason == "burnout":
        text = _w("why.burnout", lang, recent=check["recent"], before=check["before"], days=check["days"])
    elif reason == "recruited":
        text = _w("why.recruited", lang, action=check["action_id"])
    else:
        text = _w("why.typed", lang)
    return {"reason": reason, "text": text}


def record_seed_plan(store, result: dict[str, Any], *, campaign: str | None = None, note: str | None = None,
                     lang: str = "zh", by: str | None = None, role: str | None = None, client: str | None = None) -> dict[str, Any]:
    """One open ``seed`` action per seed of the plan (with ``campaign`` when given), all or none, each noting the
    plan (topic or circle, k, expected reach) before the operator's ``note``. A seed already recorded today for the
    same campaign is not recorded again (:data:`reef.actions.kinds.ONCE_A_DAY`). Returns ``recorded`` and
    ``already`` (action ids)."""
    from reef.actions import record_action

    seeds = [w["member_id"] for w in result.get("why", [])]
    if not seeds:
        raise InvalidParameterError("seeds", [], "a plan with seeds to record")
    text = _summary(store, result, lang)
    note = (note or "").strip()
    limit = MAX_NOTE_CHARS - len(text) - 1
    if len(note) > limit:  # refused here, naming the operator's share, not as an over-long 2000 of the whole note
        raise InvalidParameterError("note", f"{len(note)} characters", f"at most {limit} characters (the plan's summary "
                                    f"takes the rest of the note's {MAX_NOTE_CHARS})")
    text = f"{text}\n{note}" if note else text
    out: dict[str, list[str]] = {"recorded": [], "already": []}
    with store.transaction():  # all seeds or none: a refused campaign id writes nothing
        for member in seeds:
            action = record_action(store, member, "seed", note=text, details={"campaign": campaign or None},
                                   source="seed_plan", by=by, role=role, client=client)
            out["already" if action.get("already_recorded") else "recorded"].append(action["action_id"])
    return out


def _summary(store, result: dict[str, Any], lang: str) -> str:
    """The plan's line at the head of each seed action's note (topic or circle, k, expected reach)."""
    req, plan = result.get("request") or {}, result.get("plan") or {}
    what = " / ".join(x for x in (req.get("topic"), _circle_name(store, req.get("circle"))) if x) or _w("all", lang)
    return _w("note", lang, what=what, k=len(result.get("why", [])), mean=round(plan.get("mean", 0)),
              low=round(plan.get("ci_low", 0)), high=round(plan.get("ci_high", 0)))


def note_limit(store, result: dict[str, Any], lang: str = "zh") -> int:
    """How long the operator's note to :func:`record_seed_plan` may be: the action note's MAX_NOTE_CHARS less the
    plan's summary line before it (the form's maxlength and the refusal's limit)."""
    return MAX_NOTE_CHARS - len(_summary(store, result, lang)) - 1
