"""Benchmark ``reef enrich``: N posts of 80-200 characters in a fresh store, then a no-op re-run.

Posts are made by joining randomly chosen CCF car-review posts (seeded) until 80-200
characters, so the text is real owner language; without ../shared/data a small built-in
phrase list is used. Prints the median over ``--runs`` of the first run's wall time, posts/s,
the no-op run's time, and peak RSS of the writer process and of the largest worker.

Usage: .venv/bin/python benchmarks/bench_enrich.py --posts 200000 [--runs 1] [--workers 0]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_FALLBACK = ["续航很扎实，冬天掉得也不多", "车机偶尔卡顿，希望OTA修一下", "零百加速3.9秒，推背感很强", "空间够用，后排坐三个人有点挤",
             "请问充电桩怎么装？物业不让装", "4S店服务态度不错，保养也便宜", "油耗百公里6个油左右", "内饰做工一般，异响有点多"]


def make_posts(n: int, seed: int = 7) -> list[str]:
    path = ROOT.parent / "shared" / "data" / "ccf-car-aspects"
    pool = _FALLBACK
    if path.exists():
        from reef.text.datasets import load_ccf

        pool = [p for p in load_ccf(path) if 5 <= len(p) <= 150]
    r = random.Random(seed)
    posts = []
    for _ in range(n):
        target = r.randint(80, 200)
        parts, size = [], 0
        while size < target:
            p = r.choice(pool)
            parts.append(p)
            size += len(p) + 1
        posts.append("，".join(parts)[:target])
    return posts


def fill(store, posts: list[str]) -> None:
    import pyarrow as pa

    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    table = pa.table({"content_id": [f"b{i}" for i in range(len(posts))], "kind": ["thread"] * len(posts),
                      "author_id": [f"m{i % 5000}" for i in range(len(posts))],
                      "created_at": [t0 + timedelta(seconds=i) for i in range(len(posts))], "body": posts})
    store.con.register("_bench_posts", table)
    with store.transaction():
        store.execute("INSERT INTO content BY NAME SELECT * FROM _bench_posts")
    store.con.unregister("_bench_posts")


def _descendants() -> set[int]:
    """This process's descendants (pids), from /proc (Linux)."""
    me, parents = os.getpid(), {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {me}, True
    while grew:
        new = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= new
        grew = bool(new)
    return tree - {me}


def _tree_pss_mb(pids: set[int]) -> float:
    """Proportional set size (MB) of this process and ``pids``; shared pages of forked workers count once, split
    between the processes sharing them, so the sum is the tree's real footprint."""
    total = 0
    for pid in pids | {os.getpid()}:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _cpu_s(pids: set[int]) -> dict[int, float]:
    """User + system CPU seconds each of ``pids`` has used so far (/proc/PID/stat fields 14 and 15)."""
    out, tick = {}, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return out


class _PeakSampler(threading.Thread):
    """Samples the process tree every ``every`` seconds: ``peak`` is the largest total PSS seen, ``worker_cpu`` each
    descendant's CPU seconds at its last sample. The enrichment leaves its worker pool without waiting for it
    (``shutdown(wait=False)``), so the workers are not reaped when a run ends and ``os.times()``'s children fields miss
    them: their CPU is read from /proc while they live."""

    def __init__(self, every: float = 0.5):
        super().__init__(daemon=True)
        self.every, self.peak, self._stop_event = every, 0.0, threading.Event()
        self.worker_cpu: dict[int, float] = {}
        self._lock = threading.Lock()

    def sample(self) -> None:
        pids = _descendants()
        pss = _tree_pss_mb(pids)
        with self._lock:
            self.peak = max(self.peak, pss)
            self.worker_cpu.update(_cpu_s(pids))

    def reset_cpu(self) -> None:
        with self._lock:
            self.worker_cpu = {}

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            try:
                self.sample()
            except OSError:
                continue

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return self.peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--workers", type=int, default=0, help="[text] enrich_workers (0 = one per core)")
    args = ap.parse_args()
    from reef.config import load_config
    from reef.store import open_store
    from reef.text.enrich import enrich_store

    t = time.perf_counter()
    posts = make_posts(args.posts)
    print(f"generated {len(posts):,} posts (mean {statistics.mean(map(len, posts)):.0f} chars) in {time.perf_counter() - t:.1f} s")
    firsts, noops, cpus = [], [], []
    sampler = _PeakSampler()
    sampler.start()
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            cfg_path = Path(tmp) / "bench.toml"
            cfg_path.write_text(f"[text]\nenrich_workers = {args.workers}\n")
            store = open_store(Path(tmp) / "bench.duckdb", config=load_config(cfg_path))
            fill(store, posts)
            sampler.reset_cpu()
            t, cpu = time.perf_counter(), os.times()
            summary = enrich_store(store)
            firsts.append(time.perf_counter() - t)
            used = os.times()
            sampler.sample()  # the workers' last figures, before they exit (they are idle by now)
            own = sum(getattr(used, k) - getattr(cpu, k) for k in ("user", "system"))
            cpus.append(own + sum(sampler.worker_cpu.values()))
            t = time.perf_counter()
            again = enrich_store(store)
            noops.append(time.perf_counter() - t)
            assert summary.enriched == args.posts and again.enriched == 0
            size = sum(p.stat().st_size for p in Path(tmp).glob("bench.duckdb*"))
            store.close()
            print(f"run {run + 1}: {firsts[-1]:.1f} s ({summary.workers} processes, {summary.batches} batches), "
                  f"no-op {noops[-1]:.2f} s, store {size / 1e6:.0f} MB")
    first = statistics.median(firsts)
    peak_pss = sampler.stop()
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"posts: {args.posts:,}  median wall: {first:.1f} s  posts/s: {args.posts / first:,.0f}  "
          f"no-op re-run: {statistics.median(noops):.2f} s")
    cpu = statistics.median(cpus)
    # On a shared machine wall time depends on the neighbours; CPU seconds do not.
    print(f"CPU: {cpu:.0f} s in all processes = {cpu / args.posts * 1e6 / 60:.1f} CPU-min per 1M posts; "
          f"on {summary.workers} idle cores about {cpu / max(1, summary.workers) / args.posts * 1e6 / 60:.1f} min per 1M posts")
    print(f"peak RSS: writer {parent:.0f} MB, largest worker {child:.0f} MB "
          f"(total at most {parent + child * max(1, summary.workers if summary.workers > 1 else 0):.0f} MB)")
    # ru_maxrss counts a forked worker's inherited pages in full; the sampled PSS counts shared pages once.
    print(f"peak memory of the whole process tree (PSS sampled every 0.5 s): {peak_pss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
