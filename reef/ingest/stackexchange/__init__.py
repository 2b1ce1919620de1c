"""Stack Exchange dump reader: Users, Posts, Comments, PostHistory, PostLinks, Votes, Badges.

A dump folder (or any of its ``.xml`` / ``.xml.gz`` files) is streamed row by row and staged in
Arrow batches; the shared validator then judges the rows like any other source, so votes on
deleted posts are quarantined as dangling references. The table comes from the root element
(``<posts>``, ``<votes>`` ...), so renamed files work too. docs/stackexchange.md has the mapping.

Accepted answers: every accept vote becomes an ``accept`` interaction on the answer, its actor
the question's owner. A question whose ``AcceptedAnswerId`` has no accept vote gets one
reconstructed accept (``a<question id>``, dated at the answer's creation, flagged
``created_at_is_estimate``), so the relation exists exactly once per accepted answer.

Example:
    >>> import pathlib, tempfile
    >>> from reef.ingest import import_paths
    >>> from reef.store import open_store
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "Users.xml").write_text('<users>\\n<row Id="1" CreationDate="2020-01-01T00:00:00.000" DisplayName="a" />\\n</users>\\n')
    >>> _ = (d / "Posts.xml").write_text('<posts>\\n<row Id="5" PostTypeId="1" OwnerUserId="1" CreationDate="2020-01-02T00:00:00.000" Body="&lt;p&gt;Hi&lt;/p&gt;" Title="Q" Tags="|x|" />\\n</posts>\\n')
    >>> import_paths(open_store(":memory:"), [d]).imported
    2
"""
from __future__ import annotations

import weakref
from pathlib import Path

import pyarrow as pa

from reef.errors import Location, ReefError, UnknownFormatError, UnreadableFileError
from reef.ingest.files import file_sha256, open_binary
from reef.ingest.session import ImportSession
from reef.ingest.stackexchange.mapping import ROOTS, TABLES, select_sql
from reef.ingest.stackexchange.site import check_rows_site, check_site
from reef.ingest.stackexchange.xmlrows import NotXmlError, RowReader

__all__ = ["stage_stackexchange", "dump_files", "first_rows", "BATCH_ROWS"]

BATCH_ROWS = 50_000
# What each import session has seen so far: accepts are reconciled once posts and votes are both in.
_SEEN: "weakref.WeakKeyDictionary[ImportSession, dict]" = weakref.WeakKeyDictionary()


def _find(folder: Path, table: str) -> Path | None:
    names = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    for suffix in (".xml", ".xml.gz"):
        if table + suffix in names:
            return names[table + suffix]
    return None


def dump_files(folder: Path) -> list[Path]:
    """The dump's table files in import order (Users, Posts, Comments, PostHistory, PostLinks, Votes, Badges)."""
    return [p for p in (_find(folder, t) for t in ROOTS) if p is not None]


def stage_stackexchange(session: ImportSession, path: Path, *, entity: str | None = None) -> None:
    """Stage a dump folder or one of its XML files into ``session`` (``entity`` is ignored: the root element decides)."""
    path = Path(path)
    named = check_site(session, path)  # before anything of it is staged: one site per store
    seen = _SEEN.setdefault(session, {"posts": [], "votes": False})
    seen["upload"] = not named  # an upload names no site: its rows tell (check_rows_site)
    if path.is_dir():
        files = dump_files(path)
        if not files:
            raise UnknownFormatError("No Stack Exchange table in this folder (Posts.xml, Users.xml ...).",
                                     where=Location(file=str(path)))
        tags = _find(path, "tags")
        wiki = _read_tags(session, tags, register=True) if tags else None
        for f in files:
            _stage_file(session, f, wiki, seen, in_folder=True)
    else:
        _stage_file(session, path, None, seen, in_folder=False)
    _reconcile_accepts(session, seen, complete=path.is_dir())


def _stage_file(session: ImportSession, path: Path, wiki: pa.Table | None, seen: dict, *, in_folder: bool) -> None:
    label = str(path)
    session.add_file(label, "stackexchange", size=path.stat().st_size, encoding="utf-8",
                     sha256=file_sha256(path) if in_folder else None)
    holder: dict = {}

    def malformed(line: int, raw: bytes, reason: str) -> None:
        session.quarantine(file=label, line=line, entity=holder.get("entity"), field=None, reason=reason,
                           raw=raw.decode("utf-8", "backslashreplace").strip())

    con = session.con
    with open_binary(path) as fh:
        reader = RowReader(fh, on_malformed=malformed)
        try:
            for batch in reader.batches(BATCH_ROWS):
                root = _table_of(reader.root, label)
                if root is None:
                    return
                if root == "posts" and wiki is None:
                    sibling = _find(path.parent, "tags")
                    wiki = _read_tags(session, sibling, register=False) if sibling else pa.table({"post_id": [], "tag": []})
                holder["entity"] = TABLES[root][0]
                keys = set().union(*batch)
                raw = pa.Table.from_pylist(batch, schema=pa.schema([(k, pa.int64() if k == "_line" else pa.string()) for k in sorted(keys)]))
                con.register("_se_raw", raw)
                if root == "posts":
                    con.register("_se_wiki", wiki)
                try:
                    mapped = session.store.fetch_arrow(select_sql(root, keys, wiki=root == "posts"))
                finally:
                    con.unregister("_se_raw")
                    if root == "posts":
                        con.unregister("_se_wiki")
                del raw, batch
                if seen.get("upload"):
                    check_rows_site(session.store, TABLES[root][0], mapped, session.name_of(label))
                session.stage_arrow(TABLES[root][0], mapped, file=label)
        except NotXmlError as exc:
            raise UnreadableFileError(f"Not a Stack Exchange XML file ({exc.reason}).",
                                      where=Location(file=label, line=exc.line)) from None
    root = _table_of(reader.root, label)
    if root == "posts":
        seen["posts"].append(label)
    elif root == "votes":
        seen["votes"] = True


