"""Member and content ids inside evidence sentences, as links (the dashboard's ``idlinks`` filter).

Analyses write evidence such as ``新人m021的首帖c460发出206小时`` with the ids in plain text. The
filter escapes the WHOLE text first (it may quote what members wrote) and only then turns
well-formed ids into links, the href built from the matched id and URL-quoted, so no member text
ever becomes markup. The id shapes are those the simulator and importers write:

* members: ``m0042`` (simulator, zero-padded), ``u123`` (Stack Exchange), ``wb:123`` (Weibo);
* content: ``c460`` (simulator posts, Stack Exchange comments), ``cb4`` (the simulator's backlash
  scenario), ``p123`` (Stack Exchange posts),
  ``wb:3:4012`` (Weibo).

Lookalikes stay text: an id glued to letters, digits or ``*`` (a masked span keeps its first
characters, as in ``u138****5678`` or ``m*******``), a zero-padded content label (circle
``c01``), a one-digit code (a car model ``p7``, a licence class ``c1``), an 11-digit phone number
after a letter, or a path (``/members/m041``). Masking hides
personal-data spans, never ids: what a viewer saw as text is what becomes a link.

Example:
    >>> str(link_ids("新人m021的首帖c460<b>"))
    '新人<a href="/members/m021" class="id-link">m021</a>的首帖<a href="/content/c460" class="id-link">c460</a>&lt;b&gt;'
    >>> str(link_ids("圈子c01；电话u138****5678"))
    '圈子c01；电话u138****5678'
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

__all__ = ["ID_PATTERN", "link_ids"]

# Groups: a Weibo content id, a Weibo member, a content id, a member id. Two to 10 digits: a car model or licence
# class (p7, m3, c1) and a phone number after a letter are not ids; content ids are never zero-padded, so circle
# labels (c01) are not either. Ids under 10 (the first posts of a simulation) stay text.
# The neighbours exclude letters, digits, "_", "*" (masked spans), "/" (paths) and "-" (a lookalike like p-1).
ID_PATTERN = re.compile(r"(?<![A-Za-z0-9_*/\-])(?:(?P<wbc>wb:\d{1,12}:[A-Za-z0-9]{1,20})|(?P<wbm>wb:[A-Za-z0-9]{1,20})"
                        r"|(?P<content>cb\d{1,10}|[cp][1-9]\d{1,9})|(?P<member>[mu]\d{2,10}))(?![A-Za-z0-9_*\-]|[.:/][A-Za-z0-9])")


def _link(match: re.Match) -> str:
    ident = match.group()
    base = "/content/" if match.lastgroup in ("wbc", "content") else "/members/"
    return f'<a href="{base}{quote(ident, safe="")}" class="id-link">{ident}</a>'


def link_ids(text: Any) -> Markup:
    """``text`` HTML-escaped, with member and content ids made links to their pages; None is the empty string, and
    :class:`~markupsafe.Markup` is returned as it is (its tags must not be scanned for ids)."""
    if text is None:
        return Markup("")
    if isinstance(text, Markup):  # already markup (links made, or trusted): not scanned again
        return text
    # Escaped first: the pattern then only ever sees entities (&lt; &#39; ...), which no id shape matches.
    return Markup(ID_PATTERN.sub(_link, str(escape(text))))
