"""``mask_pii`` on a notebook's column: ``df["body"].map(mask_pii)`` keeps a missing value (None, pandas' NaN) as it
is, where NaN raised AttributeError; a value that is no text is refused by name."""
from __future__ import annotations

import math

import pytest

from reef.errors import InvalidParameterError
from reef.text import mask_pii


def test_missing_values_stay_missing_and_other_values_are_refused():
    pd = pytest.importorskip("pandas")
    masked = pd.Series(["电话13812345678", None]).map(mask_pii)  # pandas holds the None as NaN
    assert masked[0] == "电话138****5678" and math.isnan(masked[1])
    assert mask_pii(None) is None
    with pytest.raises(InvalidParameterError, match="'text'"):
        mask_pii(13812345678)
