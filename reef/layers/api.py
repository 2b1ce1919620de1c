"""Readers of the layers results for the CLI, the API and the dashboard (paged; the tables are precomputed).

Each returns plain dicts and lists; operator text comes in Chinese (``lang='zh'``) or English.

Example:
    >>> from reef.store import open_store
    >>> interest_groups(open_store(":memory:"))["circles"]
    []
"""
from __future__ import annotations

from typing import Any

from reef.errors import InvalidParameterError, NotFoundError, with_cli_hint
from reef.i18n import check_lang, plural
from reef.layers.council import propose_slate

__all__ = ["interest_groups", "circle_detail", "member_circle", "plaza_starters", "council_slate"]


def _as_of(store, name: str) -> Any:
    if not store.table_exists("analysis_runs"):
        return None
    return store.fetch_value("SELECT as_of FROM analysis_runs WHERE name = $n AND status = 'ok' ORDER BY finished_at DESC LIMIT 1",
                             {"n": name})


def _warning(store, name: str, lang: str) -> str | None:
    """The coverage warning (:func:`reef.store.coverage.results_warning`) for the analysis' as_of: past the end of the
    data a circle's health and growth compare windows that hold nothing, so "stable, 50" means no data, not calm."""
    from reef.store.coverage import results_warning

    return results_warning(store, [name], lang)


def _pick(row: dict, en: bool, *keys: str) -> dict:
    """Keep one language of each ``<key>_zh`` / ``<key>_en`` pair, under ``<key>``."""
    for k in keys:
        zh, eng = row.pop(f"{k}_zh", None), row.pop(f"{k}_en", None)
        row[k] = eng if en else zh
    return row


def _circle_words(row: dict, en: bool) -> dict:
    """A circle's name and top terms in English when ``en``: aspects by their English names (reef.layers.wording)."""
    if en:
        from reef.layers.wording import circle_label, term_label

        row["name"] = circle_label(row.get("name"), "en")
        if row.get("top_terms") is not None:
            row["top_terms"] = [term_label(t, "en") for t in row["top_terms"]]
    return row


def _topic_words(row: dict, en: bool) -> dict:
    """A plaza topic in English when ``en``: an aspect by its English name, in ``topic`` and in the evidence."""
    if en and row.get("topic_type") == "aspect":
        from reef.layers.wording import topic_label

        shown = topic_label(row["topic"], "aspect", "en")
        if row.get("evidence"):
            row["evidence"] = row["evidence"].replace(f'"{row["topic"]}"', f'"{shown}"', 1)
        row["topic"] = shown
    return row


def _council_words(row: dict, en: bool) -> dict:
    """A council row's circle name in English when ``en`` (label only: the slate is the council module's)."""
    if en and row.get("circle_name"):
        from reef.layers.wording import circle_label

        row["circle_name"] = circle_label(row["circle_name"], "en")
    return row


def _page(top: int, offset: int) -> None:
    if top < 1:
        raise InvalidParameterError("top", top, "a positive number of rows")
    if offset < 0:
        raise InvalidParameterError("offset", offset, "0 or more")


def interest_groups(store, *, top: int = 20, offset: int = 0, leaders: int = 3, lang: str = "zh") -> dict:
    """Circles by size with name, top terms, size, growth, health and their best ``leaders``."""
    _page(top, offset)
    en = check_lang(lang) == "en"
    if not store.table_exists("layers_circles"):
        return {"as_of": None, "total": 0, "assigned": 0, "circles": []}
    circles = [_circle_words(_pick(r, en, "summary"), en) for r in store.fetch_dicts(
        "SELECT * FROM layers_circles ORDER BY rank LIMIT $n OFFSET $o", {"n": top, "o": offset})]
    for c in circles:
        c["leader_list"] = _with_roles(store, [_pick(r, en, "evidence") for r in store.fetch_dicts(
            "SELECT rank, member_id, name, stage, score, evidence_zh, evidence_en FROM layers_circle_leaders WHERE circle_id = $c "
            "ORDER BY rank LIMIT $n", {"c": c["circle_id"], "n": leaders})], en, circle=c["circle_id"])
    return {"as_of": _as_of(store, "layers_groups"), "total": int(store.fetch_value("SELECT count(*) FROM layers_circles")),
            "assigned": int(store.fetch_value("SELECT count(*) FROM layers_circle_members")), "circles": circles,
            "warning": _warning(store, "layers_groups", "en" if en else "zh")}


