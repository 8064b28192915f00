/**
 * End to end: the real renderer build in Debian's Chromium, against the real core through the
 * loopback test server (main/testServer). Creates an encrypted store through the UI, imports the
 * bundled samples, checks the numbers on screen against store.stats over HTTP, locks, fails and
 * then succeeds to unlock, follows a long import's progress and cancels it, and checks that the
 * server refuses calls without its token or with a foreign Host.
 *
 * Run after `npm run build`: node --import tsx --test test/e2e/*.test.ts
 * Screenshots go to docs/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Result, Stats } from '../../preload/api.js';
import { startTestServer, type TestServer } from '../../main/testServer/index.js';
import { acknowledgeRecoveryKey } from '../helpers/e2e.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const BUNDLED_SAMPLES = path.join(ROOT, 'resources', 'samples');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASS = 'e2e-passphrase-2026';

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The bundled samples when present; otherwise a small folder written here (development fallback). */
function samplesDir(): { dir: string; bundled: boolean } {
  if (fs.existsSync(path.join(BUNDLED_SAMPLES, 'exports'))) return { dir: BUNDLED_SAMPLES, bundled: true };
  const dir = tmpDir('wecom-e2e-samples-');
  fs.mkdirSync(path.join(dir, 'exports'));
  fs.mkdirSync(path.join(dir, 'media'));
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    lines.push(
      JSON.stringify({
        msgid: `fallback-${i}`,
        action: 'send',
        from: i % 2 ? 'zhangwei' : 'wmCustomer0001',
        tolist: [i % 2 ? 'wmCustomer0001' : 'zhangwei'],
        roomid: '',
        msgtime: Date.UTC(2026, 2, 2, 1, 0, i),
        msgtype: i === 5 ? 'redpacket' : 'text',
        ...(i === 5 ? { redpacket: { type: 1, wish: '恭喜发财', totalcnt: 1, totalamount: 20000 } } : { text: { content: `样例消息 ${i}` } }),
      }),
    );
  }
  lines.push('{"msgid": broken');
  fs.writeFileSync(path.join(dir, 'exports', 'day1.jsonl'), lines.join('\n') + '\n');
  return { dir, bundled: false };
}

