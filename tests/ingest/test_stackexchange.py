"""Stack Exchange importer on the real dumps: counts are recomputed from the raw XML (with
ElementTree, independently of the importer's expat reader) and checked against SOURCE.txt."""
from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from reef.ingest import import_paths
from reef.ingest.stackexchange.mapping import HISTORY_TYPES, POST_TYPES, VOTE_TYPES
from reef.store import open_store
from tests.conftest import shared_data

pytestmark = pytest.mark.realdata


def raw_rows(folder: Path, table: str) -> list[dict[str, str]]:
    path = folder / f"{table}.xml.gz"
    rows = []
    with gzip.open(path) as fh:
        for _, el in ET.iterparse(fh):
            if el.tag == "row":
                rows.append(dict(el.attrib))
                el.clear()
    return rows


class Raw:
    """The dump's figures, computed straight from its XML."""

    def __init__(self, folder: Path):
        self.users = raw_rows(folder, "Users")
        self.posts = raw_rows(folder, "Posts")
        self.comments = raw_rows(folder, "Comments")
        self.votes = raw_rows(folder, "Votes")
        self.links = raw_rows(folder, "PostLinks")
        self.badges = raw_rows(folder, "Badges")
        self.history = raw_rows(folder, "PostHistory") if (folder / "PostHistory.xml.gz").exists() else []
        self.post_ids = {p["Id"] for p in self.posts}
        self.posts_by_type = Counter(POST_TYPES[p["PostTypeId"]][0] for p in self.posts)
        self.votes_by_type = Counter(VOTE_TYPES[v["VoteTypeId"]][0] for v in self.votes)
        self.dangling_votes = {"v" + v["Id"] for v in self.votes if v["PostId"] not in self.post_ids}
        self.accepted = {"p" + p["AcceptedAnswerId"] for p in self.posts if "AcceptedAnswerId" in p}
        self.dangling_links = {"l" + x["Id"] for x in self.links
                               if x["PostId"] not in self.post_ids or x["RelatedPostId"] not in self.post_ids}
        self.duplicates = {"l" + x["Id"] for x in self.links if x["LinkTypeId"] == "3"}


@pytest.fixture(scope="module")
def qc(tmp_path_factory):
    folder = shared_data("se-quantumcomputing")
    db = tmp_path_factory.mktemp("qc") / "reef.duckdb"
    store = open_store(db)
    summary = import_paths(store, [folder])
    store.close()
    return Raw(folder), db, summary


@pytest.fixture(scope="module")
def bikes(tmp_path_factory):
    folder = shared_data("se-bicycles-meta")
    db = tmp_path_factory.mktemp("bikes") / "reef.duckdb"
    store = open_store(db)
    summary = import_paths(store, [folder])
    store.close()
    return Raw(folder), db, summary


def _se_counts(store, attr: str, where: str) -> Counter:
    return Counter(dict(store.fetch_all(
        f"SELECT json_extract_string(attrs, '$.{attr}'), count(*) FROM {where} GROUP BY 1")))


def _quarantined(store, file_part: str) -> dict[str, str]:
    """Quarantined rows of a file: id -> reason."""
    rows = store.fetch_all("SELECT raw, reason FROM quarantine WHERE file LIKE $f", {"f": f"%{file_part}%"})
    import json

    out = {}
    for raw, reason in rows:
        data = json.loads(raw)
        out[data.get("interaction_id") or data.get("content_id") or data.get("member_id") or data.get("award_id")] = reason
    return out


