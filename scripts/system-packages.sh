#!/usr/bin/env bash
# Install the Debian packages parcours needs, only those missing. Usage:
#   scripts/system-packages.sh run    what rendering needs (fonts, Pango for PDF)
#   scripts/system-packages.sh test   plus what the tests drive: Chromium, LibreOffice,
#                                     poppler (pdftoppm, pdftotext), Java 17 for Spark
set -euo pipefail
what="${1:-run}"
packages=(fonts-noto-color-emoji fontconfig libpango-1.0-0 libpangoft2-1.0-0)
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
echo "installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
