"""Operator surfaces of the knowledge reef: API views, export sheets and the 知识礁 and 危机室 pages.

``kb_page`` and ``crisis_page`` are the ONE library call behind each page; they read the
precomputed tables (``kb_questions``, ``kb_clusters``, ``kb_gaps``, ``crisis_daily``) one page at a
time, plus the newcomer search (:func:`reef.kb.search.ask`, an index cached per store). Names and
free text are masked for viewers. Pages are registered only when the server extra is installed.

Example:
    >>> from reef.actions.views import VIEWS
    >>> "kb_gaps" in VIEWS and "crisis_daily" in VIEWS
    True
    >>> from reef.store import open_store
    >>> kb_page(open_store(":memory:"))["available"]
    False
"""
from __future__ import annotations

from typing import Any

from reef.actions.privacy import mask_rows
from reef.actions.views import TableView, page_query, register_view
from reef.export.tables import Sheet, register_sheet
from reef.i18n import register_code_labels
from reef.kb.crisis import ALL
from reef.kb.params import DAILY, STAGES
from reef.params import page_of
from reef.store.coverage import analysis_as_of, coverage_warning, results_warning

__all__ = ["kb_page", "crisis_page", "GAP_KINDS", "ESSENCE_KINDS", "STAGE_NAMES"]

# kb_gaps.kind (docs/kb.md, Gaps): the kb_gaps view's kind filter takes these and refuses any other.
GAP_KINDS = ("unanswered", "poorly_answered", "outdated", "stale")
# kb_essence.kind: the kinds of post the essence scores (reef.kb.essence).
ESSENCE_KINDS = ("thread", "guide", "answer", "photo", "video")

register_view(TableView("kb_questions", "kb_questions", {"zh": "问答", "en": "Questions and best answers"}, key=("question_id",),
                        date_column="created_at", filters=("stage", "car_model", "answered", "best_accepted"),
                        search=("question_id", "title", "text_simplified"), fold_query=True,
                        sortable=("created_at", "best_score", "answers"),
                        order="created_at DESC, question_id", text_columns=("title", "body", "text_simplified")))
register_view(TableView("kb_repeated", "kb_clusters", {"zh": "重复问题", "en": "Repeated questions"}, key=("cluster_id",),
                        date_column="last_asked", filters=("stage",), search=("canonical_title",),
                        sortable=("times_asked", "askers", "last_asked"), order="times_asked DESC, cluster_id",
                        text_columns=("canonical_title",)))
register_view(TableView("kb_gaps", "kb_gaps", {"zh": "知识缺口", "en": "Knowledge gaps"}, key=("rank",), date_column="last_at",
                        filters=("kind", "stage"), choices={"kind": GAP_KINDS}, search=("title",), sortable=("rank", "priority", "times_asked"),
                        order="rank", text_columns=("title", "title_en", "reason_zh", "reason_en")))
# Ownership stages by name (日常用车 is "daily use" in the English workbook), as the topic map's stage_en says them.
STAGE_NAMES = {zh: (zh, en) for zh, en, _ in STAGES} | {DAILY[0]: DAILY}
register_view(TableView("kb_topics", "kb_topics", {"zh": "知识地图", "en": "Topic map"}, key=("aspect", "car_model", "stage"),
                        filters=("aspect", "car_model", "stage", "stale"), label_columns=("aspect", "stage", "mark"),
                        codes={"stage": STAGE_NAMES},
                        sortable=("questions", "answered_share"),
                        order="questions DESC"))
register_view(TableView("kb_essence", "kb_essence", {"zh": "精华", "en": "Essence"}, key=("content_id",), date_column="created_at",
                        filters=("kind",), choices={"kind": ESSENCE_KINDS}, search=("content_id", "title"),
                        sortable=("score", "created_at", "late", "bookmarks", "cites"), order="score DESC, content_id",
                        text_columns=("title", "author_name", "explanation_zh", "explanation_en")))
