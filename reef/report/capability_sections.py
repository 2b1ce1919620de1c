"""Report sections of the analyses whose capability writes none of its own: 今日概览, 互动网络, 问答与重复问题,
风险雷达, 精华内容, 知识地图与缺口 and 舆情防波堤; the search model (``kb_search``) is internal and left out.

Each section is a few lines for the operator and a short ranked table, read through the library function the
dashboard page or the CLI uses for the same data (``recognise_today``, ``repeated_list``, ``essence_list``,
``gaps_list``, ``topics_list``, ``crisis_page``, ``risk_page``), never re-queried another way. A capability that
registers its own section with ``@report_section`` replaces the one here. Their labels and cell formatting are
in :mod:`reef.report.capability_text`.

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> build_section("kb_gaps", open_store(":memory:"), datetime(2026, 1, 1, tzinfo=timezone.utc), "en").paragraphs
    ["No results yet: start the analyses on the dashboard's Imports page."]
    >>> build_section("kb_search", open_store(":memory:"), None, "en") is None
    True
"""
from __future__ import annotations

from typing import Callable

from reef.i18n import code_label, counted
from reef.report.capability_text import _L, _TIE_KINDS, _counts, _day, _labels, _share, _subject, _title, _with_names
from reef.report.empty import empty_text
from reef.report.model import Section, Table

__all__ = ["SECTIONS", "LEFT_OUT", "build_section"]

_TOP = 10


def _none(store, as_of, lang: str, key: str) -> str:
    """An empty section's line: no data before the report's date, or what the analysis found (label ``key``)."""
    return empty_text(store, as_of, lang, (_L["zh"][key], _L["en"][key]))


def _kinds_as_of(store, as_of) -> dict[str, dict[str, int]]:
    """Content and interactions by kind as of the report's date (all time when ``as_of`` is None), most first."""
    from reef.analyses.overview_readers import status_summary

    from reef.report.status import counts_by_kind

    if as_of is None:
        status = status_summary(store)
        return {"kinds_content": status["content_by_kind"], "kinds_interactions": status["interactions_by_kind"]}
    return {"kinds_content": counts_by_kind(store, "content", as_of), "kinds_interactions": counts_by_kind(store, "interactions", as_of)}


def overview_section(store, as_of, lang: str) -> Section:
    """今日概览: content and interactions by kind, and who to recognise today (the 今日 page's list)."""
    from reef.analyses.overview_readers import recognise_today

    L = _labels(lang)
    section = Section(_title("store_overview", lang), key="store_overview")
    for key, counts in _kinds_as_of(store, as_of).items():  # as of the report's date, like every other figure in it
        if counts:
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            section.paragraphs.append(L[key].format(kinds=_counts(ranked, lang), n=sum(counts.values())))
    days = int(store.config.get("server.recognise_days"))
    rows = recognise_today(store, top=int(store.config.get("server.recognise_top"))) or []
    if rows:
        section.tables.append(Table(
            [L["rank"], L["member"], L["content"], L["received"], L["given"], L["last_active"]],
            [[i, r["name"] or r["member_id"], r["content_total"], r["interactions_received"], r["interactions_given"],
              _day(r["last_activity_at"], store)] for i, r in enumerate(rows, 1)],
            counted(L["recognise"], days=days)))
    else:
        section.paragraphs.append(_none(store, as_of, lang, "recognise_none"))
    return section


def graph_section(store, as_of, lang: str) -> Section:
    """互动网络: one sentence on how many members the graph links and by which ties; the ranked views of the graph
    are the connectors', circles' and council's own sections."""
    L = _labels(lang)
    section = Section(_title("network_graph", lang), key="network_graph")
    kinds = store.fetch_all("SELECT kind, count(*) FROM network_edges GROUP BY 1 ORDER BY 2 DESC, 1")
    if not kinds:
        section.paragraphs.append(_none(store, as_of, lang, "graph_none"))
        return section
    members = int(store.fetch_value("SELECT count(*) FROM network_members"))
    section.paragraphs.append(counted(L["graph"], members=members, ties=sum(n for _, n in kinds),
                                                kinds=_counts(kinds, lang, _TIE_KINDS)))
    return section


