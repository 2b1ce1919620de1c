"""The shapes of the Python API's results: list-shaped reads as typed tables, dict-shaped ones as the dict ``--json``
prints.

A list-shaped read (``ladder``, ``kb_qa``, ``campaigns`` ...) comes back as a table with the columns and types of
:data:`SCHEMAS`, the same whether it has rows or not and whatever the rows' values: times are timestamps in the
store's zone (``timestamp[us, tz=Asia/Shanghai]`` in Arrow, ``datetime64[us, Asia/Shanghai]`` in pandas, Polars'
``Datetime("us", "Asia/Shanghai")``), as :meth:`reef.api.Community.table` gives the store's own times; ids and names
are text, counts int64, scores float64, flags bool, lists lists of text. The moment a result describes goes into the
Arrow schema metadata under ``as_of`` and into a pandas frame's ``attrs["as_of"]`` (ISO text in the store's zone, for
tables read by name too); :func:`result_as_of` reads it back. A dict-shaped read has every time in it as ISO text with
its offset (:func:`reef.timetext.json_ready`), as ``--json`` prints it.

Example:
    >>> t = frame([{"member_id": "m1", "at": "2026-06-01T21:56:03+08:00"}], columns=("member_id", "at"),
    ...           as_of="2026-06-02T00:00:00+08:00", zone="Asia/Shanghai", kinds={"member_id": "str", "at": "time"})
    >>> str(t.schema.field("at").type), result_as_of(t)
    ('timestamp[us, tz=Asia/Shanghai]', '2026-06-02T00:00:00+08:00')
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = ["SCHEMAS", "COLUMNS", "KINDS", "frame", "typed", "result_as_of", "with_as_of", "plain"]

# Every list-shaped read (keyed by its reef.reads function): its columns in order, each ``name:kind`` (str, int,
# float, bool, time, strs: a list of texts). tests/test_api_parity.py checks them against the results on a store.
SCHEMAS = {
    "quarantine": "import_id:int file:str line:int entity:str field:str reason:str raw:str quarantined_at:time where:str "
                  "reason_code:str",
    "ladder": "member_id:str name:str rank:int stage:int stage_name:str stage_name_en:str potential:float momentum:float "
              "rising:bool next_progress:float evidence_zh:str evidence_en:str flags:strs stage_since:time max_stage:int "
              "last_activity_at:time",
    "recognise": "rank:int alert:str member_id:str name:str stage:int potential:float content_id:str content_kind:str "
                 "act:str at:time snippet:str message_zh:str message_en:str is_new:bool recognised_at:time "
                 "recognised_status:str recognised_action:str",
    "connectors": "rank:int member_id:str name:str role:str score:float expertise:float brokerage:float responders:float "
                  "reach:float reciprocity:float items:int followon_replies:int followon:float distinct_others:int "
                  "askers:int mentioners:int quoters:int agreers:int examples:strs expertise_part:float "
                  "asked_part:float distinct_part:float brokerage_part:float reach_part:float followon_part:float",
    "qa": "question_id:str question:str created_at:time asker_id:str answers:int best_answer_id:str best_answerer_id:str "
          "best_answerer:str best_score:float best_accepted:bool stage:str cluster_id:int",
    "essence": "content_id:str kind:str title:str author_id:str author_name:str created_at:time score:float "
               "viral_share:float explanation:str",
    "repeated": "cluster_id:int question:str times_asked:int askers:int answered:int accepted:int best_answer_id:str "
                "best_answerer_id:str best_answerer:str last_asked:time",
    "topics": "aspect:str car_model:str stage:str questions:int distinct_questions:int answered_share:float "
              "accepted_share:float answer_age_days:int stale:bool mark:str",
    "gaps": "rank:int kind:str label:str title:str times_asked:int answered_share:float priority:float reason:str "
            "canonical_id:str",
    "ask": "rank:int score:float question_id:str question:str times_asked:int answer_id:str answer:str answerer_id:str "
           "answerer:str accepted:bool",
    "guide": "kind:str path:str bytes:int",
    "campaigns": "campaign_id:str name:str topic:str started_at:time ended_at:time entries_judged:int",
}
KINDS = {read: dict(c.split(":") for c in spec.split()) for read, spec in SCHEMAS.items()}
# The column names alone (an empty result has them all, typed).
COLUMNS = {read: tuple(kinds) for read, kinds in KINDS.items()}


def _arrow_type(kind: str, zone: str):
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "strs": pa.list_(pa.string())}
    return types[kind] if kind in types else pa.timestamp("us", tz=zone)


def _moment(value: Any, zone: str) -> datetime | None:
    """A time the library gave as ISO text or a datetime, aware (a naive one is a time in ``zone``)."""
    from zoneinfo import ZoneInfo

    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(zone))


def typed(table, kinds: dict[str, str], zone: str):
    """``table`` with each column of ``kinds`` cast to its type: ISO times to timestamps in ``zone``, a column of
    nulls only (no row had a value) to its declared type."""
    import pyarrow as pa

    for i, name in enumerate(table.column_names):
        if name not in kinds:
            continue
        column, want = table.column(i), _arrow_type(kinds[name], zone)
        if column.type == want:
            continue
        if kinds[name] == "time" and not pa.types.is_timestamp(column.type) and not pa.types.is_null(column.type):
            column = pa.array([_moment(v, zone) for v in column.to_pylist()], want)
        else:
            column = column.cast(want)
        table = table.set_column(i, name, column)
    return table


def with_as_of(table, as_of: str | None, format: str = "arrow"):  # noqa: A002
    """``table`` (Arrow) in ``format`` carrying ``as_of`` (ISO): in the Arrow schema metadata, a pandas frame's attrs."""
    from reef.api import convert

    if as_of is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"as_of": as_of.encode()})
    out = convert(table, format)
    if as_of is not None and format == "pandas":
        out.attrs["as_of"] = as_of
    return out


