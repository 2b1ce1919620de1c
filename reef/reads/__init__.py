"""The read commands as library functions: one per ``reef`` read command, called by the CLI and by the Python API.

Each function brings the analyses it reads up to date at ``as_of`` (free when they already are), calls the
capability's reader and returns a :class:`Read`: ``data`` (what ``--json`` prints and what ``Community`` returns),
the as-of coverage ``note`` (:func:`reef.store.coverage.coverage_warning`), the moment in the store's zone and the
language. Front doors only render: the CLI prints tables or JSON, ``Community`` returns dicts and frames and raises
the note as a :class:`reef.errors.ReefWarning`.

Example:
    >>> from reef.store import open_store
    >>> r = status(open_store(":memory:"))
    >>> r.data["tables"]["content"], r.note
    (0, None)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

__all__ = ["Read", "language", "prepare", "check_counts", "up_to_date", "run", "status", "quarantine", "actions", "merged_warning"]


@dataclass
class Read:
    """A read command's result: ``data`` as ``--json`` prints it, before the coverage ``note`` is merged in."""

    data: Any
    note: str | None = None
    as_of: datetime | None = None  # in the store's time zone, as the user gave it
    lang: str = "zh"
    noted_shape: bool = True  # False: the command prints data as it is, without a ``warning`` key (status, quarantine)

    def __post_init__(self) -> None:
        # Read results leave the store (a terminal, a notebook, a pasted --json): personal data masked as in exports,
        # one rule for every read (reef.actions.privacy.mask_result); the raw rows are Community.table(unmask=True).
        from reef.actions.privacy import mask_result

        self.data = mask_result(self.data)
        # Every dict-shaped read says which moment it describes (``as_of``, ISO in the store's zone), for the CLI's
        # --json and the Python API alike; a reader that words its own as_of (risks, groups, crisis, effect) keeps it.
        if self.noted_shape and isinstance(self.data, dict) and self.as_of is not None and "as_of" not in self.data:
            self.data["as_of"] = self.iso_as_of

    @property
    def iso_as_of(self) -> str | None:
        """``as_of`` as ISO 8601 with its offset (seconds), or None."""
        return self.as_of.isoformat(timespec="seconds") if self.as_of is not None else None

    @property
    def warning(self) -> str | None:
        """``data``'s own warning (a dict may carry one) and the coverage note, each once, one per line."""
        return merged_warning(self.data if isinstance(self.data, dict) else {}, self.note)

    def noted(self) -> Any:
        """``data`` with the warning under ``warning`` when it is a dict (null when there is none), as ``--json``."""
        if not self.noted_shape or not isinstance(self.data, dict):
            return self.data
        return {**self.data, "warning": self.warning}


def merged_warning(data: dict, note: str | None) -> str | None:
    """``data``'s own ``warning`` and ``note``, each once, one per line; None when neither."""
    return "\n".join(dict.fromkeys(w for w in (data.get("warning"), note) if w)) or None


def language(lang: str | None, config) -> str:
    """``lang``, else ``general.language`` of ``config``; anything but zh or en is an InvalidParameterError."""
    from reef.errors import InvalidParameterError
    from reef.i18n import LANGUAGES

    name, value = ("lang", lang) if lang is not None else ("general.language", config.get("general.language"))
    code = str(value or "zh").strip().lower()
    if code not in LANGUAGES:
        raise InvalidParameterError(name, value, " or ".join(LANGUAGES))
    return code


