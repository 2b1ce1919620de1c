"""The hints an error shows on another front door than the library's: the command line's (naming CLI options, not
Python calls) and the server's (an endpoint for the HTTP API, a page for the dashboard). Re-exported by
:mod:`reef.errors`, where raisers import them.

Example:
    >>> from reef.errors import StoreError
    >>> with_cli_hint(StoreError("No store.", hint="Pass path to reef.open()."), "Pass --db (REEF_DB).").cli_hint
    'Pass --db (REEF_DB).'
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reef.errors import ReefError

__all__ = ["with_cli_hint", "with_api_hint"]


def with_cli_hint(exc: ReefError, hint: str, hint_zh: str | None = None) -> ReefError:
    """``exc`` with the hint the command line shows instead of its own (one that names CLI flags such as ``--db``),
    and its Chinese words (``hint_zh``) when the library's hint has some; the CLI's error handler uses them, every
    other front door keeps ``exc.hint`` / ``exc.hint_zh``."""
    exc.cli_hint, exc.cli_hint_zh = hint, hint_zh
    return exc


def with_api_hint(exc: ReefError, hint: str, *, page: str | None = None, page_zh: str | None = None) -> ReefError:
    """``exc`` with the hints of the server's two front doors instead of its own (one that names a Python call such as
    ``ladder()``): ``hint`` for the HTTP API (naming an endpoint or a query parameter), ``page`` (and its Chinese words
    ``page_zh``) for the dashboard's error page (naming a page, not an endpoint). :func:`reef.server.errors.error_response`
    uses them: the JSON answer ``api_hint``; the page ``page_hint``, else ``api_hint``; every other front door keeps
    ``exc.hint``.

    >>> from reef.errors import NotFoundError
    >>> exc = with_api_hint(NotFoundError("No member 'x'.", hint="ladder() lists members."),
    ...                     "GET /api/v1/member_summary lists them.", page="The Members page lists them.")
    >>> exc.api_hint, exc.page_hint
    ('GET /api/v1/member_summary lists them.', 'The Members page lists them.')
    """
    exc.api_hint = hint
    if page is not None:
        exc.page_hint, exc.page_hint_zh = page, page_zh
    return exc
