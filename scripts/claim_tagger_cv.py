"""Prototype: a learned decision over the claim rules' number+unit candidates, by leave-one-set-out CV.

Not product code. For each labelled fixture in tests/text/fixtures (the eight 300-sentence sets are the held-out
folds; claims.jsonl and claims_holdout.jsonl are only ever training), it trains a logistic regression on the
candidates of the other sets (scripts/claim_tagger_candidates.py: every number the rules' unit patterns match, plus
bare numbers in a 油耗 sentence and "7.6S", with the rules' cue and guard outcomes as features), picks the decision
threshold by an inner leave-one-set-out CV over the training sets only, and scores the held-out set exactly like
``reef.text.evaluate.claim_scores`` (per sentence, sets of (attribute, value rounded to 3, unit) after
``normalize_texts``).

Printed, per held-out set and pooled: the candidate recall ceiling; (a) the current rules (``extract_claims``;
optimistic, they were written against these sets, except round 5a/5b which they were measured on blind);
(b) the learned decision with the rule features, threshold for precision >= 0.95 on the inner CV (b95) and for
max F1 (bF1); (c) the same without the rule / guard features. Then the top errors of (b95), pooled.

Variant (d), printed after: the rules' decision as each set saw it *blind*. The seven blind 300-sets are the folds;
a candidate's only rule features are what the rule version frozen before that set was labelled extracted there
(scripts/claim_blind_rule_claims.py, cached): d_accepts (a claim of the same attribute at an overlapping span),
d_value (and with the same value and unit), d_other (a claim of another attribute there). No current-rule guard
features. (a') is those blind rule versions themselves (the documented blind figures). claims_300, claims and
claims_holdout have no blind rule version: left out of (d) unless ``--d-nonblind`` (then training rows only, with a
``no_blind_rules`` flag and no d_ features).

``--with-round6`` (after round 6 was measured) adds its two sets as folds of (b, c) and as blind sets of (d), read by
the rules unchanged since round 5; docs/text-claims.md, "Round 6: measured", quotes that run.

Usage:
    .venv/bin/python scripts/claim_tagger_cv.py [--no-extra] [--errors 30] [--blind-cache PATH] [--d-nonblind]
                                                [--with-round6]
"""
from __future__ import annotations

import argparse
import json
import math
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claim_blind_rule_claims import BLIND, DEFAULT_OUT, ROUND6, text_hash  # noqa: E402
from claim_blind_rule_claims import build as build_blind_cache  # noqa: E402
from claim_tagger_candidates import candidates  # noqa: E402

from reef.text.claims import extract_claims  # noqa: E402
from reef.text.evaluate import claim_key, prf  # noqa: E402
from reef.text.normalize import normalize_texts  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "text" / "fixtures"
FOLDS = ("claims_300", "claims_fresh_300", "claims_test_300", "claims_check_300", "claims_final_300",
         "claims_confirm_300", "claims_round5a_300", "claims_round5b_300")
TRAIN_ONLY = ("claims", "claims_holdout")
SEED = 0
C_REG = 1.0  # fixed, not tuned
TARGET_P = 0.95
CUE_WORDS = ("油耗", "有耗", "百公里", "每百公里", "价格", "价", "优惠", "落地", "裸车", "指导价", "售价", "报价", "预算",
             "加速", "零百", "破百", "续航", "满电", "充电", "快充", "慢充", "充满", "质保", "保修", "延保", "保养", "电池",
             "电耗", "能耗", "度电", "公里", "高速", "市区", "机油", "加油", "油箱", "一箱", "二手", "收", "卖", "买", "花了",
             "万", "元", "块", "保险", "税", "维修", "修", "配件", "降", "便宜", "贵", "比", "差", "剩", "跑了", "开了",
             "款", "排量", "时速", "秒", "分钟", "小时", "个", "升", "送", "值", "如果", "显示", "表显", "实测", "官方")
RULE_FEATURES = ("rule_accepts", "cue_pass", "overlap_taken", "block_before", "delta_before", "delta_after",
                 "cue_near", "cue_in_sentence", "carried_same", "carried_any")
_DIGIT = re.compile(r"\d")


