"""Cost of one 成员 profile and one 今日 overview on a store, part by part (a cache miss each).

    .venv/bin/python benchmarks/bench_profile.py --db /tmp/reef-bench/1m.duckdb [--live]

Opens the store read-only, single-threaded, and times each part the profile is made of for
--members profiles (half the most-appreciated members, half drawn at random with --seed): the
member row, the summary row, the freshness check of the precomputed rows, the precomputed
activity (``overview_members``), the actions and the stage timeline (both live), and the whole
``member_profile``; then ``status_summary``, ``recognise_today`` and ``today_overview``. ``--live``
also times the live fallback (seconds per profile at 1M members) for --live-members profiles.
Prints median and max wall and CPU milliseconds per part. The machine may be shared: say so.
"""
from __future__ import annotations

import argparse
import statistics
import time


def _timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def _report(label: str, samples: list[tuple[float, float]]) -> None:
    walls, cpus = [s[0] * 1000 for s in samples], [s[1] * 1000 for s in samples]
    print(f"{label:38} n={len(samples):3}  wall median {statistics.median(walls):8.1f} ms  max {max(walls):8.1f} ms"
          f"   cpu median {statistics.median(cpus):7.1f} ms", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--members", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--live", action="store_true", help="also time the live fallback (slow at 1M)")
    ap.add_argument("--live-members", type=int, default=2)
    args = ap.parse_args()

    from reef import actions as A
    from reef.actions.overview import today_overview
    from reef.actions.member_view import live_activity, member_timeline
    from reef.analyses import discover
    from reef.analyses.overview_readers import member_activity, precomputed_fresh, recognise_today, status_summary
    from reef.store import open_store

    discover()
    store = open_store(args.db, read_only=True)
    store.execute(f"SET TimeZone = '{store.config.get('general.timezone')}'")  # as the server's cursors do
    n = int(store.config.get("server.profile_contributions"))
    half = max(1, args.members // 2)
    ids = [r[0] for r in store.fetch_all(
        "SELECT member_id FROM member_summary ORDER BY interactions_received DESC, member_id LIMIT ?", [half])]
    store.execute("SELECT setseed(?)", [args.seed / 1000])
    ids += [r[0] for r in store.fetch_all("SELECT member_id FROM members ORDER BY random() LIMIT ?", [half])]
    print(f"store {args.db}: {store.fetch_value('SELECT count(*) FROM members'):,} members; {len(ids)} profiles; "
          f"precomputed fresh: {precomputed_fresh(store)}", flush=True)
    parts = {
        "member row": lambda m: store.fetch_dicts("SELECT * FROM members WHERE member_id = ?", [m]),
        "member_summary row": lambda m: store.fetch_dicts("SELECT * FROM member_summary WHERE member_id = ?", [m]),
        "freshness check": lambda m: precomputed_fresh(store),
        "precomputed activity": lambda m: member_activity(store, m, contributions=n),
        "actions (live)": lambda m: A.list_actions(store, member_id=m, per_page=100),
        "stage timeline (live)": lambda m: member_timeline(store, m),
        "member_profile (whole)": lambda m: A.member_profile(store, m, masked=True, contributions=n),
    }
    for label, fn in parts.items():
        fn(ids[0])  # warm the file cache for this part once
        _report(label, [_timed(lambda m=m: fn(m)) for m in ids])
    if args.live:
        _report("live activity (fallback)", [_timed(lambda m=m: live_activity(store, m, n)) for m in ids[:args.live_members]])
    top = int(store.config.get("server.recognise_top"))
    for label, fn in (("status_summary", lambda: status_summary(store)),
                      ("recognise_today", lambda: recognise_today(store, top=top)),
                      ("today_overview (whole)", lambda: today_overview(store))):
        fn()
        _report(label, [_timed(fn) for _ in range(5)])


if __name__ == "__main__":
    main()
