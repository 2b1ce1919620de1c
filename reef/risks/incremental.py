"""The radar's persisted base: members' content with their text features, kept up to date day by day.

A full run of the radar used to rebuild its base (content as of, joined with members and
``content_features``) from the canonical tables at every ``as_of``. This module keeps that base in
one persisted table, ``risk_base_items``, and maintains it incrementally:

- new days: content created between the last materialised moment and ``as_of`` is appended;
- late changes: content or members rows written by a later import (``import_id`` above the
  watermark) and features re-enriched since (``enriched_at`` above the watermark) replace the
  rows they touch, whatever day those belong to;
- anything the watermarks cannot explain (rows gone from ``content``, ``members`` or
  ``content_features``; another horizon; a new base version) rebuilds the table.

Beside the items it keeps the MinHash keys the families join on: novelty's bands (``risk_base_bands``)
and homogenisation's keys (``risk_base_dupkeys``), each with the set of keys carried by more than one
post, so a daily run neither re-hashes old signatures nor joins the millions of keys carried once.
A rebuild writes the tables in time order, so the families' window filters skip old row groups.

The rows hold raw member fields (joined_at, left_at, account_type), so one table serves any
``as_of`` inside its range: :func:`base_views` filters it with the run's moment exactly as the
point-in-time macros would (``created_at < as_of``, not deleted before ``as_of``, members who had
joined). A run therefore sees only what existed at ``as_of`` and gives the same tables as a rebuild.

Example:
    >>> from reef.store import open_store
    >>> from datetime import datetime, timezone
    >>> s = open_store(":memory:")
    >>> refresh_base(s, datetime(2026, 1, 1, tzinfo=timezone.utc), 400)["mode"]
    'rebuild'
    >>> refresh_base(s, datetime(2026, 1, 2, tzinfo=timezone.utc), 400)["mode"]
    'incremental'
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

__all__ = ["BASE_TABLE", "BANDS_TABLE", "DUP_TABLE", "DUP_KEYS", "DUP_SHARED", "BANDS_SHARED", "refresh_base", "reset_base",
           "has_base", "base_covers", "base_views", "ensure_features_table", "originals_sql", "dup_keys_sql", "shared_keys_sql"]

BASE_TABLE = "risk_base_items"
BANDS_TABLE = "risk_base_bands"
# Homogenisation's MinHash keys (heat death: 8 keys of 4 values each, originals with >= 32 values).
DUP_TABLE = "risk_base_dupkeys"
# Keys carried by more than one post: a key carried once can make no repeat, so the families join only these.
# Kept as a superset (keys are added as posts arrive, dropped only by a rebuild), which the families' own checks make exact.
_SHARED_TABLES = {BANDS_TABLE: "risk_base_bands_shared", DUP_TABLE: "risk_base_dupkeys_shared"}
# What a run reads (views over the persisted tables, or temp tables of the same names).
DUP_KEYS, DUP_SHARED, BANDS_SHARED = "_risk_dupkeys", "_risk_dupkeys_shared", "_risk_bands_shared"
_STATE = "risk_base_state"
_VERSION = "2"
# Rows older than the horizon are pruned only once this many extra days have piled up (a delete is not free).
_PRUNE_SLACK_DAYS = 30

_COLUMNS = """c.content_id, c.kind, c.author_id, c.created_at, c.deleted_at, c.parent_id, c.thread_id, c.group_id,
    m.member_id IS NOT NULL AS member_found, m.joined_at AS m_joined_at, m.left_at AS m_left_at, m.account_type AS m_account_type,
    f.sentiment, f.intents, f.toxicity, f.aspect_names"""
_FROM = """FROM content c LEFT JOIN members m ON m.member_id = c.author_id
    LEFT JOIN content_features f ON f.content_id = c.content_id"""


def _fingerprint(store) -> dict:
    # One pass over each source table: watermarks and row counts (a count that falls means rows were removed).
    ci, cn = store.fetch_all("SELECT coalesce(max(import_id), 0), count(*) FROM content")[0]
    mi, mn = store.fetch_all("SELECT coalesce(max(import_id), 0), count(*) FROM members")[0]
    fe, fn = store.fetch_all("SELECT max(enriched_at), count(*) FROM content_features")[0]
    return {"content_import": int(ci), "content_rows": int(cn), "members_import": int(mi), "members_rows": int(mn),
            "features_at": None if fe is None else fe.isoformat(), "features_rows": int(fn)}


def _state(store) -> dict | None:
    if not store.table_exists(_STATE) or not store.table_exists(BASE_TABLE):
        return None
    raw = store.fetch_value(f"SELECT value FROM {_STATE} WHERE key = 'state'")
    return json.loads(raw) if raw else None


def _save(store, state: dict) -> None:
    store.execute(f"CREATE TABLE IF NOT EXISTS {_STATE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
    store.execute(f"INSERT OR REPLACE INTO {_STATE} VALUES ('state', $v)", {"v": json.dumps(state)})


def ensure_features_table(store) -> None:
    """An empty temp ``content_features`` when the store was never enriched, so the radar's joins still run."""
    if not store.fetch_value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'content_features'"):
        store.execute("CREATE TEMP TABLE IF NOT EXISTS content_features (content_id VARCHAR, sentiment INT, intents VARCHAR[], "
                      "toxicity DOUBLE, aspect_names VARCHAR[], claims JSON[], minhash UINTEGER[], text_simplified VARCHAR, "
                      "enriched_at TIMESTAMPTZ)")


