"""No module of reef imports an underscore (private) name from a module of another top-level package of reef.

Top-level packages are ``reef.<first part>``: ``reef.kb.versions`` and ``reef.kb.crisis`` are one package,
``reef.config_checks`` and ``reef.actions.effect_data`` are two. A private name used across that line is an API
nobody promised to keep: give it a public name (in the module's ``__all__``) or use the public function. Imports
inside one package (a module split in two, ``reef.cli._common``) are that package's business and not checked.

The scripts and benchmarks (``scripts/*.py``, ``benchmarks/*.py``: the validations behind docs/*-validation.md and the
timings) sit outside every package of reef, so every private reef name they take is checked.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REEF = ROOT / "reef"
OUTSIDE = ("scripts", "benchmarks")  # folders of scripts that use reef from outside
# (importing module, imported module, name) pairs accepted on purpose, each with its reason. Empty: none is needed.
ALLOWED: set[tuple[str, str, str]] = set()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _top(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


def cross_private_imports(source: str, module: str, is_package: bool = False) -> list[tuple[str, str, str]]:
    """(module, imported module, name) of each private name ``module`` takes from another top-level package:
    ``from reef.x import _name`` (also relative, and a name of a private module such as ``reef.x._y``) and
    ``mod._name`` on a module imported under a name (``reef.x.mod._name`` after ``import reef.x.mod``). A module
    outside reef (``scripts.x``) is in no package of reef: every private reef name it takes counts."""
    here = module if is_package else module.rsplit(".", 1)[0]
    inside = module.split(".")[0] == "reef"

    def other(src: str) -> bool:
        return (src == "reef" or src.startswith("reef.")) and not (inside and _top(src) == _top(module))

    found, modules = [], {}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                src = ".".join(base + ([node.module] if node.module else []))
            else:
                src = node.module or ""
            if not other(src):
                continue
            for alias in node.names:
                if _private(alias.name) or any(_private(part) for part in src.split(".")):
                    found.append((module, src, alias.name))
                else:
                    modules[alias.asname or alias.name] = f"{src}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("reef.") and other(alias.name):
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append((module, alias.name, alias.name.split(".")[-1]))
                    if alias.asname:
                        modules[alias.asname] = alias.name
                if alias.name.split(".")[0] == "reef" and not alias.asname:
                    modules.setdefault("reef", "reef")  # binds reef: reef.x.mod._name is read through it
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            chain = _dotted(node.value)
            if chain is None or chain.split(".")[0] not in modules:
                continue
            first, _, rest = chain.partition(".")
            src = modules[first] + (f".{rest}" if rest else "")
            if other(src) and src != "reef":
                found.append((module, src, node.attr))
    return found


def test_the_check_finds_what_it_looks_for():
    src = ("from reef.text.pipeline import _model, analyze\nfrom reef.kb import versions\nfrom ..text import _x\n"
           "from reef.cli._common import emit\nfrom reef.kb.crisis import _NEG_SQL\nversions._MENTIONS_SQL\n")
    assert cross_private_imports(src, "reef.kb.chronicle") == [
        ("reef.kb.chronicle", "reef.text.pipeline", "_model"), ("reef.kb.chronicle", "reef.text", "_x"),
        ("reef.kb.chronicle", "reef.cli._common", "emit")]
    assert cross_private_imports("from reef.kb import versions\nversions._MENTIONS_SQL\n", "reef.layers.wording") == [
        ("reef.layers.wording", "reef.kb.versions", "_MENTIONS_SQL")]
    # Through ``import reef.x.y`` and ``from reef import x``; the own package still passes.
    src = ("import reef.kb.versions\nfrom reef import text as T\nreef.kb.versions._MENTIONS_SQL\nT.claims._RULES\n"
           "reef.layers.wording._x\n")
    assert cross_private_imports(src, "reef.layers.wording") == [
        ("reef.layers.wording", "reef.kb.versions", "_MENTIONS_SQL"), ("reef.layers.wording", "reef.text.claims", "_RULES")]
    # A script is in no package of reef: a private name of any of them counts.
    src = ("from reef.text.evaluate import _claim_key, prf\nfrom reef.risks import heat\nimport reef.risks.entropy as E\n"
           "heat._circle_cusum\nE._naming_counts\nfrom reef.text.evaluate import read_jsonl as _rows\n")
    assert cross_private_imports(src, "scripts.risks") == [
        ("scripts.risks", "reef.text.evaluate", "_claim_key"), ("scripts.risks", "reef.risks.heat", "_circle_cusum"),
        ("scripts.risks", "reef.risks.entropy", "_naming_counts")]


def test_no_module_imports_a_private_name_from_another_package():
    found = []
    for path in sorted(REEF.rglob("*.py")):
        parts = list(path.relative_to(REEF.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if package else parts)
        found += cross_private_imports(path.read_text(encoding="utf-8"), module, package)
    assert [f for f in found if f not in ALLOWED] == []
    stale = {a for a in ALLOWED if a[0].split(".")[0] == "reef"} - set(found)
    assert not stale, f"allowed pairs that no longer occur, drop them from ALLOWED: {sorted(stale)}"


def test_no_script_or_benchmark_uses_a_private_reef_name():
    """The validation scripts and benchmarks call reef as its users do: through names it keeps (``__all__``)."""
    found = []
    for folder in OUTSIDE:
        for path in sorted((ROOT / folder).glob("*.py")):
            found += cross_private_imports(path.read_text(encoding="utf-8"), f"{folder}.{path.stem}")
    assert [f for f in found if f not in ALLOWED] == []
    stale = {a for a in ALLOWED if a[0].split(".")[0] in OUTSIDE} - set(found)
    assert not stale, f"allowed pairs that no longer occur, drop them from ALLOWED: {sorted(stale)}"
