#!/usr/bin/env bash
# Install everything the tests need (Debian packages, Python packages with the test and
# spark extras) and run the whole suite: lint, types, then pytest. Extra arguments go to
# pytest (e.g. scripts/test.sh -k render).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh test
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test,spark,fast]'
for tool in chromium soffice pdftoppm pdftotext java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is missing after install" >&2; exit 1; }
done
# The store and server tests run against a real PostgreSQL at 127.0.0.1:5432 (trust auth,
# database 'test'): start a local cluster if one is installed but stopped; fail if none.
pg_up() { .venv/bin/python -c 'import psycopg; psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3).close()' >/dev/null 2>&1; }
if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_up && break; sleep 1; done
  fi
  pg_up || { echo "error: the tests need PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth, database test); start it, then run again" >&2; exit 1; }
fi
.venv/bin/ruff check parcours tests bench
.venv/bin/ruff format --check parcours tests bench
.venv/bin/mypy
export PARCOURS_REQUIRE_ALL=1   # tests needing Spark, a browser, LibreOffice or PostgreSQL fail rather than skip
.venv/bin/pytest "$@"
