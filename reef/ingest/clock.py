"""A 12-hour clock in a timestamp: 上午/下午 (and 中午, 晚上, 凌晨) before the time, as Chinese Windows, Excel and
WeChat exports write it, or AM/PM after it, read by SQL into a naive timestamp (so in the session's time zone,
``general.timezone``) by :mod:`reef.ingest.validate`. Exactly one designator, and an hour that fits it; else NULL.

Example:
    >>> import duckdb
    >>> duckdb.connect().execute("SELECT strftime(" + twelve_hour("'2024/3/5 下午8:07'") + ", '%H:%M')").fetchone()[0]
    '20:07'
"""
from __future__ import annotations

__all__ = ["DESIGNATOR", "twelve_hour"]


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A 12-hour clock: 上午/下午 (and 中午, 晚上, 凌晨) before the time, as Chinese Windows/Excel/WeChat exports write it,
# or AM/PM after it. Groups: year, month, day, designator before, hour, minute, second, designator after.
DESIGNATOR = "上午|下午|中午|晚上|凌晨|[0-9]\\s*[AaPp]\\.?[Mm]\\.?$"
_TWELVE = ("^([0-9]{4})\\s*[-/.年]\\s*([0-9]{1,2})\\s*[-/.月]\\s*([0-9]{1,2})\\s*日?\\s*(上午|下午|中午|晚上|凌晨)?\\s*"
           "([0-9]{1,2})[:：]([0-9]{2})(?:[:：]([0-9]{2}))?\\s*([AaPp]\\.?[Mm]\\.?)?$")
# designator -> SQL hour (24h) from h (1-12), NULL when the hour does not fit it: 上午12:30 is 00:30 and 下午12:30 is
# 12:30 (AM/PM, as Windows' zh-CN clock writes them); 中午 is 11:00-14:59, 晚上 18:00-23:59, 凌晨 00:00-05:59.
_HOUR = (("AM", "上午"), "CASE WHEN {h} BETWEEN 1 AND 12 THEN {h} % 12 END"), (("PM", "下午"), "CASE WHEN {h} BETWEEN 1 AND 12 THEN {h} % 12 + 12 END"), \
    (("中午",), "CASE WHEN {h} IN (11, 12) THEN {h} WHEN {h} BETWEEN 1 AND 2 THEN {h} + 12 END"), \
    (("晚上",), "CASE WHEN {h} BETWEEN 6 AND 11 THEN {h} + 12 END"), (("凌晨",), "CASE WHEN {h} = 12 THEN 0 WHEN {h} BETWEEN 0 AND 5 THEN {h} END")


def twelve_hour(c: str) -> str:
    """SQL: the naive timestamp of a 12-hour clock text ``c`` (``2024/3/5 下午8:07``, ``2024-03-05 8:07 PM``) in the
    session's time zone, else NULL (exactly one designator, and an hour that fits it)."""
    parts = f"regexp_extract({c}, {_sql_text(_TWELVE)}, ['y', 'mo', 'd', 'zh', 'h', 'mi', 's', 'en'])"
    des = "upper(replace(coalesce(nullif(p.zh, ''), p.en), '.', ''))"
    hour = " ".join(f"WHEN {des} IN ({', '.join(map(_sql_text, names))}) THEN {rule.format(h='TRY_CAST(p.h AS INTEGER)')}"
                    for names, rule in _HOUR)
    return (f"list_transform([{parts}], lambda p: CASE WHEN (p.zh = '') = (p.en = '') THEN NULL ELSE "
            f"TRY_CAST(try(make_timestamp(TRY_CAST(p.y AS BIGINT), TRY_CAST(p.mo AS BIGINT), TRY_CAST(p.d AS BIGINT), "
            f"CASE {hour} END, TRY_CAST(p.mi AS BIGINT), coalesce(TRY_CAST(nullif(p.s, '') AS DOUBLE), 0))) AS TIMESTAMPTZ) END)[1]")
