"""The emergence ladder (seed 001): stages 0 silent … 4 leader with evidence, funnel, alerts, fair judging.

Importing the package registers the ``ladder`` analysis, its report section and its surfaces.

Example:
    >>> from reef.ladder import STAGE_NAMES
    >>> STAGE_NAMES[4]
    ('引领者', 'leader')
"""
from __future__ import annotations

from reef.ladder.params import STAGE_NAMES, LadderParams
from reef.ladder.analysis import LADDER_TABLES, compute_ladder
from reef.ladder.funnel import ladder_funnel
from reef.ladder.queries import (contest_scores, explain_flags, headcount, ladder_alerts, ladder_list, member_flags,
                                 member_ladder, member_timeline)
from reef.ladder import report as _report  # noqa: F401 - registers the report section
from reef.ladder import surfaces as _surfaces  # noqa: F401 - registers views, sheet, panel

__all__ = ["STAGE_NAMES", "LadderParams", "LADDER_TABLES", "compute_ladder", "ladder_list", "ladder_funnel",
           "member_timeline", "ladder_alerts", "contest_scores", "member_flags", "explain_flags", "member_ladder", "headcount"]
