"""Static accessibility rules for the dashboard's pages and stylesheet (WCAG 2.1 AA basics checkable offline).

:func:`page_problems` reads one rendered page with the standard library's HTML parser and returns what breaks the
rules in docs/surfaces.md ("Accessibility"); :func:`contrast_problems` computes WCAG contrast ratios from reef.css.
Used by tests/web/test_accessibility.py; kept apart so the rules read as one list.

Example:
    >>> round(contrast("#000", "#fff"), 1)
    21.0
    >>> page_problems('<html lang="en"><title>x</title><body><main id="m"></main></body></html>', "en")[0]
    'no skip link to the main content as the first link of the page'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["page_problems", "contrast", "contrast_problems", "css_rules", "parse_page"]

HTML_LANG = {"zh": ("zh-CN", "zh-Hans"), "en": ("en",)}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NAMELESS_INPUTS = {"hidden", "submit", "button", "reset", "image"}
STATUS_CLASSES = {"error", "warn", "alarm", "overdue", "high", "medium", "low"}
NO_VALUE = set("-–—")  # a dash in a cell says "no value": text, not a symbol standing for a status


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


def page_problems(html: str, lang: str) -> list[str]:
    """Every rule the page at hand breaks, each as one line (an empty list: the page passes)."""
    root = parse_page(html)
    nodes = list(root.walk())
    by_tag: dict[str, list[Node]] = {}
    for n in nodes:
        by_tag.setdefault(n.tag, []).append(n)
    ids = [n.attrs["id"] for n in nodes if "id" in n.attrs]
    known = set(ids)
    out: list[str] = []
    links = by_tag.get("a", [])
    main = by_tag.get("main", [])
    # Skip link first, then the document's language and title, landmarks, headings.
    first = links[0] if links else None
    if not (first and first.attrs.get("href", "").startswith("#") and main and first.attrs["href"][1:] == main[0].attrs.get("id")):
        out.append("no skip link to the main content as the first link of the page")
    html_lang = (by_tag.get("html") or [Node("html", {})])[0].attrs.get("lang", "")
    if html_lang not in HTML_LANG[lang]:
        out.append(f"<html lang={html_lang!r}> on a page in {lang} (wanted one of {HTML_LANG[lang]})")
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
    """A chart (figure[data-chart]) shows its figures as a table too, not only as a drawing."""
    out = []
    for fig in figures:
        if "data-chart" in fig.attrs and not any(n.tag == "table" for n in fig.walk()):
            out.append(f"chart {fig.attrs.get('id', '?')!r} has no table of its figures")
    return out


# -- the stylesheet ------------------------------------------------------------------------------------------------

def css_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) for every rule of ``css``, @media blocks flattened (print rules included)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)\s*\}", r"\1", css)
    rules = []
    for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = {}
        for part in body.split(";"):
            if ":" in part:
                k, v = part.split(":", 1)
                decls[k.strip().lower()] = v.strip()
        for s in sel.split(","):
            rules.append((" ".join(s.split()), decls))
    return rules


def _rgba(value: str) -> tuple[float, float, float, float] | None:
    value = value.strip().lower()
    m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", value)
    if m:
        h = m.group(1)
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0
    m = re.fullmatch(r"rgba?\(([^)]*)\)", value)
    if m:
        parts = [float(p) for p in m.group(1).replace("/", ",").split(",")]
        return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0
    return {"white": (255, 255, 255, 1.0), "black": (0, 0, 0, 1.0)}.get(value)


def _over(fg, bg, alpha: float = 1.0):
    a = fg[3] * alpha
    return tuple(fg[i] * a + bg[i] * (1 - a) for i in range(3)) + (1.0,)


def _luminance(rgb) -> float:
    def chan(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (chan(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """The WCAG 2.1 contrast ratio of two opaque CSS colours (1 to 21)."""
    lf, lb = _luminance(_rgba(fg)), _luminance(_rgba(bg))
    return (max(lf, lb) + 0.05) / (min(lf, lb) + 0.05)


def contrast_problems(css: str, minimum: float = 4.5) -> list[str]:
    """Text colour pairs below ``minimum``. A rule that sets a background is read against it; a rule under ``header``
    against the header's; any other against every light surface the stylesheet paints (body, cards, highlighted rows,
    notices), since its text may sit on any of them. ``opacity`` is blended in."""
    rules = css_rules(css)
    backgrounds: dict[str, tuple] = {}
    for s, d in rules:  # a selector's first opaque background (a print rule may name it again without one)
        bg = _rgba(d.get("background-color") or d.get("background", ""))
        if bg and s not in backgrounds:
            backgrounds[s] = bg
    header = backgrounds.get("header")
    surfaces = {s: bg for s, bg in backgrounds.items() if bg and not s.startswith("header") and _luminance(bg) > 0.5}
    out = []
    for sel, decls in rules:
        fg = _rgba(decls.get("color", "")) if decls.get("color") not in (None, "inherit", "currentColor") else None
        alpha = float(decls.get("opacity", 1))
        if fg is None:
            if alpha < 1:  # dimmed text of a colour this rule does not say: its contrast cannot be known here
                out.append(f"{sel} {{opacity: {decls['opacity']}}} dims text of an unknown colour: set a colour instead")
            continue
        own = backgrounds.get(sel)
        against = {sel: own} if own else {"header": header} if sel.startswith("header") else surfaces
        for where, bg in against.items():
            ratio = contrast_rgb(_over(fg, bg, alpha), bg)
            if ratio < minimum:
                out.append(f"{sel} {{color: {decls['color']}}} on {where} ({_hex(bg)}): {ratio:.2f}:1 < {minimum}:1")
    return out


def contrast_rgb(fg, bg) -> float:
    lf, lb = _luminance(fg), _luminance(bg)
    return (max(lf, lb) + 0.05) / (min(lf, lb) + 0.05)


def _hex(rgba) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgba[:3])
