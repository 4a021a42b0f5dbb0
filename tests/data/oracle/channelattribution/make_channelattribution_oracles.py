"""Write ``<input>.channelattribution.json`` expected files with ChannelAttribution.

ChannelAttribution is GPL-3.0: this script runs ONLY in the peer environment
(``bench/.peers/venv``), never in the project venv; nothing in parcours or in the pytest
suite imports it (its name does not start with ``test_``)::

    bench/.peers/venv/bin/python tests/data/oracle/channelattribution/make_channelattribution_oracles.py

Inputs are aggregated path files in ChannelAttribution's layout (``;`` separated, columns
path joined by " > ", total_conversions, total_conversion_value, total_null):
``Data.csv`` is ChannelAttribution's own example data set (shipped in its sdist, see
README.md for its licence) and ``small_paths.csv`` is ours (repeated channels, paths of one
channel, paths without conversion, paths shorter than the Markov order).

ChannelAttribution's Markov model is estimated by SIMULATION. For every order the file
holds the run with the recorded parameters (seed, nsim_start…) and, so that a test can set
a tolerance, the spread (mean, sample sd, min, max) of the same quantities over
``N_SEEDS`` further seeds with the same parameters.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ORDERS = (1, 2, 3)
# max_step caps the length of a simulated path. ChannelAttribution's default (None) is the
# longest path in the data: simulated paths cut there count as non-converting, which
# biases the estimate away from the exact absorbing-chain solution (by several sd on
# small_paths.csv). "unbounded" (10,000 steps) is what an exact solver must match;
# "default" is what ChannelAttribution users see.
MAX_STEPS = {"unbounded": 10_000, "default": None}
SEED = 42
N_SEEDS = 20  # seeds 0..19 for the spread
PARAMS = {
    "nsim_start": 1_000_000,  # minimum number of simulated paths (ChannelAttribution's default: 1e5)
    "nfold": 10,  # defaults of ChannelAttribution 2.2.5 from here on
    "conv_par": 0.05,
    "rate_step_sim": 1.5,
    "ncore": 1,
    "sep": ">",  # ChannelAttribution only looks at the FIRST character of sep
}


class CaptureFd:
    """Capture what the C++ core prints on file descriptor 1."""

    def __enter__(self):
        sys.stdout.flush()
        self._saved = os.dup(1)
        self._tmp = tempfile.TemporaryFile(mode="w+b")
        os.dup2(self._tmp.fileno(), 1)
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        os.dup2(self._saved, 1)
        os.close(self._saved)
        self._tmp.seek(0)
        self.text = self._tmp.read().decode("utf-8", "replace")
        self._tmp.close()


def _f(x) -> float:
    return float(x)


def run_markov(
    ca, data: pd.DataFrame, order: int, seed: int, max_step: int | None
) -> tuple[dict, str]:
    with CaptureFd() as cap:
        res = ca.markov_model(
            data,
            "path",
            "total_conversions",
            var_value="total_conversion_value",
            var_null="total_null",
            order=order,
            max_step=max_step,
            out_more=True,
            seed=seed,
            verbose=True,
            flg_pro=False,
            **PARAMS,
        )
    result, removal = res["result"], res["removal_effects"]
    out = {
        "removal_effects": {
            r.channel_name: _f(r.removal_effects_conversion) for r in removal.itertuples()
        },
        "removal_effects_value": {
            r.channel_name: _f(r.removal_effects_conversion_value) for r in removal.itertuples()
        },
        "conversions": {r.channel_name: _f(r.total_conversions) for r in result.itertuples()},
        "value": {r.channel_name: _f(r.total_conversion_value) for r in result.itertuples()},
    }
    log = "\n".join(
        line for line in cap.text.splitlines() if line.strip() and not line.startswith("***")
    )
    return out, log


def spread(runs: list[dict]) -> dict:
    out: dict = {}
    for key in runs[0]:
        out[key] = {}
        for ch in runs[0][key]:
            xs = [r[key][ch] for r in runs]
            out[key][ch] = {
                "mean": statistics.fmean(xs),
                "sd": statistics.stdev(xs),
                "min": min(xs),
                "max": max(xs),
            }
    return out


def heuristics(ca, data: pd.DataFrame) -> dict:
    with CaptureFd():
        h = ca.heuristic_models(
            data,
            "path",
            "total_conversions",
            var_value="total_conversion_value",
            sep=">",
            flg_pro=False,
        )
    return {
        r.channel_name: {
            "first": _f(r.first_touch_conversions),
            "last": _f(r.last_touch_conversions),
            "linear": _f(r.linear_touch_conversions),
            "first_value": _f(r.first_touch_value),
            "last_value": _f(r.last_touch_value),
            "linear_value": _f(r.linear_touch_value),
        }
        for r in h.itertuples()
    }


def main() -> None:
    import ChannelAttribution as ca

    for name in ("small_paths.csv", "Data.csv"):
        data = pd.read_csv(HERE / name, sep=";")
        doc = {
            "input": name,
            "input_format": {"sep": ";", "path_sep": " > ", "columns": list(data.columns)},
            "channelattribution": version("ChannelAttribution"),
            "totals": {
                "n_paths": len(data),
                "total_conversions": int(data.total_conversions.sum()),
                "total_conversion_value": math.fsum(data.total_conversion_value),
                "total_null": int(data.total_null.sum()),
            },
            "heuristics": heuristics(ca, data),
            "markov": {},
        }
        for config, max_step in MAX_STEPS.items():
            doc["markov"][config] = {}
            for order in ORDERS:
                main_run, log = run_markov(ca, data, order, SEED, max_step)
                runs = [run_markov(ca, data, order, s, max_step)[0] for s in range(N_SEEDS)]
                doc["markov"][config][str(order)] = {
                    "order": order,
                    "params": {
                        "seed": SEED,
                        "max_step": max_step,
                        **PARAMS,
                        "var_null": "total_null",
                        "var_value": "total_conversion_value",
                        "out_more": True,
                    },
                    "simulation_log": log,
                    **main_run,
                    "spread_over_seeds": {"seeds": list(range(N_SEEDS)), **spread(runs)},
                }
                print(f"{name} {config} order {order}: {' | '.join(log.splitlines())}")
        out = HERE / (Path(name).stem + ".channelattribution.json")
        out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"-> {out.name}")


if __name__ == "__main__":
    main()
