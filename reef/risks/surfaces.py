"""Operator surfaces of the risk radar: API views, export sheets (风险, 风险提醒, 关怀名单), the 今日
radar panel and the 风险雷达 page (docs/surfaces.md).

``risk_page`` is the ONE library call behind the page: the four scores with their parts and
evidence (:func:`reef.risks.api.risk_radar`), the weekly series behind them (the trend), and one
page of the alerts and of the care list, all from the precomputed ``risk_*`` tables.

Example:
    >>> from reef.actions.views import VIEWS
    >>> "risk_alerts" in VIEWS
    True
    >>> from reef.store import open_store
    >>> risk_page(open_store(":memory:"))["available"]
    False
"""
from __future__ import annotations

from typing import Any

from reef.actions.overview import register_panel
from reef.actions.privacy import mask_rows
from reef.actions.views import TableView, page_query, register_view
from reef.export.tables import Sheet, register_sheet
from reef.i18n import register_code_labels, register_column_labels
from reef.risks.api import risk_radar
from reef.risks.freshness import radar_back_dated, radar_failure
from reef.risks.wording import part_baseline, part_value
# The coverage warning moved to reef.store.coverage (every surface reads it); this name stays for existing callers.
from reef.store.coverage import coverage_warning
from reef.text.coverage import reading_note

__all__ = ["risk_page", "risk_trend", "radar_panel", "radar_view", "top_evidence", "coverage_warning", "display_name", "alert_subject",
           "FAMILY_NAMES", "PART_NAMES", "METRIC_NAMES", "LEVEL_NAMES", "SUBJECT_NAMES", "COLUMN_NAMES"]

# Operator-facing names (zh, en) of the families, their parts and evidence parts, the levels and the radar's columns.
FAMILY_NAMES = {"heat_death": ("热寂", "heat death"), "implosion": ("内爆", "implosion"), "backlash": ("反噬", "backlash"),
                "entropy": ("熵增", "entropy")}
PART_NAMES = {"activity": ("活跃度", "activity"), "circle_decay": ("圈子降温", "circle decay"), "homogenisation": ("内容同质化", "homogenisation"),
              "novelty": ("新意", "novelty"), "burnout": ("核心倦怠", "core burnout"), "recently_inactive": ("近期沉寂", "recently inactive"),
              "newcomers": ("新人融入", "newcomer integration"), "cliques": ("小圈子", "cliques"), "conflict": ("冲突升级", "conflict"),
              "hostility": ("敌意", "hostility"), "polarisation": ("新老对立", "polarisation"), "drift": ("核心转负", "core turning negative"),
              "care": ("关怀名单", "care list"), "complaints": ("投诉", "complaints"), "unresolved": ("未解决投诉", "unresolved complaints"),
              "misinformation": ("错误信息", "misinformation"), "dilution": ("卖点稀释", "narrative dilution"),
              # the member and thread alerts' own parts
              "core_burnout": ("核心成员倦怠", "core member burning out"),
              "core_turning_negative": ("核心成员转负", "core member turning negative"),
              "conflict_thread": ("冲突帖", "conflict thread"), "faction_split": ("派系分裂", "faction split"),
              "family_score": ("风险总分", "family score")}
METRIC_NAMES = {"contributors": ("活跃贡献者（周）", "active contributors per week"),
                "posts_per_thread": ("每个活跃主题的帖子数", "posts per active thread"),
                "novelty": ("新帖新颖度", "novelty of new posts"), "selling_point_share": ("核心卖点声量占比", "selling-point share of voice")}
LEVEL_NAMES = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
# What a community-wide alert is about (its `subject` when no member, post or group is behind it); a family score's
# alert names its family.
SUBJECT_NAMES = {"core": ("核心成员", "core members"), "selling_points": ("核心卖点", "selling points"),
                 "community": ("整个社群", "the whole community"), "first_posts": ("新人首帖", "newcomers' first posts"),
                 "new_posts": ("新帖", "new posts"), "tenure": ("新老成员", "newcomers and veterans")}
