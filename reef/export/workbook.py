"""The operator workbook of ``reef export``: one sheet per table, written for people who sort and filter in Excel.

What makes it readable (CSV and Parquet keep the stored columns and values for data work):

- headers in the export's language, from one label table (:func:`reef.i18n.header_label`: the dashboard's and the
  CLI's words), with a few per-sheet names where a shared key means something else (a circle's ``name``);
- stored codes (a role, a status, a risk family) as their names (:func:`reef.i18n.code_label`), and only the columns
  in the export's language of each ``*_zh`` / ``*_en`` pair;
- real Excel dates and times: Excel has no time zones, so times are naive local times in the store's zone
  (``general.timezone``), named in the column's header; a ``day`` is a date;
- ids and hashes as text (a 64-bit hash has more digits than an Excel number keeps), lists joined with 、 (", " in
  English), numbers rounded to four significant digits, yes/no as 是/否;
- the bookkeeping columns of the imported tables (``row_hash``, ``ingested_at``, ``import_id``, the integer codes)
  left out, except on the 导入记录 and 隔离数据 sheets, where the import is the subject;
- a frozen header row and an autofilter on every sheet;
- no staff jargon: columns for support only (a risk alert's key, a risk's name twin of its family, an import's raw
  JSON details) are left out of the workbook (:data:`WORKBOOK_LEFT_OUT`; CSV and Parquet keep them), and an import's
  files are named without their folder.

Example:
    >>> from reef.export.workbook import workbook_columns
    >>> [c.header for c in workbook_columns("members", [("member_id", "VARCHAR"), ("joined_at", "TIMESTAMP WITH TIME ZONE"),
    ...                                                 ("row_hash", "UBIGINT")], (), "zh", "Asia/Shanghai")]
    ['成员ID', '加入时间（Asia/Shanghai）']
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from reef.i18n import code_label, header_label, language_columns

__all__ = ["Column", "workbook_columns", "column_header", "code_name", "csv_headers", "twin_language", "day_value", "is_day", "cell_value", "sheet_title", "BOOKKEEPING_COLUMNS", "CODE_COLUMNS", "SHEET_EN",
           "WORKBOOK_LEFT_OUT"]

# Lineage of an imported row: for data work (CSV, Parquet), not for operators, except where the import is the subject.
BOOKKEEPING_COLUMNS = ("row_hash", "ingested_at", "import_id",
                       # the integer codes the analyses join on (reef/store/codes.py): internal, like the row hash
                       "member_code", "content_code", "author_code", "parent_code", "actor_code", "target_content_code")
_IMPORT_TABLES = ("imports", "quarantine")
# Columns for support, not for operators, left out of the workbook (CSV and Parquet keep them): a risk alert's key
# (heat_death:core_burnout:m0097), a risk's name (the family's name again, beside the family column) and an import's
# raw JSON details (its counts have their own columns).
WORKBOOK_LEFT_OUT = {"risk_alerts": ("alert_key",), "risk_scores": ("name", "name_zh", "name_en"), "imports": ("details",)}
# Columns of stored codes shown by their names in the workbook (a sheet's own ``labels`` add to these).
CODE_COLUMNS = frozenset({"account_type", "kind", "status", "role", "family", "part", "severity", "level", "trend", "event",
                          "flag", "alert", "topic_type", "content_kind", "top_part", "entity", "aspect"})
# List columns whose items are codes (aspects, council dimensions).
_CODE_LISTS = frozenset({"aspects", "covers"})
# English names of the sheets the base and the capabilities register (a Sheet may also carry its own ``sheet_en``).
SHEET_EN = {
    "members": "Members", "member_summary": "Member summary", "activity_daily": "Daily activity",
    "operator_actions": "Operator actions", "imports": "Imports", "quarantine": "Quarantine", "ladder_members": "Ladder",
    "ladder_events": "Ladder changes", "ladder_alerts": "Recognise now", "ladder_like_flags": "Unusual likes",
    "network_connectors": "Key connectors", "network_boost": "Boost list", "network_helpers": "Mutual help",
    "kb_gaps": "Knowledge gaps", "kb_clusters": "Repeated questions", "crisis_daily": "Crisis timeline", "risk_scores": "Risks",
    "risk_alerts": "Risk alerts", "care_list": "Care list", "layers_circles": "Interest groups",
    "layers_circle_leaders": "Group leader candidates", "layers_plaza": "Plaza topic starters",
    "layers_plaza_topics": "Popular topics", "layers_council_candidates": "Council candidates",
    "layers_council": "Proposed council",
}
# Where a shared key means something else on one table: {(table, column without its language suffix): (zh, en)}.
_SHEET_HEADERS = {
    ("layers_circles", "name"): ("小组名称", "Group name"), ("risk_scores", "name"): ("名称", "Name"),
    ("kb_gaps", "last_at"): ("最近提问", "Last asked"), ("risk_alerts", "message"): ("提醒内容", "Alert message"),
    ("operator_actions", "note"): ("备注", "Note"), ("kb_clusters", "answered"): ("已回答次数", "Times answered"),
    ("kb_clusters", "replied"): ("有回复次数", "Times replied to"),
    ("kb_clusters", "accepted"): ("被采纳次数", "Times accepted"),
    ("layers_circle_leaders", "eligible"): ("符合条件人数", "Eligible members"),
    ("members", "membership"): ("在籍状态", "Membership"), ("imports", "paths"): ("文件", "Files"),
}
_HASH_TYPES = ("UBIGINT", "UHUGEINT")  # how the store keeps row hashes; any int past 2**53 is written as text too
EXCEL_MAX_TEXT = 32_767


@dataclass(frozen=True)
class Column:
    name: str  # the stored column
    header: str
    kind: str  # text, number, datetime, date, id, list, code, bool, files
    codes: Any = None  # a code column's own names on this sheet ({code: (Chinese, English)}), else code_label's


def _kind(name: str, type_name: str, codes: frozenset[str]) -> str:
    t = type_name.upper()
    if name == "paths" and t.endswith("]"):
        return "files"
    if t.endswith("]"):
        return "list"
    if t.startswith("TIMESTAMP"):
        return "date" if name == "day" or name.endswith("_day") else "datetime"
    if t == "DATE":
        return "date"
    if t == "BOOLEAN":
        return "bool"
    if name in codes:
        return "code"
    if t in _HASH_TYPES or name.endswith(("_id", "_hash")) or name == "alert_key":
        return "id"
    return "number" if any(x in t for x in ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL")) else "text"


def workbook_columns(table: str, described: list[tuple[str, str]], labels: tuple[str, ...], lang: str,
                     zone: str, code_names: dict[str, dict[str, tuple[str, str]]] | None = None) -> list[Column]:
    """The columns a sheet shows, in order, with their headers: ``described`` is ``(name, DuckDB type)`` of the query;
    ``labels`` the sheet's code columns, ``code_names`` its own names of some of their values (``Sheet.codes``). The
    member's ``name`` (added to sheets that lack it) follows ``member_id``."""
    names = [n for n, _ in described]
    if table not in _IMPORT_TABLES:
        names = [n for n in names if n not in BOOKKEEPING_COLUMNS]
    names = [n for n in names if n not in WORKBOOK_LEFT_OUT.get(table, ())]
    names = language_columns(names, lang)
    if "name" in names and "member_id" in names and names.index("name") > names.index("member_id") + 1:
        names.remove("name")
        names.insert(names.index("member_id") + 1, "name")
    types = dict(described)
    codes = CODE_COLUMNS | frozenset(labels) | frozenset(code_names or ())  # a sheet naming a column's values makes it a code
    out = []
    for name in names:
        kind = _kind(name, types[name], codes)
        header = column_header(table, name, lang)
        if kind == "datetime":
            header += f" ({zone})" if lang == "en" else f"（{zone}）"
        out.append(Column(name, header, kind, (code_names or {}).get(name) if kind == "code" else None))
    return out


