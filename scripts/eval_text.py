"""Measure the shipped text models and rules on held-out data; write docs/text-quality.md.

A thin wrapper kept for habit: the work is :func:`reef.text.evaluate.write_quality`, which
`reef text eval` calls too. Usage: .venv/bin/python scripts/eval_text.py [--out FILE] [--data DIR]
[--aspects]: ``--aspects`` prints the CCF held-out aspect, sentiment and joint figures only (seconds; writes nothing).
"""
from __future__ import annotations

import argparse
import json

from reef.text.evaluate import write_quality


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=None)
    ap.add_argument("--data", default=None)
    ap.add_argument("--aspects", action="store_true", help="CCF held-out figures only, printed, nothing written")
    args = ap.parse_args()
    if args.aspects:
        from pathlib import Path

        from reef.text.evaluate import default_data_dir
        from reef.text.evaluation import ccf_figures

        folder = (Path(args.data) if args.data else default_data_dir()) / "ccf-car-aspects"
        print(json.dumps(ccf_figures(folder, sets=("held_out",), baseline=False), ensure_ascii=False, indent=1))
        return 0
    results = write_quality(args.out, data_dir=args.data)
    print(json.dumps({k: v for k, v in results.items() if k != "errors"}, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
