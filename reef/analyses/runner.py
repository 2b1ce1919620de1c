"""Run registered analyses in dependency order, incrementally, recording every run.

Incrementality: an analysis is skipped when its most recent successful run has the same
``version``, the same ``as_of``, the same data watermark and the same configuration digest,
and none of its dependencies was recomputed in this call. The **watermark** is a 63-bit digest
of the highest ``import_id``, the row count of every canonical table and the number of operator actions
done and cancelled: any import that adds, updates or quarantines rows, a writer that bypasses imports and
changes a count, or an action marked done or cancelled moves it.
Only the latest result of each analysis is kept, so a run at another ``as_of`` replaces it.

With no ``as_of`` an analysis runs as of the *end of the data*: one second after the latest
timestamp in members, content and interactions, so re-runs on unchanged data are skipped and a
past export reads as it was on its last day.

Example:
    >>> from reef.store import open_store
    >>> [r.status for r in run_analyses(open_store(":memory:"), only=["activity_daily"]).results]
    ['ok']
"""
from __future__ import annotations

import graphlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from reef.analyses.registry import Analysis, discover, discovery_problems
from reef.errors import AnalysisError, InvalidParameterError, ReefError, with_cli_hint
from reef.i18n import plural
from reef.model.schema import ENTITIES
from reef.store import as_of_timestamp
from reef.store.connection import Store

__all__ = ["RunResult", "RunReport", "run_analyses", "watermark", "resolve_as_of", "data_end"]

Progress = Callable[[str, int, int], None]


@dataclass
class RunResult:
    name: str
    version: str
    status: str  # ok, skipped (up to date), failed, blocked (a dependency failed)
    rows: int = 0
    seconds: float = 0.0
    message: str = ""


@dataclass
class RunReport:
    as_of: datetime
    watermark: int
    results: list[RunResult] = field(default_factory=list)
    zone: str | None = None  # the store's time zone: as_dict() gives as_of in it (reef.reads.run sets it)
    warning: str | None = None  # the as-of coverage warning (reef.reads.run sets it)

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results if r.status in ("failed", "blocked")]

    def as_dict(self) -> dict[str, Any]:
        """as_of (in ``zone`` when set), watermark, results and, when ``zone`` is set, the coverage ``warning``:
        what ``reef analyze --json`` prints."""
        if self.zone is None:
            return {"as_of": self.as_of.isoformat(), "watermark": self.watermark, "results": [asdict(r) for r in self.results]}
        from zoneinfo import ZoneInfo

        return {"as_of": self.as_of.astimezone(ZoneInfo(self.zone)).isoformat(), "watermark": self.watermark,
                "results": [asdict(r) for r in self.results], "warning": self.warning}


def watermark(store: Store) -> tuple[int, dict[str, int]]:
    """The data watermark (see module docstring) and the figures it digests."""
    # The latest import that changed something: an import of rows all stored already (cron re-running yesterday's
    # export) writes its `imports` row and nothing else, and must not make every result stale. Quarantined rows count
    # as a change (a re-import settles its file's records); a row without counts (never written so) counts too.
    parts = {"max_import_id": int(store.fetch_value(
        "SELECT coalesce(max(import_id) FILTER (WHERE coalesce(imported, 1) + coalesce(updated, 1) + coalesce(quarantined, 1) > 0), 0) "
        "FROM imports"))}
    for name in ENTITIES:
        parts[name] = int(store.fetch_value(f'SELECT count(*) FROM "{name}"'))
    parts["quarantine"] = int(store.fetch_value("SELECT count(*) FROM quarantine"))
    # Marking an action done or cancelled changes no count, yet a cancelled response no longer resolves a complaint:
    # statuses only move from open to a final one, so the count per status changes with every such edit.
    done, cancelled = store.fetch_all("SELECT count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status = 'cancelled') "
                                      "FROM operator_actions")[0]
    parts["operator_actions_done"], parts["operator_actions_cancelled"] = int(done), int(cancelled)
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1, parts


def data_end(store: Store) -> datetime | None:
    """One second after the latest member, content or interaction timestamp; None when empty."""
    latest = store.fetch_value(
        "SELECT max(t) FROM (SELECT max(joined_at) AS t FROM members UNION ALL "
        "SELECT max(created_at) FROM content UNION ALL SELECT max(created_at) FROM interactions)"
    )
    return None if latest is None else latest + timedelta(seconds=1)


