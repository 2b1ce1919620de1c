"""Network activation: the interaction graph, key connectors, seeding plans, ripple tracking and the
mutual-help ledger (issue 6; docs/network.md).

Importing the package registers its analyses, report sections, views and export sheets.

Example:
    >>> import reef.network
    >>> "network_graph" in __import__("reef.analyses.registry", fromlist=["x"]).REGISTRY
    True
"""
from __future__ import annotations

from reef.network import analyses as _analyses  # noqa: F401 - registers the analyses and sections
from reef.network import report as _report  # noqa: F401 - registers the report sections
from reef.network import surfaces as _surfaces  # noqa: F401 - registers views, sheets, the 今日 panel and the page
from reef.network.graph import Graph, build_edges, load_graph

__all__ = ["Graph", "build_edges", "load_graph"]
