"""Optional references that do not resolve, and files whose rows were all quarantined: the import says so loudly.

**A board that is not known.** A forum export of posts names each post's board (``板块ID`` → ``group_id``), but the
boards file is often not exported with it. A post is no less a post without its board, so a ``group_id`` (of content
or a campaign) naming no group in the store or the import does not quarantine the row, as a missing author or
parent does: the row is imported with ``group_id`` empty, the value kept in ``attrs`` as ``unresolved_group_id``, and
the summary carries one warning per file (code ``unknown_group``) naming the values and the groups file to import
(``groups.csv`` with ``板块ID,板块名称,创建时间`` / ``group_id,name,created_at``). An import that brings the groups later fills the
stored rows' ``group_id`` from ``attrs`` (warning ``groups_filled``), so nothing has to be imported twice.

**A file none of whose rows came in.** When every row of a file was quarantined (the members file missing for its
posts, a wrong export), the summary carries a warning (code ``file_quarantined``) with the main reason and what to
do; ``reef import`` prints it as a 警告 line and exits with code 9 (the rest of the import is committed).

Example:
    >>> UNRESOLVED_KEY, sorted(OPTIONAL_REFS)
    ('unresolved_group_id', [('campaigns', 'group_id'), ('content', 'group_id')])
"""
from __future__ import annotations

from reef.i18n import plural

__all__ = ["OPTIONAL_REFS", "UNRESOLVED_KEY", "keep_unknown_groups", "unknown_group_warnings", "fill_known_groups",
           "file_quarantined_warnings"]

OPTIONAL_REFS = {("content", "group_id"), ("campaigns", "group_id")}
UNRESOLVED_KEY = "unresolved_group_id"
_GROUPS_FILE = ("groups.csv（列：板块ID,板块名称,创建时间 或 group_id,name,created_at）",
                "groups.csv (columns 板块ID,板块名称,创建时间 or group_id,name,created_at)")


def _known_groups(entities: list[str]) -> str:
    staged = ' UNION ALL SELECT t_group_id FROM "typed_groups" WHERE _problem IS NULL AND _status IS NULL' \
        if "groups" in entities else ""
    return f"SELECT group_id FROM groups{staged}"


def keep_unknown_groups(con, entities: list[str]) -> None:
    """Keep rows whose optional ``group_id`` names no known group with the group left empty (the value in ``attrs``),
    instead of quarantining them. Runs before the dangling-reference check; :func:`unknown_group_warnings` says it."""
    for name, field in sorted(OPTIONAL_REFS):
        if name not in entities:
            continue
        where = f'_problem IS NULL AND "t_{field}" IS NOT NULL AND "t_{field}" NOT IN ({_known_groups(entities)})'
        if not con.execute(f'SELECT count(*) FROM "typed_{name}" WHERE {where}').fetchone()[0]:
            continue
        from reef.ingest.attrs import canonical_attrs_sql

        # The row's hash changes with it: an unchanged re-import is a duplicate, one that now finds its group an update.
        merged = f"""json_merge_patch(coalesce(t_attrs, '{{}}'::JSON), json_object('{UNRESOLVED_KEY}', "t_{field}"))"""
        con.execute(f"""UPDATE "typed_{name}" SET t_attrs = {canonical_attrs_sql(merged)},
                "t_{field}" = NULL, _hash = hash(_hash, '{UNRESOLVED_KEY}')
            WHERE {where}""")