def resolve_as_of(store: Store, as_of: Any) -> datetime:
    """The concrete moment analyses run at: the given one, else the end of the data, else now."""
    zone = store.config.get("general.timezone")
    parsed = as_of_timestamp(as_of, zone)
    end = data_end(store)
    if parsed is None:
        parsed = end or datetime.now(timezone.utc).replace(microsecond=0)
    elif end is not None:
        _check_past_data(store, as_of, parsed, end, zone)
    return parsed.astimezone(timezone.utc)


def _check_past_data(store: Store, given: Any, parsed: datetime, end: datetime, zone: str) -> None:
    """Refuse an as-of far beyond the data: the hourly crisis series and the daily series would run through every
    empty hour and day up to it (an as-of in year 2999 needed tens of GB)."""
    from zoneinfo import ZoneInfo

    from reef.errors_zh import value_words

    limit = int(store.config.get("general.as_of_max_days_past_data") or 366)
    if parsed - end <= timedelta(days=limit):
        return
    last = (end - timedelta(seconds=1)).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    exc = InvalidParameterError(
        "as_of", given, f"a moment at most {plural(limit, 'day')} after the data's last event ({last})",
        hint="Import newer data first, or raise general.as_of_max_days_past_data.",
        hint_zh="请先导入更新的数据，或调大 general.as_of_max_days_past_data。")
    exc.message_zh = f"'as_of' 的值无效：{value_words(given, 'zh')}。应为数据最后一条记录（{last}）之后 {limit} 天以内的时刻。"
    raise exc


# Settings no analysis reads (importing, simulating, report paths, DuckDB resources, the web server): changing them
# must not make every result stale. The overview analysis reads three [server] keys, which do count.
_NOT_ANALYSIS_SECTIONS = ("store", "ingest", "simulate", "report")
_ANALYSIS_SERVER_KEYS = ("recognise_top", "recognise_days", "profile_contributions")


def _config_digest(store: Store) -> str:
    settings = {k: v for k, v in store.config.as_dict().items() if k not in _NOT_ANALYSIS_SECTIONS}
    settings["server"] = {k: v for k, v in settings.get("server", {}).items() if k in _ANALYSIS_SERVER_KEYS}
    # where and how alerts are delivered decides no result
    settings["risks"] = {k: v for k, v in settings.get("risks", {}).items() if not k.startswith("webhook_")}
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _unavailable(registry: dict[str, Analysis]) -> dict[str, str]:
    """Analyses that cannot run because something they depend on did not load, with the reason.

    A capability whose optional extra is missing never registers; its dependants are skipped and
    say why rather than failing the whole run. An unknown dependency with nothing that failed to
    load is a programming error.
    """
    problems = discovery_problems()
    missing: dict[str, str] = {}
    for spec in registry.values():
        for dep in spec.depends_on:
            if dep not in registry:
                if not problems:
                    raise AnalysisError(f"Analysis '{spec.name}' depends on '{dep}', which is not registered.")
                missing[spec.name] = (f"needs '{dep}', which did not load (an optional extra is missing: "
                                      f"pip install 'reef[all]'; `reef analyses` lists what is missing)")
    changed = True
    while changed:  # dependants of an unavailable analysis are unavailable too
        changed = False
        for spec in registry.values():
            if spec.name not in missing:
                dep = next((d for d in spec.depends_on if d in missing), None)
                if dep is not None:
                    missing[spec.name] = f"needs '{dep}', which is unavailable"
                    changed = True
    return missing


def _order(registry: dict[str, Analysis], only: Iterable[str] | None) -> list[str]:
    try:
        order = list(graphlib.TopologicalSorter({n: set(s.depends_on) for n, s in registry.items()}).static_order())
    except graphlib.CycleError as exc:
        raise AnalysisError(f"Analyses depend on each other in a cycle: {' -> '.join(exc.args[1])}.") from None
    if not only:
        return order
    wanted = set(only)
    unknown = sorted(wanted - set(registry))
    if unknown:
        raise InvalidParameterError("only", ", ".join(unknown), "one of " + ", ".join(sorted(registry)))
    # Dependencies of what was asked for run (or are found up to date) first.
    stack = list(wanted)
    while stack:
        for dep in registry[stack.pop()].depends_on:
            if dep not in wanted:
                wanted.add(dep)
                stack.append(dep)
    return [n for n in order if n in wanted]


def _last_ok(store: Store, name: str) -> dict[str, Any] | None:
    rows = store.fetch_dicts(
        "SELECT version, as_of, watermark, params FROM analysis_runs WHERE name = ? AND status IN ('ok', 'skipped') "
        "ORDER BY finished_at DESC LIMIT 1", [name])
    return rows[0] if rows else None


