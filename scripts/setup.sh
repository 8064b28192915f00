#!/usr/bin/env bash
# Everything a fresh Debian/Ubuntu machine needs: system packages (Chromium for the end-to-end
# tests, CJK fonts for Chinese screenshots, sqlcipher as an independent reader of the store),
# then the pinned npm packages, then the build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
command -v sqlcipher >/dev/null 2>&1 || need_apt+=(sqlcipher)
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
