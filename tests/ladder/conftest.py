"""A hand-made community for the ladder and a small simulated one (shared per module)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reef.analyses import run_analyses
from reef.store import open_store
from tests.conftest import simulated_store_file
from tests.conftest import import_rows

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))
AS_OF = T0 + timedelta(days=60)


def ts(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat()


def handmade_rows():
    """Members: lurk (silent), part (participant), crea (creator), conn (connector), lead (leader),
    camp (meetups only inside a campaign), staff s1, newcomers n1..n3, ring r1..r3 (like ring)."""
    members = [{"member_id": m, "name": m, "joined_at": ts(-200)} for m in ("lurk", "part", "crea", "conn", "lead", "camp", "r1", "r2", "r3")]
    members += [{"member_id": "s1", "name": "官方", "joined_at": ts(-300), "account_type": "staff"}]
    members += [{"member_id": f"n{i}", "name": f"新人{i}", "joined_at": ts(40 + i)} for i in range(1, 4)]
    content, inter = [], []
    exp = "周末带家人自驾去海边，续航表现很稳定，高速巡航一百二十公里每小时，空调开着也没有焦虑，分享一下真实体验和几张照片。"

    def c(cid, kind, author, day, **kw):
        content.append({"content_id": cid, "kind": kind, "author_id": author, "created_at": ts(day), **kw})

    def i(iid, kind, actor, day, **kw):
        inter.append({"interaction_id": iid, "kind": kind, "actor_id": actor, "created_at": ts(day), **kw})

    posts = ["周末带家人自驾去海边，续航表现很稳定，高速巡航空调开着也没有焦虑，分享真实体验。",
             "冬季早上冷启动之后能耗偏高，我把座椅加热打开、空调调到二十度，百公里电耗大约十八度。",
             "第一次去露营，用外放电给电磁炉和投影仪供电，三个小时只用了百分之十二的电量，很满意。",
             "城市通勤一个月的记录：每天四十公里，家充为主，电费算下来每公里不到一毛钱，推荐装家充桩。",
             "雨夜在山路上试了一下智能大灯，会车时自动切换近光，弯道照明也不错，夜拍了几张照片。"]
    for k in range(5):  # crea: five distinct experience posts
        c(f"cr{k}", "thread", "crea", 10 + k * 5, title=f"用车记录{k}", body=posts[k])
    for k in range(20):  # part: likes and check-ins
        i(f"pl{k}", "like", "part", 5 + k, target_content_id=f"cr{k % 5}" if 10 + (k % 5) * 5 < 5 + k else "cr0")
        i(f"pc{k}", "checkin", "part", 5 + k)
    for n in range(1, 4):  # newcomers ask, conn answers, they accept and thank
        c(f"q{n}", "thread", f"n{n}", 45 + n, title="新手求助", body="请问冬天续航掉多少？怎么设置预约充电？")
        for j in range(2):
            c(f"a{n}{j}", "answer", "conn", 45.5 + n + j * 0.1, parent_id=f"q{n}", body="冬天大概掉两到三成，建议在app里设置预约充电，提前预热电池。")
            i(f"acc{n}{j}", "accept", f"n{n}", 46 + n + j * 0.1, target_content_id=f"a{n}{j}")
    for k in range(3):  # lead: self-organised meetups; camp: the same inside a campaign
        c(f"ev{k}", "event", "lead", 20 + k * 10, title="周末同城车友聚会", body="自发组织周六上午在滨江公园集合，一起交流用车心得。")
        c(f"ce{k}", "event", "camp", 20 + k * 10, title="品牌活动报名", body="参加官方活动，周六上午在滨江公园集合。", campaign_id="camp1")
    c("sx", "thread", "s1", 1, title="官方公告", body="欢迎")
    for a in ("r1", "r2", "r3"):  # ring: each posts; the others like within minutes
        for k in range(3):
            c(f"{a}p{k}", "photo", a, 30 + k, title="随手拍", body=f"{a}的第{k}张照片")
    for a in ("r1", "r2", "r3"):
        for b in ("r1", "r2", "r3"):
            if a != b:
                for k in range(3):
                    i(f"rl{a}{b}{k}", "like", a, 30 + k + 0.01, target_content_id=f"{b}p{k}")
    campaigns = [{"campaign_id": "camp1", "name": "品牌聚会", "started_at": ts(0)}]
    return {"members": members, "content": content, "interactions": inter, "campaigns": campaigns}


@pytest.fixture(scope="module")
def handmade_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ladder")
    store = import_rows(folder, handmade_rows())
    run_analyses(store, as_of=AS_OF, only=["ladder"])
    store.close()
    return folder / "reef.duckdb"


@pytest.fixture(scope="module")
def simulated_path(tmp_path_factory):
    return simulated_store_file(tmp_path_factory.mktemp("ladsim"), members=500, days=120, seed=3, analyses=["ladder"])


# Stores are closed after every test (tests/conftest.py), so each test opens its own handle.
@pytest.fixture
def handmade(handmade_path):
    return open_store(handmade_path)


@pytest.fixture
def simulated(simulated_path):
    return open_store(simulated_path)
