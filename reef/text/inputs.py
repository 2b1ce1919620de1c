"""``reef.text.analyze``: the public entry point, which checks and flattens what a notebook passes.

It accepts a list, tuple or generator of texts, a pandas or Polars Series, a 1-D NumPy array, or a PyArrow
Array / ChunkedArray (converted with ``to_pylist``, so nulls are missing, not the text "None"), and refuses what
would silently analyse the wrong thing: one string (each character), a DataFrame or Arrow table (its column
names), a dict (its keys), or items that are themselves lists, tuples, dicts or sets (their ``repr``). Then it
calls :func:`reef.text.pipeline.analyze`, which computes the features (this module decides none of them, so changing
it does not change the features version). ``reef.text.mask_pii`` is :func:`mask_pii` here, for the same reason.

Example:
    >>> analyze(["续航很扎实", None]).column("flags").to_pylist()[1]
    ['missing', 'empty']
"""
from __future__ import annotations

from typing import Any

from reef.errors import InvalidParameterError

__all__ = ["analyze", "as_text_list", "file_text", "packaged_model", "mask_pii"]

_HINT = ("Pass one column of texts: a list of strings, a pandas/Polars Series (df['text'], not the DataFrame) "
         "or a PyArrow array.")
_TABLE_TYPES = ("DataFrame", "LazyFrame", "Table", "RecordBatch")


def _refuse(texts: Any, what: str) -> InvalidParameterError:
    shown = type(texts).__name__ if not isinstance(texts, (str, bytes, bytearray)) else texts[:40]
    return InvalidParameterError("texts", shown, what, hint=_HINT)


def as_text_list(texts: Any) -> list[Any]:
    """``texts`` as a list of items ``pipeline.analyze`` reads (str, bytes or a missing value), or
    :class:`InvalidParameterError` for input that is not one column of texts."""
    if isinstance(texts, (str, bytes, bytearray)):  # iterating it would analyse each character
        raise InvalidParameterError("texts", texts[:40], "a list of texts, not one string",
                                    hint="Pass a list: analyze([text]).")
    kind = type(texts).__name__
    if isinstance(texts, dict) or kind in _TABLE_TYPES:
        raise _refuse(texts, "one column of texts, not a table or a mapping (its column names or keys would be "
                             "analysed)")
    if getattr(texts, "ndim", 1) != 1:  # a 2-D NumPy array
        raise _refuse(texts, "one column of texts (a 1-D array)")
    if hasattr(texts, "to_pylist") and not isinstance(texts, list):  # pyarrow Array / ChunkedArray: nulls -> None
        items = texts.to_pylist()
    else:
        try:
            items = list(texts)
        except TypeError:
            raise _refuse(texts, "an iterable of texts") from None
    for i, item in enumerate(items):
        if hasattr(item, "as_py") and type(item).__module__.startswith("pyarrow"):  # list(arrow_array) scalars
            item = items[i] = item.as_py()
        if isinstance(item, (list, tuple, dict, set, frozenset)) or getattr(item, "ndim", 0):
            raise InvalidParameterError(f"texts[{i}]", item, "a text (str, bytes or None), not a "
                                        + type(item).__name__, hint=_HINT)
    return items


def file_text(value: Any) -> tuple[Any, str | None]:
    """A file record's text value as ``reef text analyze`` reads it, with its flag: a list of strings (paragraphs in a
    JSONL export) is joined with line breaks (``joined_list``; None items skipped); any other nested value (an object,
    a list holding a non-string) is no text: None, flagged ``not_text`` (the library refuses such items; a file keeps
    the row, empty, and reports it). Scalars are returned as they are.

    >>> file_text(["续航很扎实", "充电快"]), file_text({"k": "v"}), file_text("好")
    (('续航很扎实\\n充电快', 'joined_list'), (None, 'not_text'), ('好', None))
    """
    if isinstance(value, list) and all(v is None or isinstance(v, str) for v in value):
        return "\n".join(v for v in value if v is not None), "joined_list"
    if isinstance(value, (list, dict)):
        return None, "not_text"
    return value, None


def analyze(texts: Any, *, config: Any = None):
    """Analyse one column of texts (str, bytes or a missing value each); see :func:`reef.text.pipeline.analyze`."""
    from reef.text.pipeline import analyze as _analyze

    return _analyze(as_text_list(texts), config=config)


def packaged_model(name: str):
    """The packaged text model ``name`` (``ccf_aspects``, ``ccf_sentiment`` ...) exactly as :func:`analyze` uses it,
    loaded once per process (the pipeline's own cache), for a capability that reads posts as ``analyze`` would
    (:func:`reef.kb.version_mentions.clause_aspects`)."""
    from reef.text.pipeline import load_model  # the text layer's own loader; pipeline.py decides the features version

    return load_model(name)


def mask_pii(text: Any, spans: list[dict[str, Any]] | None = None, *, char: str | None = None) -> Any:
    """:func:`reef.text.pii.mask_pii` on a notebook's value: a missing one (None, pandas' NaN) is returned as it is,
    so ``df["body"].map(mask_pii)`` keeps a column's gaps (NaN raised AttributeError); a value that is no text is an
    InvalidParameterError naming ``text``.

    >>> mask_pii("电话13812345678"), mask_pii(float("nan")) != mask_pii(float("nan"))
    ('电话138****5678', True)
    """
    if not text or isinstance(text, float) and text != text:
        return text
    if not isinstance(text, str):
        raise InvalidParameterError("text", text, "a text")
    from reef.text.pii import mask_pii as mask

    return mask(text, spans, char=char)
