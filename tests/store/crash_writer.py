"""A writer process for the crash tests: edits one journey until it is killed.

Usage: ``python crash_writer.py DB JOURNEY_ID PREFIX THREADS``. Each edit is a batch of two
operations (the same name on steps p0 and p1, so a half-applied batch shows); after each
commit it prints ``ACK <envelope id> <version>`` and flushes, so that the parent knows
exactly which edits were acknowledged before it sends SIGKILL.
"""

from __future__ import annotations

import sys
import threading

from parcours.model.operations import SetStepField
from parcours.store import VersionConflict, open_store


def main() -> None:
    url, journey_id, prefix, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    store = open_store(url)
    out = threading.Lock()
    print("READY", flush=True)

    def work(w: int) -> None:
        n = 0
        while True:
            n += 1
            envelope_id = f"{prefix}-{w}-{n}"
            value = f"{prefix} {w} {n}"
            ops = [
                SetStepField(step="p0", field="name", value=value),
                SetStepField(step="p1", field="name", value=value),
            ]
            while True:
                version = store.journeys.info(journey_id).version
                try:
                    result = store.journeys.apply_operations(
                        journey_id, ops, version, envelope_id, None
                    )
                    break
                except VersionConflict:
                    continue
            with out:
                sys.stdout.write(f"ACK {envelope_id} {result.version}\n")
                sys.stdout.flush()

    for w in range(threads):
        threading.Thread(target=work, args=(w,), daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
