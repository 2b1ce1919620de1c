"""Is the radar on screen current? The last run of the ``risks`` analysis, read from ``analysis_runs``.

When that run failed (or was not run because an analysis it depends on failed), the ``risk_*`` tables still hold
the results of an earlier run: 风险雷达, 今日 and the report say so, with when and which analysis, instead of
showing old scores as if they were today's (:func:`radar_failure`).

Example:
    >>> from reef.store import open_store
    >>> radar_failure(open_store(":memory:")) is None
    True
"""
from __future__ import annotations

import re
from typing import Any

from reef.store.coverage import local_time

__all__ = ["radar_failure"]

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
