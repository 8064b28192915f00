/**
 * `store check` and the damage it finds, on real stores through the real CLI: every page's HMAC
 * (checked in Node against SQLite3 Multiple Ciphers' own verdict), truncation, freelist pages,
 * the audit anchor, unclean shutdowns, and damage surfacing as a bilingual integrity error (exit
 * 5) instead of "Unexpected token" or 内部错误.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { keyringPath, openStore } from '../../main/core/store/index.js';
import { markerPath } from '../../main/core/store/openMarker.js';
import { cli, PASS, ROOT, textMsg, tmpDir, writeJsonl, type CliResult } from '../helpers/store.js';

const PAGE = 16384;
/** where a page's IV starts: its last 48 bytes are IV (16), HMAC-SHA1 (20) and 12 unauthenticated bytes */
const TAIL = PAGE - 48;

const T0 = Date.parse('2026-03-02T10:00:00+08:00');

/** One store made through the CLI (import, index, scan), copied for each case. */
const base = (() => {
  let made: string | null = null;
  return () => {
    if (made) return made;
    const dir = tmpDir('wecom-check-');
    const db = path.join(dir, 'base.db');
    const records = [
      ...Array.from({ length: 1500 }, (_, i) => textMsg(i, { msgtime: T0 + i * 60_000, text: { content: `第${i}条：这款理财保本保收益，加我私人微信详聊 ${'说明'.repeat(i % 30)}` } })),
      ...Array.from({ length: 10 }, (_, i) => ({ ...textMsg(5000 + i, { msgtime: T0 + i * 90_000 }), msgtype: 'redpacket', text: undefined, redpacket: { type: 1, wish: '恭喜发财', totalcnt: 1, totalamount: 88800 } })),
    ];
    const file = writeJsonl(path.join(dir, 'e.jsonl'), records);
    assert.equal(cli(['init', '--db', db]).code, 0);
    const imp = cli(['import', '--db', db, file, '--json']);
    assert.equal(imp.code, 0, imp.stderr);
    made = db;
    return db;
  };
})();

function copyOf(name: string, from = base()): string {
  const to = path.join(tmpDir('wecom-check-'), `${name}.db`);
  fs.copyFileSync(from, to);
  fs.copyFileSync(keyringPath(from), keyringPath(to));
  return to;
}

function flip(db: string, offset: number): void {
  const fd = fs.openSync(db, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, offset);
  b[0] = b[0]! ^ 0x10;
  fs.writeSync(fd, b, 0, 1, offset);
  fs.closeSync(fd);
}

function check(db: string): CliResult {
  return cli(['store', 'check', '--db', db, '--json']);
}

const failedPages = (r: CliResult) => (r.json.problems as { area: string; page?: number }[]).filter((p) => p.area === 'page').map((p) => p.page);

/** Pages SQLite uses for its b-trees (dbstat), by table or index. */
function btreePages(db: string): Map<number, string> {
  const s = openStore(db, PASS);
  try {
    return new Map((s.db.prepare('SELECT pageno, name FROM dbstat').all() as { pageno: number; name: string }[]).map((r) => [r.pageno, r.name]));
  } finally {
    s.close();
  }
}

/** SQLite3 Multiple Ciphers' own verdict: opening and integrity_check, or the error on the way. */
function sqliteVerdict(db: string): string {
  try {
    const s = openStore(db, PASS);
    try {
      return String(s.db.pragma('integrity_check', { simple: true }));
    } finally {
      s.close();
    }
  } catch (e) {
    return (e as Error).message;
  }
}

/** The damaged-store error as a person reads it: both languages, what to do, not a crash. */
function assertDamageMessage(r: CliResult, label: string): void {
  assert.equal(r.code, 5, `${label}: exit 5 (${r.stderr})`);
  assert.match(r.stderr, /存储库已损坏/, label);
  assert.match(r.stderr, /store is damaged/, label);
  assert.match(r.stderr, /store check/, label);
  assert.match(r.stderr, /备份/, label);
  assert.match(r.stderr, /backup/, label);
  assert.doesNotMatch(r.stderr, /Unexpected token|is not valid JSON|内部错误|Internal error/, label);
}

