"""Which Stack Exchange site a store holds: one site per store, checked before an import stages anything.

Two sites' dumps use the same ids (``p1``, ``u1`` ...), so a second site imported into a store would overwrite the
first one's rows as "updates". A dump names no site inside its files, so the site is the dump folder's name
(``se-quantumcomputing``, ``quantumcomputing.stackexchange.com``), lower-cased, or for single files the name of the
folder they sit in. The first Stack Exchange import records it in the store's ``meta`` table (key ``se_site``, in
the import's transaction); a store written before that has its site read back from the paths in ``import_files``.
A file uploaded through the dashboard has no folder of its own, so its rows tell instead (:func:`check_rows_site`):
rows whose ids the store already holds but whose creation times are other ones come from another site, and the
upload is refused with the same :class:`OtherSiteError` (the dashboard checks the first rows of each file before it
queues the import, :func:`check_upload_site`, so the API answers 409 at once; the import checks every row).

Example:
    >>> from pathlib import Path
    >>> site_name(Path("/data/se-QuantumComputing"))
    'se-quantumcomputing'
    >>> site_name(Path("/data/bicycles.meta.stackexchange.com/Posts.xml.gz"))
    'bicycles.meta.stackexchange.com'
"""
from __future__ import annotations

from pathlib import Path

from reef.errors import Location, OtherSiteError, with_cli_hint
from reef.i18n import plural

__all__ = ["site_name", "store_sites", "check_site", "check_rows_site", "check_upload_site", "META_KEY"]

META_KEY = "se_site"
_FILE_SUFFIXES = {".xml", ".gz", ".7z", ".zip", ".bz2", ".csv", ".json", ".jsonl"}


def site_name(path: Path) -> str | None:
    """The site a dump folder, or a file of one, comes from: the folder's name, lower-cased (None at the root)."""
    path = Path(path)
    # a path not on disk (yet) is a file of a dump when it is named like one (Posts.xml, Posts.xml.gz), else a folder
    named_like_file = path.suffix.lower() in _FILE_SUFFIXES
    folder = path if path.is_dir() or (not path.exists() and not named_like_file) else path.parent
    name = folder.resolve().name.strip().lower() if folder.exists() else folder.name.strip().lower()
    return name or None


def store_sites(store) -> set[str]:
    """The site(s) the store's Stack Exchange data came from: the recorded one, else those its import history names."""
    row = store.fetch_all("SELECT value FROM meta WHERE key = $k", {"k": META_KEY})
    if row and row[0][0]:
        return {row[0][0]}
    paths = store.fetch_all("SELECT DISTINCT path FROM import_files WHERE format = 'stackexchange' AND path IS NOT NULL")
    # an upload is recorded by its bare name (no folder): it names no site
    return {Path(p).parent.name.lower() for (p,) in paths if Path(p).parent.name}


def check_site(session, path: Path) -> bool:
    """Refuse ``path`` when it is another site than the store's (or than an earlier dump of the same import); else
    record its site in the store's ``meta`` (written with the import, so a failed import records nothing). Returns
    False for an upload (a temporary folder names no site): its rows are checked instead (:func:`check_rows_site`)."""
    if session.name_of(str(path)) != str(path):
        return False  # an upload in a temporary folder: its rows tell
    site = site_name(path)
    if site is None:
        return
    held = getattr(session, "se_site", None)
    sites = {held} if held else store_sites(session.store)
    if sites and site not in sites:
        other = ", ".join(sorted(sites))
        where = "this import already holds" if held else "the store already holds"
        same = f"If it is the same site in a folder of another name, rename the folder to '{other}'."
        exc = OtherSiteError(
            f"This is the Stack Exchange site '{site}', but {where} the site '{other}'. Two sites share ids "
            f"(p1, u1 ...), so importing it would overwrite the other site's rows; nothing was imported.",
            where=Location(file=str(path)),
            hint=f"Import each site into its own store (open another store file). {same}",
            facts={"site": site, "store_site": other},
        )
        raise with_cli_hint(exc, f"Import each site into its own store: reef import {path} --db {site}.duckdb. {same}")
    session.se_site = site
    session.con.execute("INSERT OR REPLACE INTO meta VALUES ($k, $v)", {"k": META_KEY, "v": site})
    return True


_DAY = 86_400  # seconds: the same site's rows keep their creation time; another site's p1 was made on another day


def check_rows_site(store, entity: str, rows, label: str) -> None:
    """Refuse mapped Stack Exchange ``rows`` of ``entity`` (an Arrow table) from a file that names no site (an
    upload) when they come from another site than the store's: most of the rows whose ids (u1, p1 ...) the store
    already holds were created more than a day apart from the stored ones (the same site's newer dump keeps every
    row's creation time). Rows the store does not hold, and a store without such ids, pass."""
    from reef.model.schema import ENTITIES

    key, when = ENTITIES[entity].key, ENTITIES[entity].time_field
    if key not in rows.column_names or when not in rows.column_names or not store.table_exists(entity):
        return
    store.con.register("_se_site_rows", rows.select([key, when]))
    try:
        held, other = store.fetch_all(
            f"SELECT count(*), count(*) FILTER (WHERE abs(epoch(TRY_CAST(r.{when} AS TIMESTAMP)) - epoch(s.{when})) > {_DAY}) "
            f"FROM _se_site_rows r JOIN {entity} s ON s.{key} = r.{key} "
            f"WHERE TRY_CAST(r.{when} AS TIMESTAMP) IS NOT NULL AND s.{when} IS NOT NULL")[0]
    finally:
        store.con.unregister("_se_site_rows")
    if not held or other * 2 <= held:
        return
    sites = ", ".join(sorted(store_sites(store)))
    theirs = f" ('{sites}')" if sites else ""
    raise OtherSiteError(
        f"This Stack Exchange file is of another site than the store's{theirs}: {other} of its "
        f"{plural(held, 'row whose id', 'rows whose ids')} the store already holds {'was' if other == 1 else 'were'} "
        f"created at other times. Two sites share ids (p1, u1 ...), so importing it would overwrite the other site's "
        f"rows; nothing was imported.",
        where=Location(file=label),
        hint="Import each site into its own store (open another store file); a newer dump of the same site keeps "
             "every row's creation time.",
        facts={"site": None, "store_site": sites or None, "rows_held": held, "rows_other": other})


def check_upload_site(store, paths: list[Path], names: dict | None = None, *, rows: int = 5_000) -> None:
    """Check the first ``rows`` rows of each uploaded Stack Exchange XML file with :func:`check_rows_site` before an
    import is queued (files that are no Stack Exchange XML are left to the import); ``names``: the names the files
    were uploaded under, for the error."""
    from reef.ingest.stackexchange import first_rows

    for path in paths:
        found = first_rows(store, Path(path), rows)
        if found is not None:
            check_rows_site(store, found[0], found[1], (names or {}).get(path, Path(path).name))
