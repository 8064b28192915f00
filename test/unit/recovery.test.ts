/**
 * The recovery key and the data key's export (issue 13): real stores, the real CLI, and Debian's
 * sqlcipher as the independent reader.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { keyringPath } from '../../main/core/store/index.js';
import { newRecoveryKey, parseRecoveryKey } from '../../main/core/store/keyring.js';
import { cli, PASS, ROOT, textMsg, tmpDir, writeJsonl } from '../helpers/store.js';

const SECRET = '恢复测试：保本保收益 recovery-probe';
const OFFICER = 'officer-pass-1';
const LOST = { WECOM_AUDIT_PASSPHRASE: 'nobody-remembers-this' };
const KEY_SHAPE = /^\d{6}(-\d{6}){9}$/;

/** A store with admin (PASS), an officer, and one message holding SECRET; returns its recovery key. */
function storeWithData(): { db: string; recoveryKey: string } {
  const dir = tmpDir('wecom-recovery-');
  const db = path.join(dir, 's.db');
  const init = cli(['init', '--db', db, '--json']);
  assert.equal(init.code, 0, init.stderr);
  const file = writeJsonl(path.join(dir, 'e.jsonl'), [textMsg(1, { text: { content: SECRET } })]);
  assert.equal(cli(['import', '--db', db, file, '--json']).code, 0);
  assert.equal(cli(['users', 'add', 'wang', '--role', 'risk_officer', '--db', db, '--json'], { WECOM_AUDIT_NEW_PASSWORD: OFFICER }).code, 0);
  return { db, recoveryKey: init.json.recoveryKey };
}

const keyringBytes = (db: string) => fs.readFileSync(keyringPath(db));
const storeBytes = (db: string) => fs.readFileSync(db);

/** One digit changed in the given group (1-based). */
function typo(key: string, group: number): string {
  const groups = key.split('-');
  const g = groups[group - 1]!;
  groups[group - 1] = `${g.slice(0, 2)}${(Number(g[2]) + 1) % 10}${g.slice(3)}`;
  return groups.join('-');
}

test('recovery key format: every single-digit typo and every swap of neighbours or of groups is caught by the check digits', () => {
  for (let n = 0; n < 20; n++) {
    const key = newRecoveryKey();
    assert.match(key, KEY_SHAPE);
    assert.equal(parseRecoveryKey(key), key);
    // typed without hyphens, with spaces, in full-width digits
    assert.equal(parseRecoveryKey(key.replace(/-/g, ' ')), key);
    assert.equal(parseRecoveryKey(key.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))), key);
    const digits = key.replace(/-/g, '');
    for (let i = 0; i < digits.length; i++) {
      for (let d = 1; d < 10; d++) {
        const wrong = digits.slice(0, i) + String((Number(digits[i]) + d) % 10) + digits.slice(i + 1);
        assert.throws(() => parseRecoveryKey(wrong), { code: 'passphrase' }, `typo at ${i} not caught`);
      }
      if (i + 1 < digits.length && digits[i] !== digits[i + 1] && i % 6 !== 5) {
        const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
        assert.throws(() => parseRecoveryKey(swapped), { code: 'passphrase' }, `swap at ${i} not caught`);
      }
    }
    const groups = key.split('-');
    if (groups[0] !== groups[1]) assert.throws(() => parseRecoveryKey([groups[1], groups[0], ...groups.slice(2)].join('-')), { code: 'passphrase' });
    assert.throws(() => parseRecoveryKey(key.slice(0, -1)), /60/);
  }
});

