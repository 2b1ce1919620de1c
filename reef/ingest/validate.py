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

from reef.ingest.attrs import canonical_attrs_sql, duplicate_key_sql
from reef.ingest.clock import DESIGNATOR, twelve_hour
from reef.ingest.html_body import html_to_text_sql, is_html_sql
from reef.model.schema import (
    CONTENT_KINDS_NEEDING_PARENT,
    ENTITIES,
    INTERACTION_TARGETS,
    Entity,
    Field,
)

__all__ = ["stage_ddl", "typed_expression", "typed_select", "row_problem_sql", "typed_table_sql", "reference_fields", "ENTITY_ORDER", "TIMESTAMP_FORMATS",
           "DATE_ORDER", "NUL_REASON", "ROUNDED_TAIL"]

# Formats tried after ISO 8601 for naive timestamps (read in the store's time zone).
TIMESTAMP_FORMATS = [
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日",
    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y.%m.%d",
    "%Y年%m月%d日 %H时%M分%S秒", "%Y年%m月%d日 %H时%M分", "%Y年%m月%d日%H:%M:%S", "%Y年%m月%d日%H:%M",
]
# Full-width ASCII (an input method's ０-９, Ａ-Ｚ) in an id is the same id: folded to ASCII, as NFKC would.
_WIDE, _NARROW = "".join(map(chr, range(0xFF01, 0xFF5F))), "".join(map(chr, range(0x21, 0x7F)))
# An id in scientific notation (1.23457E+16, 1.2345678901234568e+16) is a number whose last digits were dropped.
_ROUNDED = "'[0-9](\\.[0-9]+)?[eE][+]?[0-9]+'"
ROUNDED_TAIL = (": a number in scientific notation, as Excel holds an id of 16 digits or more (it keeps 15, so the last "
                "digits are lost); format the id column as text in Excel (or export again from the platform) and import again")
STAGE_EXTRA = (("_file", "VARCHAR"), ("_line", "BIGINT"), ("_raw", "VARCHAR"), ("_seq", "BIGINT"))


# (later, earlier) pairs of one row: ``later`` before ``earlier`` is impossible, and the row is quarantined.
DATE_ORDER = {
    "members": (("left_at", "joined_at"),),
    "campaigns": (("ended_at", "started_at"),),
    "content": (("edited_at", "created_at"), ("deleted_at", "created_at")),
    "official_facts": (("valid_to", "valid_from"),),
}
NUL_REASON = ("NUL character (\\x00) in {field}: the export is damaged or binary; remove the NUL bytes "
              "(tr -d '\\000' < file > fixed) and import again")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _has_nul(col: str, *, json: bool) -> str:
    """SQL: ``col`` holds a NUL character (or, for JSON text, an escaped one: ``\\u0000`` not preceded by a backslash)."""
    test = f"contains({col}, chr(0))"
    if json:
        test += f" OR (contains({col}, '\\u0000') AND regexp_matches({col}, '(^|[^\\\\])(\\\\\\\\)*\\\\u0000'))"
    return test


def stage_ddl(entity: Entity) -> str:
    cols = [f'"{f.name}" VARCHAR' for f in entity.fields] + [f"{n} {t}" for n, t in STAGE_EXTRA]
    return f'CREATE TEMP TABLE IF NOT EXISTS "stage_{entity.name}" ({", ".join(cols)})'


def _clean(col: str, json: bool = False) -> str:
    # A JSON null (an export of a row without attrs writes "attrs": null) is no value, like an empty cell.
    return f"NULLIF(NULLIF(trim({col}), ''), 'null')" if json else f"NULLIF(trim({col}), '')"


def _c(name: str) -> str:
    return f'"c_{name}"'


