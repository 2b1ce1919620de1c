"""Organisation layers (seed 004): the open plaza, interest groups, project teams and the advisory council.

Importing the package registers the analyses ``layers_groups``, ``layers_plaza`` and ``layers_council``
(docs/layers.md), their views and report sections. Readers for surfaces are in :mod:`reef.layers.api`.

Example:
    >>> import reef.layers
    >>> from reef.analyses.registry import REGISTRY
    >>> sorted(n for n in REGISTRY if n.startswith("layers_"))[:3]
    ['layers_council', 'layers_groups', 'layers_plaza']
"""
from __future__ import annotations

from reef.layers import analyses as _analyses  # noqa: F401 - registers layers_groups, layers_plaza, layers_council
from reef.layers import report as _report  # noqa: F401 - registers the report sections
from reef.layers import surfaces as _surfaces  # noqa: F401 - registers the API views and export sheets
from reef.layers.api import circle_detail, council_slate, interest_groups, plaza_starters
# Further layer capabilities register here, one import each (e.g. the project-team proposer):
# --- more layers below ---
from reef.layers.team import propose_team  # noqa: F401,E402 - project teams (reef team); registers layers_role_fitness

__all__ = ["interest_groups", "circle_detail", "plaza_starters", "council_slate"]
