import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { chromiumPrinter } from '../../main/core/report/chromium.js';
import { cli, PASS, ROOT, SAMPLES, tmpDir } from '../helpers/store.js';

/** Rewrites a zip with Python's zipfile (an independent reader/writer) applying one change. */
function py(script: string, ...args: string[]) {
  const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
const REWRITE = `
import sys, zipfile
src, dst, op, name = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w') as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == name:
            if op == 'remove': continue
            if op == 'change': data = data[:10] + bytes([data[10] ^ 1]) + data[11:]
        zout.writestr(item, data)
    if op == 'add': zout.writestr(name, b'extra')
`;

/** The PDF's text, read by poppler's pdftotext (an independent reader; scripts/setup.sh installs it). */
function pdfText(file: string): string {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftotext (poppler-utils): ${r.error ?? r.stderr}`);
  return r.stdout;
}
const squash = (s: string) => s.replace(/\s+/g, '');

function packFixture(env: Record<string, string> = {}, extra: string[] = []) {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  cli(['init', '--db', db]);
  cli(['people', 'import', '--db', db, path.join(SAMPLES, 'roster/staff.csv'), '--kind', 'staff']);
  assert.equal(cli(['import', '--db', db, path.join(SAMPLES, 'exports'), '--media', path.join(SAMPLES, 'media')]).code, 0);
  const hits = cli(['hits', '--db', db, '--json']).json.filter((h: any) => h.category !== 'behaviour');
  assert.ok(hits.length >= 3);
  const ids = hits.slice(0, 3).map((h: any) => h.id);
  const out = path.join(dir, 'pack.zip');
  const r = cli(['evidence', '--db', db, '--hits', ids.join(','), '--out', out, '--json', ...extra], env);
  assert.equal(r.code, 0, r.stderr);
  return { dir, db, out, ids, r: r.json };
}

test('an evidence pack: contents read by independent tools, signature checked by OpenSSL, verify passes', () => {
  const { dir, out, ids, r } = packFixture();
  assert.equal(r.out, out);
  assert.match(r.sha256, /^[0-9a-f]{64}$/);
  const names = py('import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', out).trim().split('\n');
  for (const n of ['manifest.json', 'manifest.sig', 'public-key.pem', 'messages.json', 'hits.json', 'audit-excerpt.json', 'transcript.html', 'transcript.pdf', 'README.txt']) assert.ok(names.includes(n), n);
  assert.equal(r.pdf, true, r.pdfReason);
  assert.match(r.packId, /^EP-\d{8}-\d{6}-[0-9a-f]{4}$/);
  assert.equal(names.length, r.files);
  const x = path.join(dir, 'x');
  py('import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', out, x);
  const manifest = JSON.parse(fs.readFileSync(path.join(x, 'manifest.json'), 'utf8'));
  const hits = JSON.parse(fs.readFileSync(path.join(x, 'hits.json'), 'utf8'));
  assert.deepEqual(hits.map((h: any) => String(h.id)).sort(), [...ids].sort());
  const messages = JSON.parse(fs.readFileSync(path.join(x, 'messages.json'), 'utf8'));
  for (const h of hits) assert.ok(messages.some((m: any) => m.msgid === h.msgid), 'each hit message is in the pack');
  assert.ok(messages.length >= new Set(hits.map((h: any) => h.msgid)).size, 'every hit message, plus context where the conversation has it');
  const html = fs.readFileSync(path.join(x, 'transcript.html'), 'utf8');
  assert.match(html, /<mark/);
  assert.doesNotMatch(html, /<script|<a /i);
  const audit = JSON.parse(fs.readFileSync(path.join(x, 'audit-excerpt.json'), 'utf8'));
  assert.ok(Array.isArray(audit));
  // the PDF: a real PDF, signed like every file, and the transcript's Chinese text is in it as text
  const pdf = fs.readFileSync(path.join(x, 'transcript.pdf'));
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const listed = manifest.files.find((f: any) => f.path === 'transcript.pdf');
  assert.ok(listed, 'transcript.pdf is in the manifest');
  assert.equal(listed.size, pdf.length);
  assert.equal(manifest.packId, r.packId);
  const text = squash(pdfText(path.join(x, 'transcript.pdf')));
  assert.ok(text.includes('证据包会话记录'), 'title');
  assert.ok(text.includes(`证据包${r.packId}`), 'the pack id in the running header');
  assert.match(text, /第1页\/共\d+页/, 'page numbers in the footer');
  for (const h of hits) {
    assert.ok(text.includes(squash(h.match)), `hit match ${h.match}`);
    const m = messages.find((m: any) => m.msgid === h.msgid);
    assert.ok(text.includes(squash(m.text).slice(0, 12)), `message text ${m.text.slice(0, 12)}`);
  }
  assert.match(fs.readFileSync(path.join(x, 'README.txt'), 'utf8'), /transcript\.pdf/);
  // every file's SHA-256 with sha256sum, the signature with OpenSSL: no code of ours involved
  for (const f of manifest.files) {
    const sum = spawnSync('sha256sum', [path.join(x, f.path)], { encoding: 'utf8' }).stdout.split(' ')[0];
    assert.equal(sum, f.sha256, f.path);
  }
  fs.writeFileSync(path.join(x, 'sig.bin'), Buffer.from(fs.readFileSync(path.join(x, 'manifest.sig'), 'utf8').trim(), 'base64'));
  const ossl = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', path.join(x, 'public-key.pem'), '-rawin', '-in', path.join(x, 'manifest.json'), '-sigfile', path.join(x, 'sig.bin')], { encoding: 'utf8' });
  assert.match(ossl.stdout + ossl.stderr, /Signature Verified Successfully/);
  const v = cli(['verify', out, '--json']);
  assert.equal(v.code, 0, v.stdout);
  assert.deepEqual([v.json.valid, v.json.problems], [true, []]);
  assert.equal(v.json.fingerprint, manifest.publicKeyFingerprint);
});

test('verify catches every kind of change to a pack (exit 5, the file named)', () => {
  const { dir, out } = packFixture();
  const cases: [string, string, RegExp][] = [
    ['change', 'hits.json', /changed: hits\.json/],
    ['change', 'transcript.html', /changed: transcript\.html/],
    ['change', 'transcript.pdf', /changed: transcript\.pdf/],
    ['remove', 'transcript.pdf', /removed: transcript\.pdf/],
    ['remove', 'messages.json', /removed: messages\.json/],
    ['add', 'extra.txt', /added: extra\.txt/],
    ['change', 'manifest.json', /bad signature|manifest/],
    ['change', 'manifest.sig', /signature/],
    ['remove', 'public-key.pem', /missing: public-key\.pem/],
  ];
  for (const [op, name, expect] of cases) {
    const t = path.join(dir, `t-${op}-${name}.zip`);
    py(REWRITE, out, t, op, name);
    const v = cli(['verify', t, '--json']);
    assert.equal(v.code, 5, `${op} ${name}: ${v.stdout}`);
    assert.equal(v.json.valid, false);
    assert.ok(v.json.problems.some((p: string) => expect.test(p)), `${op} ${name}: ${v.json.problems}`);
  }
  // a pack re-signed with another key still fails: the public key no longer matches the manifest's fingerprint
  const other = path.join(dir, 'other.pem');
  spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', other]);
  const pub = spawnSync('openssl', ['pkey', '-in', other, '-pubout'], { encoding: 'utf8' }).stdout;
  const x = path.join(dir, 'resign');
  py('import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', out, x);
  const sig = spawnSync('openssl', ['pkeyutl', '-sign', '-inkey', other, '-rawin', '-in', path.join(x, 'manifest.json')]).stdout;
  const forged = path.join(dir, 'forged.zip');
  const sigFile = path.join(dir, 'sig.raw');
  fs.writeFileSync(sigFile, sig);
  py(`
import sys, zipfile, base64
src, dst, pub, sig = sys.argv[1], sys.argv[2], sys.argv[3], open(sys.argv[4], 'rb').read()
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w') as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == 'public-key.pem': data = pub.encode()
        if item.filename == 'manifest.sig': data = base64.b64encode(sig) + b'\\n'
        zout.writestr(item, data)
`, out, forged, pub, sigFile);
  const v = cli(['verify', forged, '--json']);
  assert.equal(v.code, 5);
  assert.ok(v.json.problems.some((p: string) => /fingerprint/.test(p)));
  assert.equal(cli(['verify', path.join(dir, 'nope.zip')]).code, 5);
});

test('a pack for a case holds the case and its timeline', () => {
  const { dir, db, ids } = packFixture();
  const c = cli(['cases', 'create', '--title', '测试案件', '--hits', ids.join(','), '--db', db, '--json']);
  const out = path.join(dir, 'case.zip');
  const r = cli(['evidence', '--db', db, '--case', c.json.id, '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const caseJson = JSON.parse(py('import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("case.json").decode())', out));
  assert.equal(caseJson.title, '测试案件');
  assert.equal(cli(['verify', out]).code, 0);
  assert.equal(cli(['evidence', '--db', db, '--out', out]).code, 2);
});

test('no browser, or --no-pdf: the pack is still written and valid, and says there is no PDF', () => {
  const names = (zip: string) => py('import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', zip).trim().split('\n');
  const read = (zip: string, name: string) => py('import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', zip, name);
  const cases: [Record<string, string>, string[], RegExp][] = [
    [{ CHROMIUM_PATH: '/nonexistent/chromium' }, [], /CHROMIUM_PATH.*\/nonexistent\/chromium/],
    [{ CHROMIUM_PATH: '/bin/false' }, [], /Chromium.*exit 1/],
    [{}, ['--no-pdf'], /--no-pdf/],
  ];
  const { dir, db, ids } = packFixture({}, ['--no-pdf']);
  for (const [i, [env, extra, reason]] of cases.entries()) {
    const out = path.join(dir, `nopdf-${i}.zip`);
    const what = JSON.stringify([env, extra]);
    const made = cli(['evidence', '--db', db, '--hits', ids.join(','), '--out', out, '--json', ...extra], env);
    assert.equal(made.code, 0, `${what}: ${made.stderr}`);
    const r = made.json;
    assert.equal(r.pdf, false, what);
    assert.match(r.pdfReason, reason, what);
    assert.ok(!names(out).includes('transcript.pdf'), what);
    assert.ok(names(out).includes('transcript.html'), what);
    assert.ok(!JSON.parse(read(out, 'manifest.json')).files.some((f: any) => f.path === 'transcript.pdf'), what);
    assert.match(read(out, 'README.txt'), /没有 PDF|no PDF/, what);
    const v = cli(['verify', out, '--json']);
    assert.equal(v.code, 0, v.stdout);
    assert.equal(v.json.valid, true);
  }
  // and a person reading the text output is told too
  const t = cli(['evidence', '--db', db, '--hits', ids.join(','), '--out', path.join(dir, 'text.zip')], { CHROMIUM_PATH: '/nonexistent/chromium' });
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /transcript\.pdf: 未包含 \/ not included/);
});

test('the Chromium printer: no request leaves the page, a hung browser is killed at the time limit, no temp files stay', async () => {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const tmp = tmpDir();
  try {
    // no CSP here on purpose: the flags alone must keep the page off the network (IP literal and name)
    const html = `<!doctype html><meta charset="utf-8"><title>t</title><p>网络测试</p><img src="http://127.0.0.1:${port}/a.png"><img src="http://localhost:${port}/b.png"><link rel="stylesheet" href="http://127.0.0.1:${port}/c.css">`;
    const pdf = await chromiumPrinter({ tmpDir: tmp })(html);
    assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
    assert.equal(requests, 0, 'Chromium reached the local server');
    const hang = path.join(tmp, 'hang.sh');
    fs.writeFileSync(hang, '#!/bin/sh\nsleep 30 &\nsleep 30\n', { mode: 0o755 });
    const started = Date.now();
    await assert.rejects(chromiumPrinter({ env: { ...process.env, CHROMIUM_PATH: hang }, timeoutMs: 500, tmpDir: tmp })('<p>x</p>'), /timed out/);
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.startsWith('wecom-pdf-')), [], 'temp folders removed');
  } finally {
    server.close();
  }
});

// ---- no page content on disk while printing (Chromium over the DevTools pipe) ----

/** A message text no file of Chromium's or ours could hold by chance. */
const SECRET = '紫藤暗号ZQX7731请转到我个人账户';

/** every file under root, recursively (links not followed) */
function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** The files under root that hold the text, as UTF-8 or UTF-16 (files that vanish while read are skipped). */
function holding(root: string, text: string): string[] {
  const forms = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  return filesUnder(root).filter((f) => {
    try {
      const bytes = fs.readFileSync(f);
      return forms.some((b) => bytes.includes(b));
    } catch {
      return false;
    }
  });
}

/** The processes whose command line names `marker` (the profile folder), and every process of their groups. */
function processesWith(marker: string): number[] {
  const stat = (pid: string) => {
    try {
      return { cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'), pgrp: Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[2]) };
    } catch {
      return null;
    }
  };
  const all = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map((pid) => ({ pid: Number(pid), ...stat(pid) }));
  const groups = new Set(all.filter((p) => p.cmd?.includes(marker)).map((p) => p.pgrp));
  return all.filter((p) => p.cmd?.includes(marker) || (p.pgrp !== undefined && groups.has(p.pgrp))).map((p) => p.pid);
}

/** TCP sockets in LISTEN state held by these processes (from /proc/net/tcp{,6} and their fds). */
function listeningTcp(pids: number[]): string[] {
  const listening = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A') listening.add(f[9]!);
    }
  }
  const found: string[] = [];
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && listening.has(inode)) found.push(`pid ${pid} fd ${fd}`);
      } catch {
        // closed meanwhile
      }
    }
  }
  return found;
}

test('the Chromium printer drives the browser over the DevTools pipe: the PDF has the page text; while it prints, no file under the temp folder holds that text, no port is open, no script runs', async () => {
  const tmp = tmpDir();
  // pages of messages, and a script that must not run: no CSP here, the printer's own switch keeps scripts off
  const rows = Array.from({ length: 400 }, (_, i) => `<div class="msg"><p>${i} 客户经理：${SECRET} 第 ${i} 条</p></div>`).join('\n');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>${rows}<script>document.body.insertAdjacentText('beforeend', 'SCRIPT-RAN')</script></body></html>`;
  let done = false;
  const printing = chromiumPrinter({ tmpDir: tmp })(html).finally(() => (done = true));
  let whileBrowserRan = 0;
  const leaks = new Set<string>();
  const ports = new Set<string>();
  while (!done) {
    const profile = fs.readdirSync(tmp).find((n) => n.startsWith('wecom-pdf-'));
    const browser = profile ? processesWith(path.join(tmp, profile)) : [];
    for (const f of holding(tmp, SECRET)) leaks.add(path.relative(tmp, f));
    if (browser.length) {
      whileBrowserRan++;
      for (const p of listeningTcp(browser)) ports.add(p);
    }
    await delay(20);
  }
  const pdf = await printing;
  assert.ok(whileBrowserRan > 0, 'the temp folder was searched while Chromium ran');
  assert.deepEqual([...leaks], [], 'no file holds the page text');
  assert.deepEqual([...ports], [], 'Chromium listens on no TCP port');
  const file = path.join(tmp, 'out.pdf');
  fs.writeFileSync(file, pdf);
  const text = squash(pdfText(file));
  assert.ok(text.includes(`客户经理：${SECRET}第0条`) && text.includes(`客户经理：${SECRET}第399条`), 'the first and the last message are in the PDF');
  assert.ok(!text.includes('SCRIPT-RAN'), 'the page script did not run');
  assert.deepEqual(fs.readdirSync(tmp).filter((n) => n !== 'out.pdf'), [], 'the profile folder is removed');
});