def unknown_group_warnings(con, entities: list[str], summary) -> None:
    """One ``unknown_group`` warning per file whose rows were imported without their group (rows quarantined for
    another reason are not counted: they were not imported)."""
    kept = " UNION ALL ".join(
        f"""SELECT _file AS file, '{name}' AS entity, t_attrs->>'{UNRESOLVED_KEY}' AS value FROM "typed_{name}"
            WHERE _problem IS NULL AND "t_{field}" IS NULL AND t_attrs->>'{UNRESOLVED_KEY}' IS NOT NULL"""
        for name, field in sorted(OPTIONAL_REFS) if name in entities)
    found = con.execute(f"""
        SELECT file, entity, count(*), list(DISTINCT value ORDER BY value)[1:5], count(DISTINCT value)
        FROM ({kept}) GROUP BY 1, 2 ORDER BY 1, 2""").fetchall() if kept else []
    for file, name, n, sample, distinct in found:
        shown = ", ".join(sample) + (" …" if distinct > len(sample) else "")
        summary.warnings.append({
            "code": "unknown_group", "file": file, "entity": name, "column": "group_id", "rows": int(n), "values": list(sample),
            "message": f"{plural(n, 'row names', 'rows name')} a group_id that is no known group ({shown}): imported with group_id empty, the value "
                       f"kept in attrs.{UNRESOLVED_KEY}. Import the boards file, {_GROUPS_FILE[1]}, to fill it in "
                       f"(the rows get their group then), or drop the column if boards do not matter.",
            "message_zh": f"{n} 行的 group_id（板块ID）不是已知的板块（{shown}）：已导入，板块留空，原值存入 attrs.{UNRESOLVED_KEY}。"
                          f"请导入板块文件 {_GROUPS_FILE[0]}，导入后这些行会自动补上板块；如不需要板块，可删去该列。"})


def fill_known_groups(con, entities: list[str], import_id: int, summary) -> None:
    """Stored rows kept without their group get it when this import brought the group (after the rows are written)."""
    if "groups" not in entities:
        return
    filled = 0
    for name, field in sorted(OPTIONAL_REFS):
        filled += int(con.execute(f"""
            UPDATE "{name}" SET "{field}" = attrs->>'{UNRESOLVED_KEY}',
                   attrs = nullif(json_merge_patch(attrs, '{{"{UNRESOLVED_KEY}": null}}'), '{{}}'::JSON),
                   import_id = $iid, ingested_at = now()
            WHERE "{field}" IS NULL AND attrs->>'{UNRESOLVED_KEY}' IN (SELECT group_id FROM groups)""",
            {"iid": import_id}).fetchone()[0])
    if filled:
        summary.warnings.append({
            "code": "groups_filled", "file": "groups", "rows": filled,
            "message": f"{plural(filled, 'row')} imported earlier without their group (attrs.{UNRESOLVED_KEY}) "
                       f"{'has' if filled == 1 else 'have'} it now.",
            "message_zh": f"之前导入时板块未知的 {filled} 行（attrs.{UNRESOLVED_KEY}）现已补上板块。"})


def file_quarantined_warnings(con, entities: list[str], summary, labels: list[str]) -> None:
    """One ``file_quarantined`` warning per file read now (``labels``) that had rows and imported none of them (every
    row quarantined: by the reader or by the checks). Reads ``stage_quarantine`` once it holds every quarantined row."""
    from reef.ingest.reasons import reason_code, reason_label, reason_text

    valid = " UNION ALL ".join(f'SELECT _file FROM "typed_{n}" WHERE _problem IS NULL' for n in entities) or \
        "SELECT NULL::VARCHAR AS _file WHERE false"
    rows = con.execute(f"""
        SELECT file, count(*) AS n, list(reason ORDER BY line) AS reasons FROM stage_quarantine
        WHERE list_contains($labels, file) AND file NOT IN (SELECT _file FROM ({valid}) WHERE _file IS NOT NULL)
        GROUP BY 1 ORDER BY 1""", {"labels": labels}).fetchall()
    from reef.actions.privacy import mask_text

    for file, n, reasons in rows:
        # A reason quotes the rejected value (a phone typed into a date column): masked as `reef quarantine` shows it.
        reasons = [mask_text(r) for r in reasons]
        by_code: dict[str, list[str]] = {}
        for r in reasons:
            by_code.setdefault(reason_code(r), []).append(r)
        code, same = max(by_code.items(), key=lambda kv: len(kv[1]))
        summary.warnings.append({
            "code": "file_quarantined", "file": file, "rows": int(n), "reason_code": code, "reason": same[0],
            "message": f"none of its {plural(n, 'row')} was imported: all were quarantined, {len(same)} for {reason_label(code, 'en')} "
                       f"(first: {reason_text(same[0], 'en')}). See `reef quarantine`.",
            "message_zh": f"本文件的 {n} 行全部被隔离，一行也没有导入；其中 {len(same)} 行的原因是{reason_label(code)}"
                          f"（第一条：{reason_text(same[0])}）。详见 `reef quarantine`。"})
