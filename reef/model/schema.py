"""The canonical event model, declared once.

Everything else derives from these declarations: the store's tables (DDL), the ingest
validator (types, required fields, kinds, references), the import column lists and the
checks that ``docs/data-model.md`` documents every field.

Conventions: external ids are strings; timestamps are ``TIMESTAMPTZ`` (naive input is read
in ``general.timezone``); ``attrs`` holds source-specific extras as JSON.

Example:
    >>> ENTITIES["content"].key
    'content_id'
    >>> "answer" in ENTITIES["content"].kinds
    True
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "SCHEMA_VERSION",
    "Field",
    "Entity",
    "ENTITIES",
    "SYSTEM_COLUMNS",
    "ACCOUNT_TYPES",
    "CONTENT_KINDS",
    "INTERACTION_KINDS",
    "entity_for_name",
    "content_kind_enum_sql",
]

SCHEMA_VERSION = "1.1"

ACCOUNT_TYPES = ("member", "staff", "brand", "bot")
CONTENT_KINDS = ("thread", "reply", "comment", "answer", "photo", "video", "guide", "event", "poll", "poll_vote")


def content_kind_enum_sql(column: str) -> str:
    """SQL reading ``column`` as a 1-byte ENUM of :data:`CONTENT_KINDS` (a kind outside them, which ingest refuses,
    reads as 'other'): 15 bytes a row less than a VARCHAR in the analyses' million-row temp tables, and it still
    compares equal to the kinds' names.

    >>> content_kind_enum_sql("c.kind")[:40]
    "CAST(CASE WHEN c.kind IN ('thread', 'rep"
    """
    kinds = ", ".join(f"'{k}'" for k in CONTENT_KINDS)
    return f"CAST(CASE WHEN {column} IN ({kinds}) THEN {column} ELSE 'other' END AS ENUM({kinds}, 'other'))"


# Kinds whose parent_id is required (they answer or belong to another item).
CONTENT_KINDS_NEEDING_PARENT = ("reply", "comment", "answer", "poll_vote")
INTERACTION_KINDS = (
    "like", "vote", "reply", "mention", "quote", "share", "accept", "bookmark",
    "follow", "report", "checkin", "view", "duplicate", "link", "edit",
)
# Which target each interaction kind needs: content, member, or either.
INTERACTION_TARGETS = {
    "like": "content", "vote": "content", "reply": "content", "quote": "content", "share": "content",
    "accept": "content", "bookmark": "content", "report": "either", "view": "content",
    "duplicate": "content", "link": "content", "edit": "content",
    "mention": "member", "follow": "member", "checkin": "none",
}
GROUP_KINDS = ("board", "circle", "group", "plaza", "team", "council")
FACT_KINDS = ("spec", "selling_point")
ACTION_KINDS = (
    "recognise", "invite", "seed", "boost", "assign_task", "complete_task",
    "respond", "note", "dismiss_alert", "appoint_leader", "add_to_team", "seat_council",
)


@dataclass(frozen=True)
class Field:
    """One column of the canonical model."""

    name: str
    type: str  # DuckDB type: VARCHAR, TIMESTAMPTZ, BOOLEAN, DOUBLE, VARCHAR[], JSON
    doc: str
    required: bool = False
    kinds: tuple[str, ...] | None = None  # allowed values (enum)
    ref: str | None = None  # entity name this id points at
    text: bool = False  # free text: length-checked, HTML stripped
    default: str | None = None  # SQL literal used when the value is missing


@dataclass(frozen=True)
class Entity:
    """One table of the canonical model."""

    name: str
    key: str
    time_field: str | None
    doc: str
    fields: tuple[Field, ...]
    kinds: tuple[str, ...] = ()
    # The end of an item's life, for point-in-time reads (e.g. deleted_at).
    end_field: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


_ATTRS = Field("attrs", "JSON", "Source-specific extras as a JSON object.")

ENTITIES: dict[str, Entity] = {
    "members": Entity(
        name="members", key="member_id", time_field="joined_at", end_field=None,
        aliases=("member", "users", "user"),
        doc="People with an account in the community, including brand and staff accounts (flagged).",
        kinds=ACCOUNT_TYPES,
        fields=(
            Field("member_id", "VARCHAR", "External id of the member.", required=True),
            Field("name", "VARCHAR", "Display name.", text=True),
            Field("joined_at", "TIMESTAMPTZ", "When the account was created.", required=True),
            Field("account_type", "VARCHAR", "member, staff, brand or bot. Only 'member' counts in member metrics.",
                  kinds=ACCOUNT_TYPES, default="'member'"),
            Field("region", "VARCHAR", "Province or city, free text."),
            Field("car_model", "VARCHAR", "The car model the member owns or follows."),
            Field("owner_since", "TIMESTAMPTZ", "Delivery date of the member's car, if known."),
            Field("contact", "VARCHAR", "Contact field (phone, WeChat); personal data, masked on export.", text=True),
            Field("left_at", "TIMESTAMPTZ", "When the account was closed, if it was."),
            _ATTRS,
        ),
    ),
    "groups": Entity(
        name="groups", key="group_id", time_field="created_at",
        aliases=("group", "boards", "board"),
        doc="Boards, circles, groups, teams and councils that content and members belong to.",
        kinds=GROUP_KINDS,
        fields=(
            Field("group_id", "VARCHAR", "External id of the group or board.", required=True),
            Field("name", "VARCHAR", "Name shown to members.", required=True, text=True),
            Field("kind", "VARCHAR", "board, circle, group, plaza, team or council.", kinds=GROUP_KINDS, default="'board'"),
            Field("parent_id", "VARCHAR", "Enclosing group, if any.", ref="groups"),
            Field("owner_id", "VARCHAR", "Member who leads it, if any.", ref="members"),
            Field("created_at", "TIMESTAMPTZ", "When it was created.", required=True),
            Field("description", "VARCHAR", "Free text.", text=True),
            _ATTRS,
        ),
    ),
    "campaigns": Entity(
        name="campaigns", key="campaign_id", time_field="started_at",
        aliases=("campaign",),
        doc="Topics and activities the operations team launched (content calls, seeded topics, events).",
        fields=(
            Field("campaign_id", "VARCHAR", "External id of the campaign.", required=True),
            Field("name", "VARCHAR", "Name of the campaign.", required=True, text=True),
            Field("topic", "VARCHAR", "Keywords of the topic, free text.", text=True),
            Field("started_at", "TIMESTAMPTZ", "Launch time.", required=True),
            Field("ended_at", "TIMESTAMPTZ", "End time, if over."),
            Field("group_id", "VARCHAR", "Group it runs in, if any.", ref="groups"),
            Field("seed_member_ids", "VARCHAR[]", "Members the topic was seeded through."),
            Field("description", "VARCHAR", "Free text.", text=True),
            _ATTRS,
        ),
    ),
    "content": Entity(
        name="content", key="content_id", time_field="created_at", end_field="deleted_at",
        aliases=("posts", "post", "items"),
        doc="Everything members write or publish: threads and their replies, comments, answers, media, guides, events, polls and poll votes.",
        kinds=CONTENT_KINDS,
        fields=(
            Field("content_id", "VARCHAR", "External id of the item.", required=True),
            Field("kind", "VARCHAR", "One of: " + ", ".join(CONTENT_KINDS) + ".", required=True, kinds=CONTENT_KINDS),
            Field("author_id", "VARCHAR", "Member who wrote it; empty for deleted accounts.", ref="members"),
            Field("created_at", "TIMESTAMPTZ", "When it was published.", required=True),
            Field("parent_id", "VARCHAR", "The item it replies to or belongs to (required for reply, comment, answer, poll_vote).", ref="content"),
            Field("thread_id", "VARCHAR", "Root item of its thread; filled from the parent chain when missing.", ref="content"),
            Field("group_id", "VARCHAR", "Board or group it was posted in.", ref="groups"),
            Field("campaign_id", "VARCHAR", "Campaign it answers, if any.", ref="campaigns"),
            Field("title", "VARCHAR", "Title (threads, guides, events, polls).", text=True),
            Field("body", "VARCHAR", "Plain text; HTML input is reduced to text and kept in body_html.", text=True),
            Field("body_html", "VARCHAR", "The original HTML when the body arrived as HTML."),
            Field("tags", "VARCHAR[]", "Tags or topics given by the source."),
            Field("edited_at", "TIMESTAMPTZ", "Last edit time, if edited."),
            Field("deleted_at", "TIMESTAMPTZ", "Deletion time, if deleted."),
            _ATTRS,
        ),
    ),
    "interactions": Entity(
        name="interactions", key="interaction_id", time_field="created_at",
        aliases=("interaction", "events", "votes"),
        doc="Lightweight acts between members and items: likes, votes, mentions, quotes, shares, accepts, bookmarks, follows, reports, check-ins, views, duplicate links, edits.",
        kinds=INTERACTION_KINDS,
        fields=(
            Field("interaction_id", "VARCHAR", "External id of the interaction.", required=True),
            Field("kind", "VARCHAR", "One of: " + ", ".join(INTERACTION_KINDS) + ".", required=True, kinds=INTERACTION_KINDS),
            Field("actor_id", "VARCHAR", "Member who acted; empty when the source hides it (anonymous votes).", ref="members"),
            Field("target_content_id", "VARCHAR", "Item acted on (like, vote, share, accept, quote ...).", ref="content"),
            Field("target_member_id", "VARCHAR", "Member acted on (mention, follow).", ref="members"),
            Field("related_content_id", "VARCHAR", "Second item: the original of a duplicate, the item a mention or quote appears in.", ref="content"),
            Field("created_at", "TIMESTAMPTZ", "When it happened.", required=True),
            Field("value", "DOUBLE", "Signed value: +1/-1 for votes, a rating, a bounty amount."),
            _ATTRS,
        ),
    ),
    "official_facts": Entity(
        name="official_facts", key="fact_id", time_field="valid_from",
        aliases=("facts", "specs", "spec_sheet"),
        doc="The brand's official facts: spec-sheet rows (model, attribute, value, unit) and core selling points.",
        kinds=FACT_KINDS,
        fields=(
            Field("fact_id", "VARCHAR", "External id of the fact.", required=True),
            Field("kind", "VARCHAR", "spec or selling_point.", kinds=FACT_KINDS, default="'spec'"),
            Field("model", "VARCHAR", "Car model (and trim) the fact is about."),
            Field("attribute", "VARCHAR", "Spec attribute (range_cltc, accel_0_100 … or a Chinese alias: see Spec attribute names below) or selling point title.", required=True),
            Field("value", "DOUBLE", "Numeric value of a spec."),
            Field("value_text", "VARCHAR", "Text value or description of a selling point.", text=True),
            Field("unit", "VARCHAR", "Unit of the value (km, s, kWh, min, 万元 ...)."),
            Field("valid_from", "TIMESTAMPTZ", "From when it holds (model year, OTA)."),
            Field("valid_to", "TIMESTAMPTZ", "Until when it holds, if superseded."),
            Field("source", "VARCHAR", "Where it is published."),
            _ATTRS,
        ),
    ),
    "awards": Entity(
        name="awards", key="award_id", time_field="awarded_at",
        aliases=("badges", "badge"),
        doc="Badges and titles the platform awarded to members.",
        fields=(
            Field("award_id", "VARCHAR", "External id of the award.", required=True),
            Field("member_id", "VARCHAR", "Member who received it.", required=True, ref="members"),
            Field("name", "VARCHAR", "Name of the badge or title.", required=True),
            Field("awarded_at", "TIMESTAMPTZ", "When it was awarded.", required=True),
            Field("level", "VARCHAR", "Class or level (gold, silver, bronze ...)."),
            _ATTRS,
        ),
    ),
    "operator_actions": Entity(
        name="operator_actions", key="action_id", time_field="created_at",
        aliases=("actions",),
        doc="What operators did in response to Reef: recognitions, invitations, seeding, boosts, tasks, official responses, notes.",
        kinds=ACTION_KINDS,
        fields=(
            Field("action_id", "VARCHAR", "Id of the action.", required=True),
            Field("kind", "VARCHAR", "One of: " + ", ".join(ACTION_KINDS) + ".", required=True, kinds=ACTION_KINDS),
            Field("operator", "VARCHAR", "Operator (user name) who acted.", required=True),
            Field("member_id", "VARCHAR", "Member concerned.", ref="members"),
            Field("content_id", "VARCHAR", "Item concerned.", ref="content"),
            Field("campaign_id", "VARCHAR", "Campaign concerned.", ref="campaigns"),
            Field("group_id", "VARCHAR", "Group concerned.", ref="groups"),
            Field("created_at", "TIMESTAMPTZ", "When it was done.", required=True),
            Field("status", "VARCHAR", "open, done or cancelled.", default="'done'", kinds=("open", "done", "cancelled")),
            Field("note", "VARCHAR", "Free text.", text=True),
            _ATTRS,
        ),
    ),
}

# Columns every entity table carries besides its fields.
SYSTEM_COLUMNS = (
    ("import_id", "BIGINT", "Import that wrote the current version of the row."),
    ("row_hash", "UBIGINT", "Hash of the row's fields, to tell an identical re-import from an update."),
    ("ingested_at", "TIMESTAMPTZ", "When the current version was written."),
)

_BY_NAME = {alias: e for e in ENTITIES.values() for alias in (e.name, *e.aliases)}


def entity_for_name(name: str) -> Entity | None:
    """Find an entity by table name or alias (``posts`` -> content); None if unknown."""
    return _BY_NAME.get(name.strip().lower())
