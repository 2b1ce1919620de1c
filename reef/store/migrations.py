"""Named schema migrations, recorded in the store file, and :func:`apply_migrations`, which a writable store runs on open.

Each migration runs once, in its own transaction, and is recorded in ``_reef_migrations``.
A store that records a migration this Reef does not know was written by a newer Reef and is
refused rather than guessed at (:func:`refuse_newer`), read-only as well as writable.

Example:
    >>> [m.name for m in MIGRATIONS][:1]
    ['0001_canonical_model']
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from reef.model.schema import ENTITIES, SCHEMA_VERSION, SYSTEM_COLUMNS
from reef.store.codes import code_column_ddl, fill_codes
from reef.store.delivery_backfill import backfill_deliveries

__all__ = ["Migration", "MIGRATIONS", "LEGACY_EPISODE", "entity_ddl", "apply_migrations", "applied_migrations",
           "refuse_newer"]


@dataclass(frozen=True)
class Migration:
    name: str
    statements: Callable[[], list[str]]
    # Run after the statements, in the same transaction, with the connection: a backfill that needs more than SQL.
    after: Callable | None = None


def entity_ddl(entity_name: str, table_name: str | None = None) -> str:
    """CREATE TABLE statement for one canonical entity (fields, then system columns)."""
    entity = ENTITIES[entity_name]
    cols = [f'"{f.name}" {f.type}' for f in entity.fields]
    cols += [f'"{name}" {typ}' for name, typ, _ in SYSTEM_COLUMNS]
    return f'CREATE TABLE IF NOT EXISTS "{table_name or entity.name}" ({", ".join(cols)})'


def _canonical_model() -> list[str]:
    stmts = [entity_ddl(name) for name in ENTITIES]
    stmts += [
        """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
        f"""INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')""",
        """CREATE SEQUENCE IF NOT EXISTS import_seq START 1""",
        """CREATE TABLE IF NOT EXISTS imports (
            import_id BIGINT PRIMARY KEY, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ,
            format VARCHAR, paths VARCHAR[], reef_version VARCHAR, rows_read BIGINT, imported BIGINT,
            updated BIGINT, duplicate BIGINT, quarantined BIGINT, details JSON)""",
        """CREATE TABLE IF NOT EXISTS import_files (
            import_id BIGINT, path VARCHAR, sha256 VARCHAR, size_bytes BIGINT, format VARCHAR,
            encoding VARCHAR, rows_read BIGINT)""",
        """CREATE TABLE IF NOT EXISTS quarantine (
            import_id BIGINT, file VARCHAR, line BIGINT, entity VARCHAR, field VARCHAR,
            reason VARCHAR, raw VARCHAR, quarantined_at TIMESTAMPTZ)""",
        """CREATE TABLE IF NOT EXISTS analysis_runs (
            name VARCHAR, version VARCHAR, as_of TIMESTAMPTZ, watermark BIGINT, params JSON,
            started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, status VARCHAR, rows BIGINT, message VARCHAR)""",
    ]
    # Point-in-time reads: table macros that show only what existed before ``ts``.
    for entity in ENTITIES.values():
        cond = "TRUE"
        if entity.time_field:
            nullable = not entity.field(entity.time_field).required
            cond = f'"{entity.time_field}" < ts' + (f' OR "{entity.time_field}" IS NULL' if nullable else "")
            cond = f"({cond})"
        if entity.end_field:
            cond += f' AND ("{entity.end_field}" IS NULL OR "{entity.end_field}" >= ts)'
        if entity.name == "members":
            cond += " AND (left_at IS NULL OR left_at >= ts)"
        stmts.append(f'CREATE OR REPLACE MACRO {entity.name}_at(ts) AS TABLE SELECT * FROM "{entity.name}" WHERE {cond}')
    return stmts


