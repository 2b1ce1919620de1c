"""OTA versions and model years that owners mention: when each one "arrived" on a topic, for the
outdated-answer gaps and the model-year / OTA chronicle.

A mention is ``OTA 5.2`` / ``OTA v5.2`` / ``5.2版本`` (kind ``ota``) or ``2026款`` / ``2026年款`` / ``MY26``
(kind ``model_year``). A version *arrives* on an aspect when ``[kb] version_min_authors`` distinct
members have mentioned it in posts naming that aspect (or anywhere, for ``全部``): one typo or
rumour does not make a release.

Example:
    >>> mentions("升级OTA 5.2之后好多了，2026款也是这个版本吗？5.10版本呢")
    [('ota', '5.2'), ('ota', '5.10'), ('model_year', '2026')]
    >>> version_key("5.10") > version_key("5.9")
    True
"""
from __future__ import annotations

import re


from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["mentions", "version_key", "version_number", "arrivals", "outdated_answers", "OTA_PATTERN", "YEAR_PATTERN"]

# DuckDB and Python share these (RE2 syntax): group 1 is the version / year.
OTA_PATTERN = r"(?i)(?:OTA\s*[vV]?\s*|[vV])(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)|(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\s*版本"
YEAR_PATTERN = r"(20[1-3]\d)\s*年?款|\bMY\s?(\d{2})\b"
_OTA, _YEAR = re.compile(OTA_PATTERN), re.compile(YEAR_PATTERN)


def mentions(text: str | None) -> list[tuple[str, str]]:
    """(kind, value) of every OTA version and model year in ``text``, in order, OTA first."""
    t = text or ""
    ota = [("ota", a or b) for a, b in _OTA.findall(t)]
    years = [("model_year", a or f"20{b}") for a, b in _YEAR.findall(t)]
    return ota + years


def version_key(value: str) -> tuple[int, ...]:
    """Sortable key of a version or year string (``5.10`` after ``5.9``)."""
    return tuple(int(p) for p in re.findall(r"\d+", str(value)))


def version_number(value: str) -> float:
    """One number ordering versions like :func:`version_key` (three parts below 1000 each)."""
    parts = (list(version_key(value)) + [0, 0, 0])[:3]
    return parts[0] * 1e6 + parts[1] * 1e3 + parts[2]


_MENTIONS_SQL = """
WITH c AS (SELECT c.content_id, c.author_id, c.created_at, coalesce(c.title, '') || ' ' || coalesce(c.body, '') AS text,
                  list_append(coalesce(f.aspect_names, []), '全部') AS aspects
           FROM content_at($ts) c LEFT JOIN content_features f USING (content_id)
           WHERE c.kind NOT IN ('poll_vote', 'event')),
m AS (SELECT content_id, author_id, created_at, aspects, 'ota' AS kind,
             unnest(regexp_extract_all(text, '(?i)(?:OTA\\s*[vV]?\\s*|[vV])(\\d{1,2}\\.\\d{1,2}(?:\\.\\d{1,2})?)', 1)) AS value FROM c
      UNION ALL
      SELECT content_id, author_id, created_at, aspects, 'ota', unnest(regexp_extract_all(text, '(\\d{1,2}\\.\\d{1,2}(?:\\.\\d{1,2})?)\\s*版本', 1)) FROM c
      UNION ALL
      SELECT content_id, author_id, created_at, aspects, 'model_year', unnest(regexp_extract_all(text, '(20[1-3]\\d)\\s*年?款', 1)) FROM c
      UNION ALL  -- MY26 is the 2026 model year, as mentions() reads it
      SELECT content_id, author_id, created_at, aspects, 'model_year',
             '20' || unnest(regexp_extract_all(text, '\\bMY\\s?(\\d{2})\\b', 1)) FROM c)
SELECT content_id, author_id, created_at, kind, value, unnest(aspects) AS aspect FROM m WHERE value <> ''"""


def arrivals(store, as_of, *, min_authors: int = 3, config=None) -> pd.DataFrame:
    """One row per (kind, value, aspect): ``arrived_at`` (when the ``min_authors``-th member first
    mentioned it there), ``authors`` and ``mentions`` so far. ``aspect`` ``全部`` = anywhere. A mention counts
    on the aspects its own clause names (:mod:`reef.kb.version_mentions`), not on every aspect of its post."""
    from reef.kb.version_mentions import mention_rows

    with store.registered("_kb_version_mentions", mention_rows(store, as_of, config)):
        return store.fetch_arrow("""
        WITH m AS (SELECT * FROM _kb_version_mentions),
        firsts AS (SELECT kind, value, aspect, author_id, min(created_at) AS t, count(*) AS n FROM m GROUP BY ALL),
        ranked AS (SELECT *, row_number() OVER (PARTITION BY kind, value, aspect ORDER BY t, author_id) AS k FROM firsts)
        SELECT kind, value, aspect, max(t) FILTER (WHERE k = $k) AS arrived_at, count(*) AS authors, CAST(sum(n) AS BIGINT) AS mentions
        FROM ranked GROUP BY kind, value, aspect HAVING count(*) >= $k""", {"k": min_authors}).to_pandas()


