"""The weekly risk report (风险周报) as a download: the file's name and its HTML, audited like every download.

The dashboard's 风险雷达 page links to ``GET /api/v1/risks/report`` (docs/surfaces.md), which calls
:func:`risk_report_file` and nothing else. The report itself is :func:`reef.risks.weekly.weekly_report` (what
``reef risks --report FILE`` writes): it reads the radar's last run and refuses an ``as_of`` other than that run's
moment, so a file never labels one run's scores with another date. Member text in it is always masked, so every
role gets the same file.

Example:
    >>> from reef.store import open_store
    >>> risk_report_file_name(open_store(":memory:"), "2026-06-30T00:00:00+08:00")
    'reef-risk-report-2026-06-30.html'
"""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["risk_report_file", "risk_report_file_name", "risk_report_as_of"]


def risk_report_file_name(store, as_of: Any) -> str:
    """``reef-risk-report-<day>.html``: the day of the radar run's ``as_of`` in the store's zone (``general.timezone``),
    as :func:`reef.report.report_file_name` names the operations report."""
    from reef.store.asof import as_of_timestamp

    zone = str(store.config.get("general.timezone"))
    day = as_of_timestamp(as_of, zone).astimezone(ZoneInfo(zone)).date()
    return f"reef-risk-report-{day.isoformat()}.html"


def risk_report_as_of(store):
    """The moment of the radar's last run, the only ``as_of`` the report takes; None before the radar ran.

    >>> from reef.store import open_store
    >>> risk_report_as_of(open_store(":memory:")) is None
    True
    """
    if not store.table_exists("risk_scores"):
        return None
    return store.fetch_value("SELECT max(as_of) FROM risk_scores")


def risk_report_file(store, *, as_of: Any = None, lang: str = "zh", weeks: int = 8, by: str | None = None,
                     role: str | None = None, client: str | None = None) -> dict[str, Any]:
    """The weekly risk report ready to send: ``{"file_name", "html", "as_of", "lang"}``.

    ``as_of`` (None or empty: the radar's last run) must be the moment of the radar's last run (``InvalidParameterError``
    otherwise, as ``reef risks --report`` reads that run); ``lang`` is the file's one language (no CSS switch:
    a pasted e-mail strips styles). With ``by``, the download is written to the audit log (action ``risk_report.download``,
    the file name as target), as exports and report downloads are. Raises ``NotFoundError`` before the radar ran.
    """
    from reef.i18n import check_lang
    from reef.risks.weekly import weekly_report

    lang = check_lang(lang)
    as_of = None if isinstance(as_of, str) and not as_of.strip() else as_of  # empty, as a form sends it: the last run
    html = weekly_report(store, as_of, lang, weeks)  # checks as_of, weeks and that the radar ran
    held = risk_report_as_of(store)
    name = risk_report_file_name(store, held)
    if by is not None:
        from reef.actions.log import audit

        audit(store, by, role, "risk_report.download", name,
              {"as_of": held.isoformat(), "lang": lang, "weeks": weeks}, client)
    return {"file_name": name, "html": html, "as_of": held, "lang": lang}