test('a clean store passes: exit 0, every page counted, nothing found', () => {
  const db = copyOf('clean');
  const r = check(db);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.ok, true);
  assert.deepEqual(r.json.problems, []);
  assert.equal(r.json.pages, fs.statSync(db).size / PAGE);
  assert.ok(r.json.pages > 20, `a store of some size (${r.json.pages} pages)`);
  assert.deepEqual(r.json.checked, ['pages', 'integrity_check', 'foreign_key_check', 'audit']);
  assert.match(cli(['store', 'check', '--db', db]).stdout, /存储库完好.*store intact/);
  // who may: those who oversee integrity; a risk officer may not (exit 6)
  assert.equal(cli(['users', 'add', 'ro', '--role', 'risk_officer', '--db', db], { WECOM_AUDIT_NEW_PASSWORD: 'officer-pass-1' }).code, 0);
  assert.equal(cli(['users', 'add', 'au', '--role', 'auditor', '--db', db], { WECOM_AUDIT_NEW_PASSWORD: 'auditor-pass-1' }).code, 0);
  assert.equal(cli(['store', 'check', '--db', db, '--user', 'ro'], { WECOM_AUDIT_PASSPHRASE: 'officer-pass-1' }).code, 6);
  assert.equal(cli(['store', 'check', '--db', db, '--user', 'au'], { WECOM_AUDIT_PASSPHRASE: 'auditor-pass-1' }).code, 0);
});

test('one byte flipped in a data page, in the last page, in the IV, in the HMAC: exactly that page, as SQLite3MC finds it', () => {
  const used = btreePages(base());
  const pages = fs.statSync(base()).size / PAGE;
  const messagesPage = [...used].find(([, name]) => name === 'messages')![0];
  const auditPage = [...used].find(([, name]) => name === 'audit_log')![0];
  const cases: [string, number, number][] = [
    ['a messages page', messagesPage, (messagesPage - 1) * PAGE + 5000],
    // store check's own unlock writes a login entry there: the damage is named all the same
    ['an audit_log page', auditPage, (auditPage - 1) * PAGE + 60],
    ['the last page', pages, (pages - 1) * PAGE + 100],
    ['the IV', messagesPage, (messagesPage - 1) * PAGE + TAIL + 3],
    ['the HMAC', messagesPage, (messagesPage - 1) * PAGE + TAIL + 16 + 7],
    ['page 1 after the salt', 1, 200],
  ];
  for (const [label, page, offset] of cases) {
    const db = copyOf('flip');
    flip(db, offset);
    const r = check(db);
    assert.equal(r.code, 5, `${label}: ${r.stdout}`);
    assert.equal(r.json.ok, false);
    assert.deepEqual(failedPages(r), [page], label);
    assert.ok(r.json.problems.some((p: { problem: string }) => p.problem.includes(`第 ${page} 页`) && p.problem.includes(`page ${page} `)), `${label}: named in both languages`);
    if (used.has(page)) assert.notEqual(sqliteVerdict(db), 'ok', `${label}: SQLite3MC rejects it too`);
  }
  // the 12 bytes after the HMAC are random padding that nothing authenticates: SQLite3MC reads the
  // page as before, and so does this check (a flip there changes no data)
  const db = copyOf('padding');
  flip(db, (messagesPage - 1) * PAGE + TAIL + 40);
  assert.equal(sqliteVerdict(db), 'ok');
  assert.equal(check(db).code, 0);
});

test('a flipped byte in the salt (page 1, bytes 0-15) is named as page 1, not as every page', () => {
  const db = copyOf('salt');
  flip(db, 5);
  assert.match(sqliteVerdict(db), /damaged|损坏/);
  const r = check(db);
  assert.equal(r.code, 5, r.stdout + r.stderr);
  assert.deepEqual(failedPages(r), [1]);
  assert.match(r.json.problems[0].problem, /salt/);
});

test('a flipped byte in a freelist page (rows deleted, secure_delete off), which SQLite never reads, is found', () => {
  const db = copyOf('freelist');
  const s = openStore(db, PASS);
  s.db.pragma('secure_delete = OFF');
  const put = s.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)');
  s.db.transaction(() => {
    for (let i = 0; i < 400; i++) put.run(`bulk${i}`, `填充内容 ${i} ${'x'.repeat(3000)}`);
  })();
  s.db.prepare(`DELETE FROM meta WHERE key LIKE 'bulk%'`).run();
  const free = s.db.pragma('freelist_count', { simple: true }) as number;
  s.close();
  assert.ok(free > 10, `pages went to the freelist (${free})`);
  const used = btreePages(db);
  const pages = fs.statSync(db).size / PAGE;
  const freePages = Array.from({ length: pages }, (_, i) => i + 1).filter((p) => !used.has(p));
  assert.equal(freePages.length, free);
  assert.equal(check(db).code, 0, 'clean before the flip');
  const target = freePages[Math.floor(freePages.length / 2)]!;
  flip(db, (target - 1) * PAGE + 777);
  assert.equal(sqliteVerdict(db), 'ok', 'SQLite itself does not notice');
  const r = check(db);
  assert.equal(r.code, 5, r.stdout);
  assert.deepEqual(failedPages(r), [target]);
});

