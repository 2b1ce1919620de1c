"""Heavy third-party modules imported on first use, so that importing an analysis module costs nothing.

Every command discovers every analysis module (:func:`reef.analyses.registry.discover`); a module that
imported scipy, pandas or scikit-learn at its top made every command, even ``reef status``, pay for them
(scipy.stats alone took about half of the CLI's start-up). Such a module binds a stand-in instead::

    from reef.lazy import lazy_module
    sparse = lazy_module("scipy.sparse")

and ``sparse.csr_matrix`` imports scipy.sparse the first time it is read (then the attribute is kept on the
stand-in, so later reads cost a dict lookup). Annotations are not evaluated (``from __future__ import
annotations``), so ``x: sparse.csr_matrix`` imports nothing. ``tests/test_startup_imports.py`` checks that
importing the CLI and running discovery imports none of them.

Example:
    >>> import sys
    >>> json_mod = lazy_module("json")
    >>> json_mod.dumps([1])
    '[1]'
    >>> json_mod.__name__
    'json'
"""
from __future__ import annotations

import importlib
import importlib.util
import types

__all__ = ["lazy_module"]


class _LazyModule(types.ModuleType):
    """A module object whose attributes come from the real module, imported on the first read."""

    def __getattr__(self, attr: str):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)  # copy, pickle and doctest probe dunders: do not import for them
        value = getattr(importlib.import_module(self.__name__), attr)
        setattr(self, attr, value)
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self.__name__!r}>"


def lazy_module(name: str) -> types.ModuleType:
    """A stand-in for the module ``name`` that imports it when one of its attributes is first read.

    Whether the package is installed is checked now, without importing it (``find_spec`` of the top-level
    package only): a missing one raises ``ModuleNotFoundError`` at once, as the plain import did, so
    discovery still reports the capability as skipped for want of its extra.
    """
    top = name.partition(".")[0]
    if importlib.util.find_spec(top) is None:
        raise ModuleNotFoundError(f"No module named '{top}'", name=top)
    return _LazyModule(name)
