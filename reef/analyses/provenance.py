"""Which moment a result table describes: the as_of of the analysis run that wrote it.

Every analysis run rewrites its result tables at one as_of (``analysis_runs``). A read command given ``--as-of``
(``reef ladder --as-of 2024-01-01``) runs its analysis at that moment, so the shared tables then describe it until
the next ``reef analyze``: exports, notebooks and pages reading several tables may mix moments. :func:`result_as_of`
says which moment a table holds; :func:`as_of_warning` says (in Chinese or English) when tables come from different
moments or from a moment before the data ends. Tables no analysis writes (members, imports) hold the data itself.

Example:
    >>> from reef.store import open_store
    >>> store = open_store(":memory:")
    >>> result_analysis("ladder_members"), result_analysis("members")
    ('ladder', None)
    >>> result_as_of(store, "ladder_members") is None  # not analysed yet
    True
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from reef.errors import ReefWarning

__all__ = ["result_analysis", "result_as_of", "as_of_warning", "as_of_text", "ResultAsOfWarning"]


class ResultAsOfWarning(ReefWarning):
    """A result table read at a moment other than the end of the data (see the module docstring): a ReefWarning, so
    ``warnings.simplefilter("ignore", reef.ReefWarning)`` silences it with the read methods' as-of warnings."""


def result_analysis(table: str) -> str | None:
    """The analysis whose runs write ``table``, or None for a data (or bookkeeping) table."""
    from reef.analyses.registry import discover

    return next((a.name for a in discover().values() if table in a.writes), None)


def result_as_of(store, table: str) -> datetime | None:
    """The as_of of the latest successful run of the analysis that writes ``table`` (the moment the table holds
    now: a failed run leaves the previous results, an up-to-date one records no run); None for a data table or a
    result not computed yet."""
    from reef.store.coverage import analysis_as_of

    name = result_analysis(table)
    return analysis_as_of(store, name) if name else None


def as_of_text(store, moment: Any) -> str:
    """An as_of as the operator reads it: a minute in the store's zone (``general.timezone``); "" for none."""
    from reef.store.coverage import local_time

    return local_time(moment, str(store.config.get("general.timezone")))


def _names(labels: list[str], en: bool) -> str:
    shown = labels[:6] + (["..."] if len(labels) > 6 else [])
    return (", " if en else "、").join(shown)


def as_of_warning(store, as_ofs: Mapping[str, datetime | None], lang: str = "zh") -> str | None:
    """A warning when the results ``as_ofs`` ({label: as_of}, a label such as a sheet's or a table's name; None for
    data tables) were computed at different moments, or at a moment before the data ends (a read command's
    ``--as-of``, or data imported since); None otherwise."""
    from reef.analyses.runner import data_end

    en = lang == "en"
    groups: dict[datetime, list[str]] = {}
    for label, moment in as_ofs.items():
        if moment is not None:
            groups.setdefault(moment, []).append(label)
    if not groups:
        return None
    parts = []
    if len(groups) > 1:
        each = "; ".join(f"{_names(v, en)}: {as_of_text(store, k)}" for k, v in sorted(groups.items())) if en else \
            "；".join(f"{_names(v, en)}：{as_of_text(store, k)}" for k, v in sorted(groups.items()))
        parts.append(f"these results were computed at different moments ({each})." if en else
                     f"这些结果不是同一时点计算的（{each}）。")
    end = data_end(store)
    early = [label for label, moment in as_ofs.items() if moment is not None and end is not None and moment < end]
    if early:
        newest = as_of_text(store, end - timedelta(seconds=1))
        parts.append(f"{_names(early, en)} describe a moment before the data ends ({newest}), e.g. after a command run with "
                     "--as-of or an import since." if en else
                     f"{_names(early, en)}描述的是数据截止（{newest}）之前的时点（例如某个命令带 --as-of 运行过，或之后又导入了数据）。")
    if not parts:
        return None
    return ("Warning: " + " ".join(parts) + " Run `reef analyze` (without --as-of) to compute every result at the end of the data."
            if en else "注意：" + "".join(parts) + "运行 `reef analyze`（不带 --as-of）可按数据截止时点重新计算全部结果。")
