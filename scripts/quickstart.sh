#!/usr/bin/env bash
# Install parcours in .venv and run its main job on the embedded default: the workspace
# server on a SQLite file with the demo workspace. It prints the database, the URL and, on
# the first start, how to sign in. Extra arguments go to `parcours serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh run
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[fast]'
exec .venv/bin/parcours serve "$@"