def typed_expression(f: Field, col: str | None = None, entity: str | None = None) -> str:
    """SQL converting the cleaned (trimmed, empty -> NULL) text of field ``f`` to its type (NULL if invalid).

    A kind of ``entity`` given as its Chinese name (点赞, 回复) is read as the canonical value (reef.ingest.aliases)."""
    c = col or _c(f.name)
    if f.type == "TIMESTAMPTZ":
        fmts = ", ".join(f"'{x}'" for x in TIMESTAMP_FORMATS)
        # ISO 8601 first: it is what nearly every row holds, and the cheapest test.
        # In Chinese exports 'CST' is China Standard Time (DuckDB reads it as US Central); an offset beyond
        # ±14:00 is impossible, not a far-away zone.
        def iso(x: str) -> str:
            return (f"CASE WHEN regexp_matches({x}, '[+-](1[5-9]|[2-9][0-9]):?[0-5][0-9]$') THEN NULL "
                    f"WHEN ends_with({x}, 'CST') THEN TRY_CAST(regexp_replace({x}, '\\s*CST$', '+08:00') AS TIMESTAMPTZ) "
                    f"ELSE TRY_CAST({x} AS TIMESTAMPTZ) END")
        # '2024-03-05 08:07:00 +0800' (a space before the offset, as `date` and some Java exports write it) is zoned
        spaced = "'\\s+([+-][0-9]{2}:?[0-9]{2})$'"
        return (
            f"coalesce({iso(c)}, CASE WHEN {c} IS NULL THEN NULL "
            f"WHEN regexp_matches({c}, {spaced}) THEN {iso(f'regexp_replace({c}, {spaced}, ' + chr(39) + chr(92) + '1' + chr(39) + ')')} "
            f"WHEN regexp_full_match({c}, '-?[0-9]{{9,10}}(\\.[0-9]+)?') THEN to_timestamp(TRY_CAST({c} AS DOUBLE)) "
            f"WHEN regexp_full_match({c}, '[0-9]{{12,13}}') THEN to_timestamp(TRY_CAST({c} AS DOUBLE) / 1000) "
            # compact 20240305 / 20240305 080700: 8 and 14 digits, never an epoch's 9-10 (s) or 12-13 (ms)
            f"WHEN regexp_full_match({c}, '[0-9]{{8}}') THEN TRY_CAST(try_strptime({c}, '%Y%m%d') AS TIMESTAMPTZ) "
            f"WHEN regexp_full_match({c}, '[0-9]{{8}}[ T]?[0-9]{{6}}') "
            f"THEN TRY_CAST(try_strptime(regexp_replace({c}, '[ T]', ''), '%Y%m%d%H%M%S') AS TIMESTAMPTZ) "
            f"WHEN regexp_matches({c}, {_sql_text(DESIGNATOR)}) THEN {twelve_hour(c)} "
            f"ELSE TRY_CAST(try_strptime({c}, [{fmts}]) AS TIMESTAMPTZ) END)"
        )
    if f.type == "VARCHAR[]":
        return (
            f"CASE WHEN {c} IS NULL THEN NULL "
            f"WHEN starts_with({c}, '[') THEN try(from_json({c}, '[\"VARCHAR\"]')) "
            f"ELSE list_filter(list_transform(string_split({c}, '|'), lambda x: trim(x)), lambda x: x <> '') END"
        )
    if f.type == "JSON":
        return f"CASE WHEN {c} IS NULL THEN NULL WHEN json_valid({c}) AND json_type({c}) = 'OBJECT' THEN {c}::JSON ELSE NULL END"
    if f.type == "BOOLEAN":
        return f"TRY_CAST({c} AS BOOLEAN)"
    if f.type == "DOUBLE":
        # NaN and infinities parse as doubles but poison every sum: they are not valid numbers here.
        return f"CASE WHEN isfinite(TRY_CAST({c} AS DOUBLE)) THEN TRY_CAST({c} AS DOUBLE) END"
    if f.kinds:
        from reef.ingest.aliases import value_alias_sql

        return value_alias_sql(entity, f.name, f"lower({c})")
    if f.ref or (entity is not None and f.name == ENTITIES[entity].key):
        # an id: full-width digits and letters folded (the cheap byte/character test first), and a whole number
        # written as a float by pandas or JSON (7.0) is the integer id 7, as Parquet floats are read
        wide = f"CASE WHEN strlen({c}) <> length({c}) AND regexp_matches({c}, '[{_WIDE[0]}-{_WIDE[-1]}]') THEN translate({c}, {_sql_text(_WIDE)}, {_sql_text(_NARROW)}) ELSE {c} END"
        return f"CASE WHEN contains({c}, '.0') THEN regexp_replace({wide}, '^(-?[0-9]+)\\.0+$', '\\1') ELSE {wide} END"
    return c