def circle_detail(store, circle_id: str, *, top: int = 50, offset: int = 0, lang: str = "zh") -> dict:
    """One circle: its row, all suggested leaders and a page of members, strongest belonging first: confidence x
    ln(1 + ties + terms), so a confident member with many ties and words comes before a confident one with few."""
    from reef.params import check_text

    circle_id = check_text("circle_id", circle_id)  # an id given as a number is its text, not a DuckDB cast error
    _page(top, offset)
    en = check_lang(lang) == "en"
    rows = store.fetch_dicts("SELECT * FROM layers_circles WHERE circle_id = $c", {"c": circle_id}) \
        if store.table_exists("layers_circles") else []
    if not rows:
        raise with_cli_hint(NotFoundError(f"No interest circle '{circle_id}'.", hint="List the circles with groups() (no circle)."),
                            "List the circles with `reef groups`.")
    leaders = _with_roles(store, [_pick(r, en, "evidence") for r in store.fetch_dicts(
        "SELECT * FROM layers_circle_leaders WHERE circle_id = $c ORDER BY rank", {"c": circle_id})], en, circle=circle_id)
    members = store.fetch_dicts("""SELECT m.*, s.name FROM layers_circle_members m LEFT JOIN members s USING (member_id)
        WHERE m.circle_id = $c ORDER BY m.confidence * ln(1 + m.ties + m.terms) DESC, m.member_id LIMIT $n OFFSET $o""", {"c": circle_id, "n": top, "o": offset})
    return {"as_of": _as_of(store, "layers_groups"), "circle": _circle_words(_pick(rows[0], en, "summary"), en), "leaders": leaders,
            "members": members, "total_members": rows[0]["size"], "warning": _warning(store, "layers_groups", "en" if en else "zh")}


def member_circle(store, member_id: str) -> dict | None:
    """The circle of one member with the confidence and parts, or None."""
    if not store.table_exists("layers_circle_members"):
        return None
    rows = store.fetch_dicts("""SELECT m.*, c.name AS circle_name FROM layers_circle_members m LEFT JOIN layers_circles c USING (circle_id)
                                WHERE m.member_id = $m""", {"m": member_id})
    return rows[0] if rows else None


def plaza_starters(store, *, top: int = 20, offset: int = 0, topics: int = 10, lang: str = "zh") -> dict:
    """Topic starters (公共议题发起者) best first, and the topics that draw the most repliers."""
    _page(top, offset)
    en = check_lang(lang) == "en"
    if not store.table_exists("layers_plaza"):
        return {"as_of": None, "total": 0, "starters": [], "topics": []}
    starters = _with_roles(store, [_pick(r, en, "evidence") for r in store.fetch_dicts(
        "SELECT * FROM layers_plaza ORDER BY rank LIMIT $n OFFSET $o", {"n": top, "o": offset})], en)
    topic_rows = [_topic_words(_pick(r, en, "evidence"), en) for r in store.fetch_dicts(
        "SELECT * FROM layers_plaza_topics ORDER BY lift DESC NULLS LAST, threads DESC, topic LIMIT $n", {"n": topics})] \
        if store.table_exists("layers_plaza_topics") else []
    return {"as_of": _as_of(store, "layers_plaza"), "total": int(store.fetch_value("SELECT count(*) FROM layers_plaza")),
            "starters": starters, "topics": topic_rows, "warning": _warning(store, "layers_plaza", "en" if en else "zh")}


def _with_roles(store, rows: list[dict], en: bool, *, council: bool = True, circle: str | None = None) -> list[dict]:
    """``rows`` (with member_id) plus ``roles``: labels of the other roles each holds (:func:`reef.layers.standing.roles_held`),
    without the council seat when ``council`` is False and the leadership of ``circle``, which the list itself shows."""
    from reef.layers.standing import roles_held

    held = roles_held(store, [r["member_id"] for r in rows])
    key = "label_en" if en else "label_zh"
    for r in rows:
        r["roles"] = [x[key] for x in held.get(r["member_id"], [])
                      if (council or x["kind"] != "council") and (circle is None or x.get("circle_id") != circle)]
    return rows