def reset_base(store) -> None:
    """Drop the persisted base and its state: the next run rebuilds (a full run)."""
    for table in (BASE_TABLE, BANDS_TABLE, DUP_TABLE, *_SHARED_TABLES.values(), _STATE):
        store.execute(f"DROP TABLE IF EXISTS {table}")


def has_base(store) -> bool:
    """True when a persisted base of this version exists (a run can update it instead of rebuilding)."""
    st = _state(store)
    return bool(st) and st["version"] == _VERSION


def base_covers(store, ts: datetime, horizon_days: int) -> bool:
    """True when the persisted base holds every row a run at ``ts`` with this horizon reads."""
    st = _state(store)
    return bool(st) and st["version"] == _VERSION and datetime.fromisoformat(st["lo"]) <= ts - timedelta(days=horizon_days)


def refresh_base(store, ts: datetime, horizon_days: int, bands: tuple[int, int] = (8, 8)) -> dict:
    """Bring ``risk_base_items`` and the MinHash band keys of its originals (``risk_base_bands``, ``bands`` =
    (bands, rows per band), see :mod:`reef.risks.novelty`) up to ``ts``; returns what was done.

    Returns ``{"mode": "rebuild"|"incremental", "added": n, "replaced": n, "members": n, "features": n}``.
    """
    # Every step can be repeated: a refresh cut short (outside a caller's transaction) is completed by the next one.
    ensure_features_table(store)
    fp = _fingerprint(store)
    st = _state(store)
    need_lo = ts - timedelta(days=horizon_days)
    if (st is None or st["version"] != _VERSION or datetime.fromisoformat(st["lo"]) > need_lo or st.get("bands") != list(bands)
            or fp["content_rows"] < st["content_rows"] or fp["members_rows"] < st["members_rows"]
            or fp["features_rows"] < st["features_rows"]):
        return _rebuild(store, ts, need_lo, fp, bands)
    lo, upto = datetime.fromisoformat(st["lo"]), datetime.fromisoformat(st["upto"])
    p = {"lo": lo, "upto": upto, "ts": ts, "ci": st["content_import"], "mi": st["members_import"],
         "fe": datetime.fromisoformat(st["features_at"]) if st["features_at"] else datetime(1970, 1, 1).astimezone()}
    out = {"mode": "incremental", "added": 0, "replaced": 0, "members": 0, "features": 0}
    # Ids whose band keys must be recomputed: replaced, re-enriched and new rows.
    store.execute("CREATE OR REPLACE TEMP TABLE _risk_touched (content_id VARCHAR)")
    # Late changes to days already materialised: replace the content rows a later import wrote.
    if fp["content_import"] > st["content_import"]:
        store.execute("INSERT INTO _risk_touched SELECT content_id FROM content WHERE import_id > $ci", {"ci": p["ci"]})
        out["replaced"] = int(store.fetch_value("SELECT count(*) FROM _risk_touched"))
        store.execute(f"DELETE FROM {BASE_TABLE} WHERE content_id IN (SELECT content_id FROM _risk_touched)")
        store.execute(f"""INSERT INTO {BASE_TABLE} SELECT {_COLUMNS} {_FROM}
            WHERE c.import_id > $ci AND c.created_at >= $lo AND c.created_at < $upto""",
            {k: p[k] for k in ("ci", "lo", "upto")})
    if fp["members_import"] > st["members_import"]:
        out["members"] = int(store.fetch_value("SELECT count(*) FROM members WHERE import_id > $mi", {"mi": p["mi"]}))
        store.execute(f"""UPDATE {BASE_TABLE} b SET member_found = true, m_joined_at = m.joined_at, m_left_at = m.left_at,
                m_account_type = m.account_type FROM members m WHERE m.import_id > $mi AND m.member_id = b.author_id""", {"mi": p["mi"]})
    if fp["features_at"] and fp["features_at"] != st["features_at"]:
        touched = int(store.fetch_value("SELECT count(*) FROM _risk_touched"))
        store.execute("INSERT INTO _risk_touched SELECT content_id FROM content_features WHERE enriched_at > $fe", {"fe": p["fe"]})
        out["features"] = int(store.fetch_value("SELECT count(*) FROM _risk_touched")) - touched
        store.execute(f"""UPDATE {BASE_TABLE} b SET sentiment = f.sentiment, intents = f.intents, toxicity = f.toxicity,
                aspect_names = f.aspect_names FROM content_features f WHERE f.enriched_at > $fe AND f.content_id = b.content_id""", {"fe": p["fe"]})
    # New days: everything created since the last materialised moment (late imports included).
    if ts > upto:
        store.execute(f"DELETE FROM {BASE_TABLE} WHERE created_at >= $upto", {"upto": upto})  # left by a refresh cut short
        before = int(store.fetch_value(f"SELECT count(*) FROM {BASE_TABLE}"))
        store.execute(f"""INSERT INTO {BASE_TABLE} SELECT {_COLUMNS} {_FROM}
            WHERE c.created_at >= $upto AND c.created_at < $ts""", {"upto": upto, "ts": ts})
        out["added"] = int(store.fetch_value(f"SELECT count(*) FROM {BASE_TABLE}")) - before
        store.execute(f"INSERT INTO _risk_touched SELECT content_id FROM {BASE_TABLE} WHERE created_at >= $upto", {"upto": upto})
        upto = ts
    touched = "WHERE b.content_id IN (SELECT content_id FROM _risk_touched)"
    for table, sql in ((BANDS_TABLE, _bands_sql(bands, touched)), (DUP_TABLE, _dup_sql(touched))):
        store.execute(f"DELETE FROM {table} WHERE content_id IN (SELECT content_id FROM _risk_touched)")
        store.execute(f"INSERT INTO {table} {sql}")
        # Keys the touched posts carry that now have a second carrier (one pass over the keys, semi-joined).
        store.execute(f"""INSERT INTO {_SHARED_TABLES[table]} SELECT key FROM {table}
            WHERE key IN (SELECT key FROM {table} WHERE content_id IN (SELECT content_id FROM _risk_touched))
            GROUP BY key HAVING count(*) > 1 AND key NOT IN (SELECT key FROM {_SHARED_TABLES[table]})""")
    store.execute("DROP TABLE _risk_touched")
    if need_lo - lo > timedelta(days=_PRUNE_SLACK_DAYS):
        for table in (BASE_TABLE, BANDS_TABLE, DUP_TABLE):
            store.execute(f"DELETE FROM {table} WHERE created_at < $lo", {"lo": need_lo})
        lo = need_lo
    _save(store, {**fp, "version": _VERSION, "lo": lo.isoformat(), "upto": upto.isoformat(), "bands": list(bands)})
    return out


