"""Import throughput benchmark: canonical Parquet and JSONL files of N events into a fresh store.

Generates members (~N/50), content (threads and replies) and interactions (likes, votes,
mentions) with Chinese-ish bodies of realistic length, writes them as Parquet and as JSONL
into a temporary folder, then imports each format into a fresh store in a subprocess and
prints wall time, events/s and the child's peak RSS (median of ``--runs``).

Example:
    .venv/bin/python benchmarks/bench_import.py --events 1000000 --runs 1
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["generate", "run_import", "main"]

_PHRASES = (
    "今天去4S店做了首保", "续航表现比预期好", "高速上能耗大概在16度左右", "冬天开暖风掉电明显",
    "智能驾驶在拥堵路段很好用", "车机偶尔会卡顿一下", "周末约了车友去川西自驾", "充电桩排队要半小时",
    "OTA之后辅助驾驶更顺了", "座椅通风夏天必备", "隔音比上一台车强不少", "有没有大佬推荐行车记录仪",
    "轮胎换了米其林静音棉", "音响调成环绕模式效果炸裂", "保养一次花了六百多", "新手提车求攻略",
    "这个价位真的很香", "售后响应速度还可以", "胎压报警怎么处理", "改装了氛围灯晚上很好看",
    "，", "。", "！", "？", "哈哈", "说实话", "个人感觉", "补充一下",
)
_T0 = np.datetime64("2024-01-01T00:00:00", "us")


def _bodies(rng: np.random.Generator, n: int, distinct: int = 20000) -> pa.Array:
    """n bodies of 30-200 characters, drawn from ``distinct`` generated texts plus a unique tail."""
    lengths = rng.integers(2, 12, size=distinct)
    pool = ["".join(_PHRASES[j] for j in rng.integers(0, len(_PHRASES), size=k)) for k in lengths]
    picked = pc.take(pa.array(pool), pa.array(rng.integers(0, distinct, size=n)))
    tail = pc.cast(pa.array(np.arange(n)), pa.string())
    return pc.binary_join_element_wise(picked, pa.scalar(" #"), tail, pa.scalar(""))


def _ids(prefix: str, n: int) -> pa.Array:
    return pc.binary_join_element_wise(pa.scalar(prefix), pc.cast(pa.array(np.arange(n)), pa.string()), "")


def _ts(us: np.ndarray) -> pa.Array:
    return pa.array(_T0 + us.astype("timedelta64[us]"), pa.timestamp("us", tz="Asia/Shanghai"))


def generate(events: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Write members/content/interactions as Parquet, then as JSONL (via DuckDB). Returns row counts."""
    rng = np.random.default_rng(seed)
    n_mem = max(events // 50, 10)
    n_content = max((events - n_mem) * 3 // 10, 10)
    n_inter = max(events - n_mem - n_content, 1)
    day = 86_400_000_000
    joined = rng.integers(0, 150 * day, size=n_mem)
    members = pa.table({
        "member_id": _ids("m", n_mem), "name": _ids("车友", n_mem), "joined_at": _ts(joined),
        "region": pc.take(pa.array(["上海", "北京", "广东", "四川", "浙江"]), pa.array(rng.integers(0, 5, n_mem))),
    })
    n_threads = n_content // 5
    is_thread = np.zeros(n_content, bool)
    is_thread[:n_threads] = True
    author = rng.integers(0, n_mem, size=n_content)
    created = np.empty(n_content, np.int64)
    created[:n_threads] = 160 * day + rng.integers(0, 500 * day, size=n_threads)
    parent = rng.integers(0, n_threads, size=n_content)
    created[n_threads:] = created[parent[n_threads:]] + rng.integers(0, 3 * day, size=n_content - n_threads)
    ids = _ids("c", n_content)
    parent_ids = pc.if_else(pa.array(is_thread), pa.scalar(None, pa.string()), pc.take(ids, pa.array(parent)))
    content = pa.table({
        "content_id": ids,
        "kind": pc.if_else(pa.array(is_thread), "thread", "reply"),
        "author_id": pc.take(members["member_id"], pa.array(author)),
        "created_at": _ts(created),
        "parent_id": parent_ids,
        "title": pc.if_else(pa.array(is_thread), _bodies(rng, n_content, 2000), pa.scalar(None, pa.string())),
        "body": _bodies(rng, n_content),
        "tags": pa.array([["续航"], ["改装", "音响"], None, ["智能驾驶"]] * (n_content // 4) + [None] * (n_content % 4)),
    })
    target = rng.integers(0, n_content, size=n_inter)
    kinds = pc.take(pa.array(["like", "like", "like", "vote", "mention"]), pa.array(rng.integers(0, 5, n_inter)))
    is_mention = pc.equal(kinds, "mention")
    interactions = pa.table({
        "interaction_id": _ids("i", n_inter),
        "kind": kinds,
        "actor_id": pc.take(members["member_id"], pa.array(rng.integers(0, n_mem, size=n_inter))),
        "target_content_id": pc.if_else(is_mention, pa.scalar(None, pa.string()), pc.take(ids, pa.array(target))),
        "target_member_id": pc.if_else(is_mention, pc.take(members["member_id"], pa.array(rng.integers(0, n_mem, n_inter))),
                                       pa.scalar(None, pa.string())),
        "created_at": _ts(created[target] + rng.integers(0, 5 * day, size=n_inter)),
        "value": pc.if_else(pc.equal(kinds, "vote"), 1.0, pa.scalar(None, pa.float64())),
    })
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    for name, table in (("members", members), ("content", content), ("interactions", interactions)):
        pq.write_table(table, out / f"{name}.parquet", row_group_size=500_000)
        con.execute(f"COPY (SELECT * FROM read_parquet('{out / name}.parquet')) TO '{out / name}.jsonl' (FORMAT JSON)")
    return {"members": n_mem, "content": n_content, "interactions": n_inter}


_CHILD = """
import json, sys, time
from reef.store import open_store
from reef.ingest import import_paths
t = time.perf_counter()
store = open_store(sys.argv[1])
s = import_paths(store, sys.argv[2:])
store.checkpoint()
print(json.dumps({"seconds": time.perf_counter() - t, **{k: v for k, v in s.as_dict().items() if k != "by_entity"}}))
"""


def run_import(paths: list[Path], workdir: Path) -> dict:
    """Import ``paths`` into a fresh store in a child process; wall time, peak RSS and summary."""
    db = workdir / "bench.duckdb"
    for p in (db, db.with_suffix(".duckdb.wal")):
        p.unlink(missing_ok=True)
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(db), *map(str, paths)], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"import failed with exit code {proc.returncode}")
    summary = json.loads(out.strip().splitlines()[-1])
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall": wall, "cpu": cpu, "peak_rss_mb": usage.ru_maxrss / 1024, "summary": summary}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="parquet,jsonl")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and print their folder")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="reef-bench-"))
    try:
        t = time.perf_counter()
        counts = generate(args.events, tmp / "data")
        total = sum(counts.values())
        print(f"generated {total:,} events {counts} in {time.perf_counter() - t:.1f}s into {tmp}")
        for fmt in args.formats.split(","):
            files = [tmp / "data" / f"{name}.{fmt}" for name in ("members", "content", "interactions")]
            size = sum(f.stat().st_size for f in files) / 2**20
            runs = [run_import(files, tmp) for _ in range(args.runs)]
            wall = statistics.median(r["wall"] for r in runs)
            rss = max(r["peak_rss_mb"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            s = runs[-1]["summary"]
            each = ", ".join(f"{r['wall']:.1f}" for r in runs)
            assert s["imported"] == total, f"imported {s['imported']} of {total}: {s}"
            print(f"{fmt:8s} {size:8.0f} MiB  wall {wall:7.1f}s (runs: {each})  "
                  f"{total / wall:10,.0f} events/s  cpu {cpu:.1f}s  peak RSS {rss:,.0f} MiB  imported {s['imported']:,} quarantined {s['quarantined']:,}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
