"""Storage: one DuckDB file owned by :mod:`reef.store.connection`."""
from reef.store.connection import FAR_FUTURE, Store, close_all, open_store
from reef.store.asof import as_of_timestamp
from reef.store.coverage import coverage_warning, results_warning

__all__ = ["FAR_FUTURE", "Store", "close_all", "open_store", "as_of_timestamp", "coverage_warning", "results_warning"]
