#!/usr/bin/env bash
# All tests: type check, core and CLI tests on the real encrypted store, then the renderer end
# to end in Debian's Chromium through the loopback test server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run -s typecheck
node --import tsx --test --test-concurrency=1 --test-reporter=spec test/unit/*.test.ts test/e2e/*.test.ts
