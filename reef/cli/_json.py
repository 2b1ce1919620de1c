"""The one JSON form of every ``--json`` output (docs/cli.md, "JSON output"): times as ISO 8601 with ``T`` and a
``±HH:MM`` offset in the store's zone, dates as ``YYYY-MM-DD``, whatever shape the library handed the time in.

Example:
    >>> print(to_json({"at": "2026-06-01 13:56:03+00", "day": date(2026, 6, 1)}, "Asia/Shanghai"))
    {
      "at": "2026-06-01T21:56:03+08:00",
      "day": "2026-06-01"
    }
"""
from __future__ import annotations

import json
from datetime import date  # noqa: F401 - the module docstring's example
from typing import Any

from reef.timetext import json_ready, json_time

__all__ = ["ZONE", "json_time", "json_ready", "to_json"]

# The time zone of the store the running command opened (general.timezone): every time in --json is given in it.
ZONE: dict[str, str | None] = {"zone": None}


def _json_value(value: Any) -> Any:
    """Anything json cannot write (a Decimal, a Path) as its text; times were written by :func:`json_ready`."""
    return str(value)


def to_json(data: Any, zone: str | None = None) -> str:
    """``data`` as the JSON every --json output prints: one shape for times (:func:`json_time`), in ``zone``,
    by default the zone of the store the command opened."""
    return json.dumps(json_ready(data, zone or ZONE["zone"]), ensure_ascii=False, indent=2, default=_json_value)