register_view(TableView("crisis_daily", "crisis_daily", {"zh": "危机时间线", "en": "Crisis timeline"}, key=("day", "aspect"), date_column="day",
                        filters=("aspect", "alarm"), sortable=("day", "observed", "ratio", "buffer_ratio"),
                        order="day DESC, aspect"))
# Gap labels (kb_gaps.label): "unanswered" (无人回答) and "outdated" are in reef.i18n's catalogue.
register_code_labels({"stale": ("回答陈旧", "stale answers"), "poorly_answered": ("回答质量偏低", "poorly answered"),
                      "mostly_unanswered": ("多数未回答", "mostly unanswered"),
                      "replied_unanswered": ("有回复，尚无公认答案", "replied to, no recognised answer"),
                      "topic_unanswered": ("话题无人回答", "no answers on this topic")})


def _gaps_source(store) -> str:
    """kb_gaps as the sheet shows it: a topic with no answer at all is of kind unanswered, as its label and reason say
    (a table written before kb_gaps 7 stored kind stale for it)."""
    from reef.kb.gaps import gap_label_sql

    return (f"SELECT * REPLACE (CASE WHEN ({gap_label_sql(store)}) = 'topic_unanswered' THEN 'unanswered' ELSE kind END AS kind) "
            "FROM kb_gaps")


register_sheet(Sheet("知识缺口", "kb_gaps", "rank", ("title", "title_en", "reason_zh", "reason_en"), labels=("kind", "label"),
                     source=_gaps_source, codes={"stage": STAGE_NAMES}))
register_sheet(Sheet("重复问题", "kb_clusters", "times_asked DESC, cluster_id", ("canonical_title",), codes={"stage": STAGE_NAMES}))
register_sheet(Sheet("危机时间线", "crisis_daily", "day, aspect"))


def _has(store, *tables: str) -> bool:
    return all(store.table_exists(t) for t in tables)


def _empty(page: int, per_page: int) -> dict[str, Any]:
    return {"items": [], "page": page, "per_page": per_page, "total": 0, "pages": 1, "available": False}


