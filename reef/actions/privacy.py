"""Masking members' personal data for viewers and exports.

Contact fields are masked whole (a hint of their shape survives: ``138****5678``); free text
(names, titles, bodies) has the spans the text layer finds (phones, plates, VINs, ID cards,
WeChat/QQ ids: :func:`reef.text.mask_pii`) masked. When the text layer is unavailable a
conservative phone-number rule still applies, so masking never silently turns off.

Example:
    >>> mask_contact("13812345678")
    '138****5678'
    >>> mask_text("车主电话13812345678")
    '车主电话138****5678'
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable

__all__ = ["mask_result", "RESULT_TEXT_KEYS", "register_mask_function", "MASK_FUNCTION", "mask_attrs", "ATTRS_COLUMNS", "mask_contact", "mask_text", "mask_rows", "column_masker", "CONTACT_COLUMNS",
           "FREE_TEXT_COLUMNS", "mask_table", "TABLE_TEXT_COLUMNS"]

# Columns that are personal data as a whole, in any table.
CONTACT_COLUMNS = frozenset({"contact"})
# Member fields typed by hand wherever they appear ("上海 wx:zhang_san"): scanned for personal data in any table.
FREE_TEXT_COLUMNS = frozenset({"region"})
_PHONE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
_masker: Callable[[str], str] | None = None


def _text_masker() -> Callable[[str], str]:
    global _masker
    if _masker is None:
        try:
            from reef.text.pii import mask_pii
            _masker = mask_pii
        except ImportError:  # text layer absent: fall back to phone numbers only
            _masker = lambda s: _PHONE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], s)  # noqa: E731
    return _masker


def mask_text(text: Any) -> Any:
    """``text`` with every personal-data span masked; a list is masked item by item, other values pass through."""
    if isinstance(text, (list, tuple)):
        return [mask_text(t) for t in text]
    if not isinstance(text, str) or not text:
        return text
    return _text_masker()(text)


def mask_contact(value: Any) -> Any:
    """A contact field masked whole, keeping its first three and last four characters when long enough."""
    if not isinstance(value, str) or not value:
        return value
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 11 and len(digits) == len(re.sub(r"[\s+-]", "", value)):
        return digits[-11:][:3] + "****" + digits[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return value[:1] + "*" * (len(value) - 2) + value[-1:]


ATTRS_COLUMNS = frozenset({"attrs"})
# attrs keys that hold a contact whole (an id without a label in its value, such as a bare WeChat id).
_CONTACT_KEY = re.compile(r"phone|mobile|tel|wechat|weixin|wx|qq|email|mail|contact|id_?(?:card|number|no)|plate|vin|"
                          r"address|addr|手机|电话|微信|身份证|车牌|车架|邮箱|地址|联系", re.I)


def mask_attrs(value: Any) -> Any:
    """The ``attrs`` JSON of a row masked: values under contact-like keys whole, every other text by its spans."""
    import json

    if not isinstance(value, str) or not value:
        return value
    try:
        data = json.loads(value)
    except ValueError:
        return mask_text(value)

    def walk(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            return {k: walk(v, str(k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, key) for v in node]
        if isinstance(node, (str, int)) and not isinstance(node, bool) and _CONTACT_KEY.search(key):
            return mask_contact(str(node))
        return mask_text(node) if isinstance(node, str) else node

    return json.dumps(walk(data), ensure_ascii=False)


MASK_FUNCTION = "reef_mask_text"


def register_mask_function(con) -> None:
    """Make the SQL function ``reef_mask_text`` (:func:`mask_text`) callable on ``con`` (a store's connections have it
    from its opening: ``reef.store.functions``), so SQL that cuts member text
    to an excerpt can mask it first: a number cut by the excerpt no longer matches a pattern and would leak in part."""
    from reef.store.connection import register_text_function

    register_text_function(con, MASK_FUNCTION, mask_text)


def column_masker(column: str, text_columns: Iterable[str] = ()) -> Callable[[Any], Any] | None:
    """How :func:`mask_rows` masks ``column`` (a contact whole, ``attrs`` by key, free text by its spans), or None."""
    if column in CONTACT_COLUMNS:
        return mask_contact
    if column in ATTRS_COLUMNS:
        return mask_attrs
    return mask_text if column in text_columns or column in FREE_TEXT_COLUMNS else None


def mask_rows(rows: Iterable[dict[str, Any]], text_columns: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Copies of ``rows`` with contact columns and the named free-text columns masked."""
    text_columns = set(text_columns)
    out = []
    for row in rows:
        masked = dict(row)
        for col, value in row.items():
            if (fn := column_masker(col, text_columns)) is not None:
                masked[col] = fn(value)
        out.append(masked)
    return out