def _simulation_truth() -> list[str]:
    # Ground truth the simulator writes beside its data; empty for real communities.
    return [
        """CREATE TABLE IF NOT EXISTS truth_members (
            member_id VARCHAR, latent_type VARCHAR, interests VARCHAR[], faction VARCHAR,
            burnout_at TIMESTAMPTZ, leaves_at TIMESTAMPTZ, attrs JSON)""",
        """CREATE TABLE IF NOT EXISTS truth_scenarios (
            scenario VARCHAR, started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, params JSON)""",
        """CREATE TABLE IF NOT EXISTS truth_content (
            content_id VARCHAR, quality DOUBLE, sentiment INTEGER, aspects VARCHAR[], intents VARCHAR[],
            scenario VARCHAR, claim JSON)""",
    ]


def _simulation_truth_more() -> list[str]:
    # Paraphrase groups, planted PII, copy-paste origins, selling points and campaign rings.
    return [
        "ALTER TABLE truth_content ADD COLUMN IF NOT EXISTS group_key VARCHAR",
        "ALTER TABLE truth_content ADD COLUMN IF NOT EXISTS pii VARCHAR[]",
        "ALTER TABLE truth_content ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR",
        "ALTER TABLE truth_content ADD COLUMN IF NOT EXISTS selling_point VARCHAR",
        """CREATE TABLE IF NOT EXISTS truth_campaign_rings (
            campaign_id VARCHAR, member_id VARCHAR, ring INTEGER, via_member_id VARCHAR,
            adopted_at TIMESTAMPTZ, content_id VARCHAR)""",
    ]


def _content_features() -> list[str]:
    # The text layer's cache, one row per content item, filled incrementally by
    # reef.text.enrich.enrich_store (rows are replaced when the text or the model changes).
    return [
        """CREATE TABLE IF NOT EXISTS content_features (
            content_id VARCHAR, content_hash VARCHAR, model_version VARCHAR, language VARCHAR,
            script VARCHAR, flags VARCHAR[], text_simplified VARCHAR, sentiment TINYINT,
            sentiment_score FLOAT, sentiment_confidence FLOAT,
            aspects STRUCT(aspect VARCHAR, sentiment TINYINT, score FLOAT, source VARCHAR)[],
            aspect_names VARCHAR[], intents VARCHAR[], toxicity FLOAT,
            claims STRUCT(model VARCHAR, attribute VARCHAR, "value" DOUBLE, value_max DOUBLE, unit VARCHAR,
                          qualifier VARCHAR, "start" INTEGER, "end" INTEGER, evidence VARCHAR)[],
            pii STRUCT(kind VARCHAR, "start" INTEGER, "end" INTEGER, "text" VARCHAR)[],
            minhash UINTEGER[], enriched_at TIMESTAMPTZ)""",
    ]


def _operator_access() -> list[str]:
    # Users, sessions, API tokens and the audit log (reef.actions, reef serve); action_seq numbers the
    # operator_actions rows the dashboard records (ids 'ui-<n>').
    return [
        """CREATE TABLE IF NOT EXISTS users (
            username VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR,
            created_at TIMESTAMPTZ, disabled BOOLEAN DEFAULT FALSE)""",
        """CREATE TABLE IF NOT EXISTS api_tokens (
            token_hash VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, created_at TIMESTAMPTZ,
            last_used_at TIMESTAMPTZ)""",
        """CREATE TABLE IF NOT EXISTS sessions (
            session_hash VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, csrf_token VARCHAR NOT NULL,
            created_at TIMESTAMPTZ, expires_at TIMESTAMPTZ)""",
        "CREATE SEQUENCE IF NOT EXISTS action_seq START 1",
        "CREATE SEQUENCE IF NOT EXISTS audit_seq START 1",
        """CREATE TABLE IF NOT EXISTS audit_log (
            audit_id BIGINT PRIMARY KEY, logged_at TIMESTAMPTZ, username VARCHAR, role VARCHAR, action VARCHAR,
            target VARCHAR, details JSON, client VARCHAR)""",
    ]


