"""The seeding plan for operators (the 种子名单 page and ``/api/v1/seed-plan``): check a request, run it, explain it,
and record it as ``seed`` actions.

:func:`check_seed_request` turns what a form or a JSON body gave into the parameters of :func:`reef.network.seeding.seed_plan`
(refusing a bad one with the field at fault); :func:`run_seed_request` runs the plan (IMM: seconds on a large store, so
the server runs it as a background job) and adds, per seed, the facts behind the choice. Its result holds member ids
and figures only, never names, so a job list read by viewers leaks nothing; :func:`seed_plan_view` adds the names
(masked for viewers), the reasons and the comparison in the operator's language, and the as-of coverage warning.
:func:`record_seed_plan` turns the plan into one ``seed`` action per seed (reef.actions). The words (reasons, checks,
the comparison, the recorded note) are in :mod:`reef.network.seedplan_words`.

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
from reef.errors import InvalidParameterError, NotFoundError, with_cli_hint
from reef.i18n import plural
from reef.network.seedplan_words import STRATEGIES, empty_reason, headline, strategy_label, why_text, words

__all__ = ["check_seed_request", "run_seed_request", "seed_plan_view", "record_seed_plan", "note_limit", "empty_reason",
           "STRATEGIES"]

MAX_TOPIC_CHARS = 200


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
        raise InvalidParameterError("topic", plural(len(topic), "character"), "at most " + plural(MAX_TOPIC_CHARS, "character"))
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
    if moment is not None:
        from reef.analyses.runner import resolve_as_of

        resolve_as_of(store, moment)  # too far past the data fails now, not inside the job
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
    of the candidates, with why), ``empty`` (why there is no plan), ``warning`` (the as-of coverage warning),
    ``as_of`` (ISO in the store's zone, as every read gives it: the day a download's 说明 and the page show) and the
    request."""
    from datetime import datetime

    from reef.actions.privacy import mask_text
    from reef.reads import local
    from reef.store.coverage import coverage_warning

    req = result.get("request") or {}
    topic, circle = req.get("topic"), _circle_name(store, req.get("circle"))
    left = result.get("exclusions") or []
    ids = [w["member_id"] for w in result.get("why", [])] + [x["member_id"] for x in left]
    names = dict(store.fetch_all("SELECT member_id, name FROM members WHERE member_id IN (SELECT unnest($ids))", {"ids": ids})) if ids else {}
    shown = lambda m: mask_text(names.get(m)) if masked else names.get(m)  # noqa: E731
    seeds = []
    for w in result.get("why", []):
        m = round(w["marginal"])
        reasons = [words("first", lang, m=m) if w["order"] == 1 else words("next", lang, n=w["order"], m=m)]
        if w["responders"]:
            reasons.append(words("responders", lang, n=w["responders"]))
        if w.get("fit"):
            key = "both" if topic and circle else "topic" if topic else "circle"
            reasons.append(words(key, lang, n=w["fit"], topic=topic, circle=circle))
        if w.get("connector_rank"):
            reasons.append(words("connector", lang))
        seeds.append({"order": w["order"], "member_id": w["member_id"], "name": shown(w["member_id"]),
                      "marginal": w["marginal"], "responders": w["responders"], "reasons": reasons,
                      "flags": [why_text(c, lang, masked) for c in w.get("flags") or []]})
    exclusions = [{"member_id": x["member_id"], "name": shown(x["member_id"]), "reasons": [why_text(c, lang, masked) for c in x["reasons"]]}
                  for x in left]
    k = len(seeds) or result.get("k")
    reach = [{"strategy": name, "label": strategy_label(name, k, lang), **r}
             for name, r in [("plan", result.get("plan") or {}), *(result.get("baselines") or {}).items()] if r]
    as_of = local(store, datetime.fromisoformat(result["as_of"]))  # a job's result is UTC: the day is the store's
    return {"seeds": seeds, "reach": reach, "headline": headline(reach, k, lang), "as_of": as_of.isoformat(timespec="seconds"),
            "empty": empty_reason(result["empty"], lang) if result.get("empty") else None,
            "warning": coverage_warning(store, as_of, lang=lang), "request": {**req, "circle_name": circle},
            "k": result.get("k"), "candidates": result.get("candidates"), "members": result.get("members"),
            "excluded": len(result.get("excluded") or []), "exclusions": exclusions, "rr_sets": result.get("rr_sets"),
            "note_max": note_limit(store, result, lang) if seeds else None}


