"""Claim precision / recall on the development fixtures, overall and per source.

Prints a markdown table (set, part, sentences, gold claims, precision, recall) for
claims.jsonl, claims_300.jsonl, claims_fresh_300.jsonl, claims_test_300.jsonl, claims_check_300.jsonl,
claims_final_300.jsonl, claims_confirm_300.jsonl, claims_round5a_300.jsonl, claims_round5b_300.jsonl (development
sets; the test set since round 3, the check set since round 4, the final and confirmation sets since round 5, round
5's pair since round 6), the report-only claims_holdout.jsonl and, once they are in the fixtures (measured once with
the round-5 rules, unchanged in round 6), the blind claims_round6a_300.jsonl and claims_round6b_300.jsonl and the two
pooled, as ``reef.text.evaluate.claim_scores`` measures them. Errors are never
printed for the holdout or the blind sets.
``--errors`` also prints every disagreement with the gold labels of the development sets (not of
claims_holdout). The figures in docs/text-claims.md ("Round 2 rules" to "Round 5 rules") come from this script.

``--compare OLD.py`` is the precision guard for a rule change: it loads a saved copy of the old
``reef/text/claims.py``, runs old and new over every CCF sentence (as benchmarks/bench_claims.py splits and
normalises them), scores the old rules on the current rules' blind sets, and prints the counts and a seeded sample of up to 40 claims only the new rules produce, and
every claim they drop, to read by hand. It also compares old and new on 800 long texts joined (seeded) from the
CCF posts with four separators (。, none, newline, ，), which is how the piecewise reading of long texts was checked.
``--old-price OLD_PRICE.py`` and ``--old-cues OLD_CUES.py`` give the old claims.py its old price and cue modules.
``--exclude FILE.jsonl`` (repeatable) leaves out of that comparison every CCF sentence that overlaps a sentence of
the given sets: the sets of a round not yet measured, which are drawn from the same CCF sentences (round 5's guard
read six of its blind sentences by accident, docs/text-claims.md).
``--outside`` also counts old and new claims on a simulated community (1,500 members, 120 days, seed 12,345) and on
non-car text (weibo-ced, COLD).

Usage: .venv/bin/python scripts/claim_dev_figures.py [--errors]
       [--compare /tmp/claims_old.py [--old-price /tmp/claim_price_old.py] [--old-cues /tmp/claim_cues_old.py]
        [--exclude /work/blind6/claims_round6a_300.jsonl ...] [--outside] [--seed 20261122]]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
from pathlib import Path

from reef.text.evaluate import claim_scores, default_fixtures_dir

SETS = ("claims.jsonl", "claims_300.jsonl", "claims_fresh_300.jsonl", "claims_test_300.jsonl", "claims_check_300.jsonl",
        "claims_final_300.jsonl", "claims_confirm_300.jsonl", "claims_holdout.jsonl", "claims_round5a_300.jsonl",
        "claims_round5b_300.jsonl", "claims_round6a_300.jsonl", "claims_round6b_300.jsonl")
POOLED = ("claims_round6a_300.jsonl", "claims_round6b_300.jsonl")  # the blind sets of the current rules
REPORT_ONLY = ("claims_holdout.jsonl",) + POOLED  # errors not printed


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def figures(fixtures: Path | None = None) -> list[tuple[str, str, dict]]:
    """(set, part, claim_scores) for every set, overall and per source where the set has sources."""
    out = []
    folder = fixtures or default_fixtures_dir()
    sets = {name: _rows(folder / name) for name in SETS if (folder / name).exists()}  # blind sets: once measured
    if all(name in sets for name in POOLED):
        sets["round 6 blind sets, pooled"] = [row for name in POOLED for row in sets[name]]
    for name, rows in sets.items():
        out.append((name, "all", claim_scores(rows)))
        for source in sorted({r["source"] for r in rows if r.get("source")}):
            out.append((name, source, claim_scores([r for r in rows if r.get("source") == source])))
    return out


def _load_old(old_path: Path, old_price: Path | None = None, old_cues: Path | None = None):
    """The old claims.py as a module; it imports the old claim_price.py / claim_cues.py when they are given."""
    import reef.text.claim_cues  # noqa: F401  (loaded, so they can be put back)
    import reef.text.claim_price  # noqa: F401

    current = {name: sys.modules[name] for name in ("reef.text.claim_price", "reef.text.claim_cues")}
    try:
        # The price module first: the old cue module imports the sentence helpers from it.
        for name, path in (("reef.text.claim_price", old_price), ("reef.text.claim_cues", old_cues)):
            if path is not None:
                spec = importlib.util.spec_from_file_location(name.rsplit(".", 1)[1] + "_old", path)
                sys.modules[name] = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(sys.modules[name])
        spec = importlib.util.spec_from_file_location("claims_old", old_path)
        old = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(old)
    finally:
        sys.modules.update(current)
    return old


def _blind_overlap(paths: list[Path]):
    """A test for "this sentence overlaps a sentence of the given sets" (equal, or one inside the other)."""
    texts = {json.loads(x)["text"].strip(" ，,") for path in paths for x in path.read_text(encoding="utf-8").splitlines()
             if x.strip()}
    return lambda s: any(t and (t in s or s.strip(" ，,") in t) for t in texts)


def compare(old_path: Path, seed: int = 20261122, sample: int = 40, old_price: Path | None = None,
            old_cues: Path | None = None, exclude: list[Path] | None = None) -> None:
    """Print the claims the current rules add to, and drop from, an old copy of claims.py on all CCF sentences.

    ``old_price``, a saved copy of the old ``reef/text/claim_price.py``, is what the old claims.py imports (without
    it the old claims.py runs with the current price module, so price changes do not show); ``old_cues`` likewise.
    """
    from reef.text.claims import extract_claims

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_claims import ccf_sentences

    old = _load_old(old_path, old_price, old_cues)
    folder = default_fixtures_dir()
    if all((folder / name).exists() for name in POOLED):  # the blind sets of the current rules, read by the old ones
        s = claim_scores([row for name in POOLED for row in _rows(folder / name)], extract=old.extract_claims)
        print(f"\n## The old rules on {' + '.join(POOLED)}: precision {s['precision']:.3f}, recall {s['recall']:.3f}")
    blind = _blind_overlap(exclude or [])
    added, dropped = [], []
    sentences = ccf_sentences()
    kept = [s for s in sentences if not blind(s)] if exclude else sentences
    if exclude:
        print(f"\n{len(sentences) - len(kept)} CCF sentences left out: they overlap the excluded sets")
    for s in kept:
        a = {(c["attribute"], c["value"], c["start"]): c for c in old.extract_claims(s)}
        b = {(c["attribute"], c["value"], c["start"]): c for c in extract_claims(s)}
        added += [(s, b[k]) for k in b.keys() - a.keys()]
        dropped += [(s, a[k]) for k in a.keys() - b.keys()]
    print(f"\n## CCF sentences: {len(added)} claims only the new rules produce, {len(dropped)} only the old")
    for label, items in (("new", random.Random(seed).sample(added, min(sample, len(added)))), ("dropped", dropped)):
        for s, c in sorted(items, key=lambda x: x[1]["attribute"]):
            print(f"- {label} {c['attribute']} {c['value']} <<{s[c['start']:c['end']]}>> {c['evidence'][:90]}")
    _compare_long(old)


def _compare_long(old, seed: int = 5) -> None:
    """Old and new claims on long texts joined from CCF posts: which texts differ, and in which fields."""
    from reef.text.claims import extract_claims
    from reef.text.datasets import load_ccf
    from reef.text.normalize import normalize_texts

    posts = [r["text"] for r in normalize_texts(sorted(load_ccf(Path(__file__).resolve().parents[2] / "shared" / "data"
                                                                  / "ccf-car-aspects")), max_chars=20_000)]
    rng = random.Random(seed)
    joined = [sep.join(rng.sample(posts, rng.randint(5, 40))) for sep in ("。", "", "\n", "，") for _ in range(200)]
    fields: dict[str, int] = {}
    differ = 0
    for text in joined:
        a, b = old.extract_claims(text), extract_claims(text)
        if a != b:
            differ += 1
            for x, y in zip(a, b):
                for k in x:
                    fields[k] = fields.get(k, 0) + (x[k] != y.get(k))
            fields["count"] = fields.get("count", 0) + (len(a) != len(b))
    print(f"\n## {len(joined)} long texts joined from CCF posts: {differ} differ; differing fields {fields}")


def outside(old_path: Path, old_price: Path | None = None, old_cues: Path | None = None) -> None:
    """Old and new claim counts on a simulated community (1,500 members, 120 days, seed 12,345) and on non-car text.

    The simulator's claims must not change; Weibo (weibo-ced events and reposts) and COLD (train and dev) sentences
    are not about cars, so claims there are false alarms.
    """
    import csv
    import gzip
    import tempfile

    from reef.api import simulate_community
    from reef.store import open_store
    from reef.text.claims import extract_claims
    from reef.text.normalize import normalize_texts

    old = _load_old(old_path, old_price, old_cues)
    data = Path(__file__).resolve().parents[2] / "shared" / "data"
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "s.duckdb")
        simulate_community(store, members=1500, days=120, seed=12345)
        sim = [r[0] for r in store.fetch_all("SELECT concat_ws('。', title, body) FROM content ORDER BY content_id")]
        store.close()
    split = __import__("re").compile(r"[。！？!?；;\n]+")
    corpora = {"simulator (texts)": sim}
    for name, files, column in (("weibo-ced", ("events.csv.gz", "reposts.csv.gz"), "text"),
                                ("cold", ("train.csv", "dev.csv"), "TEXT")):
        texts = []
        for f in files:
            path = data / name / f
            opener = gzip.open if f.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
                texts += [row[column] or "" for row in csv.DictReader(fh)]
        raw = [x for t in texts for x in split.split(t) if x.strip()]
        corpora[f"{name} (sentences)"] = [r["text"] for r in normalize_texts(raw)]
    for name, texts in corpora.items():
        a = [sorted((c["attribute"], c["value"], c["start"]) for c in old.extract_claims(t)) for t in texts]
        b = [sorted((c["attribute"], c["value"], c["start"]) for c in extract_claims(t)) for t in texts]
        changed = [(t, x, y) for t, x, y in zip(texts, a, b) if x != y]
        print(f"\n## {name}: {len(texts)}; claims old {sum(map(len, a))}, new {sum(map(len, b))}; "
              f"{len(changed)} texts changed")
        for t, x, y in changed[:20]:
            print(f"- old {x} new {y}: {t[:90]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--compare", type=Path, help="a saved copy of the old reef/text/claims.py")
    ap.add_argument("--old-price", type=Path, help="a saved copy of the old reef/text/claim_price.py")
    ap.add_argument("--old-cues", type=Path, help="a saved copy of the old reef/text/claim_cues.py")
    ap.add_argument("--exclude", type=Path, action="append", default=[],
                    help="a JSONL set (not yet measured) whose sentences the comparison leaves out")
    ap.add_argument("--outside", action="store_true", help="with --compare: the simulator and non-car text too")
    ap.add_argument("--seed", type=int, default=20261122)
    args = ap.parse_args()
    print("| set | part | sentences | gold claims | precision | recall |\n|---|---|---|---|---|---|")
    results = figures()
    for name, part, s in results:
        print(f"| {name} | {part} | {s['sentences']} | {s['gold_claims']} | {s['precision']:.3f} | {s['recall']:.3f} |")
    if args.errors:
        for name, part, s in results:
            if part != "all" or name in REPORT_ONLY or name not in SETS:
                continue  # report-only sets: their errors are not read while tuning
            print(f"\n## {name}: {len(s['errors'])} disagreements")
            for e in s["errors"]:
                print(f"- {e['text']}\n    missed {e['missed']}  extra {e['extra']}")
    if args.compare:
        compare(args.compare, args.seed, old_price=args.old_price, old_cues=args.old_cues, exclude=args.exclude)
        if args.outside:
            outside(args.compare, args.old_price, args.old_cues)


if __name__ == "__main__":
    main()