def typed_select(entity: Entity) -> str:
    """SELECT list producing typed columns ``t_<field>`` from cleaned columns ``c_<field>``.

    HTML bodies are reduced to plain text; the original goes to ``body_html``.
    """
    parts = []
    for f in entity.fields:
        expr = typed_expression(f, entity=entity.name)
        if f.name == "body":
            expr = f"CASE WHEN {is_html_sql(_c('body'))} THEN {html_to_text_sql(_c('body'))} ELSE {_c('body')} END"
        elif f.name == "body_html" and "body" in entity.columns:
            expr = f"coalesce({expr}, CASE WHEN {is_html_sql(_c('body'))} THEN {_c('body')} END)"
        if f.default and f.type == "VARCHAR":
            expr = f"coalesce({expr}, {f.default})"
        parts.append(f'{expr} AS "t_{f.name}"')
    return ", ".join(parts)


def _quote(col: str) -> str:
    return f"'''' || left({col}, 80) || ''''"


def row_problem_sql(entity: Entity, *, max_text_chars: int) -> str:
    """A CASE expression giving ``[field, reason]`` for the first problem of a typed row, else NULL.

    ``min_ts`` and ``max_ts`` are bound parameters ($min_ts, $max_ts).
    """
    checks: list[tuple[str, str, str]] = []  # (condition, field, reason expression)
    key = entity.key
    for f in entity.fields:
        # A NUL is never text: it marks a damaged or binary export, whatever the format (in JSON text it is \\u0000).
        checks.append((_has_nul(_c(f.name), json=f.type in ("JSON", "VARCHAR[]")), f.name,
                       _sql_text(NUL_REASON.format(field=f.name))))
    checks.append((f'"t_{key}" IS NULL', key, "'missing required id'"))
    for f in entity.fields:
        # 1.23457E+16: a 16+ digit id Excel held as a number (it keeps 15 digits): the id is lost, never stored as is
        if f.name == key or f.ref:
            checks.append((f"contains(lower({_c(f.name)}), 'e') AND regexp_full_match({_c(f.name)}, {_ROUNDED})", f.name,
                           f"'rounded id: {f.name} ' || {_quote(_c(f.name))} || {_sql_text(ROUNDED_TAIL)}"))
    for f in entity.fields:
        if f.required and f.name != key:
            checks.append((f'"t_{f.name}" IS NULL AND {_c(f.name)} IS NULL', f.name, f"'missing required field {f.name}'"))
    for f in entity.fields:
        raw = _c(f.name)
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
    if "attrs" in entity.columns:
        dup = duplicate_key_sql('"t_attrs"')
        checks.append((f'"t_attrs" IS NOT NULL AND {dup} IS NOT NULL', "attrs",
                       f"'duplicate key ' || {_quote(dup)} || ' in attrs: it appears twice (JSON readers disagree on which copy counts); "
                       "keep one and import again'"))
    for f in entity.fields:
        if f.type == "TIMESTAMPTZ":
            checks.append((
                f'"t_{f.name}" < $min_ts OR "t_{f.name}" > $max_ts', f.name,
                f"'impossible timestamp ' || strftime(\"t_{f.name}\", '%Y-%m-%d %H:%M:%S%z') || ' (outside ' || strftime($min_ts, '%Y-%m-%d') || ' .. now)'",
            ))
    stamp = "'%Y-%m-%d %H:%M:%S%z'"
    for later, earlier in DATE_ORDER.get(entity.name, ()):
        checks.append((
            f'"t_{later}" < "t_{earlier}"', later,
            f"'dates out of order: {later} ' || strftime(\"t_{later}\", {stamp}) || ' is before {earlier} ' || strftime(\"t_{earlier}\", {stamp}) || "
            f"': correct the dates (or leave {later} empty) and import again'",
        ))
    n = int(max_text_chars)
    for f in entity.fields:
        if f.text:
            # strlen (bytes) bounds length (characters) from above and is O(1).
            checks.append((
                f"strlen({_c(f.name)}) > {n} AND length({_c(f.name)}) > {n}", f.name,
                f"'text too long: ' || length({_c(f.name)}) || ' characters (limit {n}, set ingest.max_text_chars)'",
            ))
    if entity.name == "official_facts":
        # A spec row under a name the misinformation check does not know would never be compared, silently.
        from reef.text.spec_facts import ATTRIBUTE_ALIASES, SPEC_NAME_ALIASES, UNKNOWN_SPEC_TAIL

        names = ", ".join(_sql_text(n) for n in (*ATTRIBUTE_ALIASES, *SPEC_NAME_ALIASES))
        squeezed = "lower(regexp_replace(\"t_attribute\", '\\s|\\x{3000}|\\x{a0}', '', 'g'))"  # as spec_attribute reads it
        checks.append((f"\"t_kind\" = 'spec' AND {squeezed} NOT IN ({names})",
                       "attribute", f"'unknown spec attribute ' || {_quote(_c('attribute'))} || {_sql_text(UNKNOWN_SPEC_TAIL)}"))
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


