"""Every ``Community`` read that takes ``as_of``, called as of T, gives the same result whether or not the store already
holds what happened after T (docs/analyses.md, *Point in time*): the read-time computations (crisis wave posts,
recognised status, team seats, the member timeline, seed plan, contest, kb ask / qa, plaza topics, alerts, care,
effects, the weekly risk report ...) as well as the stored results they read.

The two stores are those of test_as_of_isolation.py (tests/analyses/asof_stores.py, session fixture ``as_of_pair``),
copied here because some reads write (``alerts`` records what it listed, ``guide`` and ``risks`` write files). The
methods are found from ``Community``'s signatures: one taking ``as_of`` must have cases in ``_cases`` or a reason in
``EXCLUDED``. Tables are compared as columns and rows (and their ``as_of`` metadata), dicts recursively, floats to
1e-9 relative, with the warnings they raise; only what ``_IGNORED`` and ``_REPORT_NOW`` name is left out, each
with its reason. Costs about 15 s beyond the stores.
"""
from __future__ import annotations

import inspect
import re
import shutil
import tomllib
import warnings
from pathlib import Path

import pytest

import reef
from reef.actions.kinds import ACTION_KINDS
from reef.api import Community
from reef.model.schema import ENTITIES
from tests.analyses.asof_stores import same

BRIEF = Path(__file__).resolve().parents[2] / "docs" / "examples" / "team-brief.toml"

# Community methods taking as_of that are not compared here, and why.
EXCLUDED = {
    "analyze": "runs the analyses: every table they write is compared by test_as_of_isolation.py",
    "enrich": "fills the per-item text cache (content_features), compared by test_as_of_isolation.py",
}

# Keys (anywhere in a dict result) not compared, and why.
_IGNORED = {
    # team(): the wall-clock time the search took.
    "seconds",
}
# The weekly report's technical details of the analysis runs: each run's wall-clock finish time and rows written
# (text_features enriches every item of the store, a per-item cache: see test_as_of_isolation.py).
# The report's wall-clock parts: its runs' details and the generation stamp (two reports a second apart straddle a
# minute now and then: 生成时间 12:19 against 12:20 failed a CI run).
_REPORT_NOW = re.compile(r'<details class="tech" id="runs">.*?</details>|(生成时间|Generated)(：|: )[^<]*', re.S)


def _query(community: Community, sql: str, **params) -> list:
    return community.sql(sql, params or None).column(0).to_pylist()


def _cases(c: Community, t, out: Path) -> dict[str, list[tuple[tuple, dict]]]:
    """method -> its calls (positional, keyword), with ids taken from the cut store (what existed at T)."""
    members = _query(c, "SELECT DISTINCT member_id FROM operator_actions WHERE member_id IS NOT NULL ORDER BY 1")
    members += _query(c, "SELECT member_id FROM ladder_members ORDER BY rank LIMIT 3")
    members += _query(c, "SELECT member_id FROM members WHERE member_id IN (SELECT author_id FROM content) "
                         "ORDER BY member_id LIMIT 2")
    campaigns = _query(c, "SELECT campaign_id FROM campaigns ORDER BY 1")
    circles = _query(c, "SELECT circle_id FROM layers_circles ORDER BY 1 LIMIT 3")
    brief = tomllib.loads(BRIEF.read_text(encoding="utf-8"))
    brief["name"] = "上手指南"  # the team the stores' add_to_team actions seat members on
    return {
        "ladder": [((), {"top": 100}), ((), {"stage": 2, "top": 100, "lang": "en"})],
        "member": [((m,), {}) for m in dict.fromkeys(members)],
        "funnel": [((), {})],
        "recognise": [((), {"top": 100}), ((), {"days": 14, "top": 100})],
        "contest": [((camp,), {"top": 50}) for camp in campaigns],
        "campaigns": [((), {})],
        "connectors": [((), {"role": "all", "top": 100})],
        "ripple": [((), {"campaign": camp}) for camp in campaigns],
        "seed_plan": [((), {"k": 3, "runs": 50, "seed": 7})],
        "helpers": [((), {"top": 50})] + [((), {"member": m}) for m in members[:3]],
        "kb_qa": [((), {"top": 200}), ((), {"unanswered": True, "top": 200})],
        "kb_essence": [((), {"top": 100})],
        "kb_repeated": [((), {"top": 100, "min_asked": 1})],
        "kb_topics": [((), {"top": 100})],
        "kb_gaps": [((), {"top": 100})],
        "ask": [(("冬天续航掉多少",), {"top": 10}), (("车机卡顿怎么办",), {"top": 10, "answered": True})],
        "crisis": [((), {"days": 14}), ((), {"hours": 24, "days": 7})],
        "guide": [((), {"kind": kind, "out": out / kind, "fmt": "md"}) for kind in ("newbie", "chronicle")],
        "risks": [((), {"evidence": 5, "report": out / "risks.html"})],
        "alerts": [((), {"severity": "low", "top": 200}), ((), {"new": True, "severity": "low", "top": 200})],
        "groups": [((), {"top": 100})] + [((), {"circle": circle, "top": 100}) for circle in circles],
        "plaza": [((), {"top": 100, "topics": 20})],
        "council": [((), {})],
        "effect": [((), {"action": kind, "seed": 1}) for kind in ACTION_KINDS] + [((), {"ladder": False, "seed": 1})],
        "team": [((brief,), {"seed": 1})],
        "report": [((), {"out_dir": out / "report"})],
        "table": [((name,), {}) for name in ENTITIES],
    }