def load_path(path: Path) -> list[dict]:
    """Rows of a claim JSONL file with their normalised text, liveness and gold claim keys."""
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    for r, n in zip(rows, normalize_texts([r["text"] for r in rows])):
        r["norm"] = n["text"]
        r["live"] = "empty" not in n["flags"] and "no_words" not in n["flags"]
        r["gold"] = {claim_key(c) for c in r.get("claims") or []}
    return rows


def load(name: str) -> list[dict]:
    return load_path(FIXTURES / f"{name}.jsonl")


def _grams(side: str, s: str) -> list[str]:
    return [f"{side}{n}:{s[i:i + n]}" for n in (1, 2, 3) for i in range(len(s) - n + 1)]


def features(c: dict, rule_feats: bool) -> dict[str, float]:
    """Binary features of one candidate; every feature also conjoined with the attribute."""
    a, text, s, e = c["attribute"], c["text"], c["start"], c["end"]
    f: list[str] = [f"unit:{c['raw_unit']}", f"canon:{c['unit']}", "range" if c["is_range"] else "single"]
    f += [f"rule:{r}" for r in c["rules"]]
    num = c["num"]
    f.append("num:cn" if not num[:1].isdigit() else ("num:dec" if "." in num else f"num:int{min(len(num), 5)}"))
    if "万" in num or "千" in num:
        f.append("num:wan")
    v = c["value"]
    f.append(f"vb:{math.floor(math.log2(v) * 2) if v > 0 else 'z'}")
    left = _DIGIT.sub("0", text[max(0, s - 8):s])
    right = _DIGIT.sub("0", text[e:e + 6])
    f += _grams("L", left) + _grams("R", right)
    f.append(f"L1:{left[-1:] or '^'}")
    f.append(f"R1:{right[:1] or '$'}")
    clause, sentence = c["clause"], c["sentence"]
    f += [f"cc:{w}" for w in CUE_WORDS if w in clause]
    f += [f"cs:{w}" for w in CUE_WORDS if w in sentence and w not in clause]
    if rule_feats:
        f += [k for k in RULE_FEATURES if c[k]]
        f.append("rule_rejects" if not c["rule_accepts"] else "rule_ok")
    else:
        # Pure context: another candidate of the same attribute earlier in the sentence (no rule decision).
        if c.get("same_attr_before"):
            f.append("same_attr_before")
    out = {"bias_attr": 1.0}
    for x in f:
        out[x] = 1.0
        out[f"{a}|{x}"] = 1.0
    out[f"attr:{a}"] = 1.0
    return out


def build(rows: list[dict], extra: bool) -> list[dict]:
    """Candidates of every sentence, each with its sentence index and label."""
    cands = []
    for i, r in enumerate(rows):
        if not r["live"]:
            continue
        seen: set[str] = set()
        for c in candidates(r["norm"], extra=extra):
            c["same_attr_before"] = c["attribute"] in seen
            seen.add(c["attribute"])
            c["sent"] = i
            c["key"] = claim_key(c)
            c["label"] = int(c["key"] in r["gold"])
            cands.append(c)
    return cands


def report_groups(folds: tuple, noun: str) -> list[tuple[str, list[str]]]:
    """Rows of a figures table: each fold, all folds pooled, and each measured round's pair pooled."""
    groups = [(n, [n]) for n in folds] + [(f"pooled {len(folds)} {noun}", list(folds))]
    for rnd in ("5", "6"):
        pair = [f"claims_round{rnd}a_300", f"claims_round{rnd}b_300"]
        if all(n in folds for n in pair):
            groups.append((f"pooled round{rnd}a+{rnd}b", pair))
    return groups


def _int32(X):
    """DictVectorizer here yields int64 indices, which liblinear refuses; the matrices are small."""
    X = X.tocsr()
    X.indices = X.indices.astype(np.int32)
    X.indptr = X.indptr.astype(np.int32)
    return X


def vectorise(cands: dict[str, list[dict]], rule_feats: bool):
    """One sparse row per candidate of every set. The vocabulary spans all sets, which changes nothing: a feature
    never seen in a training fold is an all-zero column there, and L2-regularised logistic regression gives it weight 0.
    """
    names = list(cands)
    vec = DictVectorizer()
    X = _int32(vec.fit_transform([features(c, rule_feats) for n in names for c in cands[n]]))
    out, i = {}, 0
    for n in names:
        out[n] = (X[i:i + len(cands[n])], np.array([c["label"] for c in cands[n]]))
        i += len(cands[n])
    return out


