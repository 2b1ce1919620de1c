"""How each Stack Exchange table maps onto the canonical model (docs/stackexchange.md has the table).

Each table has a spec: ``(SE attribute, output column, conversion)``. Output columns named like
a model field fill that field; the others end up in ``attrs``. Attributes the spec does not
know (newer dumps add some) are kept in ``attrs`` under their snake_case name, so nothing is
dropped. The mapping is one DuckDB SELECT per batch over the raw attribute strings, so the
per-row work in Python is only the XML parse.

Example:
    >>> import duckdb, pyarrow as pa
    >>> raw = pa.table({"Id": ["9"], "PostId": ["3"], "VoteTypeId": ["2"], "CreationDate": ["2018-03-12T00:00:00.000"], "_line": [7]})
    >>> con = duckdb.connect()
    >>> con.register("_se_raw", raw)  # doctest: +ELLIPSIS
    <...>
    >>> con.execute(select_sql("votes", set(raw.column_names))).fetchall()[0][:5]
    (7, 'v9', 'p3', '2018-03-12T00:00:00.000+00:00', 'vote')
"""
from __future__ import annotations

import re
from functools import lru_cache

from reef.model.schema import ENTITIES

__all__ = ["TABLES", "ROOTS", "POST_TYPES", "VOTE_TYPES", "HISTORY_TYPES", "LINK_TYPES", "BADGE_CLASSES", "select_sql"]

# SE post types: name and content kind.
POST_TYPES = {
    "1": ("Question", "thread"), "2": ("Answer", "answer"), "3": ("OrphanedTagWiki", "guide"),
    "4": ("TagWikiExcerpt", "guide"), "5": ("TagWiki", "guide"), "6": ("ModeratorNomination", "thread"),
    "7": ("WikiPlaceholder", "guide"), "8": ("PrivilegeWiki", "guide"), "9": ("Article", "guide"),
    "10": ("HelpArticle", "guide"), "12": ("Collection", "guide"), "13": ("ModeratorQuestionnaireResponse", "thread"),
    "14": ("Announcement", "thread"), "15": ("CollectiveDiscussion", "thread"), "17": ("CollectiveCollection", "guide"),
}
# SE vote types: name and interaction kind. Value: +1/-1 for up/down votes, BountyAmount for bounties.
VOTE_TYPES = {
    "1": ("AcceptedByOriginator", "accept"), "2": ("UpMod", "vote"), "3": ("DownMod", "vote"),
    "4": ("Offensive", "report"), "5": ("Favorite", "bookmark"), "6": ("Close", "report"),
    "7": ("Reopen", "report"), "8": ("BountyStart", "like"), "9": ("BountyClose", "like"),
    "10": ("Deletion", "report"), "11": ("Undeletion", "report"), "12": ("Spam", "report"),
    "13": ("InformModerator", "report"), "15": ("ModeratorReview", "report"), "16": ("ApproveEditSuggestion", "edit"),
}
# SE post history types: name and group (initial / edit / rollback / moderation / other); all become kind edit.
HISTORY_TYPES = {
    "1": ("InitialTitle", "initial"), "2": ("InitialBody", "initial"), "3": ("InitialTags", "initial"),
    "4": ("EditTitle", "edit"), "5": ("EditBody", "edit"), "6": ("EditTags", "edit"),
    "7": ("RollbackTitle", "rollback"), "8": ("RollbackBody", "rollback"), "9": ("RollbackTags", "rollback"),
    "10": ("PostClosed", "moderation"), "11": ("PostReopened", "moderation"), "12": ("PostDeleted", "moderation"),
    "13": ("PostUndeleted", "moderation"), "14": ("PostLocked", "moderation"), "15": ("PostUnlocked", "moderation"),
    "16": ("CommunityOwned", "moderation"), "17": ("PostMigrated", "moderation"), "18": ("QuestionMerged", "moderation"),
    "19": ("QuestionProtected", "moderation"), "20": ("QuestionUnprotected", "moderation"),
    "21": ("PostDisassociated", "moderation"), "22": ("QuestionUnmerged", "moderation"),
    "24": ("SuggestedEditApplied", "edit"), "25": ("PostTweeted", "other"), "31": ("CommentDiscussionMovedToChat", "other"),
    "33": ("PostNoticeAdded", "moderation"), "34": ("PostNoticeRemoved", "moderation"),
    "35": ("PostMigratedAway", "moderation"), "36": ("PostMigratedHere", "moderation"),
    "37": ("PostMergeSource", "moderation"), "38": ("PostMergeDestination", "moderation"),
    "50": ("CommunityBump", "other"), "52": ("HotNetworkQuestion", "other"), "53": ("HotNetworkQuestionRemoved", "other"),
    "66": ("CreatedFromAskWizard", "other"),
}
LINK_TYPES = {"1": ("Linked", "link"), "3": ("Duplicate", "duplicate")}
BADGE_CLASSES = {"1": "gold", "2": "silver", "3": "bronze"}