test('init shows the recovery key once: in its output, never in the keyring, the log or a later command', () => {
  const dir = tmpDir('wecom-recovery-');
  const db = path.join(dir, 's.db');
  const human = cli(['init', '--db', db]);
  assert.equal(human.code, 0, human.stderr);
  const shown = /(\d{6}(?:-\d{6}){9})/.exec(human.stdout)?.[1];
  assert.ok(shown, human.stdout);
  assert.match(human.stdout, /保险柜/);
  assert.match(human.stdout, /keep it in the safe/);
  assert.match(human.stdout, /users reset-password admin/);
  const keyring = keyringBytes(db).toString('utf8');
  assert.equal(keyring.includes(shown), false);
  assert.equal(keyring.includes(shown.replace(/-/g, '')), false);
  assert.ok(JSON.parse(keyring).recovery, 'no recovery entry in the keyring');
  const log = cli(['log', 'list', '--db', db, '--json']);
  assert.equal(log.code, 0);
  assert.equal(log.stdout.includes(shown), false);
  const stats = cli(['stats', '--db', db]);
  assert.equal(stats.stdout.includes(shown) || stats.stderr.includes(shown), false);

  const json = cli(['init', '--db', path.join(dir, 't.db'), '--json']);
  assert.equal(json.code, 0);
  assert.deepEqual(Object.keys(json.json).sort(), ['created', 'recoveryKey']);
  assert.match(json.json.recoveryKey, KEY_SHAPE);
  assert.notEqual(json.json.recoveryKey, shown);
});

test('every password lost: the recovery key resets admin (lockout lifted), the store opens with the new password, the act is audited', () => {
  const { db, recoveryKey } = storeWithData();
  // the admin locked out by five wrong passwords, the old passwords "lost" (never used again below)
  for (let n = 0; n < 5; n++) assert.equal(cli(['stats', '--db', db], LOST).code, 3);
  assert.equal(cli(['stats', '--db', db]).code, 6, 'admin should be locked out');

  const r = cli(['users', 'reset-password', 'admin', '--db', db, '--json'], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: recoveryKey, WECOM_AUDIT_NEW_PASSWORD: 'brand-new-admin-1' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json, { user: 'admin', recovered: true });

  const NEW = { WECOM_AUDIT_PASSPHRASE: 'brand-new-admin-1' };
  const msgs = cli(['messages', '--db', db, '--json'], NEW);
  assert.equal(msgs.code, 0, msgs.stderr);
  assert.equal(msgs.json[0].text, SECRET);
  // the old admin password no longer opens it; the officer's own password is untouched
  assert.equal(cli(['stats', '--db', db]).code, 3);
  assert.equal(cli(['stats', '--db', db, '--user', 'wang'], { WECOM_AUDIT_PASSPHRASE: OFFICER }).code, 0);
  const log = cli(['log', 'list', '--db', db, '--action', 'users.recover', '--json'], NEW);
  assert.equal(log.code, 0);
  assert.equal(log.json.length, 1);
  assert.equal(log.json[0].user, 'admin');
  assert.equal(log.stdout.includes(recoveryKey), false);
  assert.equal(cli(['log', 'verify', '--db', db, '--json'], NEW).json.valid, true);
  // the same key still works later (it is not used up)
  assert.equal(cli(['users', 'reset-password', 'admin', '--db', db], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: recoveryKey, WECOM_AUDIT_NEW_PASSWORD: 'second-new-admin' }).code, 0);
  assert.equal(cli(['stats', '--db', db], { WECOM_AUDIT_PASSPHRASE: 'second-new-admin' }).code, 0);
});

test('a mistyped recovery key is refused by its check digit before scrypt runs: exit 3, the group named, nothing written', () => {
  const { db, recoveryKey } = storeWithData();
  // make scrypt impossible for the recovery entry (memory limit): if it ran, this would be exit 1, not 3
  const kr = JSON.parse(keyringBytes(db).toString('utf8'));
  kr.recovery.kdf.N = 2 ** 24;
  fs.writeFileSync(keyringPath(db), JSON.stringify(kr, null, 2));
  const before = keyringBytes(db);
  const r = cli(['users', 'reset-password', 'admin', '--db', db], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: typo(recoveryKey, 4), WECOM_AUDIT_NEW_PASSWORD: 'brand-new-admin-1' });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /第 4 组/);
  assert.match(r.stderr, /group 4/);
  assert.match(r.stderr, /typo/);
  assert.ok(keyringBytes(db).equals(before), 'keyring changed');
  // and the untouched key does reach scrypt (so the check above is what stopped the typo)
  const full = cli(['users', 'reset-password', 'admin', '--db', db], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: recoveryKey, WECOM_AUDIT_NEW_PASSWORD: 'brand-new-admin-1' });
  assert.equal(full.code, 1, full.stderr);
  assert.ok(keyringBytes(db).equals(before));
});

