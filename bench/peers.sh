#!/usr/bin/env bash
# Make the PEER environment for the oracles and benchmarks: PM4Py (AGPL) and
# ChannelAttribution (GPL, built from source with g++) are used only here, as peers in a
# separate venv, never imported by parcours and never in pyproject.toml.
# bench/.peers/ is git-ignored. Usage: bash bench/peers.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.peers/venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q pm4py polars pyarrow duckdb pyinstrument ChannelAttribution
"$venv/bin/python" -c "import pm4py, polars, ChannelAttribution; print('peers ok: pm4py', pm4py.__version__, 'polars', polars.__version__)"
