"""One Stack Exchange site per store for uploads too: a file uploaded through the dashboard has no folder naming its
site, so its rows tell (reef.ingest.stackexchange.site.check_rows_site): rows whose ids the store holds but whose
creation times differ are another site's, refused with OtherSiteError before anything is written (the import page's
error page in Chinese, 409 from the API, as `reef import` exits 4); the same site's file imports again."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from reef.errors import OtherSiteError
from reef.ingest import import_paths
from surface_fixtures import login
from tests.ingest.test_stackexchange_synthetic import write


def dump(folder: Path, who: str, year: int) -> Path:
    """A tiny dump whose ids (u1, p1, p2) are every dump's; its rows were created in ``year``."""
    folder.mkdir(parents=True)
    write(folder, "Users", "users", [f'<row Id="1" CreationDate="{year}-01-01T00:00:00.000" DisplayName="{who}" />'])
    write(folder, "Posts", "posts", [
        f'<row Id="1" PostTypeId="1" OwnerUserId="1" CreationDate="{year}-02-01T00:00:00.000" Title="{who} asks" '
        'Body="&lt;p&gt;q&lt;/p&gt;" Tags="|x|" />',
        f'<row Id="2" PostTypeId="2" ParentId="1" OwnerUserId="1" CreationDate="{year}-02-02T00:00:00.000" Body="{who} answers" />',
    ])
    return folder


def _as_upload(paths: list[Path]) -> dict[Path, str]:
    return {p: p.name for p in paths}  # the dashboard records an upload by its bare name: no folder, no site


def test_an_uploaded_file_of_another_site_is_refused(store, tmp_path):
    a, b = dump(tmp_path / "site-a", "Ann", 2015), dump(tmp_path / "site-b", "Bob", 2019)
    import_paths(store, [a])
    members = store.fetch_all("SELECT * EXCLUDE (import_id) FROM members")
    upload = [b / "Posts.xml"]
    with pytest.raises(OtherSiteError) as err:
        import_paths(store, upload, names=_as_upload(upload))
    assert err.value.code == "other_site" and err.value.http_status == 409 and err.value.exit_code == 4
    assert "'site-a'" in str(err.value) and "2 of its 2 rows" in str(err.value) and err.value.where.file == "Posts.xml"
    assert store.fetch_value("SELECT title FROM content WHERE content_id = 'p1'") == "Ann asks"
    assert store.fetch_all("SELECT * EXCLUDE (import_id) FROM members") == members
    # The same site's file, uploaded, imports again (duplicates); a file of ids the store does not hold passes too.
    same = [a / "Posts.xml"]
    again = import_paths(store, same, names=_as_upload(same))
    assert (again.imported, again.updated, again.duplicate) == (0, 0, 2)


def _upload(client, csrf: str, path: Path, *, api: bool):
    files = {"files": (path.name, io.BytesIO(path.read_bytes()), "application/xml")}
    if api:
        return client.post("/api/v1/jobs/import", headers={"X-CSRF-Token": csrf}, files=files)
    return client.post("/imports/upload", data={"csrf_token": csrf, "format": "auto"}, files=files,
                       headers={"Accept": "text/html"}, follow_redirects=False)


def test_the_dashboard_upload_gets_the_same_check(db_path, tmp_path):
    from reef.store import close_all, open_store
    from surface_fixtures import client_on

    a, b = dump(tmp_path / "site-a", "Ann", 2015), dump(tmp_path / "site-b", "Bob", 2019)
    store = open_store(db_path)
    import_paths(store, [a])  # the store holds site A
    close_all()
    with client_on(db_path) as client:
        csrf = login(client, "operator")
        api = _upload(client, csrf, b / "Posts.xml", api=True)
        assert api.status_code == 409 and api.json()["error"]["code"] == "other_site"
        assert api.json()["error"]["where"]["file"] == "Posts.xml"  # the name it was uploaded under, no temporary path
        page = _upload(client, csrf, b / "Users.xml", api=False)
        assert page.status_code == 409 and "上传的 Stack Exchange 文件来自另一个站点" in page.text
        assert "Ann" in client.get("/api/v1/members/u1").text and "Bob" not in client.get("/api/v1/members/u1").text
        same = _upload(client, csrf, a / "Posts.xml", api=True)  # the same site's file is queued and imported
        assert same.status_code == 202, same.text
        job = client.app.state.jobs.wait(same.json()["job_id"], timeout=300)
        assert job["status"] == "done" and job["result"]["duplicate"] == 2, str(job["error"])[-2000:]
