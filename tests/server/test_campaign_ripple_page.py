"""活动与涟漪 says what reef ripple says (QA finding 8): how many topic posters the seeds never reached, and why the
boost list is empty instead of an empty table."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from surface_fixtures import PASSWORD, client_on

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
        client.post("/login", data={"username": "viewer", "password": PASSWORD, "next": "/"})
        zh = client.get("/campaigns?campaign=c1").text
        assert "另有 1 位成员在话题上发过帖，但没有任何链接通向种子" in zh
        assert "助推名单为空：第 2-3 圈有 2 位参与者" in zh
        en = client.get("/campaigns?campaign=c1&lang=en").text
        assert "Another 1 members posted on the topic" in en and "The boost list is empty: ring 2-3 has 2 adopters" in en