test('a store cut short (one byte, one page) is found by store check and refused by every other command', () => {
  const oneByte = copyOf('cut1');
  fs.truncateSync(oneByte, fs.statSync(oneByte).size - 1);
  const r = check(oneByte);
  assert.equal(r.code, 5, r.stdout + r.stderr);
  const pages = Math.ceil(fs.statSync(oneByte).size / PAGE);
  assert.ok(r.json.problems.some((p: { area: string; problem: string }) => p.area === 'file' && /16 KiB/.test(p.problem) && /整页/.test(p.problem)), r.stdout);
  assert.ok(failedPages(r).includes(pages), `the incomplete page ${pages} is named`);
  for (const args of [['stats'], ['messages'], ['search', '保本'], ['log', 'verify']]) {
    const x = cli([...args, '--db', oneByte]);
    assertDamageMessage(x, `${args[0]} on a store cut by one byte`);
  }

  const onePage = copyOf('cutpage');
  fs.truncateSync(onePage, fs.statSync(onePage).size - PAGE);
  const p = check(onePage);
  assert.equal(p.code, 5, p.stdout + p.stderr);
  assert.ok(p.json.problems.some((x: { area: string; problem: string }) => x.area === 'file' && /pages were cut off the end/.test(x.problem) && /被截掉/.test(x.problem)), p.stdout);
});

test('the audit anchor removed from the keyring after the last entry was deleted: log verify and store check exit 5, for good', () => {
  const db = copyOf('anchor');
  const s = openStore(db, PASS);
  s.db.prepare('DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)').run();
  s.close();
  const keyring = JSON.parse(fs.readFileSync(keyringPath(db), 'utf8'));
  delete keyring.auditAnchor;
  fs.writeFileSync(keyringPath(db), JSON.stringify(keyring));
  const v = cli(['log', 'verify', '--db', db, '--json']);
  assert.equal(v.code, 5, v.stdout);
  assert.ok(v.json.problems.some((p: { problem: string }) => /anchor was gone/.test(p.problem) && /锚点/.test(p.problem)), v.stdout);
  const c = check(db);
  assert.equal(c.code, 5, c.stdout);
  assert.ok(c.json.problems.some((p: { area: string }) => p.area === 'audit'));
  assert.deepEqual(failedPages(c), []);
  // more entries (each writes a fresh anchor) do not paper over it
  assert.equal(cli(['stats', '--db', db]).code, 0);
  assert.equal(cli(['log', 'verify', '--db', db]).code, 5);
});

test('damage reaches scan and report as a bilingual integrity error (exit 5), never "Unexpected token" or 内部错误', () => {
  const used = btreePages(base());
  const messagesPage = [...used].filter(([, name]) => name === 'messages').map(([p]) => p)[3]!;
  const flipped = copyOf('scanflip');
  flip(flipped, (messagesPage - 1) * PAGE + 4000);
  assertDamageMessage(cli(['scan', '--db', flipped, '--full']), 'scan of a flipped page');
  assertDamageMessage(cli(['report', '--db', flipped, '--from', '2026-03-01', '--to', '2026-04-01', '--out', path.join(path.dirname(flipped), 'r.xlsx')]), 'report of a flipped page');

  // bytes that authenticate but do not parse (rewritten with the key): the same error, not a crash
  const garbled = copyOf('garbled');
  const s = openStore(garbled, PASS);
  assert.ok(s.db.prepare(`UPDATE messages SET raw = '{"msgtype":"redpacket", 9' WHERE msgtype = 'redpacket'`).run().changes > 0);
  s.close();
  assertDamageMessage(cli(['scan', '--db', garbled, '--full']), 'scan of a row that is not JSON');
  assertDamageMessage(cli(['report', '--db', garbled, '--from', '2026-03-01', '--to', '2026-04-01', '--out', path.join(path.dirname(garbled), 'r.xlsx')]), 'report of a row that is not JSON');
});

