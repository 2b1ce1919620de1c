"""Compiled guides: the 新手百科 (newcomer's encyclopaedia) and, via :mod:`reef.kb.chronicle`, the
model-year / OTA chronicle, written as Markdown and self-contained HTML by :func:`write_guide`.

The 新手百科 follows a new owner's journey (购车 → 提车 → 日常用车 → 充电 → 冬季 → 长途 → 保养 → 改装, the
topic map's ownership stages); within a stage, repeated questions are grouped by aspect, most asked
first, each with its best answer (accepted, else the best-answer model's pick) and the member who
wrote it credited, marked 【可能已过时】 (English: "[May be outdated]") with the newer version named when the gaps list
calls the question outdated (no answer since a newer OTA version or model year arrived on its topic); then the essence posts, and a thank-you list of every member quoted. Every
question, answer and name passes through :func:`reef.actions.privacy.mask_text` (the text layer's
PII spans: phones, plates, WeChat ids ...).

Example:
    >>> from reef.store import open_store
    >>> newbie_guide(open_store(":memory:"), None, None).sections[0].title
    '还没有可编入的问答'
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reef.actions.privacy import mask_text
from reef.i18n import code_label, plural
from reef.errors import InvalidParameterError
from reef.kb.document import Document, Entry, Section, to_html, to_markdown
from reef.kb.params import DAILY, STAGES

__all__ = ["newbie_guide", "write_guide", "KINDS"]

KINDS = ("newbie", "chronicle")
_JOURNEY = [s[0] for s in STAGES[:2]] + [DAILY[0]] + [s[0] for s in STAGES[2:]]
_EN = dict([(s[0], s[1]) for s in STAGES] + [DAILY])


def _clip(text: str | None, n: int) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _outdated(store, as_of, config, zh: bool) -> dict:
    """cluster_id -> the mark of a question whose answers a newer OTA version or model year has overtaken, by the
    rule of the gaps list's ``outdated`` rows (:func:`reef.kb.gaps.outdated_table`)."""
    from reef.kb.gaps import outdated_table

    if as_of is None or not store.table_exists("kb_answers"):
        return {}
    rows = outdated_table(store, as_of, config).sort_values("kind", ascending=False, kind="stable")  # OTA first
    marks: dict = {}
    for key, kind, newer, at in zip(rows["key"], rows["kind"], rows["newer"], rows["newer_at"]):
        day = str(at)[:10]
        if zh:
            marks.setdefault(key, []).append(f"{'OTA ' + newer if kind == 'ota' else newer + '款'}（{day}起）")
        else:
            marks.setdefault(key, []).append(f"{'OTA ' + newer if kind == 'ota' else 'model year ' + newer} (since {day})")
    if zh:
        return {k: f"；⚠ 可能已过时：此后车主开始讨论{'、'.join(v)}，之后没有新回答" for k, v in marks.items()}
    return {k: f"; ⚠ may be outdated: owners have discussed {', '.join(v)} since, with no newer answer" for k, v in marks.items()}


