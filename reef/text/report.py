"""The text layer's report section: what members talk about and how they feel, at a glance.

Aggregates ``content_features`` for content that existed at ``as_of`` (staff content
included: it is part of what newcomers read); raw feature rows stay in the store.

Example:
    >>> from reef.store import open_store
    >>> text_overview(open_store(":memory:"), None)["items"]
    0
"""
from __future__ import annotations

from datetime import datetime

from reef.analyses.registry import report_section
from reef.i18n import code_label, counted
from reef.text import enrich as _enrich  # noqa: F401 - registers text_features before its section
from reef.report.model import Section, Table
from reef.store.connection import FAR_FUTURE

__all__ = ["INTENT_NAMES", "text_overview", "text_section"]

_TOP_ASPECTS = 14
# Operator-facing names of the intent labels stored in content_features.intents.
INTENT_NAMES = {
    "question": ("提问", "question"), "answer": ("回答/帮助", "answer / help"), "experience": ("经验分享", "experience share"),
    "praise": ("称赞他人", "praise of others"), "thanks": ("致谢", "thanks"), "complaint": ("投诉抱怨", "complaint"),
    "guide": ("攻略教程", "guide / tutorial"), "meetup": ("组织活动", "meetup organising"),
    "clarification": ("辟谣澄清", "rumour clarification"), "disagreement": ("不同意见", "disagreement"),
    "personal_attack": ("人身攻击", "personal attack"),
}
_LABELS = {
    "zh": {"title": "内容理解", "intro": "已分析 {n} 条内容。", "none": "截至此日期没有已分析的内容。",
           "sentiment": "情感分布", "aspects": "讨论最多的方面", "intents": "内容意图", "signals": "需要留意的信号",
           "col_label": "类别", "col_n": "条数", "col_share": "占比", "col_aspect": "方面", "col_neg": "负面占比",
           "pos": "正面", "neu": "中性", "neg": "负面", "toxic": "不文明（毒性高于阈值）", "pii": "含个人信息（已在导出中遮蔽）",
           "claims": "含参数声明（续航、加速、价格等）"},
    "en": {"title": "Text understanding", "intro": "{n:content item} analysed.",
           "none": "No content analysed as of this date.", "sentiment": "Sentiment", "aspects": "Most discussed aspects",
           "intents": "Intents", "signals": "Signals to watch", "col_label": "Label", "col_n": "Items", "col_share": "Share",
           "col_aspect": "Aspect", "col_neg": "Negative share", "pos": "positive", "neu": "neutral", "neg": "negative",
           "toxic": "uncivil (toxicity above threshold)", "pii": "with personal data (masked in exports)",
           "claims": "with spec claims (range, acceleration, price ...)"},
}


def text_overview(store, as_of: datetime | None, *, toxic_threshold: float = 0.5) -> dict:
    """Counts behind the section: sentiment mix, aspects with their negative share, intents, signals."""
    if not store.table_exists("content_features"):
        return {"items": 0}
    ts = as_of or FAR_FUTURE
    base = "FROM content_features f JOIN content_at($ts) c USING (content_id)"
    head = store.fetch_dicts(
        f"""SELECT count(*) AS items, count(*) FILTER (WHERE sentiment = 1) AS pos, count(*) FILTER (WHERE sentiment = 0) AS neu,
                   count(*) FILTER (WHERE sentiment = -1) AS neg, count(*) FILTER (WHERE toxicity >= $tox) AS toxic,
                   count(*) FILTER (WHERE len(pii) > 0) AS pii, count(*) FILTER (WHERE len(claims) > 0) AS claims,
                   max(model_version) AS version {base}""", {"ts": ts, "tox": toxic_threshold})[0]
    aspects = store.fetch_all(
        f"""SELECT a.aspect, count(*) AS n, avg(CASE WHEN a.sentiment = -1 THEN 1 ELSE 0 END) AS neg
            FROM (SELECT unnest(f.aspects) AS a {base}) GROUP BY 1 ORDER BY n DESC, 1 LIMIT {_TOP_ASPECTS}""", {"ts": ts})
    intents = store.fetch_all(
        f"SELECT i, count(*) AS n FROM (SELECT unnest(f.intents) AS i {base}) GROUP BY 1 ORDER BY n DESC, 1", {"ts": ts})
    return {**head, "aspects": aspects, "intents": intents}


def _share(n: int, total: int) -> str:
    return f"{100.0 * n / total:.1f}%" if total else "-"


@report_section("text_features")
def text_section(store, as_of: datetime, lang: str) -> Section:
    """Sentiment, aspects, intents and risk signals of the community's text."""
    labels = _LABELS.get(lang, _LABELS["zh"])
    data = text_overview(store, as_of, toxic_threshold=float(store.config.get("text.toxic_threshold")))
    section = Section(labels["title"], key="text_features")
    total = int(data["items"] or 0)
    if not total:
        from reef.report.empty import empty_text

        section.paragraphs.append(empty_text(store, as_of, lang, (_LABELS["zh"]["none"], _LABELS["en"]["none"])))
        return section
    section.paragraphs.append(counted(labels["intro"], n=total))  # the model's version is in 分析运行, not for managers
    from reef.text.coverage import reading_note

    note = reading_note(store, lang, as_of)  # mostly non-Chinese text: the zeros below do not mean none
    if note:
        section.paragraphs.append(note)
    cols = [labels["col_label"], labels["col_n"], labels["col_share"]]
    section.tables.append(Table(cols, [[labels[k], data[k], _share(data[k], total)] for k in ("pos", "neu", "neg")],
                                labels["sentiment"]))
    section.tables.append(Table([labels["col_aspect"], labels["col_n"], labels["col_neg"]],
                                [[code_label(a, lang), n, f"{100.0 * neg:.1f}%"] for a, n, neg in data["aspects"]], labels["aspects"]))
    pick = 0 if lang == "zh" else 1
    section.tables.append(Table(cols, [[INTENT_NAMES.get(i, (i, i))[pick], n, _share(n, total)] for i, n in data["intents"]],
                                labels["intents"]))
    section.tables.append(Table(cols, [[labels[k], data[k], _share(data[k], total)] for k in ("toxic", "pii", "claims")],
                                labels["signals"]))
    return section
