"""Validate the knowledge reef and breakwater; writes docs/reef-validation.md (one block per part).

    .venv/bin/python scripts/validate_kb.py [--work /tmp/kb-validate] [--only search,best,sim,crisis,speed]
        [--speed-posts 1000000] [--bench-work /tmp/bench-kb] [--reuse]

Parts (each rewrites only its own block of the page, so one can be re-run alone):

* ``search``: Stack Exchange duplicate links (LinkTypeId 3) as ground truth, the duplicate as the
  query and its original as the answer; MRR@10 / Recall@10 of reef's hybrid search against plain
  BM25 (bm25s) on the same tokens. Fusion weights are tuned on related links (LinkTypeId 1) of the
  quantumcomputing dump; every duplicate pair (and, for the LSA model, every post of it) stays out
  of training and tuning. Also question-to-question search on the simulator's paraphrase groups.
* ``best``: the share of SE questions whose best answer chosen without the accept flag is the
  accepted one, against "highest score wins"; the logistic ranker is trained on half of the
  questions (seeded split) and reported on the other half.
* ``sim``: repeated-question clusters against planted paraphrase groups (adjusted Rand), planted
  unanswered groups among the top gaps, outdated answers; tuned on seed 7, held out seed 11. Also
  cluster sizes (largest, count, share of questions in clusters of 2+) on the simulator, the demo
  community and se-quantumcomputing, for the current clustering and for connected components
  (``kb.cluster_density = 0``). CLUSTER_ADOPTION below was written before the Leiden CPM variant ran.
* ``crisis``: the planted PR wave's detection delay and false alarms on clean control runs
  (``planted=False``) and on the planted runs' pre-crisis days; development seeds chose the
  defaults, held-out seeds report them; plus an ablation of the detector's parts.
* ``speed``: benchmarks/bench_kb.py at the size given by ``--speed-posts``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
DOC = ROOT / "docs" / "reef-validation.md"
TITLE = ("# Knowledge reef and breakwater: validation\n\nProduced by `scripts/validate_kb.py` (do not edit by hand; each "
         "block is rewritten by its part of the script).")

REUSE = False  # --reuse: keep the analyses already in the work folder's stores (development only)
CRISIS_DEV = {"planted": (7, 8, 9, 10), "control": (7, 8, 9, 16, 17)}
CRISIS_HELD = {"planted": (11, 12), "control": (11, 12, 13)}
# Written before the Leiden CPM clustering (kb.cluster_density) was first run on any of these stores.
CLUSTER_ADOPTION = (
    "Replacing connected components by Leiden CPM (resolution `kb.cluster_density` 0.5, chosen by reasoning: the "
    "least density at which a chain A~B~C with A and C dissimilar is not one cluster) was adopted only if, against "
    "connected components on the same similarity graph: (1) the seed-7 adjusted Rand is not lower by more than 0.01; "
    "(2) the largest cluster is at most half as large on the demo community (`reef demo` defaults: 3000 members, "
    "180 days, seed 7) and on se-quantumcomputing; (3) the five largest se-quantumcomputing clusters read, by eye, "
    "as one question each. Seed 11 is reported once, after the choice, and never used to change it.")


def sim_store(work: Path, seed: int, planted: bool, members: int, days: int):
    """A simulated community with text features and the kb analyses, built once per work folder."""
    from reef.analyses import run_analyses
    from reef.simulate import SimulationSpec, simulate_to_store
    from reef.store import open_store

    path = work / f"sim{seed}{'p' if planted else 'c'}.duckdb"
    fresh = not path.exists()
    store = open_store(path)
    if fresh:
        simulate_to_store(store, SimulationSpec(members=members, days=days, seed=seed, end_date="2026-06-30", planted=planted))
    t = time.time()
    if REUSE and store.table_exists("crisis_daily"):
        return store, store.fetch_value("SELECT max(as_of) FROM analysis_runs WHERE name = 'kb_qa'"), 0.0
    report = run_analyses(store, only=["kb_qa", "kb_gaps", "kb_crisis", "kb_essence"])
    return store, report.as_of, time.time() - t


SE = {"quantumcomputing": ROOT.parent / "shared" / "data" / "se-quantumcomputing",
      "bicycles.meta": ROOT.parent / "shared" / "data" / "se-bicycles-meta"}
GRID = {"search_title_boost": (2.0, 3.0, 4.0), "search_answer_boost": (0.0, 0.2, 0.4), "search_query_title_weight": (1, 2),
        "semantic_weight": (0.0, 0.1, 0.2, 0.3), "semantic_dims": (100, 300)}


def se_store(work: Path, name: str, analyse: bool = True):
    from reef.analyses import run_analyses
    from reef.ingest import import_paths
    from reef.store import open_store

    path = work / f"se-{name}.duckdb"
    fresh = not path.exists()
    store = open_store(path)
    if fresh:
        import_paths(store, [SE[name]], fmt="stackexchange")
    if not analyse or (REUSE and store.table_exists("kb_questions")):
        return store, store.fetch_value("SELECT max(as_of) FROM analysis_runs WHERE name = 'kb_qa'")
    report = run_analyses(store, only=["kb_qa"])
    return store, report.as_of


def se_questions(store) -> tuple[list[dict], dict, list, list]:
    """(questions with answers' text, position by id, duplicate pairs, related pairs) of an SE store."""
    qs = store.fetch_dicts("""
        SELECT q.content_id AS id, q.title, q.body, coalesce(q.body_html, q.body) AS html,
               (SELECT string_agg(coalesce(a.body_html, a.body), ' ') FROM content a WHERE a.parent_id = q.content_id AND a.kind = 'answer') AS answers
        FROM content q WHERE q.kind = 'thread' AND q.title IS NOT NULL AND q.deleted_at IS NULL ORDER BY q.content_id""")
    pos = {q["id"]: i for i, q in enumerate(qs)}
    links = store.fetch_all("SELECT target_content_id, related_content_id, kind FROM interactions WHERE kind IN ('duplicate', 'link')")
    dups = [(d, o) for d, o, k in links if k == "duplicate" and d in pos and o in pos and d != o]
    held = {x for pair in dups for x in pair}
    rel = [(d, o) for d, o, k in links if k == "link" and d in pos and o in pos and d != o and not {d, o} & held]
    return qs, pos, dups, rel


def _plain_bm25(tokens: list[list[str]]):
    """The plain-BM25 reference (bm25s over the same tokens): document i as the query -> scores of every document."""
    import bm25s

    plain = bm25s.BM25()
    plain.index(tokens, show_progress=False)

    def scores(i):
        ids, sc = plain.retrieve([tokens[i]], k=len(tokens), show_progress=False)
        s = np.zeros(len(tokens))
        s[ids[0]] = sc[0]
        return s

    return scores


def _score_matrix(fn, queries: list[int]):
    import numpy as np

    return np.stack([np.asarray(fn(i), dtype=float) for i in queries]) if queries else np.zeros((0, 0))


def _ranks(scores, queries: list[int], pairs: list[tuple[int, int]]) -> list[int]:
    import numpy as np

    from reef.kb.evaluation import rank_of

    row = {q: r for r, q in enumerate(queries)}
    out = []
    for d, o in pairs:
        s = scores[row[d]].copy()
        s[d] = -np.inf  # the query is not its own answer
        out.append(rank_of(np.argsort(-s, kind="stable")[:10], o))
    return out


def _z(m):
    sd = m.std(axis=1, keepdims=True)
    return (m - m.mean(axis=1, keepdims=True)) / np.where(sd > 0, sd, 1.0)


def search_dump(work: Path, name: str) -> dict:
    """Score matrices of every ranker / setting on one dump, for related-link tuning and duplicate testing."""
    from reef.kb.hybrid import HybridIndex, SearchParams, doc_fields, query_tokens
    from reef.kb.index import tokenize
    from train_kb_lsa import train_encoder

    store, _ = se_store(work, name, analyse=False)  # search reads the imported content only
    qs, pos, dups, rel = se_questions(store)
    held = {x for pair in dups for x in pair}
    encoders = {d: train_encoder(store, exclude=held, dims=d) for d in GRID["semantic_dims"]}
    store.close()
    dup_pairs = [(pos[d], pos[o]) for d, o in dups]
    rel_pairs = [(pos[d], pos[o]) for d, o in rel]
    queries = sorted({d for d, _ in dup_pairs + rel_pairs})
    docs = [doc_fields(q["title"], q["html"], q["answers"]) for q in qs]
    out = {"n": len(qs), "dups": dup_pairs, "rel": rel_pairs, "queries": queries, "bm": {}, "cos": {},
           "threads": {d: e[1] for d, e in encoders.items()}}
    plain_scores = _plain_bm25([tokenize(f"{q['title']} {q['body']}") or ["_"] for q in qs])
    out["plain"] = _score_matrix(plain_scores, queries)
    for tb in GRID["search_title_boost"]:
        for ab in GRID["search_answer_boost"]:
            idx = HybridIndex(SearchParams(search_title_boost=tb, search_answer_boost=ab, semantic_weight=0.0)).fit(docs)
            for qtw in GRID["search_query_title_weight"]:
                qt = {i: query_tokens(qs[i]["title"], qs[i]["html"], title_weight=qtw) for i in queries}
                out["bm"][(tb, ab, qtw)] = _score_matrix(lambda i: idx.scores(qt[i]), queries)
    for d, (enc, _) in encoders.items():
        vec = enc.transform([f["title"] + f["body"] for f in docs])
        out["cos"][d] = _score_matrix(lambda i: vec @ vec[i], queries)
    return out


def search_part(work: Path) -> tuple[str, dict]:
    import itertools

    from reef.kb.evaluation import mrr_recall
    from reef.kb.hybrid import SearchParams

    dumps = {name: search_dump(work, name) for name in SE}

    def ranks(setting, which):
        tb, ab, qtw, w, dims = setting
        out = []
        for d in dumps.values():
            m = d["bm"][(tb, ab, qtw)]
            if w > 0:
                m = _z(m) + w * _z(d["cos"][dims])
            out.append(_ranks(m, d["queries"], d[which]))
        return out

    grid = [s for s in itertools.product(*GRID.values()) if s[3] > 0 or s[4] == GRID["semantic_dims"][0]]
    tuned = []
    for s in grid:
        r = [x for part in ranks(s, "rel") for x in part]
        mrr, rec = mrr_recall(r)
        tuned.append((round(mrr, 4), round(rec, 4), s))
    tuned.sort(key=lambda t: (-t[0], -t[1]))
    best = tuned[0][2]
    best_bm25 = max((t for t in tuned if t[2][3] == 0), key=lambda t: (t[0], t[1]))[2]
    defaults = SearchParams.from_config(__import__("reef.config", fromlist=["x"]).load_config())
    chosen = dict(zip(GRID, best))
    rows = []

    def row(label, per_dump):
        pooled = mrr_recall([x for part in per_dump for x in part])
        cells = [f"{mrr_recall(part)[0]:.3f} / {mrr_recall(part)[1]:.3f}" for part in per_dump]
        rows.append(f"| {label} | " + " | ".join(cells) + f" | **{pooled[0]:.3f}** / **{pooled[1]:.3f}** |")
        return pooled

    plain = row("plain BM25 (bm25s, title + body, same tokens)", [_ranks(d["plain"], d["queries"], d["dups"]) for d in dumps.values()])
    row(f"BM25F (title {best_bm25[0]:g}, answers {best_bm25[1]:g}, query title x{best_bm25[2]}, cleaned), no LSA", ranks(best_bm25, "dups"))
    row(f"LSA only ({best[4]} dimensions, trained without the duplicate threads)",
        [_ranks(d["cos"][best[4]], d["queries"], d["dups"]) for d in dumps.values()])
    hybrid = row(f"**reef ask hybrid** (title {best[0]:g}, answers {best[1]:g}, query title x{best[2]}, LSA weight {best[3]:g})",
                 ranks(best, "dups"))
    names = list(dumps)
    lines = ["## Search: Stack Exchange duplicate links", "",
             "Ground truth: duplicate links (LinkTypeId 3); the duplicate question (title and body) is the query, its original the "
             "answer; the query itself is excluded; every question of the dump is a candidate. "
             + ", ".join(f"{n}: {len(d['dups'])} duplicate pairs among {d['n']} questions" for n, d in dumps.items())
             + ". So few pairs make every figure indicative (one pair moves a dump's MRR by 0.05-0.1).", "",
             "Tuning never sees a duplicate pair: the weights below were chosen by MRR@10 on the related links (LinkTypeId 1) "
             f"between other questions ({sum(len(d['rel']) for d in dumps.values())} pairs in both dumps), over a grid of "
             f"{len(grid)} settings; the LSA model of each dump was trained by `scripts/train_kb_lsa.py` on its threads minus "
             "every thread of a duplicate pair "
             + ", ".join(f"({n}: {d['threads'][best[4]]} threads)" for n, d in dumps.items()) + ".", "",
             "| ranker | " + " | ".join(f"{n} MRR@10 / Recall@10" for n in names) + " | pooled MRR@10 / Recall@10 |",
             "|---|" + "---|" * (len(names) + 1)] + rows
    verdict = "beats" if hybrid[0] > plain[0] and hybrid[1] >= plain[1] else "does not beat"
    lines += ["", f"Pooled over both dumps the hybrid {verdict} plain BM25 on MRR@10 ({hybrid[0]:.3f} vs {plain[0]:.3f}) "
              f"and Recall@10 ({hybrid[1]:.3f} vs {plain[1]:.3f}).", "",
              "Best settings on the related links (MRR@10, Recall@10): " + "; ".join(
                  f"{dict(zip(GRID, t[2]))} {t[0]:.3f} / {t[1]:.3f}" for t in tuned[:3]) + ".",
              "", "Defaults in `[kb]` " + ("equal" if all(getattr(defaults, k) == v for k, v in chosen.items()) else "**differ from**")
              + " the tuned setting: " + ", ".join(f"`{k} = {v}`" for k, v in chosen.items()) + "."]
    return "\n".join(lines), chosen


def paraphrase_part(work: Path, members: int, days: int) -> str:
    """Chinese question-to-question search on the simulator: one document per distinct phrasing; the
    query is a phrasing, the answer any other phrasing of its planted paraphrase group."""
    from reef.config import load_config
    from reef.kb.evaluation import mrr_recall
    from reef.kb.hybrid import HybridIndex, SearchParams, doc_fields, query_tokens
    from reef.kb.index import tokenize
    from train_kb_lsa import train_encoder

    p = SearchParams.from_config(load_config())
    store, _, _ = sim_store(work, 7, True, members, days)
    enc, threads = train_encoder(store, dims=p.semantic_dims)
    store.close()
    store, _, _ = sim_store(work, 11, True, members, days)
    rows = store.fetch_all("""SELECT DISTINCT q.title, coalesce(t.group_key, q.question_id) FROM kb_questions q
                              LEFT JOIN truth_content t ON t.content_id = q.question_id WHERE q.title IS NOT NULL ORDER BY 1""")
    store.close()
    titles = [r[0] for r in rows]
    groups = [r[1] for r in rows]
    queries = [i for i, g in enumerate(groups) if groups.count(g) > 1]
    pairs = [(i, j) for i in queries for j in range(len(groups)) if j != i and groups[j] == groups[i]]

    def first_ranks(scores):
        out = []
        for r, i in enumerate(queries):
            s = scores[r].copy()
            s[i] = -np.inf
            top = list(np.argsort(-s, kind="stable")[:10])
            hits = [top.index(j) + 1 for a, j in pairs if a == i and j in top]
            out.append(min(hits) if hits else 0)
        return out

    plain_row = _plain_bm25([tokenize(t) or ["_"] for t in titles])
    docs = [doc_fields(t, "") for t in titles]
    res = {"plain BM25 (bm25s, same tokens)": first_ranks(_score_matrix(plain_row, queries))}
    for label, params in (("BM25F + synonym concepts, no LSA", SearchParams.from_config(load_config(), semantic_weight=0.0)),
                          ("BM25, no concepts, + LSA", SearchParams.from_config(load_config(), search_concept_boost=0.0)),
                          ("**reef ask hybrid** (defaults: concepts + LSA)", p)):
        idx = HybridIndex(params).fit(docs, encoder=enc)
        res[label] = first_ranks(_score_matrix(lambda i: idx.scores(query_tokens(titles[i], title_weight=params.search_query_title_weight)), queries))
    vec = enc.transform([d["title"] for d in docs])
    res["LSA only"] = first_ranks(_score_matrix(lambda i: vec @ vec[i], queries))
    lines = ["## Search in Chinese: simulator paraphrase groups", "",
             f"Held-out seed 11: {len(titles)} distinct question phrasings, {len(queries)} of them in a planted paraphrase group "
             "with another phrasing (the query; the answer is any other phrasing of its group). The LSA model was trained on "
             f"the development community (seed 7, {threads} threads) by `scripts/train_kb_lsa.py`, not on seed 11. The synonym "
             "groups were written while reading the simulator's phrasings, so rows with concepts are in-vocabulary figures.", "",
             "| ranker | MRR@10 | Recall@10 |", "|---|---|---|"]
    lines += [f"| {k} | {mrr_recall(v)[0]:.3f} | {mrr_recall(v)[1]:.3f} |" for k, v in res.items()]
    return "\n".join(lines)


def best_part(work: Path) -> str:
    """Best answer without the accept flag vs "highest score wins": 5-fold cross-validation on
    quantumcomputing (each question ranked by a model that never saw it), and the shipped model
    (trained on all of quantumcomputing) on bicycles.meta, a community it never saw."""
    from reef.kb.answer_rank import BestAnswerModel
    from train_kb_best_answer import cross_validate, top_is_accepted, training_frame

    rows, notes = [], []
    for name in SE:
        store, as_of = se_store(work, name)
        df = training_frame(store, as_of)
        store.close()
        votes = top_is_accepted(df, df["net_votes"])
        if name == "quantumcomputing":
            ours, how = cross_validate(df), "5-fold cross-validation (trained on the other 4/5 of the questions)"
        else:
            ours, how = top_is_accepted(df, BestAnswerModel.builtin().decision_function(df)), "shipped model, trained on quantumcomputing only"
        n = df["question_id"].nunique()
        rows.append(f"| {name} | {n} | {how} | **{ours.mean():.3f}** | {votes.mean():.3f} | {ours.mean() - votes.mean():+.3f} |")
        notes.append(n)
    return "\n".join([
        "## Best answer without the accept flag", "",
        "Questions with an accepted answer and at least two answers. Share where the top-ranked answer is the one the asker "
        "accepted. reef: the logistic best-answer model (`reef/kb/answer_rank.py`: votes and the gap to the most-voted answer, "
        "thanks, arrival, length, evidence, the answerer's expertise on the question's tags/aspects; the accept flag is never a "
        "feature) trained by `scripts/train_kb_best_answer.py`. Highest score wins: most net votes, the earlier answer on ties.", "",
        "| dump | questions | reef model | reef | highest score wins | difference |", "|---|---|---|---|---|---|", *rows, "",
        f"One question moves a share by {1 / max(min(notes), 1):.3f}; the quantumcomputing figure is the mean over held-out folds."])


def demo_store(work: Path):
    """The `reef demo` community (simulate defaults: 3000 members, 180 days, seed 7) with kb_qa, built once."""
    from reef.analyses import run_analyses
    from reef.api import simulate_community
    from reef.store import open_store

    path = work / "demo.duckdb"
    fresh = not path.exists()
    store = open_store(path)
    if fresh:
        simulate_community(store)
    if REUSE and store.table_exists("kb_questions"):
        return store
    run_analyses(store, only=["kb_qa"])
    return store


def cluster_sizes(store, density: float) -> dict:
    """Clusters of the store's questions at ``density`` (0 = connected components) on the current [kb] graph."""
    from sklearn.metrics import adjusted_rand_score

    from reef.kb.clusters import cluster_labels, questions
    from reef.kb.params import KbParams

    p = KbParams.from_config(store.config)
    q = questions(store)
    texts = [r["text"] or "" for r in q]
    t = time.process_time()
    labels = cluster_labels(texts, threshold=p.cluster_similarity, density=density, minhashes=[r["minhash"] for r in q])
    cpu = time.process_time() - t
    _, counts = np.unique(labels, return_counts=True)
    out = {"questions": len(q), "clusters": len(counts), "largest": int(counts.max()), "cpu_s": cpu,
           "share2": float(counts[counts >= 2].sum() / counts.sum()), "labels": labels, "texts": texts, "ari": None}
    group = dict(store.fetch_all("SELECT content_id, group_key FROM truth_content WHERE group_key IS NOT NULL")
                 if store.table_exists("truth_content") else [])
    if group:  # an imported community has the table but no planted groups
        truth = [group.get(r["question_id"], r["question_id"]) for r in q]
        out["ari"], out["group"] = adjusted_rand_score(truth, labels), int(np.unique(truth, return_counts=True)[1].max())
    return out


def cluster_part(work: Path, members: int, days: int) -> str:
    """Connected components against Leiden CPM on the same graph, and the pre-registered adoption check."""
    from reef.config import packaged_defaults

    cpm = float(packaged_defaults("kb")["cluster_density"]) or 0.5
    rows, res, opened = [], {}, []
    for name in ("seed 7 (development)", "seed 11 (held out)", "demo (3000 members, 180 days, seed 7)", "se-quantumcomputing"):
        if name.startswith("seed"):
            store = sim_store(work, int(name.split()[1]), True, members, days)[0]
        elif name.startswith("demo"):
            store = demo_store(work)
        else:
            store = se_store(work, "quantumcomputing")[0]
        for label, d in (("connected components", 0.0), (f"Leiden CPM {cpm}", cpm)):
            r = res[(name, d)] = cluster_sizes(store, d)
            ari = "—" if r["ari"] is None else f"{r['ari']:.3f}"
            rows.append(f"| {name} | {label} | {r['questions']} | {r['clusters']} | {r['largest']} | {r.get('group', '—')} | "
                        f"{r['share2']:.3f} | {ari} |")
        store.close()
    ari_ok = res[("seed 7 (development)", cpm)]["ari"] >= res[("seed 7 (development)", 0.0)]["ari"] - 0.01
    big = {n: res[(n, cpm)]["largest"] <= res[(n, 0.0)]["largest"] / 2
           for n in ("demo (3000 members, 180 days, seed 7)", "se-quantumcomputing")}
    demo = "demo (3000 members, 180 days, seed 7)"
    unreachable = res[(demo, 0.0)].get("group", 0) if res[(demo, 0.0)].get("group", 0) > res[(demo, 0.0)]["largest"] / 2 else 0
    for label, d in (("Leiden CPM", cpm), ("connected components, for comparison", 0.0)):
        r = res[("se-quantumcomputing", d)]
        vals, counts = np.unique(r["labels"], return_counts=True)
        opened.append(f"{label}:")
        for v in vals[np.argsort(-counts, kind="stable")][:5]:
            idx = np.flatnonzero(r["labels"] == v)
            opened.append(f"- {len(idx)}: " + " / ".join(f"\"{r['texts'][i]}\"" for i in idx[:3]))
        opened.append("")
    return "\n".join([
        "### Clustering: connected components against Leiden CPM", "",
        "The same similarity graph (cosine >= `kb.cluster_similarity` or MinHash copy-paste) clustered two ways. Share: "
        "questions in clusters of two or more. Adjusted Rand against the planted question groups (the demo is simulated too; "
        "se-quantumcomputing has no ground truth).", "",
        "| community | clustering | questions | clusters | largest | largest planted group | share in 2+ | adjusted Rand |",
        "|---|---|---|---|---|---|---|---|",
        *rows, "", "Adoption rule, written before the variant ran: " + CLUSTER_ADOPTION, "",
        f"Outcome: (1) seed-7 adjusted Rand within 0.01: {'yes' if ari_ok else 'no'}; (2) largest cluster at most half: "
        + ", ".join(f"{n.split(' (')[0]} {'yes' if ok else 'no'}" for n, ok in big.items())
        + ("" if not unreachable else f" (the demo's largest planted group alone has {unreachable} askings, more than half of "
           "the components' largest: no clustering that matched the planted groups could meet this part)")
        + f". Default `kb.cluster_density`: {packaged_defaults('kb')['cluster_density']} "
        + ("(Leiden CPM adopted)." if packaged_defaults("kb")["cluster_density"] else "(connected components: not adopted)."),
        "", "The five largest se-quantumcomputing clusters (size: first three titles), for the by-eye part (3):", "", *opened][:-1])


def sim_part(work: Path, members: int, days: int) -> str:
    """Repeated-question clusters vs planted paraphrase groups, planted unanswered groups among the
    top gaps, outdated answers; threshold tuned on seed 7, seed 11 held out."""
    from sklearn.metrics import adjusted_rand_score

    rows = []
    for seed, role in ((7, "tuning"), (11, "held out")):
        store, as_of, _ = sim_store(work, seed, True, members, days)
        pairs = store.fetch_all("""SELECT coalesce(t.group_key, q.question_id), q.cluster_id FROM kb_questions q
                                   LEFT JOIN truth_content t ON t.content_id = q.question_id""")
        ari = adjusted_rand_score([p[0] for p in pairs], [p[1] for p in pairs])
        groups = len({p[0] for p in pairs if str(p[0]).startswith("q") and len(str(p[0])) == 3})
        planted = set(store.fetch_all("""SELECT json_extract_string(params, '$.unanswered_groups[*]') FROM truth_scenarios
                                         WHERE scenario = 'knowledge_gaps'""")[0][0] or [])
        top = store.fetch_all("""SELECT t.group_key FROM kb_gaps g LEFT JOIN truth_content t ON t.content_id = g.canonical_id
                                 WHERE g.kind = 'unanswered' ORDER BY g.rank LIMIT 3""")
        kinds = dict(store.fetch_all("SELECT kind, count(*) FROM kb_gaps GROUP BY 1"))
        rows.append(f"| {seed} | {role} | {len({p[1] for p in pairs})} / {groups} | {ari:.3f} | "
                    f"{sum(1 for (g,) in top if g in planted)} / {len(planted)} | {kinds.get('outdated', 0)} |")
        store.close()
    return "\n".join([
        "## Simulator: repeated questions and gaps", "",
        f"Simulated communities of {members} members over {days} days. Clusters: the similarity graph of TF-IDF cosine "
        "(words + synonym concepts) at `kb.cluster_similarity` (chosen on seed 7 with connected components; seed 11 held "
        "out), clustered at `kb.cluster_density` (0: connected components; see the table below). Gaps: the three highest-"
        "priority `unanswered` gaps against the planted never-answered groups. Outdated: best answers overtaken by an OTA version "
        "or model year that arrived later on their topic (the simulator draws versions at random, so this count shows the check "
        "runs, not that it is right; tests/kb covers a planted case).", "",
        "| seed | role | clusters / planted groups | adjusted Rand | planted unanswered in top-3 gaps | outdated answers |",
        "|---|---|---|---|---|---|", *rows, "",
        "The synonym groups (`reef/kb/resources/synonyms.txt`) were written while reading the simulator's question phrasings, "
        "so the adjusted Rand is an in-vocabulary figure; real communities need their own synonym groups.", "",
        cluster_part(work, members, days)])


def speed_part(work: Path, posts: int) -> str:
    """benchmarks/bench_kb.py at ``posts`` posts (the simulated store is reused from ``work``)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_kb import run

    r = run(posts, work)
    st, s = r["store"], r["search"]
    rows = [f"| {k} | {v['wall_s']:.1f} | {v['cpu_s']:.1f} | {v.get('peak_rss_mb', float('nan')):.0f} |"
            for k, v in r.items() if isinstance(v, dict) and "wall_s" in v]
    idx, cg = r["index: total"], r["clustering and gaps: total"]
    return "\n".join([
        "## Speed (benchmarks/bench_kb.py)", "",
        f"A simulated community of {st['members']:,} members with {st['content']:,} content items ({st.get('indexed_posts', 0):,} "
        "posts with text; poll votes and events have none). Text features from the simulator's ground truth (the text model "
        "has its own benchmark). 2 cores, "
        + ("**shared with other jobs** " if max(st["load_before"], st["load_after"]) > 2.5 else "otherwise quiet ")
        + f"(load average {st['load_before']:.1f} before, {st['load_after']:.1f} after, on 2 cores"
        + ("): wall time is inflated by the other jobs, CPU time (this process and its workers) is the steadier figure."
           if max(st["load_before"], st["load_after"]) > 2.5 else ", this process included)."), "",
        "| step | wall (s) | CPU (s) | peak RSS (MB) |", "|---|---|---|---|", *rows, "",
        f"| target | measured | met |", "|---|---|---|",
        f"| index 1M posts < 5 min on 2 cores | wall {idx['wall_s']:.0f} s, CPU {idx['cpu_s']:.0f} s | "
        f"{'yes' if idx['wall_s'] < 300 else 'wall no, CPU yes' if idx['cpu_s'] < 300 else 'no'} |",
        f"| search p95 < 100 ms | wall p95 {s['p95_ms']:.1f} ms (p50 {s['p50_ms']:.1f}, p99 {s['p99_ms']:.1f}), CPU p95 {s['cpu_p95_ms']:.1f} ms; "
        f"{s['mode']} | {'yes' if s['p95_ms'] < 100 else 'no'} |",
        f"| clustering and gaps for 1M posts < 10 min | wall {cg['wall_s']:.0f} s, CPU {cg['cpu_s']:.0f} s | "
        f"{'yes' if cg['wall_s'] < 600 else 'no'} |"])


# --------------------------------------------------------------------------------------- crisis
ABLATION = [
    ("all negative posts and replies, no lean, no breadth rule", {"kb.crisis_roots_only": False, "kb.crisis_lean_score": -2.0,
                                                                  "kb.crisis_min_new_authors": 0, "kb.crisis_new_authors_per_1k": 0.0}),
    ("+ root posts only", {"kb.crisis_lean_score": -2.0, "kb.crisis_min_new_authors": 0, "kb.crisis_new_authors_per_1k": 0.0}),
    ("+ leaning-negative score counts", {"kb.crisis_min_new_authors": 0, "kb.crisis_new_authors_per_1k": 0.0}),
    ("+ at least 6 authors new to the aspect (defaults)", {}),
    ("defaults, but test the outsiders' count", {"kb.crisis_count_outsiders": True}),
    ("defaults, persistence 2 hours", {"kb.crisis_persistence": 2}),
    ("defaults, alpha 0.001", {"kb.crisis_alpha": 0.001}),
    ("defaults before the polarity-2 text model (alpha 0.05, 5 new authors)", {"kb.crisis_alpha": 0.05, "kb.crisis_min_new_authors": 5}),
    ("defaults, alarmed windows kept in the baseline (before kb_crisis 6)", {"kb.crisis_skip_alarms": False}),
]


def crisis_run(store, as_of, config) -> dict:
    from reef.kb.crisis import daily_table, hourly_table, load_signals
    from reef.kb.evaluation import crisis_outcome, planted_wave

    sig = load_signals(store, as_of, config)
    daily = daily_table(store, as_of, config, sig, hourly_table(store, as_of, config, sig))
    return crisis_outcome(daily, planted_wave(store))


def crisis_part(work: Path, members: int, days: int) -> str:
    from reef.kb.evaluation import planted_wave

    results = {}
    for role, seeds in (("development", CRISIS_DEV), ("held out", CRISIS_HELD)):
        for kind in ("planted", "control"):
            for seed in seeds[kind]:
                store, as_of, secs = sim_store(work, seed, kind == "planted", members, days)
                main = crisis_run(store, as_of, store.config)  # the kb_crisis analysis' code path, current [kb]
                text_version = store.fetch_value("SELECT any_value(model_version) FROM content_features")
                abl = [crisis_run(store, as_of, store.config.with_overrides(o)) for _, o in ABLATION]
                results[(role, kind, seed)] = (main, abl, planted_wave(store))
                store.close()
    lines = ["## Breakwater: planted PR wave and false alarms", "",
             f"Simulated communities of {members} members over {days} days (end 2026-06-30); the first "
             "28 days only build the baseline. Normal days: every tested day of a clean control run "
             "(`SimulationSpec(planted=False)`: no crisis, backlash, faction conflict or misinformation), "
             "and the days before the wave of a planted run. A false-alarm day is a normal day with an alarm "
             "on any aspect (`全部` included). Delay: hours from the wave's start (00:00 of its first day; its "
             "first posts come from about 08:00) to the first alarm on the planted aspect; \"within one day\" "
             "is at most 24 h. The defaults (`[kb] crisis_*`) were chosen on the development seeds "
             f"(planted {', '.join(map(str, CRISIS_DEV['planted']))}; control {', '.join(map(str, CRISIS_DEV['control']))}); "
             f"held-out seeds (planted {', '.join(map(str, CRISIS_HELD['planted']))}; control "
             f"{', '.join(map(str, CRISIS_HELD['control']))}) only report them. The detector reads the text layer's sentiment, "
             f"so these figures hold for text models `{text_version}`. When the text layer moved to ccf_sentiment-4 / "
             "ccf_polarity-2, the held-out false alarms rose above the target (8 of 392 normal days), so the defaults were "
             "chosen again on the development runs only, now 9 of them (planted 9 and 10, control 16 and 17 added), over a "
             "grid of alpha (0.05, 0.02, 0.01, 0.005), minimum new authors (5, 6, 7) and lean score (-0.05, -0.1, -0.15); "
             "rule, fixed before the grid ran: every wave within 24 h and at most 1 false alarm per 90 days, then the "
             "fewest false alarms, then the fewest changed settings, then the shortest total delay. alpha 0.05 became 0.01 "
             "and the minimum new authors 5 became 6 (0 false-alarm days of 692 there). An earlier choice from the "
             "first 5 development runs alone (lean score -0.1) was also run on the held-out seeds (5 of 392 days, still "
             "above the target): that look is why the development runs were extended before choosing again; the held-out "
             "seeds were then run once more. The last ablation row shows the old defaults. Rerun (stores rebuilt) after staff "
             "and brand posts were taken out of the wave's posts (kb_crisis 4): no row of the defaults moved, as expected "
             "since the detector reads root posts and none of the staff roots here is negative; the ablation rows that "
             "count replies moved by at most one hour or one day. kb_crisis 6 leaves a past window whose own evaluation alarmed "
             "out of the baseline (`kb.crisis_skip_alarms`): \"wave days alarmed\" (days from the wave's first to its last on "
             "which its aspect alarmed) rose from 12 / 24 (development) and 6 / 12 (held out) with the old baseline, its last "
             "ablation row, to every day, with the defaults' delays and false-alarm days unchanged (before this change, on the "
             "same stores: 0 / 692 and 2 / 392; the held-out control 11 figure was 3 / 392 on the stores of the previous "
             "run). The looser detectors of the first ablation rows, which alarm on normal days, gain 1 to 5 false-alarm days "
             "from it (a false alarm's window no longer lifts the baseline after it). kb_crisis 7 counts the distinct authors of "
             "each tested window instead of a rolling 24-hour throttle of each author's posts (which left an author whose "
             "kept post was the evening before out of every window of the next morning, so 9 to 26 of each store's 1,380 "
             "day rows showed fewer negative posts than negative authors, none now): the defaults' delays, wave days "
             "alarmed and false-alarm days are the same as before it on these stores (checked with the old code on the "
             "same stores: 4 / 4 within 24 h, 24 / 24, 0 / 692; 2 / 2, 12 / 12, 2 / 392), and so are the ablation rows "
             "of the outsiders' count, persistence 2, alpha 0.001 and kb_crisis 6. Only the looser detectors moved, by the "
             "authors the throttle had dropped (old code, same stores: the first three rows' development delays 64, 37, 18, "
             "21 and false-alarm days 52, 13, 31 of 692, held out 14, 7, 22 of 392; the polarity-2 row 14 of 692).", "",
             "| seeds | run | seed | wave aspect | delay (h) | wave days alarmed | normal days | false-alarm days | false alarms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for (role, kind, seed), (main, _, wave) in results.items():
        delay = "—" if kind == "control" else ("missed" if main["delay_hours"] is None else f"{main['delay_hours']:.0f}")
        span = f"{main['wave_alarm_days']} / {main['wave_days']}" if "wave_days" in main else "—"
        lines.append(f"| {role} | {kind} | {seed} | {wave['aspect'] if wave else '—'} | {delay} | {span} | {main['normal_days']} | "
                     f"{main['false_alarm_days']} | {', '.join(main['false_alarms']) or 'none'} |")
    lines += ["", "| seeds | detected within 24 h | false-alarm days / normal days | per 90 normal days |", "|---|---|---|---|"]
    for role in ("development", "held out"):
        rs = [v for k, v in results.items() if k[0] == role]
        waves = [m for m, _, w in rs if w]
        fa, nd = sum(m["false_alarm_days"] for m, _, _ in rs), sum(m["normal_days"] for m, _, _ in rs)
        hit = sum(1 for m in waves if m["delay_hours"] is not None and m["delay_hours"] <= 24)
        lines.append(f"| {role} | {hit} / {len(waves)} | {fa} / {nd} | {90 * fa / max(nd, 1):.2f} |")
    lines += ["", "Ablation (same runs; the first four rows add one part of the detector at a time, the last five vary the defaults):", "",
              "| detector | dev: delays (h) | dev: wave days alarmed | dev: false-alarm days / normal | held out: delays (h) | "
              "held out: wave days alarmed | held out: false-alarm days / normal |",
              "|---|---|---|---|---|---|---|"]
    for i, (label, _) in enumerate(ABLATION):
        cells = []
        for role in ("development", "held out"):
            rs = [(v[1][i], v[2]) for k, v in results.items() if k[0] == role]
            delays = ", ".join("missed" if m["delay_hours"] is None else f"{m['delay_hours']:.0f}" for m, w in rs if w)
            span = f"{sum(m.get('wave_alarm_days', 0) for m, w in rs if w)} / {sum(m.get('wave_days', 0) for m, w in rs if w)}"
            fa, nd = sum(m["false_alarm_days"] for m, _ in rs), sum(m["normal_days"] for m, _ in rs)
            cells += [delays, span, f"{fa} / {nd}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    from doc_sections import replace_section

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="/tmp/kb-validate", help="folder for the stores (reused between runs)")
    ap.add_argument("--members", type=int, default=1500)
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--only", default="search,best,sim,crisis,speed", help="comma-separated parts")
    ap.add_argument("--speed-posts", type=int, default=1_000_000, help="posts for the speed part")
    ap.add_argument("--bench-work", default="/tmp/bench-kb", help="folder of the speed part's simulated store (reused)")
    ap.add_argument("--reuse", action="store_true", help="reuse analyses already in the work folder (development only)")
    a = ap.parse_args()
    global REUSE
    REUSE = a.reuse
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    parts = set(a.only.split(","))
    if not DOC.exists() or "<!-- BEGIN" not in DOC.read_text(encoding="utf-8"):
        DOC.write_text(TITLE + "\n", encoding="utf-8")
    if "search" in parts:
        text, _ = search_part(work)
        text += "\n\n" + paraphrase_part(work, a.members, a.days)
        replace_section(DOC, "search", text, title=TITLE)
        print(text)
    if "best" in parts:
        text = best_part(work)
        replace_section(DOC, "best", text, title=TITLE)
        print(text)
    if "sim" in parts:
        text = sim_part(work, a.members, a.days)
        replace_section(DOC, "sim", text, title=TITLE)
        print(text)
    if "crisis" in parts:
        text = crisis_part(work, a.members, a.days)
        replace_section(DOC, "crisis", text, title=TITLE)
        print(text)
    if "speed" in parts:
        text = speed_part(Path(a.bench_work), a.speed_posts)
        replace_section(DOC, "speed", text, title=TITLE)
        print(text)


if __name__ == "__main__":
    main()
