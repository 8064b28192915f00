/**
 * What the end-to-end tests share: the built renderer, Debian's Chromium through playwright-core,
 * calls to the loopback test server's API, page errors collected, and a store set up through the
 * UI (created, the bundled samples imported, the roster and contacts imported).
 */
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Result } from '../../preload/api.js';
import { startTestServer, type TestServer } from '../../main/testServer/index.js';
import { ROOT, SAMPLES, tmpDir } from './store.js';

export const SHOTS = path.join(ROOT, 'docs', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A method's value over the test server's API; a failure throws with its code and message. */
export async function api<T>(srv: TestServer, method: string, body: unknown = {}): Promise<T> {
  const r = await apiResult<T>(srv, method, body);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

export async function apiResult<T = unknown>(srv: TestServer, method: string, body: unknown = {}): Promise<Result<T>> {
  const res = await fetch(`${srv.url}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wecom-token': srv.token }, body: JSON.stringify(body) });
  return (await res.json()) as Result<T>;
}

/** Page errors and console errors (a CSP refusal is one) as they happen. */
export function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

/** Builds when dist/ has no renderer yet; makes the screenshots folder. */
export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html')) || !fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'app.js'))) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'npm run build failed');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Through the UI: a new store at dbPath, the bundled samples imported, then the staff roster and contacts. */
export async function storeWithSamples(page: Page, srv: TestServer, dbPath: string, passphrase: string): Promise<void> {
  await page.goto(`${srv.url}/?token=${srv.token}`);
  await page.getByTestId('create-form').waitFor();
  await page.locator('#create-path').fill(dbPath);
  await page.locator('#create-pass').fill(passphrase);
  await page.locator('#create-pass2').fill(passphrase);
  await page.getByTestId('create-submit').click();
  await acknowledgeRecoveryKey(page);
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
}

/** After a store is made the window shows its recovery key once; returns it after the person confirms. */
export async function acknowledgeRecoveryKey(page: Page): Promise<string> {
  const key = (await page.getByTestId('recovery-key').innerText()).trim();
  await page.getByTestId('recovery-done').click();
  return key;
}

export type Harness = { srv: TestServer; browser: Browser; dataDir: string; dbPath: string };

/**
 * The file's test server (on the bundled samples) and Chromium, started before its tests and
 * closed after them, with a temp data folder and a store path that are removed at the end.
 */
export function e2eHarness(name: string): Harness {
  const dataDir = tmpDir(`wecom-e2e-${name}-data-`);
  const storeDir = tmpDir(`wecom-e2e-${name}-store-`);
  const h = { dataDir, dbPath: path.join(storeDir, `${name}.db`) } as Harness;
  before(async () => {
    ensureBuilt();
    h.srv = await startTestServer({ dataDir, samplesDir: SAMPLES });
    h.browser = await launchChromium();
  });
  after(async () => {
    await h.browser?.close();
    await h.srv?.close();
    for (const d of [dataDir, storeDir]) fs.rmSync(d, { recursive: true, force: true });
  });
  return h;
}

/** Locks the store from the header and unlocks it again as another user. */
export async function signInAs(page: Page, user: string, password: string): Promise<void> {
  await page.getByTestId('lock').click();
  await page.getByTestId('unlock-form').waitFor();
  await page.locator('#unlock-user').fill(user);
  await page.locator('#unlock-pass').fill(password);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('store-user').waitFor();
}
