"""The knowledge reef and breakwater (issue 7; docs/kb.md): best answers, essence, repeated
questions, topic map, gaps, newcomer search, and crisis buffering.

Importing the package registers its analyses.

Example:
    >>> import reef.kb
    >>> "kb_qa" in __import__("reef.analyses.registry", fromlist=["x"]).REGISTRY
    True
"""
from __future__ import annotations

from reef.kb import analyses as _analyses  # noqa: F401 - registers the analyses

__all__: list[str] = []
