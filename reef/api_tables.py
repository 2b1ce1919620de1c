"""``Community``'s table methods: the store's tables by name, masked as ``reef export`` masks them, as of a date or
with the as_of of the analysis run that wrote them, and SQL (for admins), as Arrow, Polars or pandas
(:func:`reef.api.convert`). The examples use ``c``, a Community on a simulated, analysed store.
"""
from __future__ import annotations

from typing import Any

from reef.errors import InvalidParameterError, NotFoundError
from reef.model.schema import entity_for_name
from reef.store import as_of_timestamp
from reef.store.asof import as_stood_sql

__all__ = ["TablesMixin", "SECRET_COLUMNS", "KEYED_URL_COLUMNS", "without_secrets"]


# Credentials, never returned by table() (not even with unmask=True: they are not personal data but keys): the
# dashboard's password hashes, session and CSRF tokens, API token hashes. sql() still reads them, for admins.
SECRET_COLUMNS = {"users": ("password_hash",), "sessions": ("session_hash", "csrf_token"), "api_tokens": ("token_hash",)}
# Robot webhook URLs keep their key in the query: table() shows them without it (reef.risks.deliveries.shown_url).
KEYED_URL_COLUMNS = {"risk_webhook_log": ("url",), "risk_alert_delivery": ("target",)}


def without_secrets(table, name: str):
    """An Arrow ``table`` (the store table ``name``) without its credential columns and with robot URLs cut to
    their address (a non-URL value, such as the target 'console', is kept).

    Example:
        >>> import pyarrow as pa
        >>> without_secrets(pa.table({"session_hash": ["x"], "username": ["ann"], "csrf_token": ["y"]}), "sessions").column_names
        ['username']
    """
    import pyarrow as pa

    from reef.risks.deliveries import shown_url

    drop = [c for c in SECRET_COLUMNS.get(name, ()) if c in table.column_names]
    if drop:
        table = table.drop_columns(drop)
    for column_name in KEYED_URL_COLUMNS.get(name, ()):
        if column_name in table.column_names:
            i = table.column_names.index(column_name)
            values = [shown_url(v) or v if isinstance(v, str) and "://" in v else v for v in table.column(i).to_pylist()]
            table = table.set_column(i, column_name, pa.array(values, table.column(i).type))
    return table


def _table_hint(name: str, known: list[str]) -> str:
    """The known table names, the closest to ``name`` first (``ladder`` -> ladder_members)."""
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5) or [t for t in known if name in t][:3]
    said = f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return f"{said}Known tables: {', '.join(known)}."


