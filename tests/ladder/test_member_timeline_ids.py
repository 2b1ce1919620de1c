"""An id given as a number (a notebook's integer column) is the id's text for the documented library reads
(docs/ladder.md ``member_timeline``, docs/layers.md ``circle_detail``): not found by name, where DuckDB raised
``ConversionException: Could not convert string 'm068' to INT32``."""
from __future__ import annotations

import pytest

from reef.errors import InvalidParameterError, NotFoundError
from reef.store import close_all, open_store


def test_a_number_id_is_looked_up_as_text(db_path):
    from reef.ladder import member_timeline
    from reef.layers import circle_detail

    store = open_store(db_path)
    with pytest.raises(NotFoundError, match="'5'"):
        member_timeline(store, 5)
    with pytest.raises(NotFoundError, match="'5'"):
        circle_detail(store, 5)
    with pytest.raises(InvalidParameterError, match="'member_id'"):
        member_timeline(store, 5.5)
    close_all()
