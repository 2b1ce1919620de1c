"""The risk radar (seed 003 暗流涌动): heat death, implosion, backlash and entropy, scored 0-100.

Importing the package registers the analysis ``risks`` (docs/risks.md).

Example:
    >>> from reef.risks import FAMILIES
    >>> list(FAMILIES)
    ['heat_death', 'implosion', 'backlash', 'entropy']
"""
from reef.risks.analysis import FAMILIES, RISK_TABLES, compute_risks, run_risks
from reef.risks.api import risk_alerts, risk_radar
from reef.risks.metrics import heat_metrics
from reef.risks.weekly import weekly_report, write_weekly_report
from reef.risks import surfaces as _surfaces  # noqa: F401 - registers views, sheets, the 今日 panel and the page

__all__ = ["FAMILIES", "RISK_TABLES", "compute_risks", "run_risks", "risk_radar", "risk_alerts", "heat_metrics", "weekly_report",
           "write_weekly_report"]