def first_rows(store, path: Path, rows: int):
    """(entity, mapped Arrow rows) of the first ``rows`` rows of a Stack Exchange XML file, or None when ``path`` is
    no such file (another format, Tags.xml, unreadable: left to the import to judge)."""
    try:
        with open_binary(path) as fh:
            reader = RowReader(fh, on_malformed=lambda *_: None)
            batch = next(iter(reader.batches(rows)), None)
            root = reader.root
    except (NotXmlError, OSError, ReefError, ValueError, EOFError):
        return None
    if not batch or root not in TABLES:
        return None
    keys = set().union(*batch)
    raw = pa.Table.from_pylist(batch, schema=pa.schema([(k, pa.int64() if k == "_line" else pa.string()) for k in sorted(keys)]))
    store.con.register("_se_raw", raw)
    if root == "posts":
        store.con.register("_se_wiki", pa.table({"post_id": pa.array([], pa.string()), "tag": pa.array([], pa.string())}))
    try:
        return TABLES[root][0], store.fetch_arrow(select_sql(root, keys, wiki=root == "posts"))
    finally:
        store.con.unregister("_se_raw")
        if root == "posts":
            store.con.unregister("_se_wiki")


def _table_of(root: str | None, label: str) -> str | None:
    """The SE table of a root element; None for Tags.xml (not part of the model: used for wiki labels)."""
    if root in TABLES:
        return root
    if root == "tags":
        return None
    raise UnknownFormatError(f"<{root}> is not a Stack Exchange table Reef imports.", where=Location(file=label),
                             hint="Expected one of: " + ", ".join(f"<{r}>" for r in ROOTS) + ".")


def _read_tags(session: ImportSession, path: Path, *, register: bool) -> pa.Table:
    """Tag wiki and excerpt post ids with their tag name (Tags.xml itself is not imported)."""
    label = str(path)
    if register:
        session.add_file(label, "stackexchange", size=path.stat().st_size, encoding="utf-8", sha256=file_sha256(path))
    wiki: dict[str, str] = {}
    with open_binary(path) as fh:
        reader = RowReader(fh, on_malformed=lambda *_: None)  # a broken tag row only loses a wiki label
        try:
            for batch in reader.batches(BATCH_ROWS):
                for a in batch:
                    for key in ("WikiPostId", "ExcerptPostId"):
                        if a.get(key) and a.get("TagName"):
                            wiki[a[key]] = a["TagName"]
        except NotXmlError:
            pass
    return pa.table({"post_id": pa.array(list(wiki), pa.string()), "tag": pa.array(list(wiki.values()), pa.string())})


def _reconcile_accepts(session: ImportSession, seen: dict, *, complete: bool) -> None:
    con = session.con
    staged = set(session.staged_entities)
    if "interactions" not in staged and not (complete and seen["posts"]):
        return
    posts = "SELECT content_id, parent_id, author_id, CAST(created_at AS VARCHAR) AS created_at FROM content"
    if "content" in staged:
        posts += " UNION ALL SELECT content_id, parent_id, author_id, created_at FROM stage_content"
    if "interactions" in staged:
        # The accepter is the question's owner; dumps only say which answer was accepted.
        con.execute(f"""
            UPDATE stage_interactions AS i SET actor_id = q.author_id
            FROM (SELECT a.content_id AS answer_id, any_value(q.author_id) AS author_id
                  FROM ({posts}) a JOIN ({posts}) q ON q.content_id = a.parent_id
                  WHERE q.author_id IS NOT NULL GROUP BY 1) q
            WHERE i.kind = 'accept' AND i.actor_id IS NULL AND i.target_content_id = q.answer_id
              AND json_extract_string(i.attrs, '$.se_vote_type') = 'AcceptedByOriginator'""")
    if not seen["posts"] or not (seen["votes"] or complete):
        return  # votes may still come in a later file of this import
    voted = "SELECT target_content_id FROM interactions WHERE kind = 'accept' AND NOT starts_with(interaction_id, 'a')"
    done = "SELECT NULL::VARCHAR WHERE false"
    if "interactions" in staged:
        voted += " UNION ALL SELECT target_content_id FROM stage_interactions WHERE kind = 'accept' AND NOT starts_with(interaction_id, 'a')"
        done = "SELECT interaction_id FROM stage_interactions"
    for label in seen["posts"]:
        session.stage_sql("interactions", f"""
            SELECT 'a' || substr(q.content_id, 2) AS interaction_id, 'accept' AS kind, q.author_id AS actor_id,
                   q.acc AS target_content_id, coalesce(a.created_at, q.created_at) AS created_at,
                   json_object('se_source', 'AcceptedAnswerId', 'question_id', q.content_id,
                               'created_at_is_estimate', true)::VARCHAR AS attrs, q._line AS _line
            FROM (SELECT content_id, author_id, created_at, _line,
                         json_extract_string(attrs, '$.accepted_answer_id') AS acc
                  FROM stage_content WHERE _file = $label) q
            LEFT JOIN (SELECT content_id, min(created_at) AS created_at FROM ({posts}) GROUP BY 1) a ON a.content_id = q.acc
            WHERE q.acc IS NOT NULL
              AND q.acc NOT IN (SELECT target_content_id FROM ({voted}) WHERE target_content_id IS NOT NULL)
              AND 'a' || substr(q.content_id, 2) NOT IN (SELECT * FROM ({done}) WHERE interaction_id IS NOT NULL)""",
            {"label": label}, file=label)