def kb_page(store, *, q: str | None = None, page: int = 1, repeated_page: int = 1, gaps_page: int = 1,
            essence_page: int = 1, topics_page: int = 1, per_page: int = 20, masked: bool = True, lang: str = "zh",
            search_top: int | None = None) -> dict[str, Any]:
    """知识礁: search results for ``q``, then one page each of best answers, repeated questions, gaps, essence posts
    and the topic map, and ``warning`` when the kb analyses last ran at an as_of outside the data
    (:func:`reef.store.coverage.results_warning`). Each list says what it counts: ``questions_total`` (every question,
    answered or not: the API's ``kb_questions`` and ``reef kb qa``) beside the answered ones the page lists, and
    ``clusters_total`` (every cluster, asked once too: the API's ``kb_repeated``) beside those asked twice or more.

    Each question's answer is the one the best-answer model ranks first; ``weak`` marks one that is not a good answer
    (not accepted and scoring below ``kb.poor_answer_score``, ``poor_score``: the bar the gaps use), so the page does
    not call it a best answer. Gaps carry ``label`` (what to call the row, see :mod:`reef.kb.gaps`) and, in English,
    the English title of a generated topic row."""
    q = (q or "").strip()  # a blank query is no search (the page as without q), not a search that found nothing
    out: dict[str, Any] = {"available": _has(store, "kb_questions", "kb_clusters"), "q": q, "results": [],
                           "best": _empty(page, per_page), "repeated": _empty(repeated_page, per_page),
                           "gaps": _empty(gaps_page, per_page), "essence": _empty(essence_page, per_page),
                           "topics": _empty(topics_page, per_page), "questions_total": 0, "clusters_total": 0,
                           "warning": results_warning(store, ("kb_qa", "kb_gaps"), lang, subject="kb")}
    if not out["available"]:
        return out
    if q:
        from reef.kb.search import ask

        search_top = search_top or int(store.config.get("kb.search_top"))
        out["results"] = mask_rows(ask(store, q, top=search_top), ("question", "answer", "answerer")) \
            if masked else ask(store, q, top=search_top)
    text = ("question", "answer", "best_answerer")
    from reef.kb.params import KbParams

    poor = float(KbParams.from_config(store.config).poor_answer_score)
    out["best"] = page_query(store, """
        SELECT q.question_id, coalesce(nullif(q.title, ''), left(q.body, 60)) AS question, q.created_at, q.answers,
               q.best_answerer_id, m.name AS best_answerer, round(q.best_score, 2) AS best_score, q.best_accepted,
               NOT coalesce(q.best_accepted, false) AND coalesce(q.best_score < $poor, false) AS weak,
               left(a.body, 160) AS answer, q.stage
        FROM kb_questions q LEFT JOIN kb_answers a ON a.answer_id = q.best_answer_id
        LEFT JOIN members m ON m.member_id = q.best_answerer_id WHERE q.best_answer_id IS NOT NULL""",
        params={"poor": poor}, order="created_at DESC, question_id", page=page, per_page=per_page, masked=masked,
        text_columns=text)
    out["poor_score"], out["accept_score"] = poor, float(KbParams.from_config(store.config).w_accept)
    out["repeated"] = page_query(store, """
        SELECT k.cluster_id, k.canonical_title AS question, k.times_asked, k.askers, k.answered, k.accepted,
               k.best_answerer_id, m.name AS best_answerer, k.last_asked
        FROM kb_clusters k LEFT JOIN members m ON m.member_id = k.best_answerer_id WHERE k.times_asked >= 2""",
        order="times_asked DESC, cluster_id", page=repeated_page, per_page=per_page, masked=masked, text_columns=text)
    if _has(store, "kb_gaps"):
        from reef.kb.gaps import gap_label_sql

        reason, title = ("reason_en", "coalesce(title_en, title)") if lang == "en" else ("reason_zh", "title")
        out["gaps"] = page_query(store, f"""SELECT rank, kind, {gap_label_sql(store)} AS label, {title} AS title, times_asked,
                                                   round(answered_share, 2) AS answered_share,
                                                   round(priority, 1) AS priority, {reason} AS reason FROM kb_gaps""",
                                 order="rank", page=gaps_page, per_page=per_page, masked=masked, text_columns=("title",))
    if _has(store, "kb_topics"):
        from reef.kb.gaps import topic_mark_sql

        out["topics"] = page_query(store, f"""SELECT aspect, car_model, {"stage_en" if lang == "en" else "stage"} AS stage,
                                                     questions, round(answered_share, 2) AS answered_share,
                                                     round(accepted_share, 2) AS accepted_share, answer_age_days,
                                                     {topic_mark_sql(store)}
                                              FROM kb_topics""", order="questions DESC, aspect, car_model, stage",
                                   page=topics_page, per_page=per_page, masked=False)
    if _has(store, "kb_essence"):
        why = "explanation_en" if lang == "en" else "explanation_zh"
        out["essence"] = page_query(store, f"""SELECT content_id, kind, title, author_id, author_name, created_at,
                                                      round(score, 2) AS score, {why} AS explanation FROM kb_essence""",
                                    order="score DESC, content_id", page=essence_page, per_page=per_page, masked=masked,
                                    text_columns=("title", "author_name"))
    out["questions_total"] = int(store.fetch_value("SELECT count(*) FROM kb_questions"))
    out["clusters_total"] = int(store.fetch_value("SELECT count(*) FROM kb_clusters"))
    return out


