"""The exception tree: one root, builtin parents, one JSON shape, locations in messages."""
import pytest

from reef import errors
from reef.errors import Location, ReefError


@pytest.mark.parametrize("name", [n for n in errors.__all__ if n not in ("Location", "ReefError")])
def test_every_leaf_is_a_reef_error_and_a_builtin(name):
    cls = getattr(errors, name)
    assert issubclass(cls, ReefError)
    builtin_parents = [b for b in cls.__mro__ if b.__module__ == "builtins" and b not in (object, BaseException, Exception)]
    assert builtin_parents, f"{name} should also subclass a fitting builtin"


def test_message_names_file_line_and_field_and_hint():
    exc = errors.UnreadableFileError("Not valid UTF-8.", where=Location(file="a.csv", line=7, field="body"), hint="Re-export as UTF-8.")
    assert str(exc) == "a.csv:7, field 'body': Not valid UTF-8. Re-export as UTF-8."
    assert exc.to_dict() == {"error": {"code": "unreadable_file", "message": "Not valid UTF-8.",
                                       "where": {"file": "a.csv", "line": 7, "field": "body"}, "hint": "Re-export as UTF-8."}}
    assert isinstance(exc, OSError) and exc.exit_code != 0


def test_not_found_message_is_not_quoted_like_keyerror():
    exc = errors.NotFoundError("Member 'm9' not found.")
    assert str(exc) == "Member 'm9' not found."


def test_invalid_parameter_uses_one_template():
    exc = errors.InvalidParameterError("top", -3, "a positive integer")
    assert str(exc) == "Invalid value for 'top': -3. Expected a positive integer."
    assert isinstance(exc, ValueError) and exc.http_status == 422
