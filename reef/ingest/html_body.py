"""HTML bodies in imports: recognise a body written in HTML and keep its text (tags dropped, entities decoded, at most
one blank line between paragraphs; a ``<pre>`` block, code, keeps its lines as written).

The SQL runs inside the import's typed select (:mod:`reef.ingest.validate`); only bodies holding an entity call back
into Python, through the SQL function ``reef_html_unescape``.

Example:
    >>> html_unescape("a&nbsp;&amp;&#x4E2D;")
    'a &中'
"""
from __future__ import annotations

__all__ = ["html_unescape", "register_html_unescape", "is_html_sql", "html_to_text_sql", "UNESCAPE_FUNCTION", "KEPT_BREAK"]

_HTML_TAG = ("'<(p|br|hr|div|a|b|i|u|s|em|strong|code|pre|ul|ol|li|dl|dt|dd|h[1-6]|img|span|blockquote|table|thead|tbody"
             "|tr|td|th|sup|sub|del|font|center|section|article|figure|iframe|video|script|style)[ >/]'")
_ENTITY = "'&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);'"
UNESCAPE_FUNCTION = "reef_html_unescape"
# A <pre> block (Stack Exchange's code): its line breaks stand in as KEPT_BREAK while the rest of the text is tidied.
_PRE = r"'<pre(\s[^>]*)?>(?s:.*?)</pre\s*>'"
KEPT_BREAK = "chr(57344)"  # U+E000, a private-use character: a body that holds one is not marked (and stays as before)


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


def _pre_kept_sql(col: str) -> str:
    """SQL: ``col`` with the line breaks inside its ``<pre>`` blocks replaced by :data:`KEPT_BREAK`."""
    # The white space before the closing tags is no line of the code (a browser shows none): dropped, not kept.
    end = "regexp_replace(p, '\\s+((?:</[a-zA-Z]+>\\s*)*)$', '\\1')"
    kept = f"list_transform(regexp_extract_all(h, {_PRE}, 0, 'i'), lambda p: replace({end}, chr(10), {KEPT_BREAK}))"
    marked = f"array_to_string(list_transform(list_zip(string_split_regex(h, {_PRE}, 'i'), {kept}), lambda z: z[1] || coalesce(z[2], '')), '')"
    return (f"list_transform([{col}], lambda h: CASE WHEN contains(lower(h), '<pre') AND NOT contains(h, {KEPT_BREAK}) "
            f"THEN {marked} ELSE h END)[1]")


def html_to_text_sql(col: str) -> str:
    """SQL giving the plain text of the HTML in ``col``: tags dropped (script and style with their content), block ends
    as line breaks, entities decoded by :func:`html_unescape`, runs of blank lines (a ``</p>`` and the export's own
    line breaks after it made two to four) as one blank line, except inside ``<pre>`` blocks.

    >>> "reef_html_unescape" in html_to_text_sql("body")
    True
    """
    hidden = f"regexp_replace({_pre_kept_sql(col)}, '<(script|style)[^>]*>(?s:.*?)</(script|style)\\s*>', '', 'gi')"
    cells = f"regexp_replace({hidden}, '</t[dh]\\s*>', ' ', 'gi')"
    strip = (f"regexp_replace(regexp_replace({cells}, '<(br|hr|/p|/div|/li|/tr|/h[1-6]|/pre|/blockquote|/table)[^>]*>', '\n', 'gi'), "
             "'<[^>]+>', '', 'g')")
    # Only bodies that hold an entity go through Python (register_html_unescape).
    text = f"CASE WHEN contains(s, '&') AND regexp_matches(s, {_ENTITY}) THEN {UNESCAPE_FUNCTION}(s) ELSE s END"
    tidy = f"regexp_replace({text}, '\n[ \t\r]*\n(?:[ \t\r]*\n)+', '\n\n', 'g')"  # at most one blank line
    tidied = f"list_transform([{strip}], lambda s: {tidy})[1]"
    kept = f"CASE WHEN contains({col}, {KEPT_BREAK}) THEN {tidied} ELSE replace({tidied}, {KEPT_BREAK}, chr(10)) END"
    return f"trim({kept}, ' \n\t\r')"
