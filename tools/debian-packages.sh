#!/usr/bin/env bash
# Debian packages the document system calls as programs: poppler's pdfsig/pdftoppm/pdftotext
# (independent signature check, rasterising for OCR), Tesseract with its Azerbaijani model
# (scanned paper), DejaVu fonts (every Azerbaijani letter in stamps and reports), qpdf, and
# Chromium, the browser the end-to-end tests drive through Playwright (tests/e2e; Playwright's
# own browser download is not used).
# Installs only what is missing; says what it does. Needs root or passwordless sudo.
set -euo pipefail
PACKAGES=(poppler-utils tesseract-ocr tesseract-ocr-aze tesseract-ocr-eng fonts-dejavu-core qpdf chromium)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "==> Debian packages: all present (${PACKAGES[*]})"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "!! Debian packages missing: ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
start=$(date +%s)
echo "==> Installing Debian packages: ${missing[*]} (apt-get update + install, usually 1-2 minutes)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "    Debian packages: done in $(( $(date +%s) - start ))s"
