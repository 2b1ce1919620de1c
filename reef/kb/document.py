"""A small document model for the compiled guides, rendered as Markdown or one self-contained HTML
file (inline CSS, no scripts, fonts or images from the network).

Example:
    >>> doc = Document("新手百科", "2026-06-30", [Section("充电", "", [Entry("家充怎么装？", "找物业开证明。", "— 小澜")])])
    >>> print(to_markdown(doc).splitlines()[0])
    # 新手百科
    >>> "<h2 id=\\"s1\\">充电</h2>" in to_html(doc)
    True
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

__all__ = ["Entry", "Section", "Document", "to_markdown", "to_html"]


@dataclass
class Entry:
    title: str
    body: str = ""
    credit: str = ""
    table: list[list[str]] | None = None  # first row = header


@dataclass
class Section:
    title: str
    intro: str = ""
    entries: list[Entry] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    lang: str = "zh"


def _md_table(rows: list[list[str]]) -> list[str]:
    def cell(v):
        return str(v).replace("|", "\\|").replace("\n", " ")
    head, *body = rows
    return ["| " + " | ".join(map(cell, head)) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(map(cell, r)) + " |" for r in body]


def to_markdown(doc: Document) -> str:
    """The document as Markdown, with a table of contents."""
    out = [f"# {doc.title}", ""]
    if doc.subtitle:
        out += [f"> {doc.subtitle}", ""]
    out += [("## 目录" if doc.lang == "zh" else "## Contents"), ""]
    out += [f"{i}. {s.title}" for i, s in enumerate(doc.sections, 1)] + [""]

    def section(s: Section, level: int) -> None:
        out.extend([f"{'#' * level} {s.title}", ""])
        if s.intro:
            out.extend([s.intro, ""])
        for e in s.entries:
            out.append(f"**{e.title}**" if e.title else "")
            out.append("")
            if e.body:
                out.extend(["> " + line if line else ">" for line in e.body.splitlines()] + [""])
            if e.table:
                out.extend(_md_table(e.table) + [""])
            if e.credit:
                out.extend([e.credit, ""])
        for sub in s.subsections:
            section(sub, level + 1)

    for s in doc.sections:
        section(s, 2)
    return "\n".join(out).rstrip() + "\n"


_CSS = """body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:860px;margin:2em auto;
padding:0 1em;line-height:1.7;color:#1f2933}h1{border-bottom:3px solid #0b7285;padding-bottom:.3em}h2{color:#0b7285;margin-top:2em}
.sub{color:#52606d}.entry{border-left:3px solid #99e9f2;padding:.2em 0 .2em 1em;margin:1em 0}.entry h4{margin:.2em 0}
blockquote{margin:.4em 0;color:#323f4b;white-space:pre-wrap}.credit{color:#52606d;font-size:.92em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #cbd2d9;padding:.25em .6em;text-align:left}nav ol{columns:2}"""


def to_html(doc: Document) -> str:
    """The document as one self-contained HTML page (inline CSS only)."""
    e = html.escape
    ids = {id(s): f"s{i}" for i, s in enumerate(doc.sections, 1)}
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if doc.lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(doc.title)}</title><style>{_CSS}</style></head><body>',
             f"<h1>{e(doc.title)}</h1>"]
    if doc.subtitle:
        parts.append(f'<p class="sub">{e(doc.subtitle)}</p>')
    parts.append("<nav><ol>" + "".join(f'<li><a href="#{ids[id(s)]}">{e(s.title)}</a></li>' for s in doc.sections) + "</ol></nav>")

    def section(s: Section, level: int) -> None:
        anchor = f' id="{ids[id(s)]}"' if id(s) in ids else ""
        parts.append(f"<h{level}{anchor}>{e(s.title)}</h{level}>")
        if s.intro:
            parts.append(f"<p>{e(s.intro)}</p>")
        for en in s.entries:
            parts.append('<div class="entry">' + (f"<h4>{e(en.title)}</h4>" if en.title else ""))
            if en.body:
                parts.append(f"<blockquote>{e(en.body)}</blockquote>")
            if en.table:
                head, *body = en.table
                parts.append("<table><tr>" + "".join(f"<th>{e(str(c))}</th>" for c in head) + "</tr>"
                             + "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in body) + "</table>")
            if en.credit:
                parts.append(f'<p class="credit">{e(en.credit)}</p>')
            parts.append("</div>")
        for sub in s.subsections:
            section(sub, min(level + 1, 6))

    for s in doc.sections:
        section(s, 2)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
