/**
 * End to end, "dashboard and schedules": the real renderer build in Debian's Chromium against the
 * real core through the loopback test server. Creates a store, imports the bundled samples and
 * roster, scans; then the dashboard: an empty period offers the latest data, every bar's number
 * is the core's (dashboard.get) and the count hits.list gives for its filter, and a click on any
 * chart lands on the hits screen with that filter and that many hits; a sub-branch's dashboard.
 * Schedules: a report schedule added through the form runs now and writes its workbook into a
 * temp folder, an import schedule on a missing folder fails with its error in red in the history,
 * enable / disable, edit in the prefilled form (the table shows the new name and time), delete after a
 * confirmation (gone from the table, its run still in the history, marked deleted), and an auditor
 * may schedule and run reports but not imports or scans, nor switch, edit or delete others’ schedules.
 *
 * Run after `npm run build`: node --import tsx --test test/e2e/dashboard.test.ts
 * Screenshots go to docs/screenshots/ (dashboard.png, schedules.png) at 1440×900.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { Dashboard, HitFilter, Schedule, ScheduleRun, Stats } from '../../preload/api.js';
import { api, e2eHarness, SHOTS, signInAs, storeWithSamples, watchErrors } from '../helpers/e2e.js';

const PASS = 'e2e-dashboard-2026';
const AUDITOR_PASS = 'auditor-dash-2026';
const RISK_PASS = 'risk-xjk-dash-2026';
const DAY = 86_400_000;
const BEIJING = 8 * 3600_000;
const beijingDate = (ms: number) => new Date(ms + BEIJING).toISOString().slice(0, 10);
const midnight = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
/** the sample exports span 2–6 March 2026 */
const FROM = '2026-03-01';
const TO = '2026-03-07';

type BarInfo = { chart: string; series: string; key: string; value: number; filter: HitFilter | null };

async function bars(page: Page, chart?: string): Promise<BarInfo[]> {
  const all = await page.$$eval('[data-testid="chart-bar"]', (els) =>
    els.map((e) => ({
      chart: e.getAttribute('data-chart') ?? '',
      series: e.getAttribute('data-series') ?? '',
      key: e.getAttribute('data-key') ?? '',
      value: Number(e.getAttribute('data-value')),
      filter: e.getAttribute('data-filter') ? (JSON.parse(e.getAttribute('data-filter')!) as HitFilter) : null,
    })),
  );
  return chart ? all.filter((b) => b.chart === chart) : all;
}
const bar = (page: Page, b: Pick<BarInfo, 'chart' | 'series' | 'key'>) => page.locator(`[data-testid="chart-bar"][data-chart="${b.chart}"][data-series="${b.series}"][data-key="${b.key}"]`);

async function total(filter: HitFilter): Promise<number> {
  return (await api<{ total: number }>(h.srv, 'hits.list', { ...filter, limit: 1 })).total;
}