async function apiCall<T>(srv: TestServer, method: string, body: unknown = {}, token = srv.token): Promise<{ status: number; result: Result<T> | null }> {
  const res = await fetch(`${srv.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-wecom-token': token } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let result: Result<T> | null = null;
  try {
    result = JSON.parse(text) as Result<T>;
  } catch {
    result = null;
  }
  return { status: res.status, result };
}

/** A raw request, so the Host header can be anything (fetch will not let us set it). */
function rawGet(port: number, pathAndQuery: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathAndQuery, method: 'GET', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function numberOf(page: Page, testId: string): Promise<number> {
  const v = await page.getByTestId(testId).getAttribute('data-value');
  assert.ok(v !== null, `${testId} has a value`);
  return Number(v);
}

function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

let srv: TestServer;
let browser: Browser;
let samples: { dir: string; bundled: boolean };
const dataDir = tmpDir('wecom-e2e-data-');
const storeDir = tmpDir('wecom-e2e-store-');
const dbPath = path.join(storeDir, 'e2e-store.db');

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html')) || !fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'app.js'))) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'npm run build failed');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  samples = samplesDir();
  srv = await startTestServer({ dataDir, samplesDir: samples.dir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await srv?.close();
  for (const d of [dataDir, storeDir]) fs.rmSync(d, { recursive: true, force: true });
  if (samples && !samples.bundled) fs.rmSync(samples.dir, { recursive: true, force: true });
});

describe('desktop UI through the test server', { timeout: 180_000 }, () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  before(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', timezoneId: 'Europe/London' });
    page = await context.newPage();
    problems = watchErrors(page);
  });
  after(async () => {
    await context?.close();
  });

  test('first run: create an encrypted store through the form', async () => {
    await page.goto(`${srv.url}/?token=${srv.token}`);
    await page.getByTestId('create-form').waitFor();
    assert.equal(await page.getByTestId('app-title').innerText(), '会话存档合规审计工作站');
    assert.equal(await page.locator('#create-path').inputValue(), path.join(dataDir, 'store.db'), 'default path comes from app.info');
    await page.screenshot({ path: path.join(SHOTS, 'first-run.png') });

    // a short passphrase is refused in both languages before anything is written
    await page.locator('#create-path').fill(dbPath);
    await page.locator('#create-pass').fill('short');
    await page.locator('#create-pass2').fill('short');
    await page.getByTestId('create-submit').click();
    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /口令至少需要 8 个字符/);
    assert.match(text, /at least 8 characters/);
    assert.equal(fs.existsSync(dbPath), false);

    await page.locator('#create-pass').fill(PASS);
    await page.locator('#create-pass2').fill(PASS);
    await page.getByTestId('create-submit').click();
    // the recovery key, shown once: ten groups of six digits, never written into the keyring
    const recoveryKey = await acknowledgeRecoveryKey(page);
    assert.match(recoveryKey, /^\d{6}(-\d{6}){9}$/);
    assert.ok(!fs.readFileSync(`${dbPath}.keyring`, 'utf8').includes(recoveryKey.replaceAll('-', '')), 'the key is not stored in clear');
    await page.getByTestId('import-screen').waitFor();
    assert.equal(await page.getByTestId('store-path').innerText(), dbPath);
    assert.equal(await page.getByTestId('store-user').innerText(), 'admin');
    assert.ok(fs.existsSync(dbPath), 'store file created');
    assert.ok(fs.existsSync(`${dbPath}.keyring`), 'keyring beside the store');
  });

  test('import the sample data and show a summary that matches store.stats', async () => {
    await page.getByTestId('fill-samples').click();
    assert.equal(await page.locator('#import-paths').inputValue(), path.join(samples.dir, 'exports'));
    assert.equal(await page.locator('#import-media').inputValue(), path.join(samples.dir, 'media'));
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });

    const read = await numberOf(page, 'sum-read');
    const imported = await numberOf(page, 'sum-imported');
    const quarantined = await numberOf(page, 'sum-quarantined');
    const mediaLinked = await numberOf(page, 'sum-media-linked');
    const mediaMissing = await numberOf(page, 'sum-media-missing');
    assert.ok(imported > 0, 'imported something');
    assert.ok(read >= imported);

    const { status, result } = await apiCall<Stats>(srv, 'store.stats');
    assert.equal(status, 200);
    assert.ok(result?.ok, JSON.stringify(result));
    const stats = result.value;
    assert.equal(imported, stats.messages, 'the summary shows what the store holds');
    assert.equal(quarantined, stats.quarantined);
    assert.equal(mediaLinked, stats.media.linked);
    assert.equal(mediaMissing, stats.media.missing);
    if (stats.media.mismatched) assert.equal(await numberOf(page, 'sum-media-mismatched'), stats.media.mismatched);
    const table = await page.getByTestId('sum-bytype').innerText();
    assert.match(table, /文本/);
    // every type in the store has a row, with its Chinese label, or 未知类型 (key) for a type we do not know
    const known: Record<string, string> = { text: '文本', image: '图片', revoke: '撤回', agree: '同意存档', disagree: '拒绝存档', redpacket: '红包', external_redpacket: '互通红包', chatrecord: '会话记录', meeting_voice_call: '音频存档', switch: '切换企业' };
    const KNOWN_KEYS = 'text image revoke agree disagree voice video card location emotion file link weapp chatrecord todo vote collect redpacket external_redpacket meeting docmsg markdown news calendar mixed meeting_voice_call voip_doc_share sphfeed voiptext qydiskfile meeting_notification switch'.split(' ');
    for (const key of Object.keys(stats.byType)) {
      assert.ok(table.includes(key), `byType row for ${key}`);
      if (known[key]) assert.ok(table.includes(known[key]!), `label ${known[key]} for ${key}`);
      if (!KNOWN_KEYS.includes(key)) assert.ok(table.includes(`未知类型 (${key})`), `unknown type ${key} is labelled as such`);
    }
    if (samples.bundled) {
      assert.ok(quarantined >= 1, 'the bundled samples carry broken lines for the quarantine');
      assert.ok(mediaMissing >= 1, 'the bundled samples miss some media on purpose');
    } else {
      assert.match(table, /红包/);
    }
    await page.screenshot({ path: path.join(SHOTS, 'import-done.png'), fullPage: true });
  });

  test('overview shows the counts, the quarantine and the messages', async () => {
    const stats = (await apiCall<Stats>(srv, 'store.stats')).result;
    assert.ok(stats?.ok);
    await page.getByTestId('to-overview').click();
    await page.getByTestId('overview-screen').waitFor();
    const tile = page.getByTestId('stat-messages');
    await tile.waitFor();
    assert.equal(await numberOf(page, 'stat-messages'), stats.value.messages);
    assert.equal((await tile.innerText()).replace(/\D/g, ''), String(stats.value.messages), 'the number itself is on screen');
    assert.equal(await numberOf(page, 'stat-conversations'), stats.value.conversations);
    assert.equal(await numberOf(page, 'stat-quarantined'), stats.value.quarantined);
    assert.equal(await numberOf(page, 'stat-media-linked'), stats.value.media.linked);
    assert.equal(await numberOf(page, 'stat-media-missing'), stats.value.media.missing);
    assert.equal(await numberOf(page, 'stat-media-mismatched'), stats.value.media.mismatched);
    // Beijing time whatever the browser's zone (the context runs in Europe/London)
    const range = await page.getByTestId('stat-range').innerText();
    assert.match(range, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} — \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const first = new Date(stats.value.firstMessageAt! + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    assert.ok(range.startsWith(first), `${range} starts with ${first}`);

    if (stats.value.quarantined > 0) {
      const q = await page.getByTestId('overview-quarantine').innerText();
      assert.match(q, /行|line/i);
    }
    const rows = page.locator('[data-testid="overview-messages"] tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.count()) > 0, 'the message list shows rows');
    await page.screenshot({ path: path.join(SHOTS, 'overview.png'), fullPage: true });
  });

  test('English switch translates the chrome and keeps the data', async () => {
    await page.getByTestId('lang-en').click();
    assert.equal(await page.getByTestId('app-title').innerText(), 'WeCom Compliance Workstation');
    assert.equal(await page.getByTestId('nav-overview').innerText(), 'Overview');
    const heads = await page.locator('[data-testid="overview-screen"] th, [data-testid="overview-screen"] .tile-label, [data-testid="overview-screen"] h1, [data-testid="overview-screen"] h2').allInnerTexts();
    for (const h of heads) assert.doesNotMatch(h, /[\u4e00-\u9fff]/, `untranslated label: ${h}`);
    await page.screenshot({ path: path.join(SHOTS, 'overview-en.png'), fullPage: true });
    await page.getByTestId('lang-zh').click();
    assert.equal(await page.getByTestId('nav-overview').innerText(), '概览');
  });

  test('lock, a wrong passphrase shows the bilingual error, the right one unlocks', async () => {
    await page.getByTestId('lock').click();
    await page.getByTestId('unlock-form').waitFor();
    assert.equal(await page.locator('#unlock-path').inputValue(), dbPath, 'the last store is remembered');
    assert.equal(await page.locator('#unlock-user').inputValue(), 'admin');
    const locked = await apiCall<Stats>(srv, 'store.stats');
    assert.equal(locked.result?.ok, false);
    assert.equal(!locked.result?.ok && locked.result?.error.code, 'locked');

    await page.locator('#unlock-pass').fill('not-the-passphrase');
    await page.getByTestId('unlock-submit').click();
    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /用户名或密码错误/);
    assert.match(text, /Wrong user or passphrase/);
    assert.match(text, /passphrase/);
    await page.screenshot({ path: path.join(SHOTS, 'unlock-error.png') });

    await page.locator('#unlock-pass').fill(PASS);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('overview-screen').waitFor();
    await page.getByTestId('stat-messages').waitFor();
    const stats = (await apiCall<Stats>(srv, 'store.stats')).result;
    assert.ok(stats?.ok);
    assert.equal(await numberOf(page, 'stat-messages'), stats.value.messages);
  });

  test('a long import shows progress and can be cancelled', async () => {
    // 8 files of JSON Lines, ~80 MB: long enough to watch on a fast machine, cancelled well before the end
    const dir = tmpDir('wecom-e2e-big-');
    const FILES = 8;
    const PER_FILE = 40_000;
    try {
      const pad = '合规审计测试内容'.repeat(20);
      for (let f = 0; f < FILES; f++) {
        const fd = fs.openSync(path.join(dir, `big-${f}.jsonl`), 'w');
        for (let chunk = 0; chunk < PER_FILE / 5000; chunk++) {
          const lines: string[] = [];
          for (let i = 0; i < 5000; i++) {
            const n = f * PER_FILE + chunk * 5000 + i;
            lines.push(JSON.stringify({ msgid: `big-${n}`, action: 'send', from: 'zhangwei', tolist: ['wmBig'], roomid: '', msgtime: 1772400000000 + n * 1000, msgtype: 'text', text: { content: `${n} ${pad}` } }));
          }
          fs.writeSync(fd, lines.join('\n') + '\n');
        }
        fs.closeSync(fd);
      }
      const file = dir;

      await page.getByTestId('nav-import').click();
      const again = page.getByText('继续导入');
      if (await again.isVisible()) await again.click();
      await page.locator('#import-paths').fill(file);
      await page.locator('#import-media').fill('');
      await page.getByTestId('import-start').click();
      const progress = page.getByTestId('import-progress');
      await progress.waitFor();
      // wait for a real progress event from the server (SSE), then cancel
      await page.waitForFunction(() => {
        const bar = document.querySelector('[data-testid="import-progress"] [role="progressbar"]');
        return !!bar && Number(bar.getAttribute('aria-valuenow')) > 0;
      }, undefined, { timeout: 60_000 });
      assert.match(await progress.innerText(), /文件 \d \/ 8/);
      assert.match(await progress.innerText(), /big-\d\.jsonl/);
      await page.screenshot({ path: path.join(SHOTS, 'import-progress.png') });
      assert.equal(await page.getByTestId('lock').isDisabled(), true, 'cannot lock during an import');
      await page.getByTestId('import-cancel').click();
      await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
      const imported = await numberOf(page, 'sum-imported');
      assert.match(await page.getByTestId('import-status').innerText(), /已取消/, `the import was cancelled, not finished (${imported} imported)`);
      assert.ok(imported < FILES * PER_FILE, `cancelled before the end (${imported})`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('no script errors or CSP violations in the page', () => {
    assert.deepEqual(problems, []);
  });
});

describe('test server guards', () => {
  test('API calls and the event stream need the token', async () => {
    const none = await apiCall(srv, 'app.info', {}, '');
    assert.equal(none.status, 401);
    const wrong = await apiCall(srv, 'app.info', {}, 'x'.repeat(srv.token.length));
    assert.equal(wrong.status, 401);
    assert.equal((await fetch(`${srv.url}/api/events`)).status, 401);
    assert.equal((await fetch(`${srv.url}/?token=nope`)).status, 401);
    const ok = await apiCall<{ version: string }>(srv, 'app.info');
    assert.equal(ok.status, 200);
    assert.ok(ok.result?.ok);
  });

  test('a foreign Host (DNS rebinding) or Origin is refused', async () => {
    const hdr = { 'x-wecom-token': srv.token };
    assert.equal(await rawGet(srv.port, `/?token=${srv.token}`, { host: `127.0.0.1:${srv.port}` }), 200);
    assert.equal(await rawGet(srv.port, `/?token=${srv.token}`, { host: `evil.example:${srv.port}` }), 421);
    assert.equal(await rawGet(srv.port, `/?token=${srv.token}`, { host: `localhost:${srv.port}` }), 421);
    assert.equal(await rawGet(srv.port, `/api/events?token=${srv.token}`, { ...hdr, host: `evil.example:${srv.port}` }), 421);
    const cross = await fetch(`${srv.url}/api/app.info`, { method: 'POST', headers: { ...hdr, origin: 'http://evil.example' }, body: '{}' });
    assert.equal(cross.status, 403);
  });

  test('pages carry a strict CSP; unknown methods and bad input come back as bilingual errors', async () => {
    const res = await fetch(`${srv.url}/?token=${srv.token}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    const html = await res.text();
    assert.match(html, /http-equiv="Content-Security-Policy"/);
    assert.equal((await fetch(`${srv.url}/..%2f..%2fpackage.json`)).status, 404);

    const unknown = await apiCall(srv, 'no.such.method');
    assert.equal(unknown.result?.ok, false);
    if (unknown.result && !unknown.result.ok) {
      assert.equal(unknown.result.error.code, 'usage');
      assert.ok(unknown.result.error.messageZh && unknown.result.error.messageEn);
    }
    const bad = await fetch(`${srv.url}/api/app.info`, { method: 'POST', headers: { 'x-wecom-token': srv.token }, body: '{not json' });
    assert.equal(bad.status, 400);
  });
});
