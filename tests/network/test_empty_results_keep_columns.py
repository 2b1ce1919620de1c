"""An empty result table keeps its columns: readers sort and select by them (the 助推名单 sheet, the 今日 panel)."""
from __future__ import annotations

from datetime import datetime, timezone


def test_an_empty_boost_list_has_every_column_of_a_full_one(db_path):
    from reef.network.campaign import BOOST_SCHEMA, write_campaign_ripples
    from reef.store import open_store

    store = open_store(db_path)
    full = [d[0] for d in store.execute("SELECT * FROM network_boost LIMIT 0").description]
    assert store.fetch_value("SELECT count(*) FROM network_boost") > 0 and full == BOOST_SCHEMA.names
    store.execute("DELETE FROM campaigns")  # no seeded campaign: nothing to boost
    write_campaign_ripples(store, datetime(2026, 7, 1, tzinfo=timezone.utc), store.config)
    assert store.fetch_value("SELECT count(*) FROM network_boost") == 0
    assert [d[0] for d in store.execute("SELECT * FROM network_boost LIMIT 0").description] == full
    store.fetch_all("SELECT * FROM network_boost ORDER BY campaign_id, engagement DESC")

