"""Reef: a KOC community-operations engine for car brands' owner communities.

Example:
    >>> import reef
    >>> community = reef.open(":memory:")
    >>> community.table("members").num_rows
    0
"""
__version__ = "0.1.0"

from reef.api_args import keywords_checked as _keywords_checked  # noqa: E402 - light: reef.errors and reef.params
from reef.errors import ReefWarning  # noqa: E402 - light; notebooks filter on reef.ReefWarning

__all__ = ["__version__", "open", "Community", "ReefWarning"]


def __getattr__(name: str):
    """``reef.Community`` without importing the API (and DuckDB) on ``import reef``."""
    if name == "Community":
        from reef.api import Community

        return Community
    raise AttributeError(f"module 'reef' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names with ``Community``, which ``__getattr__`` provides: a notebook's ``reef.<Tab>`` lists it."""
    return sorted(set(globals()) | set(__all__))


@_keywords_checked  # reef.open(path, readonly=True): an UnknownParameterError naming read_only (reef.api_args)
def open(path="reef.duckdb", *, read_only: bool = False, config=None):  # noqa: A001 - mirrors sqlite3/duckdb naming
    """Open a store, or create one at a new file in an existing folder, and return a :class:`reef.api.Community`.

    A missing folder, a file that is not a Reef store, and use after ``close()`` are errors (see Community).

    >>> with reef.open(":memory:") as community:
    ...     community.status()["tables"]["members"]
    0
    """
    from reef.api import Community

    return Community(path, read_only=read_only, config=config)
