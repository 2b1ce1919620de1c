"""SQL that turns staged text rows into typed canonical rows, or into quarantine reasons.

Every reader stages rows as text (``VARCHAR``) in a temp table ``stage_<entity>`` with the
entity's fields plus ``_file``, ``_line`` and ``_raw``. This module writes the one set of
checks that all formats share, so a CSV, a JSONL file and a Stack Exchange dump are judged
by the same rules. Checks run in DuckDB, vectorised.

Example:
    >>> "TRY_CAST" in typed_expression(ENTITIES["members"].field("joined_at"))
    True
"""
from __future__ import annotations

from reef.model.schema import (
    CONTENT_KINDS_NEEDING_PARENT,
    ENTITIES,
    INTERACTION_TARGETS,
    Entity,
    Field,
)

__all__ = ["stage_ddl", "typed_expression", "row_problem_sql", "TIMESTAMP_FORMATS"]

# Formats tried after ISO 8601 for naive timestamps (read in the store's time zone).
TIMESTAMP_FORMATS = [
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日",
    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y.%m.%d",
]
STAGE_EXTRA = (("_file", "VARCHAR"), ("_line", "BIGINT"), ("_raw", "VARCHAR"), ("_seq", "BIGINT"))


def stage_ddl(entity: Entity) -> str:
    cols = [f'"{f.name}" VARCHAR' for f in entity.fields] + [f"{n} {t}" for n, t in STAGE_EXTRA]
    return f'CREATE TEMP TABLE IF NOT EXISTS "stage_{entity.name}" ({", ".join(cols)})'


def _clean(col: str) -> str:
    return f"NULLIF(trim({col}), '')"


def typed_expression(f: Field, col: str | None = None) -> str:
    """SQL that converts the staged text of field ``f`` to its canonical type (NULL if invalid)."""
    c = _clean(col or f'"{f.name}"')
    if f.type == "TIMESTAMPTZ":
        fmts = ", ".join(f"'{x}'" for x in TIMESTAMP_FORMATS)
        return (
            f"CASE WHEN {c} IS NULL THEN NULL "
            f"WHEN regexp_full_match({c}, '-?[0-9]{{9,10}}(\\.[0-9]+)?') THEN to_timestamp(TRY_CAST({c} AS DOUBLE)) "
            f"WHEN regexp_full_match({c}, '[0-9]{{12,13}}') THEN to_timestamp(TRY_CAST({c} AS DOUBLE) / 1000) "
            f"ELSE coalesce(TRY_CAST({c} AS TIMESTAMPTZ), TRY_CAST(try_strptime({c}, [{fmts}]) AS TIMESTAMPTZ)) END"
        )
    if f.type == "VARCHAR[]":
        return (
            f"CASE WHEN {c} IS NULL THEN NULL "
            f"WHEN starts_with({c}, '[') THEN try(from_json({c}, '[\"VARCHAR\"]')) "
            f"ELSE list_filter(list_transform(string_split({c}, '|'), lambda x: trim(x)), lambda x: x <> '') END"
        )
    if f.type == "JSON":
        return f"CASE WHEN {c} IS NULL THEN NULL WHEN json_valid({c}) THEN {c}::JSON ELSE NULL END"
    if f.type == "BOOLEAN":
        return f"TRY_CAST({c} AS BOOLEAN)"
    if f.type == "DOUBLE":
        return f"TRY_CAST({c} AS DOUBLE)"
    if f.kinds:
        return f"lower({c})"
    return c


def _text_expression(f: Field) -> str:
    if f.name != "body":
        return f'"{f.name}"'
    # HTML bodies are reduced to plain text; the original goes to body_html.
    strip = "regexp_replace(regexp_replace(\"body\", '<(br|/p|/div|/li|/h[1-6]|/pre|/blockquote)[^>]*>', '\n', 'gi'), '<[^>]+>', '', 'g')"
    for ent, ch in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "''"), ("&#x27;", "''"), ("&nbsp;", " "), ("&amp;", "&")):
        strip = f"replace({strip}, '{ent}', '{ch}')"
    return f"CASE WHEN regexp_matches(\"body\", '<(p|br|div|a|b|i|em|strong|code|pre|ul|ol|li|h[1-6]|img|span|blockquote)[ >/]', 'i') THEN trim({strip}, ' \n\t\r') ELSE \"body\" END"


