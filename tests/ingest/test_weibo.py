"""Weibo CED reader: a sample of real cascades imports whole, and ripple rings equal the true tree depths."""
from __future__ import annotations

import csv
import gzip
from datetime import datetime, timezone

import pytest

from reef.ingest import detect_format, import_paths
from tests.conftest import load_script, shared_data

pytestmark = pytest.mark.realdata


def _validator():
    return load_script("validate_network")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Every 40th event (string-time events included) with all its reposts, as a CED folder."""
    src = shared_data("weibo-ced")
    out = tmp_path_factory.mktemp("wb")
    with gzip.open(src / "events.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keep = [r for i, r in enumerate(rows) if i % 40 == 0 or not r["time_unix"].isdigit()][:150]
    ids = {r["event_id"] for r in keep}
    with gzip.open(out / "events.csv.gz", "wt", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(keep)
    with gzip.open(src / "reposts.csv.gz", "rt", encoding="utf-8", newline="") as fin, \
            gzip.open(out / "reposts.csv.gz", "wt", encoding="utf-8", newline="") as fout:
        reader = csv.DictReader(fin)
        w = csv.DictWriter(fout, fieldnames=reader.fieldnames)
        w.writeheader()
        w.writerows(r for r in reader if r["event_id"] in ids)
    return out, ids


def test_folder_is_detected_and_trees_import_whole(store, sample):
    folder, ids = sample
    assert detect_format(folder) == "weibo"
    s = import_paths(store, [folder])
    assert s.imported > 1000
    assert store.fetch_value("SELECT count(*) FROM content WHERE kind = 'thread'") == len(ids)
    # every reply hangs in its event's tree and is no earlier than its parent
    assert store.fetch_value("""SELECT count(*) FROM content c JOIN content p ON p.content_id = c.parent_id
                                WHERE c.created_at < p.created_at OR c.thread_id <> coalesce(p.thread_id, p.content_id)""") == 0
    assert store.fetch_value("SELECT count(*) FROM content WHERE kind = 'reply' AND parent_id IS NULL") == 0


def test_ripple_ring_sizes_equal_true_tree_depths(store, sample):
    from reef.network.ripple import ripple_threads

    folder, ids = sample
    import_paths(store, [folder], fmt="weibo")
    table = ripple_threads(store, datetime(2100, 1, 1, tzinfo=timezone.utc))
    store.con.register("_a", table)
    event_of = dict(store.fetch_all("SELECT content_id, attrs->>'event_id' FROM content WHERE kind = 'thread'"))
    got: dict[str, dict[int, int]] = {}
    for cascade, ring, n in store.fetch_all("SELECT cascade, ring, count(*) FROM _a GROUP BY ALL"):
        got.setdefault(event_of[cascade], {})[ring] = n
    truth, conflicting = _validator().true_rings(folder, ids)
    assert len(truth) >= 80
    assert {e: got.get(e) for e in truth} == truth
    assert max(max(t) for t in truth.values()) >= 3  # deep trees are in the sample