def originals_sql(table: str, where: str = "") -> str:
    """A relation (content_id, created_at, minhash) of the originals in ``table`` (aliased ``b``, filtered by ``where``,
    a ``WHERE ...`` clause or empty) with their signatures: the source both key tables are hashed from."""
    from reef.risks.common import ORIGINAL_KINDS

    return f"""(SELECT b.content_id, b.created_at, f.minhash FROM {table} b JOIN content_features f ON f.content_id = b.content_id
              {where} {'AND' if where else 'WHERE'} b.kind IN {ORIGINAL_KINDS})"""


def _bands_sql(bands: tuple[int, int], where: str) -> str:
    from reef.risks.novelty import band_keys_sql

    return band_keys_sql(originals_sql(BASE_TABLE, where), *bands)


def dup_keys_sql(source: str) -> str:
    """SQL giving (content_id, created_at, key) for homogenisation's 8 MinHash keys (4 values each) of every
    signature in ``source`` (a relation with content_id, created_at, minhash) holding at least 32 values."""
    return f"""SELECT content_id, created_at, hash(k, minhash[k * 4 + 1:k * 4 + 4]) AS key
        FROM {source}, range(0, 8) t(k) WHERE len(minhash) >= 32"""


def shared_keys_sql(keys: str) -> str:
    """SQL for the keys of relation ``keys`` carried by more than one row."""
    return f"SELECT key FROM {keys} GROUP BY key HAVING count(*) > 1"


