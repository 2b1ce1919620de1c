"""No module of reef imports an underscore (private) name from a module of another top-level package of reef.

Top-level packages are ``reef.<first part>``: ``reef.kb.versions`` and ``reef.kb.crisis`` are one package,
``reef.config_checks`` and ``reef.actions.effect_data`` are two. A private name used across that line is an API
nobody promised to keep: give it a public name (in the module's ``__all__``) or use the public function. Imports
inside one package (a module split in two, ``reef.cli._common``) are that package's business and not checked.
"""
from __future__ import annotations

import ast
from pathlib import Path

REEF = Path(__file__).resolve().parents[1] / "reef"
# (importing module, imported module, name) pairs accepted on purpose, each with its reason. Empty: none is needed.
ALLOWED: set[tuple[str, str, str]] = set()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _top(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def cross_private_imports(source: str, module: str, is_package: bool = False) -> list[tuple[str, str, str]]:
    """(module, imported module, name) of each private name ``module`` takes from another top-level package:
    ``from reef.x import _name`` (also relative, and a name of a private module such as ``reef.x._y``) and
    ``mod._name`` on a module imported under a name."""
    here = module if is_package else module.rsplit(".", 1)[0]
    found, modules = [], {}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                src = ".".join(base + ([node.module] if node.module else []))
            else:
                src = node.module or ""
            if not src.startswith("reef.") or _top(src) == _top(module):
                continue
            for alias in node.names:
                if _private(alias.name) or any(_private(part) for part in src.split(".")):
                    found.append((module, src, alias.name))
                else:
                    modules[alias.asname or alias.name] = f"{src}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("reef.") and _top(alias.name) != _top(module):
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append((module, alias.name, alias.name.split(".")[-1]))
                    if alias.asname:
                        modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name) \
                and node.value.id in modules:
            found.append((module, modules[node.value.id], node.attr))
    return found


def test_the_check_finds_what_it_looks_for():
    src = ("from reef.text.pipeline import _model, analyze\nfrom reef.kb import versions\nfrom ..text import _x\n"
           "from reef.cli._common import emit\nfrom reef.kb.crisis import _NEG_SQL\nversions._MENTIONS_SQL\n")
    assert cross_private_imports(src, "reef.kb.chronicle") == [
        ("reef.kb.chronicle", "reef.text.pipeline", "_model"), ("reef.kb.chronicle", "reef.text", "_x"),
        ("reef.kb.chronicle", "reef.cli._common", "emit")]
    assert cross_private_imports("from reef.kb import versions\nversions._MENTIONS_SQL\n", "reef.layers.wording") == [
        ("reef.layers.wording", "reef.kb.versions", "_MENTIONS_SQL")]


def test_no_module_imports_a_private_name_from_another_package():
    found = []
    for path in sorted(REEF.rglob("*.py")):
        parts = list(path.relative_to(REEF.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if package else parts)
        found += cross_private_imports(path.read_text(encoding="utf-8"), module, package)
    assert [f for f in found if f not in ALLOWED] == []
    assert not ALLOWED - set(found), "an allowed pair no longer occurs: drop it from ALLOWED"
