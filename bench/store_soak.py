"""Soak run of the store's crash and lost-update tests (the release tier of RELIABILITY R1/R4).

    .venv/bin/python bench/store_soak.py [--cycles 300] [--serve-cycles 20] [--attempts 100000]

Runs ``tests/store/test_crash.py`` (kill -9 of a writer process, ``--cycles`` times, each
after at least 300 acknowledged edits), ``tests/web/test_serve_crash.py`` (kill -9 of
``parcours serve`` while HTTP clients edit, ``--serve-cycles`` times) and ``tests/store/test_concurrency.py`` (``--attempts``
concurrent read-modify-writes on SQLite and PostgreSQL) with bigger figures than the
default suite. Needs PostgreSQL at 127.0.0.1:5432 like the tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--serve-cycles", type=int, default=20)
    parser.add_argument("--attempts", type=int, default=100_000)
    args = parser.parse_args()
    env = {
        **os.environ,
        "PARCOURS_CRASH_CYCLES": str(args.cycles),
        "PARCOURS_SERVE_CRASH_CYCLES": str(args.serve_cycles),
        "PARCOURS_RMW_ATTEMPTS": str(args.attempts),
    }
    tests = [
        "tests/store/test_crash.py",
        "tests/web/test_serve_crash.py",
        "tests/store/test_concurrency.py",
    ]
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", *tests]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
