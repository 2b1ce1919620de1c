"""Load benchmark for `reef serve`: every dashboard page's data endpoints (loopback only, bounded).

    .venv/bin/python benchmarks/bench_server.py --db /tmp/reef-bench/1m.duckdb --clients 50 --seconds 60 --runs 3

Uses the store at --db (a 1M-member store comes from ``benchmarks/_synthetic.py``; a missing --db is
simulated with --members/--days and analysed), starts `reef serve` as a separate process on
127.0.0.1 for each run (cold caches every run; the load generator does not share the server's
interpreter), then drives it with --clients concurrent keep-alive clients using an API token,
round-robin over the data endpoints behind each page (pages 1-5 of each list, as operators page
through them). Prints per run: throughput, errors, p50/p95/p99 per endpoint, the server's CPU per
request during the load (start-up excluded) and the load average; and the median over runs.
The client is a minimal HTTP/1.1 keep-alive client on asyncio streams, so the load generator takes
little of the shared CPU. The brief's target: p95 under 300 ms with 50 clients for 60 s at 1M
members and no errors. Each run is bounded (--seconds at most 300) and stops by itself.

``--results FILE`` adds this invocation's medians (under --label) to a JSON file; ``--doc`` then writes
every entry of that file into the speed section of docs/surfaces.md (between its bench_server markers):

    .venv/bin/python benchmarks/bench_server.py --db /tmp/reef-bench/1m.duckdb \
        --label "1M members, caches on" --results /tmp/reef-bench/results.json --doc

The 成员档案 endpoint (``/api/v1/members/{id}``) asks for 250 profiles in turn, each a miss the first
time: it reads ``overview_members`` (analysis ``store_overview``), so run the analyses on the store
first; ``benchmarks/bench_profile.py`` times one profile part by part.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# The data endpoints behind each page.
PAGES = {
    "今日": ["/api/v1/overview", "/api/v1/status"],
    "成员": ["/api/v1/member_summary?per_page=50", "/api/v1/member_summary?q=m1&per_page=50"],
    "成员档案": ["/api/v1/members/{member}"],
    "成长阶梯": ["/api/v1/ladder_members?per_page=50", "/api/v1/ladder_alerts?per_page=50",
             "/api/v1/ladder_members?stage=2&per_page=50"],
    "网络": ["/api/v1/network_connectors?per_page=50", "/api/v1/network_helpers?per_page=50"],
    "活动与涟漪": ["/api/v1/network_ripple?per_page=50", "/api/v1/network_boost?per_page=50"],
    "知识礁": ["/api/v1/kb_questions?per_page=50", "/api/v1/kb_repeated?per_page=50", "/api/v1/kb_gaps?per_page=50"],
    "风险雷达": ["/api/v1/risk_scores?per_page=50", "/api/v1/risk_alerts?per_page=50", "/api/v1/risk_evidence?per_page=50"],
    "危机室": ["/api/v1/crisis_daily?per_page=50"],
    "组织": ["/api/v1/layers_circles?per_page=20", "/api/v1/layers_circle_leaders?per_page=50",
           "/api/v1/layers_plaza?per_page=50", "/api/v1/layers_plaza_topics?per_page=50",
           "/api/v1/layers_council?per_page=50", "/api/v1/layers_council_candidates?per_page=50",
           "/api/v1/layers_circle_members?per_page=50"],
    "任务": ["/api/v1/actions?per_page=50"],
    "导入": ["/api/v1/imports?per_page=50", "/api/v1/quarantine?per_page=50"],
}
ENDPOINTS = [path for paths in PAGES.values() for path in paths]


def build(db: Path, members: int, days: int) -> None:
    from reef.analyses import run_analyses
    from reef.api import simulate_community
    from reef.store import close_all, open_store

    store = open_store(db)
    if not store.fetch_value("SELECT count(*) FROM members"):
        simulate_community(store, members=members, days=days)
    if not store.fetch_value("SELECT count(*) FROM analysis_runs"):
        t0, c0 = time.perf_counter(), time.process_time()
        run_analyses(store, raise_on_error=False)
        print(f"analyses: {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU")
    store.checkpoint()
    close_all()


def prepare(db: Path) -> tuple[str, dict]:
    """An API token for a viewer (masked reads, as the least privileged dashboard user) and store facts."""
    from reef.actions import add_user, issue_token
    from reef.store import close_all, open_store

    store = open_store(db)
    if not store.fetch_value("SELECT count(*) FROM users WHERE username = 'bench'"):
        add_user(store, "bench", "viewer")
    token = issue_token(store, "bench")
    facts = {"members": store.fetch_value("SELECT count(*) FROM members"),
             "content": store.fetch_value("SELECT count(*) FROM content"),
             "interactions": store.fetch_value("SELECT count(*) FROM interactions"),
             # Profiles operators open: the members the 成员 list shows first.
             "profiles": [r[0] for r in store.fetch_all(
                 "SELECT member_id FROM member_summary ORDER BY interactions_received DESC, member_id LIMIT 250")]}
    store.checkpoint()
    close_all()  # the server process needs the file lock
    return token, facts


async def _get(reader, writer, path: str, head: bytes) -> tuple[int, int]:
    """One GET on a keep-alive connection: (status, body bytes)."""
    writer.write(b"GET " + path.encode() + head)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        total = 0
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            total += size
            if size == 0:
                return status, total
    await reader.readexactly(length)
    return status, length


async def _client(port, token, stop_at, results, offset, profiles):
    head = f" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n".encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < stop_at:
            template = ENDPOINTS[i % len(ENDPOINTS)]
            rnd = i // len(ENDPOINTS)
            path = template.replace("{member}", profiles[rnd % len(profiles)] if profiles else "m0")
            if "per_page" in path:  # operators page through lists: pages 1-5, not one URL over and over
                path += f"&page={rnd % 5 + 1}"
            t0 = time.perf_counter()
            try:
                code, _ = await asyncio.wait_for(_get(reader, writer, path, head), 60)
            except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
                code = 0
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            results.setdefault(template, []).append((time.perf_counter() - t0, code))
            i += 1
    finally:
        writer.close()


def _wait_for(port: int, proc, tail: list[bytes], timeout: float = 300) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"reef serve exited with {proc.returncode}: {tail[0].decode(errors='replace')}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("reef serve did not start")


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _q(values: list[float]) -> list[float]:
    return statistics.quantiles(values, n=100) if len(values) > 1 else values * 99


def run_once(args, token: str, profiles: list[str]) -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    if args.no_cache:
        cfg = args.db.with_suffix(".nocache.toml")
        cfg.write_text("[server]\nauth_cache_seconds = 0\nread_cache_seconds = 0\n", encoding="utf-8")
        env["REEF_CONFIG"] = str(cfg)
    reef = Path(sys.executable).with_name("reef")
    proc = subprocess.Popen([str(reef), "serve", "--db", str(args.db), "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tail: list[bytes] = [b""]

    def drain():  # read the server's log so a full pipe never stalls it; keep the end for errors
        for chunk in iter(lambda: proc.stderr.read1(65536), b""):
            tail[0] = (tail[0] + chunk)[-4000:]

    threading.Thread(target=drain, daemon=True).start()
    loads: list[float] = []
    try:
        _wait_for(port, proc, tail)
        results: dict[str, list] = {}
        server_cpu0, client_cpu0, wall0 = _cpu_seconds(proc.pid), time.process_time(), time.perf_counter()
        stop_at = wall0 + args.seconds
        done = threading.Event()

        def sample():
            while not done.wait(5):
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()

        async def run_all():
            clients = [_client(port, token, stop_at, results, k, profiles) for k in range(args.clients)]
            await asyncio.wait_for(asyncio.gather(*clients), args.seconds + 120)

        asyncio.run(run_all())
        wall = time.perf_counter() - wall0
        done.set()
        server_cpu, client_cpu = _cpu_seconds(proc.pid) - server_cpu0, time.process_time() - client_cpu0
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    total = sum(len(v) for v in results.values())
    every = sorted(t * 1000 for v in results.values() for t, _ in v)
    q = _q(every)
    per = {}
    for path, rows in results.items():
        lat = sorted(t * 1000 for t, _ in rows)
        qq = _q(lat)
        per[path] = {"n": len(rows), "errors": sum(1 for _, c in rows if c != 200), "p50": qq[49], "p95": qq[94],
                     "p99": qq[98]}
    return {"requests": total, "rps": total / wall, "errors": sum(p["errors"] for p in per.values()),
            "p50": q[49], "p95": q[94], "p99": q[98], "server_cpu_ms": server_cpu / max(total, 1) * 1000,
            "server_cpu_share": server_cpu / wall, "client_cpu_share": client_cpu / wall,
            "load_mean": statistics.fmean(loads) if loads else os.getloadavg()[0],
            "load_max": max(loads) if loads else os.getloadavg()[0], "per": per}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="the store (default: a simulated one under the temp folder, outside the repo)")
    ap.add_argument("--members", type=int, default=20000, help="simulate this many members when --db has none")
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--runs", type=int, default=3, help="runs, each against a freshly started server")
    ap.add_argument("--no-cache", action="store_true", help="turn the auth and read caches off (for comparison)")
    ap.add_argument("--only", action="append", help="hit only this path (repeatable), e.g. /health for the framework's ceiling")
    ap.add_argument("--skip", action="append", default=[], help="leave out endpoints containing this text (repeatable)")
    ap.add_argument("--label", help="name of this configuration in --results (default: store size and caches)")
    ap.add_argument("--results", type=Path, help="JSON file collecting each configuration's medians")
    ap.add_argument("--doc", action="store_true", help="write every entry of --results into docs/surfaces.md")
    args = ap.parse_args()
    if args.only:
        ENDPOINTS[:] = args.only
    ENDPOINTS[:] = [e for e in ENDPOINTS if not any(s in e for s in args.skip)]
    args.seconds = min(args.seconds, 300)  # bounded
    args.db = args.db or Path(tempfile.gettempdir()) / "reef-bench" / f"sim-{args.members}.duckdb"
    build(args.db, args.members, args.days)
    token, facts = prepare(args.db)
    print(f"store {args.db}: {facts['members']:,} members, {facts['content']:,} content, "
          f"{facts['interactions']:,} interactions; {len(ENDPOINTS)} endpoints; {args.clients} clients x "
          f"{args.seconds:.0f} s x {args.runs} runs{' (caches off)' if args.no_cache else ''}; 2 shared cores", flush=True)
    runs = []
    for k in range(args.runs):
        r = run_once(args, token, facts["profiles"])
        runs.append(r)
        print(f"run {k + 1}: {r['rps']:.0f} req/s, {r['requests']} requests, {r['errors']} errors, p50 {r['p50']:.0f} ms, "
              f"p95 {r['p95']:.0f} ms, p99 {r['p99']:.0f} ms; server CPU {r['server_cpu_ms']:.2f} ms per request "
              f"({r['server_cpu_share']:.2f} cores), load generator {r['client_cpu_share']:.2f} cores; "
              f"load average mean {r['load_mean']:.1f}, max {r['load_max']:.1f}", flush=True)
        print(f"  {'endpoint':48} {'n':>6} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for path in ENDPOINTS:
            p = r["per"].get(path)
            if p:
                print(f"  {path:48} {p['n']:6d} {p['errors']:4d} {p['p50']:8.1f} {p['p95']:8.1f} {p['p99']:8.1f}")
    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    print(f"median of {len(runs)} runs: {med('rps'):.0f} req/s, errors {sum(r['errors'] for r in runs)}, "
          f"p50 {med('p50'):.0f} ms, p95 {med('p95'):.0f} ms, p99 {med('p99'):.0f} ms, "
          f"server CPU {med('server_cpu_ms'):.2f} ms per request, load average {med('load_mean'):.1f}")
    print(f"  {'endpoint (median over runs)':48} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for path in ENDPOINTS:
        rows = [r["per"][path] for r in runs if path in r["per"]]
        if rows:
            print(f"  {path:48} {statistics.median(x['p50'] for x in rows):8.1f} "
                  f"{statistics.median(x['p95'] for x in rows):8.1f} {statistics.median(x['p99'] for x in rows):8.1f}")
    if args.results:
        label = args.label or f"{facts['members']:,} members, caches {'off' if args.no_cache else 'on'}"
        entry = {"label": label, "date": time.strftime("%Y-%m-%d"), "members": facts["members"],
                 "content": facts["content"], "interactions": facts["interactions"], "clients": args.clients,
                 "seconds": args.seconds, "runs": len(runs), "endpoints": len(ENDPOINTS), "skipped": args.skip,
                 "rps": med("rps"), "errors": sum(r["errors"] for r in runs), "p50": med("p50"), "p95": med("p95"),
                 "p99": med("p99"), "p95_runs": [round(r["p95"]) for r in runs], "server_cpu_ms": med("server_cpu_ms"),
                 "server_cores": med("server_cpu_share"), "load": med("load_mean"),
                 "load_range": [min(r["load_mean"] for r in runs), max(r["load_max"] for r in runs)],
                 "per": {path: {q: statistics.median(r["per"][path][q] for r in runs if path in r["per"])
                                for q in ("p50", "p95", "p99")} for path in ENDPOINTS if any(path in r["per"] for r in runs)}}
        old = json.loads(args.results.read_text()) if args.results.exists() else []
        args.results.write_text(json.dumps([e for e in old if e["label"] != label] + [entry], ensure_ascii=False, indent=1))
    if args.doc:
        write_doc(json.loads(args.results.read_text()) if args.results else [])


DOC = Path(__file__).resolve().parents[1] / "docs" / "surfaces.md"
START, END = "<!-- bench_server:start -->", "<!-- bench_server:end -->"


def write_doc(entries: list[dict]) -> None:
    """Replace the figures between the bench_server markers of docs/surfaces.md."""
    if not entries:
        raise SystemExit("--doc needs --results with at least one entry")
    lines = ["Written by `benchmarks/bench_server.py --doc` (medians of the runs of each row; each run starts a fresh "
             "server, so cold caches and start-up misses are included; 2-core machine shared with other work, "
             "load average as measured during the runs).", "",
             "| configuration | date | store | clients × s × runs | req/s | errors | p50 ms | p95 ms (runs) | p99 ms | "
             "server CPU per request | server cores used | load average |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for e in entries:
        lines.append(
            f"| {e['label']} | {e['date']} | {e['members']:,} members, {e['content'] / 1e6:.1f}M content, "
            f"{e['interactions'] / 1e6:.1f}M interactions | {e['clients']} × {e['seconds']:.0f} × {e['runs']} | "
            f"{e['rps']:.0f} | {e['errors']} | {e['p50']:.0f} | **{e['p95']:.0f}** ({', '.join(map(str, e['p95_runs']))}) | "
            f"{e['p99']:.0f} | {e['server_cpu_ms']:.2f} ms | {e['server_cores']:.2f} | {e['load']:.1f} "
            f"({e['load_range'][0]:.1f}-{e['load_range'][1]:.1f}) |")
    for e in entries:
        lines += ["", f"Per endpoint, {e['label']} ({e['endpoints']} endpoints"
                      + (f"; left out: {', '.join('`' + s + '`' for s in e['skipped'])}" if e["skipped"] else "") + "):", "",
                  "| endpoint | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|"]
        lines += [f"| `{path}` | {q['p50']:.0f} | {q['p95']:.0f} | {q['p99']:.0f} |" for path, q in e["per"].items()]
    text = DOC.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{DOC} lacks the markers {START} ... {END}")
    head, rest = text.split(START, 1)
    DOC.write_text(head + START + "\n" + "\n".join(lines) + "\n" + END + rest.split(END, 1)[1], encoding="utf-8")
    print(f"wrote the speed figures into {DOC}")


if __name__ == "__main__":
    main()
