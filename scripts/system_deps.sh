#!/usr/bin/env bash
# Debian packages staffwell needs beyond Python and Node:
#   chromium        the browser tests (Playwright drives Debian's Chromium; no browser download)
#   libpango*       WeasyPrint, for PDF reports
#   poppler-utils   pdftoppm, to check that PDFs render
#   lame            encodes the MP3 files the podcast duration tests read
# As root they are installed with apt-get; otherwise this says what to install.
# With --optional (make run) only the runtime packages are wanted, and a missing one is a
# warning, not an error.
set -euo pipefail
optional=${1:-}
packages=(chromium libpango-1.0-0 libpangoft2-1.0-0 poppler-utils fonts-liberation lame)
if [ "$optional" = "--optional" ]; then
  packages=(libpango-1.0-0 libpangoft2-1.0-0)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
msg="staffwell needs these Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
if [ "$optional" = "--optional" ]; then
  echo "Note: $msg (PDF reports need the Pango libraries)." >&2
  exit 0
fi
echo "$msg" >&2
exit 1
