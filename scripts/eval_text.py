"""Measure the shipped text models and rules on held-out data; write docs/text-quality.md.

A thin wrapper kept for habit: the work is :func:`reef.text.evaluate.write_quality`, which
`reef text eval` calls too. Usage: .venv/bin/python scripts/eval_text.py [--out FILE] [--data DIR]
"""
from __future__ import annotations

import argparse
import json

from reef.text.evaluate import write_quality


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=None)
    ap.add_argument("--data", default=None)
    args = ap.parse_args()
    results = write_quality(args.out, data_dir=args.data)
    print(json.dumps({k: v for k, v in results.items() if k != "errors"}, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