def local(store, moment: datetime) -> datetime:
    """``moment`` in the store's time zone (``general.timezone``)."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(str(store.config.get("general.timezone"))))


def run(store, *, as_of: Any = None, only: Iterable[str] | None = None, force: bool = False, on_progress=None,
        lang: str | None = None):
    """Run the analyses (:func:`reef.analyses.run_analyses`); the RunReport carries the store's zone and the coverage
    warning in ``lang`` (default ``general.language``), so its ``as_dict()`` is what ``reef analyze --json`` prints."""
    from reef.analyses import run_analyses
    from reef.store.coverage import coverage_warning

    code = language(lang, store.config)  # a bad language fails before any work
    if isinstance(only, str):  # one analysis, not the letters of its name
        only = [only]
    report = run_analyses(store, as_of=as_of, only=list(only) if only else None, force=force, on_progress=on_progress)
    report.zone = str(store.config.get("general.timezone"))
    report.warning = coverage_warning(store, report.as_of, store.config, code)
    return report


# Counts a read may take as 0 (a starting row, no topics, no evidence, a random seed); every other count is at least 1.
_ZERO_OK = {"offset", "topics", "evidence", "alternatives", "seed"}


def check_counts(counts: dict[str, Any]) -> None:
    """Each count (by name) None or a whole number, at least 1 (0 for ``offset``, ``topics``, ``evidence``,
    ``alternatives`` and a random ``seed``): what :func:`prepare` checks first, for a read that brings nothing up to
    date.

    >>> check_counts({"window": 0})
    Traceback (most recent call last):
    ...
    reef.errors.InvalidParameterError: Invalid value for 'window': 0. Expected a positive integer.
    """
    from reef.params import check_positive

    for name, value in counts.items():
        if value is not None:
            check_positive(name, value, minimum=0 if name in _ZERO_OK else 1)


def prepare(store, as_of: Any, only: Iterable[str], lang: str | None, *, subject: str = "community",
            counts: dict[str, Any] | None = None) -> tuple[datetime, str, str | None]:
    """Check ``lang`` and ``counts`` (``top``, ``offset``, ``k``, ``window``, ``alternatives`` ... by name:
    :func:`check_counts`), bring ``only`` up to date at ``as_of``; (moment in the store's zone,
    language, coverage note in the words of ``subject``, :func:`reef.store.coverage.coverage_warning`). The checks come
    first, so a bad ``top`` is said as such, before an analysis runs or a read-only store says it has no stored run."""
    from reef.store.coverage import coverage_warning

    check_counts(counts or {})
    code = language(lang, store.config)  # a bad language fails before any work
    moment = up_to_date(store, as_of, only)
    return local(store, moment), code, coverage_warning(store, moment, store.config, code, subject)


def up_to_date(store, as_of: Any, only: Iterable[str]) -> datetime:
    """Bring ``only`` up to date at ``as_of`` (free when a stored run already is); the moment (UTC). On a read-only
    store a run that is not stored cannot be made: that is said as such (this as_of has no stored run of those
    analyses, and how to get one), not as a refused write."""
    from reef.analyses import run_analyses
    from reef.errors import StoreError

    only = list(only)
    try:
        return run_analyses(store, as_of=as_of, only=only).as_of
    except StoreError as exc:
        if not getattr(store, "read_only", False) or "read-only" not in str(exc):
            raise
        from reef.analyses.runner import resolve_as_of

        at = local(store, resolve_as_of(store, as_of)).isoformat(timespec="minutes")
        from reef.store.coverage import analysis_as_of

        stored = [f"{n} as of {local(store, t).isoformat(timespec='minutes')}" for n in only
                  if (t := analysis_as_of(store, n)) is not None]
        day = "" if as_of is None else f" --as-of {as_of if isinstance(as_of, str) else at}"
        raise StoreError(f"as_of {at} has no stored analysis run of {', '.join(only)} (the store holds the latest run of "
                         f"each analysis only: {'; '.join(stored) or 'none yet'}; or the data changed since it ran), "
                         "and this handle is read-only, so it cannot run one.",
                         hint=f"Run `reef analyze{day}` on the store (or `Community.analyze(as_of=...)` on a writable "
                              "handle) first, or open the store without read_only.") from None


def status(store) -> Read:
    """``reef status``: counts, date range, imports, quarantine, last runs (:func:`reef.report.store_status`)."""
    from reef.report import store_status

    return Read(store_status(store), noted_shape=False)


def quarantine(store, *, limit: int = 50, reason: str | None = None) -> Read:
    """``reef quarantine``: quarantined rows with file:line and the stored English reason."""
    from reef.params import check_positive
    from reef.report import quarantine_rows

    return Read(quarantine_rows(store, limit=check_positive("limit", limit), reason=reason), noted_shape=False)


MAX_ACTIONS_PER_PAGE = 1000  # `reef action list --per-page` and Community.actions(per_page=)


def actions(store, *, member: str | None = None, kind: str | None = None, status: str | None = None,
            group: str | None = None, team: str | None = None, topic: str | None = None, since: Any = None,
            until: Any = None, page: int = 1, per_page: int = 50) -> Read:
    """``reef action list``: operator actions newest first, filtered and paged (:func:`reef.actions.list_actions`)."""
    from reef.actions import list_actions

    return Read(list_actions(store, member_id=member, kind=kind, status=status, group_id=group, team=team,
                             topic=topic, since=since, until=until, page=page, per_page=per_page, max_per_page=MAX_ACTIONS_PER_PAGE),
                noted_shape=False)
