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
from reef.kb import surfaces as _surfaces  # noqa: F401 - registers views, sheets and the 知识礁/危机室 pages

__all__: list[str] = []
