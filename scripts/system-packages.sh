#!/usr/bin/env bash
# Install the Debian packages parcours needs, only those missing. Usage:
#   scripts/system-packages.sh run    what installing and rendering need: python3-venv when
#                                     `python3 -m venv` cannot make a venv, fonts, Pango (PDF)
#   scripts/system-packages.sh test   plus what the tests drive: Chromium, LibreOffice,
#                                     poppler (pdftoppm, pdftotext), Java 17 for Spark
# Set PARCOURS_VERBOSE=1 to see apt-get's own output.
set -euo pipefail
what="${1:-run}"
packages=(fonts-noto-color-emoji fonts-dejavu-core fontconfig libpango-1.0-0 libpangoft2-1.0-0)
# A Debian python3 without its venv package cannot create a venv with pip in it.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  version="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  packages+=("python${version}-venv")
fi
if [ "$what" = "test" ]; then
  packages+=(chromium poppler-utils libreoffice-core libreoffice-calc libreoffice-impress)
  command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jre-headless)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
# Say what is about to be installed, and why, before the large downloads start.
declare -A why=(
  [chromium]="the browser the web tests drive (about 100 MB)"
  [libreoffice-core]="LibreOffice, which opens the XLSX and PPTX exports in the tests (about 300 MB with calc and impress)"
  [openjdk-17-jre-headless]="Java 17 for the Spark engine tests (about 200 MB)"
  [poppler-utils]="pdftoppm and pdftotext, which read the PDF exports back"
  [fonts-noto-color-emoji]="colour emoji in PNG and PDF exports"
  [fonts-dejavu-core]="symbols the shipped font lacks (→ ⇒ ✓ ★) in PNG and PDF exports"
)
echo "parcours: installing Debian packages: ${missing[*]}"
for p in "${missing[@]}"; do
  if [ -n "${why[$p]:-}" ]; then echo "  - $p: ${why[$p]}"; fi
  case "$p" in python*-venv) echo "  - $p: python3 cannot create a virtual environment without it";; esac
done
if [ "${PARCOURS_VERBOSE:-0}" = 1 ]; then
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
else
  log="$(mktemp)"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "error: apt-get could not install: ${missing[*]} (its output is above)" >&2
    exit 1
  fi
  rm -f "$log"
  echo "parcours: system packages installed"
fi
