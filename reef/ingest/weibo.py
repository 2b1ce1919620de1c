"""Weibo CED reader (format ``weibo``): source posts with their repost/comment trees.

Reads the flattened CED dataset (Song et al. 2018): a folder with ``events.csv.gz`` (one source
microblog per row, ``event_id = <index>_<mid>_<uid>``) and ``reposts.csv.gz`` (``mid``,
``parent_mid``, ``uid``, ``date``, ``text``). Each source post becomes a ``thread``; each
repost/comment a ``reply`` whose parent is the repost it answers (or the source post when
``parent_mid`` is empty); each uid a member ``wb:<uid>``. Ids are ``wb:<index>:<mid>`` because a
few mids repeat across events. Times are Beijing time. Fixes for the source's oddities: 87 events
carry a string time (``Sat Jun 29 12:40:09 +0800 2013``); 74 repost dates lack the year
(``02月06日 17:45``: the event's year, or the next one when that would precede the event); a repost
stamped before its parent (crawler clock skew, 8 rows) is moved to its parent's time, with the
original kept in ``attrs.raw_date``, so the tree stays whole.

Example:
    >>> from reef.store import open_store
    >>> from reef.ingest import import_paths
    >>> import_paths(open_store(":memory:"), []).read
    0
"""
from __future__ import annotations

from pathlib import Path

from reef.errors import Location, UnreadableFileError

__all__ = ["stage_weibo", "is_weibo_folder"]


def is_weibo_folder(path: Path) -> bool:
    return path.is_dir() and (path / "events.csv.gz").exists() and (path / "reposts.csv.gz").exists()


_LOCAL = "strftime({x}, '%Y-%m-%dT%H:%M:%S') || '+08:00'"


def stage_weibo(session, path: Path, *, entity: str | None = None) -> None:
    """Stage members, threads and replies of a CED folder into ``session``."""
    if not is_weibo_folder(path):
        raise UnreadableFileError("A Weibo CED folder needs events.csv.gz and reposts.csv.gz.", where=Location(file=str(path)))
    con = session.con
    events, reposts = str(path / "events.csv.gz"), str(path / "reposts.csv.gz")
    for f in (events, reposts):
        session.add_file(f, "weibo", size=Path(f).stat().st_size)
    con.execute("""CREATE OR REPLACE TEMP TABLE _wb_e AS
        SELECT row_number() OVER () + 1 AS _line, event_id, label, text, split_part(event_id, '_', 1) AS idx,
               split_part(event_id, '_', 2) AS emid, split_part(event_id, '_', 3) AS euid,
               CASE WHEN regexp_full_match(time_unix, '[0-9]+')
                    THEN timezone('Asia/Shanghai', to_timestamp(time_unix::BIGINT))
                    ELSE timezone('Asia/Shanghai', strptime(time_unix, '%a %b %d %H:%M:%S %z %Y')) END AS t0
        FROM read_csv($f, all_varchar = true, header = true)""", {"f": events})
    con.execute("""CREATE OR REPLACE TEMP TABLE _wb_r AS
        WITH r AS (SELECT row_number() OVER () + 1 AS _line, * FROM read_csv($f, all_varchar = true, header = true)),
        y AS (SELECT r.*, e.idx, e.t0, coalesce(try_strptime(r.date, '%Y-%m-%d %H:%M:%S'),
                     try_strptime(year(e.t0)::VARCHAR || '年' || r.date, '%Y年%m月%d日 %H:%M')) AS t1 FROM r JOIN _wb_e e USING (event_id))
        SELECT *, CASE WHEN t1 < t0 - INTERVAL 1 DAY AND NOT regexp_full_match(date, '[0-9]{4}-.*') THEN t1 + INTERVAL 1 YEAR
                       ELSE t1 END AS t FROM y""", {"f": reposts})
    # Clamp each repost to be no earlier than its parent (recursive over the tree depth).
    con.execute("""CREATE OR REPLACE TEMP TABLE _wb_t AS
        WITH RECURSIVE tree(event_id, mid, t) AS (
            SELECT event_id, mid, greatest(t, t0) FROM _wb_r WHERE coalesce(parent_mid, '') = ''
            UNION ALL
            SELECT c.event_id, c.mid, greatest(c.t, p.t) FROM _wb_r c JOIN tree p ON c.event_id = p.event_id AND c.parent_mid = p.mid)
        SELECT event_id, mid, min(t) AS t FROM tree GROUP BY ALL""")
    ts = lambda x: _LOCAL.format(x=x)  # noqa: E731
    session.stage_sql("content", f"""
        SELECT 'wb:' || idx || ':' || emid AS content_id, 'thread' AS kind, 'wb:' || euid AS author_id,
               {ts('t0')} AS created_at, NULL AS parent_id, NULL AS thread_id, text AS body,
               to_json({{'label': label, 'event_id': event_id}})::VARCHAR AS attrs, _line FROM _wb_e""", file=events)
    session.stage_sql("content", f"""
        SELECT 'wb:' || r.idx || ':' || r.mid AS content_id, 'reply' AS kind, 'wb:' || r.uid AS author_id,
               {ts('coalesce(t.t, r.t)')} AS created_at,
               'wb:' || r.idx || ':' || coalesce(nullif(r.parent_mid, ''), split_part(r.event_id, '_', 2)) AS parent_id,
               'wb:' || r.idx || ':' || split_part(r.event_id, '_', 2) AS thread_id, nullif(r.text, '') AS body,
               CASE WHEN t.t IS DISTINCT FROM r.t THEN to_json({{'raw_date': r.date}})::VARCHAR END AS attrs, r._line
        FROM _wb_r r LEFT JOIN _wb_t t ON t.event_id = r.event_id AND t.mid = r.mid""", file=reposts)
    session.stage_sql("members", f"""
        SELECT 'wb:' || uid AS member_id, {ts('min(t)')} AS joined_at, min(_line) AS _line FROM (
            SELECT euid AS uid, t0 AS t, _line FROM _wb_e UNION ALL
            SELECT r.uid, coalesce(t.t, r.t), r._line FROM _wb_r r LEFT JOIN _wb_t t USING (event_id, mid))
        GROUP BY uid""", file=events)
