"""Validate the knowledge reef and breakwater; writes docs/reef-validation.md.

1. Search on Stack Exchange quantumcomputing: duplicate links (LinkTypeId 3) as ground truth, the
   duplicate question as the query, its original as the answer; MRR@10 / Recall@10 of reef's
   search (BM25F boosts + best-answer field + synonyms) vs plain BM25 (bm25s) on the same tokens.
2. Best answer without the accept flag vs "highest score wins", on the same dump.
3. Simulator (tuned on seed 7, reported on held-out seed 11): clusters vs planted paraphrase groups
   (adjusted Rand), gaps vs planted unanswered groups, PR wave detection delay and false alarms.

    .venv/bin/python scripts/validate_kb.py [--work /tmp/kb-validate] [--members 1500] [--days 120]
"""
from __future__ import annotations

import argparse
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SE = ROOT.parent / "shared" / "data" / "se-quantumcomputing"


def se_store(work: Path):
    from reef.analyses import run_analyses
    from reef.ingest import import_paths
    from reef.store import open_store

    path = work / "se.duckdb"
    fresh = not path.exists()
    store = open_store(path)
    if fresh:
        import_paths(store, [SE], fmt="stackexchange")
    report = run_analyses(store, only=["kb_qa"])
    return store, report.as_of


def search_eval(store) -> dict:
    import bm25s

    from reef.kb.index import BM25Index, tokenize
    from reef.kb.search import BOOSTS, doc_tokens

    qs = store.fetch_dicts("""SELECT q.question_id, q.title, q.body, a.body AS answer FROM kb_questions q
                              LEFT JOIN kb_answers a ON a.answer_id = q.best_answer_id ORDER BY q.question_id""")
    pos = {q["question_id"]: i for i, q in enumerate(qs)}
    links = [(d, o) for d, o in store.fetch_all("""SELECT target_content_id, related_content_id FROM interactions
                                                   WHERE kind = 'duplicate'""") if d in pos and o in pos]
    ours = BM25Index.build(qs, boosts=BOOSTS, tokens=[doc_tokens(q) for q in qs])
    plain = bm25s.BM25()
    plain.index([tokenize(f"{q['title']} {q['body']}") or ["_"] for q in qs], show_progress=False)
    res = {"ours": [], "bm25s": []}
    for dup, orig in links:
        q = qs[pos[dup]]
        query = tokenize(f"{q['title']} {q['body']}")
        s = ours.scores(query)
        s[pos[dup]] = -1  # the query itself is not an answer
        res["ours"].append(_rank(np.argsort(-s)[:10], pos[orig]))
        docs, _ = plain.retrieve([query], k=11, show_progress=False)
        res["bm25s"].append(_rank([d for d in docs[0] if d != pos[dup]][:10], pos[orig]))
    return {"links": len(links), "questions": len(qs),
            **{f"{k}_mrr": float(np.mean([1 / r if r else 0 for r in v])) if v else 0.0 for k, v in res.items()},
            **{f"{k}_recall": float(np.mean([r > 0 for r in v])) if v else 0.0 for k, v in res.items()}}


def _rank(top, target) -> int:
    top = list(top)
    return top.index(target) + 1 if target in top else 0


def best_answer_eval(store, as_of) -> dict:
    from reef.kb.qa import load_qa

    _, ans = load_qa(store, as_of, store.config, use_accept=False)
    acc = ans[ans["accepts"] > 0]["question_id"].unique()
    multi = ans.groupby("question_id").size()
    qs = [q for q in acc if multi[q] >= 2]
    sub = ans[ans["question_id"].isin(qs)]
    ours = sub[sub["rank"] == 1].set_index("question_id")["accepts"].gt(0)
    top_votes = sub.sort_values(["votes", "created_at"], ascending=[False, True]).groupby("question_id").head(1)
    return {"questions": len(qs), "ours": float(ours.mean()) if len(ours) else 0.0,
            "highest_score": float(top_votes["accepts"].gt(0).mean()) if len(top_votes) else 0.0}


