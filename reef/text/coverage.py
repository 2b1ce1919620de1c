"""The store's language mix, and the note the radar and the reports carry when most of its text is not Chinese.

Why: sentiment, toxicity, aspects and intents (beyond a few cue patterns such as "?" and "thanks") are read by
models and cues made for Chinese. On an English community sentiment reads neutral and the rest finds nothing, and a
surface that shows "100 % neutral, 0 uncivil, 0 complaints" would read as a calm, healthy community. A general English
word list (VADER) was measured and not adopted (docs/text.md, *English text*). When at least
``[text] foreign_caveat_share`` of the analysed items with words are not Chinese, :func:`reading_note` says so.

Example:
    >>> from reef.store import open_store
    >>> language_mix(open_store(":memory:"))
    {'items': 0, 'zh': 0, 'en': 0, 'other': 0}
    >>> print(note_for({"items": 10, "zh": 1, "en": 9, "other": 0}, "en", share=0.5))
    9 of the 10 analysed items with words are not Chinese (9 English). Sentiment, toxicity, aspects and most intents are read for Chinese only: those items show neutral and zeros here, which does not mean there is none.
"""
from __future__ import annotations

from datetime import datetime

from reef.i18n import counted
from reef.store.connection import FAR_FUTURE

__all__ = ["language_mix", "note_for", "reading_note"]

_NOTE = {
    "zh": "已分析的 {n} 条有文字的内容中有 {k} 条不是中文（英文 {e} 条）。情感、毒性、方面和大部分意图只针对中文识别："
          "这些内容在这里显示为中性和零，不代表没有。",
    "en": "{k} of the {n:analysed item} with words are not Chinese ({e} English). Sentiment, toxicity, aspects and most intents "
          "are read for Chinese only: those items show neutral and zeros here, which does not mean there is none.",
}


def language_mix(store, as_of: datetime | None = None) -> dict[str, int]:
    """Analysed items with words that existed at ``as_of`` (every item when None), and how many are zh / en / other."""
    out = {"items": 0, "zh": 0, "en": 0, "other": 0}
    if not store.table_exists("content_features"):
        return out
    rows = store.fetch_all(
        """SELECT f.language, count(*) FROM content_features f JOIN content_at($ts) c USING (content_id)
           WHERE NOT list_has_any(coalesce(f.flags, []), ['missing', 'empty', 'no_words']) GROUP BY 1""",
        {"ts": as_of or FAR_FUTURE})
    for language, n in rows:
        key = language if language in ("zh", "en") else "other"
        out[key] += int(n)
        out["items"] += int(n)
    return out


def note_for(mix: dict[str, int], lang: str, *, share: float) -> str | None:
    """The note for ``mix`` in ``lang`` (zh / en), or None when less than ``share`` of its items are not Chinese."""
    n = mix["items"]
    foreign = n - mix["zh"]
    if not n or foreign < share * n:
        return None
    return counted(_NOTE["en" if lang == "en" else "zh"], n=n, k=foreign, e=mix["en"])


def reading_note(store, lang: str, as_of: datetime | None = None) -> str | None:
    """:func:`note_for` the store's :func:`language_mix` at ``as_of``, with ``text.foreign_caveat_share``."""
    return note_for(language_mix(store, as_of), lang, share=float(store.config.get("text.foreign_caveat_share")))
