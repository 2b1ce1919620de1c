"""Does the data cover an as_of? One warning for every surface that reads analyses at a moment.

A result computed before the first content item describes nothing (lists are empty, scores 0: nothing existed
yet), and one computed more than ``risks.stale_data_days`` after the last item compares recent windows that
hold no data (activity looks like a collapse, members look like they cooled off). :func:`coverage_warning`
says so in Chinese (default) or English; :func:`results_warning` says it for the as_of the named analyses last
ran at, for readers of precomputed tables (the dashboard pages). The setting stays in ``[risks]``, where the
risk radar introduced it, so existing configuration files keep working (docs/configuration.md).

Example:
    >>> from datetime import datetime, timezone
    >>> from reef.store import open_store
    >>> store = open_store(":memory:")
    >>> _ = store.execute("INSERT INTO content (content_id, kind, author_id, created_at) "
    ...                   "VALUES ('c1', 'thread', 'm1', TIMESTAMPTZ '2026-03-01 10:00:00+00')")
    >>> coverage_warning(store, datetime(2026, 3, 2, tzinfo=timezone.utc)) is None
    True
    >>> coverage_warning(store, datetime(2000, 1, 1, tzinfo=timezone.utc), lang="en")[:66]
    'Warning: as of 2000-01-01 is before the first content (2026-03-01)'
    >>> coverage_warning(store, datetime(2026, 4, 1, tzinfo=timezone.utc))[:40]
    '注意：评估时点2026-04-01比最后一条内容（2026-03-01）晚31天'
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from reef.i18n import plural

__all__ = ["coverage_warning", "results_warning", "analysis_as_of", "local_time", "cli_wording", "page_wording",
           "page_setting", "STALE_DATA_KEY"]

# The one setting behind every coverage warning (kept in [risks] for backward compatibility; see the module docstring).
STALE_DATA_KEY = "risks.stale_data_days"

# The advice closing a warning, (Chinese, English), naming the moment as the caller passes it: the library (Python API,
# HTTP API) speaks of the parameter as_of; the command line rewrites it to its option --as-of (:func:`cli_wording`), the
# dashboard to the control its page offers (:func:`page_wording`).
_ADVICE = {"later": ("请换一个更晚的{o}。", "Pass a later {o}."),
           "earlier": ("请导入更新的数据或换一个更早的{o}。", "Import newer data or pass an earlier {o}.")}
_API_NAME, _CLI_NAME = (" as_of 参数", "as_of"), (" --as-of", "--as-of")
# The same advice for a reader who types no parameter (the operations report): a date to pick, not a parameter to pass.
_READER_ADVICE = {"later": ("请选择更晚的日期。", "Pick a later date."),
                  "earlier": ("请导入更新的数据或选择更早的日期。", "Import newer data or pick an earlier date.")}

# The same advice on a dashboard page. A page of analysis results has no date of its own: it shows the latest run's
# moment, and its operator changes that with 运行全部分析 on the 数据导入 page (the end of the data). A page with a
# date field of its own (种子名单's 截至日期) names that field, ``{f}``; left empty, it means the end of the data.
_PAGE_ADVICE = {
    "later": ("请在“数据导入”页点“运行全部分析”，按数据的最后一天重新计算。",
              "Click Run all analyses on the Imports page to compute them again at the end of the data."),
    "earlier": ("请在“数据导入”页导入更新的数据，或点“运行全部分析”按数据的最后一天重新计算。",
                "Import newer data on the Imports page, or click Run all analyses there to compute them again at the end "
                "of the data.")}
_FIELD_ADVICE = {
    "later": ("请在“{f}”中填一个更晚的日期。", "Enter a later date in the {f} field."),
    "earlier": ("请在“数据导入”页导入更新的数据，或在“{f}”中填一个更早的日期（留空即数据的最后一天）。",
                "Import newer data on the Imports page, or enter an earlier date in the {f} field (empty: the end of the "
                "data).")}
# An empty store: the command line's advice, and the dashboard's (the reader's).
_IMPORT_FIRST = (("请先运行 reef import 或 reef simulate。", "请先在仪表盘“数据导入”页导入数据。"),
                 ("Run reef import or reef simulate first.", "Import data on the dashboard's Imports page first."))


def _advice(kind: str, en: bool, reader: bool = False) -> str:
    return _READER_ADVICE[kind][en] if reader else _ADVICE[kind][en].format(o=_API_NAME[en])


def cli_wording(text: str | None) -> str | None:
    """A coverage warning as the command line says it: the advice names the option ``--as-of`` instead of the
    parameter ``as_of``; any other text is left as it is.

    >>> cli_wording("… Pass a later as_of."), cli_wording("…请导入更新的数据或换一个更早的 as_of 参数。")
    ('… Pass a later --as-of.', '…请导入更新的数据或换一个更早的 --as-of。')
    """
    if not text:
        return text
    for zh, en in _ADVICE.values():
        for template, api, cli in ((zh, _API_NAME[0], _CLI_NAME[0]), (en, _API_NAME[1], _CLI_NAME[1])):
            text = text.replace(template.format(o=api), template.format(o=cli))
    return text


def page_wording(text: str | None, field: str | None = None) -> str | None:
    """A coverage warning as a dashboard page says it: its operator passes no parameter and runs no command. The
    advice names the control the page offers: 运行全部分析 on the 数据导入 page for a page of analysis results (it shows
    the latest run's moment), or the page's own date field ``field`` (its label in the warning's language, like
    ``截至日期``); an empty store's advice names the 数据导入 page. Any other text is left as it is.

    >>> page_wording("… Pass a later as_of.")
    '… Click Run all analyses on the Imports page to compute them again at the end of the data.'
    >>> page_wording("…请换一个更晚的 as_of 参数。", "截至日期")
    '…请在“截至日期”中填一个更晚的日期。'
    """
    if not text:
        return text
    setting = page_setting(text)
    if setting:  # an operator sets no configuration: the limit in days (the setting goes in the page's folded detail)
        limit = setting.split(" = ", 1)[1]
        text = text.replace(f"超过 {setting} 天", f"超过{limit}天").replace(f"more than {setting}", f"more than {_days(float(limit))}")
    for kind, (zh, en) in _ADVICE.items():
        for i, template in enumerate((zh, en)):
            said = (_FIELD_ADVICE[kind][i].format(f=field) if field else _PAGE_ADVICE[kind][i])
            text = text.replace(template.format(o=_API_NAME[i]), said)
    for command, page in _IMPORT_FIRST:
        text = text.replace(command, page)
    return text


def page_setting(text: str | None) -> str | None:
    """The setting a late-as_of warning names (``risks.stale_data_days = 30``), or None: what the dashboard folds
    into a technical detail under its banner while :func:`page_wording` says the limit in days.

    >>> page_setting("…（超过 risks.stale_data_days = 30 天）…"), page_setting("…before the first content…")
    ('risks.stale_data_days = 30', None)
    """
    if not text or STALE_DATA_KEY + " = " not in text:
        return None
    tail = text.split(STALE_DATA_KEY + " = ", 1)[1]
    value = "".join(ch for ch in tail[:12].split(" ", 1)[0].split(")", 1)[0].split("）", 1)[0] if ch.isdigit() or ch == ".")
    return f"{STALE_DATA_KEY} = {value}" if value else None


def local_time(value: Any, zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A timestamp (or its ISO text) as the user reads it: in the store's time zone ``zone`` (runs, jobs and imports
    keep UTC), as ``fmt`` (a minute by default, ``%Y-%m-%d`` for a day); "" for none, text that is no timestamp cut to
    the format's length, a date as it is.

    >>> local_time("2026-06-29T16:30:00+00:00", "Asia/Shanghai"), local_time(None, "Asia/Shanghai")
    ('2026-06-30 00:30', '')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value[:len(datetime(2000, 1, 1).strftime(fmt))].replace("T", " ")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            from zoneinfo import ZoneInfo

            value = value.astimezone(ZoneInfo(zone))
        return value.strftime(fmt)
    return value.isoformat() if isinstance(value, date) else str(value)


def _days(n: float) -> str:
    """A number of days in English: ``1 day``, ``31 days``, ``1.5 days``."""
    return f"{n:g} {'day' if n == 1 else 'days'}" if isinstance(n, float) else plural(n, "day")


def _day(moment: Any, zone: str) -> str:
    return local_time(moment, zone, "%Y-%m-%d")


# What an as_of past the data makes look wrong, per reader (``subject``): the community's activity (the default, the
# risk radar's words) or the knowledge reef's answers and waves.
_STALE_SEEMS = {
    "community": ("活跃度下降、成员降温或近期列表为空", "falls in activity, members cooling off and empty recent lists"),
    "kb": ("回答陈旧、话题无人回答、没有负面声浪或近期问答为空",
           "stale answers, topics without answers, no negative wave and empty recent Q&A"),
}


def coverage_warning(store, as_of: datetime | None, config=None, lang: str = "zh", subject: str = "community", *,
                     reader: bool = False) -> str | None:
    """A warning when ``as_of`` lies outside the data, else None: before the first content item (nothing existed
    yet, so empty results and scores of 0 mean no data) or more than ``risks.stale_data_days`` after the last one
    (the recent windows lack data). A store without content always warns; ``as_of=None`` checks only that.
    ``config`` defaults to the store's; ``lang`` is ``zh`` or ``en``. The advice names the parameter ``as_of``, as the
    Python and HTTP APIs take it; the command line says ``--as-of`` (:func:`cli_wording`). ``subject`` names what a
    late as_of makes look wrong: ``community`` (activity, cooling members) or ``kb`` (stale answers, no wave).
    ``reader=True`` words the advice for a reader who passes no parameter and runs no command (the operations report):
    pick a later or an earlier date (请选择更晚的日期), the limit in days, the dashboard's Imports page.

    >>> from reef.store import open_store
    >>> coverage_warning(open_store(":memory:"), None, lang="en", reader=True).split(". ")[-1]
    "Import data on the dashboard's Imports page first."
    """
    en, config = lang == "en", config or store.config
    first, last = store.fetch_all("SELECT min(created_at), max(created_at) FROM content")[0] if store.table_exists("content") else (None, None)
    if first is None:
        return ("Warning: the store holds no content yet; results are empty and every score is 0 because there is nothing to measure. "
                + _IMPORT_FIRST[1][reader] if en else "注意：数据库中还没有任何内容，结果为空、各项分数为0只是因为无数据可测。"
                + _IMPORT_FIRST[0][reader])
    if as_of is None:
        return None
    zone = str(config.get("general.timezone"))
    at = _day(as_of, zone)
    if as_of < first:
        begun = _day(first, zone)
        if begun == at:  # "as of 2010-08-26 is before the first content (2010-08-26)": the same day, so say the times
            at, begun = (local_time(t, zone, "%Y-%m-%d %H:%M") for t in (as_of, first))
        return (f"Warning: as of {at} is before the first content ({begun}): nothing existed yet, so empty results and "
                f"scores of 0 mean no data, not a quiet community or no risk. {_advice('later', en, reader)}" if en else
                f"注意：评估时点{at}早于最早的内容（{begun}），当时还没有数据，结果为空或分数为0只说明没有数据，"
                f"并不代表社群冷清或没有风险。{_advice('later', en, reader)}")
    gap = (as_of - last).total_seconds() / 86400
    limit = float(config.get(STALE_DATA_KEY))
    if gap <= limit:
        return None
    # a reader sets no configuration: the limit in days, without the setting's name
    over = (f"more than {_days(limit)}" if reader else f"more than {STALE_DATA_KEY} = {limit:g}",
            f"超过{limit:g}天" if reader else f"超过 {STALE_DATA_KEY} = {limit:g} 天")
    return (f"Warning: as of {at} is {_days(round(gap))} after the last content ({_day(last, zone)}; {over[0]}): "
            f"the recent windows lack data, so {_STALE_SEEMS[subject][1]} may only mean the data "
            f"ends there. {_advice('earlier', en, reader)}" if en else
            f"注意：评估时点{at}比最后一条内容（{_day(last, zone)}）晚{gap:.0f}天（{over[1]}），"
            f"近期窗口缺少数据，{_STALE_SEEMS[subject][0]}可能只是数据到此为止。{_advice('earlier', en, reader)}")


def analysis_as_of(store, name: str) -> datetime | None:
    """The as_of of the latest successful run of analysis ``name`` (what its tables hold now), or None."""
    if not store.table_exists("analysis_runs"):
        return None
    return store.fetch_value("SELECT as_of FROM analysis_runs WHERE name = $n AND status = 'ok' ORDER BY finished_at DESC LIMIT 1",
                             {"n": name})


def results_warning(store, names: Iterable[str], lang: str = "zh", config=None, subject: str = "community") -> str | None:
    """:func:`coverage_warning` for the results of the analyses ``names`` as stored now: the first warning among
    the as_of values their latest runs used; None when none of them ran or the data covers every one."""
    for as_of in dict.fromkeys(analysis_as_of(store, n) for n in names):
        if as_of is not None:
            warning = coverage_warning(store, as_of, config, lang, subject)
            if warning:
                return warning
    return None
