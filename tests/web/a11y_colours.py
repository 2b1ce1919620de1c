"""Colour rules of the dashboard and the report: WCAG 2.1 contrast computed from the colours in the source.

:func:`contrast_problems` checks text colours (4.5:1) in a stylesheet; :func:`mark_problems` the non-text marks a
reader must see (WCAG 1.4.11, 3:1): indicators of 2 px or more (a focus ring, the current page's underline, an error
outline, the rumour bar), control borders and dark badges; :func:`svg_mark_problems` every filled or stroked shape of
a chart. :func:`colour_literals` lists the colours a source file (reef.js, a template) writes. Used by
tests/web/test_accessibility.py, test_a11y_colours.py and test_a11y_report.py.

Example:
    >>> round(contrast("#000", "#fff"), 1)
    21.0
    >>> mark_problems("body { background: #fff; } .bar { border-left: 4px solid #f4c7c3; }")
    ['.bar {border-left: 4px solid #f4c7c3} on body (#ffffff): 1.52:1 < 3:1']
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["contrast", "contrast_rgb", "contrast_problems", "css_rules", "light_surfaces", "mark_problems",
           "svg_mark_problems", "colour_literals", "rgba"]

COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgba?\([^)]*\)")
CONTROLS = re.compile(r"\b(button|input|select|textarea)\b|a\.button")
CANVAS = (255, 255, 255, 1.0)  # what a browser paints under a page whose body sets no background


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


def rgba(value: str) -> tuple[float, float, float, float] | None:
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
    return contrast_rgb(rgba(fg), rgba(bg))


def contrast_rgb(fg, bg) -> float:
    lf, lb = _luminance(fg), _luminance(bg)
    return (max(lf, lb) + 0.05) / (min(lf, lb) + 0.05)


def _hex(colour) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in colour[:3])


def _backgrounds(rules) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for s, d in rules:  # a selector's first opaque background (a print rule may name it again without one)
        bg = rgba(d.get("background-color") or d.get("background", ""))
        if bg and s not in out:
            out[s] = bg
    return out


def light_surfaces(css: str) -> dict[str, tuple]:
    """Every light surface the sheet paints (page, cards, highlighted rows, notices) outside the header, and the
    browser's white canvas when the body sets no background (the report)."""
    backgrounds = _backgrounds(css_rules(css))
    surfaces = {s: bg for s, bg in backgrounds.items() if not s.startswith("header") and _luminance(bg) > 0.5}
    if "body" not in backgrounds:
        surfaces["canvas"] = CANVAS
    return surfaces


def _against(sel: str, own, css: str) -> dict[str, tuple]:
    """What a rule's colour is drawn on: its own background, the header's under ``header``, else every light surface."""
    if own:
        return {sel: own}
    header = _backgrounds(css_rules(css)).get("header")
    return {"header": header} if sel.startswith("header") and header else light_surfaces(css)


def contrast_problems(css: str, minimum: float = 4.5) -> list[str]:
    """Text colour pairs below ``minimum``. A rule that sets a background is read against it; a rule under ``header``
    against the header's; any other against every light surface (:func:`light_surfaces`), since its text may sit on
    any of them. ``opacity`` is blended in."""
    backgrounds = _backgrounds(css_rules(css))
    out = []
    for sel, decls in css_rules(css):
        fg = rgba(decls.get("color", "")) if decls.get("color") not in (None, "inherit", "currentColor") else None
        alpha = float(decls.get("opacity", 1))
        if fg is None:
            if alpha < 1:  # dimmed text of a colour this rule does not say: its contrast cannot be known here
                out.append(f"{sel} {{opacity: {decls['opacity']}}} dims text of an unknown colour: set a colour instead")
            continue
        for where, bg in _against(sel, backgrounds.get(sel), css).items():
            ratio = contrast_rgb(_over(fg, bg, alpha), bg)
            if ratio < minimum:
                out.append(f"{sel} {{color: {decls['color']}}} on {where} ({_hex(bg)}): {ratio:.2f}:1 < {minimum}:1")
    return out


def mark_problems(css: str, minimum: float = 3.0) -> list[str]:
    """Non-text marks below ``minimum`` against what they are drawn on: a border or outline of 2 px or more (an
    indicator), any border of a control, and a dark background on the light page (a badge). A 1 px border elsewhere
    is a hairline between rows or around a box, decoration the markup's structure already says."""
    out = []
    backgrounds = _backgrounds(css_rules(css))
    for sel, decls in css_rules(css):
        for prop, value in decls.items():
            if not (prop.startswith("border") or prop.startswith("outline")) or "radius" in prop or "collapse" in prop:
                continue
            found = COLOUR.search(value)
            width = re.search(r"(\d+(?:\.\d+)?)px", value) or re.search(r"(\d+(?:\.\d+)?)px", decls.get(prop.split("-")[0], ""))
            if not found or not (CONTROLS.search(sel) or (width and float(width.group(1)) >= 2) or prop == "outline-color"):
                continue
            for where, bg in _against(sel, None, css).items():
                ratio = contrast_rgb(_over(rgba(found.group(0)), bg), bg)
                if ratio < minimum:
                    out.append(f"{sel} {{{prop}: {value}}} on {where} ({_hex(bg)}): {ratio:.2f}:1 < {minimum:g}:1")
        bg = backgrounds.get(sel)
        if bg and _luminance(bg) <= 0.5 and not sel.startswith("header") and not sel.startswith(".skip-link"):
            for where, surface in light_surfaces(css).items():
                ratio = contrast_rgb(bg, surface)
                if ratio < minimum:
                    out.append(f"{sel} {{background: {_hex(bg)}}} (a badge) on {where}: {ratio:.2f}:1 < {minimum:g}:1")
    return out


class _Shapes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.colours: list[tuple[str, str]] = []  # (element, colour)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("text", "svg"):  # text has its own rule (4.5:1 of the text colour); svg is the canvas
            return
        for key in ("fill", "stroke"):
            value = a.get(key) or ""
            if value and value != "none" and float(a.get(f"{key}-opacity", 1)) > 0:
                self.colours.append((tag, value))

    handle_startendtag = handle_starttag


def svg_mark_problems(svg: str, surfaces: dict[str, tuple], minimum: float = 3.0) -> list[str]:
    """Every filled or stroked shape of ``svg`` below ``minimum`` against each surface it may be drawn on."""
    parser = _Shapes()
    parser.feed(svg)
    out = []
    for tag, value in parser.colours:
        for where, bg in surfaces.items():
            ratio = contrast_rgb(_over(rgba(value), bg), bg)
            if ratio < minimum:
                out.append(f"<{tag}> {value} on {where} ({_hex(bg)}): {ratio:.2f}:1 < {minimum:g}:1")
    return sorted(set(out))


def colour_literals(source: str) -> list[str]:
    """Every colour a source writes (#hex or rgb()/rgba()), fully transparent ones left out (no mark)."""
    return [c for c in COLOUR.findall(source) if rgba(c) and rgba(c)[3] > 0]