def record_seed_plan(store, result: dict[str, Any], *, campaign: str | None = None, note: str | None = None,
                     lang: str = "zh", by: str | None = None, role: str | None = None, client: str | None = None) -> dict[str, Any]:
    """One open ``seed`` action per seed of the plan (with ``campaign`` when given), all or none, each noting the
    plan (topic or circle, k, expected reach) before the operator's ``note``, and the plan's topic as the action's
    ``topic`` (``attrs.topic``: listed and filtered as a column, :func:`reef.actions.list_actions`). A seed already recorded today for the
    same campaign is not recorded again (:data:`reef.actions.kinds.ONCE_A_DAY`). Returns ``recorded`` and
    ``already`` (action ids). An unknown campaign is an InvalidParameterError naming ``campaign`` whose hint says
    campaigns come only from importing a campaigns file."""
    from reef.actions import record_action

    seeds, req = [w["member_id"] for w in result.get("why", [])], result.get("request") or {}
    if not seeds:
        raise InvalidParameterError("seeds", [], "a plan with seeds to record")
    text = _summary(store, result, lang)
    note = (note or "").strip()
    limit = MAX_NOTE_CHARS - len(text) - 1
    if len(note) > limit:  # refused here, naming the operator's share, not as an over-long 2000 of the whole note
        raise InvalidParameterError("note", plural(len(note), "character"), f"at most {plural(limit, 'character')} (the plan's summary "
                                    f"takes the rest of the note's {MAX_NOTE_CHARS})")
    text = f"{text}\n{note}" if note else text
    out: dict[str, list[str]] = {"recorded": [], "already": []}
    try:
        with store.transaction():  # all seeds or none: a refused campaign id writes nothing
            for member in seeds:
                action = record_action(store, member, "seed", note=text, details={"campaign": campaign or None,
                                                                                    "topic": req.get("topic")},
                                       source="seed_plan", by=by, role=role, client=client)
                out["already" if action.get("already_recorded") else "recorded"].append(action["action_id"])
    except NotFoundError as exc:  # a field of the body: 422 naming it, as check_seed_request does, with where to get one
        if exc.where is None or exc.where.field != "campaign":
            raise
        raise _campaign_missing(campaign) from None
    return out


# Campaigns only come from importing a campaigns file (the page says so with its own words: form.campaign_missing).
_CAMPAIGN_FILE = ("a file named campaigns.csv (or .xlsx, .jsonl) with the columns campaign_id, name, topic, started_at "
                  "(optionally seed_member_ids)")
_CAMPAIGN_FILE_ZH = "名为 campaigns.csv（或 .xlsx、.jsonl）的文件，列为 活动ID、活动名称、话题、开始时间（可加 seed_member_ids）"


def _campaign_missing(campaign: str | None) -> InvalidParameterError:
    """An unknown campaign id (422, ``where.field`` campaign), with where campaigns come from: the API's and the
    library's hint names ``reef import`` and ``POST /api/v1/jobs/import``; the command line's only ``reef import``."""
    from reef.errors import Location

    exc = InvalidParameterError(
        "campaign", campaign, "the id of a campaign in the store",
        hint=(f"Campaigns are only created by importing a campaigns file: import {_CAMPAIGN_FILE} "
              "(`reef import campaigns.csv`, or POST /api/v1/jobs/import), then record the plan again; "
              "or leave the campaign empty."),
        hint_zh=(f"活动只能通过导入活动文件创建：导入{_CAMPAIGN_FILE_ZH}（`reef import campaigns.csv`，"
                 "或 POST /api/v1/jobs/import），再记录这份种子名单；也可以不填活动ID。"))
    exc.where = Location(field="campaign")
    return with_cli_hint(exc, f"Campaigns are only created by importing a campaigns file: `reef import campaigns.csv`, "
                              f"{_CAMPAIGN_FILE}; or leave the campaign empty.",
                         f"活动只能通过导入活动文件创建：`reef import campaigns.csv`，{_CAMPAIGN_FILE_ZH}；也可以不填活动ID。")


def _summary(store, result: dict[str, Any], lang: str) -> str:
    """The plan's line at the head of each seed action's note (topic or circle, k, expected reach)."""
    req, plan = result.get("request") or {}, result.get("plan") or {}
    what = " / ".join(x for x in (req.get("topic"), _circle_name(store, req.get("circle"))) if x) or words("all", lang)
    return words("note", lang, what=what, k=len(result.get("why", [])), mean=round(plan.get("mean", 0)),
              low=round(plan.get("ci_low", 0)), high=round(plan.get("ci_high", 0)))


def note_limit(store, result: dict[str, Any], lang: str = "zh") -> int:
    """How long the operator's note to :func:`record_seed_plan` may be: the action note's MAX_NOTE_CHARS less the
    plan's summary line before it (the form's maxlength and the refusal's limit)."""
    return MAX_NOTE_CHARS - len(_summary(store, result, lang)) - 1