test('kill -9 of `evidence` while Chromium prints: no file under TMPDIR holds the transcript; the next run removes the stale profile and writes the pack', async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  cli(['init', '--db', db]);
  // one message of our own: a distinctive text with a term the default dictionary flags
  const exports = path.join(dir, 'exports');
  fs.mkdirSync(exports);
  const msgid = 'tempfiles-secret-1';
  fs.writeFileSync(path.join(exports, 'secret.jsonl'), `${JSON.stringify({ msgid, action: 'send', from: 'zhangwei', tolist: ['wmCustomer01'], msgtime: 1772412072758, msgtype: 'text', text: { content: `这款产品保本保收益，${SECRET}` } })}\n`);
  assert.equal(cli(['import', '--db', db, exports]).code, 0);
  const hit = cli(['hits', '--db', db, '--json']).json.find((h: { msgid: string }) => h.msgid === msgid);
  assert.ok(hit, 'the message is a hit');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const out = path.join(dir, 'pack.zip');
  const args = ['evidence', '--db', db, '--hits', String(hit.id), '--out', out, '--json'];
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/wecom-audit.js'), ...args], { env: { ...process.env, WECOM_AUDIT_PASSPHRASE: PASS, TMPDIR: tmp }, stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  // until Chromium runs for this child, searching the temp folder all along
  const leaks = new Set<string>();
  let profile: string | undefined;
  let browser: number[] = [];
  while (!browser.length && !exited) {
    profile = fs.readdirSync(tmp).find((n) => n.startsWith(`wecom-pdf-${child.pid}-`));
    if (profile) browser = processesWith(path.join(tmp, profile));
    for (const f of holding(tmp, SECRET)) leaks.add(path.relative(tmp, f));
    await delay(20);
  }
  assert.ok(!exited && profile && browser.length, 'the CLI was killed while Chromium ran');
  child.kill('SIGKILL');
  await once(child, 'exit').catch(() => {});
  // the browser sees its pipe close and quits; a bounded wait, then it is ended by force (and the test fails)
  const profileDir = path.join(tmp, profile!);
  for (let i = 0; i < 600 && processesWith(profileDir).length; i++) await delay(50);
  const left = processesWith(profileDir);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  assert.deepEqual(left, [], 'Chromium ended when the CLI died');
  for (const f of holding(tmp, SECRET)) leaks.add(path.relative(tmp, f));
  assert.deepEqual([...leaks], [], 'no file under TMPDIR held the transcript, before or after the kill');
  assert.ok(fs.existsSync(profileDir), 'the killed run left its (content-free) profile folder');
  assert.ok(!fs.existsSync(out));
  // the next run removes it, and prints the pack whole
  const r = cli(args, { TMPDIR: tmp });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.pdf, true, r.json.pdfReason);
  assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.startsWith('wecom-pdf-')), [], 'no profile folder left');
  const x = path.join(dir, 'x');
  py('import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', out, x);
  assert.ok(squash(pdfText(path.join(x, 'transcript.pdf'))).includes(SECRET));
});
