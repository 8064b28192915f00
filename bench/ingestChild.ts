/**
 * The whole ingest as a person runs it: the built CLI's `import` (import → search index → scan,
 * the one pipeline the window and the schedules use too), in a process of its own. Its peak RSS
 * (the kernel's high-water mark, VmHWM, read while it runs; detection thread included) and the
 * time of each phase (from the CLI's own summary). Prints one JSON line. Linux only (/proc).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [db, file] = process.argv.slice(2) as [string, string];
for (const f of [db, `${db}-journal`, `${db}.keyring`, `${db}.writer`]) fs.rmSync(f, { force: true });
const bin = path.resolve('bin/wecom-audit.js');
const env = { ...process.env, WECOM_AUDIT_PASSPHRASE: 'bench-passphrase' };
await new Promise<void>((resolve, reject) => spawn(process.execPath, [bin, 'init', '--db', db], { env, stdio: 'ignore' }).on('close', (c) => (c === 0 ? resolve() : reject(new Error(`init exit ${c}`)))));

const t0 = performance.now();
const child = spawn(process.execPath, [bin, 'import', '--db', db, file, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let stderr = '';
child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
let hwmKb = 0;
const poll = setInterval(() => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
  } catch {
    /* exited */
  }
}, 50);
const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
clearInterval(poll);
if (code !== 0) throw new Error(`import exit ${code}: ${stderr.slice(-2000)}`);
const ms = performance.now() - t0;
const r = JSON.parse(stdout) as { imported: number; tookMs: number; indexed: { indexed: number } | null; scan: { scanned: number; hits: number } | null };
process.stdout.write(`${JSON.stringify({ ms, importMs: r.tookMs, imported: r.imported, indexed: r.indexed?.indexed, scanned: r.scan?.scanned, hits: r.scan?.hits, maxRssMb: hwmKb / 1024 })}\n`);