def check_dump(raw: Raw, db: Path, summary) -> None:
    store = open_store(db, read_only=True)
    # Users and posts by type.
    assert store.fetch_value("SELECT count(*) FROM members") == len(raw.users)
    assert store.fetch_value("SELECT count(*) FROM members WHERE account_type = 'bot'") == sum(u["Id"] == "-1" for u in raw.users)
    assert _se_counts(store, "se_post_type", "content WHERE content_id LIKE 'p%'") == raw.posts_by_type
    kinds = Counter(dict(store.fetch_all("SELECT kind, count(*) FROM content WHERE content_id LIKE 'p%' GROUP BY 1")))
    assert kinds["thread"] == raw.posts_by_type["Question"]
    assert kinds["answer"] == raw.posts_by_type["Answer"]
    assert store.fetch_value("SELECT count(*) FROM content WHERE kind = 'comment'") == len(raw.comments)
    # Every answer hangs under its question, and threads are filled in.
    assert store.fetch_value("SELECT count(*) FROM content WHERE kind = 'answer' AND thread_id <> parent_id") == 0
    assert store.fetch_value("SELECT count(*) FROM content WHERE body_html IS NOT NULL AND body LIKE '%<p>%'") == 0
    # Votes by type: imported + quarantined = dump, and the quarantined ones are exactly the votes on missing posts.
    imported = _se_counts(store, "se_vote_type", "interactions WHERE interaction_id LIKE 'v%'")
    quarantined = _quarantined(store, "Votes.xml")
    assert set(quarantined) == raw.dangling_votes
    assert all(r.startswith("dangling reference: target_content_id") for r in quarantined.values())
    by_type_q = Counter(VOTE_TYPES[v["VoteTypeId"]][0] for v in raw.votes if "v" + v["Id"] in quarantined)
    assert imported + by_type_q == raw.votes_by_type
    assert store.fetch_value("SELECT count(*) FROM interactions WHERE kind = 'vote' AND value NOT IN (1, -1)") == 0
    # Accepted answers: one accept per accepted answer, no more.
    accepts = store.fetch_all("SELECT target_content_id FROM interactions WHERE kind = 'accept'")
    assert sorted(t for (t,) in accepts) == sorted(raw.accepted)
    stored_accepted = store.fetch_all("SELECT json_extract_string(attrs, '$.accepted_answer_id') FROM content WHERE kind = 'thread' AND attrs->>'accepted_answer_id' IS NOT NULL")
    assert {a for (a,) in stored_accepted} == raw.accepted
    assert store.fetch_value("""SELECT count(*) FROM interactions i JOIN content a ON a.content_id = i.target_content_id
                                JOIN content q ON q.content_id = a.parent_id
                                WHERE i.kind = 'accept' AND i.actor_id IS DISTINCT FROM q.author_id""") == 0
    # Links: duplicates and plain links, minus those pointing at deleted posts.
    links_q = _quarantined(store, "PostLinks.xml")
    assert set(links_q) == raw.dangling_links
    assert store.fetch_value("SELECT count(*) FROM interactions WHERE kind = 'duplicate'") == len(raw.duplicates - raw.dangling_links)
    assert store.fetch_value("SELECT count(*) FROM interactions WHERE interaction_id LIKE 'l%'") == len(raw.links) - len(raw.dangling_links)
    # Badges.
    assert store.fetch_value("SELECT count(*) FROM awards") == len(raw.badges)
    levels = Counter(dict(store.fetch_all("SELECT level, count(*) FROM awards GROUP BY 1")))
    assert levels == Counter({"gold": 0, "silver": 0, "bronze": 0} | {
        {"1": "gold", "2": "silver", "3": "bronze"}[c]: n for c, n in Counter(b["Class"] for b in raw.badges).items()}) - Counter()
    # The summary agrees with the tables, and nothing else was quarantined.
    assert summary.quarantined == len(raw.dangling_votes) + len(raw.dangling_links)
    assert summary.imported == (len(raw.users) + len(raw.posts) + len(raw.comments) + len(raw.votes) + len(raw.links)
                                + len(raw.badges) + len(raw.history) - summary.quarantined)


def test_quantumcomputing_counts_match_raw_xml(qc):
    raw, db, summary = qc
    check_dump(raw, db, summary)