def column_header(table: str, name: str, lang: str) -> str:
    """A column's header in ``lang``: the sheet's own name for it, else :func:`reef.i18n.header_label`."""
    base = name[:-3] if name.endswith(("_zh", "_en")) else name
    pair = _SHEET_HEADERS.get((table, base))
    return pair[1 if lang == "en" else 0] if pair else header_label(name, lang)


def csv_headers(table: str, columns: list[str], lang: str) -> list[str]:
    """The header row of an operator's CSV (every stored column kept, values as stored): each column named as in the
    workbook; a language twin says its language (``status_zh`` -> 状态（中文）) and a header two columns would
    share gets its key, so every header is one column's.

    >>> csv_headers("members", ["member_id", "account_type", "account_type_zh"], "zh")
    ['成员ID', '账号类型', '账号类型（中文）']
    >>> csv_headers("members", ["member_id", "account_type", "account_type_zh"], "en")
    ['Member ID', 'Account type', 'Account type (Chinese)']
    >>> csv_headers("ladder_members", ["stage_name", "stage_name_en"], "en")
    ['Stage name (Chinese)', 'Stage name']
    """
    words = {"zh": ("中文", "Chinese"), "en": ("英文", "English")}
    out: list[str] = []
    for name in columns:
        header = column_header(table, name, lang)
        said = twin_language(name, columns)
        # The twin in the export's language has the plain name and the other says its language; a code's Chinese name
        # (status_zh beside the code status) always says it is the Chinese one.
        code_twin = name.endswith("_zh") and name[:-3] in columns and f"{name[:-3]}_en" not in columns
        if said and (said != lang or code_twin):
            header += f" ({words[said][1]})" if lang == "en" else f"（{words[said][0]}）"
        if header in out:
            header += f" ({name})" if lang == "en" else f"（{name}）"
        out.append(header)
    return out


