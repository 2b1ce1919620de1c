"""Is the radar on screen current? The last run of the ``risks`` analysis, read from ``analysis_runs``.

When that run failed (or was not run because an analysis it depends on failed), the ``risk_*`` tables still hold
the results of an earlier run: 风险雷达, 今日 and the report say so, with when and which analysis, instead of
showing old scores as if they were today's (:func:`radar_failure`). When the results on screen come from a
back-dated run (``reef risks --as-of`` for last month's report, the same test as ``reef alerts``, which lists such
alerts with a warning and never sends them), 风险雷达 and 今日 say so above them (:func:`radar_back_dated`).

Example:
    >>> from reef.store import open_store
    >>> radar_failure(open_store(":memory:")) is None
    True
    >>> radar_back_dated(open_store(":memory:")) is None
    True
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from reef.store.coverage import local_time

__all__ = ["radar_failure", "radar_back_dated", "back_dated_run"]

_BLOCKED = re.compile(r"dependency (.+) failed")


def radar_failure(store, lang: str = "zh") -> dict[str, Any] | None:
    """None when the radar's last run succeeded (or it never ran), else ``{"at", "analyses", "shown_as_of", "text"}``:
    when it ran (store's time zone), the analyses that failed by their operator names (the radar, or what it depends
    on), the as_of of the results still shown (None if none) and one sentence in ``lang`` for the operator."""
    from reef.actions.overview import analysis_title

    if not store.table_exists("analysis_runs"):
        return None
    last = store.fetch_all("""SELECT status, finished_at, message FROM analysis_runs WHERE name = 'risks'
                              ORDER BY finished_at DESC LIMIT 1""")
    if not last or last[0][0] not in ("failed", "blocked"):
        return None
    status, finished, message = last[0]
    en = lang == "en"
    deps = _BLOCKED.search(message or "") if status == "blocked" else None
    names = [n.strip() for n in deps.group(1).split(",")] if deps else ["risks"]
    titles = [analysis_title(n, lang) for n in names]
    at = local_time(finished, str(store.config.get("general.timezone")))
    shown = store.fetch_value("SELECT max(as_of) FROM risk_scores") if store.table_exists("risk_scores") else None
    shown_txt = local_time(shown, str(store.config.get("general.timezone")), "%Y-%m-%d") if shown is not None else None
    joined = (", " if en else "、").join(titles)
    if en:
        why = f"the analysis {joined} failed" if status == "failed" else f"it was not run because {joined} failed"
        old = f"the scores and alerts below are from the run as of {shown_txt} and miss anything since" if shown_txt \
            else "there are no earlier results"
        text = f"The risk radar's last run ({at}) did not complete: {why}; {old}. An administrator can see why with `reef status`."
    else:
        why = f"分析“{joined}”出错" if status == "failed" else f"它依赖的分析“{joined}”出错，雷达未运行"
        old = f"下面的分数和提醒仍是截至{shown_txt}的旧结果，不含之后的新情况" if shown_txt else "没有更早的结果"
        text = f"风险雷达最近一次运行（{at}）没有完成：{why}；{old}。管理员可用 reef status 查看原因。"
    return {"at": at, "analyses": titles, "shown_as_of": shown_txt, "text": text}


def radar_back_dated(store, lang: str = "zh") -> dict[str, Any] | None:
    """None when the radar's tables hold a current run, else ``{"shown_as_of", "latest_run", "data_end", "text"}``
    (days in the store's time zone) and one sentence in ``lang`` for the banner above the results.

    Back-dated means what ``reef alerts`` means (:func:`back_dated_run`, the one test): the results' as_of lies before
    a later run of the radar and more than a day before the end of the data. Such results are history (their alerts
    are never sent), so the pages say so instead of showing them as the current ones."""
    stale = back_dated_run(store)
    if stale is None:
        return None
    zone = str(store.config.get("general.timezone"))
    end = store.fetch_value("SELECT max(created_at) FROM content")
    shown, latest, data_end = (local_time(t, zone, "%Y-%m-%d") for t in (*stale, end))
    if lang == "en":
        text = (f"The results below are as of {shown}, before the data's latest date {data_end} (the radar last ran as of "
                f"{latest}): they come from a back-dated run, are not the current alerts and are never sent to the group. "
                "For the current picture, run `reef risks` without --as-of (or press Run all analyses on the Imports page).")
    else:
        text = (f"以下结果截至{shown}，早于数据的最新日期{data_end}（雷达最近一次运行截至{latest}）：这是回溯运行的结果，"
                "不是当前提醒，也不会发送到群。要看当前情况，请不带 --as-of 运行 reef risks（或在“数据导入”页点“运行全部分析”）。")
    return {"shown_as_of": shown, "latest_run": latest, "data_end": data_end, "text": text}


def back_dated_run(store) -> tuple | None:
    """The one test of a back-dated radar run (``reef alerts``, 风险雷达, 今日): (as_of of the alerts in the store, latest as_of the radar ran at) when the alerts come from an earlier date than
    a later run and from before the last day of the data: a report of the past. A run at the data's end is current
    even after a mistaken run at a later date."""
    if not (store.table_exists("risk_scores") and store.table_exists("risk_score_log")):
        return None
    shown, latest = store.fetch_all("SELECT (SELECT max(as_of) FROM risk_scores), (SELECT max(as_of) FROM risk_score_log)")[0]
    if shown is None or latest is None or shown >= latest:
        return None
    data_end = store.fetch_value("SELECT max(created_at) FROM content") if store.table_exists("content") else None
    return None if data_end is not None and shown >= data_end - timedelta(days=1) else (shown, latest)
