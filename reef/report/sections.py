"""Report sections of the base analyses, and the generic section an unknown (third-party) analysis gets.

A capability adds its own section with ``@report_section("<analysis name>")`` on a function
``(store, as_of, lang) -> Section``; this module is the worked example. Reef's analyses whose capability
writes no section get one from :mod:`reef.report.capability_sections`.

Example:
    >>> from reef.store import open_store
    >>> generic_section(open_store(":memory:"), __import__("reef.analyses").analyses.REGISTRY["member_summary"], "en").title
    'Member summary'
"""
from __future__ import annotations

from datetime import datetime, timedelta

from reef.analyses.overview import activity_daily, member_summary  # noqa: F401 - registers them
from reef.analyses.registry import Analysis, report_section
from reef.i18n import code_label, header_label, language_columns, t
from reef.report.model import Chart, Section, Table, line_chart_svg

__all__ = ["generic_section", "size_section", "top_contributors_section"]

_PREVIEW_ROWS = 10


@report_section("activity_daily")
def size_section(store, as_of: datetime, lang: str) -> Section:
    """Community size and the daily activity trend."""
    members, staff = store.fetch_all(
        "SELECT count(*) FILTER (WHERE NOT is_staff), count(*) FILTER (WHERE is_staff) FROM member_summary")[0] \
        if store.table_exists("member_summary") else (None, None)
    row = store.fetch_dicts(
        """SELECT sum(content_total) AS content, sum(interactions_total) AS interactions,
                  sum(new_members) FILTER (WHERE day >= CAST($since AS DATE)) AS new_30d,
                  min(day) AS first_day, max(day) AS last_day FROM activity_daily""",
        {"since": as_of - timedelta(days=30)})[0]
    active = store.fetch_value(
        "SELECT count(DISTINCT author_id) FROM content_at($ts) c JOIN members_at($ts) m ON c.author_id = m.member_id "
        "WHERE c.created_at >= $since AND coalesce(m.account_type, 'member') = 'member'",
        {"ts": as_of, "since": as_of - timedelta(days=30)})
    metrics = [
        (t("metric.members", lang), members), (t("metric.staff", lang), staff),
        (t("metric.content", lang), row["content"] or 0), (t("metric.interactions", lang), row["interactions"] or 0),
        (t("metric.active_30d", lang), active or 0), (t("metric.new_30d", lang), row["new_30d"] or 0),
        (t("metric.first_day", lang), row["first_day"]), (t("metric.last_day", lang), row["last_day"]),
    ]
    section = Section(t("report.size", lang), key="size",
                      tables=[Table([t("col.metric", lang), t("col.value", lang)], [[k, v] for k, v in metrics])])
    # Weekly sums keep the chart readable at any length of history.
    weekly = store.fetch_all(
        """SELECT CAST(date_trunc('week', day) AS DATE) AS w, sum(active_members) FROM activity_daily
           WHERE day >= (SELECT min(day) FROM activity_daily WHERE active_members > 0) GROUP BY 1 ORDER BY 1""")
    if weekly:
        caption = t("report.trend_caption", lang) + (" / 周" if lang == "zh" else " / week")
        section.charts.append(Chart(line_chart_svg([(str(w), float(v)) for w, v in weekly], title=caption, lang=lang), caption))
    else:  # the figures above stand; only the trend is missing, and the sentence says so
        section.paragraphs.append(t("report.no_trend", lang))
    return section


@report_section("member_summary")
def top_contributors_section(store, as_of: datetime, lang: str) -> Section:
    """Top contributors by content, then interactions received (staff excluded)."""
    rows = store.fetch_all(
        """SELECT member_id, name, content_total, interactions_received, interactions_given, tenure_days
           FROM member_summary WHERE NOT is_staff AND content_total + interactions_received > 0
           ORDER BY content_total DESC, interactions_received DESC, member_id LIMIT 15""")
    cols = [t(k, lang) for k in ("col.member", "col.name", "col.content", "col.received", "col.given", "col.tenure")]
    section = Section(t("report.top", lang), key="top", tables=[Table(cols, [list(r) for r in rows])] if rows else [])
    if not rows:  # one line, no header-only table
        from reef.report.empty import empty_text

        section.paragraphs.append(empty_text(store, as_of, lang, (t("report.no_data", "zh"), t("report.no_data", "en"))))
    return section


def _cut(value, limit: int = 60):
    from reef.actions.privacy import mask_text

    value = mask_text(value)  # masked before the cut: a cut number no longer matches and would leak in part
    return value[:limit] + "…" if isinstance(value, str) and len(value) > limit else value


def generic_section(store, analysis: Analysis, lang: str) -> Section:
    """For an analysis Reef knows nothing about (a third party's, with no ``report_section``): each table it wrote,
    its row count and its first rows in a stable order, in the report's language: headers through
    :func:`reef.i18n.header_label`, stored codes (aspects, statuses, kinds) through :func:`reef.i18n.code_label`,
    one of each pair of language columns. Reef's own analyses have sections of their own."""
    section = Section(analysis.title_in(lang), key=analysis.name)
    if analysis.description and (lang == "en" or analysis.description_zh):  # no English paragraph in a Chinese report
        section.paragraphs.append(analysis.description_in(lang))
    for table in analysis.writes:
        if not store.table_exists(table):
            continue
        n = int(store.fetch_value(f'SELECT count(*) FROM "{table}"'))
        # Nested columns (lists, structs) and binary ones (stored models) are unreadable in a report table;
        # long text is cut.
        cols = [name for name, typ, *_ in store.fetch_all(f'DESCRIBE "{table}"')
                if not typ.endswith("]") and not typ.startswith(("STRUCT", "MAP", "BLOB", "UNION"))]
        cols = language_columns(cols, lang)
        if not cols:
            continue
        select = ", ".join(f'"{c}"' for c in cols)
        rows = [[_cut(code_label(v, lang) if isinstance(v, str) else v) for v in r]
                for r in store.fetch_all(f'SELECT {select} FROM "{table}" ORDER BY ALL LIMIT {_PREVIEW_ROWS}')]
        section.tables.append(Table([header_label(c, lang) for c in cols], rows,
                                    t("report.table_rows", lang, table=table, rows=n, shown=len(rows))))
    return section
