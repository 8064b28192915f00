#!/usr/bin/env node
// The `wecom-audit` command: runs the built CLI (npm run build makes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('未构建：请先运行 npm run build / not built: run `npm run build` first\n');
  process.exit(1);
}
process.env.WECOM_AUDIT_ROOT ??= fileURLToPath(new URL('..', import.meta.url));
await import(entry);