def typed_select(entity: Entity) -> str:
    """SELECT list producing typed columns ``t_<field>`` next to the staged text."""
    parts = []
    for f in entity.fields:
        expr = typed_expression(f)
        if f.default and f.type == "VARCHAR":
            expr = f"coalesce({expr}, {f.default})"
        parts.append(f'{expr} AS "t_{f.name}"')
    if "body" in entity.columns:
        parts.append(
            "CASE WHEN regexp_matches(\"body\", '<(p|br|div|a|b|i|em|strong|code|pre|ul|ol|li|h[1-6]|img|span|blockquote)[ >/]', 'i') "
            "THEN \"body\" ELSE NULL END AS \"t_body_html_from_body\""
        )
        parts.append(f'{_text_expression(entity.field("body"))} AS "t_body_text"')
    return ", ".join(parts)


def _quote(col: str) -> str:
    return f"'''' || left({col}, 80) || ''''"


def row_problem_sql(entity: Entity, *, max_text_chars: int) -> str:
    """A CASE expression giving ``[field, reason]`` for the first problem of a typed row, else NULL.

    ``min_ts`` and ``max_ts`` are bound parameters ($min_ts, $max_ts).
    """
    checks: list[tuple[str, str, str]] = []  # (condition, field, reason expression)
    key = entity.key
    checks.append((f'"t_{key}" IS NULL', key, "'missing required id'"))
    for f in entity.fields:
        if f.required and f.name != key:
            checks.append((f'"t_{f.name}" IS NULL AND {_clean(chr(34) + f.name + chr(34))} IS NULL', f.name, f"'missing required field {f.name}'"))
    for f in entity.fields:
        raw = _clean(f'"{f.name}"')
        if f.kinds:
            allowed = ", ".join(f"'{k}'" for k in f.kinds)
            checks.append((
                f'"t_{f.name}" IS NOT NULL AND "t_{f.name}" NOT IN ({allowed})', f.name,
                f"'unknown {f.name} ' || {_quote(raw)} || ' (expected one of: {', '.join(f.kinds)})'",
            ))
        elif f.type != "VARCHAR":
            what = {"TIMESTAMPTZ": "timestamp", "DOUBLE": "number", "BOOLEAN": "true/false",
                    "VARCHAR[]": "list (JSON array or a|b|c)", "JSON": "JSON object"}[f.type]
            checks.append((f'{raw} IS NOT NULL AND "t_{f.name}" IS NULL', f.name, f"'not a valid {what}: ' || {_quote(raw)}"))
    for f in entity.fields:
        if f.type == "TIMESTAMPTZ":
            checks.append((
                f'"t_{f.name}" < $min_ts OR "t_{f.name}" > $max_ts', f.name,
                f"'impossible timestamp ' || strftime(\"t_{f.name}\", '%Y-%m-%d %H:%M:%S%z') || ' (outside ' || strftime($min_ts, '%Y-%m-%d') || ' .. now)'",
            ))
    for f in entity.fields:
        if f.text:
            checks.append((
                f'length("{f.name}") > {int(max_text_chars)}', f.name,
                f"'text too long: ' || length(\"{f.name}\") || ' characters (limit {int(max_text_chars)}, set ingest.max_text_chars)'",
            ))
    if entity.name == "content":
        need = ", ".join(f"'{k}'" for k in CONTENT_KINDS_NEEDING_PARENT)
        checks.append((f'"t_kind" IN ({need}) AND "t_parent_id" IS NULL', "parent_id", "'a ' || \"t_kind\" || ' needs parent_id'"))
        checks.append(('"t_parent_id" = "t_content_id"', "parent_id", "'item is its own parent'"))
    if entity.name == "interactions":
        by_target: dict[str, list[str]] = {}
        for kind, target in INTERACTION_TARGETS.items():
            by_target.setdefault(target, []).append(f"'{kind}'")
        checks.append((f'"t_kind" IN ({", ".join(by_target["content"])}) AND "t_target_content_id" IS NULL',
                       "target_content_id", "'a ' || \"t_kind\" || ' needs target_content_id'"))
        checks.append((f'"t_kind" IN ({", ".join(by_target["member"])}) AND "t_target_member_id" IS NULL',
                       "target_member_id", "'a ' || \"t_kind\" || ' needs target_member_id'"))
        checks.append((f'"t_kind" IN ({", ".join(by_target["either"])}) AND "t_target_member_id" IS NULL AND "t_target_content_id" IS NULL',
                       "target_content_id", "'a ' || \"t_kind\" || ' needs a target'"))
    whens = " ".join(f"WHEN {cond} THEN ['{fld}', {reason}]" for cond, fld, reason in checks)
    return f"CASE {whens} ELSE NULL END"


def reference_fields(entity: Entity) -> list[Field]:
    return [f for f in entity.fields if f.ref]


ENTITY_ORDER = ["members", "groups", "campaigns", "content", "interactions", "official_facts", "awards", "operator_actions"]
assert set(ENTITY_ORDER) == set(ENTITIES)