def typed_table_sql(entity: Entity, *, max_text_chars: int, source: str | None = None) -> str:
    """One SELECT from the staged rows (``stage_<entity>`` or ``source``) to the typed rows: ``t_`` columns, problem, hash, raw.

    Only typed values are kept (the staged text would double the memory); a row with a
    problem keeps its original text in ``_raw`` for the quarantine.
    """
    cleaned = ", ".join(f'{_clean(chr(34) + f.name + chr(34), f.type == "JSON")} AS {_c(f.name)}' for f in entity.fields)
    raw_json = "to_json(struct_pack(" + ", ".join(f'"{f.name}" := "{f.name}"' for f in entity.fields) + "))::VARCHAR"
    t_cols = ", ".join(f'"t_{f.name}"' for f in entity.fields)
    # attrs is normalised after the checks (they judge what the file holds) and before the hash (it compares rows).
    normalised = f' REPLACE ({canonical_attrs_sql(chr(34) + "t_attrs" + chr(34))} AS "t_attrs")' if "attrs" in entity.columns else ""
    return (
        f"SELECT {t_cols}, _file, _line, _seq, _problem, "
        f"CASE WHEN _problem IS NOT NULL THEN coalesce(_raw, {raw_json}) END AS _raw, "
        f"hash({t_cols}) AS _hash, NULL::VARCHAR AS _status FROM ("
        f"SELECT *{normalised} FROM ("
        f"SELECT *, {row_problem_sql(entity, max_text_chars=max_text_chars)} AS _problem FROM ("
        f"SELECT *, {typed_select(entity)} FROM ("
        f'SELECT *, {cleaned} FROM ({source or chr(34) + "stage_" + entity.name + chr(34)})))))'
    )


def reference_fields(entity: Entity) -> list[Field]:
    return [f for f in entity.fields if f.ref]


ENTITY_ORDER = ["members", "groups", "campaigns", "content", "interactions", "official_facts", "awards", "operator_actions"]
assert set(ENTITY_ORDER) == set(ENTITIES)