# (SE attribute, output column, conversion): "u"/"p"/"c"/... prefix an id, "ts" marks UTC,
# "int"/"bool" type the value for attrs, None keeps the text.
_Spec = list[tuple[str, str, str | None]]
_USERS: _Spec = [
    ("Id", "member_id", "u"), ("DisplayName", "name", None), ("CreationDate", "joined_at", "ts"),
    ("Location", "region", None), ("Reputation", "reputation", "int"), ("Views", "views", "int"),
    ("UpVotes", "up_votes", "int"), ("DownVotes", "down_votes", "int"), ("AccountId", "account_id", "int"),
    ("LastAccessDate", "last_access_date", "ts"), ("AboutMe", "about_me", None), ("WebsiteUrl", "website_url", None),
    ("ProfileImageUrl", "profile_image_url", None), ("Age", "age", "int"), ("EmailHash", "email_hash", None),
]
_POSTS: _Spec = [
    ("Id", "content_id", "p"), ("OwnerUserId", "author_id", "u"), ("CreationDate", "created_at", "ts"),
    ("ParentId", "parent_id", "p"), ("Title", "title", None), ("Body", "body", None), ("Tags", "tags", "tags"),
    ("LastEditDate", "edited_at", "ts"), ("AcceptedAnswerId", "accepted_answer_id", "p"), ("Score", "score", "int"),
    ("ViewCount", "view_count", "int"), ("AnswerCount", "answer_count", "int"), ("CommentCount", "comment_count", "int"),
    ("FavoriteCount", "favorite_count", "int"), ("ClosedDate", "closed_date", "ts"),
    ("CommunityOwnedDate", "community_owned_date", "ts"), ("LastActivityDate", "last_activity_date", "ts"),
    ("LastEditorUserId", "last_editor_id", "u"), ("LastEditorDisplayName", "last_editor_display_name", None),
    ("OwnerDisplayName", "owner_display_name", None), ("ContentLicense", "content_license", None),
]
_COMMENTS: _Spec = [
    ("Id", "content_id", "c"), ("PostId", "parent_id", "p"), ("UserId", "author_id", "u"), ("Text", "body", None),
    ("CreationDate", "created_at", "ts"), ("Score", "score", "int"), ("UserDisplayName", "user_display_name", None),
    ("ContentLicense", "content_license", None),
]
_VOTES: _Spec = [
    ("Id", "interaction_id", "v"), ("PostId", "target_content_id", "p"), ("UserId", "actor_id", "u"),
    ("CreationDate", "created_at", "ts"),
]
_LINKS: _Spec = [
    ("Id", "interaction_id", "l"), ("PostId", "target_content_id", "p"), ("RelatedPostId", "related_content_id", "p"),
    ("CreationDate", "created_at", "ts"),
]
_HISTORY: _Spec = [
    ("Id", "interaction_id", "h"), ("PostId", "target_content_id", "p"), ("UserId", "actor_id", "u"),
    ("CreationDate", "created_at", "ts"), ("RevisionGUID", "revision_guid", None), ("Comment", "comment", None),
    ("Text", "text", None), ("UserDisplayName", "user_display_name", None), ("ContentLicense", "content_license", None),
]
_BADGES: _Spec = [
    ("Id", "award_id", "b"), ("UserId", "member_id", "u"), ("Name", "name", None), ("Date", "awarded_at", "ts"),
    ("TagBased", "tag_based", "bool"),
]


# SE table (root element) -> (entity, spec, attributes used by the derived columns).
TABLES: dict[str, tuple[str, _Spec, frozenset[str]]] = {
    "users": ("members", _USERS, frozenset()),
    "posts": ("content", _POSTS, frozenset({"PostTypeId"})),
    "comments": ("content", _COMMENTS, frozenset()),
    "posthistory": ("interactions", _HISTORY, frozenset({"PostHistoryTypeId"})),
    "postlinks": ("interactions", _LINKS, frozenset({"LinkTypeId"})),
    "votes": ("interactions", _VOTES, frozenset({"VoteTypeId", "BountyAmount"})),
    "badges": ("awards", _BADGES, frozenset({"Class"})),
}
ROOTS = tuple(TABLES)  # also the import order: members before the content they write, and so on
_FIELDS = {t: frozenset(ENTITIES[e].columns) for t, (e, _, _) in TABLES.items()}
_KNOWN = {t: frozenset(a for a, _, _ in spec) | extra | {"_line"} for t, (_, spec, extra) in TABLES.items()}


@lru_cache(maxsize=4096)
def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _case(col: str, mapping: dict[str, str], default: str) -> str:
    whens = " ".join(f"WHEN {col} = {_lit(k)} THEN {_lit(v)}" for k, v in mapping.items())
    return f"CASE WHEN {col} IS NULL THEN NULL {whens} ELSE {default} END"


