"""Storage: one DuckDB file owned by :mod:`reef.store.connection`."""
from reef.store.connection import FAR_FUTURE, Store, close_all, open_store
from reef.store.asof import as_of_timestamp

__all__ = ["FAR_FUTURE", "Store", "close_all", "open_store", "as_of_timestamp"]