async function waitValue(page: Page, testId: string, n: number): Promise<void> {
  await page.waitForFunction(([id, v]) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-value')) === v, [testId, n] as const, { timeout: 15_000 });
}

/** What the hits screen's filter controls and total show. */
function hitsShown(page: Page): Promise<Record<string, string>> {
  // no named functions in here: tsx would wrap them in a helper the page does not have
  return page.evaluate(() =>
    Object.fromEntries(
      // a scoped user's disabled branch control shows the scope as its text
      ['hits-category', 'hits-severity', 'hits-status-filter', 'hits-branch', 'hits-staff', 'hits-from', 'hits-to']
        .map((id) => ({ id, e: document.querySelector(`[data-testid="${id}"]`) as HTMLSelectElement | null }))
        .map(({ id, e }) => [id, !e ? '' : e.disabled ? (e.selectedOptions[0]?.textContent ?? '') : e.value])
        .concat([['total', document.querySelector('[data-testid="hits-total"]')?.getAttribute('data-value') ?? '']]),
    ),
  );
}

/** On the hits screen after a click: the filter controls show the filter and the total is `n`. */
async function expectHits(page: Page, filter: HitFilter, n: number, what: string): Promise<void> {
  await page.getByTestId('hits-screen').waitFor();
  const want: Record<string, string> = {
    'hits-category': filter.category ?? '',
    'hits-severity': filter.severity ?? '',
    'hits-status-filter': filter.status ?? '',
    'hits-staff': filter.staff ?? '',
    'hits-from': filter.from !== undefined ? beijingDate(filter.from) : '',
    'hits-to': filter.to !== undefined ? beijingDate(filter.to - 1) : '',
    total: String(n),
  };
  // a scoped user's branch control shows the scope whatever the filter
  if (filter.branch) want['hits-branch'] = filter.branch;
  let shown: Record<string, string> = {};
  for (const until = Date.now() + 15_000; Date.now() < until; await page.waitForTimeout(100)) {
    shown = await hitsShown(page);
    if (Object.entries(want).every(([k, v]) => shown[k] === v)) break;
  }
  assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, shown[k]])), want, `${what}: the hits screen's filter and total`);
  assert.equal(await page.locator('[data-testid="hit-row"]').count(), Math.min(n, 50), `${what}: rows on the first page`);
}

async function backToDashboard(page: Page): Promise<void> {
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('dashboard-screen').waitFor();
  await page.locator('[data-testid="chart-bar"]').first().waitFor();
}

const h = e2eHarness('dashboard');

