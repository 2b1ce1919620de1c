"""Static accessibility rules for the dashboard's pages and the downloaded report (WCAG 2.1 AA basics checkable offline).

:func:`page_problems` reads one rendered page with the standard library's HTML parser and returns what breaks the
rules in docs/surfaces.md ("Accessibility"); :func:`report_problems` applies the rules that fit a document (no skip
link, landmarks or page-name title) to the report's HTML. Colours are checked by tests/web/a11y_colours.py. Used by
tests/web/test_accessibility.py and test_a11y_report.py; kept apart so the rules read as one list.

Example:
    >>> page_problems('<html lang="en"><title>x</title><body><main id="m"></main></body></html>', "en")[0]
    'no skip link to the main content as the first link of the page'
    >>> report_problems('<html lang="en"><title>R</title><body><h1>R</h1><h3>x</h3></body></html>', "en")
    ["<h3> 'x' skips a level (after h1)"]
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["page_problems", "report_problems", "parse_page"]

HTML_LANG = {"zh": ("zh-CN", "zh-Hans"), "en": ("en",)}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NAMELESS_INPUTS = {"hidden", "submit", "button", "reset", "image"}
STATUS_CLASSES = {"error", "warn", "alarm", "overdue", "high", "medium", "low"}
NO_VALUE = set("-–—")  # a dash in a cell says "no value": text, not a symbol standing for a status
PAGE_LINK = re.compile(r"[?&]\w*page=\d+")  # a link to another page of a list (page=, rpage=, gpage=...)
# A chart's own words that name a colour as the meaning ("红色为预警日"): colour must not be the only means.
COLOUR_WORDS = re.compile(r"红色|绿色|橙色|蓝色|黄色|紫色|\b(red|green|orange|blue|yellow|purple)\b", re.I)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: "Node | None" = None
    children: list = field(default_factory=list)  # Nodes and strings

    def text(self) -> str:
        """The text a screen reader reads: aria-hidden subtrees left out, an svg's label, an img's alt."""
        if self.attrs.get("aria-hidden") == "true":
            return ""
        if self.tag in ("svg", "img"):
            return self.attrs.get("aria-label") or self.attrs.get("alt") or ""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def name(self) -> str:
        """The accessible name of a link or button: aria-label, else its text."""
        return (self.attrs.get("aria-label") or self.text()).strip()

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: v if v is not None else "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # a stray end tag is ignored, as browsers do
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_page(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    return tree.root


def _symbols_only(text: str) -> bool:
    text = "".join(text.split())
    return bool(text) and not set(text) <= NO_VALUE and all(unicodedata.category(ch)[0] in "SP" for ch in text)


def _index(html: str):
    nodes = list(parse_page(html).walk())
    by_tag: dict[str, list[Node]] = {}
    for n in nodes:
        by_tag.setdefault(n.tag, []).append(n)
    return nodes, by_tag


def _lang_problems(by_tag: dict[str, list[Node]], lang: str) -> list[str]:
    html_lang = (by_tag.get("html") or [Node("html", {})])[0].attrs.get("lang", "")
    return [] if html_lang in HTML_LANG[lang] else [f"<html lang={html_lang!r}> on a page in {lang} (wanted one of {HTML_LANG[lang]})"]


def report_problems(html: str, lang: str) -> list[str]:
    """The rules that fit a document read on its own (the weekly report): its language, a title its h1 repeats, and
    every content rule of :func:`page_problems` (headings, names, tables, charts, colour words, pagers)."""
    nodes, by_tag = _index(html)
    out = _lang_problems(by_tag, lang)
    title = " ".join("".join(t.text() for t in by_tag.get("title", [])).split())
    h1s = by_tag.get("h1", [])
    if not title or not h1s or " ".join(h1s[0].text().split()) != title:
        out.append(f"<title> {title!r} is empty or not the report's h1")
    return out + _content_problems(nodes, by_tag)


def page_problems(html: str, lang: str) -> list[str]:
    """Every rule the page at hand breaks, each as one line (an empty list: the page passes)."""
    nodes, by_tag = _index(html)
    out: list[str] = []
    links = by_tag.get("a", [])
    main = by_tag.get("main", [])
    # Skip link first, then the document's language and title, landmarks; then what any HTML of Reef follows.
    first = links[0] if links else None
    if not (first and first.attrs.get("href", "").startswith("#") and main and first.attrs["href"][1:] == main[0].attrs.get("id")):
        out.append("no skip link to the main content as the first link of the page")
    out += _lang_problems(by_tag, lang)
    title = " ".join("".join(t.text() for t in by_tag.get("title", [])).split())
    h1s = by_tag.get("h1", [])
    h1 = " ".join(h1s[0].text().split()) if h1s else ""
    page_name = title.split(" · ")[0].strip()
    if " · " not in title or not page_name or not h1.startswith(page_name):
        out.append(f"<title> {title!r} does not name the page (its h1 is {h1!r})")
    if len(main) != 1 or len(by_tag.get("header", [])) != 1:
        out.append(f"{len(by_tag.get('header', []))} <header> and {len(main)} <main> (one of each wanted)")
    if any(f.attrs.get("action") == "/logout" for f in by_tag.get("form", [])) and not by_tag.get("nav"):
        out.append("a logged-in page without <nav>")
    for a in (a for nav in by_tag.get("nav", []) for a in nav.walk() if a.tag == "a"):
        if "active" in a.classes() and a.attrs.get("aria-current") != "page":
            out.append(f"the current page's nav link {a.name()!r} lacks aria-current=\"page\"")
    return out + _content_problems(nodes, by_tag)


def _content_problems(nodes: list[Node], by_tag: dict[str, list[Node]]) -> list[str]:
    """Headings, ids, landmark names, names, tables, charts and pagers."""
    out: list[str] = []
    ids = [n.attrs["id"] for n in nodes if "id" in n.attrs]
    known = set(ids)
    h1s = by_tag.get("h1", [])
    if len(h1s) != 1:
        out.append(f"{len(h1s)} <h1> (one wanted)")
    level = 0
    for n in nodes:
        if re.fullmatch(r"h[1-6]", n.tag):
            if int(n.tag[1]) > level + 1:
                out.append(f"<{n.tag}> {' '.join(n.text().split())!r} skips a level (after h{level})")
            level = int(n.tag[1])
            if not n.text().strip():
                out.append(f"an empty <{n.tag}>")
    out += [f"id {i!r} is used {ids.count(i)} times" for i in sorted({i for i in ids if ids.count(i) > 1})]
    navs = [(nav.attrs.get("aria-label") or "").strip() for nav in by_tag.get("nav", [])]
    out += [f"{navs.count(x)} <nav> named {x!r}: each needs its own name" for x in sorted(set(navs)) if navs.count(x) > 1]
    # Names: form controls, buttons, links, svg and images.
    labels_for = {n.attrs.get("for") for n in by_tag.get("label", [])}
    for n in nodes:
        if n.tag in ("input", "select", "textarea", "progress") and n.attrs.get("type", "") not in NAMELESS_INPUTS:
            refs = n.attrs.get("aria-labelledby", "").split()
            named = (n.attrs.get("aria-label", "").strip() or (refs and all(r in known for r in refs))
                     or any(a.tag == "label" for a in n.ancestors()) or ("id" in n.attrs and n.attrs["id"] in labels_for))
            if not named:
                out.append(f"<{n.tag} name={n.attrs.get('name')!r}> has no label or aria-label")
        if n.tag == "button" or (n.tag == "input" and n.attrs.get("type") in ("submit", "button", "reset")):
            if not (n.name() or n.attrs.get("value", "").strip() and n.tag == "input"):
                out.append(f"a button without text ({n.attrs})")
        if n.tag == "a":
            if not n.attrs.get("href", "").strip():
                out.append(f"a link without href: {n.name()!r}")
            if not n.name():
                out.append(f"a link without text: href={n.attrs.get('href')!r}")
            elif _symbols_only(n.name()):
                out.append(f"a link whose text is only symbols: {n.name()!r}")
        if n.tag == "img":
            out.append(f"an image ({n.attrs.get('src')!r}): text belongs in the page, not in images")
        if n.tag == "svg" and not any(a.tag == "svg" for a in n.ancestors()) and n.attrs.get("aria-hidden") != "true":
            label = n.attrs.get("aria-label", "")
            if n.attrs.get("role") != "img" or not re.search(r"[^\W\d_]", label):
                out.append(f"an svg without role=img and a label in words (aria-label {label!r})")
        for ref in n.attrs.get("aria-labelledby", "").split() + n.attrs.get("aria-describedby", "").split():
            if ref not in known:
                out.append(f"<{n.tag}> refers to a missing id {ref!r}")
        if n.attrs.get("tabindex", "0").lstrip("-").isdigit() and int(n.attrs.get("tabindex", "0")) > 0:
            out.append(f"a positive tabindex on <{n.tag}> breaks the keyboard order")
        if STATUS_CLASSES & n.classes() and not n.text().strip() and n.tag not in ("tr", "form", "fieldset", "label"):
            out.append(f"<{n.tag} class={n.attrs.get('class')!r}> says its status by colour alone (no text)")
        if n.tag in ("td", "th") and _symbols_only(n.text()):
            out.append(f"a table cell shows only a symbol ({n.text().strip()!r}): add words (e.g. a .sr-only span)")
    out += _table_problems(by_tag.get("table", []), known)
    out += _chart_problems(by_tag.get("figure", []))
    return out + _pager_problems(nodes)


def _pager_problems(nodes: list[Node]) -> list[str]:
    """A pager (class ``pager``, or any link to another page of a list) sits in a labelled <nav> that marks the
    current page with aria-current="page", once."""
    out, pagers = [], {}
    for n in nodes:
        # the language switch keeps the query (page=2 stays page 2 in the other language): it pages nothing
        if not ("pager" in n.classes() or (n.tag == "a" and "hreflang" not in n.attrs and PAGE_LINK.search(n.attrs.get("href", "")))):
            continue
        nav = n if n.tag == "nav" else next((a for a in n.ancestors() if a.tag == "nav"), None)
        if nav is None:
            out.append(f"a pager outside a <nav>: <{n.tag} class={n.attrs.get('class')!r}> {' '.join(n.text().split())[:40]!r}")
        else:
            pagers[id(nav)] = nav
    for nav in pagers.values():
        label = (nav.attrs.get("aria-label") or "").strip()
        if not label and not nav.attrs.get("aria-labelledby"):
            out.append(f"a pager's <nav> without aria-label: {' '.join(nav.text().split())[:40]!r}")
        current = [d for d in nav.walk() if d.attrs.get("aria-current") == "page"]
        if len(current) != 1:
            out.append(f"pager {label!r} marks {len(current)} elements aria-current=\"page\" (one wanted)")
    return out


def _table_problems(tables: list[Node], known: set[str]) -> list[str]:
    out = []
    for table in tables:
        tid = table.attrs.get("id") or table.attrs.get("class") or "?"
        cells = [n for n in table.walk() if n.tag in ("th", "td")]
        heads = [n for n in cells if n.tag == "th"]
        if cells and not heads:
            out.append(f"table {tid!r} has no header cells (<th>)")
        for th in heads:
            if th.attrs.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                out.append(f"a <th> of table {tid!r} without scope: {' '.join(th.text().split())!r}")
            if not (th.attrs.get("aria-label") or th.text()).strip():
                out.append(f"an empty <th> in table {tid!r}")
        named = (any(c.tag == "caption" and c.text().strip() for c in table.children if isinstance(c, Node))
                 or table.attrs.get("aria-label", "").strip()
                 or (table.attrs.get("aria-labelledby") and set(table.attrs["aria-labelledby"].split()) <= known))
        if len(tables) > 1 and not named:
            out.append(f"table {tid!r} has no caption or aria-label on a page with {len(tables)} tables")
    return out


def _chart_problems(figures: list[Node]) -> list[str]:
    """A chart (figure[data-chart]) shows its figures as a table too, not only as a drawing; with several series its
    legend names each in text beside its colour, and what a marker (an alarm day) means too; no caption explains by
    a colour's name."""
    out = []
    for fig in figures:
        name = fig.attrs.get("id", "?")
        words = " ".join(n.text() for n in fig.walk() if n.tag in ("figcaption", "caption"))
        if COLOUR_WORDS.search(words):
            out.append(f"chart {name!r} explains by colour: {words.strip()[:60]!r} (name the shape, or say it in words)")
        if "data-chart" not in fig.attrs:
            continue
        if not any(n.tag == "table" for n in fig.walk()):
            out.append(f"chart {name!r} has no table of its figures")
        spec = json.loads(fig.attrs["data-chart"])
        legend = {"".join(c for c in n.children if isinstance(c, str)).strip() for n in fig.walk() if n.tag == "text"}
        series = spec.get("series", [])
        named = [s["name"] for s in series] if len(series) > 1 else []
        if spec.get("markers"):
            named.append(spec.get("marked") or "(what the markers mean: ChartSpec.marked)")
        out += [f"chart {name!r}: {n!r} is told by colour or shape alone (no legend text)" for n in named if n not in legend]
    return out