def _server_jobs() -> list[str]:
    # Background jobs of `reef serve` (imports, analyses), kept so they survive a restart; timestamps
    # and JSON payloads are stored as text exactly as the job manager reports them.
    return [
        """CREATE TABLE IF NOT EXISTS server_jobs (
            job_id BIGINT PRIMARY KEY, kind VARCHAR, status VARCHAR, "by" VARCHAR, params VARCHAR,
            progress VARCHAR, created_at VARCHAR, finished_at VARCHAR, result VARCHAR, error VARCHAR)""",
    ]


def _risk_alert_delivery() -> list[str]:
    # Webhook/console delivery state of risk alerts (reef/risks/delivery_state.py): one row per alert key, severity and
    # target (a robot URL or 'console'), so each alert is sent at most once per target and failures are retried;
    # risk_webhook_log keeps every attempt's outcome (created here too so old stores keep their rows).
    return [
        """CREATE TABLE IF NOT EXISTS risk_alert_delivery (
            alert_key VARCHAR, severity VARCHAR, target VARCHAR, platform VARCHAR, status VARCHAR, attempts INTEGER,
            error VARCHAR, alert VARCHAR, first_tried_at TIMESTAMPTZ, last_tried_at TIMESTAMPTZ, sent_at TIMESTAMPTZ,
            PRIMARY KEY (alert_key, severity, target))""",
        """CREATE TABLE IF NOT EXISTS risk_webhook_log (
            alert_key VARCHAR, platform VARCHAR, url VARCHAR, status VARCHAR, attempts INTEGER, error VARCHAR,
            payload VARCHAR, logged_at TIMESTAMPTZ)""",
    ]


# Deliveries recorded before episodes existed carry this episode: they count for every episode of their key.
LEGACY_EPISODE = "1970-01-01 00:00:00+00"


def _risk_alert_delivery_episodes() -> list[str]:
    # A delivery belongs to an episode of its alert (the run at which the key was last raised anew, see
    # reef/risks/alert_log.py), so a risk that comes back months later reaches the robot again.
    cols = """alert_key VARCHAR, severity VARCHAR, target VARCHAR, platform VARCHAR, status VARCHAR, attempts INTEGER,
              error VARCHAR, alert VARCHAR, first_tried_at TIMESTAMPTZ, last_tried_at TIMESTAMPTZ, sent_at TIMESTAMPTZ"""
    return [
        f"""CREATE TABLE risk_alert_delivery_v2 ({cols}, episode TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (alert_key, severity, target, episode))""",
        f"INSERT INTO risk_alert_delivery_v2 SELECT *, TIMESTAMPTZ '{LEGACY_EPISODE}' FROM risk_alert_delivery",
        "DROP TABLE risk_alert_delivery",
        "ALTER TABLE risk_alert_delivery_v2 RENAME TO risk_alert_delivery",
    ]


def _risk_alert_delivery_platforms() -> list[str]:
    # A robot URL's delivery state is kept per platform format: sending to the same URL as DingTalk and then as WeCom
    # overwrote the DingTalk rows, so the next DingTalk run sent every alert again.
    cols = """alert_key VARCHAR, severity VARCHAR, target VARCHAR, platform VARCHAR NOT NULL, status VARCHAR, attempts INTEGER,
              error VARCHAR, alert VARCHAR, first_tried_at TIMESTAMPTZ, last_tried_at TIMESTAMPTZ, sent_at TIMESTAMPTZ,
              episode TIMESTAMPTZ NOT NULL"""
    return [
        f"CREATE TABLE risk_alert_delivery_v3 ({cols}, PRIMARY KEY (alert_key, severity, target, platform, episode))",
        """INSERT INTO risk_alert_delivery_v3 SELECT alert_key, severity, target,
               coalesce(platform, CASE WHEN target = 'console' THEN 'console' ELSE 'wecom' END), status, attempts, error, alert,
               first_tried_at, last_tried_at, sent_at, episode FROM risk_alert_delivery""",
        "DROP TABLE risk_alert_delivery",
        "ALTER TABLE risk_alert_delivery_v3 RENAME TO risk_alert_delivery",
    ]


