"""Analyses: the registry, the runner and the base analyses (see docs/analyses.md).

Example:
    >>> from reef.analyses import registered
    >>> names = [a.name for a in registered()]  # by name, every capability's analyses included
    >>> names[0], {"activity_daily", "member_summary"} <= set(names)
    ('activity_daily', True)
"""
from reef.analyses.registry import (
    ANALYSIS_MODULES,
    REGISTRY,
    Analysis,
    discover,
    discovery_problems,
    register_analysis,
    registered,
    report_section,
)
from reef.analyses.runner import RunReport, RunResult, data_end, resolve_as_of, run_analyses, watermark

__all__ = [
    "ANALYSIS_MODULES", "REGISTRY", "Analysis", "discover", "discovery_problems", "register_analysis",
    "registered", "report_section", "RunReport", "RunResult", "data_end", "resolve_as_of", "run_analyses",
    "watermark",
]
