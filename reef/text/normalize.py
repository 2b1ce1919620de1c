"""Cleaning, language and script detection, and traditional-to-simplified normalisation.

Every input gets a defined result: ``None``/empty/whitespace, emoji-only, HTML, very long
and undecodable bytes (GBK exports) are flagged, never raised on, so one bad row cannot
stop a batch of a million.

Example:
    >>> r = normalize_texts(["這輛車的續航很好", "Great car", ""])
    >>> [(x["language"], x["script"], x["text"]) for x in r]
    [('zh', 'traditional', '这辆车的续航很好'), ('en', 'latin', 'Great car'), ('other', 'none', '')]
"""
from __future__ import annotations

import html
import math
import re
from functools import lru_cache
from typing import Any, Iterable

from reef.errors import MissingDependencyError

__all__ = ["normalize_texts", "decode_bytes", "replace_lone_surrogates", "is_missing", "to_simplified"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# Tag-shaped markup only: a tag name right after "<" (then space, "/" or ">"), a comment or a declaration, so
# comparisons ("预算<20万，续航>500公里", "A<B，但是B>C") are text, not tags.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>]{0,500})?/?>|<!--.{0,2000}?-->|<![A-Za-z][^<>]{0,500}>", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^<>]{0,500}>", re.I)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_WORDLIKE = re.compile(r"[\w]", re.U)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PAIR = re.compile(r"[\ud800-\udbff][\udc00-\udfff]")
_SEP = "\n\x1e\n"  # joins a batch for one OpenCC call; OpenCC leaves control characters alone


@lru_cache(maxsize=2)
def _converter(config: str):
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover
        raise MissingDependencyError("opencc", "text") from exc
    return opencc.OpenCC(config)


def decode_bytes(raw: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8, else GB18030, else UTF-8 with replacement; return (text, flag)."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "decoded_gb18030"
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), "invalid_encoding"


def replace_lone_surrogates(text: str) -> tuple[str, bool]:
    """Join surrogate pairs and replace lone surrogates by U+FFFD; return (text, whether any was lone).

    A JSON escape like ``"\\ud83d"`` (half an emoji) yields a lone surrogate, which no UTF-8 writer,
    OpenCC or Arrow accepts.

    >>> replace_lone_surrogates("a\\ud800b") == ("a\\ufffdb", True)
    True
    >>> replace_lone_surrogates("\\ud83d\\ude00") == ("\\U0001f600", False)
    True
    """
    if not _SURROGATE.search(text):
        return text, False
    joined = _PAIR.sub(lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)
    fixed = _SURROGATE.sub("\ufffd", joined)
    return fixed, fixed != joined


def _drop_scripts(text: str) -> str:
    """``text`` without the contents of its <script>/<style> elements, in one pass: an element that is never
    closed loses only its opening tag (a search to the end for every opener would be quadratic)."""
    if not _SCRIPT.search(text):
        return text
    lower = text.translate(_ASCII_LOWER)  # same length as text, unlike str.lower()
    parts, pos, unclosed = [], 0, set()
    for m in _SCRIPT.finditer(text):
        if m.start() < pos:
            continue
        name = m.group(1).translate(_ASCII_LOWER)
        close = -1 if name in unclosed else lower.find(f"</{name}", m.end())
        parts.append(text[pos:m.start()])
        parts.append(" ")
        if close < 0:
            unclosed.add(name)
            pos = m.end()
        else:
            end = text.find(">", close)
            pos = len(text) if end < 0 else end + 1
    parts.append(text[pos:])
    return "".join(parts)


def is_missing(item: Any) -> bool:
    """None, a float NaN (pandas/numpy missing) or pandas' NA/NaT: no text at all."""
    if item is None:
        return True
    if isinstance(item, float) or type(item).__name__ in ("float32", "float16", "float64"):
        return math.isnan(item)
    return type(item).__name__ in ("NAType", "NaTType")


def to_simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC t2s); text without Chinese is returned as it is.

    >>> to_simplified("冬天續航掉多少")
    '冬天续航掉多少'
    """
    return _converter("t2s").convert(text) if text and _HAN.search(text) else text


def _convert_batch(texts: list[str], config: str) -> list[str]:
    if not texts:
        return []
    joined = _converter(config).convert(_SEP.join(texts))
    parts = joined.split(_SEP)
    if len(parts) != len(texts):  # a separator was altered: fall back to one call per text
        conv = _converter(config)
        parts = [conv.convert(t) for t in texts]
    return parts


def _script(original: str, simplified: str, traditional: str, n_han: int, n_latin: int) -> str:
    if n_han == 0:
        return "latin" if n_latin else "none"
    trad_chars = sum(1 for a, b in zip(original, simplified) if a != b) if len(original) == len(simplified) else 1
    simp_chars = sum(1 for a, b in zip(original, traditional) if a != b) if len(original) == len(traditional) else 1
    if original == simplified:
        return "simplified"
    if trad_chars and simp_chars:
        return "mixed"
    return "traditional"


def normalize_texts(texts: Iterable[Any], *, max_chars: int = 20_000) -> list[dict[str, Any]]:
    """Normalise a batch: dicts with original, text (clean simplified), language, script, flags."""
    rows: list[dict[str, Any]] = []
    for item in texts:
        flags: list[str] = []
        if is_missing(item):
            original = ""
            flags.append("missing")
        elif isinstance(item, (bytes, bytearray)):
            original, flag = decode_bytes(bytes(item))
            if flag:
                flags.append(flag)
        else:
            original, lone = replace_lone_surrogates(str(item))
            if lone:
                flags.append("invalid_encoding")
        clean = original
        if "<" in clean:
            stripped = _TAG.sub(" ", _drop_scripts(clean))
            if stripped != clean:
                clean = stripped
                flags.append("html")
        if "&" in clean:
            clean = html.unescape(clean)
        clean = _SPACE.sub(" ", clean.replace("\r", "")).strip()
        if len(clean) > max_chars:
            clean = clean[:max_chars]
            flags.append("truncated")
        if not clean:
            flags.append("empty")
        elif not _WORDLIKE.search(clean):
            flags.append("no_words")  # emoji-only or punctuation-only
        rows.append({"original": original, "clean": clean, "flags": flags})
    simplified = _convert_batch([r["clean"] for r in rows], "t2s")
    traditional = _convert_batch([r["clean"] for r in rows], "s2t")
    for row, simp, trad in zip(rows, simplified, traditional):
        clean = row.pop("clean")
        n_han = len(_HAN.findall(clean))
        n_latin = len(_LATIN.findall(clean))
        row["script"] = _script(clean, simp, trad, n_han, n_latin)
        if n_han and n_han >= 0.2 * n_latin:
            row["language"] = "zh"
        elif n_latin >= 3:
            row["language"] = "en"
        else:
            row["language"] = "other"
        if n_han and n_latin >= 3 * 4 and n_han < 4 * n_latin:
            row["flags"].append("mixed_language")
        row["text"] = simp
    return rows
