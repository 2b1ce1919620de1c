"""An upload with no file chosen: a browser's form sends the ``files`` field as an empty string, not a file.

That used to answer pydantic's words ("Expected Value error, Expected UploadFile, received: <class 'str'>", field
``files.0``); it is now the same error as no ``files`` field at all — invalid_parameter, 422, naming ``files`` — on
the API (JSON) and on the 导入 page (the error page, in the page's language).
"""
from __future__ import annotations

import html

import pytest

from surface_fixtures import login

pytest.importorskip("fastapi")


def _post(client, path, csrf, data, accept):
    # a form field that is no file makes the request multipart, as a browser's upload form does
    return client.post(path, data={**data, "csrf_token": csrf}, files={"note": ("", b"")},
                       headers={"X-CSRF-Token": csrf, "accept": accept})


def test_the_api_answers_an_empty_files_field_as_a_missing_one(client):
    csrf = login(client, "operator")
    empty = _post(client, "/api/v1/jobs/import", csrf, {"files": ""}, "application/json")
    absent = _post(client, "/api/v1/jobs/import", csrf, {}, "application/json")
    assert empty.status_code == absent.status_code == 422
    assert empty.json() == absent.json()
    error = empty.json()["error"]
    assert error["code"] == "invalid_parameter" and error["where"]["field"] == "files"
    assert error["message"].startswith("Missing value for 'files'.")
    assert "UploadFile" not in empty.text and "class" not in empty.text


@pytest.mark.parametrize("lang, words", [("zh", "有问题的参数：files<"), ("en", "files<")])
def test_the_import_page_shows_the_missing_file_error_in_its_language(client, lang, words):
    csrf = login(client, "operator")
    empty = _post(client, f"/imports/upload?lang={lang}", csrf, {"files": ""}, "text/html")
    absent = _post(client, f"/imports/upload?lang={lang}", csrf, {}, "text/html")
    assert empty.status_code == absent.status_code == 422
    assert empty.text == absent.text
    page = html.unescape(empty.text)
    assert "Missing value for 'files'." in page and words in page
    assert "UploadFile" not in page and "files.0" not in page
