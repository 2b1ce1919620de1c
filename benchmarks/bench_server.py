"""Load benchmark for `reef serve` data endpoints (loopback only, bounded).

    .venv/bin/python benchmarks/bench_server.py --members 20000 --clients 50 --seconds 20

Builds (or reuses with --db) a simulated store, runs the analyses, starts the app on 127.0.0.1
with uvicorn, then hammers each page's data endpoints with concurrent httpx clients using an API
token, and prints throughput and latency percentiles per endpoint. The brief's target: p95 under
300 ms with 50 clients for 60 s at 1M members (--members 1000000 --seconds 60; building that store
takes a while, reuse it with --db).
"""
from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import threading
import time
from pathlib import Path

ENDPOINTS = ["/api/v1/overview", "/api/v1/activity_daily?per_page=50", "/api/v1/member_summary?per_page=50",
             "/api/v1/member_summary?q=m1&per_page=50", "/api/v1/actions", "/api/v1/imports", "/api/v1/quarantine",
             "/api/v1/status"]


def build(db: Path, members: int) -> None:
    from reef.analyses import run_analyses
    from reef.api import simulate_community
    from reef.store import open_store

    store = open_store(db)
    if not store.fetch_value("SELECT count(*) FROM members"):
        simulate_community(store, members=members, days=90)
    run_analyses(store)
    store.checkpoint()


async def _client(base, token, stop_at, results):
    import httpx

    async with httpx.AsyncClient(base_url=base, headers={"authorization": f"Bearer {token}"}, timeout=30) as c:
        i = 0
        while time.perf_counter() < stop_at:
            path = ENDPOINTS[i % len(ENDPOINTS)]
            t0 = time.perf_counter()
            r = await c.get(path)
            results.setdefault(path, []).append((time.perf_counter() - t0, r.status_code))
            i += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path("bench-server/reef.duckdb"))
    ap.add_argument("--members", type=int, default=20000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    args = ap.parse_args()
    args.seconds = min(args.seconds, 300)  # bounded
    build(args.db, args.members)
    import uvicorn

    from reef.actions import add_user, issue_token
    from reef.server import create_app

    app = create_app(args.db)
    handle = app.state.pool.acquire()
    if not handle.fetch_value("SELECT count(*) FROM users WHERE username = 'bench'"):
        add_user(handle, "bench", "viewer")
    token = issue_token(handle, "bench")
    app.state.pool.release(handle)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    results: dict[str, list] = {}
    stop_at = time.perf_counter() + args.seconds
    async def run_all():
        clients = [_client(f"http://127.0.0.1:{port}", token, stop_at, results) for _ in range(args.clients)]
        await asyncio.wait_for(asyncio.gather(*clients), args.seconds + 120)

    asyncio.run(run_all())
    server.should_exit = True
    total = sum(len(v) for v in results.values())
    print(f"{args.members} members, {args.clients} clients, {args.seconds:.0f}s: {total / args.seconds:.0f} req/s")
    print(f"{'endpoint':45} {'n':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for path, rows in sorted(results.items()):
        lat = sorted(t * 1000 for t, _ in rows)
        q = statistics.quantiles(lat, n=100) if len(lat) > 1 else lat * 99
        errors = sum(1 for _, code in rows if code != 200)
        print(f"{path:45} {len(rows):6d} {errors:6d} {q[49]:8.1f} {q[94]:8.1f} {q[98]:8.1f}")


if __name__ == "__main__":
    main()