def outdated_answers(answers: pd.DataFrame, arrived: pd.DataFrame) -> pd.DataFrame:
    """Answers overtaken by a newer OTA version or model year on their topic.

    ``answers``: key, answered_at, aspects (list; empty = anywhere), body. ``arrived``: from
    :func:`arrivals`. An answer is outdated when, on one of its aspects, a version arrived after it
    that is newer than every version that had arrived there by then and than any it mentions.
    Returns key, kind, answered_at, answer_version (newest known to the answer), newer (the newest
    since) and newer_at (when that one arrived).

    >>> arr = pd.DataFrame({"kind": ["ota", "ota"], "value": ["5.0", "6.1"], "aspect": ["车机"] * 2,
    ...                     "arrived_at": pd.to_datetime(["2026-01-01", "2026-04-01"], utc=True)})
    >>> ans = pd.DataFrame({"key": [1, 2], "answered_at": pd.to_datetime(["2026-02-01", "2026-05-01"], utc=True),
    ...                     "aspects": [["车机"], ["车机"]], "body": ["升级OTA 5.0就好了", "6.1版本修好了"]})
    >>> outdated_answers(ans, arr)[["key", "answer_version", "newer"]].values.tolist()
    [[1, '5.0', '6.1']]
    """
    cols = ["key", "kind", "answered_at", "answer_version", "newer", "newer_at"]
    if answers.empty or arrived.empty:
        return pd.DataFrame(columns=cols)
    arr = arrived.dropna(subset=["arrived_at"]).assign(num=lambda d: d["value"].map(version_number))
    arr = arr.sort_values("arrived_at", kind="stable")
    arr["known_num"] = arr.groupby(["kind", "aspect"])["num"].cummax()
    newest = arr.loc[arr.groupby(["kind", "aspect"])["num"].idxmax(), ["kind", "aspect", "value", "num", "arrived_at"]]
    newest = newest.rename(columns={"value": "newer", "num": "newer_num", "arrived_at": "newer_at"})
    own = {}
    for key, body in zip(answers["key"], answers["body"]):
        for kind, value in mentions(body):
            own[(key, kind)] = max(own.get((key, kind), 0.0), version_number(value))
    rows = answers.assign(aspect=[list(a) if a is not None and len(a) else ["全部"] for a in answers["aspects"]]).explode("aspect")
    rows = pd.concat([rows.assign(kind=k) for k in ("ota", "model_year")], ignore_index=True)
    rows = rows.merge(newest, on=["kind", "aspect"]).sort_values("answered_at", kind="stable")
    rows = pd.merge_asof(rows, arr[["kind", "aspect", "arrived_at", "known_num"]].rename(columns={"arrived_at": "answered_at"}),
                         on="answered_at", by=["kind", "aspect"], direction="backward")
    rows["answer_num"] = [max(k if k == k else 0.0, own.get((key, kind), 0.0))
                          for k, key, kind in zip(rows["known_num"], rows["key"], rows["kind"])]
    hit = rows[(rows["newer_num"] > rows["answer_num"]) & (rows["newer_at"] > rows["answered_at"])]
    if hit.empty:
        return pd.DataFrame(columns=cols)
    hit = hit.sort_values(["key", "newer_num"]).groupby(["key", "kind"]).tail(1)
    by_num = {(k, version_number(v)): v for k, v in zip(arr["kind"], arr["value"])}
    hit = hit.assign(answer_version=[_label(k, n, by_num) for k, n in zip(hit["kind"], hit["answer_num"])])
    return hit[cols].reset_index(drop=True)


def _label(kind: str, num: float, known: dict) -> str | None:
    if not num:
        return None
    if (kind, num) in known:
        return known[(kind, num)]
    major, minor, patch = int(num // 1e6), int(num % 1e6 // 1e3), int(num % 1e3)
    return str(major) if kind == "model_year" else (f"{major}.{minor}" + (f".{patch}" if patch else ""))