test('a wrong recovery key (well formed, another store\'s): exit 3 in both languages, keyring and store bytes unchanged', () => {
  const { db } = storeWithData();
  const other = cli(['init', '--db', path.join(tmpDir('wecom-recovery-'), 'o.db'), '--json']).json.recoveryKey as string;
  const keyBefore = keyringBytes(db);
  const storeBefore = storeBytes(db);
  const r = cli(['users', 'reset-password', 'admin', '--db', db, '--json'], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: other, WECOM_AUDIT_NEW_PASSWORD: 'brand-new-admin-1' });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /恢复密钥不正确/);
  assert.match(r.stderr, /Wrong recovery key/);
  assert.ok(keyringBytes(db).equals(keyBefore), 'keyring changed');
  assert.ok(storeBytes(db).equals(storeBefore), 'store changed');
  // the admin's own password still works (nothing was replaced)
  assert.equal(cli(['stats', '--db', db]).code, 0);
});

test('the recovery key resets an active admin only: another user is refused (exit 6) and the keyring is put back', () => {
  const { db, recoveryKey } = storeWithData();
  const before = JSON.parse(keyringBytes(db).toString('utf8'));
  const r = cli(['users', 'reset-password', 'wang', '--db', db], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: recoveryKey, WECOM_AUDIT_NEW_PASSWORD: 'taken-over-1' });
  assert.equal(r.code, 6, r.stderr);
  assert.deepEqual(JSON.parse(keyringBytes(db).toString('utf8')).users, before.users);
  assert.equal(cli(['stats', '--db', db, '--user', 'wang'], { WECOM_AUDIT_PASSPHRASE: 'taken-over-1' }).code, 3);
  assert.equal(cli(['stats', '--db', db, '--user', 'wang'], { WECOM_AUDIT_PASSPHRASE: OFFICER }).code, 0);
});

