"""Reports: a self-contained Markdown + HTML operations report, and store health.

Example:
    >>> from reef.store import open_store
    >>> import tempfile
    >>> write_report(open_store(":memory:"), tempfile.mkdtemp(), lang="en").name.startswith("reef-report-")
    True
"""
from reef.report.model import Chart, Report, Section, Table, line_chart_svg
from reef.report.status import last_runs, quarantine_rows, store_status


def write_report(store, out_dir, as_of=None, lang="zh"):
    """Write reef-report-<day>.md and .html into ``out_dir`` (see :func:`reef.report.build.write_report`)."""
    from reef.report.build import write_report as _write

    return _write(store, out_dir, as_of=as_of, lang=lang)


def report_file_name(store, as_of=None, fmt="html"):
    """``reef-report-<day>.html`` / ``.md`` (see :func:`reef.report.build.report_file_name`)."""
    from reef.report.build import report_file_name as _name

    return _name(store, as_of, fmt)


def build_report(store, as_of=None, lang="zh"):
    """The report object (see :func:`reef.report.build.build_report`)."""
    from reef.report.build import build_report as _build

    return _build(store, as_of=as_of, lang=lang)


__all__ = ["Chart", "Report", "Section", "Table", "line_chart_svg", "last_runs", "quarantine_rows",
           "store_status", "write_report", "build_report", "report_file_name"]