def _record(store: Store, spec: Analysis, as_of: datetime, mark: int, params: dict, started: datetime, result: RunResult) -> None:
    with store.transaction():
        store.execute(
            "INSERT INTO analysis_runs VALUES (?, ?, ?, ?, ?, ?, now(), ?, ?, ?)",
            [spec.name, spec.version, as_of, mark, json.dumps({**params, "seconds": round(result.seconds, 3)}),
             started, result.status, result.rows, result.message or None],
        )


def run_analyses(
    store: Store,
    as_of: Any = None,
    only: Iterable[str] | None = None,
    force: bool = False,
    on_progress: Progress | None = None,
    *,
    registry: dict[str, Analysis] | None = None,
    raise_on_error: bool = True,
) -> RunReport:
    """Run registered analyses (all, or ``only`` these plus their dependencies) as of ``as_of``.

    Raises :class:`AnalysisError` after the run when any analysis failed; the error carries the
    :class:`RunReport` as ``.report``. Dependants of a failed analysis are recorded as blocked.
    """
    registry = discover() if registry is None else registry
    unavailable = _unavailable(registry)
    if only and set(only) & set(unavailable):
        name = sorted(set(only) & set(unavailable))[0]
        raise AnalysisError(f"Analysis '{name}' cannot run: {unavailable[name]}.")
    names = _order({n: s for n, s in registry.items() if n not in unavailable}, only)
    moment = resolve_as_of(store, as_of)
    mark, parts = watermark(store)
    params = {"watermark_parts": parts, "config": _config_digest(store)}
    report = RunReport(as_of=moment, watermark=mark)
    if not only:
        report.results += [RunResult(n, registry[n].version, "unavailable", message=why) for n, why in sorted(unavailable.items())]
    recomputed: set[str] = set()
    broken: set[str] = set()
    for i, name in enumerate(names):
        spec = registry[name]
        if on_progress:
            on_progress(name, i, len(names))
        started = datetime.now(timezone.utc)
        bad_deps = [d for d in spec.depends_on if d in broken]
        if bad_deps:
            result = RunResult(name, spec.version, "blocked", message=f"not run: dependency {', '.join(bad_deps)} failed")
            broken.add(name)
        elif not force and not recomputed.intersection(spec.depends_on) and _up_to_date(store, spec, moment, mark, params):
            result = RunResult(name, spec.version, "skipped", message="up to date")
        else:
            result = _run_one(store, spec, moment)
            if result.status == "ok":
                recomputed.add(name)
            else:
                broken.add(name)
        if result.status != "skipped":
            _record(store, spec, moment, mark, params, started, result)
        report.results.append(result)
    if on_progress:
        on_progress("done", len(names), len(names))
    if report.failed and raise_on_error:
        first = next(r for r in report.results if r.status == "failed")
        err = AnalysisError(
            f"{plural(sum(r.status == 'failed' for r in report.results), 'analysis', 'analyses')} failed "
            f"(first: {first.name}: {first.message}); "
            f"{plural(sum(r.status == 'blocked' for r in report.results), 'dependant')} not run.",
            hint="The recorded runs are in status() (table analysis_runs).")
        with_cli_hint(err, "See `reef status` for the recorded runs.")
        err.report = report  # type: ignore[attr-defined]
        raise err
    return report


def _up_to_date(store: Store, spec: Analysis, moment: datetime, mark: int, params: dict) -> bool:
    last = _last_ok(store, spec.name)
    if last is None or last["version"] != spec.version or last["watermark"] != mark:
        return False
    if last["as_of"] is None or last["as_of"].astimezone(timezone.utc) != moment:
        return False
    recorded = json.loads(last["params"]) if isinstance(last["params"], str) else (last["params"] or {})
    if recorded.get("config") != params["config"]:
        return False
    if not all(store.table_exists(t) for t in spec.writes):
        return False
    return spec.fresh is None or bool(spec.fresh(store, moment))


def _run_one(store: Store, spec: Analysis, moment: datetime) -> RunResult:
    t0 = time.perf_counter()
    try:
        with store.transaction():
            rows = spec.run(store, moment, store.config)
        return RunResult(spec.name, spec.version, "ok", int(rows or 0), round(time.perf_counter() - t0, 3))
    except Exception as exc:  # recorded and reported; the run goes on with independent analyses
        text = str(exc) if isinstance(exc, ReefError) else f"{type(exc).__name__}: {exc}"
        return RunResult(spec.name, spec.version, "failed", 0, round(time.perf_counter() - t0, 3), (text.splitlines() or [""])[0][:500])
