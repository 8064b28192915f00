#!/usr/bin/env bash
# Everything a fresh Debian/Ubuntu machine needs: system packages (Chromium for the end-to-end
# tests and the evidence pack's transcript.pdf, CJK and emoji fonts for Chinese screenshots and PDFs,
# sqlcipher as an independent reader of the store, poppler-utils' pdftotext as one of the PDF),
# then the pinned npm packages, then the build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need_apt+=(fonts-noto-color-emoji)
command -v sqlcipher >/dev/null 2>&1 || need_apt+=(sqlcipher)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# Electron's postinstall downloads a binary; the air-gapped build machine cannot, and the core,
# the CLI and the tests do not need it. Packaging fetches it from a local mirror (README).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run -s build