def newbie_guide(store, as_of, config, *, lang: str = "zh", per_stage: int = 12, answer_chars: int = 400,
                 essence: int = 10) -> Document:
    """The 新手百科 as a :class:`reef.kb.document.Document` (needs ``kb_qa``; uses ``kb_essence`` if present)."""
    zh = lang != "en"
    when = (as_of.date().isoformat() if isinstance(as_of, datetime) else str(as_of or ""))
    doc = Document("车主新手百科" if zh else "Newcomer's guide", "", [], "zh" if zh else "en")
    if not store.table_exists("kb_clusters"):
        doc.sections.append(Section("还没有可编入的问答" if zh else "Nothing to compile yet",
                                    "请先运行 reef analyze（kb_qa）。" if zh else "Run reef analyze (kb_qa) first."))
        return doc
    # A repeated question's aspect: the one its askers name most often.
    rows = store.fetch_dicts("""
        WITH asp AS (SELECT cluster_id, arg_max(a, (n, a)) AS aspect  -- a tie goes to the later name, every run alike
                     FROM (SELECT cluster_id, a, count(*) AS n FROM (SELECT cluster_id, unnest(aspects) AS a FROM kb_questions) GROUP BY 1, 2)
                     GROUP BY 1)
        SELECT k.cluster_id, k.canonical_title, k.times_asked, k.stage, coalesce(asp.aspect, '其他') AS aspect,
               a.body AS answer, a.accepts > 0 AS accepted, a.votes, k.best_answerer_id, m.name AS answerer, a.created_at AS answered_at
        FROM kb_clusters k JOIN kb_answers a ON a.answer_id = k.best_answer_id
        LEFT JOIN members m ON m.member_id = k.best_answerer_id LEFT JOIN asp USING (cluster_id)
        WHERE k.canonical_title IS NOT NULL
        ORDER BY k.times_asked DESC, k.best_score DESC NULLS LAST, k.cluster_id""")
    stale = _outdated(store, as_of, config, zh)
    credits: dict[str, list] = {}
    for stage in _JOURNEY:
        picked = [r for r in rows if r["stage"] == stage][:per_stage]
        if not picked:
            continue
        sec = Section(stage if zh else _EN.get(stage, stage),
                      (f"新车主在这个阶段最常问的{len(picked)}个问题。" if zh else "The " + plural(len(picked), "question") + " new owners ask most at this stage."))
        for aspect in dict.fromkeys(r["aspect"] for r in picked):
            sub = Section(code_label(aspect, "zh" if zh else "en"))
            for r in (x for x in picked if x["aspect"] == aspect):
                name = mask_text(r["answerer"] or r["best_answerer_id"] or ("匿名车友" if zh else "anonymous"))
                credits.setdefault(name, []).append(r["accepted"])
                badge = ("，提问者采纳" if zh else ", accepted by the asker") if r["accepted"] else ""
                credit = (f"— 回答：{name}（{str(r['answered_at'])[:10]}{badge}，被问过{r['times_asked']}次）" if zh
                          else f"— answered by {name} ({str(r['answered_at'])[:10]}{badge}; asked {plural(r['times_asked'], 'time')})")
                body = _clip(mask_text(r["answer"]), answer_chars)
                if r["cluster_id"] in stale:  # the gaps list calls it outdated: say so where it is published
                    body = ("【可能已过时】" if zh else "[May be outdated] ") + body
                    credit += stale[r["cluster_id"]]
                sub.entries.append(Entry(mask_text(r["canonical_title"]), body, credit))
            sec.subsections.append(sub)
        doc.sections.append(sec)
    if essence and store.table_exists("kb_essence"):
        col = "explanation_en" if not zh else "explanation_zh"
        ess = store.fetch_dicts(f"""SELECT e.title, e.author_name, e.author_id, {col} AS why, c.body FROM kb_essence e
                                    JOIN content c USING (content_id) ORDER BY e.score DESC LIMIT $n""", {"n": essence})
        if ess:
            doc.sections.append(Section("精华帖" if zh else "Essence", "发布很久之后仍被阅读、收藏和引用的帖子。" if zh else
                                        "Posts still read, bookmarked and cited long after they were written.",
                                        [Entry(_clip(mask_text(e["title"]), 60), _clip(mask_text(e["body"]), answer_chars),
                                               f"— {mask_text(e['author_name'] or e['author_id'])}：{e['why']}" if zh
                                               else f"— {mask_text(e['author_name'] or e['author_id'])}: {e['why']}") for e in ess]))
    if credits:
        ranked = sorted(credits.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        table = [["车友" if zh else "member", "收录回答" if zh else "answers included", "被采纳" if zh else "accepted"]]
        table += [[n, str(len(v)), str(sum(bool(x) for x in v))] for n, v in ranked]
        doc.sections.append(Section("致谢" if zh else "Thanks", "本百科的每一条回答都来自这些车友。" if zh else
                                    "Every answer in this guide was written by these members.", [Entry("", "", "", table)]))
    n_q = sum(len(s.entries) for sec in doc.sections for s in sec.subsections)
    doc.subtitle = (f"由社区问答自动编撰，截至{when}；收录{n_q}个常见问题，感谢{len(credits)}位车友的回答。个人信息已打码。" if zh else
                    f"Compiled from the community's Q&A as of {when}: {plural(n_q, 'common question')}, answered by "
                    f"{plural(len(credits), 'member')}. "
                    "Personal data is masked.")
    if not doc.sections:
        doc.sections.append(Section("还没有可编入的问答" if zh else "Nothing to compile yet"))
    return doc


def write_guide(store, as_of, config, kind: str, out_dir: str | Path, *, fmt: str = "all", lang: str = "zh") -> list[Path]:
    """Build the ``kind`` guide (``newbie`` or ``chronicle``) and write ``<kind>.md`` and/or ``<kind>.html``
    into ``out_dir``; return the paths written."""
    if kind not in KINDS:
        raise InvalidParameterError("kind", kind, "newbie or chronicle")
    if fmt not in ("md", "html", "all"):
        raise InvalidParameterError("format", fmt, "md, html or all")
    if kind == "newbie":
        doc = newbie_guide(store, as_of, config, lang=lang)
    else:
        from reef.kb.chronicle import chronicle

        doc = chronicle(store, as_of, config, lang=lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    if fmt in ("md", "all"):
        paths.append(out / f"{kind}.md")
        paths[-1].write_text(to_markdown(doc), encoding="utf-8")
    if fmt in ("html", "all"):
        paths.append(out / f"{kind}.html")
        paths[-1].write_text(to_html(doc), encoding="utf-8")
    return paths
