"""活动与涟漪 says what reef ripple says (QA finding 8): how many topic posters the seeds never reached, and why the
boost list is empty instead of an empty table."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from surface_fixtures import PASSWORD, client_on, post_login

pytest.importorskip("fastapi")

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_the_campaign_page_counts_the_unreached_and_says_why_nobody_is_boosted(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "network"))
    from test_ripple_consistency import _topic_store

    from reef.actions import add_user
    from reef.ingest import import_paths
    from reef.network.campaign import write_campaign_ripples
    from reef.store import open_store

    path = tmp_path / "reef.duckdb"
    store = open_store(path)
    _topic_store(store, tmp_path)
    (tmp_path / "campaigns.jsonl").write_text('{"campaign_id": "c1", "name": "露营季", "topic": "露营", '
                                              '"started_at": "2026-01-01T00:00:00+00:00", "seed_member_ids": ["s"]}\n',
                                              encoding="utf-8")
    import_paths(store, [tmp_path / "campaigns.jsonl"])
    write_campaign_ripples(store, datetime(2026, 1, 11, tzinfo=timezone.utc), store.config)
    add_user(store, "viewer", "viewer", password=PASSWORD)
    store.close()
    with client_on(path) as client:
        post_login(client, {"username": "viewer", "password": PASSWORD, "next": "/"})
        zh = client.get("/campaigns?campaign=c1").text
        assert "另有 1 位成员在话题上发过帖，但没有任何链接通向种子" in zh
        assert "助推名单为空：第 2-3 圈有 2 位参与者" in zh
        en = client.get("/campaigns?campaign=c1&lang=en").text
        assert "Another 1 member posted on the topic" in en and "The boost list is empty: ring 2-3 has 2 adopters" in en


def test_an_unknown_campaign_says_how_to_create_one_and_the_file_it_names_imports(tmp_path):
    """QA finding 7: recording a seed plan under campaign winter-2026 said only that no such campaign exists; campaigns
    come only from importing a campaigns file, and the message now says which file and where, in both languages."""
    from reef.ingest import import_paths
    from reef.server.pages import tr
    from reef.store import open_store

    zh, en = (tr("form.campaign_missing", lang, value="winter-2026") for lang in ("zh", "en"))
    assert zh.startswith("找不到活动ID为“winter-2026”的活动。") and "数据导入" in zh and "campaigns.csv" in zh
    assert "Imports page (/imports)" in en and "campaigns.csv" in en
    (tmp_path / "members.csv").write_text("member_id,joined_at\nm1,2026-01-01\n", encoding="utf-8")
    (tmp_path / "campaigns.csv").write_text("活动ID,活动名称,话题,开始时间,seed_member_ids\nwinter-2026,冬季续航,冬季续航,2026-06-01,m1\n",
                                            encoding="utf-8")
    store = open_store(tmp_path / "reef.duckdb")
    import_paths(store, [tmp_path / "members.csv", tmp_path / "campaigns.csv"])
    assert store.fetch_all("SELECT campaign_id, topic, seed_member_ids FROM campaigns") == [("winter-2026", "冬季续航", ["m1"])]
    store.close()