def test_quantumcomputing_matches_published_figures(qc):
    """The figures in se-quantumcomputing/SOURCE.txt."""
    raw, db, _ = qc
    store = open_store(db, read_only=True)
    assert _se_counts(store, "se_post_type", "content WHERE content_id LIKE 'p%'") == Counter(
        {"Question": 612, "Answer": 1060, "TagWiki": 157, "TagWikiExcerpt": 157})
    assert store.fetch_value("SELECT count(*) FROM members") == 3461
    assert store.fetch_value("SELECT count(*) FROM content WHERE kind = 'comment'") == 3413
    votes = _se_counts(store, "se_vote_type", "interactions WHERE interaction_id LIKE 'v%'")
    quarantined = _quarantined(store, "Votes.xml")
    assert sum(votes.values()) + len(quarantined) == 12560 and len(quarantined) == 587
    dump = votes + Counter(VOTE_TYPES[v["VoteTypeId"]][0] for v in raw.votes if "v" + v["Id"] in quarantined)
    assert {k: dump[k] for k in ("UpMod", "Favorite", "DownMod", "AcceptedByOriginator", "BountyStart")} == {
        "UpMod": 10103, "Favorite": 710, "DownMod": 668, "AcceptedByOriginator": 390, "BountyStart": 22}
    assert store.fetch_value("SELECT count(*) FROM interactions WHERE kind = 'accept'") == 389
    assert store.fetch_value("SELECT count(*) FROM content WHERE content_id LIKE 'p%' AND author_id IS NULL") == 2
    assert store.fetch_value("SELECT count(*) FROM awards") == 4671
    assert store.fetch_value("SELECT count(DISTINCT name) FROM awards") == 55
    assert store.fetch_value("SELECT count(*) FROM interactions WHERE interaction_id LIKE 'l%'") + len(_quarantined(store, "PostLinks")) == 327
    # Tag wiki posts carry the tag they describe, when Tags.xml still lists it.
    wiki = {t[k] for t in raw_rows(shared_data("se-quantumcomputing"), "Tags") for k in ("WikiPostId", "ExcerptPostId") if k in t}
    assert store.fetch_value("SELECT count(*) FROM content WHERE attrs->>'se_tag' IS NOT NULL") == len(wiki & raw.post_ids)


def test_quantumcomputing_timestamps_are_utc(qc):
    _, db, _ = qc
    store = open_store(db, read_only=True)
    # Post 1: CreationDate="2018-03-12T17:00:45.567" (UTC) = 2018-03-13 01:00:45 in Shanghai.
    ts = store.fetch_value("SELECT strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM content WHERE content_id = 'p1'")
    assert ts == "2018-03-12 17:00:45"
    row = store.fetch_dicts("SELECT title, tags, body, body_html FROM content WHERE content_id = 'p1'")[0]
    assert row["tags"] == ["simulation", "quantum-turing-machine"]
    assert row["body_html"].startswith("<p>I know that a <a href=") and "<p>" not in row["body"]


def test_bicycles_meta_counts_match_raw_xml(bikes):
    raw, db, summary = bikes
    check_dump(raw, db, summary)
    store = open_store(db, read_only=True)
    history = _se_counts(store, "se_history_type", "interactions WHERE interaction_id LIKE 'h%'")
    assert history == Counter(HISTORY_TYPES[h["PostHistoryTypeId"]][0] for h in raw.history)
    assert sum(history.values()) == len(raw.history) == 3994
    # Published figures (SOURCE.txt).
    assert len(raw.posts) == 1446 and len(raw.accepted) == 157 and len(raw.dangling_votes) == 163
    assert store.fetch_value("SELECT count(*) FROM interactions WHERE kind = 'accept'") == 157
    assert store.fetch_value("SELECT count(*) FROM members") == 2551
    assert store.fetch_value("SELECT count(*) FROM awards") == 6585
    # New schema: ContentLicense is kept; deleted users' names are kept when there is no id.
    assert store.fetch_value("SELECT count(*) FROM content WHERE attrs->>'content_license' IS NOT NULL") == len(raw.posts) + len(raw.comments)
    assert store.fetch_value("SELECT count(*) FROM content WHERE kind = 'comment' AND author_id IS NULL AND attrs->>'user_display_name' IS NOT NULL") == sum(
        "UserId" not in c and "UserDisplayName" in c for c in raw.comments)
    assert store.fetch_value("SELECT count(*) FROM interactions WHERE interaction_id LIKE 'h%' AND actor_id IS NULL") == sum("UserId" not in h for h in raw.history)


def test_reimport_imports_nothing_twice(qc, tmp_path):
    raw, db, first = qc
    import shutil

    copy = tmp_path / "again.duckdb"
    shutil.copy(db, copy)
    store = open_store(copy)
    before = store.fetch_value("SELECT count(*) FROM quarantine")
    again = import_paths(store, [shared_data("se-quantumcomputing")])
    assert again.imported == 0 and again.updated == 0
    assert again.duplicate == first.imported
    assert again.quarantined == first.quarantined
    assert store.fetch_value("SELECT count(*) FROM quarantine") == before
    assert store.fetch_value("SELECT count(*) FROM interactions WHERE kind = 'accept'") == len(raw.accepted)
