"""Detection quality of the member-level and share-of-voice parts on small hand-made communities."""
from __future__ import annotations

from datetime import timedelta

from reef.analyses import run_analyses
from reef.config import load_config
from tests.risks.conftest import T0, burnout_result as _burnout, handmade_store as _store, ts as _ts


def test_burnout_sees_a_daily_member_go_quiet_within_days(tmp_path):
    """Posting every third day but active (likes, check-ins) every day: five quiet days say little about posts,
    much about activity."""
    members = [{"member_id": m, "joined_at": _ts(-200)} for m in ("quiet", "steady", "author")]
    content, acts = [], []
    for d in range(120):
        content.append({"content_id": f"a{d}", "kind": "thread", "author_id": "author", "created_at": _ts(d + 0.2), "title": "t", "body": "今天天气不错"})
        for m in ("quiet", "steady"):
            if m == "quiet" and d >= 115:
                continue  # everything stops for the last five days
            if d % 3 == 0:
                content.append({"content_id": f"{m}{d}", "kind": "thread", "author_id": m, "created_at": _ts(d + 0.4), "title": "日常", "body": "开车去了趟海边"})
            acts.append({"interaction_id": f"{m}-like-{d}", "kind": "like", "actor_id": m, "target_content_id": f"a{d}", "created_at": _ts(d + 0.6)})
    store = _store(tmp_path, {"members": members, "content": content, "interactions": acts}, core=("quiet", "steady"))
    res = _burnout(store, 120)
    surprise = {e["subject"]: e["value"] for e in res.evidence if e["part"] == "burnout"}
    assert set(surprise) == {"quiet"} and surprise["quiet"] >= load_config().get("risks.burnout_alert_surprise")
    assert {a["subject"] for a in res.alerts if a["part"] == "core_burnout"} == {"quiet"}
    # Judged on posts alone (no activity windows) the same five days are not an alert.
    posts_only = _burnout(store, 120, burnout_activity_windows=[])
    assert not [a for a in posts_only.alerts if a["part"] == "core_burnout"]


CALM = ("calm", "calm2", "calm3", "calm4", "calm5")


def _backlash_store(tmp_path):
    # Several calm members: the alert must follow each member's own tests, whatever order the rows come in.
    members = [{"member_id": m, "joined_at": _ts(-300)} for m in ("turned", *CALM)]
    content = []
    for d in range(120):
        for m in ("turned", *CALM):
            for k in range(2):
                late = m == "turned" and d >= 115 and k == 0
                body = "售后服务太差了，投诉了三次没人管，质量问题一直不解决，太失望了" if late else "今天保养完成，车况不错，开着很舒服"
                content.append({"content_id": f"{m}{d}-{k}", "kind": "reply" if k else "thread", "author_id": m, "created_at": _ts(d + 0.3 + 0.3 * k),
                                "title": None if k else "记录", "body": body, "parent_id": f"{m}{d}-0" if k else None})
    store = _store(tmp_path, {"members": members, "content": content}, core=("turned", *CALM))
    run_analyses(store, as_of=T0 + timedelta(days=120), only=["text_features"])
    return store


def test_backlash_short_window_catches_a_sudden_turn(tmp_path):
    from reef.risks.backlash import backlash

    store = _backlash_store(tmp_path)
    cfg = load_config()

    def turned(windows, level):
        res = backlash(store, T0 + timedelta(days=120), cfg.with_overrides({"risks.drift_windows": windows, "risks.drift_watch_surprise": level}))
        care = {e["subject"]: e for e in res.evidence if e["part"] == "care"}
        assert set(care) <= {"turned"}
        return "turned" in care and care["turned"]["detail_en"].startswith("turning negative")

    def surprise(windows):
        # the drift test's surprise, read off the care list's watch level (the detail says it only as rounded odds)
        lo, hi = 0.0, 40.0
        for _ in range(10):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if turned(windows, mid) else (lo, mid)
        return lo

    # Five complaints in the last five days: diluted in 21 days, plain in 7.
    assert surprise([7]) > surprise([]) + 1.0
    res = backlash(store, T0 + timedelta(days=120), cfg)
    assert [a["subject"] for a in res.alerts if a["part"] == "core_turning_negative"] == ["turned"]


def test_dilution_does_not_count_a_bare_generic_acronym(tmp_path):
    """"城市NOA" is the selling point; a post that only says NOA (every brand has it) is not share of voice for it."""
    from reef.risks.entropy import entropy

    members = [{"member_id": f"m{i}", "joined_at": _ts(-100)} for i in range(10)]
    facts = [{"fact_id": "sp-0", "kind": "selling_point", "attribute": "城市NOA", "value_text": "城市领航辅助驾驶", "valid_from": _ts(-200)},
             {"fact_id": "sp-1", "kind": "selling_point", "attribute": "800V高压快充", "value_text": "800V平台", "valid_from": _ts(-200)}]
    bodies = ["高速NOA开了一路，挺稳", "800V快充十分钟补能", "城市NOA通勤每天都用", "今天洗车了"]
    content = [{"content_id": f"c{d}-{k}", "kind": "thread", "author_id": f"m{(d + k) % 10}", "created_at": _ts(d + 0.1 * k + 0.05),
                "title": "t", "body": b} for d in range(30) for k, b in enumerate(bodies)]
    store = _store(tmp_path, {"members": members, "content": content, "official_facts": facts})
    run_analyses(store, as_of=T0 + timedelta(days=30), only=["text_features"])
    res = entropy(store, T0 + timedelta(days=30), load_config())
    share = next(p for p in res.parts if p.name == "dilution").value
    assert share == 0.5  # 800V and 城市NOA posts; not the bare NOA one, not the car wash


def test_dilution_weeks_are_whole_weeks_ending_at_a_date_as_of(tmp_path):
    """QA: `--as-of 2026-06-08` (a midnight) split the 14 days 1 + 7 + 6: calendar days counted back from as_of's own
    date, which holds no posts yet, so the oldest day stood alone as a "week". Each week is now 7 x 24 h ending at as_of."""
    from reef.analyses.runner import resolve_as_of
    from reef.risks.entropy import entropy

    members = [{"member_id": f"m{i}", "joined_at": _ts(-100)} for i in range(10)]
    facts = [{"fact_id": "sp-1", "kind": "selling_point", "attribute": "800V高压快充", "value_text": "800V平台", "valid_from": _ts(-200)}]
    content = [{"content_id": f"c{d}-{k}", "kind": "thread", "author_id": f"m{(d + k) % 10}", "created_at": _ts(d + 0.1 * k + 0.05),
                "title": "t", "body": "800V快充十分钟补能" if k == 0 else "今天洗车了"} for d in range(30) for k in range(4)]
    store = _store(tmp_path, {"members": members, "content": content, "official_facts": facts})
    as_of = resolve_as_of(store, (T0 + timedelta(days=30)).strftime("%Y-%m-%d"))  # 00:00 of that day, local time
    run_analyses(store, as_of=as_of, only=["text_features"])
    res = entropy(store, as_of, load_config())
    weeks = [e for e in res.evidence if e["part"] == "dilution"]
    first = store.fetch_value("SELECT CAST($ts::TIMESTAMPTZ - INTERVAL 14 DAY AS DATE)", {"ts": as_of})
    assert [e["subject"] for e in weeks] == [str(first), str(first + timedelta(days=7))]
    assert all(e["detail_en"].endswith("7 of 28 original posts name a selling point, share 25.0% (target 3%)") for e in weeks)
    assert [s["value"] for s in res.series] == [0.25, 0.25]
    assert next(p for p in res.parts if p.name == "dilution").value == 0.25
