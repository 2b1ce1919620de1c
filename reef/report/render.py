"""Render a :class:`~reef.report.model.Report` as Markdown and as one self-contained HTML file.

The HTML has inline CSS and inline SVG only: no scripts, fonts or styles from the network, so
it opens offline and prints cleanly. It follows the dashboard's accessibility rules that apply to a document
(docs/surfaces.md, "Accessibility"): its language and title, headings in order, column headers with a scope, every
chart labelled in words, text colours of 4.5:1. Every value from the data is escaped, and personal data in
table cells and paragraphs (phones, plates, VINs, ids) is masked: a report leaves the building
like an export does.

Example:
    >>> from reef.report.model import Report, Section
    >>> "<h2" in to_html(Report("报告", [], [Section("规模", ["<b>3</b>"])]))
    True
"""
from __future__ import annotations

from html import escape
from typing import Any

from reef.actions.privacy import mask_text
from reef.report.model import Report, Table

__all__ = ["to_markdown", "to_html"]

_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;
max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
h1{border-bottom:2px solid #1f6fb2;padding-bottom:.3em}h2{margin-top:2em;color:#1f6fb2}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}caption{text-align:left;color:#444}th,td{border:1px solid #ccc;padding:.3em .7em;text-align:left}
th{background:#eef4fa}td.num{text-align:right}.meta{color:#666}figure{margin:1em 0}figcaption{color:#666;font-size:.9em}
nav ul{columns:2}details.tech{margin-top:2em;color:#555}details.tech summary{cursor:pointer;color:#1f6fb2}footer{margin-top:3em;color:#666;font-size:.85em}
figure svg{max-width:100%;height:auto}
@media print{@page{size:A4;margin:14mm}body{margin:0;max-width:none;font-size:11pt}nav{display:none}
h2{page-break-after:avoid;break-after:avoid}table,figure{page-break-inside:avoid;break-inside:avoid}
section{break-before:auto}a{color:inherit;text-decoration:none}}
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "hour") else value.isoformat()
    return mask_text(str(value))


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："  # a full-width colon is Chinese punctuation only


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(table: Table) -> list[str]:
    lines = [f"*{table.caption}*", ""] if table.caption else []
    lines.append("| " + " | ".join(_md_escape(c) for c in table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(_md_escape(_cell(v)) for v in row) + " |" for row in table.rows]
    return lines + [""]


def to_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown (charts are left out)."""
    out = [f"# {report.title}", ""]
    out += [f"- {k}{_colon(report.lang)}{v}" for k, v in report.meta] + [""]
    for section in report.sections:
        out += [f"## {section.title}", ""]
        for p in section.paragraphs:
            out += [mask_text(p), ""]
        for table in section.tables:
            if table.rows:  # an empty table says nothing its section's sentence does not
                out += _md_table(table)
        for chart in section.charts:
            if chart.caption:
                # the CLI and the dashboard both name the HTML reef-report-<day>.html, beside this file
                see = ("（图表见同名的 HTML 版 reef-report-YYYY-MM-DD.html）" if report.lang == "zh"
                       else " (chart in the HTML version of the same name, reef-report-YYYY-MM-DD.html)")
                out += [f"*{chart.caption}*{see}", ""]
    if report.footer:
        out += ["---", report.footer, ""]
    return "\n".join(out)


def _html_table(table: Table, name: str = "") -> str:
    """A table with column headers (``scope="col"``), named by its caption, else ``name`` (its section's title: a
    screen reader lists the tables of the file by name)."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="num">{escape(_cell(v))}</td>' if isinstance(v, (int, float)) and not isinstance(v, bool)
            else f"<td>{escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in table.rows)
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    label = f' aria-label="{escape(name)}"' if name and not table.caption else ""
    return f"<table{label}>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: Report) -> str:
    """The report as one HTML document with inline CSS and SVG."""
    lang = "zh-CN" if report.lang == "zh" else "en"
    parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(report.title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{escape(report.title)}</h1>",
             '<p class="meta">' + "<br>".join(f"{escape(k)}{_colon(report.lang)}{escape(v)}" for k, v in report.meta) + "</p>"]
    contents = "Contents" if report.lang == "en" else "目录"
    parts.append(f'<nav aria-label="{contents}"><ul>' + "".join(
        f'<li><a href="#{escape(s.key or str(i))}">{escape(s.title)}</a></li>' for i, s in enumerate(report.sections)) + "</ul></nav>")
    for i, section in enumerate(report.sections):
        anchor = escape(section.key or str(i))
        if section.details:  # technical details: folded away, opened by who needs them (print shows them closed)
            parts.append(f'<details class="tech" id="{anchor}"><summary>{escape(section.title)}</summary>')
        else:
            parts.append(f'<section id="{anchor}"><h2>{escape(section.title)}</h2>')
        parts += [f"<p>{escape(mask_text(p))}</p>" for p in section.paragraphs]
        for chart in section.charts:
            # Chart SVG is generated by Reef (values escaped there), never taken from member text.
            parts.append(f"<figure>{chart.svg}<figcaption>{escape(chart.caption)}</figcaption></figure>")
        shown = [tb for tb in section.tables if tb.rows]  # no header-only tables
        parts += [_html_table(tb, section.title + (f" ({k})" if len(shown) > 1 else "")) for k, tb in enumerate(shown, 1)]
        parts.append("</details>" if section.details else "</section>")
    if report.footer:
        parts.append(f"<footer>{escape(report.footer)}</footer>")
    parts.append("</body></html>")
    return "\n".join(parts)
