"""Which Stack Exchange site a store holds: one site per store, checked before an import stages anything.

Two sites' dumps use the same ids (``p1``, ``u1`` ...), so a second site imported into a store would overwrite the
first one's rows as "updates". A dump names no site inside its files, so the site is the dump folder's name
(``se-quantumcomputing``, ``quantumcomputing.stackexchange.com``), lower-cased, or for single files the name of the
folder they sit in. The first Stack Exchange import records it in the store's ``meta`` table (key ``se_site``, in
the import's transaction); a store written before that has its site read back from the paths in ``import_files``.
A file uploaded through the dashboard has no folder of its own: its site is unknown and not checked.

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

__all__ = ["site_name", "store_sites", "check_site", "META_KEY"]

META_KEY = "se_site"


def site_name(path: Path) -> str | None:
    """The site a dump folder, or a file of one, comes from: the folder's name, lower-cased (None at the root)."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
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


def check_site(session, path: Path) -> None:
    """Refuse ``path`` when it is another site than the store's (or than an earlier dump of the same import); else
    record its site in the store's ``meta`` (written with the import, so a failed import records nothing)."""
    if session.name_of(str(path)) != str(path):
        return  # an upload in a temporary folder: no site to tell
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
