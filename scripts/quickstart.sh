#!/usr/bin/env bash
# Install parcours in .venv and run its main job on the embedded default: validate the demo
# workspace and render it (maps as SVG/PNG/PDF, persona cards, atlas) into ./parcours-demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh run
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
.venv/bin/parcours demo --output parcours-demo
echo "open parcours-demo/atlas.pdf, or try: .venv/bin/parcours templates"
