/**
 * End to end, "review": the real renderer build in Debian's Chromium against the real core through
 * the loopback test server. Creates a store, imports the bundled samples and roster, scans, and
 * reviews: hits with the match highlighted, dismiss with a reason, confirm, bulk select, a case
 * from hits closed with a conclusion, an evidence pack from the case verified on the verify
 * screen, the dictionary test box, a user with the auditor role (triage disabled with a reason,
 * PII masked), and the audit log verified.
 *
 * Run after `npm run build`: node --import tsx --test test/e2e/review.test.ts
 * Screenshots go to docs/screenshots/ (hits, dictionary, cases, users, audit).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AuditRow, CaseDetail, HitRow, Result } from '../../preload/api.js';
import { startTestServer, type TestServer } from '../../main/testServer/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const SAMPLES = path.join(ROOT, 'resources', 'samples');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASS = 'e2e-review-2026';
const AUDITOR_PASS = 'auditor-pass-2026';

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function api<T>(srv: TestServer, method: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${srv.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wecom-token': srv.token },
    body: JSON.stringify(body),
  });
  const r = (await res.json()) as Result<T>;
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

function ensureBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html')) || !fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'app.js'))) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'npm run build failed');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
}

/** the hit rows on screen: id, status, category, and the marked text */
async function hitRows(page: Page): Promise<{ id: number; status: string; category: string; mark: string; text: string }[]> {
  return page.$$eval('[data-testid="hit-row"]', (els) =>
    els.map((e) => ({
      id: Number(e.getAttribute('data-hit')),
      status: e.getAttribute('data-status') ?? '',
      category: e.getAttribute('data-category') ?? '',
      mark: e.querySelector('[data-testid="hit-mark"]')?.textContent ?? '',
      text: e.querySelector('[data-testid="hit-text"]')?.textContent ?? '',
    })),
  );
}
const row = (page: Page, id: number) => page.locator(`[data-testid="hit-row"][data-hit="${id}"]`);

let srv: TestServer;
let browser: Browser;
const dataDir = tmpDir('wecom-e2e-review-data-');
const storeDir = tmpDir('wecom-e2e-review-store-');
const dbPath = path.join(storeDir, 'review.db');

before(async () => {
  ensureBuilt();
  srv = await startTestServer({ dataDir, samplesDir: SAMPLES });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await srv?.close();
  for (const d of [dataDir, storeDir]) fs.rmSync(d, { recursive: true, force: true });
});

describe('review through the UI', { timeout: 300_000 }, () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let caseId = 0;
  const packPath = path.join(dataDir, 'case-pack.zip');

  before(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/London', acceptDownloads: true });
    page = await context.newPage();
    problems = watchErrors(page);
  });
  after(async () => {
    await context?.close();
  });

  test('create a store, import the samples and the roster', async () => {
    await page.goto(`${srv.url}/?token=${srv.token}`);
    await page.getByTestId('create-form').waitFor();
    await page.locator('#create-path').fill(dbPath);
    await page.locator('#create-pass').fill(PASS);
    await page.locator('#create-pass2').fill(PASS);
    await page.getByTestId('create-submit').click();
    await page.getByTestId('import-screen').waitFor();
    await page.getByTestId('fill-samples').click();
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    await page.getByTestId('nav-people').click();
    for (const kind of ['staff', 'contacts']) {
      await page.getByTestId(`people-kind-${kind}`).click();
      await page.getByTestId('people-sample').click();
      await page.getByTestId('people-import-start').click();
      await page.locator(`[data-testid="people-result"][data-kind="${kind}"]`).waitFor();
    }
    const navs = (await page.locator('.sidenav-item').allInnerTexts()).map((s) => s.trim());
    for (const n of ['命中']) assert.ok(navs.includes(n), `nav ${n}`);
  });

  test('hits: scan, the match highlighted, PII masked, context, filters', async () => {
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('hits-screen').waitFor();
    await page.getByTestId('scan-run').click();
    await page.getByTestId('scan-summary').waitFor({ timeout: 60_000 });
    const all = await api<{ total: number; hits: HitRow[] }>(srv, 'hits.list', { limit: 1000 });
    assert.ok(all.total > 0, 'the samples have hits');
    assert.equal(Number(await page.getByTestId('scan-new').getAttribute('data-value')), all.total);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="hits-total"]')?.getAttribute('data-value')) === n, all.total);
    const rows = await hitRows(page);
    assert.ok(rows.length > 0);
    for (const r of rows) {
      const h = all.hits.find((x) => x.id === r.id)!;
      if (h.start === h.end) continue;
      if (h.category === 'pii') {
        assert.ok(r.mark.includes('*'), `PII masked: ${r.mark}`);
        assert.ok(!r.text.includes(h.match), 'the full number is not on screen');
      } else assert.equal(r.mark, h.text.slice(h.start, h.end), `hit ${h.id} marks its match`);
    }
    // context around the first hit
    const first = rows[0]!;
    await row(page, first.id).getByTestId('hit-context').click();
    await row(page, first.id).getByTestId('hit-context-list').waitFor();
    assert.ok((await row(page, first.id).locator('[data-testid="hit-context-list"] li').count()) >= 1);
    assert.equal(await row(page, first.id).locator('[data-testid="hit-context-list"] li.current').count(), 1);
    // category filter
    const cat = all.hits.find((h) => h.category !== 'pii')!.category;
    await page.getByTestId('hits-category').selectOption(cat);
    await page.waitForFunction((c) => [...document.querySelectorAll('[data-testid="hit-row"]')].every((e) => e.getAttribute('data-category') === c), cat);
    await page.getByTestId('hits-category').selectOption('');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="hits-total"]')?.getAttribute('data-value')) === n, all.total);
    // a PII hit revealed for the admin
    const pii = all.hits.find((h) => h.category === 'pii' && h.start !== h.end);
    if (pii) {
      await row(page, pii.id).getByTestId('hit-unmask').click();
      await page.waitForFunction(([id, m]) => document.querySelector(`[data-testid="hit-row"][data-hit="${id}"] [data-testid="hit-mark"]`)?.textContent === m, [pii.id, pii.match] as const);
      await row(page, pii.id).getByTestId('hit-unmask').click();
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'hits.png') });
  });
});
