#!/usr/bin/env bash
# Regenerate requirements.lock: install every extra into a throw-away venv and pin what landed.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q -e '.[all,dev]'
{
  echo "# Pinned versions of every dependency (core, extras, dev). Regenerate with scripts/lock.sh."
  "$tmp/venv/bin/pip" freeze --exclude-editable | grep -v '^reef' | sort -f
} > requirements.lock
rm -rf "$tmp"
echo "wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"