def fit(mats: dict, names: list[str]) -> LogisticRegression:
    X = sp.vstack([mats[n][0] for n in names], format="csr")
    X = _int32(X)
    y = np.concatenate([mats[n][1] for n in names])
    return LogisticRegression(C=C_REG, solver="liblinear", random_state=SEED, max_iter=2000).fit(X, y)


def score(model, mats: dict, name: str) -> np.ndarray:
    X = mats[name][0]
    return model.predict_proba(X)[:, 1] if X.shape[0] else np.zeros(0)


def kept(cands: list[dict], scores: np.ndarray) -> np.ndarray:
    """One number, one attribute: greedy by score within each sentence (independent of the threshold)."""
    keep = np.zeros(len(cands), dtype=bool)
    by_sent: dict[int, list[int]] = {}
    for j, c in enumerate(cands):
        by_sent.setdefault(c["sent"], []).append(j)
    for idx in by_sent.values():
        spans: list[tuple[int, int]] = []
        for j in sorted(idx, key=lambda j: -scores[j]):
            s, e = cands[j]["start"], cands[j]["end"]
            if not any(s < te and ts < e for ts, te in spans):
                keep[j] = True
                spans.append((s, e))
    return keep


def predict_sets(rows, cands, scores, keep, threshold) -> list[set]:
    pred = [set() for _ in rows]
    for j, c in enumerate(cands):
        if keep[j] and scores[j] >= threshold:
            pred[c["sent"]].add(c["key"])
    return pred


def pick_threshold(sets: list[tuple[list[dict], list[dict], np.ndarray, np.ndarray]]) -> tuple[float, float]:
    """(threshold for precision >= TARGET_P with the most recall, or max F1 if unreachable; threshold for max F1)."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    best95, best_f1 = None, (-1.0, 0.5)
    for t in grid:
        pairs = []
        for rows, cands, sc, kp in sets:
            pairs += list(zip((r["gold"] for r in rows), predict_sets(rows, cands, sc, kp, t)))
        p, r, _ = prf(pairs)
        f1 = 2 * p * r / max(1e-9, p + r)
        if f1 > best_f1[0]:
            best_f1 = (f1, float(t))
        if p >= TARGET_P and (best95 is None or r > best95[0]):
            best95 = (r, float(t))
    return (best95[1] if best95 else best_f1[1]), best_f1[1]


# ---- Variant d: rule features from the rule version that was blind to each set -------------------------------------
BLIND_SETS = BLIND
BLIND_FOLDS = tuple(name for name, *_ in BLIND_SETS)
A = "a'"  # the blind rule versions
NONBLIND = ("claims_300",) + TRAIN_ONLY
D_FEATURES = ("d_accepts", "d_value", "d_other")


def blind_rule_claims(path: Path, data: dict[str, list[dict]]) -> dict[str, list[list[dict]]]:
    """Per blind set, per sentence, the claims of its blind rule version (from the cache; rebuilt if stale)."""
    def fresh(cache):
        return all(n in cache["sets"] and cache["sets"][n]["text_hash"] == text_hash([r["norm"] for r in data[n]])
                   for n in BLIND_FOLDS)
    cache = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if cache is None or not fresh(cache):
        print(f"(re)building the blind-rule cache {path}")
        cache = build_blind_cache(path, BLIND_SETS)
    if not fresh(cache):
        raise SystemExit(f"{path}: the cached texts do not match the fixtures' normalised texts")
    return {n: cache["sets"][n]["claims"] for n in BLIND_FOLDS}


def annotate_blind(cands: list[dict], blind: list[list[dict]] | None) -> None:
    """Set the d_ fields of each candidate from its sentence's blind-rule claims (None: no blind version)."""
    for c in cands:
        c["blind"] = blind is not None
        if blind is None:
            continue
        acc = val = other = False
        for b in blind[c["sent"]]:
            if not (b["start"] < c["end"] and c["start"] < b["end"]):
                continue
            if b["attribute"] == c["attribute"]:
                acc = True
                val = val or claim_key(b) == c["key"]
            else:
                other = True
        c["d_accepts"], c["d_value"], c["d_other"] = acc, val, other