def sim_eval(work: Path, seed: int, members: int, days: int) -> dict:
    from sklearn.metrics import adjusted_rand_score

    from reef.analyses import run_analyses
    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    path = work / f"sim{seed}.duckdb"
    fresh = not path.exists()
    store = open_store(path)
    if fresh:
        simulate_to_store(store, SimulationSpec(members=members, days=days, seed=seed, end_date="2026-06-30"))
    t = time.time()
    run_analyses(store, only=["kb_qa", "kb_gaps", "kb_crisis", "kb_essence"])
    out = {"seed": seed, "seconds": time.time() - t}
    pairs = store.fetch_all("""SELECT coalesce(t.group_key, q.question_id), q.cluster_id FROM kb_questions q
                               LEFT JOIN truth_content t ON t.content_id = q.question_id""")
    out["ari"] = adjusted_rand_score([p[0] for p in pairs], [p[1] for p in pairs])
    out["clusters"] = len({p[1] for p in pairs})
    out["groups"] = len({p[0] for p in pairs if str(p[0]).startswith("q") and len(str(p[0])) == 3})
    import json
    params = {r[0]: (r[1], r[2], json.loads(r[3]) if r[3] else {}) for r in store.fetch_all("SELECT scenario, started_at, ended_at, params FROM truth_scenarios")}
    planted = set(params["knowledge_gaps"][2]["unanswered_groups"])
    top = store.fetch_all("""SELECT g.rank, t.group_key FROM kb_gaps g LEFT JOIN truth_content t ON t.content_id = g.canonical_id
                             WHERE g.kind = 'unanswered' ORDER BY g.rank LIMIT 3""")
    out["gaps_top3_planted"] = sum(1 for _, gk in top if gk in planted)
    out["gaps_planted"] = len(planted)
    start, end, p = params["pr_crisis"]
    alarms = store.fetch_all("SELECT day, aspect FROM crisis_daily WHERE alarm AND aspect <> '全部' ORDER BY day")
    hit = [d for d, a in alarms if a == p["aspect"] and start - timedelta(days=1) <= d <= end]
    out["crisis_aspect"], out["crisis_start"] = p["aspect"], start.date().isoformat()
    out["delay_days"] = (hit[0] - start).days + 1 if hit else None  # alarm on the wave's first day = 1 day
    first, last = store.fetch_all("SELECT min(day), max(day) FROM crisis_daily")[0]
    normal = [(d, a) for d, a in alarms if not (start - timedelta(days=1) <= d <= end + timedelta(days=2))]
    normal_days = (last - first).days + 1 - (end - start).days - 3
    out["false_alarms"], out["normal_days"] = len(normal), normal_days
    out["false_alarm_days"] = [f"{d.date()} {a}" for d, a in normal]
    store.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/kb-validate")
    ap.add_argument("--members", type=int, default=1500)
    ap.add_argument("--days", type=int, default=120)
    a = ap.parse_args()
    work = Path(a.work); work.mkdir(parents=True, exist_ok=True)
    store, as_of = se_store(work)
    s, b = search_eval(store), best_answer_eval(store, as_of)
    store.close()
    sims = [sim_eval(work, seed, a.members, a.days) for seed in (7, 11)]
    lines = ["# Knowledge reef and breakwater: validation", "",
             "Produced by `scripts/validate_kb.py` (do not edit by hand). Thresholds were tuned on simulator seed 7; "
             "seed 11 is held out. The Stack Exchange figures use the defaults, never tuned on that dump.", "",
             "## Search: Stack Exchange quantumcomputing duplicate links", "",
             f"{s['links']} duplicate links between {s['questions']} questions are usable (the dump has only 11 live ones, so "
             "one link moves MRR by ~0.09: these figures are indicative, not significant). Query: the duplicate's title and "
             "body; answer: its original; the query itself is excluded. Same tokens (rjieba, lower case, stop words) for both.", "",
             "| ranker | MRR@10 | Recall@10 |", "|---|---|---|",
             f"| reef ask (BM25F: title 2, body 1, best answer 0.5, synonyms) | {s['ours_mrr']:.3f} | {s['ours_recall']:.3f} |",
             f"| plain BM25 (bm25s 0.3.16, title+body) | {s['bm25s_mrr']:.3f} | {s['bm25s_recall']:.3f} |", "",
             "## Best answer without the accept flag", "",
             f"{b['questions']} questions with an accepted answer and at least two answers. Share where the top-ranked answer "
             "(votes, thanks, expertise, quality, earliness; accept ignored) is the accepted one:", "",
             "| method | agrees with the asker's accept |", "|---|---|",
             f"| reef ranking without accept | {b['ours']:.3f} |", f"| highest score wins | {b['highest_score']:.3f} |", "",
             "## Simulator", "",
             "| seed | role | questions' clusters / planted groups | adjusted Rand | planted unanswered in top-3 gaps | wave aspect | wave start | detection delay (days, 1 = first day) | false alarms / normal days | seconds (kb analyses) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in sims:
        lines.append(f"| {r['seed']} | {'tuning' if r['seed'] == 7 else 'held out'} | {r['clusters']} / {r['groups']} | {r['ari']:.3f} | "
                     f"{r['gaps_top3_planted']} / {r['gaps_planted']} | {r['crisis_aspect']} | {r['crisis_start']} | {r['delay_days']} | "
                     f"{r['false_alarms']} / {r['normal_days']} | {r['seconds']:.1f} |")
    lines += ["", "False-alarm days (aspect alarms outside the wave and the two days after it):", ""]
    lines += [f"- seed {r['seed']}: {', '.join(r['false_alarm_days']) or 'none'}" for r in sims]
    lines += ["", f"Simulated communities: {a.members} members, {a.days} days, end 2026-06-30. The synonym groups "
              "(`reef/kb/resources/synonyms.txt`) were written while reading the simulator's question phrasings, so the "
              "adjusted Rand is an in-vocabulary figure; real communities will need their own synonym groups.", ""]
    (ROOT / "docs" / "reef-validation.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
