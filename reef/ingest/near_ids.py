""""Did you mean": a dangling reference that differs from a known id only by leading zeros (``007`` for ``7``, as an
Excel column formatted as a number drops them, or a ``000`` format adds them) or by letter case (``p3`` for ``P3``)
gets the id it likely means added to its quarantine reason. The reference stays refused: ids are compared as written,
and which one is right is the operator's call.

Set-based and cheap: it runs only when the import quarantined dangling references, on the distinct dangling values,
joined in DuckDB to the referred-to ids by a folded form (``lower(ltrim(id, '0'))``); one scan of the key column, no
per-row Python. A value two known ids fold to (``7`` and ``07``) gets no suggestion.

Example:
    >>> NEAR_SUFFIX.format(id="7")
    "; did you mean '7'?"
"""
from __future__ import annotations

from reef.ingest.validate import reference_fields
from reef.model.schema import ENTITIES

__all__ = ["suggest_near_ids", "NEAR_SUFFIX"]

NEAR_SUFFIX = "; did you mean '{id}'?"


def _fold(col: str) -> str:
    return f"lower(ltrim({col}, '0'))"


def suggest_near_ids(con, entities: list[str]) -> int:
    """Add ``; did you mean '<id>'?`` to the dangling-reference problems of the typed rows of ``entities`` whose value
    folds to exactly one known (stored or valid staged) id; returns how many rows got one."""
    done = 0
    for name in entities:
        for f in reference_fields(ENTITIES[name]):
            dangling = f"""_problem[1] = '{f.name}' AND starts_with(_problem[2], 'dangling reference: ')"""
            if not con.execute(f'SELECT count(*) FROM "typed_{name}" WHERE {dangling}').fetchone()[0]:
                continue
            target = ENTITIES[f.ref]
            staged = (f'UNION ALL SELECT "t_{target.key}" FROM "typed_{target.name}" WHERE _problem IS NULL AND _status IS NULL'
                      if target.name in entities else "")
            done += int(con.execute(f"""
                UPDATE "typed_{name}" AS t SET _problem = [t._problem[1], t._problem[2] || '; did you mean ''' || n.id || '''?']
                FROM (SELECT d.v, min(k.id) AS id
                      FROM (SELECT DISTINCT "t_{f.name}" AS v FROM "typed_{name}" WHERE {dangling}) AS d
                      JOIN (SELECT "{target.key}" AS id FROM "{target.name}" {staged}) AS k ON {_fold('k.id')} = {_fold('d.v')}
                      WHERE k.id <> d.v GROUP BY d.v HAVING count(DISTINCT k.id) = 1) AS n
                WHERE {dangling.replace('_problem', 't._problem')} AND t."t_{f.name}" = n.v
            """).fetchone()[0])
    return done