test('an admin signed in resets another user\'s password and lifts their lockout; a non-admin cannot (exit 6)', () => {
  const { db } = storeWithData();
  const wang = { WECOM_AUDIT_PASSPHRASE: OFFICER };
  assert.equal(cli(['users', 'reset-password', 'admin', '--db', db, '--user', 'wang'], { ...wang, WECOM_AUDIT_NEW_PASSWORD: 'hijack-admin-1' }).code, 6);
  for (let n = 0; n < 5; n++) assert.equal(cli(['stats', '--db', db, '--user', 'wang'], LOST).code, 3);
  assert.equal(cli(['stats', '--db', db, '--user', 'wang'], wang).code, 6, 'wang should be locked out');
  const r = cli(['users', 'reset-password', 'wang', '--db', db, '--json'], { WECOM_AUDIT_NEW_PASSWORD: 'fresh-officer-1' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json, { user: 'wang', lockoutCleared: true });
  assert.equal(cli(['stats', '--db', db, '--user', 'wang'], { WECOM_AUDIT_PASSPHRASE: 'fresh-officer-1' }).code, 0);
  assert.equal(cli(['log', 'list', '--db', db, '--action', 'users.resetPassword', '--json']).json.length, 1);
});

test('key export: a non-admin is refused (exit 6, logged as denied); an admin gets the key, audited, and sqlcipher opens the store with it', (t) => {
  const { db } = storeWithData();
  const denied = cli(['key', 'export', '--db', db, '--user', 'wang', '--json'], { WECOM_AUDIT_PASSPHRASE: OFFICER });
  assert.equal(denied.code, 6);
  assert.equal(denied.stdout.match(/[0-9a-f]{64}/), null);
  const r = cli(['key', 'export', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.json.key, /^[0-9a-f]{64}$/);
  assert.equal(r.json.cipher.name, 'sqlcipher');
  assert.deepEqual(r.json.cipher.sqlite3mc, { cipher: 'sqlcipher', legacy: 3, legacy_page_size: 16384 });
  const log = cli(['log', 'list', '--db', db, '--json']).json as { action: string; user: string }[];
  assert.ok(log.some((e) => e.action === 'key.export' && e.user === 'admin'), 'key.export not in the log');
  assert.ok(log.some((e) => e.action === 'denied:key.export' && e.user === 'wang'), 'the refusal not in the log');
  assert.equal(JSON.stringify(log).includes(r.json.key), false);

  // the statements the README documents are the ones the export names
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const p of r.json.cipher.pragmas as string[]) assert.ok(readme.includes(p), `README does not document ${p}`);
  if (spawnSync('sh', ['-c', 'command -v sqlcipher']).status !== 0) {
    console.log('# sqlcipher CLI not installed (scripts/setup.sh installs it): the independent-reader half of this test is skipped');
    return t.skip('sqlcipher CLI not installed');
  }
  const read = (key: string) =>
    spawnSync('sqlcipher', [db], { input: `${(r.json.cipher.pragmas as string[]).map((p) => p.replace('<key>', key)).join('\n')}\nSELECT text FROM messages;\n`, encoding: 'utf8' });
  const ok = read(r.json.key);
  assert.equal(ok.stdout.trim(), SECRET, ok.stderr);
  const bad = read('11'.repeat(32));
  assert.ok(!bad.stdout.includes(SECRET));
});

test('a store made before recovery keys: users list says so, the reset says so (exit 3), key recovery-create makes one (admin only) and replaces an older one', () => {
  const { db, recoveryKey: first } = storeWithData();
  const kr = JSON.parse(keyringBytes(db).toString('utf8'));
  delete kr.recovery;
  fs.writeFileSync(keyringPath(db), JSON.stringify(kr, null, 2));
  const list = cli(['users', 'list', '--db', db, '--json']);
  assert.equal(list.code, 0);
  assert.ok(Array.isArray(list.json));
  assert.match(list.stderr, /没有恢复密钥/);
  assert.match(list.stderr, /key recovery-create/);
  const none = cli(['users', 'reset-password', 'admin', '--db', db], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: first, WECOM_AUDIT_NEW_PASSWORD: 'brand-new-admin-1' });
  assert.equal(none.code, 3);
  assert.match(none.stderr, /no recovery key/);

  assert.equal(cli(['key', 'recovery-create', '--db', db, '--user', 'wang'], { WECOM_AUDIT_PASSPHRASE: OFFICER }).code, 6);
  const made = cli(['key', 'recovery-create', '--db', db, '--json']);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.json.recoveryKey, KEY_SHAPE);
  assert.equal(made.json.replaced, false);
  assert.equal(cli(['users', 'list', '--db', db]).stderr.includes('没有恢复密钥'), false);
  const again = cli(['key', 'recovery-create', '--db', db]);
  assert.equal(again.code, 0);
  const second = /(\d{6}(?:-\d{6}){9})/.exec(again.stdout)![1]!;
  assert.match(again.stdout, /old recovery key no longer works/);
  const log = cli(['log', 'list', '--db', db, '--action', 'key.recoveryCreate', '--json']).json;
  assert.equal(log.length, 2);
  assert.equal(JSON.stringify(log).includes(second), false);
  // the replaced key is refused, the new one resets the admin
  assert.equal(cli(['users', 'reset-password', 'admin', '--db', db], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: made.json.recoveryKey, WECOM_AUDIT_NEW_PASSWORD: 'brand-new-admin-1' }).code, 3);
  assert.equal(cli(['users', 'reset-password', 'admin', '--db', db], { ...LOST, WECOM_AUDIT_RECOVERY_KEY: second, WECOM_AUDIT_NEW_PASSWORD: 'brand-new-admin-1' }).code, 0);
  assert.equal(cli(['messages', '--db', db, '--json'], { WECOM_AUDIT_PASSPHRASE: 'brand-new-admin-1' }).json[0].text, SECRET);
});
