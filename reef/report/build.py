"""Assemble the operations report from the store: one section per analysis with results.

Analyses are brought up to date first (incrementally) at the report's ``as_of``, so the report
always describes one moment. Sections come from the registry (``report_section``), ordered by
each analysis's ``order``; import and data health and the analysis runs close the report.

Example:
    >>> from reef.store import open_store
    >>> build_report(open_store(":memory:"), lang="en").title
    'Community operations report'
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from reef import __version__
from reef.analyses import registered, run_analyses
from reef.i18n import check_lang, code_label, t
from reef.report import sections
from reef.report.capability_sections import LEFT_OUT, SECTIONS, build_section
from reef.report.model import Report, Section, Table
from reef.report.render import to_html, to_markdown
from reef.report.status import last_runs, store_status
from reef.store.connection import Store
from reef.store.coverage import local_time

__all__ = ["build_report", "write_report", "report_file_name", "zone_stamp"]


def zone_stamp(moment: datetime, zone: str, lang: str = "zh") -> str:
    """A moment as a reader anywhere reads it: local minute, UTC offset and zone name (CST is three zones).

    >>> zone_stamp(datetime(2026, 6, 1, 16, tzinfo=timezone.utc), "Asia/Shanghai", "en")
    '2026-06-02 00:00 (UTC+08:00, Asia/Shanghai)'
    """
    local = moment.astimezone(_zone(zone))
    off = local.strftime("%z")
    where = f"UTC{off[:3]}:{off[3:]}" if off else "UTC"
    return f"{local:%Y-%m-%d %H:%M}" + (f" ({where}, {zone})" if lang == "en" else f"（{where}，{zone}）")


def _health_section(store: Store, lang: str, as_of: datetime | None, label: str) -> Section:
    status = store_status(store, as_of)  # the report describes one moment: rows that existed then, not imported since
    section = Section(t("report.health", lang), key="health")
    if as_of is not None:
        section.paragraphs.append(t("report.rows_as_of", lang, at=label))
    imports = status["imports"]
    if imports["count"]:
        last = imports["last_at"]  # ISO text (UTC): stamped with its zone as the report's other times are
        last = zone_stamp(datetime.fromisoformat(last), store.config.get("general.timezone"), lang) if last else ""
        section.paragraphs.append(t("report.imports", lang, n=imports["count"], at=last))
    q = status["quarantine"]
    if q["total"]:
        from reef.ingest.reasons import reason_label
        # the sentence is the reasons table's caption: as a paragraph it read as the heading of the row counts
        section.tables.append(Table([t("col.reason", lang), t("col.rows", lang)],
                                    [[reason_label(code, lang), n] for code, n in q["by_kind"].items()],
                                    t("report.quarantine_some", lang, n=q["total"])))
    else:
        section.paragraphs.append(t("report.quarantine_none", lang))
    section.tables.insert(0, Table([t("col.metric", lang), t("col.rows", lang)],
                                   [[code_label(k, lang), v] for k, v in status["tables"].items()]))
    return section


def build_report(store: Store, as_of: Any = None, lang: str = "zh", *, run: bool = True, on_progress=None) -> Report:
    """The report as a :class:`Report` (sections, tables, charts) for ``as_of`` in ``lang``; ``on_progress(step, done,
    total)`` follows the analyses brought up to date first (the dashboard's report job shows it)."""
    lang = check_lang(lang)
    run_report = run_analyses(store, as_of=as_of, raise_on_error=False, on_progress=on_progress) if run else None
    moment = run_report.as_of if run_report else datetime.now(timezone.utc)
    zone = store.config.get("general.timezone")
    statuses = {r.name: r.status for r in run_report.results} if run_report else {}
    body: list[Section] = []
    failed = [r for r in (run_report.results if run_report else []) if r.status in ("failed", "blocked")]
    for analysis in sorted(registered(), key=lambda a: (a.order, a.name)):
        if statuses.get(analysis.name) in ("failed", "blocked"):
            continue
        if analysis.writes and not all(store.table_exists(tb) for tb in analysis.writes):
            continue
        if analysis.section is None and analysis.name in LEFT_OUT:  # internal tables (a search model): nothing to read
            continue
        try:
            if analysis.section is not None:
                section = analysis.section(store, moment, lang)
            elif analysis.name in SECTIONS:
                section = build_section(analysis.name, store, moment, lang)
            else:  # a third-party analysis without a section of its own
                section = sections.generic_section(store, analysis, lang)
        except Exception as exc:  # one broken section must not lose the whole report
            section = Section(analysis.title_in(lang), [f"{type(exc).__name__}: {exc}"], key=analysis.name)
        if section is not None:
            if not section.paragraphs and not section.charts and not any(tb.rows for tb in section.tables):
                from reef.report.empty import empty_text  # a header-only table is not shown: say why it is empty

                section.paragraphs.append(empty_text(store, moment, lang, (t("report.no_data", "zh"), t("report.no_data", "en"))))
            body.append(section)
    if not body:
        body.append(Section(t("report.size", lang), [t("report.missing", lang)], key="size"))
    else:  # the week at a glance, with one chart per capability, opens the report
        from reef.report.weekly import weekly_sections
        body[:0] = weekly_sections(store, moment, lang)
    label = zone_stamp(moment, zone, lang)
    body.append(_health_section(store, lang, moment if run_report else None, label))
    # versions, model strings and the store file are for staff: one folded block at the end, not the manager's reading
    runs = Section(t("report.analyses", lang), key="runs", details=True)
    # the file's name only: where the store lives on the server is no business of the report's readers
    runs.paragraphs.append(f"{t('report.store', lang)}{': ' if lang == 'en' else '：'}"
                           f"{Path(str(store.path)).name if store.path else ':memory:'}")
    if run_report:
        runs.paragraphs.append(t("report.runs_as_of", lang, at=label))
    if failed:
        runs.paragraphs.append(t("report.failed", lang) + " " + "; ".join(f"{r.name}: {r.message}" for r in failed))
    titles = {a.name: a.title_in(lang) for a in registered()}
    runs.tables.append(Table(
        [t("col.analysis", lang), t("col.version", lang), t("col.status", lang), t("col.rows", lang), t("col.finished", lang)],
        [[titles.get(r["name"], r["name"]), r["version"], code_label(r["status"], lang), r["rows"], local_time(r["finished_at"], zone)]
         for r in last_runs(store, as_of=moment if run_report else None)]))
    body.append(runs)
    meta = [
        (t("report.as_of", lang), label),
        (t("report.generated", lang), zone_stamp(datetime.now(timezone.utc), zone, lang)),
    ]
    if run_report:  # as_of outside the data: the sections describe empty or stale windows
        from reef.store.coverage import coverage_warning

        note = coverage_warning(store, moment, lang=lang, reader=True)  # the reader picks a date, passes no as_of
        if note:
            meta.insert(1, (t("report.coverage", lang), note))
    return Report(t("report.title", lang), meta, body, footer=f"{t('report.footer', lang)} Reef {__version__}", lang=lang,
                  as_of=moment if run_report else None)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def write_report(store: Store, out_dir: str | Path, as_of: Any = None, lang: str = "zh", *, on_progress=None) -> Path:
    """Write the report; returns the HTML path.

    ``out_dir`` ending in ``.html`` (``weekly.html``) names the HTML file itself, with the Markdown
    beside it (``weekly.md``); any other path is a folder that gets ``reef-report-<day>.html`` and ``.md``
    (:func:`report_file_name`, the dashboard download's name), so last week's report is not overwritten.
    Personal data is always masked (:mod:`reef.report.render`): there is no unmasked report.
    """
    report = build_report(store, as_of=as_of, lang=lang, on_progress=on_progress)
    out = Path(out_dir)
    html = out if out.suffix.lower() in (".html", ".htm") else out / report_file_name(store, report.as_of)
    html.parent.mkdir(parents=True, exist_ok=True)
    html.with_suffix(".md").write_text(to_markdown(report), encoding="utf-8")
    html.write_text(to_html(report), encoding="utf-8")
    return html


def report_file_name(store: Store, as_of: Any = None, fmt: str = "html") -> str:
    """``reef-report-<day>.html`` (``.md``): the day of the report's as_of in the store's zone (``general.timezone``),
    the end of the data when ``as_of`` is None, as :func:`reef.export.export_file_name` names the workbook.

    >>> from reef.store import open_store
    >>> report_file_name(open_store(":memory:"), "2026-06-30", "md")
    'reef-report-2026-06-30.md'
    """
    from reef.analyses.runner import resolve_as_of

    day = resolve_as_of(store, as_of).astimezone(_zone(store.config.get("general.timezone"))).date()
    return f"reef-report-{day.isoformat()}.{'md' if fmt == 'md' else 'html'}"