def qa_section(store, as_of, lang: str) -> Section:
    """问答与重复问题: how many questions got an answer, and the questions asked most often (``reef repeated``)."""
    from reef.kb.views import repeated_list

    L = _labels(lang)
    section = Section(_title("kb_qa", lang), key="kb_qa")
    # replies: any reply by another member, what the help ledger credits; answered: a reply read as an answer
    has_replies = store.fetch_value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'kb_questions' "
                                    "AND column_name = 'replies'")
    q, a, acc, rp = store.fetch_all("SELECT count(*), count(*) FILTER (WHERE answered), count(*) FILTER (WHERE best_accepted), "
                                    f"count(*) FILTER (WHERE {'replies > 0' if has_replies else 'answered'}) FROM kb_questions")[0]
    if not q:
        section.paragraphs.append(_none(store, as_of, lang, "qa_none"))
        return section
    rows = repeated_list(store, top=_TOP)
    repeated = int(store.fetch_value("SELECT count(*) FROM kb_clusters WHERE times_asked >= 2"))
    section.paragraphs.append(counted(L["qa"], q=q, rp=rp, a=a, share=_share(a, q), acc=acc, r=repeated))
    if rows:
        section.tables.append(Table(
            [L["question"], L["times_asked"], L["askers"], L["answered"], L["accepted"], L["best_answerer"], L["last_asked"]],
            [[r["question"], r["times_asked"], r["askers"], r["answered"], r["accepted"],
              r["best_answerer"] or r["best_answerer_id"] or "", _day(r["last_asked"], store)] for r in rows],
            L["repeated"]))
    return section


def essence_section(store, as_of, lang: str) -> Section:
    """精华内容: the posts of lasting value, best first, with why (``reef essence``)."""
    from reef.kb.views import essence_list

    L = _labels(lang)
    section = Section(_title("kb_essence", lang), key="kb_essence")
    rows = essence_list(store, top=_TOP, lang=lang)
    if not rows:
        section.paragraphs.append(_none(store, as_of, lang, "essence_none"))
        return section
    section.paragraphs.append(counted(L["essence"], n=int(store.fetch_value("SELECT count(*) FROM kb_essence")), top=len(rows)))
    section.tables.append(Table(
        [L["title"], L["author"], L["kind"], L["posted"], L["score"], L["why"]],
        [[r["title"] or r["content_id"], r["author_name"] or r["author_id"] or "", code_label(r["kind"], lang),
          _day(r["created_at"], store), r["score"], r["explanation"]] for r in rows]))
    return section


def gaps_section(store, as_of, lang: str) -> Section:
    """知识地图与缺口: the gaps to fill by priority (``reef gaps``) and the most asked topics (``reef topics``)."""
    from reef.kb.views import gaps_list, topics_list

    L = _labels(lang)
    section = Section(_title("kb_gaps", lang), key="kb_gaps")
    gaps = gaps_list(store, top=_TOP, lang=lang) if store.table_exists("kb_gaps") else []
    if gaps:
        from reef.kb.gaps import gap_label_sql

        # Rows counted and named by their label (what the figures say: 多数未回答, not 无人回答, at 47 % answered).
        kinds = store.fetch_all(f"SELECT {gap_label_sql(store)} AS label, count(*) FROM kb_gaps GROUP BY 1 ORDER BY 2 DESC, 1")
        section.paragraphs.append(counted(L["gaps"], n=sum(n for _, n in kinds), kinds=_counts(kinds, lang)))
        section.tables.append(Table(
            [L["rank"], L["kind"], L["question"], L["times_asked"], L["answered_share"], L["reason"]],
            [[r["rank"], code_label(r["label"], lang), r["title"], r["times_asked"], _share(r["answered_share"] or 0, 1),
              r["reason"]] for r in gaps]))
    else:
        section.paragraphs.append(_none(store, as_of, lang, "gaps_none"))
    if store.table_exists("kb_topics"):
        from reef.kb.gaps import topic_mark_sql

        # a topic with no answer at all is unanswered (话题无人回答, as the gaps say), not one with stale answers
        t, s, u = store.fetch_all(f"""SELECT count(*), count(*) FILTER (WHERE mark = 'stale'),
                                             count(*) FILTER (WHERE mark = 'topic_unanswered')
                                      FROM (SELECT {topic_mark_sql(store)} FROM kb_topics)""")[0]
        if t:
            topics = topics_list(store, top=8, lang=lang)
            section.tables.append(Table(
                [L["aspect"], L["car_model"], L["stage"], L["questions"], L["answered_share"], L["mark"]],
                [[code_label(r["aspect"], lang), r["car_model"], r["stage"], r["questions"], _share(r["answered_share"] or 0, 1),
                  code_label(r["mark"], lang) if r["mark"] else "—"] for r in topics],
                counted(L["topics"], t=t, s=s, u=u, top=len(topics))))
    return section