def features_d(c: dict) -> dict[str, float]:
    """Context features (as variant c) plus only the blind rule version's decision."""
    out = features(c, rule_feats=False)
    a = c["attribute"]
    flags = ([k for k in D_FEATURES if c[k]] + (["d_rejects"] if not c["d_accepts"] else [])
             if c["blind"] else ["no_blind_rules"])
    for x in flags:
        out[x] = 1.0
        out[f"{a}|{x}"] = 1.0
    return out


def vectorise_d(cands: dict[str, list[dict]]):
    names = list(cands)
    vec = DictVectorizer()
    X = _int32(vec.fit_transform([features_d(c) for n in names for c in cands[n]]))
    out, i = {}, 0
    for n in names:
        out[n] = (X[i:i + len(cands[n])], np.array([c["label"] for c in cands[n]]))
        i += len(cands[n])
    return out


def run_d(data: dict, cands: dict, args) -> None:
    """Leave one blind set out; train on the other six (plus the non-blind sets with --d-nonblind)."""
    blind = blind_rule_claims(args.blind_cache, data)
    for n in data:
        annotate_blind(cands[n], blind.get(n))
    extra_train = list(NONBLIND) if args.d_nonblind else []
    mats = vectorise_d({n: cands[n] for n in list(BLIND_FOLDS) + extra_train})
    rule_pred = {n: [{claim_key(c) for c in cl} for cl in blind[n]] for n in BLIND_FOLDS}
    results: dict[str, dict[str, tuple]] = {"d95": {}, "dF1": {}}
    thresholds: dict[str, dict[str, float]] = {"d95": {}, "dF1": {}}
    for held in BLIND_FOLDS:
        train_sets = [n for n in BLIND_FOLDS if n != held]
        inner = []
        for inner_held in train_sets:
            model = fit(mats, [n for n in train_sets if n != inner_held] + extra_train)
            sc = score(model, mats, inner_held)
            inner.append((data[inner_held], cands[inner_held], sc, kept(cands[inner_held], sc)))
        t95, tf1 = pick_threshold(inner)
        model = fit(mats, train_sets + extra_train)
        sc = score(model, mats, held)
        kp = kept(cands[held], sc)
        for tag, t in (("d95", t95), ("dF1", tf1)):
            results[tag][held] = (predict_sets(data[held], cands[held], sc, kp, t), sc, kp)
            thresholds[tag][held] = t

    print("\n=== variant d: rule features from the rule version that was blind to each set ===")
    print(f"folds: the {len(BLIND_FOLDS)} blind sets; training: the other {len(BLIND_FOLDS) - 1}"
          + (" + claims_300, claims, claims_holdout (no rule features)" if extra_train else " only"))
    preds = {"a'": rule_pred, "d95": {n: results["d95"][n][0] for n in BLIND_FOLDS},
             "dF1": {n: results["dF1"][n][0] for n in BLIND_FOLDS}}
    rng = np.random.default_rng(SEED)

    def counts(names, v):
        return np.array([(len(r["gold"] & p), len(p - r["gold"]), len(r["gold"] - p))
                         for n in names for r, p in zip(data[n], preds[v][n])])

    def f1(cnt):
        tp, fp, fn = cnt[..., 0], cnt[..., 1], cnt[..., 2]
        return 2 * tp / np.maximum(1, 2 * tp + fp + fn)

    def prf_c(cnt):
        tp, fp, fn = cnt.sum(axis=0)
        return tp / max(1, tp + fp), tp / max(1, tp + fn), tp + fn

    head = (f"{'held-out set':<22}{'gold':>5}" + "".join(f"{v + ' P':>8}{v + ' R':>7}{v + ' F1':>7}" for v in preds)
            + "   F1(d95)-F1(a') 95% CI        F1(dF1)-F1(a') 95% CI")
    print(head)
    print("-" * len(head))
    groups = report_groups(BLIND_FOLDS, "blind sets")
    for label, names in groups:
        cnt = {v: counts(names, v) for v in preds}
        line = f"{label:<22}{int(cnt[A][:, [0, 2]].sum()):>5}"
        for v in preds:
            p, r, _ = prf_c(cnt[v])
            line += f"{p:>8.3f}{r:>7.3f}{f1(cnt[v].sum(axis=0)):>7.3f}"
        idx = rng.integers(0, len(cnt["a'"]), size=(2000, len(cnt["a'"])))
        base = f1(cnt["a'"][idx].sum(axis=1))
        for v in ("d95", "dF1"):
            d = f1(cnt[v][idx].sum(axis=1)) - base
            lo, hi = np.percentile(d, [2.5, 97.5])
            line += f"   {f1(cnt[v].sum(axis=0)) - f1(cnt[A].sum(axis=0)):+.3f} [{lo:+.3f},{hi:+.3f}]"
            line += f" P>0 {np.mean(d > 0):.2f}"
        print(line)
    for src in ("ccf", "simulator"):
        line = f"{f'pooled {len(BLIND_FOLDS)}, ' + src:<22}"
        sub = {v: np.array([(len(r["gold"] & p), len(p - r["gold"]), len(r["gold"] - p))
                            for n in BLIND_FOLDS for r, p in zip(data[n], preds[v][n]) if r.get("source") == src])
               for v in preds}
        line += f"{int(sub[A][:, [0, 2]].sum()):>5}"
        for v in preds:
            p, r, _ = prf_c(sub[v])
            line += f"{p:>8.3f}{r:>7.3f}{f1(sub[v].sum(axis=0)):>7.3f}"
        print(line)
    print("(bootstrap: 2000 paired resamples of the sentences of each row)")
    print("thresholds chosen by inner CV (per held-out set):")
    for v in thresholds:
        print(f"  {v}: " + " ".join(f"{n.replace('claims_', '').replace('_300', '')}={thresholds[v][n]:.2f}"
                                     for n in BLIND_FOLDS))
    # How d95 moves against the blind rules, pooled: claims added / dropped, and whether each change was right.
    added = dropped = added_ok = dropped_ok = 0
    for n in BLIND_FOLDS:
        for r, a, d in zip(data[n], rule_pred[n], preds["d95"][n]):
            added += len(d - a)
            added_ok += len((d - a) & r["gold"])
            dropped += len(a - d)
            dropped_ok += len((a - d) - r["gold"])
    print(f"d95 vs a', pooled: {added} claims added ({added_ok} right), {dropped} dropped ({dropped_ok} of them wrong "
          f"in a', i.e. rightly dropped)")
    # Optimistic bound, not a result: one threshold for all seven held-out score sets, chosen on them.
    best = None
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        pairs = [(r["gold"], p) for n in BLIND_FOLDS
                 for r, p in zip(data[n], predict_sets(data[n], cands[n], results["d95"][n][1],
                                                       results["d95"][n][2], t))]
        p, r, _ = prf(pairs)
        if p >= TARGET_P and (best is None or r > best[1]):
            best = (p, r, t)
    print("oracle bound (one threshold picked on the held-out scores themselves, optimistic): "
          + (f"P {best[0]:.3f} R {best[1]:.3f} at t={best[2]:.2f}" if best else "P >= 0.95 never reached"))

    print(f"\ntop errors of d95, pooled over the {len(BLIND_FOLDS)} blind sets (up to {args.d_errors}; most confident first):")
    errs = ranked_errors(data, cands, results["d95"], thresholds["d95"], BLIND_FOLDS, flag="d_value")
    n_extra = sum(1 for x in errs if x[1] == "extra")
    print(f"  ({n_extra} extras, {len(errs) - n_extra} misses in all; a'=1: the blind rules had this claim)")
    for _, kind, n, k, s_, in_a, text in errs[:args.d_errors]:
        print(f"  {kind:<13}{n.replace('claims_', ''):<14}{k[0]}={k[1]:g}{k[2]}  p={s_:.2f} a'={int(in_a)}  "
              f"{text[:70]}")
    print("  the most confident extras of d95:")
    for _, kind, n, k, s_, in_a, text in [x for x in errs if x[1] == "extra"][:args.d_errors // 2]:
        print(f"  {kind:<13}{n.replace('claims_', ''):<14}{k[0]}={k[1]:g}{k[2]}  p={s_:.2f} a'={int(in_a)}  "
              f"{text[:70]}")


def ranked_errors(data, cands, result, thresholds, folds, flag: str | None = None) -> list[tuple]:
    """Every extra and miss of one variant, most confident first: (distance from the threshold, kind, set, claim key,
    score, whether a candidate of that key has ``flag`` set, text)."""
    errs = []
    for n in folds:
        pred, sc = result[n][0], result[n][1]
        t = thresholds[n]
        best: dict[tuple, float] = {}
        flagged: dict[tuple, bool] = {}
        for j, c in enumerate(cands[n]):
            k = (c["sent"], c["key"])
            best[k] = max(best.get(k, 0.0), float(sc[j]))
            flagged[k] = flagged.get(k, False) or bool(flag and c.get(flag))
        for i, (r, p) in enumerate(zip(data[n], pred)):
            for k in p - r["gold"]:
                errs.append((abs(best[(i, k)] - t), "extra", n, k, best[(i, k)], flagged[(i, k)], r["text"]))
            for k in r["gold"] - p:
                s_ = best.get((i, k))
                errs.append((abs(s_ - t) if s_ is not None else 1.0, "miss" if s_ is not None else "miss(no cand)",
                             n, k, s_ if s_ is not None else float("nan"), flagged.get((i, k), False), r["text"]))
    return sorted(errs, key=lambda x: -x[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-extra", action="store_true", help="only the rules' own patterns as candidates")
    ap.add_argument("--errors", type=int, default=30)
    ap.add_argument("--blind-cache", type=Path, default=DEFAULT_OUT,
                    help="claims of each blind set's own rule version (built if missing or stale)")
    ap.add_argument("--d-nonblind", action="store_true",
                    help="variant d also trains on claims_300, claims, claims_holdout (no rule features)")
    ap.add_argument("--d-errors", type=int, default=20)
    ap.add_argument("--with-round6", action="store_true",
                    help="after round 6's measurement: its two sets join the folds (b, c) and the blind folds (d)")
    args = ap.parse_args()
    if args.with_round6:
        global FOLDS, BLIND_SETS, BLIND_FOLDS
        FOLDS = FOLDS + tuple(name for name, *_ in ROUND6)
        BLIND_SETS = BLIND + ROUND6
        BLIND_FOLDS = tuple(name for name, *_ in BLIND_SETS)
        if args.blind_cache == DEFAULT_OUT:
            args.blind_cache = DEFAULT_OUT.with_name("claim_blind_rules_round6.json")
    t0, c0 = time.time(), time.process_time()
    extra = not args.no_extra
    data = {n: load(n) for n in FOLDS + TRAIN_ONLY}
    cands = {n: build(rows, extra) for n, rows in data.items()}

    # Candidate recall ceiling and the rules' own figures.
    print(f"candidates: {sum(map(len, cands.values()))} over {sum(map(len, data.values()))} sentences "
          f"(extra generators {'on' if extra else 'off'})")
    rule_pred = {n: [{claim_key(c) for c in extract_claims(r["norm"])} if r["live"] else set() for r in rows]
                 for n, rows in data.items()}

    variants = {"b": True, "c": False}
    matrices = {v: vectorise(cands, rule_feats) for v, rule_feats in variants.items()}
    results: dict[str, dict[str, list]] = {v: {} for v in ("b95", "bF1", "c95", "cF1")}
    thresholds: dict[str, dict[str, float]] = {v: {} for v in results}
    for held in FOLDS:
        train_sets = [n for n in FOLDS if n != held]
        for v in variants:
            mats = matrices[v]
            # Inner leave-one-set-out over the training 300-sets: out-of-fold scores to choose the threshold.
            inner = []
            for inner_held in train_sets:
                model = fit(mats, [n for n in train_sets + list(TRAIN_ONLY) if n != inner_held])
                sc = score(model, mats, inner_held)
                inner.append((data[inner_held], cands[inner_held], sc, kept(cands[inner_held], sc)))
            t95, tf1 = pick_threshold(inner)
            model = fit(mats, train_sets + list(TRAIN_ONLY))
            sc = score(model, mats, held)
            kp = kept(cands[held], sc)
            for tag, t in (("95", t95), ("F1", tf1)):
                results[v + tag][held] = (predict_sets(data[held], cands[held], sc, kp, t), sc, kp)
                thresholds[v + tag][held] = t

    def fig(name_list, pred_of):
        pairs = []
        for n in name_list:
            pairs += list(zip((r["gold"] for r in data[n]), pred_of(n)))
        return prf(pairs)

    def ceiling(name_list):
        tot = hit = 0
        for n in name_list:
            ck: dict[int, set] = {}
            for c in cands[n]:
                ck.setdefault(c["sent"], set()).add(c["key"])
            for i, r in enumerate(data[n]):
                tot += len(r["gold"])
                hit += len(r["gold"] & ck.get(i, set()))
        return hit / max(1, tot)

    cols = ("a", "b95", "bF1", "c95", "cF1")
    head = f"{'held-out set':<22}{'gold':>5}{'ceil':>7}" + "".join(f"{c + ' P':>8}{c + ' R':>7}" for c in cols)
    print("\n" + head)
    print("-" * len(head))
    groups = report_groups(FOLDS, "sets")
    for label, names in groups:
        pa = fig(names, lambda n: rule_pred[n])
        line = f"{label:<22}{pa[2]:>5}{ceiling(names):>7.3f}{pa[0]:>8.3f}{pa[1]:>7.3f}"
        for v in cols[1:]:
            p, r, _ = fig(names, lambda n, v=v: results[v][n][0])
            line += f"{p:>8.3f}{r:>7.3f}"
        print(line)
    # Per source (CCF / simulator), pooled over the 8 sets.
    for src in ("ccf", "simulator"):
        def sub(pred_of, src=src):
            pairs = []
            for n in FOLDS:
                pairs += [(r["gold"], p) for r, p in zip(data[n], pred_of(n)) if r.get("source") == src]
            return prf(pairs)
        pa = sub(lambda n: rule_pred[n])
        line = f"{'pooled, ' + src:<22}{pa[2]:>5}{'':>7}{pa[0]:>8.3f}{pa[1]:>7.3f}"
        for v in cols[1:]:
            p, r, _ = sub(lambda n, v=v: results[v][n][0])
            line += f"{p:>8.3f}{r:>7.3f}"
        print(line)
    print("\nthresholds chosen by inner CV (per held-out set):")
    for v in results:
        print(f"  {v}: " + " ".join(f"{n.replace('claims_', '').replace('_300', '')}={thresholds[v][n]:.2f}"
                                     for n in FOLDS))

    # Paired bootstrap over the sentences of the two sets the rules never saw before they were frozen (round 5a/5b):
    # is the learned decision's F1 above the rules'? Resampling sentences keeps each sentence's claims together.
    blind = ["claims_round5a_300", "claims_round5b_300"]
    gold_b = [r["gold"] for n in blind for r in data[n]]
    counts = {}
    for v in ("a",) + cols[1:]:
        preds = [p for n in blind for p in (rule_pred[n] if v == "a" else results[v][n][0])]
        counts[v] = np.array([(len(g & p), len(p - g), len(g - p)) for g, p in zip(gold_b, preds)])
    rng = np.random.default_rng(SEED)
    idx = rng.integers(0, len(gold_b), size=(2000, len(gold_b)))

    def f1(cnt):
        tp, fp, fn = cnt[..., 0], cnt[..., 1], cnt[..., 2]
        return 2 * tp / np.maximum(1, 2 * tp + fp + fn)

    print("\nround 5a+5b pooled, F1 and paired bootstrap (2000 resamples of the 600 sentences) of F1 minus the rules':")
    base = counts["a"][idx].sum(axis=1)
    print(f"  a    F1 {f1(counts['a'].sum(axis=0)):.3f}")
    for v in cols[1:]:
        d = f1(counts[v][idx].sum(axis=1)) - f1(base)
        lo, hi = np.percentile(d, [2.5, 97.5])
        print(f"  {v:<4} F1 {f1(counts[v].sum(axis=0)):.3f}  diff {np.mean(d):+.3f}  95% CI [{lo:+.3f}, {hi:+.3f}]  "
              f"P(diff>0) {np.mean(d > 0):.2f}")

    print(f"\ntop errors of b95, pooled (up to {args.errors}; score = model probability of the candidate):")
    errs = ranked_errors(data, cands, results["b95"], thresholds["b95"], FOLDS)
    n_extra = sum(1 for x in errs if x[1] == "extra")
    print(f"  ({n_extra} extras, {len(errs) - n_extra} misses in all; most confident first)")
    for _, kind, n, k, s_, _, text in errs[:args.errors]:
        print(f"  {kind:<13}{n.replace('claims_', ''):<14}{k[0]}={k[1]:g}{k[2]}  p={s_:.2f}  {text[:70]}")
    run_d(data, cands, args)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nwall {time.time() - t0:.1f}s, cpu {time.process_time() - c0:.1f}s, peak RSS {peak:.0f} MB "
          f"(shared 2-core machine)")


if __name__ == "__main__":
    main()
