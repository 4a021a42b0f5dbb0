"""Cross-check: ChannelAttribution's order-1 chain, solved exactly, vs its simulation.

Standard library + numpy (runs in the project venv; imports no GPL code). Builds the chain
the way ChannelAttribution 2.2.5 does (read from its C++ source): consecutive repeats of a
channel are collapsed (a > a > b is a > b); (start) -> first channel and every inner
transition weigh conversions + nulls of the path; last channel -> (conversion) weighs the
conversions and -> (null) the nulls. Removing a channel sends its traffic to (null).
Prints, per channel, the exact removal effect, ChannelAttribution's estimate and the
distance in standard deviations over the recorded seeds ("unbounded" max_step).
"""

import csv
import json
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def build(rows):
    t = defaultdict(lambda: defaultdict(float))
    for r in rows:
        seq = []
        for c in (c.strip() for c in r["path"].split(">")):
            if not seq or seq[-1] != c:
                seq.append(c)
        conv, null = int(r["total_conversions"]), int(r["total_null"])
        states = ["(start)", *seq]
        for a, b in pairwise(states):
            t[a][b] += conv + null
        t[seq[-1]]["(conversion)"] += conv
        t[seq[-1]]["(null)"] += null
    return t


def p_conversion(t, removed=None):
    states = sorted(t)
    idx = {s: i for i, s in enumerate(states)}
    q = np.zeros((len(states), len(states)))
    r = np.zeros(len(states))
    for a in states:
        total = sum(t[a].values())
        if a == removed:
            continue
        for b, w in t[a].items():
            if b == "(conversion)":
                r[idx[a]] += w / total
            elif b not in ("(null)", removed):
                q[idx[a], idx[b]] += w / total
    return np.linalg.solve(np.eye(len(states)) - q, r)[idx["(start)"]]


def main():
    for name in ("small_paths", "Data"):
        with open(HERE / f"{name}.csv", newline="") as f:
            t = build(list(csv.DictReader(f, delimiter=";")))
        p0 = p_conversion(t)
        m = json.loads((HERE / f"{name}.channelattribution.json").read_text())["markov"][
            "unbounded"
        ]["1"]
        print(f"{name}: exact p_conversion = {p0:.6f}")
        for ch, est in m["removal_effects"].items():
            s = m["spread_over_seeds"]["removal_effects"][ch]
            exact = 1 - p_conversion(t, ch) / p0
            print(
                f"  {ch:10s} exact {exact:.5f}  CA {est:.5f}  mean {s['mean']:.5f}  z {(exact - s['mean']) / s['sd']:+.1f}"
            )


if __name__ == "__main__":
    main()