def crisis_page(store, *, aspect: str | None = None, days: int = 30, page: int = 1, per_page: int = 30,
                masked: bool = True, surface: int = 5, lang: str = "zh", as_of: Any = None) -> dict[str, Any]:
    """危机室: :func:`reef.kb.room.crisis_report` as of the latest ``kb_crisis`` run, the one ``crisis_daily`` holds (the
    same figures and window as ``reef crisis``: every aspect's test on the trailing window, the aspect opened by the
    one rule, the wave's posts to answer, growth, official facts, posts to pin, buffer), plus ``days`` of its timeline,
    one page of it as a table; the last day is marked partial (``until``) when the run fell inside it.

    ``as_of`` (the report's, or ``/crisis?as_of=``) must be that run's moment: the timeline was computed there, so any
    other moment is refused (:class:`reef.errors.InvalidParameterError` naming the moment held), never mixed in."""
    out: dict[str, Any] = {"available": _has(store, "crisis_daily"), "aspects": [], "aspect": None, "latest": None,
                           "series": [], "timeline": _empty(page, per_page), "surface": [], "days": days, "warning": None}
    held = analysis_as_of(store, "kb_crisis")  # the latest run (what crisis_daily holds), not the largest as_of ever run
    if as_of is not None:
        _check_as_of(store, as_of, held)
    if not out["available"] or held is None:
        return out  # an empty crisis_daily (the baseline's first days) still gets the room, which says why
    as_of = held
    from reef.kb.room import crisis_report

    # the CLI's rule: an aspect named in either language; one that is no aspect is refused (422), never replaced
    # in silence by the aspect the room would open on (/crisis?aspect=刹车 showed 智能与车机)
    from reef.i18n import aspect_code
    from reef.kb.crisis import ALL
    from reef.kb.views import check_aspect

    aspect = aspect_code(aspect) or None
    check_aspect(aspect, extra=(ALL,))
    report = crisis_report(store, as_of, store.config, aspect=aspect, days=days, surface=surface, masked=masked)
    out.update({k: v for k, v in report.items() if k != "timeline"})
    out["series"] = report["timeline"]
    out["latest"] = out["series"][-1] if out["series"] else None
    out["timeline"] = {**page_of(list(reversed(report["timeline"])), page, per_page), "available": True}
    out["warning"] = coverage_warning(store, as_of, store.config, lang, "kb")  # quiet days past the data are not calm
    return out


def _check_as_of(store, as_of: Any, held) -> None:
    """Refuse an ``as_of`` other than ``held``, the moment of the breakwater's latest run (None: it never ran)."""
    from reef.analyses.runner import resolve_as_of
    from reef.errors import InvalidParameterError
    from reef.store.asof import local_iso

    wanted = resolve_as_of(store, as_of)
    if held is not None and wanted == held:
        return
    zone = store.config.get("general.timezone")
    shown = local_iso(held, zone) if held is not None else None
    moment = local_iso(wanted, zone)[:16].replace("T", " ")  # the moment asked for, written as the CLI takes it
    from reef.errors import with_api_hint

    exc = InvalidParameterError(
        "as_of", as_of, f"the moment the crisis room holds ({shown})" if shown else "no as_of: the breakwater has not run",
        hint=f"The room shows the breakwater's latest run. Run `reef crisis --as-of \"{moment}\"` (or the analyze job with "
             "that as_of) to move it, then open the page again.")
    # the dashboard has no command line and its analyze button no as_of: the page says to open the room without one
    raise with_api_hint(exc, f'The room shows the breakwater\'s latest run. Run POST /api/v1/jobs/analyze with '
                             f'{{"as_of": "{moment}", "only": ["kb_crisis"]}} to move it, then open the page again.',
                        page="The room shows the breakwater's latest run: open it without as_of to see that run.",
                        page_zh="危机室只显示最近一次分析的结果：请去掉 as_of 打开危机室查看。")