COLUMN_NAMES = {"family": ("风险", "family"), "name": ("名称", "name"), "score": ("分数", "score"), "level": ("级别", "level"),
                "summary": ("摘要", "summary"), "part": ("部分", "part"), "value": ("数值", "value"), "note": ("说明", "note"),
                "subject": ("对象", "subject"), "detail": ("证据", "evidence")}
# Evidence parts that explain other parts' scores (the care list explains drift and unresolved complaints: it lists the
# members turning negative and those whose complaints went unanswered; the recently inactive, burnout). A row ranks by
# the highest-scoring part it explains.
_EXPLAINS = {"care": ("drift", "unresolved"), "recently_inactive": ("burnout",)}

register_view(TableView("risk_scores", "risk_scores", {"zh": "风险雷达", "en": "Risk radar"}, key=("family",), filters=("family", "level"),
                        sortable=("score", "family"), order="score DESC", text_columns=("summary_zh", "summary_en")))
register_view(TableView("risk_alerts", "risk_alerts", {"zh": "风险提醒", "en": "Risk alerts"}, key=("alert_key",), date_column="first_seen",
                        filters=("family", "severity", "is_new", "member_id"), search=("subject", "message_zh", "message_en"),
                        sortable=("score", "first_seen"), order="severity = 'high' DESC, score DESC",
                        text_columns=("subject", "message_zh", "message_en")))
register_view(TableView("risk_evidence", "risk_evidence", {"zh": "风险证据", "en": "Risk evidence"}, key=("family", "part", "subject", "member_id", "content_id", "rank"),
                        filters=("family", "part", "member_id"), search=("subject",), sortable=("value", "rank"),
                        order="family, part, coalesce(rank, 1e9), value DESC NULLS LAST",
                        text_columns=("subject", "detail_zh", "detail_en")))
register_code_labels({**FAMILY_NAMES, **PART_NAMES, **LEVEL_NAMES, **SUBJECT_NAMES})  # tenure keeps its shared name
register_column_labels(COLUMN_NAMES)  # name and score keep their shared names; tables of the radar pass COLUMN_NAMES
register_sheet(Sheet("风险", "risk_scores", "score DESC", ("summary_zh", "summary_en"), labels=("level", "top_part")))
register_sheet(Sheet("风险提醒", "risk_alerts", "severity = 'high' DESC, score DESC", ("subject", "message_zh", "message_en"),
                     labels=("family", "part", "severity")))
register_sheet(Sheet("关怀名单", "risk_evidence", "coalesce(rank, 1e9), value DESC NULLS LAST",
                     ("subject", "detail_zh", "detail_en"), where="part = 'care'", name="care_list"))


def display_name(names: dict[str, tuple[str, str]], code: str, en: bool) -> str:
    """A code's operator name from one of the tables above (the code itself when it has none)."""
    return names.get(code, (code, code))[1 if en else 0]


def alert_subject(alert: dict[str, Any], en: bool) -> Any:
    """An alert's subject as operators read it: a community-wide alert's code (``core``, ``selling_points``, a family)
    by its name; the id of a member, post, thread or group (or a masked name) as it is.

    >>> alert_subject({"subject": "selling_points"}, False), alert_subject({"subject": "core"}, True)
    ('核心卖点', 'core members')
    >>> alert_subject({"subject": "core", "member_id": "core"}, False)
    'core'
    """
    subject = alert.get("subject")
    if alert.get("member_id") or alert.get("content_id") or subject not in _SUBJECTS:
        return subject
    return _SUBJECTS[subject][1 if en else 0]


_SUBJECTS = {**FAMILY_NAMES, **SUBJECT_NAMES}


def risk_trend(store) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """``{family: {metric: [(period, value), ...]}}`` from ``risk_series`` (weekly measures), oldest first."""
    if not store.table_exists("risk_series"):
        return {}
    out: dict[str, dict[str, list[tuple[str, float]]]] = {}
    for fam, metric, period, value in store.fetch_all("SELECT family, metric, period, value FROM risk_series ORDER BY family, metric, period"):
        out.setdefault(fam, {}).setdefault(metric, []).append((str(period)[:10], float(value)))
    return out


