"""HTML bodies in imports: recognise a body written in HTML and keep its text (tags dropped, entities decoded).

The SQL runs inside the import's typed select (:mod:`reef.ingest.validate`); only bodies holding an entity call back
into Python, through the SQL function ``reef_html_unescape``.

Example:
    >>> html_unescape("a&nbsp;&amp;&#x4E2D;")
    'a &中'
"""
from __future__ import annotations

__all__ = ["html_unescape", "register_html_unescape", "is_html_sql", "html_to_text_sql", "UNESCAPE_FUNCTION"]

_HTML_TAG = ("'<(p|br|hr|div|a|b|i|u|s|em|strong|code|pre|ul|ol|li|dl|dt|dd|h[1-6]|img|span|blockquote|table|thead|tbody"
             "|tr|td|th|sup|sub|del|font|center|section|article|figure|iframe|video|script|style)[ >/]'")
_ENTITY = "'&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);'"
UNESCAPE_FUNCTION = "reef_html_unescape"


def html_unescape(text: str) -> str:
    """``html.unescape`` with no-break spaces as plain spaces: the SQL function ``reef_html_unescape``.

    >>> html_unescape("a&nbsp;&amp;&#x4E2D;")
    'a &中'
    """
    import html

    return html.unescape(text).replace("\xa0", " ")


def register_html_unescape(con) -> None:
    """Make the SQL function ``reef_html_unescape`` (:func:`html_unescape`) callable on ``con``: a store's connections
    have it from its opening (``reef.store.functions``); another connection gets it created once.

    SQL has no entity table; every named and numeric entity (``&mdash;``, ``&#x4E2D;``) is decoded as a browser would.
    """
    from reef.store.connection import register_text_function

    register_text_function(con, UNESCAPE_FUNCTION, html_unescape)


def is_html_sql(col: str) -> str:
    """SQL that is true when the text in ``col`` holds an HTML tag (a forum export's body).

    >>> is_html_sql("body").startswith("(contains(body, '<')")
    True
    """
    # contains() is a cheap filter; the regex runs only on bodies with a '<'.
    return f"(contains({col}, '<') AND regexp_matches({col}, {_HTML_TAG}, 'i'))"


def html_to_text_sql(col: str) -> str:
    """SQL giving the plain text of the HTML in ``col``: tags dropped (script and style with their content), block ends
    as line breaks, entities decoded by :func:`html_unescape`.

    >>> "reef_html_unescape" in html_to_text_sql("body")
    True
    """
    hidden = f"regexp_replace({col}, '<(script|style)[^>]*>(?s:.*?)</(script|style)\\s*>', '', 'gi')"
    cells = f"regexp_replace({hidden}, '</t[dh]\\s*>', ' ', 'gi')"
    strip = (f"regexp_replace(regexp_replace({cells}, '<(br|hr|/p|/div|/li|/tr|/h[1-6]|/pre|/blockquote|/table)[^>]*>', '\n', 'gi'), "
             "'<[^>]+>', '', 'g')")
    # Only bodies that hold an entity go through Python (register_html_unescape).
    text = f"CASE WHEN contains(s, '&') AND regexp_matches(s, {_ENTITY}) THEN {UNESCAPE_FUNCTION}(s) ELSE s END"
    return f"trim(list_transform([{strip}], lambda s: {text})[1], ' \n\t\r')"
