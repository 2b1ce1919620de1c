"""reef.text.analyze on notebook inputs: Arrow nulls are missing texts; tables, dicts and nested items are refused."""
from __future__ import annotations

import pytest

from reef.errors import InvalidParameterError
from reef.text import analyze

pa = pytest.importorskip("pyarrow")


@pytest.mark.parametrize("make", [lambda: pa.array(["续航不错", None]), lambda: pa.chunked_array([["续航不错"], [None]]),
                                  lambda: list(pa.array(["续航不错", None]))])
def test_arrow_nulls_are_missing_not_the_text_none(make):
    table = analyze(make())
    assert table.column("original").to_pylist() == ["续航不错", ""]
    assert "missing" in table.column("flags").to_pylist()[1]


def test_tables_mappings_and_nested_items_are_refused():
    pd = pytest.importorskip("pandas")
    for bad in (pd.DataFrame({"text": ["续航不错"]}), pa.table({"text": ["续航不错"]}), {"续航不错": 1}):
        with pytest.raises(InvalidParameterError, match="not a table or a mapping") as err:
            analyze(bad)
        assert "df['text']" in str(err.value)
    with pytest.raises(InvalidParameterError, match=r"texts\[0\]"):
        analyze([["好"]])
    assert analyze(pd.DataFrame({"text": ["续航不错"]})["text"]).num_rows == 1  # the column itself is fine