def top_evidence(store, family: str, n: int) -> list[dict[str, Any]]:
    """A family's top ``n`` evidence rows (every column): its highest-scoring parts first, then rank and value, so
    rows of a part with large raw values (hours waited, group sizes) do not crowd out the part that drives the score."""
    explains = " ".join(f"WHEN '{k}' THEN {list(v)!r}" for k, v in _EXPLAINS.items())
    return store.fetch_dicts(f"""
        SELECT e.* FROM risk_evidence e
        WHERE e.family = $f
        ORDER BY coalesce((SELECT max(p.score) FROM risk_parts p WHERE p.family = e.family
                             AND list_contains(CASE e.part {explains} ELSE [e.part] END, p.part)), 0) DESC,
                 coalesce(e.rank, 1e9), e.value DESC NULLS LAST, e.subject LIMIT $n""",
                             {"f": family, "n": int(n)})


def radar_view(store, *, lang: str = "zh", evidence: int = 5, config=None) -> dict[str, Any]:
    """The radar of ``reef risks``: :func:`reef.risks.api.risk_radar` with each family's top ``evidence`` rows taken
    from its highest-scoring parts first, display names, each part's ``value_text`` and ``baseline_text`` (the raw
    measures with their units, :func:`reef.risks.wording.part_value`), and ``warning`` (:func:`coverage_warning`) or None."""
    en = lang == "en"
    radar = risk_radar(store, lang=lang, evidence=evidence)
    radar["warning"] = coverage_warning(store, radar["as_of"], config or store.config, lang)
    radar["reading_note"] = reading_note(store, lang)  # mostly non-Chinese text: its zeros do not mean none
    if not store.table_exists("risk_evidence"):
        return radar
    for f in radar["families"]:
        f["level_name"] = LEVEL_NAMES.get(f["level"], (f["level"], f["level"]))[en]
        for p in f["parts"]:
            p["part_name"] = PART_NAMES.get(p["part"], (p["part"], p["part"]))[en]
            # the raw measures in their units (41.8%, 2.9 小时, 3 人), not bare 0.418
            p["value_text"], p["baseline_text"] = part_value(p["part"], p["value"], lang), part_baseline(p["part"], p["baseline"], lang)
        f["evidence"] = [{"part": e["part"], "subject": e["subject"], "member_id": e["member_id"], "content_id": e["content_id"],
                          "value": e["value"], "detail": e["detail_en" if en else "detail_zh"],
                          "part_name": PART_NAMES.get(e["part"], (e["part"], e["part"]))[en]}
                         for e in top_evidence(store, f["family"], evidence)]
    return radar