def _as_of_methods() -> list[str]:
    return sorted(n for n, f in inspect.getmembers(Community, inspect.isfunction)
                  if not n.startswith("_") and "as_of" in inspect.signature(f).parameters)


def _normal(value, out: Path):
    """A result as plain data: an Arrow table as its columns, rows and as_of; a written file as its text."""
    if hasattr(value, "schema") and hasattr(value, "to_pylist"):
        meta = value.schema.metadata or {}
        return {"columns": value.column_names, "rows": [_normal(r, out) for r in value.to_pylist()],
                "as_of": {k.decode(): v.decode() for k, v in meta.items() if k in (b"as_of", b"reef.as_of")}}
    if isinstance(value, dict):
        return {k: _normal(v, out) for k, v in value.items() if k not in _IGNORED}
    if isinstance(value, (list, tuple)):
        return [_normal(v, out) for v in value]
    if isinstance(value, Path) or (isinstance(value, str) and value.startswith(str(out))):
        path = Path(value)
        text = _REPORT_NOW.sub("", path.read_text(encoding="utf-8")) if path.is_file() else None
        return {"file": str(path.relative_to(out)), "text": text}
    return value


def _diff(a, b, where: str = "") -> str | None:
    """Where ``a`` and ``b`` first differ (floats to 1e-9 relative), or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{where}: keys {sorted(set(a) ^ set(b))} in one only"
        return next((d for k in a if (d := _diff(a[k], b[k], f"{where}.{k}"))), None)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items with the later data, {len(b)} without"
        return next((d for i, (x, y) in enumerate(zip(a, b)) if (d := _diff(x, y, f"{where}[{i}]"))), None)
    if isinstance(a, str) and isinstance(b, str) and a != b:
        at = next(i for i, (x, y) in enumerate(zip(a + "\0", b + "\0")) if x != y)
        return f"{where}: text differs at {at}:\n  with later data {a[max(0, at - 80):at + 80]!r}\n  without        {b[max(0, at - 80):at + 80]!r}"
    return None if same(a, b) else f"{where}:\n  with later data {a!r}\n  without        {b!r}"


def _call(community: Community, method: str, args: tuple, kwargs: dict, out: Path):
    with warnings.catch_warnings(record=True) as said:  # the warnings a read raises are compared with its result
        warnings.simplefilter("always")
        try:
            result = _normal(getattr(community, method)(*args, as_of=community.t, **kwargs), out)
        except reef.errors.ReefError as exc:  # a read refused on one store must be refused on the other alike
            result = {"error": type(exc).__name__, "message": str(exc)}
    return {"result": result, "warnings": [f"{w.category.__name__}: {w.message}" for w in said]}


@pytest.fixture(scope="module")
def reads(as_of_pair, tmp_path_factory):
    """(full, cut, t, calls): a Community on a copy of each store, and every method's calls."""
    full, cut, t = as_of_pair
    folder = tmp_path_factory.mktemp("asof-reads")
    handles = []
    for name, path in (("full", full), ("cut", cut)):
        (folder / name).mkdir()
        shutil.copy(path, folder / name / "reef.duckdb")
        c = reef.open(folder / name / "reef.duckdb")
        c.t, c.out = t, folder / name / "out"
        handles.append(c)
    return handles[0], handles[1], t, _cases(handles[1], t, Path("OUT"))


def test_every_read_taking_as_of_is_compared_or_excluded(reads):
    *_, calls = reads
    methods = _as_of_methods()
    assert "member" in methods and "crisis" in methods, methods
    missing = [m for m in methods if m not in calls and m not in EXCLUDED]
    assert not missing, f"Community reads taking as_of with no case in _cases and no reason in EXCLUDED: {missing}"
    assert not set(calls) & set(EXCLUDED), "a method is both compared and excluded"
    assert not [m for m in list(calls) + list(EXCLUDED) if m not in methods], "a case names no read taking as_of"


def _bind(value, out: Path):
    """The case's placeholder folder OUT made the handle's own output folder."""
    if isinstance(value, Path) and value.parts[:1] == ("OUT",):
        return out.joinpath(*value.parts[1:])
    return value


@pytest.mark.parametrize("method", sorted(set(_as_of_methods()) - set(EXCLUDED)))
def test_read_as_of_t_ignores_what_happened_after_t(reads, method):
    full, cut, t, calls = reads
    assert calls.get(method), f"no case for {method}"
    for args, kwargs in calls[method]:
        results = []
        for c in (full, cut):
            a = tuple(_bind(v, c.out) for v in args)
            kw = {k: _bind(v, c.out) for k, v in kwargs.items()}
            results.append(_call(c, method, a, kw, c.out))
        a, b = results
        assert a["result"] not in (None, {}, []), f"{method}{args}{kwargs} is empty: the comparison would prove nothing"
        diff = _diff(*results)
        assert diff is None, f"{method}{args}{kwargs} differs {diff}"
