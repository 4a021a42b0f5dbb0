#!/usr/bin/env bash
# Install everything the tests need (Debian packages, Python packages with the test and
# spark extras) and run the whole suite: lint, types, then pytest. Extra arguments go to
# pytest (e.g. scripts/test.sh -k render).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh test
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test,spark]'
for tool in chromium soffice pdftoppm pdftotext java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is missing after install" >&2; exit 1; }
done
.venv/bin/ruff check parcours tests bench
.venv/bin/ruff format --check parcours tests bench
.venv/bin/mypy
export PARCOURS_REQUIRE_ALL=1   # tests needing Spark, a browser or LibreOffice fail rather than skip
.venv/bin/pytest "$@"