MIGRATIONS: list[Migration] = [
    Migration("0001_canonical_model", _canonical_model),
    Migration("0002_simulation_truth", _simulation_truth),
    Migration("0003_simulation_truth_more", _simulation_truth_more),
    Migration("0004_content_features", _content_features),
    Migration("0005_operator_access", _operator_access),
    Migration("0006_server_jobs", _server_jobs),
    Migration("0007_schema_1_1", lambda: [f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')"]),
    # what an older store sent to robots (risk_webhook_log) and no longer listed as new, so neither goes out again
    Migration("0008_risk_alert_delivery", _risk_alert_delivery, after=backfill_deliveries),
    Migration("0009_risk_alert_delivery_episodes", _risk_alert_delivery_episodes),
    Migration("0010_risk_alert_delivery_platforms", _risk_alert_delivery_platforms),
    # quarantined rows an operator dismissed (reef quarantine-clear): kept, no longer counted as held
    Migration("0011_quarantine_dismissed", lambda: [
        """CREATE TABLE IF NOT EXISTS quarantine_dismissed (import_id BIGINT, file VARCHAR, line BIGINT, entity VARCHAR,
           field VARCHAR, reason VARCHAR, raw VARCHAR, quarantined_at TIMESTAMPTZ, dismissed_at TIMESTAMPTZ)"""]),
    # a session's last use, for the idle limit (server.session_idle_minutes); open sessions count from their login
    Migration("0012_session_last_used", lambda: [
        "ALTER TABLE sessions ADD COLUMN IF NOT EXISTS last_used_at TIMESTAMPTZ",
        "UPDATE sessions SET last_used_at = created_at WHERE last_used_at IS NULL"]),
    # integer codes of members and items, and of the references the analyses join on (reef/store/codes.py), backfilled
    Migration("0013_integer_codes", code_column_ddl, after=fill_codes),
]


def refuse_newer(store) -> None:
    """Refuse ``store`` (writable or read-only) when it records a migration this Reef does not know: a newer Reef
    wrote it, and what it wrote may mean something else to this one (:class:`reef.errors.MigrationError`)."""
    from reef import __version__
    from reef.errors import MigrationError

    if not store.fetch_value("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                             "AND schema_name = 'main' AND table_name = '_reef_migrations'"):
        return
    unknown = sorted(set(applied_migrations(store)) - {m.name for m in MIGRATIONS})
    if unknown:
        names = ", ".join(unknown)
        raise MigrationError(
            f"The store {store.path} has migrations this Reef ({__version__}) does not know: {names}.",
            hint="It was written by a newer Reef; upgrade Reef to open it.",
            message_zh=f"存储文件 {store.path} 记录了本版 Reef（{__version__}）不认识的迁移：{names}。",
            hint_zh="它由更新版本的 Reef 写入；请升级 Reef 后再打开。",
            facts={"store": store.path, "unknown_migrations": unknown})


def apply_migrations(store) -> None:
    """Run on ``store`` (a writable :class:`reef.store.Store`) every migration it has not recorded, each in its own
    transaction; a store recording one this Reef does not know is refused (:func:`refuse_newer`)."""
    from reef import __version__

    store.con.execute(
        "CREATE TABLE IF NOT EXISTS _reef_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ, reef_version VARCHAR)"
    )
    refuse_newer(store)
    applied = set(applied_migrations(store))
    for migration in MIGRATIONS:
        if migration.name in applied:
            continue
        with store.transaction():
            for stmt in migration.statements():
                store.con.execute(stmt)
            if migration.after is not None:
                migration.after(store.con)
            store.con.execute("INSERT INTO _reef_migrations VALUES (?, now(), ?)", [migration.name, __version__])


def applied_migrations(store) -> list[str]:
    """The names of the migrations ``store`` records, in order."""
    return [r[0] for r in store.con.execute("SELECT name FROM _reef_migrations ORDER BY name").fetchall()]
