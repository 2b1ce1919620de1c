"""An interest-group run without any circle keeps the health columns readers select."""
from __future__ import annotations

from datetime import datetime, timezone


def test_circles_without_any_circle_keep_their_health_columns(db_path):
    from reef.layers.common import layer_params
    from reef.layers.health import HEALTH_SCHEMA, add_health
    from reef.store import open_store

    store = open_store(db_path)
    full = {d[0] for d in store.execute("SELECT * FROM layers_circles LIMIT 0").description}
    assert set(HEALTH_SCHEMA.names) <= full  # the schema names what a run with circles adds
    store.execute("CREATE OR REPLACE TABLE layers_circles AS SELECT * EXCLUDE (" +
                  ", ".join(n for n in HEALTH_SCHEMA.names if n != "circle_id") + ") FROM layers_circles WHERE false")
    add_health(store, datetime(2026, 7, 1, tzinfo=timezone.utc), layer_params(store.config))
    assert {d[0] for d in store.execute("SELECT * FROM layers_circles LIMIT 0").description} == full