def _dup_sql(where: str) -> str:
    return dup_keys_sql(originals_sql(BASE_TABLE, where))


def _rebuild(store, ts: datetime, lo: datetime, fp: dict, bands: tuple[int, int]) -> dict:
    store.execute(f"DROP TABLE IF EXISTS {_STATE}")  # no watermarks until the new base is complete
    # Stored in time order: the families' window filters then skip whole row groups by their min/max (zone maps),
    # and the days a daily refresh appends keep that order.
    store.execute(f"""CREATE OR REPLACE TABLE {BASE_TABLE} AS SELECT {_COLUMNS} {_FROM}
        WHERE c.created_at >= $lo AND c.created_at < $ts ORDER BY c.created_at""", {"lo": lo, "ts": ts})
    store.execute(f"CREATE OR REPLACE TABLE {BANDS_TABLE} AS {_bands_sql(bands, '')} ORDER BY created_at")
    store.execute(f"CREATE OR REPLACE TABLE {DUP_TABLE} AS {_dup_sql('')} ORDER BY created_at")
    for table, shared in _SHARED_TABLES.items():
        store.execute(f"CREATE OR REPLACE TABLE {shared} AS {shared_keys_sql(table)}")
    _save(store, {**fp, "version": _VERSION, "lo": lo.isoformat(), "upto": ts.isoformat(), "bands": list(bands)})
    return {"mode": "rebuild", "added": int(store.fetch_value(f"SELECT count(*) FROM {BASE_TABLE}")), "replaced": 0, "members": 0, "features": 0}


def base_views(store, ts: datetime, horizon_days: int) -> None:
    """Temp views ``_risk_content`` / ``_risk_posts`` over the persisted base, filtered to what existed at ``ts`` and to the last
    ``horizon_days`` (the same rows and columns the point-in-time macros give), and the key views (``_risk_bands``, ``_risk_dupkeys``
    and their ``*_shared`` sets; rows of posts not visible at ``ts`` are dropped by the families' joins with ``_risk_posts``)."""
    # Views take no parameters: the moments are written as literals, from datetimes (never from user text).
    t, lo = ts.isoformat(), (ts - timedelta(days=horizon_days)).isoformat()
    known = "(member_found AND (m_joined_at < TIMESTAMPTZ '{t}' OR m_joined_at IS NULL))".format(t=t)
    store.execute(f"""CREATE OR REPLACE TEMP VIEW _risk_content AS
        SELECT content_id, kind, author_id, created_at, parent_id, thread_id, group_id, {known} AS known,
               CASE WHEN {known} THEN m_joined_at END AS joined_at,
               CASE WHEN {known} AND m_left_at < TIMESTAMPTZ '{t}' THEN m_left_at END AS left_at,
               CASE WHEN {known} THEN coalesce(m_account_type, 'member') ELSE 'member' END AS account_type
        FROM {BASE_TABLE}
        WHERE created_at >= TIMESTAMPTZ '{lo}' AND created_at < TIMESTAMPTZ '{t}'
          AND (deleted_at IS NULL OR deleted_at >= TIMESTAMPTZ '{t}')""")
    store.execute(f"""CREATE OR REPLACE TEMP VIEW _risk_posts AS
        SELECT content_id, kind, author_id, created_at, parent_id, thread_id, group_id,
               CASE WHEN {known} THEN m_joined_at END AS joined_at,
               CASE WHEN {known} AND m_left_at < TIMESTAMPTZ '{t}' THEN m_left_at END AS left_at,
               sentiment, intents, toxicity, aspect_names
        FROM {BASE_TABLE}
        WHERE created_at >= TIMESTAMPTZ '{lo}' AND created_at < TIMESTAMPTZ '{t}'
          AND (deleted_at IS NULL OR deleted_at >= TIMESTAMPTZ '{t}')
          AND {known} AND coalesce(m_account_type, 'member') = 'member' AND kind <> 'poll_vote'""")
    store.execute(f"CREATE OR REPLACE TEMP VIEW _risk_bands AS SELECT * FROM {BANDS_TABLE}")
    store.execute(f"CREATE OR REPLACE TEMP VIEW {DUP_KEYS} AS SELECT * FROM {DUP_TABLE}")
    store.execute(f"CREATE OR REPLACE TEMP VIEW {BANDS_SHARED} AS SELECT * FROM {_SHARED_TABLES[BANDS_TABLE]}")
    store.execute(f"CREATE OR REPLACE TEMP VIEW {DUP_SHARED} AS SELECT * FROM {_SHARED_TABLES[DUP_TABLE]}")
