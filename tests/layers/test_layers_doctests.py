"""The examples in the docstrings of the layers modules run (groups, plaza, council, the CLI and the team builder)."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["reef.layers", "reef.layers.analyses", "reef.layers.api", "reef.layers.circles", "reef.layers.common", "reef.layers.council",
           "reef.layers.groups", "reef.layers.health", "reef.layers.leaders", "reef.layers.plaza", "reef.layers.report",
           "reef.layers.surfaces", "reef.layers.terms", "reef.cli.layers", "reef.layers.team_form", "reef.layers.team_builder",
           "reef.layers.standing", "reef.layers.team_pool", "reef.layers.team_seats"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