def _convert(c: str, how: str | None, out: str) -> list[str]:
    if how is None:
        return [f"{c} AS {_q(out)}"]
    if how == "ts":
        # SE timestamps are UTC without a zone; the store would otherwise read them as local time.
        iso = f"substr({c}, 5, 1) = '-' AND NOT ends_with({c}, 'Z') AND NOT contains({c}, '+')"
        return [f"CASE WHEN {iso} THEN {c} || '+00:00' ELSE {c} END AS {_q(out)}"]
    if how == "int":
        # A number that does not parse is kept as text beside it, so nothing is lost.
        return [f"TRY_CAST(trim({c}) AS BIGINT) AS {_q(out)}",
                f"CASE WHEN TRY_CAST(trim({c}) AS BIGINT) IS NULL THEN {c} END AS {_q(out + '_invalid')}"]
    if how == "bool":
        return [f"TRY_CAST(trim({c}) AS BOOLEAN) AS {_q(out)}"]
    if how == "tags":
        # Old dumps write "<a><b>", the newest "|a|b|".
        return [f"CASE WHEN starts_with(trim({c}), '<') THEN list_filter(string_split(trim(trim({c}), '<>'), '><'), lambda t: t <> '') "
                f"ELSE list_filter(string_split({c}, '|'), lambda t: t <> '') END AS {_q(out)}"]
    return [f"{_lit(how)} || NULLIF(trim({c}), '') AS {_q(out)}"]  # id prefix


def _derived(table: str, col) -> list[str]:
    if table == "users":
        return [f"CASE WHEN trim({col('Id')}) = '-1' THEN 'bot' ELSE 'member' END AS account_type"]
    if table == "posts":
        t = col("PostTypeId")
        other_kind = f"CASE WHEN {col('ParentId')} IS NOT NULL THEN 'reply' ELSE 'thread' END"
        return [f"{_case(t, {k: v[1] for k, v in POST_TYPES.items()}, other_kind)} AS kind",
                f"{_case(t, {k: v[0] for k, v in POST_TYPES.items()}, chr(39) + 'PostType' + chr(39) + ' || ' + t)} AS se_post_type"]
    if table == "comments":
        return ["'comment' AS kind"]
    if table == "votes":
        t = col("VoteTypeId")
        # An unknown type gets a kind the validator rejects, so the row is quarantined with its line.
        return [f"{_case(t, {k: v[1] for k, v in VOTE_TYPES.items()}, chr(39) + 'se-vote-type-' + chr(39) + ' || ' + t)} AS kind",
                f"{_case(t, {k: v[0] for k, v in VOTE_TYPES.items()}, chr(39) + 'VoteType' + chr(39) + ' || ' + t)} AS se_vote_type",
                f"CASE {t} WHEN '2' THEN '1' WHEN '3' THEN '-1' ELSE {col('BountyAmount')} END AS value"]
    if table == "postlinks":
        t = col("LinkTypeId")
        return [f"{_case(t, {k: v[1] for k, v in LINK_TYPES.items()}, chr(39) + 'link' + chr(39))} AS kind",
                f"{_case(t, {k: v[0] for k, v in LINK_TYPES.items()}, chr(39) + 'LinkType' + chr(39) + ' || ' + t)} AS se_link_type"]
    if table == "posthistory":
        t = col("PostHistoryTypeId")
        return ["'edit' AS kind",
                f"{_case(t, {k: v[0] for k, v in HISTORY_TYPES.items()}, chr(39) + 'HistoryType' + chr(39) + ' || ' + t)} AS se_history_type",
                f"{_case(t, {k: v[1] for k, v in HISTORY_TYPES.items()}, chr(39) + 'other' + chr(39))} AS se_history_group"]
    if table == "badges":
        c = col("Class")
        return [f"{_case(c, BADGE_CLASSES, c)} AS level"]
    return []


def select_sql(table: str, columns: set[str], *, wiki: bool = False) -> str:
    """SELECT mapping a raw batch ``_se_raw`` (one text column per SE attribute, plus ``_line``) to canonical columns.

    With ``wiki``, tag wiki posts get ``se_tag`` from ``_se_wiki(post_id, tag)``.
    """
    _, spec, _ = TABLES[table]

    def col(attr: str) -> str:
        return f"r.{_q(attr)}" if attr in columns else "NULL::VARCHAR"

    parts = ["r._line AS _line"]
    taken = {"_line"}
    for attr, out, how in spec:
        if attr in columns:
            parts += _convert(col(attr), how, out)
            taken.add(out)
    parts += _derived(table, col)
    taken |= {p.rsplit(" AS ", 1)[1].strip('"') for p in parts}
    for attr in sorted(columns - _KNOWN[table]):
        key = _snake(attr)
        # Never let an unexpected attribute overwrite a mapped field.
        key = "se_" + key if key in taken or key in _FIELDS[table] else key
        parts.append(f"{col(attr)} AS {_q(key)}")
    source = "_se_raw r"
    if wiki and table == "posts":
        parts.append("w.tag AS se_tag")
        source += f" LEFT JOIN _se_wiki w ON w.post_id = {col('Id')}"
    return f"SELECT {', '.join(parts)} FROM {source}"
