"""Row buffers of one simulated chunk, turned into typed Arrow tables when flushed.

Timestamps are kept as epoch seconds and written as ``timestamp[us, tz=Asia/Shanghai]``.

Example:
    >>> b = Buffers()
    >>> b.add("awards", award_id="a1", member_id="m1", name="优质创作者", awarded_at=1767225600, level="gold", attrs=None)
    >>> b.to_arrow("awards").num_rows
    1
"""
from __future__ import annotations

import pyarrow as pa

__all__ = ["Buffers", "SCHEMAS", "TRUTH_TABLES"]

_TS = pa.timestamp("us", tz="Asia/Shanghai")
_S, _L, _D, _I = pa.string(), pa.list_(pa.string()), pa.float64(), pa.int32()


def _schema(*cols: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t in cols])


SCHEMAS: dict[str, pa.Schema] = {
    "members": _schema(("member_id", _S), ("name", _S), ("joined_at", _TS), ("account_type", _S), ("region", _S),
                       ("car_model", _S), ("owner_since", _TS), ("contact", _S), ("left_at", _TS), ("attrs", _S)),
    "groups": _schema(("group_id", _S), ("name", _S), ("kind", _S), ("parent_id", _S), ("owner_id", _S),
                      ("created_at", _TS), ("description", _S), ("attrs", _S)),
    "campaigns": _schema(("campaign_id", _S), ("name", _S), ("topic", _S), ("started_at", _TS), ("ended_at", _TS),
                         ("group_id", _S), ("seed_member_ids", _L), ("description", _S), ("attrs", _S)),
    "content": _schema(("content_id", _S), ("kind", _S), ("author_id", _S), ("created_at", _TS), ("parent_id", _S),
                       ("thread_id", _S), ("group_id", _S), ("campaign_id", _S), ("title", _S), ("body", _S),
                       ("tags", _L), ("attrs", _S)),
    "interactions": _schema(("interaction_id", _S), ("kind", _S), ("actor_id", _S), ("target_content_id", _S),
                            ("target_member_id", _S), ("related_content_id", _S), ("created_at", _TS), ("value", _D)),
    "official_facts": _schema(("fact_id", _S), ("kind", _S), ("model", _S), ("attribute", _S), ("value", _D),
                              ("value_text", _S), ("unit", _S), ("valid_from", _TS), ("source", _S)),
    "awards": _schema(("award_id", _S), ("member_id", _S), ("name", _S), ("awarded_at", _TS), ("level", _S), ("attrs", _S)),
    "operator_actions": _schema(("action_id", _S), ("kind", _S), ("operator", _S), ("member_id", _S), ("created_at", _TS),
                                ("status", _S), ("note", _S)),
    "truth_members": _schema(("member_id", _S), ("latent_type", _S), ("interests", _L), ("faction", _S),
                             ("burnout_at", _TS), ("leaves_at", _TS), ("attrs", _S)),
    "truth_scenarios": _schema(("scenario", _S), ("started_at", _TS), ("ended_at", _TS), ("params", _S)),
    "truth_content": _schema(("content_id", _S), ("quality", _D), ("sentiment", _I), ("aspects", _L), ("intents", _L),
                             ("scenario", _S), ("claim", _S), ("group_key", _S), ("pii", _L), ("duplicate_of", _S),
                             ("selling_point", _S)),
    "truth_campaign_rings": _schema(("campaign_id", _S), ("member_id", _S), ("ring", _I), ("via_member_id", _S),
                                    ("adopted_at", _TS), ("content_id", _S)),
}
TRUTH_TABLES = tuple(n for n in SCHEMAS if n.startswith("truth_"))


class Buffers:
    """Column lists per table; ``add`` appends one row, ``to_arrow`` builds and clears."""

    def __init__(self) -> None:
        self._cols: dict[str, dict[str, list]] = {name: {f.name: [] for f in s} for name, s in SCHEMAS.items()}

    def add(self, table: str, **row) -> None:
        cols = self._cols[table]
        for name, values in cols.items():
            values.append(row.get(name))

    def rows(self, table: str) -> int:
        return len(next(iter(self._cols[table].values())))

    def total(self) -> int:
        return sum(self.rows(t) for t in SCHEMAS)

    def to_arrow(self, table: str) -> pa.Table:
        schema = SCHEMAS[table]
        cols = self._cols[table]
        arrays = []
        for f in schema:
            values = cols[f.name]
            if f.type == _TS:
                arrays.append(pa.array([None if v is None else int(v) * 1_000_000 for v in values], type=pa.int64()).cast(_TS))
            else:
                arrays.append(pa.array(values, type=f.type))
            cols[f.name] = []
        return pa.Table.from_arrays(arrays, schema=schema)
