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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import type { BrowserContext, Page } from 'playwright-core';
import type { AuditRow, CaseDetail, HitRow, Result } from '../../preload/api.js';
import { api, e2eHarness, SHOTS, signInAs, storeWithSamples, watchErrors } from '../helpers/e2e.js';

const PASS = 'e2e-review-2026';
const AUDITOR_PASS = 'auditor-pass-2026';

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

const harness = e2eHarness('review');
const { dataDir } = harness;

describe('review through the UI', { timeout: 300_000 }, () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let caseId = 0;
  const packPath = path.join(dataDir, 'case-pack.zip');

  before(async () => {
    context = await harness.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/London', acceptDownloads: true });
    page = await context.newPage();
    problems = watchErrors(page);
  });
  after(async () => {
    await context?.close();
  });

  test('create a store, import the samples and the roster', async () => {
    await storeWithSamples(page, harness.srv, harness.dbPath, PASS);
    const navs = (await page.locator('.sidenav-item').allInnerTexts()).map((s) => s.trim());
    for (const n of ['命中', '案件', '词库', '用户', '审计日志', '核验证据包']) assert.ok(navs.includes(n), `nav ${n}`);
  });

  test('hits: scan, the match highlighted, PII masked, context, filters', async () => {
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('hits-screen').waitFor();
    // the window's import already indexed and scanned (one pipeline for every host): a scan finds nothing new
    const all = await api<{ total: number; hits: HitRow[] }>(harness.srv, 'hits.list', { limit: 1000 });
    assert.ok(all.total > 0, 'the samples have hits right after the import');
    const status = await api<{ unscanned: number }>(harness.srv, 'scan.status');
    assert.equal(status.unscanned, 0, 'nothing left unscanned after the window import');
    const index = await api<{ indexed: number; pending: number }>(harness.srv, 'search.index');
    assert.deepEqual(index, { indexed: 0, pending: 0 }, 'nothing left unindexed after the window import');
    await page.getByTestId('scan-run').click();
    await page.getByTestId('scan-summary').waitFor({ timeout: 60_000 });
    assert.equal(Number(await page.getByTestId('scan-new').getAttribute('data-value')), 0);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="hits-total"]')?.getAttribute('data-value')) === n, all.total);
    const rows = await hitRows(page);
    assert.ok(rows.length > 0);
    for (const r of rows) {
      const h = all.hits.find((x) => x.id === r.id)!;
      if (h.start === h.end) continue;
      if (h.category === 'pii' && h.rule.startsWith('pii.')) {
        assert.ok(r.mark.includes('*'), `PII masked: ${r.mark}`);
        assert.ok(!r.text.includes(h.match), 'the full number is not on screen');
      } else assert.equal(r.mark, h.text.slice(h.start, h.end), `hit ${h.id} marks its match`);
    }
    // behaviour descriptions name people, not ids
    const behaviourTexts = await page.getByTestId('hit-behaviour').allInnerTexts();
    for (const b of behaviourTexts) assert.doesNotMatch(b, /wmErxt/, `an external id in a description: ${b}`);
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
    const pii = all.hits.find((h) => h.rule.startsWith('pii.') && h.start !== h.end);
    if (pii) {
      await row(page, pii.id).getByTestId('hit-unmask').click();
      await page.waitForFunction(([id, m]) => document.querySelector(`[data-testid="hit-row"][data-hit="${id}"] [data-testid="hit-mark"]`)?.textContent === m, [pii.id, pii.match] as const);
      await row(page, pii.id).getByTestId('hit-unmask').click();
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'hits.png') });
    // a hit opens its conversation at that message
    const target = all.hits.find((h) => h.conversation !== null && h.category === 'guarantee')!;
    await page.getByTestId('hits-category').selectOption('guarantee');
    await row(page, target.id).getByTestId('hit-open').click();
    await page.locator(`[data-testid="viewer"][data-conversation="${target.conversation}"]`).waitFor();
    await page.waitForFunction((m) => document.querySelector('[data-testid="viewer-scroll"] [data-highlighted="true"]')?.getAttribute('data-msgid') === m, target.msgid);
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('hits-category').selectOption('');
  });

  test('triage: dismiss with a reason, confirm, bulk select, history', async () => {
    const all = await api<{ total: number; hits: HitRow[] }>(harness.srv, 'hits.list', { limit: 50 });
    const onPage = all.hits;
    const [a, b] = onPage.filter((h) => h.category !== 'pii' && h.category !== 'behaviour');
    assert.ok(a && b);
    // the buttons need a selection
    assert.equal(await page.getByTestId('triage-confirm').isDisabled(), true);
    // dismiss a: the reason is required
    await row(page, a.id).getByTestId('hit-check').check();
    await page.getByTestId('triage-dismiss').click();
    await page.getByTestId('dismiss-submit').click();
    assert.match(await page.getByTestId('error-alert').innerText(), /驳回需要选择原因/);
    await page.getByTestId('dismiss-reason').selectOption('误报：否定或合规披露语境');
    await page.getByTestId('dismiss-note').fill('合规披露语境');
    await page.getByTestId('dismiss-submit').click();
    await page.getByTestId('triage-result').waitFor();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="hit-row"][data-hit="${id}"]`)?.getAttribute('data-status') === 'dismissed', a.id);
    // confirm b
    await row(page, b.id).getByTestId('hit-check').check();
    await page.getByTestId('triage-confirm').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="hit-row"][data-hit="${id}"]`)?.getAttribute('data-status') === 'confirmed', b.id);
    const hist = await api<{ status: string; reason: string }[]>(harness.srv, 'review.history', { hit: a.id });
    assert.equal(hist.at(-1)?.status, 'dismissed');
    assert.equal(hist.at(-1)?.reason, '误报：否定或合规披露语境');
    // its history on screen
    await row(page, a.id).getByTestId('hit-history').click();
    assert.match(await row(page, a.id).getByTestId('hit-history-table').innerText(), /误报：否定或合规披露语境[\s\S]*合规披露语境/);
    // select all on the page, then none
    await page.getByTestId('hits-select-all').check();
    assert.equal(Number(await page.getByTestId('hits-selected').getAttribute('data-value')), Math.min(50, all.total));
    await page.getByTestId('hits-select-all').uncheck();
    assert.equal(Number(await page.getByTestId('hits-selected').getAttribute('data-value')), 0);
    // escalate two at once
    const [c, d] = onPage.filter((h) => h.status === 'new' && h.id !== a.id && h.id !== b.id && h.category === 'behaviour');
    await row(page, c!.id).getByTestId('hit-check').check();
    await row(page, d!.id).getByTestId('hit-check').check();
    await page.getByTestId('triage-escalate').click();
    await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`[data-testid="hit-row"][data-hit="${id}"]`)?.getAttribute('data-status') === 'escalated'), [c!.id, d!.id]);
  });

  test('a case from hits: close with a conclusion, evidence pack, verify it', async () => {
    const all = await api<{ total: number; hits: HitRow[] }>(harness.srv, 'hits.list', { category: 'guarantee', status: 'new', limit: 50 });
    const picks = all.hits.slice(0, 2);
    assert.ok(all.hits.length >= 3);
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('hits-category').selectOption('guarantee');
    await page.getByTestId('hits-status-filter').selectOption('new');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="hits-total"]')?.getAttribute('data-value')) === n, all.total);
    for (const h of picks) await row(page, h.id).getByTestId('hit-check').check();
    await page.getByTestId('case-from-hits').click();
    assert.match(await page.getByTestId('case-title').inputValue(), /承诺保本保收益（2 条命中）/, 'a title is suggested');
    await page.getByTestId('case-title').fill('河西支行 承诺保本 线索');
    await page.getByTestId('case-create-submit').click();
    await page.getByTestId('cases-screen').waitFor();
    await page.getByTestId('case-view').waitFor();
    caseId = Number(await page.getByTestId('case-view').getAttribute('data-case'));
    assert.ok(caseId > 0);
    assert.equal(await page.getByTestId('case-hit').count(), 2);
    assert.equal(await page.locator('[data-testid="case-hits"] [data-testid="hit-mark"]').count(), 2);
    // one more hit into the same (open) case from the hits page
    const third = all.hits[2]!;
    await page.getByTestId('nav-hits').click();
    await row(page, third.id).getByTestId('hit-check').check();
    await page.getByTestId('case-from-hits').click();
    await page.getByTestId('case-existing').selectOption(String(caseId));
    await page.getByTestId('case-add-submit').click();
    await page.getByTestId('cases-screen').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="case-hit"]').length === 3);
    // open → investigating → closed (a conclusion is required)
    await page.getByTestId('case-investigate').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="case-view"]')?.getAttribute('data-status') === 'investigating');
    await page.getByTestId('case-assignee').fill('risk01');
    await page.getByTestId('case-due').fill('2026-03-31');
    await page.getByTestId('case-note').fill('已约谈客户经理');
    await page.getByTestId('case-save').click();
    await page.waitForFunction(() => /已约谈客户经理/.test(document.querySelector('[data-testid="case-timeline"]')?.textContent ?? ''));
    await page.getByTestId('case-close').click();
    assert.match(await page.getByTestId('error-alert').innerText(), /结案需要/);
    await page.locator('[data-testid="error-alert"] .alert-close').click();
    await page.getByTestId('case-conclusion-select').selectOption('violation_confirmed');
    await page.getByTestId('case-close').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="case-view"]')?.getAttribute('data-status') === 'closed');
    assert.match(await page.getByTestId('case-conclusion').innerText(), /违规属实/);
    const detail = await api<CaseDetail>(harness.srv, 'cases.get', { id: caseId });
    assert.equal(detail.status, 'closed');
    assert.equal(detail.conclusion, 'violation_confirmed');
    assert.equal(detail.assignee, 'risk01');
    assert.equal(detail.dueAt, Date.UTC(2026, 2, 31) - 8 * 3600_000, 'the due day is midnight in Beijing');
    // the evidence pack
    assert.match(await page.getByTestId('evidence-out').inputValue(), new RegExp(`案件${caseId}-证据包-\\d{4}-\\d{2}-\\d{2}\\.zip$`), 'a pack path is suggested');
    await page.getByTestId('evidence-out').fill(packPath);
    await page.getByTestId('evidence-create').click();
    await page.getByTestId('evidence-result').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('evidence-path').innerText(), packPath);
    assert.match(await page.getByTestId('evidence-sha').innerText(), /^[0-9a-f]{64}$/);
    assert.ok(Number((await page.getByTestId('evidence-files').innerText()).replace(/,/g, '')) > 1);
    assert.ok(fs.existsSync(packPath));
    const fingerprint = await page.getByTestId('evidence-fingerprint').innerText();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'cases.png'), fullPage: true });
    // verify it on the verify screen
    await page.getByTestId('nav-verify').click();
    await page.getByTestId('verify-file').fill(packPath);
    await page.getByTestId('verify-run').click();
    await page.getByTestId('verify-result').waitFor();
    assert.equal(await page.getByTestId('verify-result').getAttribute('data-valid'), 'true');
    assert.equal(await page.getByTestId('verify-fingerprint').innerText(), fingerprint);
    // a copy with one file changed and one added: each named, in red
    const bad = path.join(dataDir, 'tampered.zip');
    const files = unzipSync(new Uint8Array(fs.readFileSync(packPath)));
    const victim = Object.keys(files).find((n) => n !== 'manifest.json' && n !== 'manifest.sig' && !n.endsWith('/') && !n.endsWith('.pem'))!;
    files[victim] = new TextEncoder().encode('edited');
    files['extra.txt'] = new TextEncoder().encode('added later');
    fs.writeFileSync(bad, zipSync(files));
    await page.getByTestId('verify-file').fill(bad);
    await page.getByTestId('verify-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="verify-result"]')?.getAttribute('data-valid') === 'false');
    const listed = await page.getByTestId('verify-problems').innerText();
    assert.ok(listed.includes(victim), `the changed file is named: ${listed}`);
    assert.ok(listed.includes('extra.txt'), 'the added file is named');
    assert.equal(await page.locator('[data-testid="verify-problems"]').evaluate((e) => getComputedStyle(e).color), 'rgb(179, 38, 30)');
  });

  test('dictionary: the test box highlights as you type', async () => {
    await page.getByTestId('nav-dictionary').click();
    await page.getByTestId('dictionary-screen').waitFor();
    await page.getByTestId('detect-input').fill('这款产品保本保收益');
    await page.waitForFunction(() => document.querySelector('[data-testid="detect-output"]')?.getAttribute('data-text') === '这款产品保本保收益');
    const marks = await page.getByTestId('detect-mark').allInnerTexts();
    assert.deepEqual(marks, ['保本保收益']);
    const rules = await page.locator('[data-testid="detect-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));
    assert.ok(rules.includes('G001'), `rules ${rules.join(',')}`);
    assert.match(await page.getByTestId('detect-table').innerText(), /承诺保本保收益/);
    await page.screenshot({ path: path.join(SHOTS, 'dictionary.png') });
    await page.getByTestId('detect-input').fill('本产品不保本');
    await page.waitForFunction(() => document.querySelector('[data-testid="detect-output"]')?.getAttribute('data-text') === '本产品不保本');
    assert.equal(await page.getByTestId('detect-mark').count(), 0, 'a negated disclosure is not a hit');
    // the dictionary list and entries
    await page.getByTestId('dict-tab-dicts').click();
    await page.getByTestId('dict-row').first().waitFor();
    await page.getByTestId('dict-entry-search').fill('保本');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="dict-entry-count"]')?.getAttribute('data-value')) > 0);
    // rules
    await page.getByTestId('dict-tab-rules').click();
    await page.getByTestId('rule-row').first().waitFor();
  });

  test('dictionary import: row errors and the diff before applying; a rescan shows what appeared and disappeared', async () => {
    const file = path.join(dataDir, '分行补充词库.csv');
    fs.writeFileSync(file, '\uFEFF编号,词条,类别,级别,依据\nB001,大额存单,飞单私售,低,测试词条\nB002,,承诺保本保收益,高,\nB003,测试,承诺保本保收益,极高,\nB005,王总,投诉与监管,低,过宽的词条\n');
    await page.getByTestId('nav-dictionary').click();
    await page.getByTestId('dict-tab-import').click();
    await page.getByTestId('dict-file').fill(file);
    await page.getByTestId('dict-name').fill('分行补充词库');
    await page.getByTestId('dict-preview').click();
    await page.getByTestId('dict-preview-result').waitFor();
    assert.equal(await page.getByTestId('dict-preview-errors').getAttribute('data-value'), '2');
    assert.equal(await page.locator('[data-testid="dict-preview-result"] [data-testid="diff-added"]').getAttribute('data-value'), '2');
    assert.equal(await page.getByTestId('dict-apply').isDisabled(), true, 'nothing applied while rows have errors');
    assert.equal((await api<{ name: string }[]>(harness.srv, 'dict.list')).some((d) => d.name === '分行补充词库'), false);
    await page.getByTestId('dict-skip-invalid').check();
    await page.screenshot({ path: path.join(os.tmpdir(), 'review-dict-preview.png'), fullPage: true });
    await page.getByTestId('dict-apply').click();
    await page.getByTestId('dict-applied').waitFor();
    assert.ok((await api<{ name: string }[]>(harness.srv, 'dict.list')).some((d) => d.name === '分行补充词库'));
    // the hits on screen predate the new dictionary: the screen says so, until a full rescan
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('scan-rules-changed').waitFor();
    // rescan: the new entry's hits appear
    await page.getByTestId('scan-full').click();
    await page.getByTestId('scan-appeared').waitFor({ timeout: 60_000 });
    await page.getByTestId('scan-stale').waitFor({ state: 'detached' });
    assert.match(await page.getByTestId('scan-appeared').innerText(), /B001[\s\S]*大额存单/);
    // the too-broad entry: three false alarms dismissed make exclusion proposals
    await page.getByTestId('hits-category').selectOption('complaint');
    await page.getByTestId('hits-status-filter').selectOption('new');
    await page.locator('[data-testid="hit-row"][data-rule="B005"]').nth(2).waitFor();
    for (let i = 0; i < 3; i++) await page.locator('[data-testid="hit-row"][data-rule="B005"]').nth(i).getByTestId('hit-check').check();
    await page.getByTestId('triage-dismiss').click();
    await page.getByTestId('dismiss-reason').selectOption('误报：词条过宽');
    await page.getByTestId('dismiss-submit').click();
    await page.getByTestId('triage-proposals').waitFor();
    assert.match(await page.getByTestId('triage-proposals').innerText(), /B005[\s\S]*王总/);
    await page.getByTestId('nav-dictionary').click();
    await page.getByTestId('dict-tab-proposals').click();
    await page.getByTestId('proposal-row').first().waitFor();
    const proposal = page.locator('[data-testid="proposal-row"]').first();
    await proposal.getByTestId('proposal-accept').click();
    await page.waitForFunction(() => /已采纳/.test(document.querySelector('[data-testid="proposal-row"]')?.textContent ?? ''));
    // accepting added the phrase to B005's exclusions: version 2 of the dictionary holding it
    assert.match(await proposal.getByTestId('proposal-version').innerText(), /分行补充词库 v2/);
    await page.screenshot({ path: path.join(os.tmpdir(), 'review-dict-proposals.png'), fullPage: true });
    await page.getByTestId('dict-tab-import').click();
    // a third version (the second came from the accepted proposal): the preview and the versions tab show what changed
    const file2 = path.join(dataDir, '分行补充词库-v2.csv');
    fs.writeFileSync(file2, '\uFEFF编号,词条,类别,级别,依据\nB001,大额存单,飞单私售,中,测试词条（调高）\nB004,私下转账,私人账户收款,高,\n');
    // export what is active now
    const exportTo = path.join(dataDir, 'active-export.xlsx');
    await page.getByTestId('dict-out').fill(exportTo);
    await page.getByTestId('dict-export-run').click();
    await page.getByTestId('dict-exported').waitFor();
    assert.ok(fs.existsSync(exportTo));
    await page.getByTestId('dict-file').fill(file2);
    await page.getByTestId('dict-preview').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="dict-preview-result"] [data-testid="diff-changed"]')?.getAttribute('data-value') === '1');
    assert.equal(await page.locator('[data-testid="dict-preview-result"] [data-testid="diff-added"]').getAttribute('data-value'), '1');
    assert.equal(await page.locator('[data-testid="dict-preview-result"] [data-testid="diff-removed"]').getAttribute('data-value'), '1');
    assert.equal(await page.getByTestId('dict-preview-errors').count(), 0);
    await page.getByTestId('dict-apply').click();
    await page.getByTestId('dict-applied').waitFor();
    await page.getByTestId('dict-tab-dicts').click();
    await page.locator('[data-testid="dict-row"][data-name="分行补充词库"] .link-button').click();
    await page.getByTestId('diff-from').selectOption('2');
    await page.getByTestId('diff-to').selectOption('3');
    await page.getByTestId('diff-show').click();
    await page.locator('[data-testid="dict-versions"] [data-testid="dict-diff"]').waitFor();
    const diffText = await page.locator('[data-testid="dict-versions"] [data-testid="dict-diff"]').innerText();
    assert.match(diffText, /B004[\s\S]*私下转账/);
    assert.match(diffText, /风险等级[\s\S]*低[\s\S]*→[\s\S]*中/);
    assert.equal(await page.locator('[data-testid="dict-versions"] [data-testid="diff-changed"]').getAttribute('data-value'), '1');
    await page.screenshot({ path: path.join(os.tmpdir(), 'review-dict-diff.png'), fullPage: true });
    // switch the dictionary off: they disappear on the next scan
    const toggle = page.locator('[data-testid="dict-row"][data-name="分行补充词库"] [data-testid="dict-active"]');
    await toggle.click();
    await page.waitForFunction(() => !(document.querySelector('[data-testid="dict-row"][data-name="分行补充词库"] [data-testid="dict-active"]') as HTMLInputElement | null)?.checked);
    await page.screenshot({ path: path.join(os.tmpdir(), 'review-dict-list.png'), fullPage: true });
    await page.getByTestId('dict-tab-rules').click();
    await page.getByTestId('rule-row').first().waitFor();
    await page.screenshot({ path: path.join(os.tmpdir(), 'review-dict-rules.png'), fullPage: true });
    // a number and a list parameter (a new line can be typed), saved through rules.set
    const recall = page.locator('[data-testid="rule-row"][data-rule="behaviour.recall_after_hit"]');
    await recall.locator('[data-param="withinMinutes"]').fill('15');
    await recall.getByTestId('rule-save').click();
    const allow = page.locator('[data-testid="rule-row"][data-rule="behaviour.link_domain"] textarea[data-param="allow"]');
    await allow.focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nexample-bank.cn');
    await page.locator('[data-testid="rule-row"][data-rule="behaviour.link_domain"]').getByTestId('rule-save').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="rule-row"] [data-testid="rule-save"]:disabled').length === document.querySelectorAll('[data-testid="rule-row"]').length);
    const rules = await api<{ rule: string; params: Record<string, unknown> }[]>(harness.srv, 'rules.list');
    assert.equal(rules.find((r) => r.rule === 'behaviour.recall_after_hit')?.params.withinMinutes, 15);
    assert.ok((rules.find((r) => r.rule === 'behaviour.link_domain')?.params.allow as string[]).includes('example-bank.cn'));
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('scan-full').click();
    await page.waitForFunction(() => /B001/.test(document.querySelector('[data-testid="scan-disappeared"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
    await page.getByTestId('hits-category').selectOption('');
    await page.getByTestId('hits-status-filter').selectOption('');
  });

  test('users: add an auditor; as the auditor triage is disabled with a reason and PII stays masked', async () => {
    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-row').first().waitFor();
    await page.getByTestId('new-user').fill('audit01');
    await page.getByTestId('new-role').selectOption('auditor');
    await page.getByTestId('new-pass').fill(AUDITOR_PASS);
    await page.getByTestId('new-pass2').fill(AUDITOR_PASS);
    await page.getByTestId('user-add').click();
    await page.locator('[data-testid="user-row"][data-user="audit01"]').waitFor();
    assert.equal(await page.locator('[data-testid="user-row"][data-user="audit01"]').getAttribute('data-role'), 'auditor');
    // a second user, disabled again: two clicks, the state shows
    await page.getByTestId('new-user').fill('temp01');
    await page.getByTestId('new-role').selectOption('risk_officer');
    await page.getByTestId('new-pass').fill('temp-pass-2026');
    await page.getByTestId('new-pass2').fill('temp-pass-2026x');
    await page.getByTestId('user-add').click();
    assert.match(await page.getByTestId('error-alert').innerText(), /两次输入的密码不一致/);
    await page.getByTestId('new-pass2').fill('temp-pass-2026');
    await page.getByTestId('user-add').click();
    const temp = page.locator('[data-testid="user-row"][data-user="temp01"]');
    await temp.waitFor();
    await temp.getByTestId('user-disable').click();
    await temp.getByTestId('user-pending-ok').click();
    await temp.getByTestId('user-enable').waitFor();
    assert.match(await temp.innerText(), /已停用/);
    assert.equal(await page.locator('[data-testid="user-row"][data-user="admin"]').getByTestId('user-disable').isDisabled(), true, 'not yourself');
    // a risk officer limited to one sub-branch
    await page.getByTestId('new-user').fill('risk_xjk');
    await page.getByTestId('new-role').selectOption('risk_officer');
    await page.getByTestId('new-branch').selectOption('新街口支行');
    await page.getByTestId('new-pass').fill('risk-xjk-2026');
    await page.getByTestId('new-pass2').fill('risk-xjk-2026');
    await page.getByTestId('user-add').click();
    await page.locator('[data-testid="user-row"][data-user="risk_xjk"]').waitFor();
    assert.match(await page.locator('[data-testid="user-row"][data-user="risk_xjk"]').innerText(), /风险经理\s+新街口支行/);
    await page.screenshot({ path: path.join(SHOTS, 'users.png'), fullPage: true });

    await signInAs(page, 'audit01', AUDITOR_PASS);
    assert.equal(await page.getByTestId('store-user').innerText(), 'audit01');
    assert.equal(await page.getByTestId('nav-role').innerText(), '审计');
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('hit-row').first().waitFor();
    await page.locator('[data-testid="hit-row"]').first().getByTestId('hit-check').check();
    for (const id of ['triage-confirm', 'triage-dismiss', 'triage-escalate', 'case-from-hits', 'scan-run', 'scan-full']) {
      const b = page.getByTestId(id);
      assert.equal(await b.isDisabled(), true, `${id} disabled for the auditor`);
      assert.match((await b.getAttribute('title')) ?? '', /审计角色只读/, `${id} says why`);
    }
    const all = await api<{ hits: HitRow[] }>(harness.srv, 'hits.list', { category: 'pii', limit: 50 });
    for (const h of all.hits.filter((x) => x.start !== x.end && x.rule.startsWith('pii.'))) {
      await page.getByTestId('hits-category').selectOption('pii');
      const r = row(page, h.id);
      await r.waitFor();
      const mark = await r.getByTestId('hit-mark').innerText();
      assert.ok(mark.includes('*'), `masked for the auditor: ${mark}`);
      if (await r.getByTestId('hit-unmask').count()) assert.equal(await r.getByTestId('hit-unmask').isDisabled(), true);
    }
    // a forbidden call from the API is shown in both languages (users.list is admin-only)
    await page.getByTestId('nav-users').click();
    assert.match(await page.getByTestId('users-list').innerText(), /需要 管理员 角色/);
  });

  test('audit log: newest first, verify (valid), export CSV', async () => {
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('log-row').first().waitFor();
    const seqs = await page.locator('[data-testid="log-row"] td:first-child').allInnerTexts();
    const nums = seqs.map(Number);
    assert.deepEqual(nums, [...nums].sort((x, y) => y - x), 'newest first');
    const actions = await page.locator('[data-testid="log-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    for (const a of ['review.triage', 'cases.create', 'users.add', 'login', 'pii.unmask', 'evidence.create']) assert.ok(actions.includes(a), `audit has ${a}`);
    await page.getByTestId('log-action').fill('review.');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="log-row"]')].every((e) => e.getAttribute('data-action')?.startsWith('review.')));
    await page.getByTestId('log-action').fill('');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="log-row"]')].some((e) => e.getAttribute('data-action') === 'login'));
    await page.getByTestId('log-verify').click();
    await page.getByTestId('log-verify-result').waitFor();
    assert.equal(await page.getByTestId('log-verify-result').getAttribute('data-valid'), 'true');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-export').click()]);
    const file = path.join(dataDir, 'audit.csv');
    await download.saveAs(file);
    const csv = fs.readFileSync(file, 'utf8');
    assert.match(csv, /^\uFEFFseq,time_beijing,user,action,target,details/);
    assert.ok(csv.includes('review.triage'));
    // cells a spreadsheet would run as formulas come out inert: the server's real answer, plus one row
    // whose text starts with each dangerous character (such text can reach the log: a user named -1-1)
    await page.route('**/api/log.list', async (route) => {
      const real = (await (await route.fetch()).json()) as Result<AuditRow[]>;
      const crafted: AuditRow = { seq: 999_999, at: Date.now(), user: '-1-1', action: '=1+1', target: '+SUM(1,2)', details: '@cmd' };
      await route.fulfill({ json: real.ok ? { ok: true, value: [crafted, ...real.value] } : real });
    });
    await page.getByTestId('log-user').fill(' ');
    await page.locator('[data-testid="log-row"][data-action="=1+1"]').waitFor();
    const [download2] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-export').click()]);
    const file2 = path.join(dataDir, 'audit-crafted.csv');
    await download2.saveAs(file2);
    const crafted = fs.readFileSync(file2, 'utf8').split('\r\n').find((l) => l.startsWith('999999,'));
    assert.match(crafted ?? '', /^999999,[^,]+,'-1-1,'=1\+1,"'\+SUM\(1,2\)",'@cmd$/);
    await page.unroute('**/api/log.list');
    await page.getByTestId('log-user').fill('');
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="log-row"]')].some((e) => e.getAttribute('data-action') === '=1+1'));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'audit.png') });
    // English second: the same screens with English labels
    await page.getByTestId('lang-en').click();
    assert.equal(await page.getByTestId('nav-hits').innerText(), 'Hits');
    await page.getByTestId('nav-hits').click();
    assert.match((await page.getByTestId('triage-confirm').getAttribute('title')) ?? '', /auditor role is read-only/);
    await page.screenshot({ path: path.join(os.tmpdir(), 'review-hits-en.png') });
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('case-view').waitFor();
    await page.screenshot({ path: path.join(os.tmpdir(), 'review-cases-en.png'), fullPage: true });
    await page.getByTestId('lang-zh').click();
    assert.deepEqual(problems, []);
  });

  test('my password: the auditor changes it and unlocks with the new one', async () => {
    await page.getByTestId('nav-users').click();
    await page.locator('#mine-pass').fill('auditor-new-2026');
    await page.locator('#mine-pass2').fill('auditor-new-2026');
    await page.locator('[data-testid="users-mine"] button[type="submit"]').click();
    await page.getByTestId('password-changed').waitFor();
    await page.getByTestId('lock').click();
    await page.locator('#unlock-user').fill('audit01');
    await page.locator('#unlock-pass').fill(AUDITOR_PASS);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('error-alert').waitFor();
    await page.locator('#unlock-pass').fill('auditor-new-2026');
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('store-user').waitFor();
    assert.equal(await page.getByTestId('store-user').innerText(), 'audit01');
  });

  test('a branch-scoped risk officer: triage allowed, hits and filters within the scope', async () => {
    await signInAs(page, 'risk_xjk', 'risk-xjk-2026');
    assert.match(await page.getByTestId('nav-role').innerText(), /风险经理 · 新街口支行/);
    await page.getByTestId('nav-hits').click();
    await page.getByTestId('hit-row').first().waitFor();
    await page.locator('[data-testid="hit-row"]').first().getByTestId('hit-check').check();
    assert.equal(await page.getByTestId('triage-confirm').isDisabled(), false, 'a risk officer may triage');
    await page.locator('[data-testid="hit-row"]').first().getByTestId('hit-check').uncheck();
    // every hit shown is inside the scope; asking for another sub-branch is refused, in both languages
    const senders = await page.locator('[data-testid="hit-row"] .hit-sender').allInnerTexts();
    assert.ok(senders.length > 0);
    for (const x of senders) assert.doesNotMatch(x, /河西支行/, `outside the scope: ${x}`);
    // the branch filter shows the scope only, and the staff list only the scope's staff
    assert.equal(await page.getByTestId('hits-branch').isDisabled(), true);
    assert.equal(await page.getByTestId('hits-branch').innerText(), '新街口支行');
    const staffNames = await page.locator('[data-testid="hits-staff"] option').allInnerTexts();
    for (const n of staffNames.slice(1)) assert.match(n, /新街口支行/);
    // the core refuses another branch, in both languages (what the disabled filter avoids)
    const res = await fetch(`${harness.srv.url}/api/hits.list`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wecom-token': harness.srv.token }, body: JSON.stringify({ branch: '河西支行' }) });
    const r = (await res.json()) as Result<unknown>;
    assert.equal(!r.ok && r.error.code, 'forbidden');
    // …and a screen that still offers other branches (search) shows that refusal in both languages
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-q').fill('保本');
    await page.getByTestId('search-branch').selectOption('河西支行');
    await page.getByTestId('search-submit').click();
    const alert = page.locator('[data-testid="search-screen"] [data-testid="error-alert"]');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /无权查看 河西支行/);
    assert.match(text, /Not permitted to see 河西支行/);
    assert.match(text, /forbidden/);
    assert.deepEqual(problems, []);
  });
});