class TablesMixin:
    """Tables by name and SQL (``tables``, ``table``, ``result_as_of``, ``sql``), on ``self.store``."""

    def tables(self) -> list[str]:
        """Names of all tables: canonical entities, bookkeeping and analysis results.

        >>> [t for t in c.tables() if t in ("content", "ladder_members", "members")]
        ['content', 'ladder_members', 'members']
        """
        return [r[0] for r in self.store.fetch_all(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")]

    def table(self, name: str, as_of: Any = None, format: str = "arrow", unmask: bool = False):  # noqa: A002
        """A table by name (entity aliases work: ``posts`` -> content); ``as_of`` for canonical entities, as they stood
        then: the rows that existed, without the events recorded on them later (a departure, an edit, a deletion, an
        action done or cancelled later: :func:`reef.store.asof.as_stood_sql`).

        Personal data is masked as ``reef export`` masks it (contact fields whole, names and free text by their
        spans: :func:`reef.actions.privacy.mask_table`); ``unmask=True`` returns it as stored and is recorded in the
        audit log, like ``reef export --unmask`` (so it needs a writable handle). :meth:`sql` reads raw rows: for
        admins only. A result table carries the as_of it was computed at (see :meth:`result_as_of`).

        A name the store has a table of is that table, not an entity alias: ``users`` is the dashboard's accounts
        (read ``members`` for the community's members). Credentials are never returned, not even unmasked: ``users``
        comes without ``password_hash``, ``sessions`` without its session hash and CSRF token, ``api_tokens`` without
        the token hash (:data:`SECRET_COLUMNS`), and robot webhook URLs without their key.

        >>> import pandas as pd
        >>> posts = c.table("posts", as_of="2026-06-15", format="pandas")  # the content as it stood then
        >>> str(posts["created_at"].dtype), posts["created_at"].max() < pd.Timestamp("2026-06-15", tz="Asia/Shanghai")
        ('datetime64[us, Asia/Shanghai]', True)
        >>> c.table("ladder_members").schema.metadata[b"as_of"] == c.result_as_of("ladder_members").isoformat().encode()
        True
        """
        from reef.params import check_flag

        if not isinstance(name, str):
            raise InvalidParameterError("name", name, "the name of a table (tables() lists them)")
        unmask = check_flag("unmask", unmask)
        entity = entity_for_name(name)
        if entity is not None and name.strip().lower() != entity.name and name.strip().lower() in self.tables():
            entity, name = None, name.strip().lower()  # the store's own table (users) wins over an alias (of members)
        if as_of is not None and entity is None:
            raise InvalidParameterError("as_of", as_of, "no as_of: only canonical tables can be read as of a date",
                                        hint=f"'{name}' is not a canonical entity.")
        real = entity.name if entity is not None else name
        if as_of is None and real not in self.tables():
            raise NotFoundError(f"No table named '{name}'.", hint=_table_hint(name, self.tables()))
        if unmask and self.store.read_only:
            raise InvalidParameterError("unmask", True, "a writable handle: reading personal data unmasked is audited",
                                        hint="Open the store without read_only, or read the masked table.")
        from reef.actions.privacy import mask_table
        from reef.api import convert  # here, not at the top: reef.api imports this module

        if as_of is not None:
            ts = as_of_timestamp(as_of, self.config.get("general.timezone"))
            table = self.store.fetch_arrow(as_stood_sql(entity.name), {"ts": ts})  # later departures, edits ... undone
        else:
            table = self.store.fetch_arrow(f'SELECT * FROM "{real}"')
        if unmask:
            import getpass

            from reef.actions.log import audit

            audit(self.store, getpass.getuser(), "api", "table", real, {"unmask": True, "rows": table.num_rows}, "api")
        else:
            table = mask_table(table, real)
        table = without_secrets(table, real)
        moment = self.result_as_of(real) if entity is None else None
        if moment is None:
            return convert(table, format)
        # A result table describes the as_of of the run that wrote it: say which, and warn when it is not the data's end.
        from reef.analyses.provenance import ResultAsOfWarning, as_of_warning

        warning = as_of_warning(self.store, {real: moment}, str(self.config.get("general.language")))
        if warning:
            import warnings

            warnings.warn(warning, ResultAsOfWarning, stacklevel=3)  # past keywords_checked
        from reef.api_frames import with_as_of

        return with_as_of(table, moment.isoformat(), format)  # where and as the read methods put it

    def result_as_of(self, name: str):
        """The as_of of the analysis run that wrote the result table ``name`` (the moment it describes: a command run
        with ``--as-of`` rewrites the shared results at that moment), or None for a data table or a result not
        computed yet. :meth:`table` also puts it, as ISO text, in the Arrow schema's metadata (``as_of``) and a
        pandas DataFrame's ``attrs["as_of"]``, as the read methods do, and warns (ResultAsOfWarning, a ReefWarning)
        when it lies before the end of the data.

        >>> c.result_as_of("ladder_members").tzinfo is not None, c.result_as_of("members")
        (True, None)
        """
        from reef.analyses.provenance import result_as_of

        if not isinstance(name, str):
            raise InvalidParameterError("name", name, "the name of a table (tables() lists them)")
        return result_as_of(self.store, name)

    def sql(self, query: str, params: Any = None, format: str = "arrow"):  # noqa: A002
        """Run a query with bound parameters; the result as Arrow, Polars or pandas.

        A query DuckDB cannot run (a typo, an unknown table or parameter, a write on a read-only store) is an
        InvalidParameterError carrying DuckDB's message.

        >>> c.sql("SELECT count(*) AS n FROM members WHERE joined_at < $day", {"day": "2026-06-01"}).column_names
        ['n']
        """
        import duckdb

        from reef.api import convert

        if not isinstance(query, str) or not query.strip():
            raise InvalidParameterError("query", query, "SQL text (tables() lists the tables)")
        if params is not None and not isinstance(params, (dict, list, tuple)):
            raise InvalidParameterError("params", params, "a dict of $name values, or a list of ? values")
        try:
            return convert(self.store.fetch_arrow(query, params), format)
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise InvalidParameterError("query", query[:80], f"SQL DuckDB can run ({first[:200]})",
                                        hint="Community.tables() lists the tables; parameters are $name with a dict.") from None
