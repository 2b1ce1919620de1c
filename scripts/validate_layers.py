"""Write docs/layers-validation.md: run the three section scripts (groups, team, effect) in turn.

Each section script can also be run alone and rewrites only its own block of the page
(scripts/doc_sections.py). This driver runs them with their defaults, one process each, and
stops at the first failure.

Example:
    .venv/bin/python scripts/validate_layers.py            # all three, about 40 minutes on 2 cores
    .venv/bin/python scripts/validate_layers.py --only team
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

SECTIONS = ("groups", "team", "effect")
HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=SECTIONS, action="append", help="Run only these sections (repeatable).")
    args = ap.parse_args()
    for name in args.only or SECTIONS:
        print(f"== {name}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / f"validate_layers_{name}.py")])
        if done.returncode:
            print(f"validate_layers_{name}.py failed with exit code {done.returncode}", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
