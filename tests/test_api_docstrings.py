"""``help(c.ladder)`` in a notebook shows a runnable example: every public member of ``Community`` has a docstring
with one, and the examples of the Python API's modules run and hold on a simulated, analysed community (``c``), as
the docstrings say. Before, no method had an example and ``simulate`` and ``config`` had no docstring at all."""
from __future__ import annotations

import doctest
import importlib
import inspect
import shutil
import warnings

import pytest

import reef
from reef.store import close_all

# The modules whose examples use ``c`` (a Community) and ``reef``.
MODULES = ["reef", "reef.api", "reef.api_reads", "reef.api_ops", "reef.api_tables"]


def _public_members():
    for name, member in inspect.getmembers(reef.Community):
        if not name.startswith("_") and (callable(member) or isinstance(member, property)):
            yield name, member


def test_every_public_member_has_a_docstring_with_an_example():
    names = dict(_public_members())
    assert {"ladder", "kb_qa", "team", "table", "sql", "simulate", "config", "store", "close"} <= set(names)
    missing = [name for name, member in names.items() if ">>>" not in (inspect.getdoc(member) or "")]
    assert not missing, f"Community members without an example in their docstring: {missing}"


def test_dir_lists_no_helper_as_public():
    """What a notebook's ``c.<Tab>`` offers: the methods and ``path``; helpers start with ``_``."""
    c = reef.open(":memory:")
    public = {n for n in dir(c) if not n.startswith("_")}
    assert public == set(dict(_public_members())) | {"path"}
    assert "Community" in dir(reef)  # reef.<Tab> offers it though __getattr__ provides it lazily
    c.close()


@pytest.fixture(scope="module")
def c(store_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("api_docstrings") / "community.duckdb"
    shutil.copy(store_template, path)
    community = reef.open(path)
    yield community
    community.close()
    close_all()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run_on_a_community(name, c):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", reef.ReefWarning)
        result = doctest.testmod(importlib.import_module(name), extraglobs={"c": c, "reef": reef},
                                 optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
