"""enrich_store: one features row per content item, incremental, batched, resumable, registered."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.analyses import run_analyses
from reef.analyses.registry import discover
from reef.config import load_config
from reef.store import open_store
from reef.text import enrich as enrich_mod
from reef.text.enrich import enrich_store, features_version

T0 = datetime(2025, 3, 1, tzinfo=timezone.utc)
TEXTS = [
    ("汉EV续航怎么样", "冬天实测续航四百公里，车机很流畅，推荐！"),
    (None, "请问充电桩怎么装？电话13812345678"),
    (None, ""),
    (None, "   "),
    (None, "😀😀😀"),
    ("<b>提车</b>", "<p>落地价<i>21.98万</i>，零百加速3.9秒</p>"),
    (None, "請問充電樁怎麼裝？"),
    (None, "OTA升级后 the infotainment is much faster，好评"),
]


def _store(tmp_path, **text):
    tmp_path.mkdir(parents=True, exist_ok=True)
    cfg_path = tmp_path / "cfg.toml"
    cfg_path.write_text("[text]\n" + "".join(f"{k} = {v}\n" for k, v in text.items()), encoding="utf-8")
    return open_store(tmp_path / "s.duckdb", config=load_config(cfg_path))


def _add(store, rows, start=0):
    with store.transaction():
        for i, (title, body) in enumerate(rows, start):
            store.execute("INSERT INTO content (content_id, kind, author_id, created_at, title, body) VALUES (?, 'thread', 'm1', ?, ?, ?)",
                          [f"c{i}", T0 + timedelta(minutes=i), title, body])


def test_every_item_gets_one_row_with_its_features(tmp_path):
    store = _store(tmp_path)
    _add(store, TEXTS)
    summary = enrich_store(store)
    assert (summary.items, summary.enriched, summary.up_to_date) == (len(TEXTS), len(TEXTS), 0)
    rows = {r["content_id"]: r for r in store.fetch_dicts("SELECT * FROM content_features")}
    assert len(rows) == len(TEXTS)
    first = rows["c0"]
    assert first["language"] == "zh" and first["model_version"] == features_version()
    assert [(c["attribute"], c["value"]) for c in first["claims"]] == [("range", 400.0)]
    assert len(first["minhash"]) == 64 and first["enriched_at"] is not None
    assert [len(rows[c]["minhash"]) for c in ("c2", "c3")] == [0, 0]  # nothing to sign: never a near-duplicate
    assert [p["kind"] for p in rows["c1"]["pii"]] == ["phone"]
    assert "question" in rows["c1"]["intents"]
    for empty in ("c2", "c3", "c4"):  # bad input: neutral, no aspects, flagged, no exception
        assert rows[empty]["sentiment"] == 0 and rows[empty]["aspects"] == [] and rows[empty]["flags"]
    assert {c["attribute"] for c in rows["c5"]["claims"]} == {"price", "acceleration_0_100"}
    assert "<b>" not in rows["c5"]["text_simplified"]
    assert rows["c6"]["script"] == "traditional" and "充电桩" in rows["c6"]["text_simplified"]
    assert set(rows["c0"]["aspect_names"]) == {a["aspect"] for a in rows["c0"]["aspects"]}


def test_second_run_only_touches_new_changed_or_outdated_items(tmp_path, monkeypatch):
    store = _store(tmp_path)
    _add(store, TEXTS)
    enrich_store(store)
    before = store.fetch_value("SELECT enriched_at FROM content_features WHERE content_id = 'c0'")
    again = enrich_store(store)
    assert (again.enriched, again.up_to_date, again.batches) == (0, len(TEXTS), 0)
    with store.transaction():
        store.execute("UPDATE content SET body = '空间很大，后排舒服' WHERE content_id = 'c0'")
    _add(store, [(None, "续航620km")], start=len(TEXTS))
    changed = enrich_store(store)
    assert changed.enriched == 2
    row = store.fetch_dicts("SELECT * FROM content_features WHERE content_id = 'c0'")[0]
    assert row["claims"] == [] and row["enriched_at"] > before
    assert store.fetch_value("SELECT count(*) FROM content_features") == len(TEXTS) + 1
    monkeypatch.setattr(enrich_mod, "features_version", lambda config=None: "a-newer-model")
    assert enrich_store(store).enriched == len(TEXTS) + 1  # model changed: everything again
    assert store.fetch_value("SELECT count(DISTINCT model_version) FROM content_features") == 1
    assert enrich_store(store, force=True).enriched == len(TEXTS) + 1


def test_removed_content_loses_its_features(tmp_path):
    store = _store(tmp_path)
    _add(store, TEXTS)
    enrich_store(store)
    with store.transaction():
        store.execute("DELETE FROM content WHERE content_id = 'c1'")
    assert enrich_store(store).removed == 1
    assert store.fetch_value("SELECT count(*) FROM content_features WHERE content_id = 'c1'") == 0


def test_an_interrupted_run_keeps_finished_batches_and_resumes(tmp_path, monkeypatch):
    store = _store(tmp_path, enrich_batch=3)
    _add(store, TEXTS)
    real, calls = enrich_mod.analyze_for_store, []

    def flaky(texts, config=None):
        calls.append(len(texts))
        if len(calls) == 2:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C during the second batch
        return real(texts, config)

    monkeypatch.setattr(enrich_mod, "analyze_for_store", flaky)
    with pytest.raises(KeyboardInterrupt):
        enrich_store(store)
    assert store.fetch_value("SELECT count(*) FROM content_features") == 3
    monkeypatch.setattr(enrich_mod, "analyze_for_store", real)
    resumed = enrich_store(store)
    assert (resumed.enriched, resumed.up_to_date, resumed.batches) == (len(TEXTS) - 3, 3, 2)


def test_as_of_limits_the_work_to_items_visible_then(tmp_path):
    store = _store(tmp_path)
    _add(store, TEXTS)
    summary = enrich_store(store, as_of=T0 + timedelta(minutes=2))
    assert summary.items == 2 and store.fetch_value("SELECT count(*) FROM content_features") == 2


def test_registered_as_the_text_features_analysis(tmp_path):
    assert "text_features" in discover()
    store = _store(tmp_path)
    _add(store, TEXTS)
    report = run_analyses(store, only=["text_features"])
    assert [(r.name, r.status, r.rows) for r in report.results] == [("text_features", "ok", len(TEXTS))]
    again = run_analyses(store, only=["text_features"])
    assert again.results[0].status == "skipped"


def test_parallel_workers_write_the_same_rows_as_one_process(tmp_path):
    serial = _store(tmp_path / "a")
    _add(serial, [(None, f"{t}，第{i}条") for i, (_, t) in enumerate(TEXTS * 5)])
    enrich_store(serial)
    parallel = _store(tmp_path / "b", enrich_parallel_min=1, enrich_workers=2, enrich_batch=15)
    _add(parallel, [(None, f"{t}，第{i}条") for i, (_, t) in enumerate(TEXTS * 5)])
    summary = enrich_store(parallel)
    assert summary.workers == 2 and summary.batches == 3
    query = "SELECT content_id, sentiment, aspects, claims, pii, minhash FROM content_features ORDER BY content_id"
    assert parallel.fetch_all(query) == serial.fetch_all(query)


def test_mask_table_hides_pii_in_every_text_bearing_column():
    from reef.text import analyze, mask_table

    text = "续航620km，车牌粤B12345，加我微信 car_fan2024 电话13812345678"
    masked = mask_table(analyze([text])).to_pylist()[0]
    flat = repr(masked)
    for secret in ("粤B12345", "car_fan2024", "13812345678"):
        assert secret not in flat
    assert masked["original"].startswith("续航620km") and "138****5678" in masked["original"]
    assert masked["claims"][0]["value"] == 620.0  # masking keeps the features


def test_changing_a_feature_setting_re_enriches_every_item(tmp_path):
    store = _store(tmp_path / "a")
    _add(store, TEXTS)
    enrich_store(store)
    store.close()
    changed = _store(tmp_path / "a", minhash_perms=16)  # same file, a setting that changes the signatures
    assert features_version(changed.config).startswith(features_version() + "+cfg-")
    summary = enrich_store(changed)
    assert summary.enriched == len(TEXTS)
    assert {len(r[0]) for r in changed.fetch_all("SELECT minhash FROM content_features WHERE len(minhash) > 0")} == {16}
    changed.close()
    batching = _store(tmp_path / "a", enrich_batch=5)  # how the work is split changes no feature
    assert features_version(batching.config) == features_version()
    assert enrich_store(batching).enriched == len(TEXTS)  # back to the defaults' version: redone once more
    assert enrich_store(batching).enriched == 0


def test_a_past_as_of_stays_fresh_when_later_items_carry_another_version(tmp_path):
    store = _store(tmp_path / "b", minhash_perms=16)
    _add(store, TEXTS)
    enrich_store(store)  # every item at the other settings' version
    store.close()
    store = _store(tmp_path / "b")
    mid = T0 + timedelta(minutes=3)
    first = run_analyses(store, as_of=mid, only=["text_features"])
    assert first.results[0].status == "ok"
    # the items after mid keep the old version (a run at mid does not touch them); the next run must not redo the work
    assert run_analyses(store, as_of=mid, only=["text_features"]).results[0].status == "skipped"


def test_only_models_rules_and_resources_decide_the_features_version(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "text"
    shutil.copytree(enrich_mod._HERE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(enrich_mod, "_HERE", copy)
    digest = enrich_mod._files_digest.__wrapped__  # uncached: the digest is memoised per process
    before = digest()
    for name in ("report.py", "evaluation.py", "files.py"):  # rendering, evaluation and file plumbing
        (copy / name).write_text((copy / name).read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert digest() == before
    (copy / "claims.py").write_text((copy / "claims.py").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert digest() != before


def test_modules_left_out_of_the_features_version_are_not_read_by_analyze():
    """A module outside the features digest must not decide features: analyze() runs without importing it (else a
    change to it would change features without re-enriching). spec_facts.py was in the digest although only the risk
    radar and the ladder read it, so every risk-rule change re-enriched every store."""
    import subprocess
    import sys

    code = ("import sys; from reef.text.pipeline import analyze; analyze(['澜途S7续航620公里，充电10-80%要30分钟']); "
            "print(','.join(m for m in sys.modules if m in ('reef.text.spec_facts', 'reef.text.evaluate', 'reef.text.report')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
