"""The examples in the reef.kb docstrings run and hold (they document the behaviour)."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["answer_rank", "chronicle", "clusters", "crisis", "document", "essence", "evaluation", "gaps", "guide", "hybrid",
           "index", "params", "search", "semantic", "versions", "wave", "asking", "version_mentions"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"reef.kb.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and (result.attempted > 0 or name in ("params",))
