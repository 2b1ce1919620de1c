"""The examples in the docstrings of every reef module run and hold, found by walking the package (a listed set of
modules let new modules' examples go stale unseen: reef.report.chart_text's and reef.layers.team's had). The Python
API's, which need a simulated community ``c``, run in tests/test_api_docstrings.py."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import reef

COMMUNITY_MODULES = {"reef", "reef.api", "reef.api_reads", "reef.api_ops", "reef.api_tables"}


def _modules_with_examples() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(reef.__path__, "reef.")]
    finder = doctest.DocTestFinder()
    out = []
    for name in sorted(names):
        if name in COMMUNITY_MODULES or name.endswith("__main__"):
            continue
        if any(t.examples for t in finder.find(importlib.import_module(name))):
            out.append(name)
    return out


MODULES = _modules_with_examples()


def test_the_walk_finds_the_modules_with_examples():
    """The discovery itself could fail silently (an import error skipping everything): it must find the known ones."""
    assert {"reef.errors", "reef.report.chart_text", "reef.layers.team", "reef.text.inputs"} <= set(MODULES)
    assert len(MODULES) > 150


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
