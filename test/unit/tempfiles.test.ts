/**
 * Temp-file hygiene (main/core/tempFiles.ts): writes that fail part-way leave nothing beside the
 * output, what a killed process left is removed by the next store opening, and the desktop print
 * window's page lives in memory only. The PDF side (Chromium over the DevTools pipe, a real
 * `kill -9` mid-print) is in evidence.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pendingRegistryDir } from '../../main/core/tempFiles.js';
import { openStore } from '../../main/core/store/index.js';
import { PrintPages } from '../../main/electron/printPages.js';
import { cli, newStore, PASS, ROOT, SAMPLES, tmpDir } from '../helpers/store.js';

/** every file under root, recursively (links not followed) */
function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** os.tmpdir() follows TMPDIR: the registry and profile folders of this process go to `dir` meanwhile. */
function withTmpDir<T>(dir: string, fn: () => T): T {
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

/** A pid that surely belongs to no process: one that has just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  assert.ok(r.pid);
  return r.pid;
}

test('a write that fails part-way (file-size limit: EFBIG, as a full disk) leaves no temp file and no partial output: evidence pack, workbook, keyring', () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  cli(['init', '--db', db]);
  assert.equal(cli(['import', '--db', db, path.join(SAMPLES, 'exports'), '--media', path.join(SAMPLES, 'media')]).code, 0);
  const ids = cli(['hits', '--db', db, '--json']).json.slice(0, 3).map((h: { id: number }) => h.id);
  // the child's TMPDIR (tsx's cache, our registry of pending writes) stays in the test's folder
  const childTmp = path.join(dir, 'tmp');
  fs.mkdirSync(childTmp);
  const child = (outDir: string, limitKiB?: number) => {
    const node = [process.execPath, '--import', 'tsx', path.join(ROOT, 'test/helpers/writeOutputs.ts'), db, outDir, ids.join(',')];
    const r = spawnSync('bash', ['-c', `${limitKiB ? `ulimit -f ${limitKiB} && ` : ''}exec "$@"`, 'bash', ...node], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: childTmp } });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { pid: number; evidence: string; report: string; keyring: string };
  };
  // unlimited first: every write works (and the signing key exists, so the limited run writes nothing to the store)
  const whole = path.join(dir, 'whole');
  const ok = child(whole);
  assert.deepEqual([ok.evidence, ok.report, ok.keyring], ['ok', 'ok', 'ok']);
  const LIMIT_KIB = 4;
  // each output is bigger than the limit, so each write really is cut off part-way
  for (const f of [path.join(whole, 'pack.zip'), path.join(whole, 'report.xlsx'), `${db}.keyring`]) assert.ok(fs.statSync(f).size > LIMIT_KIB * 1024, `${f} outgrows the limit`);
  const keyringBefore = fs.readFileSync(`${db}.keyring`);

  const cut = path.join(dir, 'cut');
  const r = child(cut, LIMIT_KIB);
  assert.deepEqual([r.evidence, r.report, r.keyring], ['EFBIG', 'EFBIG', 'EFBIG'], 'the kernel refused each write');
  assert.deepEqual(fs.readdirSync(cut), [], 'no partial pack, no partial workbook, no temp file beside them');
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('.tmp-')), [], 'no temp keyring beside the store');
  assert.ok(keyringBefore.equals(fs.readFileSync(`${db}.keyring`)), 'the keyring as it was');
  assert.deepEqual(fs.readdirSync(withTmpDir(childTmp, () => pendingRegistryDir())!), [], 'no pending write left in the registry');
  assert.equal(cli(['hits', '--db', db, '--json']).code, 0, 'the store still opens');
});

test('what dead processes left is removed when a store is opened; what live ones hold, and anything not ours, stays', () => {
  const dir = tmpDir();
  const tmp = path.join(dir, 'tmp');
  const elsewhere = path.join(dir, 'exports');
  fs.mkdirSync(tmp);
  fs.mkdirSync(elsewhere);
  const dead = deadPid();
  const other = deadPid();
  const store = newStore(dir);
  const db = store.dbPath;
  store.close();
  const file = (p: string) => (fs.mkdirSync(path.dirname(p), { recursive: true }), fs.writeFileSync(p, 'x'), p);
  const registry = withTmpDir(tmp, () => pendingRegistryDir())!;
  const pending = (pid: number, target: string) => fs.writeFileSync(path.join(registry, `${pid}-${Math.random().toString(16).slice(2, 10)}`), target);

  const gone = [
    file(`${db}.keyring.tmp-${dead}`), // beside the store, found by looking there
    file(path.join(elsewhere, `pack.zip.tmp-${dead}`)), // in an output folder: found through the registry
    file(path.join(elsewhere, `report.xlsx.tmp-${dead}.xlsx`)),
    file(path.join(tmp, `wecom-pdf-${dead}-AbC123`, 'profile', 'Local State')), // a killed printer's profile
    file(path.join(tmp, 'wecom-pdf-Qw3rTy', 'transcript.html')), // an older version's, hours old
  ];
  pending(dead, path.join(elsewhere, `pack.zip.tmp-${dead}`));
  pending(dead, path.join(elsewhere, `report.xlsx.tmp-${dead}.xlsx`));
  const old = (Date.now() - 3 * 3600_000) / 1000;
  fs.utimesSync(path.join(tmp, 'wecom-pdf-Qw3rTy'), old, old);
  const kept = [
    file(`${db}.keyring.tmp-${process.pid}`), // a write of a live process (this one)
    file(path.join(elsewhere, `live.zip.tmp-${process.pid}`)),
    file(path.join(elsewhere, 'precious.txt')), // an entry naming a file that is not a temp file of its process
    file(path.join(elsewhere, `other.zip.tmp-${other}`)), // nor one of another process
    file(path.join(tmp, `wecom-pdf-${process.pid}-XyZ789`, 'profile', 'Local State')),
    file(path.join(tmp, 'wecom-pdf-Fr3shX', 'transcript.html')), // an older version's, possibly printing now
    file(path.join(dir, `unrelated.db.keyring.tmp-${dead}`)), // beside the store but another store's: not looked at
  ];
  pending(process.pid, path.join(elsewhere, `live.zip.tmp-${process.pid}`));
  pending(dead, path.join(elsewhere, 'precious.txt'));
  pending(dead, path.join(elsewhere, `other.zip.tmp-${other}`));

  withTmpDir(tmp, () => openStore(db, PASS).close());
  for (const f of gone) assert.ok(!fs.existsSync(f), `removed: ${path.relative(dir, f)}`);
  assert.ok(!fs.existsSync(path.join(tmp, `wecom-pdf-${dead}-AbC123`)), 'the whole profile folder');
  for (const f of kept) assert.ok(fs.existsSync(f), `kept: ${path.relative(dir, f)}`);
  // the dead process's entries are gone with their files; the live one's stays
  assert.deepEqual(fs.readdirSync(registry).map((n) => Number(n.split('-')[0])), [process.pid]);
  assert.ok(filesUnder(tmp).length > 0);
});

test('the desktop print window: its page is served from memory on its own scheme, only while printing; nothing else is allowed', async () => {
  const pages = new PrintPages();
  const html = '<!doctype html><p>会话内容 ZQX-7731</p>';
  const page = pages.add(html);
  assert.match(page.url, /^wecom-print:\/\/[0-9a-f-]{36}\/$/);
  const res = pages.respond({ url: page.url, method: 'GET' });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.equal(await res.text(), html);
  // the request filter: the page and inline images, never a file, the network or another page
  assert.equal(pages.isAllowed(page.url), true);
  assert.equal(pages.isAllowed(page.url.slice(0, -1)), true, 'with or without the trailing slash');
  assert.equal(pages.isAllowed('data:image/png;base64,AAAA'), true);
  for (const url of ['file:///etc/passwd', 'http://127.0.0.1/', 'https://example.com/', `${page.url}x`, 'wecom-print://00000000-0000-0000-0000-000000000000/', page.url.replace('wecom-print', 'wecom-print2')]) {
    assert.equal(pages.isAllowed(url), false, url);
    assert.equal(pages.respond({ url, method: 'GET' }).status, 404, url);
  }
  assert.equal(pages.respond({ url: page.url, method: 'POST' }).status, 404);
  // released after printing: the page is gone from memory and from the scheme
  page.release();
  assert.equal(pages.size, 0);
  assert.equal(pages.isAllowed(page.url), false);
  assert.equal(pages.respond({ url: page.url, method: 'GET' }).status, 404);
  // and the Electron printer itself writes no file: nothing in it touches fs, os or the temp folder
  const source = fs.readFileSync(path.join(ROOT, 'main/electron/pdf.ts'), 'utf8');
  assert.doesNotMatch(source, /from 'node:(fs|os)'|tmpdir|writeFile/);
  assert.match(source, /protocol\.handle\(PRINT_SCHEME/);
});