test('reports and evidence packs are refused from a store whose audit chain is broken, with what to do', () => {
  const db = copyOf('chain');
  const s = openStore(db, PASS);
  s.db.prepare(`UPDATE audit_log SET user = 'someone' WHERE seq = 2`).run();
  s.close();
  const out = path.join(path.dirname(db), 'r.xlsx');
  const r = cli(['report', '--db', db, '--from', '2026-03-01', '--to', '2026-04-01', '--out', out]);
  assertDamageMessage(r, 'report');
  assert.match(r.stderr, /不能生成报表/);
  assert.match(r.stderr, /No report can be made/);
  assert.equal(fs.existsSync(out), false);
  const hit = cli(['hits', '--db', db, '--limit', '1', '--json']).json[0].id;
  assertDamageMessage(cli(['evidence', '--db', db, '--hits', String(hit), '--no-pdf', '--out', path.join(path.dirname(db), 'e.zip')]), 'evidence');
  // the untouched store makes both
  assert.equal(cli(['report', '--db', copyOf('chainok'), '--from', '2026-03-01', '--to', '2026-04-01', '--out', out]).code, 0);
});

/** A CLI command that keeps the store open until it is killed: `search --jsonl` waiting on stdin. */
async function killedWhileOpen(db: string): Promise<number> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/wecom-audit.js'), 'search', '--db', db, '--jsonl'], { env: { ...process.env, WECOM_AUDIT_PASSPHRASE: PASS }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.write('{"q":"保本"}\n');
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`search ended on its own: ${code}`)));
  });
  assert.ok(fs.existsSync(markerPath(db, child.pid!)), 'an open store has its marker');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  return child.pid!;
}

test('after an unclean shutdown the next open checks the store first: passes and says so in the log, or refuses naming the page', async () => {
  const db = copyOf('crash');
  const pid = await killedWhileOpen(db);
  assert.ok(fs.existsSync(markerPath(db, pid)), 'the killed session left its marker');
  assert.equal(cli(['stats', '--db', db]).code, 0);
  assert.equal(fs.existsSync(markerPath(db, pid)), false, 'checked and cleared');
  const login = cli(['log', 'list', '--db', db, '--action', 'login', '--limit', '2', '--json']).json;
  assert.equal(login.length, 2);
  const s = openStore(db, PASS);
  const details = JSON.parse((s.db.prepare(`SELECT details FROM audit_log WHERE action = 'login' ORDER BY seq DESC LIMIT 1 OFFSET 1`).pluck().get() as string) ?? '{}');
  s.close();
  assert.deepEqual(details.uncleanShutdownChecked?.pids, [pid]);
  assert.deepEqual(details.uncleanShutdownChecked?.checked, ['pages', 'quick_check']);
  // a clean close leaves no marker
  assert.deepEqual(fs.readdirSync(path.dirname(db)).filter((n) => n.includes('.open-')), []);

  // a crash and a damaged page: refused until it passes, and store check names the page
  const bad = copyOf('crashbad');
  const killed = await killedWhileOpen(bad);
  const page = [...btreePages(base())].find(([, name]) => name === 'conversations')![0];
  flip(bad, (page - 1) * PAGE + 321);
  for (let round = 0; round < 2; round++) {
    const r = cli(['stats', '--db', bad]);
    assertDamageMessage(r, `stats after a crash, round ${round}`);
    assert.match(r.stderr, new RegExp(`进程 ${killed}`));
    assert.match(r.stderr, new RegExp(`page ${page} `));
    assert.ok(fs.existsSync(markerPath(bad, killed)), 'kept until the store passes');
  }
  const c = check(bad);
  assert.equal(c.code, 5);
  assert.deepEqual(failedPages(c), [page]);
});

test('a store held by another process: a clear "in use" error, not 内部错误', () => {
  const db = copyOf('busy');
  const s = openStore(db, PASS);
  s.db.exec('BEGIN EXCLUSIVE');
  try {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/wecom-audit.js'), 'stats', '--db', db], { encoding: 'utf8', env: { ...process.env, WECOM_AUDIT_PASSPHRASE: PASS } });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /另一个进程使用/);
    assert.match(r.stderr, /in use by another process/);
    assert.doesNotMatch(r.stderr, /内部错误|Internal error|不是本应用/);
  } finally {
    s.db.exec('ROLLBACK');
    s.close();
  }
});
