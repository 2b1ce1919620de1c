"""An HTTP user's error message and hint name the API's parameters, never Python syntax (``everything=True``,
``(None)``): the messages the library words for every front door carry no door's syntax; the hints are per door
(``with_api_hint`` / ``with_cli_hint``)."""
from __future__ import annotations

import pytest

from surface_fixtures import login
from test_front_door_hints import PY_CALL

pytest.importorskip("fastapi")

_PY_WORDS = ("=True", "=False", "(None)", ": None.")  # a value not given reads as missing, never as Python's None


def _python_in(text: str | None) -> bool:
    return bool(text) and (bool(PY_CALL.search(text)) or any(w in text for w in _PY_WORDS))


def test_dismiss_with_neither_or_both_names_no_python_syntax(client):
    h = {"X-CSRF-Token": login(client, "admin")}
    for body in ({"import_id": 1, "all": True}, {}):
        error = client.post("/api/v1/quarantine/dismiss", json=body, headers=h).json()["error"]
        assert error["code"] == "invalid_parameter", error
        assert not _python_in(error["message"]) and not _python_in(error["hint"]), error
        assert '"all": true' in error["hint"]


def test_a_blank_as_of_names_no_python_syntax(client):
    h = {"X-CSRF-Token": login(client, "admin")}
    r = client.post("/api/v1/jobs/analyze", json={"as_of": " "}, headers=h)
    error = r.json()["error"]
    assert r.status_code == 422 and error["code"] == "invalid_parameter", r.text
    assert not _python_in(error["hint"]) and error["hint"] == "Leave it out for the end of the data.", error


def test_the_notebook_and_the_command_line_keep_their_own_words():
    from reef.errors import InvalidParameterError
    from reef.ingest.dismiss import dismiss_quarantine
    from reef.store import open_store

    with pytest.raises(InvalidParameterError) as got:
        dismiss_quarantine(open_store(":memory:"))
    assert "everything=True" in got.value.hint and "--all" in got.value.cli_hint
    assert "everything=True" not in got.value.message and "一个导入ID或全部导入" in got.value.message_zh


def test_a_value_not_given_reads_as_missing_over_http(client):
    """A missing value (None) is said to be missing in the one invalid-value template, never shown as ``None``: the
    API's dismiss without an import, the dashboard's adopt button without members."""
    h = {"X-CSRF-Token": login(client, "admin")}
    error = client.post("/api/v1/quarantine/dismiss", json={}, headers=h).json()["error"]
    assert error["message"] == "Missing value for 'import_id'. Expected an import id or all imports (not both).", error
    page = client.post("/org/team/adopt", data={"team": "t", "csrf_token": h["X-CSRF-Token"]},
                       headers={"accept": "text/html", "X-CSRF-Token": h["X-CSRF-Token"]})
    assert page.status_code == 422 and "Missing value for &#39;member&#39;." in page.text, page.text[-800:]
    assert "None" not in page.text.split('id="error-page"')[1]


def test_a_value_not_given_reads_as_missing_in_both_languages():
    from reef.errors import InvalidParameterError

    exc = InvalidParameterError("member", None, "at least one member to add to the team")
    assert exc.text("en") == "Missing value for 'member'. Expected at least one member to add to the team."
    assert exc.text("zh").startswith("缺少 'member' 的值。应为") and "None" not in exc.text("zh")
    assert InvalidParameterError("top", 0, "a positive integer").text("en") == "Invalid value for 'top': 0. Expected a positive integer."


def test_a_required_parameter_left_out_says_it_is_required_not_the_validators_words(client):
    """A required query parameter or body field left out (the contest's ``campaign``, the seed plan record's JSON body)
    reads as missing with a sentence after "Expected", not pydantic's "Field required" pasted in ("Expected Field
    required."), in both languages."""
    from reef.errors import InvalidParameterError

    h = {"X-CSRF-Token": login(client, "admin")}
    r = client.get("/api/v1/contest", headers=h)
    error = r.json()["error"]
    assert r.status_code == 422 and error["where"]["field"] == "campaign", r.text
    assert error["message"] == "Missing value for 'campaign'. Expected a value (it is required).", error
    zh = InvalidParameterError("campaign", None, "a value (it is required)").text("zh")
    assert zh == "缺少 'campaign' 的值。应为一个值（必填）。", zh
