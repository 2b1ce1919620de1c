"""The normalised form of ``attrs``, so the same extras read from any format compare equal.

A CSV cell is text, while JSONL and Parquet carry numbers and booleans: ``level=3`` arrives as
``"3"`` from CSV and ``3`` from JSONL. Without one form, a member imported from CSV and again
from JSONL would count as *updated* although nothing changed. The normalised ``attrs`` is a
JSON object with:

- keys sorted (key order carries no meaning in a JSON object);
- scalar values as text: ``3`` -> ``"3"``, ``true`` -> ``"true"``, ``1.5`` -> ``"1.5"``
  (numbers as the JSON reader writes them: ``1e3`` -> ``"1000.0"``);
- ``null`` and empty-text values dropped (a CSV cannot tell them from a missing column);
- lists and nested objects kept as JSON;
- an object left empty is no ``attrs`` at all (NULL).

Readers of ``attrs`` use ``->>`` / ``json_extract_string``, which give the same text either way.
Rows stored before this form existed are compared in it too (:func:`same_row_sql`), so
re-importing them counts as duplicates, not updates.

Example:
    >>> import duckdb
    >>> sql = "SELECT " + canonical_attrs_sql("$j::JSON")
    >>> duckdb.connect().execute(sql, {"j": '{"b": 3, "a": "x", "n": null, "ok": true}'}).fetchone()[0]
    '{"a":"x","b":"3","ok":"true"}'
"""
from __future__ import annotations

from reef.model.schema import Entity

__all__ = ["canonical_attrs_sql", "duplicate_key_sql", "same_row_sql"]


def canonical_attrs_sql(col: str) -> str:
    """SQL giving the normalised form of the JSON value ``col`` (a non-object passes through unchanged).

    An object with a duplicate key also passes through unchanged: the validator quarantines it
    (:func:`duplicate_key_sql`), and reading it as a map would fail.
    """
    entries = f"map_entries(try(json_transform({col}, '\"MAP(VARCHAR, JSON)\"')))"
    keep = "x.value IS NOT NULL AND x.value::VARCHAR NOT IN ('null', '\"\"')"
    # A scalar that is not a string (a number or a boolean) becomes its text; strings, lists and objects stay JSON.
    # Built as a MAP and written by to_json: cheaper than concatenating strings and casting them back to JSON.
    value = "CASE WHEN json_type(x.value) IN ('VARCHAR', 'OBJECT', 'ARRAY') THEN x.value ELSE to_json(x.value::VARCHAR) END"
    body = f"to_json(map_from_entries(list_transform(list_sort(list_filter({entries}, lambda x: {keep})), lambda x: {{'k': x.key, 'v': {value}}})))"
    return (f"CASE WHEN {col} IS NULL OR json_type({col}) <> 'OBJECT' OR {duplicate_key_sql(col)} IS NOT NULL THEN {col} "
            f"ELSE nullif({body}, '{{}}'::JSON) END")


def duplicate_key_sql(col: str, keys: str | None = None) -> str:
    """SQL giving the first key that appears twice in the JSON object ``col`` (NULL if none).

    ``keys`` overrides the key list (say, field names lower-cased); it may refer to ``col``.
    """
    ks = keys or f"json_keys({col})"
    # Cheap test first: nearly every object has distinct keys.
    return (f"CASE WHEN len(list_distinct({ks})) < len({ks}) THEN "
            f"list_transform([{ks}], lambda ks: list_filter(ks, lambda k, i: list_position(ks, k) < i)[1])[1] END")


def same_row_sql(entity: Entity, stored: str, typed: str) -> str:
    """SQL true when the stored row (alias ``stored``) holds what the typed row (alias ``typed``, ``t_`` columns) holds.

    The stored ``attrs`` is compared in its normalised form: rows written before ``attrs`` was
    normalised keep the form they were written in (and a ``row_hash`` of it), and an unchanged
    re-import of them must count as a duplicate, not an update.
    """
    pairs = []
    for f in entity.fields:
        mine = canonical_attrs_sql(f'{stored}."attrs"') if f.name == "attrs" else f'{stored}."{f.name}"'
        pairs.append(f'({mine}) IS NOT DISTINCT FROM {typed}."t_{f.name}"')
    return "(" + " AND ".join(pairs) + ")"
