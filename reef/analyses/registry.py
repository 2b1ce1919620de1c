"""The analysis registry: capabilities register analyses; ``run_analyses`` runs them in order.

An analysis is a function ``run(store, as_of, config) -> rows`` decorated with
:func:`register_analysis`. It reads only through the ``<entity>_at($as_of)`` macros and writes
the tables it declares in ``writes``. The runner sorts analyses by ``depends_on`` (graphlib),
runs each inside one ``store.transaction()`` (results appear whole or not at all) and records
every run in ``analysis_runs``. docs/analyses.md describes the contract.

Example:
    >>> @register_analysis("doc_example", "1", writes=("doc_example",), registry={})
    ... def run(store, as_of, config):
    ...     return 0
    >>> run.analysis.name
    'doc_example'
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from reef.errors import AnalysisError, InvalidParameterError, MissingDependencyError

__all__ = [
    "Analysis",
    "REGISTRY",
    "ANALYSIS_MODULES",
    "register_analysis",
    "report_section",
    "discover",
    "discovery_problems",
    "registered",
]

RunFn = Callable[..., int]

# Capabilities that register analyses. Each module is imported on first use; a capability not
# built yet (module absent) is silently ignored, one whose optional extra is missing is
# reported by :func:`discovery_problems`. Third-party packages can use the "reef.analyses"
# entry-point group instead of editing this list.
ANALYSIS_MODULES: tuple[str, ...] = (
    "reef.analyses.overview",
    "reef.text.enrich",
    "reef.text.report",
    "reef.ladder",
    "reef.network",
    "reef.kb",
    "reef.risks",
    "reef.layers",
)


@dataclass
class Analysis:
    """One registered analysis."""

    name: str
    version: str
    run: RunFn
    depends_on: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    title: dict[str, str] = field(default_factory=dict)
    description: str = ""  # English: the ``description`` given, else the first line of the function's docstring
    description_zh: str = ""  # the operator's words (reef analyses in Chinese); "" for a third party that gave none
    module: str = ""
    section: Callable[..., Any] | None = None  # report section builder, see report_section
    order: int = 100  # position of its report section
    # fresh(store, as_of) -> False when its tables were changed outside the runner (``reef enrich`` with another config)
    fresh: Callable[[Any, Any], bool] | None = None

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.name

    def description_in(self, lang: str) -> str:
        """The description in ``lang``: Chinese where the analysis gave it, else the English one."""
        return (self.description_zh if lang == "zh" else "") or self.description


REGISTRY: dict[str, Analysis] = {}
_PROBLEMS: dict[str, str] = {}
_DISCOVERED = False


def register_analysis(
    name: str,
    version: str,
    *,
    depends_on: tuple[str, ...] | list[str] = (),
    writes: tuple[str, ...] | list[str] = (),
    title: dict[str, str] | None = None,
    description: dict[str, str] | None = None,
    order: int = 100,
    registry: dict[str, Analysis] | None = None,
    fresh: Callable[[Any, Any], bool] | None = None,
) -> Callable[[RunFn], RunFn]:
    """Decorator: register ``run(store, as_of, config) -> int`` under ``name`` and ``version``.

    Bump ``version`` whenever the output changes meaning: the runner then recomputes it even
    on unchanged data. ``title`` is ``{"zh": ..., "en": ...}`` for reports; ``description`` is one sentence on what it
    computes, ``{"zh": ..., "en": ...}`` (``reef analyses``; the English defaults to the docstring's first line).
    """
    target = REGISTRY if registry is None else registry
    if not name or not name.replace("_", "").isalnum():
        raise InvalidParameterError("name", name, "a snake_case analysis name")

    def decorate(fn: RunFn) -> RunFn:
        existing = target.get(name)
        if existing is not None and existing.module != fn.__module__:
            raise AnalysisError(f"Analysis '{name}' is registered twice ({existing.module} and {fn.__module__}).")
        spec = Analysis(
            name=name, version=str(version), run=fn, depends_on=tuple(depends_on), writes=tuple(writes),
            title=dict(title or {}),
            description=(description or {}).get("en") or (fn.__doc__ or "").strip().split("\n")[0],
            description_zh=(description or {}).get("zh", ""),
            module=fn.__module__, order=order, fresh=fresh,
        )
        if existing is not None:
            spec.section = existing.section  # module re-imported: keep its section
        target[name] = spec
        fn.analysis = spec  # type: ignore[attr-defined]
        return fn

    return decorate


def report_section(name: str) -> Callable[[Callable], Callable]:
    """Decorator: ``fn(store, as_of, lang) -> reef.report.Section`` renders analysis ``name`` in reports.

    Analyses without one get a generic section (row counts and the first rows of each table).
    """

    def decorate(fn: Callable) -> Callable:
        if name not in REGISTRY:
            raise AnalysisError(f"report_section('{name}'): register the analysis before its section.")
        REGISTRY[name].section = fn
        return fn

    return decorate


def discover() -> dict[str, Analysis]:
    """Import every capability module once and return the registry."""
    global _DISCOVERED
    if _DISCOVERED:
        return REGISTRY
    _DISCOVERED = True
    for module in ANALYSIS_MODULES:
        _import(module)
    try:
        from importlib.metadata import entry_points

        for ep in entry_points(group="reef.analyses"):
            _import(ep.value.split(":")[0])
    except Exception as exc:  # a broken third-party plugin must not stop the core
        _PROBLEMS["entry points"] = f"skipped because the 'reef.analyses' entry points could not be read: {exc}"
    return REGISTRY


def _import(module: str) -> None:
    try:
        importlib.import_module(module)
    except MissingDependencyError as exc:
        _PROBLEMS[module] = f"skipped because {exc}"
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if module == missing or module.startswith(missing + ".") and missing.startswith("reef"):
            return  # capability not built yet
        _PROBLEMS[module] = (
            f"skipped because it needs the Python package '{missing}', which is not installed "
            f"(pip install 'reef[all]')."
        )


def discovery_problems() -> dict[str, str]:
    """Capability modules that could not be loaded, with a skipped-because message."""
    discover()
    return dict(_PROBLEMS)


def registered() -> list[Analysis]:
    """Every registered analysis, discovery included, by name."""
    return [REGISTRY[k] for k in sorted(discover())]