def frame(rows: list[dict[str, Any]], format: str = "arrow", columns: tuple[str, ...] | None = None,  # noqa: A002
          as_of: str | None = None, *, kinds: dict[str, str] | None = None, zone: str = "UTC"):
    """``rows`` as an Arrow table, or Polars / pandas (:func:`reef.api.convert`); with no rows, ``columns``; each
    column of ``kinds`` typed (:func:`typed`, times in ``zone``), the others null-typed when empty. ``as_of`` (the
    moment the rows describe, ISO) as :func:`with_as_of` puts it (Polars frames keep no metadata: read the Arrow
    table)."""
    import pyarrow as pa

    table = pa.table({c: pa.array([], pa.null()) for c in columns}) if not rows and columns else pa.Table.from_pylist(rows)
    if kinds:
        table = typed(table, kinds, zone)
    return with_as_of(table, as_of, format)


def result_as_of(result: Any) -> str | None:
    """The as_of (ISO) a read method's result describes: a dict's ``as_of``, an Arrow table's schema metadata, a pandas
    frame's ``attrs`` (a table read by name, :meth:`reef.api.Community.table`, too); None when it carries none (a
    Polars frame, a data table).

    >>> result_as_of(frame([{"a": 1}], as_of="2026-06-01T21:56:03+08:00"))
    '2026-06-01T21:56:03+08:00'
    """
    if isinstance(result, dict):
        value = result.get("as_of")
        return value.isoformat() if hasattr(value, "isoformat") else value
    schema = getattr(result, "schema", None)
    metadata = getattr(schema, "metadata", None) if schema is not None and not callable(schema) else None
    if metadata and b"as_of" in metadata:
        return metadata[b"as_of"].decode()
    attrs = getattr(result, "attrs", None)
    return attrs.get("as_of") if isinstance(attrs, dict) else None


def plain(data: Any, zone: str) -> Any:
    """A dict-shaped read's result as ``--json`` prints it: every time (a datetime, a date, DuckDB's or a page's text
    of a time) as ISO text with its offset in ``zone`` (:func:`reef.timetext.json_ready`)."""
    from reef.timetext import json_ready

    return json_ready(data, zone)