def risk_page(store, *, lang: str = "zh", page: int = 1, per_page: int = 30, masked: bool = True,
              evidence: int = 5, webhook: bool = False) -> dict[str, Any]:
    """风险雷达: scores with parts and evidence, the trend, a page of alerts and the care list; with ``webhook`` (an
    operator's page) also the group robot and its delivery log (:func:`reef.risks.deliveries.webhook_status`); ``failure`` says when the radar's last run failed
    (the results shown are then an earlier run's), else None; ``back_dated`` when they come from a back-dated run
    (:func:`reef.risks.freshness.radar_back_dated`), else None."""
    en = lang == "en"
    out: dict[str, Any] = {"available": store.table_exists("risk_scores"), "families": [], "trend": {}, "as_of": None,
                           "alerts": {"items": [], "page": page, "per_page": per_page, "total": 0, "pages": 1}, "care": []}
    out["failure"] = radar_failure(store, lang)  # the last run failed: what is shown below is older
    out["back_dated"] = radar_back_dated(store, lang)  # a back-dated run (reef risks --as-of) replaced the current one
    if webhook:  # shown even before the radar ran: earlier sends and failures stay readable
        from reef.risks.deliveries import webhook_status
        out["webhook"] = webhook_status(store, lang=lang, masked=masked)
    if not out["available"]:
        return out
    radar = radar_view(store, lang=lang, evidence=evidence)
    out["warning"], out["reading_note"] = radar["warning"], radar["reading_note"]
    out["as_of"] = radar["as_of"].isoformat() if hasattr(radar["as_of"], "isoformat") else radar["as_of"]
    for fam in radar["families"]:
        fam["evidence"] = mask_rows(fam["evidence"], ("subject", "detail")) if masked else fam["evidence"]
    out["families"] = radar["families"]
    out["trend"] = {display_name(FAMILY_NAMES, fam, en): {display_name(METRIC_NAMES, m, en): points for m, points in metrics.items()}
                    for fam, metrics in risk_trend(store).items()}
    if store.table_exists("risk_alerts"):
        message = "message_en" if en else "message_zh"
        out["alerts"] = page_query(store, f"""SELECT family, part, severity, round(score, 1) AS score, subject, member_id,
                                                     content_id, {message} AS message, first_seen, is_new FROM risk_alerts""",
                                   order="severity = 'high' DESC, score DESC, family, subject", page=page, per_page=per_page,
                                   masked=masked, text_columns=("subject", "message"))
        from reef.actions.views import member_names

        names = member_names(store, (a["member_id"] for a in out["alerts"]["items"]))
        for a in out["alerts"]["items"]:
            a["subject"] = alert_subject(a, en)
            a["family_name"] = display_name(FAMILY_NAMES, a["family"], en)
            a["member_name"] = names.get(str(a["member_id"])) if a["member_id"] else None  # who, beside the id
        if masked:
            out["alerts"]["items"] = mask_rows(out["alerts"]["items"], ("member_name",))
    if store.table_exists("risk_evidence"):
        care = store.fetch_dicts(f"""SELECT subject, member_id, value, {'detail_en' if en else 'detail_zh'} AS detail
                                     FROM risk_evidence WHERE part = 'care' ORDER BY coalesce(rank, 1e9), value DESC NULLS LAST LIMIT 50""")
        out["care"] = mask_rows(care, ("subject", "detail")) if masked else care
    return out


def radar_panel(store, *, lang: str = "zh", masked: bool = True) -> dict[str, Any] | None:
    """今日 panel: the four risk scores with the main reason for each (no member text: nothing to mask), after the
    failure of the radar's last run when it failed (:func:`reef.risks.freshness.radar_failure`) and the back-dated
    banner when the scores come from a back-dated run (:func:`reef.risks.freshness.radar_back_dated`)."""
    if not store.table_exists("risk_scores"):
        return None
    zh = lang != "en"
    rows = store.fetch_dicts("SELECT name_zh, name_en, score, level, summary_zh, summary_en FROM risk_scores ORDER BY score DESC")
    if not rows:
        return None
    failure, back = radar_failure(store, lang), radar_back_dated(store, lang)
    return {"title": "风险雷达" if zh else "Risk radar",
            "lines": ([failure["text"]] if failure else []) + ([back["text"]] if back else []) + [f"{r['name_zh']} {r['score']:.0f}（{r['summary_zh']}）" if zh else f"{r['name_en']} {r['score']:.0f} ({r['summary_en']})"
                      for r in rows]}


register_panel("risk_radar", radar_panel)


def _register_page() -> None:
    try:
        from reef.server.pages import Page, lang_of, page_number, page_size, register_page
    except ImportError:  # no server extra: the views and sheets still work through the library
        return
    from reef.actions.access import allowed

    def load(store, request, who):
        from reef.server.outputs import send_jobs

        operator = allowed(who.role, "operator")  # 发送到群 and the delivery log are for operators (docs/surfaces.md)
        lang = lang_of(request)
        data = risk_page(store, lang=lang, page=page_number(request), per_page=page_size(request), masked=who.masked,
                         webhook=operator)
        return {"data": data, "send_jobs": send_jobs(request.app.state, lang, admin=who.role == "admin") if operator else []}

    register_page(Page("risks", "/risks", "nav.risks", "risks.html", load, order=70))


_register_page()
