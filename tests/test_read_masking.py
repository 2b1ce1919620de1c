"""Every read the CLI and the Python API give (``reef ladder --json``, ``Community.ladder()`` ...) masks personal data
as ``reef export`` and ``Community.table`` do: one rule, ``reef.actions.privacy.mask_result``, applied by ``Read``."""
from __future__ import annotations

import json

import pytest

from reef.actions.privacy import mask_result

PHONE, PLATE, WX = "13912345678", "粤B12345", "zhang_san88"


@pytest.fixture(scope="module")
def community(tmp_path_factory):
    import reef
    from reef.api import simulate_community
    from reef.store import close_all, open_store

    path = tmp_path_factory.mktemp("reads") / "c.duckdb"
    store = open_store(path)
    simulate_community(store, members=120, days=30, seed=3)
    with store.transaction():  # the three most active members carry personal data in their name and region
        store.execute(f"""UPDATE members SET name = CASE rn WHEN 1 THEN '老王{PHONE}' WHEN 2 THEN '{PLATE}车主' ELSE '阿杰' END,
                                             region = '上海 wx:{WX}'
                          FROM (SELECT author_id, row_number() OVER (ORDER BY count(*) DESC) AS rn FROM content
                                GROUP BY 1 ORDER BY count(*) DESC LIMIT 3) t WHERE members.member_id = t.author_id""")
    store.checkpoint()
    close_all()
    c = reef.open(path)
    yield c
    c.close()


def _text(result) -> str:
    if hasattr(result, "to_pylist"):
        result = result.to_pylist()
    return json.dumps(result, ensure_ascii=False, default=str)


@pytest.mark.parametrize("method, kwargs", [("ladder", {"top": 500}), ("council", {}), ("groups", {}), ("plaza", {})])
def test_reads_mask_names_and_regions_as_the_export_does(community, method, kwargs):
    shown = _text(getattr(community, method)(**kwargs))
    for raw in (PHONE, PLATE, WX):
        assert raw not in shown, (method, raw)


def test_the_ladder_shows_the_masked_name_and_keeps_ids(community):
    rows = community.ladder(top=500).to_pylist()
    [row] = [r for r in rows if (r["name"] or "").startswith("老王")]
    assert row["name"] == "老王139****5678"
    member = community.member(row["member_id"])
    assert member["member_id"] == row["member_id"] and PHONE not in _text(member)


def test_mask_result_masks_text_keys_only():
    data = {"member_id": PHONE, "examples": [PHONE], "name": f"车主{PHONE}", "evidence": {"zh": f"加我{PHONE}"},
            "coverage": [{"dimension": "region", "value": f"wx:{WX}"}], "contact": PHONE, "price": "259800元"}
    out = mask_result(data)
    assert out["member_id"] == PHONE and out["examples"] == [PHONE]  # ids join back to the store
    assert out["name"] == "车主139****5678" and out["evidence"]["zh"] == "加我139****5678"
    assert WX not in out["coverage"][0]["value"] and out["contact"] == "139****5678" and out["price"] == "259800元"
