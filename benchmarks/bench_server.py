"""Load benchmark for `reef serve`: every dashboard page's data endpoints (loopback only, bounded).

    .venv/bin/python benchmarks/bench_server.py --members 20000 --clients 50 --seconds 60

Builds (or reuses with --db) a simulated store with every analysis run, starts `reef serve` as a
separate process on 127.0.0.1 (so the load generator does not share the server's interpreter),
then drives it with --clients concurrent keep-alive clients using an API token, round-robin over
the data endpoints behind each page, and prints throughput, errors and latency percentiles per
endpoint, plus the server's CPU time. The brief's target: p95 under 300 ms with 50 clients for 60 s
at 1M members and no errors. The run is bounded (--seconds at most 300) and stops by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The data endpoints behind each page (今日, 成员, 成长阶梯, 网络, 活动与涟漪, 知识礁, 风险雷达, 危机室, 任务, 导入).
ENDPOINTS = [
    "/api/v1/overview", "/api/v1/status", "/api/v1/activity_daily?per_page=50",
    "/api/v1/member_summary?per_page=50", "/api/v1/member_summary?q=m1&per_page=50",
    "/api/v1/ladder_members?per_page=50", "/api/v1/network_connectors?per_page=50", "/api/v1/network_boost?per_page=50",
    "/api/v1/network_ripple?per_page=50", "/api/v1/kb_questions?per_page=50", "/api/v1/kb_repeated?per_page=50",
    "/api/v1/kb_gaps?per_page=50", "/api/v1/risk_alerts?per_page=50", "/api/v1/risk_evidence?per_page=50",
    "/api/v1/crisis_daily?per_page=50", "/api/v1/actions", "/api/v1/imports", "/api/v1/quarantine",
]


def build(db: Path, members: int, days: int, analyze: bool) -> None:
    from reef.analyses import run_analyses
    from reef.api import simulate_community
    from reef.store import close_all, open_store

    store = open_store(db)
    if not store.fetch_value("SELECT count(*) FROM members"):
        simulate_community(store, members=members, days=days)
    elif not analyze and store.fetch_value("SELECT count(*) FROM analysis_runs"):
        close_all()
        return  # reuse the analysed store as it is (--analyze brings it up to date)
    t0, c0 = time.perf_counter(), time.process_time()
    run_analyses(store, raise_on_error=False)
    print(f"analyses: {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU")
    store.checkpoint()
    close_all()


def token_for(db: Path) -> str:
    from reef.actions import add_user, issue_token
    from reef.store import close_all, open_store

    store = open_store(db)
    if not store.fetch_value("SELECT count(*) FROM users WHERE username = 'bench'"):
        add_user(store, "bench", "viewer")
    token = issue_token(store, "bench")
    store.checkpoint()
    close_all()  # the server process needs the file lock
    return token


async def _client(base, token, stop_at, results, offset):
    import httpx

    async with httpx.AsyncClient(base_url=base, headers={"authorization": f"Bearer {token}"}, timeout=30) as c:
        i = offset
        while time.perf_counter() < stop_at:
            path = ENDPOINTS[i % len(ENDPOINTS)]
            if "per_page" in path:  # operators page through lists: pages 1-5, not one URL over and over
                path += f"&page={(i // len(ENDPOINTS)) % 5 + 1}"
            t0 = time.perf_counter()
            try:
                code = (await c.get(path)).status_code
            except httpx.HTTPError:
                code = 0
            results.setdefault(path.split("&page=")[0], []).append((time.perf_counter() - t0, code))
            i += 1


def _wait_for(port: int, proc, timeout: float = 120) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"reef serve exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("reef serve did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, default=Path("bench-server/reef.duckdb"))
    ap.add_argument("--members", type=int, default=20000)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--analyze", action="store_true", help="bring the analyses of a reused --db up to date first")
    ap.add_argument("--no-cache", action="store_true", help="turn the auth and overview caches off (for comparison)")
    ap.add_argument("--only", action="append", help="hit only this path (repeatable), e.g. /health for the framework's ceiling")
    args = ap.parse_args()
    if args.only:
        ENDPOINTS[:] = args.only
    args.seconds = min(args.seconds, 300)  # bounded
    build(args.db, args.members, args.days, args.analyze)
    token = token_for(args.db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    if args.no_cache:
        cfg = args.db.with_suffix(".nocache.toml")
        cfg.write_text("[server]\nauth_cache_seconds = 0\nread_cache_seconds = 0\n", encoding="utf-8")
        env["REEF_CONFIG"] = str(cfg)
    reef = Path(sys.executable).with_name("reef")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # analyses above may have had worker processes
    proc = subprocess.Popen([str(reef), "serve", "--db", str(args.db), "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port, proc)
        results: dict[str, list] = {}
        client_cpu = time.process_time()
        stop_at = time.perf_counter() + args.seconds

        async def run_all():
            clients = [_client(f"http://127.0.0.1:{port}", token, stop_at, results, k) for k in range(args.clients)]
            await asyncio.wait_for(asyncio.gather(*clients), args.seconds + 120)

        asyncio.run(run_all())
        client_cpu = time.process_time() - client_cpu
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    total = sum(len(v) for v in results.values())
    errors = sum(1 for v in results.values() for _, code in v if code != 200)
    every = sorted(t * 1000 for v in results.values() for t, _ in v)
    q_all = statistics.quantiles(every, n=100)
    print(f"{args.members} members, {args.clients} clients, {args.seconds:.0f} s{' (caches off)' if args.no_cache else ''}: "
          f"{total / args.seconds:.0f} req/s, {errors} errors, p50 {q_all[49]:.1f} ms, p95 {q_all[94]:.1f} ms, "
          f"p99 {q_all[98]:.1f} ms; server CPU {server_cpu_s:.0f} s ({server_cpu_s / max(total, 1) * 1000:.1f} ms per request, "
          f"start-up included), "
          f"load generator CPU {client_cpu:.0f} s (machine shared)")
    print(f"{'endpoint':45} {'n':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for path, rows in sorted(results.items()):
        lat = sorted(t * 1000 for t, _ in rows)
        q = statistics.quantiles(lat, n=100) if len(lat) > 1 else lat * 99
        bad = sum(1 for _, code in rows if code != 200)
        print(f"{path:45} {len(rows):6d} {bad:6d} {q[49]:8.1f} {q[94]:8.1f} {q[98]:8.1f}")


if __name__ == "__main__":
    main()
