"""A seeding plan as a file to download (``GET /api/v1/seed-plan/{job_id}/download``, the 种子名单 page's links):
an Excel workbook or one CSV file, headed in the operator's language as ``reef seed-plan`` heads its tables.

It holds what the page shows of a :func:`reef.network.seedplan.seed_plan_view` (names already masked for viewers), in
four parts — a sheet each in the workbook, a section each (a title row, a header row, the rows, a blank line) in the
CSV: the seeds (order, member, name, members added, why, what to check first), the expected reach of the plan and of
each alternative with its 95% CI, the members left out of the candidates with why, and 说明 / About (as of, topic,
circle, counts, the comparison, the as-of coverage warning). Reasons are joined with ； (``; `` in English). The CSV is
UTF-8 with a byte-order mark, and a cell that starts like a formula stays text, as ``reef export`` writes them
(:func:`reef.export.files.formula_safe`); the workbook has a bold frozen header row and ids as text.

The plan is no stored table (each is one request's job, with its own k, topic and circle), so ``reef export`` has no
sheet for it: this file is the plan's export. ``reef seed-plan --out PATH`` writes the same file
(:func:`save_seed_plan`: the format from the suffix, :func:`file_format`).

Example:
    >>> view = {"as_of": "2026-03-01T00:00:00+08:00", "request": {"topic": "续航"}, "seeds": [
    ...     {"order": 1, "member_id": "m1", "name": "车友A", "marginal": 12.34, "reasons": ["a", "b"], "flags": []}],
    ...     "reach": [], "exclusions": [], "headline": None, "warning": None}
    >>> [(p["key"], p["headers"][:3], p["rows"][:1]) for p in plan_parts(view, "zh")][0]
    ('seeds', ['顺序', '成员ID', '昵称'], [[1, 'm1', '车友A', 12.3, 'a；b', '']])
    >>> seed_plan_file(view, "csv", "en", 7)[1]
    'seed-plan-7-2026-03-01.csv'
    >>> file_format("plan.XLSX"), file_format("out/plan.csv")
    ('xlsx', 'csv')
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reef.errors import InvalidParameterError
from reef.export.parts import parts_csv as _csv, parts_xlsx as _xlsx

__all__ = ["plan_parts", "seed_plan_file", "file_format", "save_seed_plan", "SEED_COLUMNS", "SEED_KEYS", "MEDIA_TYPES", "reach_figure"]

MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}
# The plan's labels (zh, en), shared with ``reef seed-plan``'s tables: the summary rows and the columns.
SEED_KEYS = {"as_of": ("截至", "as of"), "topic": ("话题", "topic"), "circle": ("版块", "circle"),
             "candidates": ("候选成员", "candidates"), "members": ("成员", "members"), "excluded": ("排除", "left out"),
             "headline": ("对比", "comparison"), "rr_sets": ("反向可达集数", "RR sets"), "warning": ("提醒", "warning")}
SEED_COLUMNS = {"order": ("顺序", "Order"), "member_id": ("成员ID", "Member ID"), "name": ("昵称", "Name"),
                "marginal": ("预计新增覆盖人数", "Members added"),
                "reasons": ("为什么选 TA", "Why"), "flags": ("需要留意", "Check first"), "label": ("方案", "Strategy"),
                "mean": ("预计覆盖人数", "Members reached"), "ci_low": ("置信区间下限", "CI low"),
                "ci_high": ("置信区间上限", "CI high"), "size": ("账号数", "Accounts"),
                "why": ("排除原因", "Why left out"), "item": ("项目", "Item"), "value": ("内容", "Value")}
_PARTS = {"seeds": ("推荐的种子", "Recommended seeds"), "reach": ("预期覆盖", "Expected reach"),
          "exclusions": ("排除的成员", "Members left out"), "about": ("说明", "About")}
_COLUMNS = {"seeds": ("order", "member_id", "name", "marginal", "reasons", "flags"),
            "reach": ("label", "mean", "ci_low", "ci_high", "size"), "exclusions": ("member_id", "name", "why"),
            "about": ("item", "value")}


def reach_figure(value: Any) -> Any:
    """Expected reach is a count of members: one decimal is all a Monte-Carlo mean carries, and never below 0.

    >>> reach_figure(12.345), reach_figure(-0.4), reach_figure(None)
    (12.3, 0.0, None)
    """
    return round(max(value, 0.0), 1) if isinstance(value, float) else value  # a CI below 0 members means 0


def plan_parts(view: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The file's parts in order: ``key``, ``title``, ``headers`` and ``rows`` (lists of cells)."""
    en, sep = lang == "en", "; " if lang == "en" else "；"
    req = view.get("request") or {}
    rows = {
        "seeds": [[s["order"], s["member_id"], s.get("name") or "", reach_figure(s.get("marginal")), sep.join(s["reasons"]),
                   sep.join(f["text"] for f in s.get("flags") or [])] for s in view.get("seeds") or []],
        "reach": [[r["label"], *(reach_figure(r.get(c)) for c in ("mean", "ci_low", "ci_high")), r.get("size")]
                  for r in view.get("reach") or []],
        "exclusions": [[x["member_id"], x.get("name") or "", sep.join(w["text"] for w in x["reasons"])]
                       for x in view.get("exclusions") or []],
        "about": [[SEED_KEYS[k][en], v] for k, v in (
            ("as_of", str(view.get("as_of") or "")[:10]), ("topic", req.get("topic")), ("circle", req.get("circle_name")),
            ("candidates", view.get("candidates")), ("members", view.get("members")), ("excluded", view.get("excluded")),
            ("headline", view.get("headline") or view.get("empty")), ("warning", view.get("warning"))) if v is not None],
    }
    return [{"key": key, "title": _PARTS[key][en], "headers": [SEED_COLUMNS[c][en] for c in _COLUMNS[key]],
             "rows": rows[key]} for key in _PARTS]


def seed_plan_file(view: dict[str, Any], fmt: str, lang: str, job_id: int | str) -> tuple[bytes, str]:
    """The plan as ``fmt`` (``xlsx`` or ``csv``) and its file name, ``seed-plan-<job>-<as-of day>.<fmt>``."""
    if fmt not in MEDIA_TYPES:
        raise InvalidParameterError("format", fmt, "xlsx or csv")
    parts = plan_parts(view, lang)
    name = f"seed-plan-{job_id}-{str(view.get('as_of') or '')[:10]}.{fmt}"
    return (_xlsx(parts) if fmt == "xlsx" else _csv(parts)), name


def file_format(path: str | Path) -> str:
    """The format a file name asks for, from its suffix (any case): ``xlsx`` or ``csv``. Any other suffix is an
    InvalidParameterError naming ``out`` (checked before a plan is run, so a typo costs no IMM run)."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in MEDIA_TYPES:
        raise InvalidParameterError("out", str(path), "a file name ending in .xlsx (Excel) or .csv",
                                    hint="The plan is written as an Excel workbook or a CSV file, e.g. seed-plan.xlsx.",
                                    hint_zh="种子名单可存为 Excel 工作簿或 CSV 文件，例如 seed-plan.xlsx。")
    return fmt


def save_seed_plan(view: dict[str, Any], path: str | Path, lang: str) -> Path:
    """Write the plan to ``path`` as :func:`seed_plan_file` makes it for the download route (the format from the
    suffix, :func:`file_format`); returns the path. The folder must exist."""
    path = Path(path)
    content, _ = seed_plan_file(view, file_format(path), lang, "")
    path.write_bytes(content)
    return path