def _register_pages() -> None:
    try:
        from reef.server.pages import Page, lang_of, page_number, page_size, register_page
    except ImportError:  # no server extra: the views and sheets still work through the library
        return

    from reef.web.messages import WEB_MESSAGES

    WEB_MESSAGES.update({
        "kb.best_scope": ("只列已有回答的问题（{n} 个）；全部问题共 {total} 个，含尚未回答的（API kb_questions、reef kb qa 列出全部）。",
                          "Only questions with an answer ({n}); all questions: {total}, unanswered ones included (the API's "
                          "kb_questions and reef kb qa list them all)."),
        "kb.repeated_scope": ("只列被问过 2 次及以上的问题（{n} 组）；API kb_repeated 另含只被问过一次的，共 {total} 组。",
                              "Only questions asked twice or more ({n}); the API's kb_repeated also holds those asked once: "
                              "{total} in all."),
        "kb.essence": ("精华帖", "Essence"),
        "kb.essence_note": ("发布很久之后仍被互动、收藏和引用的帖子，按持久价值排；只收本身带有知识的帖子（回答、攻略、经验、具体说法），"
                            "不收光秃秃的提问和无内容的作业照片；官方、品牌和机器人账号的帖子不计。",
                            "Posts still used, bookmarked and cited long after they were written, by lasting value; only posts "
                            "that carry knowledge themselves (answers, guides, experience, concrete claims), not bare questions "
                            "or homework photos with no content; staff, brand and bot accounts' posts are left out."),
        "kb.why": ("为什么", "Why"), "kb.author": ("作者", "Author"),
        "kb.topics": ("知识地图：方面 × 车型 × 用车阶段", "Topic map: aspect × car model × ownership stage"),
        "kb.aspect": ("方面", "Aspect"), "kb.car_model": ("车型", "Car model"), "kb.questions": ("问题数", "Questions"),
        "kb.accepted_share": ("采纳率", "Accepted share"), "kb.answer_age": ("最新回答距今（天）", "Newest answer (days ago)"),
        "kb.mark": ("回答情况", "Answers"),
        "kb.top_answers": ("问答：每个问题得分最高的回答", "Questions and their top-scored answer"),
        "kb.top_answer": ("得分最高的回答", "Top-scored answer"),
        "kb.weak": ("（质量偏低：只是目前得分最高，还算不上好回答）", "(weak: only the top score so far, not a good answer)"),
        "kb.accepted_mark": ("提问者已采纳", "accepted by the asker"),
        "kb.score_note": ("得分：最佳回答模型给回答打的分（对数几率，0 分约为“提问者会不会采纳”五五开，越高越像好回答），"
                          "依据点赞、致谢、回答先后、长度、具体证据和回答者在该话题的经验；提问者采纳的回答另加 {accept} 分（✓）。"
                          "未被采纳且低于 {poor} 分的回答标为“质量偏低”；这样的问题若被反复提问，会列入下方的知识缺口。",
                          "Score: the best-answer model's score (log-odds: 0 is even odds that the asker would accept it, "
                          "higher looks more like a good answer), from votes, thanks, arrival, length, concrete evidence and "
                          "the answerer's record on the topic; an answer the asker accepted gets {accept} more (✓). One not "
                          "accepted and scoring below {poor} is marked weak; such a question, if asked repeatedly, is listed under "
                          "the gaps below."),
    })

    def load_kb(store, request, who):
        return {"data": kb_page(store, q=request.query_params.get("q"), page=page_number(request),
                                repeated_page=page_number(request, "rpage"), gaps_page=page_number(request, "gpage"),
                                essence_page=page_number(request, "epage"), topics_page=page_number(request, "tpage"),
                                per_page=page_size(request), masked=who.masked, lang=lang_of(request))}

    def load_crisis(store, request, who):
        from reef.kb.room import untested_words

        data = crisis_page(store, aspect=request.query_params.get("aspect"), page=page_number(request),
                           per_page=page_size(request), masked=who.masked, lang=lang_of(request),
                           as_of=request.query_params.get("as_of"))
        return {"data": data, "untested": untested_words(data.get("untested"), lang_of(request))}

    register_page(Page("kb", "/kb", "nav.kb", "kb.html", load_kb, order=60))
    register_page(Page("crisis", "/crisis", "nav.crisis", "crisis.html", load_crisis, order=75))


_register_pages()
