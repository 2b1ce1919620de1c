"""Stack Exchange importer on small dumps written here: old and new schema, bad rows with
their quarantine reasons and line numbers, accepted-answer reconciliation, odd files."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from reef.errors import UnknownFormatError, UnreadableFileError
from reef.ingest import import_paths

HEAD = '\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n'


def write(folder: Path, name: str, root: str, rows: list[str], *, gz: bool = False, close: bool = True) -> Path:
    """Rows start on line 3, as in real dumps (declaration, root, rows, closing root)."""
    text = HEAD + f"<{root}>\r\n" + "".join(f"  {r}\r\n" for r in rows) + (f"</{root}>\r\n" if close else "")
    data = text.encode("utf-8")
    path = folder / (name + (".xml.gz" if gz else ".xml"))
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def quarantine(store, file: Path) -> dict[int, tuple[str | None, str]]:
    rows = store.fetch_all("SELECT line, field, reason FROM quarantine WHERE file = $f ORDER BY line", {"f": str(file)})
    return {line: (field, reason) for line, field, reason in rows}


@pytest.fixture
def old_dump(tmp_path):
    d = tmp_path / "old"
    d.mkdir()
    files = {
        "users": write(d, "Users", "users", [
            '<row Id="-1" Reputation="1" CreationDate="2010-01-01T00:00:00.000" DisplayName="Community" />',
            '<row Id="1" Reputation="10" CreationDate="2010-01-02T10:00:00.000" DisplayName="Ann" Age="30" Location="Beijing" />',
            '<row Id="2" CreationDate="2010-01-03T10:00:00.000" DisplayName="Bob" Views="x7" />',
            '<row Id="3" CreationDate="2010-13-45T10:00:00.000" DisplayName="Bad date" />',
            '<row Reputation="1" DisplayName="No id" />',
        ]),
        "posts": write(d, "Posts", "posts", [
            '<row Id="1" PostTypeId="1" AcceptedAnswerId="2" CreationDate="2010-02-01T08:00:00.000" Score="3" ViewCount="10" '
            'Body="&lt;p&gt;How?&lt;/p&gt;" OwnerUserId="1" Title="How to X" Tags="&lt;x&gt;&lt;y-z&gt;" AnswerCount="1" />',
            '<row Id="2" PostTypeId="2" ParentId="1" CreationDate="2010-02-01T09:00:00.000" Body="&lt;p&gt;Like this&lt;/p&gt;" OwnerUserId="2" />',
            '<row Id="3" PostTypeId="1" CreationDate="2010-02-02T08:00:00.000" Body="broken <b> body" OwnerUserId="1" Title="Bad" />',
            '<row Id="4" PostTypeId="2" ParentId="1" CreationDate="2010-02-03T08:00:00.000" Body="x" OwnerDisplayName="gone user" />',
            '<row Id="5" PostTypeId="2" CreationDate="2010-02-03T08:00:00.000" Body="no parent" OwnerUserId="2" />',
            '<row Id="6" PostTypeId="1" Body="no date" OwnerUserId="2" Title="t" />',
        ]),
        "comments": write(d, "Comments", "comments", [
            '<row Id="1" PostId="1" Score="2" Text="Good question" CreationDate="2010-02-01T10:00:00.000" UserId="2" />',
            '<row Id="2" PostId="2" Score="0" Text="Thanks" CreationDate="2010-02-01T11:00:00.000" UserDisplayName="ghost" />',
            '<row Id="3" PostId="1" Text="when?" CreationDate="yesterday" UserId="2" />',
        ]),
        "votes": write(d, "Votes", "votes", [
            '<row Id="1" PostId="1" VoteTypeId="2" CreationDate="2010-02-01T00:00:00.000" />',
            '<row Id="2" PostId="2" VoteTypeId="1" CreationDate="2010-02-02T00:00:00.000" />',
            '<row Id="3" PostId="2" VoteTypeId="3" CreationDate="2010-02-02T00:00:00.000" />',
            '<row Id="4" PostId="1" VoteTypeId="5" UserId="2" CreationDate="2010-02-02T00:00:00.000" />',
            '<row Id="5" PostId="1" VoteTypeId="8" UserId="1" BountyAmount="50" CreationDate="2010-02-02T00:00:00.000" />',
            '<row Id="6" PostId="99" VoteTypeId="2" CreationDate="2010-02-02T00:00:00.000" />',
            '<row Id="7" PostId="1" VoteTypeId="42" CreationDate="2010-02-02T00:00:00.000" />',
            '<row Id="8" PostId="3" VoteTypeId="2" CreationDate="2010-02-02T00:00:00.000" />',
        ]),
        "links": write(d, "PostLinks", "postlinks", [
            '<row Id="1" CreationDate="2010-02-05T00:00:00.000" PostId="4" RelatedPostId="1" LinkTypeId="3" />',
            '<row Id="2" CreationDate="2010-02-05T00:00:00.000" PostId="2" RelatedPostId="1" LinkTypeId="1" />',
        ]),
        "badges": write(d, "Badges", "badges", [
            '<row Id="1" UserId="1" Name="Teacher" Date="2010-02-03T00:00:00.000" Class="3" TagBased="False" />',
            '<row Id="2" UserId="1" Name="x" Date="2010-02-03T00:00:00.000" Class="1" TagBased="True" />',
            '<row Id="3" UserId="9" Name="Ghost" Date="2010-02-03T00:00:00.000" Class="2" />',
        ]),
    }
    return d, files


def test_old_schema_maps_rows_and_quarantines_bad_ones_with_lines(store, old_dump):
    folder, f = old_dump
    summary = import_paths(store, [folder])
    assert quarantine(store, f["users"]) == {
        6: ("joined_at", "not a valid timestamp: '2010-13-45T10:00:00.000+00:00'"),
        7: ("member_id", "missing required id"),
    }
    posts_q = quarantine(store, f["posts"])
    assert posts_q[5][1].startswith("malformed XML: not well-formed (invalid token)")
    assert posts_q[7] == ("parent_id", "a answer needs parent_id")
    assert posts_q[8] == ("created_at", "missing required field created_at")
    assert set(posts_q) == {5, 7, 8}
    assert quarantine(store, f["comments"]) == {5: ("created_at", "not a valid timestamp: 'yesterday'")}
    votes_q = quarantine(store, f["votes"])
    assert votes_q[8] == ("target_content_id", "dangling reference: target_content_id 'p99' is not a known content id")
    assert votes_q[9][0] == "kind" and votes_q[9][1].startswith("unknown kind 'se-vote-type-42'")
    assert votes_q[10][1].startswith("dangling reference: target_content_id 'p3'")  # its post was malformed
    assert set(votes_q) == {8, 9, 10}
    assert quarantine(store, f["badges"]) == {5: ("member_id", "dangling reference: member_id 'u9' is not a known member id")}
    assert summary.quarantined == 2 + 3 + 1 + 3 + 1

    members = {r["member_id"]: r for r in store.fetch_dicts("SELECT member_id, account_type, region, attrs FROM members")}
    assert members["u-1"]["account_type"] == "bot" and members["u1"]["account_type"] == "member"
    assert members["u1"]["region"] == "Beijing" and json.loads(members["u1"]["attrs"])["age"] == "30"
    assert json.loads(members["u2"]["attrs"])["views_invalid"] == "x7"  # a bad number is kept as text
    posts = {r["content_id"]: r for r in store.fetch_dicts("SELECT * FROM content")}
    assert posts["p1"]["kind"] == "thread" and posts["p1"]["tags"] == ["x", "y-z"] and posts["p1"]["body"] == "How?"
    attrs = json.loads(posts["p1"]["attrs"])
    assert {k: attrs[k] for k in ("accepted_answer_id", "score", "view_count", "se_post_type")} == {
        "accepted_answer_id": "p2", "score": "3", "view_count": "10", "se_post_type": "Question"}  # attrs values are text
    assert posts["p2"]["kind"] == "answer" and posts["p2"]["parent_id"] == "p1" and posts["p2"]["thread_id"] == "p1"
    assert posts["p4"]["author_id"] is None and json.loads(posts["p4"]["attrs"])["owner_display_name"] == "gone user"
    assert posts["c2"]["author_id"] is None and json.loads(posts["c2"]["attrs"])["user_display_name"] == "ghost"
    acts = {r["interaction_id"]: r for r in store.fetch_dicts("SELECT * FROM interactions")}
    assert (acts["v1"]["kind"], acts["v1"]["value"]) == ("vote", 1.0)
    assert (acts["v3"]["kind"], acts["v3"]["value"]) == ("vote", -1.0)
    assert (acts["v2"]["kind"], acts["v2"]["target_content_id"], acts["v2"]["actor_id"]) == ("accept", "p2", "u1")
    assert (acts["v4"]["kind"], acts["v4"]["actor_id"]) == ("bookmark", "u2")
    assert (acts["v5"]["kind"], acts["v5"]["value"], json.loads(acts["v5"]["attrs"])["se_vote_type"]) == ("like", 50.0, "BountyStart")
    assert (acts["l1"]["kind"], acts["l1"]["target_content_id"], acts["l1"]["related_content_id"]) == ("duplicate", "p4", "p1")
    assert acts["l2"]["kind"] == "link"
    assert not any(k.startswith("a") for k in acts)  # the accept vote covers the accepted answer
    assert dict(store.fetch_all("SELECT award_id, level FROM awards")) == {"b1": "bronze", "b2": "gold"}


def test_new_schema_gz_with_history_and_reconstructed_accept(store, tmp_path):
    d = tmp_path / "new"
    d.mkdir()
    write(d, "Users", "users", [
        '<row Id="1" Reputation="5" CreationDate="2023-01-01T00:00:00.000" DisplayName="车主小王" AccountId="77" />',
        '<row Id="2" Reputation="5" CreationDate="2023-01-01T00:00:00.000" DisplayName="Li" />',
    ], gz=True)
    write(d, "Posts", "posts", [
        '<row Id="10" PostTypeId="1" AcceptedAnswerId="11" CreationDate="2023-02-01T08:00:00.000" Score="1" '
        'Body="&lt;p&gt;续航怎么样？&lt;/p&gt;" OwnerUserId="1" Title="续航" Tags="|car|ev-charging|" ContentLicense="CC BY-SA 4.0" FutureThing="kept" />',
        '<row Id="11" PostTypeId="2" ParentId="10" CreationDate="2023-02-01T09:30:00.000" Body="&lt;p&gt;很好&lt;/p&gt;" OwnerUserId="2" ContentLicense="CC BY-SA 4.0" />',
    ], gz=True)
    ph = write(d, "PostHistory", "posthistory", [
        '<row Id="1" PostHistoryTypeId="2" PostId="10" RevisionGUID="g1" CreationDate="2023-02-01T08:00:00.000" UserId="1" Text="续航怎么样？" ContentLicense="CC BY-SA 4.0" />',
        '<row Id="2" PostHistoryTypeId="5" PostId="10" RevisionGUID="g2" CreationDate="2023-02-02T08:00:00.000" UserId="2" Comment="typo" Text="续航怎么样?" />',
        '<row Id="3" PostHistoryTypeId="10" PostId="10" RevisionGUID="g3" CreationDate="2023-02-03T08:00:00.000" UserDisplayName="mod" Comment="101" />',
        '<row Id="4" PostHistoryTypeId="5" RevisionGUID="g4" CreationDate="2023-02-03T08:00:00.000" UserId="2" />',
        '<row Id="5" PostHistoryTypeId="5" PostId="10" RevisionGUID="g5" CreationDate="2023-02-0',
    ], gz=True, close=False)
    comments = d / "Comments.xml.gz"
    bad_line = b'  <row Id="1" PostId="11" Text="bad \xff byte" CreationDate="2023-02-02T00:00:00.000" UserId="1" />\r\n'
    raw = (HEAD + "<comments>\r\n").encode() + bad_line \
        + b'  <row Id="2" PostId="11" Text="ok" CreationDate="2023-02-02T00:00:00.000" UserId="1" />\r\n</comments>\r\n'
    comments.write_bytes(gzip.compress(raw))
    write(d, "Votes", "votes", ['<row Id="1" PostId="11" VoteTypeId="2" CreationDate="2023-02-02T00:00:00.000" />'], gz=True)

    summary = import_paths(store, [d])
    assert quarantine(store, ph) == {
        6: ("target_content_id", "a edit needs target_content_id"),
        7: (None, "malformed XML: row cut off at the end of the file (truncated?)"),
    }
    assert quarantine(store, comments) == {3: (None, f"bytes not valid utf-8 at byte {bad_line.index(bytes([255]))} (mis-encoded text)")}
    assert summary.quarantined == 3
    p10 = store.fetch_dicts("SELECT tags, attrs FROM content WHERE content_id = 'p10'")[0]
    assert p10["tags"] == ["car", "ev-charging"]
    assert json.loads(p10["attrs"])["future_thing"] == "kept" and json.loads(p10["attrs"])["content_license"] == "CC BY-SA 4.0"
    edits = store.fetch_all("SELECT interaction_id, actor_id, attrs->>'se_history_type', attrs->>'se_history_group' FROM interactions WHERE kind = 'edit' ORDER BY 1")
    assert edits == [("h1", "u1", "InitialBody", "initial"), ("h2", "u2", "EditBody", "edit"), ("h3", None, "PostClosed", "moderation")]
    # No accept vote in the dump: the accept is rebuilt once from AcceptedAnswerId.
    accepts = store.fetch_dicts("SELECT interaction_id, actor_id, target_content_id, created_at, attrs FROM interactions WHERE kind = 'accept'")
    assert len(accepts) == 1
    a = accepts[0]
    assert (a["interaction_id"], a["actor_id"], a["target_content_id"]) == ("a10", "u1", "p11")
    assert json.loads(a["attrs"])["created_at_is_estimate"] == "true"  # attrs values are text
    assert a["created_at"] == store.fetch_value("SELECT created_at FROM content WHERE content_id = 'p11'")
    again = import_paths(store, [d])
    assert again.imported == 0 and again.updated == 0 and again.duplicate == summary.imported


@pytest.mark.parametrize("order", [("Posts", "Votes"), ("Votes", "Posts")])
def test_files_given_one_by_one_count_each_accept_once(store, old_dump, order):
    folder, f = old_dump
    paths = [f["users"]] + [f["posts"] if n == "Posts" else f["votes"] for n in order]
    import_paths(store, paths)
    assert store.fetch_all("SELECT interaction_id, actor_id, target_content_id FROM interactions WHERE kind = 'accept'") == [("v2", "u1", "p2")]


def test_question_without_accept_vote_gets_one_accept_even_files_one_by_one(store, old_dump):
    folder, f = old_dump
    votes = write(folder, "Votes", "votes", ['<row Id="1" PostId="1" VoteTypeId="2" CreationDate="2010-02-01T00:00:00.000" />'])
    import_paths(store, [f["users"], f["posts"], votes])
    assert store.fetch_all("SELECT interaction_id, target_content_id FROM interactions WHERE kind = 'accept'") == [("a1", "p2")]


def test_multi_line_damage_quarantines_every_line_it_spans(store, tmp_path):
    users = write(tmp_path, "Users", "users", [
        '<row Id="1" CreationDate="2010-01-02T10:00:00.000" DisplayName="unterminated />',
        '<row Id="2" CreationDate="2010-01-02T10:00:00.000" DisplayName="swallowed" />',
        '<row Id="3" CreationDate="2010-01-02T10:00:00.000" DisplayName="fine" />',
    ])
    summary = import_paths(store, [users])
    q = quarantine(store, users)
    assert set(q) == {3, 4} and "row not closed before the error at line 4" in q[3][1]
    assert [m for (m,) in store.fetch_all("SELECT member_id FROM members")] == ["u3"]
    assert summary.read == 3 and summary.quarantined == 2


def test_table_comes_from_the_root_element(store, tmp_path):
    renamed = write(tmp_path, "site-export-2020", "users", ['<row Id="1" CreationDate="2010-01-02T10:00:00.000" DisplayName="a" />'])
    assert import_paths(store, [renamed]).imported == 1


def test_unusable_files_are_one_line_errors(store, tmp_path):
    other = write(tmp_path, "Foo", "foo", ['<row Id="1" />'])
    with pytest.raises(UnknownFormatError, match="<foo> is not a Stack Exchange table"):
        import_paths(store, [other])
    junk = tmp_path / "Posts.xml"
    junk.write_text("this is not xml\n")
    with pytest.raises(UnreadableFileError, match="Posts.xml.*Not a Stack Exchange XML file"):
        import_paths(store, [junk])
    empty = tmp_path / "Votes.xml"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFileError, match="Votes.xml"):
        import_paths(store, [empty])
    assert store.fetch_value("SELECT count(*) FROM imports") == 0
