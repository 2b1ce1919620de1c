"""Paired timings of the ladder's steps: an older version's code against this one's, in one process.

    git archive <old-commit> reef | tar -x -C /tmp/old-reef
    .venv/bin/python benchmarks/pair_ladder.py --db /tmp/lad50m.duckdb --old /tmp/old-reef --steps items,windows --rounds 2

Runs ``compute_ladder`` on ``--db`` (it rewrites the ladder's tables, as a run would). ``--steps`` picks what is paired:
``likes`` (``build_likes`` runs the *old* ``_LIKES`` once, so both versions read the same ``_lad_c``, whose integer codes
``cc`` are row ids, then each version's statements from ``_lad_likes0`` on), ``items`` (each version's ``build_items``, its
statements timed) and ``windows`` (``build_windows``, ``date_promotions`` and ``date_demotions``, old module against new; the run
stops after the dating). Unpaired steps run once, new version. Each round runs the old and the new version back to
back on the same temp tables and under the same machine load (the order alternates between rounds); every statement,
or step, is timed in wall and CPU seconds (``time.process_time``: all threads of the process). Outputs must match:
the ``--compare`` tables by row count and an order-independent sum of row hashes (doubles rounded to 6 decimals), the
paired steps' frames exactly (doubles to 1e-9 relative). Wall time on a shared machine moves with its load; CPU
seconds much less, and paired figures move together, so read them side by side.
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import re
import sys
import time

_TARGET = re.compile(r"CREATE OR REPLACE (?:TEMP )?(?:TABLE|VIEW) (\w+)")


def _statements(script: str) -> list[tuple[str, str]]:
    """(created table, statement) for each statement of a ladder script."""
    out = []
    for statement in script.split(";\n"):
        if statement.strip():
            m = _TARGET.search(statement)
            out.append((m.group(1) if m else "?", statement))
    return out


def _fingerprint(store, table: str) -> tuple:
    """Row count and an order-independent sum of row hashes; doubles rounded to 6 decimals (a parallel sum of doubles
    differs in its last bits from run to run, the same statement twice included)."""
    if not store.table_exists(table):
        return ("absent",)
    cols = store.fetch_all(f"SELECT * FROM (DESCRIBE {table})")
    expr = ", ".join(f'round("{c[0]}", 6)' if c[1] in ("DOUBLE", "FLOAT") else f'"{c[0]}"' for c in cols)
    return tuple(store.fetch_all(f"SELECT count(*), sum(hash({expr})::HUGEINT) FROM {table}")[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--old", required=True, help="root of the old code (holds reef/ladder/items.py)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--min", type=float, default=0.5, help="print statements slower than this in either version (s)")
    ap.add_argument("--steps", default="likes,items", help="which scripts to pair (the others run once, new version)")
    ap.add_argument("--compare", default="_lad_likes0,_lad_burst_likes,_lad_ring,ladder_like_flags,_lad_liked,_lad_dups,"
                                          "_lad_used,_lad_thanked,_lad_accepted,_lad_items")
    args = ap.parse_args()

    import reef.ladder.analysis as la
    import reef.ladder.items as new
    from reef.analyses.runner import resolve_as_of
    from reef.store import open_store

    spec = importlib.util.spec_from_file_location("_old_items", f"{args.old}/reef/ladder/items.py")
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    compare = args.compare.split(",")
    times: dict[tuple[str, str], list[float]] = {}  # wall seconds
    cpu: dict[tuple[str, str], list[float]] = {}  # CPU seconds of the process (all threads)
    prints: dict[str, dict[str, tuple]] = {}

    def run(store, version: str, script: str, params: dict, skip_until: str | None) -> None:
        started = skip_until is None
        for table, statement in _statements(script):
            started = started or table == skip_until
            if not started:
                continue
            used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)}
            t0, c0 = time.perf_counter(), time.process_time()
            store.execute(statement, used)
            times.setdefault((version, table), []).append(time.perf_counter() - t0)
            cpu.setdefault((version, table), []).append(time.process_time() - c0)
            if times[version, table][-1] >= args.min:
                print(f"  {version} {table} {times[version, table][-1]:.1f} s wall, {cpu[version, table][-1]:.1f} s CPU",
                      flush=True)
        prints.setdefault(version, {}).update({t: _fingerprint(store, t) for t in compare})

    def run_items(store, version: str, module, as_of, p, params: dict) -> None:
        """One version's ``build_items`` (its own statements and any work between them), each statement timed under the
        table it creates; a version older than the dups split (no ``_BANDS``) runs its ``_ITEMS`` script."""
        if not hasattr(module, "_BANDS"):
            return run(store, version, module._ITEMS, params, None)
        execute = type(store).execute

        def timed(self, sql, params=None):
            m = _TARGET.search(sql)
            t0, c0 = time.perf_counter(), time.process_time()
            out = execute(self, sql, params)
            table = m.group(1) if m else "?"
            times.setdefault((version, table), []).append(time.perf_counter() - t0)
            cpu.setdefault((version, table), []).append(time.process_time() - c0)
            return out

        t0, c0 = time.perf_counter(), time.process_time()
        type(store).execute = timed
        try:
            module.build_items(store, as_of, p)
        finally:
            type(store).execute = execute
        print(f"  {version} build_items {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU", flush=True)
        prints.setdefault(version, {}).update({t: _fingerprint(store, t) for t in compare})

    def paired_likes(store, as_of, p, **kw):
        if "likes" not in args.steps.split(","):
            return new.build_likes(store, as_of, p, **kw)
        old.build_likes(store, as_of, p)  # shared _lad_c0 (and codes) for both versions
        script = {v: m._LIKES.replace("{ring_w}", repr(float(p.ring_weight))).replace("{burst_w}", repr(float(p.burst_weight)))
                  .replace("{burst_us}", str(int(p.burst_hours * 3_600_000_000) - 1)) for v, m in (("old", old), ("new", new))}
        params = {"ts": as_of, "anon": p.anonymous_like_weight, "newcomer": p.newcomer_days,
                  "new": p.new_account_like_weight, "lurk": p.lurker_like_weight, "fresh": p.burst_account_days,
                  "mutual": p.ring_min_mutual, "fast": p.ring_fast_hours, "partners": p.ring_min_partners,
                  "burst": p.burst_min_likes, "fast_us": p.ring_fast_hours * 3_600_000_000}
        for r in range(args.rounds):
            for v in (("old", "new") if r % 2 == 0 else ("new", "old")):
                run(store, v, script[v], params, "_lad_likes0")
                print(f"round {r + 1} likes {v} done", flush=True)
        if r % 2 == 1:  # leave the new version's tables for what follows
            run(store, "new", script["new"], params, "_lad_likes0")
        return 0

    def paired_items(store, as_of, p):
        params = {"ts": as_of, "orig_chars": p.original_min_chars, "attack": p.attack_toxicity,
                  "short": p.short_reply_chars, "toxic": p.toxic_threshold, "newcomer": p.newcomer_days,
                  "help_likes": p.helped_min_likes, "guide_chars": p.guide_min_chars, "guide_uses": p.guide_min_uses}
        if "items" not in args.steps.split(","):
            new.build_items(store, as_of, p)
            for v in ("old", "new"):  # the items' tables were built once: both versions see them
                for t in compare:
                    prints.setdefault(v, {}).setdefault(t, _fingerprint(store, t))
        for r in range(args.rounds if "items" in args.steps.split(",") else 0):
            for v, m in ((("old", old), ("new", new)) if r % 2 == 0 else (("new", new), ("old", old))):
                run_items(store, v, m, as_of, p, params)
                print(f"round {r + 1} items {v} done", flush=True)
        summary()
        if "windows" in args.steps.split(","):
            return 0
        report_and_exit()

    def report_and_exit():
        ok = True
        for t in compare:
            same = prints["old"][t] == prints["new"][t]
            ok &= same
            print(f"{t:32s} {'equal' if same else 'DIFFERENT'} {prints['old'][t]} {'' if same else prints['new'][t]}")
        for name, same in frame_checks:
            ok &= same
            print(f"{name:32s} {'equal' if same else 'DIFFERENT'}")
        print("ALL EQUAL" if ok else "MISMATCH", flush=True)
        sys.exit(0 if ok else 1)

    frame_checks: list[tuple[str, bool]] = []

    def same_frames(a, b) -> bool:
        import polars as pl
        if a.columns != b.columns or a.shape != b.shape:
            return False
        floats = [c for c, t in a.schema.items() if t in (pl.Float64, pl.Float32)]
        rest = [c for c in a.columns if c not in floats]
        return a.select(rest).equals(b.select(rest)) and all(
            ((a[c] - b[c]).abs() <= 1e-9 * (1 + a[c].abs())).fill_null(True).all()
            and a[c].is_null().equals(b[c].is_null()) for c in floats)

    def paired(name, fn_old, fn_new, compare_out):
        def call(*a, **kw):
            out = {}
            for r in range(args.rounds):
                for v, fn in ((("old", fn_old), ("new", fn_new)) if r % 2 == 0 else (("new", fn_new), ("old", fn_old))):
                    t0, c0 = time.perf_counter(), time.process_time()
                    known = inspect.signature(fn).parameters  # an older version may not take a newer keyword
                    out[v] = fn(*a, **{k: x for k, x in kw.items() if k in known})
                    times.setdefault((v, name), []).append(time.perf_counter() - t0)
                    cpu.setdefault((v, name), []).append(time.process_time() - c0)
                    print(f"round {r + 1} {name} {v} {times[v, name][-1]:.1f} s wall, {cpu[v, name][-1]:.1f} s CPU", flush=True)
            frame_checks.append((name, compare_out(out["old"], out["new"])))
            return out["new"]
        return call

    def windows_step(store, as_of, p, **kw):
        if kw.get("few_members"):
            return new_windows.build_windows(store, as_of, p, **kw)
        return paired("build_windows", old_windows.build_windows, new_windows.build_windows,
                      lambda a, b: same_frames(a[0], b[0]) and same_frames(a[1], b[1]))(store, as_of, p, **kw)

    def demotions_step(store, as_of, p, events):
        res = paired("date_demotions", old_dating.date_demotions, new_dating.date_demotions, same_frames)(
            store, as_of, p, events)
        summary()
        report_and_exit()
        return res

    def summary():
        print(f"{'statement (table created)':32s} {'old wall s':>16s} {'new wall s':>16s} {'old CPU s':>16s} {'new CPU s':>16s}")
        for t in dict.fromkeys(t for _, t in times):
            vals = [times.get(("old", t), []), times.get(("new", t), []), cpu.get(("old", t), []), cpu.get(("new", t), [])]
            if max(vals[0] + vals[1] + [0]) >= args.min:
                print(f"{t:32s} " + " ".join(f"{', '.join(f'{x:.1f}' for x in v):>16s}" for v in vals))
        tot = {(d, v): sum(sum(x) for (ver, _), x in src.items() if ver == v)
               for d, src in (("wall", times), ("cpu", cpu)) for v in ("old", "new")}
        print(f"{'total':32s} {tot['wall', 'old']:16.1f} {tot['wall', 'new']:16.1f} {tot['cpu', 'old']:16.1f} "
              f"{tot['cpu', 'new']:16.1f}", flush=True)

    def load(name, path):
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod

    la.build_likes = paired_likes
    la.build_items = paired_items
    if "windows" in args.steps.split(","):
        import reef.ladder.dating as new_dating
        import reef.ladder.windows as new_windows
        old_windows = load("_old_windows", f"{args.old}/reef/ladder/windows.py")
        old_dating = load("_old_dating", f"{args.old}/reef/ladder/dating.py")
        la.build_windows = windows_step
        la.date_promotions = paired("date_promotions", old_dating.date_promotions, new_dating.date_promotions, same_frames)
        la.date_demotions = demotions_step
    store = open_store(args.db)
    la.compute_ladder(store, resolve_as_of(store, None), store.config)


if __name__ == "__main__":
    main()