def _council_counts(store, p: dict, result: dict, en: bool) -> dict:
    """The council's three counts, labelled so they add up: the candidates table (the export's 顾问团候选 sheet), the
    eligible among them, and the pool the slate was drawn from."""
    total, eligible = store.fetch_all("SELECT count(*), count(*) FILTER (WHERE eligible) FROM layers_council_candidates")[0]
    stage, fall, tenure = int(p["council_min_stage"]), int(p["council_fallback_stage"]), int(p["council_min_tenure_days"])
    pool_rule = ((f"stage {fall}+, too few at stage {stage}" if en else f"第{fall}阶及以上，第{stage}阶不足补位") if result["fallback"]
                 else (f"stage {stage} only" if en else f"仅第{stage}阶"))
    label = (f"{plural(total, 'candidate')} (stage {fall}+, {tenure}+ days of tenure), {eligible} with a constructive record, "
             f"{result['pool']} in the pool ({pool_rule})") if en else \
        (f"候选{total}人（第{fall}阶及以上、注册满{tenure}天），其中记录合格{eligible}人，入选池{result['pool']}人（{pool_rule}）")
    return {"candidates": int(total), "eligible": int(eligible), "pool": int(result["pool"]), "label": label}


def council_slate(store, *, seats: int | None = None, excluded: int = 10, lang: str = "zh", config=None) -> dict:
    """A balanced council of ``seats`` (default ``layers.council_seats``) from the eligible candidates, with the
    coverage of every balance dimension and the strongest candidates left out, each with the reason."""
    cfg = config or store.config
    p = cfg.section("layers")
    seats = int(p["council_seats"] if seats is None else seats)
    if seats < 1:
        raise InvalidParameterError("seats", seats, "a positive number of seats")
    en = check_lang(lang) == "en"
    if not store.table_exists("layers_council_candidates"):
        return {"as_of": None, "seats": seats, "slate": [], "coverage": [], "summary": {}, "fallback": False, "pool": 0, "excluded": [],
                "note": None, "counts": {"candidates": 0, "eligible": 0, "pool": 0, "label": ""}}
    cands = store.fetch_dicts("SELECT * FROM layers_council_candidates WHERE eligible ORDER BY quality DESC, member_id")
    for c in cands:
        c["circle"] = c["circle_id"]
    shares: dict[str, dict[str, float]] = {}
    for d, v, s in store.fetch_all("SELECT dimension, value, community_share FROM layers_council_coverage ORDER BY dimension, community_share DESC"):
        shares.setdefault(d, {})[v] = float(s)
    min_stage = int(p["council_min_stage"])
    result = propose_slate(cands, shares, seats, balance=float(p["council_balance_weight"]),
                           factor=float(p["council_candidate_factor"]), min_stage=min_stage)
    result["slate"] = _with_roles(store, [_council_words(_pick(r, en, "evidence"), en) for r in result["slate"]], en, council=False)
    result["excluded"] = [_council_words(_pick(r, en, "evidence"), en) for r in store.fetch_dicts(
        "SELECT * FROM layers_council_candidates WHERE NOT eligible ORDER BY quality DESC, member_id LIMIT $n", {"n": excluded})]
    for r in result["excluded"]:  # below the pool's stage (no fallback): out whatever their record
        if not result["fallback"] and r["stage"] < min_stage:
            r["excluded_because"] = ["stage"] + list(r["excluded_because"] or [])
    result["counts"] = _council_counts(store, p, result, en)
    result["as_of"] = _as_of(store, "layers_council")
    result["warning"] = _warning(store, "layers_council", "en" if en else "zh")
    result["note"] = None
    if not result["slate"]:
        tenure, stage = int(p["council_min_tenure_days"]), int(p["council_fallback_stage"])
        result["note"] = (f"No eligible member at ladder stage {stage} or higher with at least {plural(tenure, 'day')} of tenure and a constructive record."
                          if en else f"没有符合条件的候选人：需要成长阶梯第{stage}阶及以上、注册满{tenure}天且无冲突记录。")
    return result