def twin_language(name: str, columns: list[str]) -> str | None:
    """The language of ``name``'s values when it has a language twin among ``columns``, else None: ``X_en`` is
    English; ``X_zh`` and a plain ``X`` beside an ``X_en`` are Chinese. A stored code ``X`` beside its Chinese name
    ``X_zh`` (added by the CSV export) is a code, in no language: None.

    >>> twin_language("stage_name", ["stage_name", "stage_name_en"]), twin_language("status", ["status", "status_zh"])
    ('zh', None)
    """
    have = set(columns)
    if name.endswith("_en"):
        return "en"
    if name.endswith("_zh"):
        return "zh"
    return "zh" if f"{name}_en" in have else None


def day_value(value: Any, zone) -> Any:
    """A ``day`` (or ``*_day``) kept as a moment (the day's local midnight) as the date it names in the store's
    zone, as the workbook shows it; other values as they are."""
    if isinstance(value, datetime):
        return (value.astimezone(zone) if value.tzinfo is not None else value).date()
    return value


def is_day(name: str) -> bool:
    return name == "day" or name.endswith("_day")


def _number(value: float) -> float:
    """Four significant digits, one decimal from 1000 up (a count-like total keeps its units)."""
    if value == 0 or not math.isfinite(value):
        return value
    if abs(value) >= 1000:
        return round(value, 1)
    return float(f"{value:.4g}")


def _item(value: Any, column: str, lang: str) -> str:
    if isinstance(value, float):
        return f"{_number(value):g}"
    if isinstance(value, str) and column in _CODE_LISTS:
        return code_label(value, lang)
    return "" if value is None else str(value)


def cell_value(value: Any, column: Column, lang: str, zone) -> Any:
    """The value to write: a naive local datetime or a date, a rounded float, an int, or text; None stays empty."""
    if value is None:
        return None
    kind = column.kind
    if kind in ("datetime", "date") and isinstance(value, (datetime, date)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(zone).replace(tzinfo=None)
        if kind == "date" and isinstance(value, datetime):
            value = value.date()
        if value.year < 1900:  # before Excel's calendar: keep it readable as text
            return value.isoformat()
        return value
    if kind == "files" and isinstance(value, (list, tuple)):  # the file's name, not the folder it was read from
        return ", ".join(str(v).replace("\\", "/").rsplit("/", 1)[-1] for v in value if v is not None)[:EXCEL_MAX_TEXT]
    if kind == "list" and isinstance(value, (list, tuple)):
        return ("、" if lang != "en" else ", ").join(_item(v, column.name, lang) for v in value if v is not None)
    if kind == "bool" or isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if kind == "code":
        return code_name(value, column.codes, lang)
    if kind == "id":
        return str(value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return _number(value) if math.isfinite(value) else None
    if isinstance(value, int):
        return value if abs(value) < 2 ** 53 else str(value)  # beyond a double's exact integers: text
    text = value if isinstance(value, str) else str(value)
    return text[:EXCEL_MAX_TEXT]


def code_name(code: Any, names: dict[str, tuple[str, str]] | None, lang: str = "zh") -> str:
    """A code as a sheet names it: its own name on this sheet (``names``: ``{code: (Chinese, English)}``), else
    :func:`reef.i18n.code_label`'s.

    >>> code_name("done", {"done": ("已认可", "recognised")}), code_name("done", None, "en")
    ('已认可', 'done')
    """
    if names and code in names:
        return names[code][1 if lang == "en" else 0]
    return code_label(code, lang)


def sheet_title(sheet, lang: str) -> str:
    """A sheet's name in ``lang``: its Chinese name, or in English its ``sheet_en``, the known English name, the
    English title of a view of its table, else the Chinese name."""
    if lang != "en":
        return sheet.sheet
    from reef.actions.views import VIEWS

    view = next((v for v in VIEWS.values() if v.table == sheet.table and not sheet.where), None)
    name = getattr(sheet, "sheet_en", "") or SHEET_EN.get(sheet.key) or (view.title.get("en") if view else "") or sheet.sheet
    return name[:31]