def crisis_section(store, as_of, lang: str) -> Section:
    """舆情防波堤: which aspects raised a negative-wave alarm lately, every aspect's latest day and buffer, and the
    factual posts to surface for the aspect under pressure (the 危机室 page's reader)."""
    from reef.kb.surfaces import crisis_page

    L = _labels(lang)
    days = 30
    section = Section(_title("kb_crisis", lang), key="kb_crisis")
    # at the report's as_of (the run it just made); another moment is refused, not silently replaced by the latest run's
    page = crisis_page(store, days=days, per_page=1, masked=True, surface=3, lang=lang, as_of=as_of)
    if not page["aspects"]:
        section.paragraphs.append(_none(store, as_of, lang, "crisis_none"))
        return section
    if page.get("warning"):
        section.paragraphs.append(page["warning"])
    alarmed = [a for a in page["aspects"] if a["alarm"]]
    section.paragraphs.append(counted(L["crisis_window"], hours=page["window_hours"], start=page["window"]["start"], end=page["window"]["end"]))
    if alarmed:
        items = [counted(L["crisis_alarm_item"], aspect=code_label(a["aspect"], lang), first=a["first_alarm_at"], n=a["observed"],
                                               ratio=a["ratio"]) for a in alarmed[:5]]
        section.paragraphs.append(counted(L["crisis_alarms"], k=len(alarmed), list=("; " if lang == "en" else "；").join(items)))
        wave = page["wave"]
        section.paragraphs.append(counted(L["crisis_wave"], aspect=code_label(page["aspect"], lang), n=wave["total"], authors=wave["authors"],
                                                          unanswered=wave["unanswered"], core=wave["core_authors"]))
    else:
        section.paragraphs.append(L["crisis_calm"])
    section.tables.append(Table(
        [L["aspect"], L["last_alarm"], L["observed"], L["baseline"], L["ratio"]],
        [[code_label(a["aspect"], lang), a["last_alarm_at"] or "", a["observed"], a["baseline"], a["ratio"]]
         for a in page["aspects"][:_TOP]], L["crisis_table"]))
    target = next((a for a in alarmed if a["aspect"] == page["aspect"]), None)
    if target and page["surface"]:
        posts = [[p["title"], p["author"] or p["author_id"], p["reason_en" if lang == "en" else "reason_zh"]] for p in page["surface"]]
        section.tables.append(Table([L["title"], L["author"], L["why"]], posts,
                                    L["surface"].format(aspect=code_label(target["aspect"], lang))))
    return section


def risks_section(store, as_of, lang: str) -> Section:
    """风险雷达: the four scores with their main reason, the most severe alerts and the care list (the 风险雷达 page's
    reader, personal data masked)."""
    from reef.risks.surfaces import risk_page

    L = _labels(lang)
    section = Section(_title("risks", lang), key="risks")
    page = risk_page(store, lang=lang, per_page=_TOP, masked=True, evidence=0)
    if page.get("failure"):  # the radar's last run failed: what follows is an earlier run's
        section.paragraphs.append(page["failure"]["text"])
    if not page["families"]:
        section.paragraphs.append(_none(store, as_of, lang, "risks_none"))
        return section
    if page.get("warning"):
        section.paragraphs.append(page["warning"])
    if page.get("reading_note"):  # mostly non-Chinese text: the zeros below do not mean none
        section.paragraphs.append(page["reading_note"])
    families = sorted(page["families"], key=lambda f: (-float(f["score"]), f["family"]))
    section.tables.append(Table([L["risk"], L["risk_score"], L["level"], L["summary"]],
                                [[f["name"], round(float(f["score"])), f.get("level_name") or code_label(f["level"], lang), f["summary"]]
                                 for f in families]))
    alerts, care = page["alerts"], page["care"][:_TOP]
    who = _with_names(store, [*alerts["items"], *care], lang)
    if alerts["items"]:
        high = int(store.fetch_value("SELECT count(*) FROM risk_alerts WHERE severity = 'high'"))
        section.tables.append(Table(
            [L["severity"], L["risk"], L["subject"], L["message"]],
            [[code_label(a["severity"], lang), f"{code_label(a['family'], lang)} · {code_label(a['part'], lang)}",
              _subject(a, who), a["message"]] for a in alerts["items"]],
            L["alerts"].format(n=alerts["total"], h=high, top=len(alerts["items"]))))
    else:
        section.paragraphs.append(L["alerts_none"])
    if care:
        section.tables.append(Table([L["member"], L["evidence"]],
                                    [[_subject(c, who), c["detail"]] for c in care],
                                    counted(L["care"], n=len(page["care"]), top=len(care))))
    return section


SECTIONS: dict[str, Callable[..., Section]] = {
    "store_overview": overview_section, "network_graph": graph_section, "kb_qa": qa_section, "kb_essence": essence_section,
    "kb_gaps": gaps_section, "kb_crisis": crisis_section, "risks": risks_section,
}
# Analyses whose tables serve other features only (the search model behind `reef ask` and the 知识礁 search box).
LEFT_OUT = frozenset({"kb_search"})


def build_section(name: str, store, as_of, lang: str) -> Section | None:
    """The section of analysis ``name`` from this module; None when it is left out of the report (or has none here)."""
    if name in LEFT_OUT or name not in SECTIONS:
        return None
    needs = {"kb_gaps": "kb_gaps", "kb_qa": "kb_questions", "kb_essence": "kb_essence", "kb_crisis": "crisis_daily",
             "network_graph": "network_edges", "risks": "risk_scores"}.get(name)
    if needs and not store.table_exists(needs):
        section = Section(_title(name, lang), key=name)
        section.paragraphs.append(_labels(lang)["none"])  # the analysis has truly not run
        return section
    return SECTIONS[name](store, as_of, lang)