describe('dashboard and schedules through the UI', { timeout: 400_000 }, () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const from = midnight(FROM);
  const to = midnight(TO) + DAY;

  before(async () => {
    // a PC in another zone: days are Beijing days all the same
    context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/London' });
    page = await context.newPage();
    problems = watchErrors(page);
    // recharts says what it cannot draw (a chart without a size, say) as a warning
    page.on('console', (m) => {
      if (m.type() === 'warning') problems.push(`console warning: ${m.text()}`);
    });
  });
  after(async () => {
    await context?.close();
  });

  test('a store with the samples and roster, scanned', async () => {
    await storeWithSamples(page, h.srv, h.dbPath, PASS);
    const navs = (await page.locator('.sidenav-item').allInnerTexts()).map((s) => s.trim());
    for (const n of ['仪表盘', '定时任务']) assert.ok(navs.includes(n), `nav ${n}`);
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('scan-run').click();
    await page.getByTestId('scan-summary').waitFor({ timeout: 60_000 });
    assert.ok((await total({})) > 0, 'the samples have hits');
  });

  test('dashboard: a period without hits offers the latest data; a custom period shows the core’s numbers', async () => {
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-screen').waitFor();
    await page.getByTestId('dash-range').waitFor();
    // the default: the last 30 Beijing days, today included
    const shown = { from: Number(await page.getByTestId('dash-range').getAttribute('data-from')), to: Number(await page.getByTestId('dash-range').getAttribute('data-to')) };
    assert.equal(shown.to, midnight(beijingDate(Date.now())) + DAY);
    assert.equal(shown.to - shown.from, 30 * DAY);
    const stats = await api<Stats>(h.srv, 'store.stats');
    const last = stats.lastMessageAt!;
    if (last < shown.from) {
      // the samples are older than that: an empty state, and a way to their days
      await page.getByTestId('dash-empty').waitFor();
      assert.match(await page.getByTestId('dash-empty').innerText(), /所选期间内没有命中/);
      assert.equal(await page.locator('[data-testid="chart-bar"]').count(), 0);
      await page.getByTestId('dash-latest').click();
      await page.locator('[data-testid="chart-bar"]').first().waitFor();
      assert.equal(await page.getByTestId('dash-to').inputValue(), beijingDate(last));
      assert.equal(await page.getByTestId('dash-from').inputValue(), beijingDate(last - 29 * DAY));
    }
    assert.equal(await page.getByTestId('dash-last-message').getAttribute('data-value'), String(last));
    assert.equal(Number(await page.getByTestId('dash-last-import').getAttribute('data-value')), stats.lastImportAt);

    // the samples' week
    await page.getByTestId('dash-period-custom').click();
    await page.getByTestId('dash-from').fill(FROM);
    await page.getByTestId('dash-to').fill(TO);
    await page.waitForFunction(([f, t]) => document.querySelector('[data-testid="dash-range"]')?.getAttribute('data-from') === String(f) && document.querySelector('[data-testid="dash-range"]')?.getAttribute('data-to') === String(t), [from, to] as const);
    const d = await api<Dashboard>(h.srv, 'dashboard.get', { from, to });
    const all = await total({ from, to });
    assert.ok(all > 0);
    await waitValue(page, 'dash-total', all);
    assert.equal(d.byDay.reduce((s, p) => s + p.hits, 0), all);
    const pending = d.backlog.filter((b) => b.status === 'new').reduce((s, b) => s + b.hits, 0);
    assert.equal(Number(await page.getByTestId('dash-pending').getAttribute('data-value')), pending);
    assert.equal(pending, await total({ from, to, status: 'new' }));
    assert.equal(Number(await page.getByTestId('dash-open-cases').getAttribute('data-value')), d.freshness.openCases);

    // every bar carries the core's number; every clickable bar's number is what hits.list counts for its filter
    const trend = await bars(page, 'trend');
    assert.equal(trend.length, d.byDay.length, 'a segment per day and category');
    for (const p of d.byDay) {
      const b = trend.find((x) => x.key === beijingDate(p.day) && x.series === p.category);
      assert.ok(b, `trend ${beijingDate(p.day)} ${p.category}`);
      assert.equal(b.value, p.hits);
      assert.deepEqual(b.filter, p.filter);
    }
    const branches = await bars(page, 'branch');
    assert.equal(branches.length, d.byBranch.length);
    for (const p of d.byBranch) {
      const b = branches.find((x) => x.key === p.branch)!;
      assert.equal(b.value, p.hits, `branch ${p.branch}`);
      // the nameless group (hits no staff member is party to) is shown but has no filter of its own
      assert.equal(b.filter === null, p.branch === '');
    }
    assert.deepEqual(
      (await bars(page, 'branch')).filter((b) => b.filter).map((b) => b.key).sort(),
      ['新街口支行', '河西支行'].sort(),
      'one branch in the roster: its sub-branches',
    );
    const staff = await bars(page, 'staff');
    for (const p of d.topStaff) {
      if (p.high) assert.equal(staff.find((x) => x.key === p.staff && x.series === 'high')?.value, p.high, `${p.name} high`);
      if (p.hits > p.high) assert.equal(staff.find((x) => x.key === p.staff && x.series === 'other')?.value, p.hits, `${p.name} all`);
    }
    const names = await page.locator('[data-testid="dash-staff"] .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
    assert.deepEqual(names, d.topStaff.map((s) => s.name), 'staff by name, most high-risk hits first');
    const backlog = await bars(page, 'backlog');
    assert.equal(backlog.length, d.backlog.length);
    for (const p of d.backlog) assert.equal(backlog.find((x) => x.key === p.status && x.series === p.severity)?.value, p.hits, `${p.status} × ${p.severity}`);
    for (const b of await bars(page)) if (b.filter) assert.equal(await total(b.filter), b.value, `${b.chart} ${b.key} ${b.series}`);

    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SHOTS, 'dashboard.png') });
  });

  test('every chart clicks through to the hits it counts', async () => {
    const shown = await bars(page);
    const picks = [
      ...shown.filter((b) => b.chart === 'trend').slice(0, 4),
      ...shown.filter((b) => b.chart !== 'trend' && b.filter),
    ];
    assert.ok(picks.some((b) => b.chart === 'branch') && picks.some((b) => b.chart === 'staff' && b.series === 'high') && picks.some((b) => b.chart === 'staff' && b.series === 'other') && picks.some((b) => b.chart === 'backlog'));
    for (const b of picks) {
      await bar(page, b).click();
      await expectHits(page, b.filter!, b.value, `${b.chart} ${b.key} ${b.series}`);
      await backToDashboard(page);
    }
    // the tiles open the period's hits, and the new ones
    const all = await total({ from, to });
    await page.getByTestId('dash-total-open').click();
    await expectHits(page, { from, to }, all, 'total tile');
    await backToDashboard(page);
    await page.getByTestId('dash-pending-open').click();
    await expectHits(page, { from, to, status: 'new' }, await total({ from, to, status: 'new' }), 'pending tile');
    await backToDashboard(page);
    // a keyboard user opens a bar too
    const first = (await bars(page, 'backlog'))[0]!;
    await bar(page, first).focus();
    await page.keyboard.press('Enter');
    await expectHits(page, first.filter!, first.value, 'backlog bar by keyboard');
    await backToDashboard(page);
  });

  test('a sub-branch’s dashboard: its numbers, and its clicks keep the branch', async () => {
    await page.getByTestId('dash-branch').selectOption('新街口支行');
    const n = await total({ from, to, branch: '新街口支行' });
    assert.ok(n > 0 && n < (await total({ from, to })));
    await waitValue(page, 'dash-total', n);
    const d = await api<Dashboard>(h.srv, 'dashboard.get', { from, to, branch: '新街口支行' });
    await page.waitForFunction((k) => document.querySelectorAll('[data-testid="chart-bar"][data-chart="backlog"]').length === k, d.backlog.length);
    const shown = await bars(page);
    assert.ok(shown.length > 0);
    for (const b of shown) {
      assert.equal(b.filter?.branch, '新街口支行', `${b.chart} ${b.key} keeps the branch`);
      assert.equal(await total(b.filter!), b.value);
    }
    assert.deepEqual((await bars(page, 'staff')).map((b) => b.key), d.topStaff.map((s) => s.staff), 'only the sub-branch’s staff');
    const pick = shown.find((b) => b.chart === 'trend')!;
    await bar(page, pick).click();
    await expectHits(page, pick.filter!, pick.value, 'sub-branch trend bar');
    await backToDashboard(page);
    await page.getByTestId('dash-branch').selectOption('');
    await waitValue(page, 'dash-total', await total({ from, to }));
  });

  test('schedules: a report run now writes its workbook; a missing watched folder fails, in red, with its error', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-e2e-reports-'));
    const missing = path.join(h.dataDir, '不存在的导出文件夹');
    await page.getByTestId('nav-schedules').click();
    await page.getByTestId('schedules-screen').waitFor();
    await page.getByTestId('schedules-empty').waitFor();
    await page.getByTestId('runs-empty').waitFor();

    // a report schedule: daily, into the temp folder, 每天 07:00
    await page.getByTestId('sched-name').fill('合规日报');
    await page.getByTestId('sched-kind-report').click();
    await page.getByTestId('sched-period').selectOption('daily');
    await page.getByTestId('sched-out').fill(outDir);
    assert.equal(await page.getByTestId('sched-cron').inputValue(), '0 7 * * *');
    assert.match(await page.getByTestId('sched-cron-desc').innerText(), /每天 07:00/);
    await page.getByTestId('sched-preset').selectOption('weekly');
    assert.equal(await page.getByTestId('sched-cron').inputValue(), '0 7 * * 1');
    assert.match(await page.getByTestId('sched-cron-desc').innerText(), /每周一 07:00/);
    await page.getByTestId('sched-preset').selectOption('daily7');
    await page.getByTestId('sched-add').click();
    await page.getByTestId('schedule-added').waitFor();
    const report = page.locator('[data-testid="schedule-row"][data-kind="report"]');
    await report.waitFor();
    const reportText = await report.innerText();
    assert.match(reportText, /合规日报[\s\S]*报表[\s\S]*每天 07:00[\s\S]*0 7 \* \* \*[\s\S]*日报（前一天）/);
    assert.ok(reportText.includes(outDir));
    assert.match(reportText, /已启用[\s\S]*尚未运行/);
    const reportId = Number(await report.getAttribute('data-id'));

    // run now: the history shows it succeeded, and the workbook is in the folder
    await report.getByTestId('schedule-run').click();
    await page.locator('[data-testid="run-result"][data-ok="true"]').waitFor({ timeout: 60_000 });
    const okRow = page.locator(`[data-testid="run-row"][data-schedule="${reportId}"]`);
    await okRow.waitFor();
    assert.equal(await okRow.getAttribute('data-ok'), 'true');
    assert.match(await okRow.innerText(), /成功/);
    const yesterday = beijingDate(midnight(beijingDate(Date.now())) - DAY).replace(/-/g, '');
    const name = `合规报表_${yesterday}-${yesterday}.xlsx`;
    assert.deepEqual(fs.readdirSync(outDir), [name], 'yesterday’s daily report');
    const book = fs.readFileSync(path.join(outDir, name));
    assert.equal(book.subarray(0, 2).toString('latin1'), 'PK', 'an xlsx (zip) file');
    assert.ok((await okRow.getByTestId('run-summary').innerText()).includes(path.join(outDir, name)));
    assert.equal(await report.getByTestId('schedule-last').getAttribute('data-ok'), 'true');

    // an invalid expression is refused by the core, in both languages
    await page.getByTestId('sched-name').fill('坏表达式');
    await page.getByTestId('sched-kind-scan').click();
    await page.getByTestId('sched-cron').fill('every day');
    assert.equal(await page.getByTestId('sched-preset').inputValue(), 'custom');
    await page.getByTestId('sched-add').click();
    const refused = await page.locator('[data-testid="schedules-screen"] [data-testid="error-alert"]').innerText();
    assert.match(refused, /定时表达式无效[\s\S]*Invalid cron expression/);
    await page.locator('[data-testid="schedules-screen"] [data-testid="error-alert"] .alert-close').click();

    // a scan every 15 minutes (a custom expression in plain words)
    await page.getByTestId('sched-name').fill('增量扫描');
    await page.getByTestId('sched-cron').fill('*/15 * * * *');
    assert.match(await page.getByTestId('sched-cron-desc').innerText(), /每 15 分钟/);
    await page.getByTestId('sched-add').click();
    const scan = page.locator('[data-testid="schedule-row"][data-kind="scan"]');
    await scan.waitFor();
    await scan.getByTestId('schedule-run').click();
    await page.locator(`[data-testid="run-row"][data-schedule="${await scan.getAttribute('data-id')}"][data-ok="true"]`).waitFor({ timeout: 60_000 });

    // an import schedule on a folder that is not there: the run fails, its error shown in red
    await page.getByTestId('sched-name').fill('每日导入');
    await page.getByTestId('sched-kind-import').click();
    await page.getByTestId('sched-folder').fill(missing);
    await page.getByTestId('sched-preset').selectOption('daily7');
    await page.getByTestId('sched-add').click();
    const imp = page.locator('[data-testid="schedule-row"][data-kind="import"]');
    await imp.waitFor();
    assert.ok((await imp.innerText()).includes(missing));
    const importId = Number(await imp.getAttribute('data-id'));
    await imp.getByTestId('schedule-run').click();
    await page.locator('[data-testid="run-result"][data-ok="false"]').waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('run-result').innerText(), /每日导入”运行失败：监视的文件夹不存在/);
    const failed = page.locator(`[data-testid="run-row"][data-schedule="${importId}"]`);
    await failed.waitFor();
    assert.equal(await failed.getAttribute('data-ok'), 'false');
    assert.match(await failed.innerText(), /失败/);
    const error = await failed.getByTestId('run-error').innerText();
    assert.ok(error.includes(`监视的文件夹不存在：${missing}`), error);
    assert.match(error, /The watched folder does not exist/);
    assert.equal(await failed.getByTestId('run-error').evaluate((e) => getComputedStyle(e).color), 'rgb(179, 38, 30)', 'the error in red');
    assert.equal(await imp.getByTestId('schedule-last').getAttribute('data-ok'), 'false');
    assert.ok((await imp.getByTestId('schedule-last').innerText()).includes('监视的文件夹不存在'));
    const runs = await api<ScheduleRun[]>(h.srv, 'schedules.runs', {});
    assert.deepEqual(runs.map((r) => [r.scheduleId, r.ok]).sort(), [[reportId, true], [importId, false], [Number(await scan.getAttribute('data-id')), true]].sort());

    // the history of one schedule
    await page.getByTestId('runs-filter').selectOption(String(importId));
    await page.waitForFunction((id) => [...document.querySelectorAll('[data-testid="run-row"]')].every((r) => r.getAttribute('data-schedule') === String(id)), importId);
    await page.getByTestId('runs-filter').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-row"]').length === 3);

    // disable, and enable again
    await imp.getByTestId('schedule-toggle').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="schedule-row"][data-id="${id}"]`)?.getAttribute('data-enabled') === 'false', importId);
    assert.match(await imp.innerText(), /已停用/);
    assert.equal((await api<Schedule[]>(h.srv, 'schedules.list')).find((s) => s.id === importId)?.enabled, false);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SHOTS, 'schedules.png') });
    await imp.getByTestId('schedule-toggle').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="schedule-row"][data-id="${id}"]`)?.getAttribute('data-enabled') === 'true', importId);
    assert.equal((await api<Schedule[]>(h.srv, 'schedules.list')).find((s) => s.id === importId)?.enabled, true);

    // edit: the form shows the schedule as it is (a report's folder and period), cancel leaves it
    await report.getByTestId('schedule-edit').click();
    await page.getByTestId('schedule-edit-form').waitFor();
    assert.equal(await page.getByTestId('sched-name').inputValue(), '合规日报');
    assert.equal(await page.getByTestId('sched-out').inputValue(), outDir);
    assert.equal(await page.getByTestId('sched-period').inputValue(), 'daily');
    assert.equal(await page.getByTestId('sched-kind-scan').isDisabled(), true, 'the kind stays');
    await page.getByTestId('sched-cancel').click();
    await page.getByTestId('schedule-add').waitFor();

    // a scan to edit and delete, run once
    await page.getByTestId('sched-name').fill('临时扫描');
    await page.getByTestId('sched-kind-scan').click();
    await page.getByTestId('sched-preset').selectOption('hourly');
    await page.getByTestId('sched-add').click();
    const temp = page.locator('[data-testid="schedule-row"]', { hasText: '临时扫描' });
    await temp.waitFor();
    const tempId = Number(await temp.getAttribute('data-id'));
    await temp.getByTestId('schedule-run').click();
    await page.locator(`[data-testid="run-row"][data-schedule="${tempId}"][data-ok="true"]`).waitFor({ timeout: 60_000 });

    // a new name and time through the prefilled form: the table shows them
    await temp.getByTestId('schedule-edit').click();
    await page.getByTestId('schedule-edit-form').waitFor();
    assert.equal(await page.getByTestId('sched-name').inputValue(), '临时扫描');
    assert.equal(await page.getByTestId('sched-cron').inputValue(), '0 * * * *');
    await page.getByTestId('sched-name').fill('夜间扫描');
    await page.getByTestId('sched-cron').fill('30 * * * *');
    await page.getByTestId('sched-save').click();
    await page.getByTestId('schedule-saved').waitFor();
    await page.getByTestId('schedule-add').waitFor();
    const renamed = page.locator(`[data-testid="schedule-row"][data-id="${tempId}"]`);
    await page.waitForFunction((id) => document.querySelector(`[data-testid="schedule-row"][data-id="${id}"]`)?.textContent?.includes('夜间扫描'), tempId);
    assert.match(await renamed.innerText(), /夜间扫描[\s\S]*扫描[\s\S]*每小时第 30 分[\s\S]*30 \* \* \* \*/);
    const saved = (await api<Schedule[]>(h.srv, 'schedules.list')).find((s) => s.id === tempId)!;
    assert.deepEqual([saved.name, saved.cron, saved.kind], ['夜间扫描', '30 * * * *', 'scan']);

    // delete: asked first (cancel keeps it), then gone from the table; its run stays in the history
    await renamed.getByTestId('schedule-delete').click();
    const confirm = page.getByTestId('schedule-confirm-delete');
    assert.match(await confirm.innerText(), /删除定时任务[\s\S]*确定删除定时任务“夜间扫描”吗？[\s\S]*运行记录保留/);
    await page.getByTestId('confirm-cancel').click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal(await renamed.count(), 1);
    await renamed.getByTestId('schedule-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('schedule-deleted').waitFor();
    await renamed.waitFor({ state: 'detached' });
    assert.equal((await api<Schedule[]>(h.srv, 'schedules.list')).some((s) => s.id === tempId), false);
    const kept = page.locator(`[data-testid="run-row"][data-schedule="${tempId}"]`);
    await kept.waitFor();
    assert.match(await kept.getByTestId('run-name').innerText(), /夜间扫描[\s\S]*已删除/);
    assert.equal(await kept.getAttribute('data-ok'), 'true');
    assert.equal(await page.locator(`[data-testid="runs-filter"] option[value="${tempId}"]`).count(), 0);
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  test('English second: the same screens with English labels', async () => {
    await page.getByTestId('lang-en').click();
    assert.equal(await page.getByTestId('nav-dashboard').innerText(), 'Dashboard');
    assert.equal(await page.getByTestId('nav-schedules').innerText(), 'Schedules');
    assert.match(await page.locator('[data-testid="schedules-screen"] .table').first().innerText(), /Daily 07:00[\s\S]*Edit[\s\S]*Delete[\s\S]*Every 15 minutes/);
    assert.match(await page.getByTestId('runs-table').innerText(), /夜间扫描 deleted/);
    await page.getByTestId('nav-dashboard').click();
    assert.match(await page.getByTestId('dash-filters').innerText(), /Last 7 days[\s\S]*Custom/);
    assert.match(await page.getByTestId('dash-staff').innerText(), /Staff with the most hits/);
    await page.screenshot({ path: path.join(os.tmpdir(), 'dashboard-en.png') });
    await page.getByTestId('lang-zh').click();
    assert.deepEqual(problems, []);
  });

  test('an auditor sees the dashboard and the schedules; may schedule and run reports (with their own masking), not imports or scans, nor switch others’ schedules', async () => {
    await api(h.srv, 'users.add', { user: 'audit01', role: 'auditor', password: AUDITOR_PASS });
    await api(h.srv, 'users.add', { user: 'risk_xjk', role: 'risk_officer', branch: '新街口支行', password: RISK_PASS });
    await signInAs(page, 'audit01', AUDITOR_PASS);
    await page.getByTestId('nav-schedules').click();
    await page.locator('[data-testid="schedule-row"]').first().waitFor();
    assert.equal(await page.getByTestId('sched-add').isDisabled(), false);
    assert.equal(await page.getByTestId('sched-kind-import').isDisabled(), true);
    assert.equal(await page.getByTestId('sched-kind-report').getAttribute('aria-pressed'), 'true');
    const row = (kind: string) => page.locator(`[data-testid="schedule-row"][data-kind="${kind}"]`);
    assert.equal(await row('report').getByTestId('schedule-run').isDisabled(), false);
    const guarded = [row('scan').getByTestId('schedule-run'), row('import').getByTestId('schedule-run')];
    for (const id of ['schedule-toggle', 'schedule-edit', 'schedule-delete']) guarded.push(...(await page.getByTestId(id).all()));
    assert.equal(guarded.length, 2 + 3 * 3);
    for (const b of guarded) {
      assert.equal(await b.isDisabled(), true);
      assert.match((await b.getAttribute('title')) ?? '', /审计角色只读/);
    }
    assert.equal(await page.locator('[data-testid="run-row"]').count(), 4, 'the history is there to read (one run of a deleted schedule)');
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dash-period-custom').click();
    await page.getByTestId('dash-from').fill(FROM);
    await page.getByTestId('dash-to').fill(TO);
    await waitValue(page, 'dash-total', await total({ from, to }));
    assert.deepEqual(problems, []);
  });
  test('a branch-scoped risk officer: the dashboard is their branch, and so are their report schedules', async () => {
    await signInAs(page, 'risk_xjk', RISK_PASS);
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dash-period-custom').click();
    await page.getByTestId('dash-from').fill(FROM);
    await page.getByTestId('dash-to').fill(TO);
    // the core limits this user's lists to the scope: the same count as a 新街口支行 dashboard
    const n = await total({ from, to, branch: '新街口支行' });
    assert.equal(await total({ from, to }), n, 'hits.list is scoped for this user');
    await waitValue(page, 'dash-total', n);
    assert.equal(await page.getByTestId('dash-branch').isDisabled(), true);
    assert.equal(await page.getByTestId('dash-branch').innerText(), '新街口支行');
    const shown = await bars(page);
    assert.ok(shown.length > 0);
    for (const b of shown) assert.equal(b.filter?.branch, '新街口支行');
    const pick = shown.find((b) => b.chart === 'staff')!;
    await bar(page, pick).click();
    await expectHits(page, pick.filter!, pick.value, 'scoped staff bar');
    // a report schedule of theirs is their branch
    await page.getByTestId('nav-schedules').click();
    await page.getByTestId('sched-kind-report').click();
    assert.equal(await page.getByTestId('sched-branch').isDisabled(), true);
    assert.match(await page.getByTestId('schedule-add').innerText(), /报表限于您的范围：新街口支行/);
    await page.getByTestId('sched-name').fill('支行周报');
    await page.getByTestId('sched-period').selectOption('weekly');
    await page.getByTestId('sched-out').fill(path.join(h.dataDir, 'weekly'));
    await page.getByTestId('sched-preset').selectOption('weekly');
    await page.getByTestId('sched-add').click();
    await page.getByTestId('schedule-added').waitFor();
    const mine = (await api<Schedule[]>(h.srv, 'schedules.list')).find((x) => x.name === '支行周报')!;
    assert.deepEqual(mine.params, { period: 'weekly', outDir: path.join(h.dataDir, 'weekly'), branch: '新街口支行' });
    assert.equal(mine.cron, '0 7 * * 1');
    assert.match(await page.locator(`[data-testid="schedule-row"][data-id="${mine.id}"]`).innerText(), /每周一 07:00[\s\S]*周报（上周一至周日）[\s\S]*机构：新街口支行/);
    // their own schedule: the edit form says nothing about owners
    await page.locator(`[data-testid="schedule-row"][data-id="${mine.id}"]`).getByTestId('schedule-edit').click();
    await page.getByTestId('schedule-edit-form').waitFor();
    assert.equal(await page.getByTestId('sched-owner-change').count(), 0);
    assert.equal(await page.getByTestId('sched-branch').isDisabled(), true);
    await page.getByTestId('sched-cancel').click();
    // admin editing it is told, before saving, that it will run with admin's rights from then on
    await signInAs(page, 'admin', PASS);
    await page.getByTestId('nav-schedules').click();
    await page.locator(`[data-testid="schedule-row"][data-id="${mine.id}"]`).getByTestId('schedule-edit').click();
    assert.match(await page.getByTestId('sched-owner-change').innerText(), /以您的角色和范围运行，负责人由 risk_xjk 变为您/);
    assert.equal(await page.getByTestId('sched-branch').inputValue(), '新街口支行', 'the report keeps its branch');
    await page.getByTestId('sched-cancel').click();
    assert.equal((await api<Schedule[]>(h.srv, 'schedules.list')).find((x) => x.id === mine.id)?.createdBy, 'risk_xjk', 'nothing saved');
    assert.deepEqual(problems, []);
  });
});