# Free text members write or that names them, in whichever table it appears: masked by its spans when a table is
# read whole (Community.table), beside the sheets' own text columns.
TABLE_TEXT_COLUMNS = frozenset({"name", "title", "body", "text", "text_simplified", "note", "raw", "snippet", "seed_name",
                                "subject", "author_name", "question", "answer", "answerer", "best_answerer"})


def mask_table(table, name: str | None = None, text: tuple[str, ...] | frozenset = ()):
    """An Arrow ``table`` with personal data masked as exports mask it: contact columns whole, ``attrs`` by key,
    ``text`` columns (with ``name`` a store table: its sheet's text columns and :data:`TABLE_TEXT_COLUMNS`) and
    free-text member fields by their spans."""
    import pyarrow as pa

    if name is not None:
        from reef.export.tables import SHEETS

        text = {*text, *TABLE_TEXT_COLUMNS, *(c for s in SHEETS if s.table == name for c in s.text_columns)}
    for i, column_name in enumerate(table.column_names):
        fn = (mask_contact if column_name in CONTACT_COLUMNS else mask_attrs if column_name in ATTRS_COLUMNS
              else mask_text if column_name in text or column_name in FREE_TEXT_COLUMNS else None)
        column = table.column(i)
        if fn is not None:
            table = table.set_column(i, column_name, pa.array([fn(v) for v in column.to_pylist()], column.type))
    return table


# Keys of a read's result (``reef ladder --json``, ``Community.ladder()`` ...) whose text may quote what a member wrote or
# called themselves: names, evidence, snippets, reasons, messages, regions, coverage values. Ids (``member_id``,
# ``examples`` of content ids ...) are never among them, so a result still joins back to the store.
RESULT_TEXT_KEYS = re.compile(r"(^|_)(names?|snippet|message|detail|title|body|text|acknowledgement|subject|quote|excerpt|"
                              r"evidence|reasons?|because|summary|raw|note|question|answer|answerer|topic|terms|region|"
                              r"value|warning|hint)(_|$)")


def mask_result(data: Any, personal: bool = False) -> Any:
    """A read's result (dicts and lists, as ``--json`` prints it) with personal data masked as exports mask it:
    contact fields whole, ``attrs`` by key, and every text under a :data:`RESULT_TEXT_KEYS` key (nested dicts and lists
    too) by its spans; other values as they are. Text without personal data is returned unchanged.

    >>> mask_result([{"member_id": "13812345678", "name": "老王13812345678", "evidence": {"zh": "加V：abc_123456"}}])
    [{'member_id': '13812345678', 'name': '老王138****5678', 'evidence': {'zh': '加V：a*********'}}]
    """
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            k = str(key)
            out[key] = (mask_contact(value) if k in CONTACT_COLUMNS and isinstance(value, str)
                        else mask_attrs(value) if k in ATTRS_COLUMNS and isinstance(value, str)
                        else mask_result(value, personal or RESULT_TEXT_KEYS.search(k) is not None))
        return out
    if isinstance(data, (list, tuple)):
        return type(data)(mask_result(v, personal) for v in data)
    if personal and isinstance(data, str):
        return mask_text(data)
    return data
