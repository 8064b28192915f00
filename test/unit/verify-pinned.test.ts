/**
 * Who signed an evidence pack: the forged-and-re-signed pack, pinning by fingerprint or by a
 * trusted-signers file, the OpenSSL command for the fingerprint, and zips whose entries two
 * readers would see differently (duplicate names, case twins, `..`, absolute paths).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { cli, SAMPLES, tmpDir } from '../helpers/store.js';

function packFixture() {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  assert.equal(cli(['init', '--db', db]).code, 0);
  assert.equal(cli(['import', '--db', db, path.join(SAMPLES, 'exports'), '--media', path.join(SAMPLES, 'media')]).code, 0);
  const hits = cli(['hits', '--db', db, '--json']).json.filter((h: any) => h.category !== 'behaviour');
  const out = path.join(dir, 'pack.zip');
  const r = cli(['evidence', '--db', db, '--hits', hits.slice(0, 2).map((h: any) => h.id).join(','), '--out', out, '--no-pdf', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return { dir, db, out, fingerprint: r.json.fingerprint as string };
}

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

/** What the attacker does: edit transcript.html, fix its hash, re-sign with a fresh key, swap the key in. */
function forge(src: string, dst: string): string {
  const files = unzipSync(new Uint8Array(fs.readFileSync(src)));
  files['transcript.html'] = strToU8(Buffer.from(files['transcript.html']!).toString('utf8').replace('</body>', '<p>客户同意保本</p></body>'));
  const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8'));
  for (const f of manifest.files) if (f.path === 'transcript.html') Object.assign(f, { sha256: sha256(files['transcript.html']!), size: files['transcript.html']!.length });
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const raw = (publicKey.export({ type: 'spki', format: 'der' }) as Buffer).subarray(-32);
  manifest.publicKeyFingerprint = sha256(raw).match(/.{4}/g)!.join(':');
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
  files['manifest.json'] = bytes;
  files['manifest.sig'] = strToU8(crypto.sign(null, bytes, privateKey).toString('base64') + '\n');
  files['public-key.pem'] = strToU8(pem);
  fs.writeFileSync(dst, zipSync(files));
  return manifest.publicKeyFingerprint;
}

/**
 * A stored (uncompressed) zip written byte by byte, so that it can hold what fflate's writer
 * cannot: two entries of the same name, names with `..` or a leading slash.
 */
function rawZip(entries: [string, Uint8Array][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, Buffer.from(data));
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function crc32(data: Uint8Array): number {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const noColons = (fp: string) => fp.replaceAll(':', '');

test('a forged pack (edited, re-signed with a new key, key swapped): unpinned it is intact but loudly NOT trusted; pinned to the real key it is exit 5', () => {
  const { dir, out, fingerprint } = packFixture();
  const forged = path.join(dir, 'forged.zip');
  const forgedFp = forge(out, forged);
  assert.notEqual(forgedFp, fingerprint);

  // no pin: the integrity check passes (that is all it can say), with the warning everywhere
  const open = cli(['verify', forged, '--json']);
  assert.equal(open.code, 0, open.stdout);
  assert.equal(open.json.valid, true);
  assert.equal(open.json.trusted, false);
  assert.equal(open.json.pinned, false);
  assert.equal(open.json.fingerprint, forgedFp);
  assert.match(open.stderr, /NOT pinned/);
  assert.match(open.stderr, /签名者未固定/);
  assert.ok(open.stderr.includes(forgedFp), 'the fingerprint to compare is printed');
  assert.ok(open.stderr.includes('openssl pkey -pubin -in public-key.pem'), 'and how to compute it');
  const human = cli(['verify', forged]);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /NOT pinned/);
  assert.doesNotMatch(human.stdout, /signer trusted/);

  // pinned to the real key, in any spelling: exit 5 naming both fingerprints
  for (const pin of [fingerprint, noColons(fingerprint).toUpperCase(), fingerprint.replaceAll(':', ' ')]) {
    const v = cli(['verify', forged, '--expect-fingerprint', pin, '--json']);
    assert.equal(v.code, 5, v.stdout);
    assert.equal(v.json.valid, false);
    assert.equal(v.json.trusted, false);
    assert.equal(v.json.pinned, true);
    const p = v.json.problems.find((x: string) => /signer not trusted/.test(x));
    assert.ok(p, v.json.problems.join('\n'));
    assert.match(p, /签名者不受信任/);
    assert.ok(p.includes(forgedFp) && p.includes(fingerprint), p);
  }
  const human5 = cli(['verify', forged, '--expect-fingerprint', fingerprint]);
  assert.equal(human5.code, 5);
  assert.match(human5.stdout, /FAILED/);

  // a trusted-signers file that does not list the new key
  const list = path.join(dir, 'trusted-signers.txt');
  fs.writeFileSync(list, `# 总行合规部发布 / published by head office\n${fingerprint}  总行 head office\n${'ab'.repeat(32)}  上海分行 Shanghai\n`);
  const t = cli(['verify', forged, '--trusted-signers', list, '--json']);
  assert.equal(t.code, 5, t.stdout);
  assert.equal(t.json.trusted, false);
  assert.ok(t.json.problems.some((x: string) => x.includes(forgedFp) && x.includes(fingerprint) && x.includes('总行 head office')), t.json.problems.join('\n'));
});

test('the genuine pack pinned to its key is trusted (exit 0), and the output names the matching entry', () => {
  const { dir, out, fingerprint } = packFixture();
  const v = cli(['verify', out, '--expect-fingerprint', noColons(fingerprint), '--json']);
  assert.equal(v.code, 0, v.stdout);
  assert.deepEqual([v.json.valid, v.json.trusted, v.json.pinned, v.json.problems], [true, true, true, []]);
  assert.doesNotMatch(v.stderr, /NOT pinned/);
  const human = cli(['verify', out, '--expect-fingerprint', fingerprint]);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /signer trusted/);

  const text = path.join(dir, 'signers.txt');
  fs.writeFileSync(text, `\uFEFF# head office list\n\n${'cd'.repeat(32)} 北京分行 Beijing\n${fingerprint.toUpperCase()}\t上海分行 Shanghai 2025\n`);
  const t = cli(['verify', out, '--trusted-signers', text, '--json']);
  assert.equal(t.code, 0, t.stdout);
  assert.equal(t.json.trusted, true);
  assert.deepEqual(t.json.signer, { label: '上海分行 Shanghai 2025', source: `${text}:4` });
  assert.match(cli(['verify', out, '--trusted-signers', text]).stdout, /上海分行 Shanghai 2025/);

  const json = path.join(dir, 'signers.json');
  fs.writeFileSync(json, JSON.stringify({ signers: [{ fingerprint, label: '总行 head office' }] }));
  const j = cli(['verify', out, '--trusted-signers', json, '--json']);
  assert.equal(j.code, 0, j.stdout);
  assert.deepEqual(j.json.signer, { label: '总行 head office', source: `${json}#1` });

  // a pin that is not a fingerprint is a usage error, never "no pin"; a broken list is rejected naming the line
  assert.equal(cli(['verify', out, '--expect-fingerprint', 'abcd', '--json']).code, 2);
  fs.writeFileSync(text, `${fingerprint} ok\nnot-a-fingerprint branch\n`);
  const bad = cli(['verify', out, '--trusted-signers', text]);
  assert.equal(bad.code, 4, bad.stderr);
  assert.match(bad.stderr, /第 2 行/);
  assert.match(bad.stderr, /line 2/);
});

test('the OpenSSL command in the output and the pack README computes the same fingerprint from public-key.pem', (t) => {
  const { dir, out, fingerprint } = packFixture();
  const v = cli(['verify', out, '--json']);
  const files = unzipSync(new Uint8Array(fs.readFileSync(out)));
  const readme = Buffer.from(files['README.txt']!).toString('utf8');
  assert.ok(readme.includes(v.json.fingerprintCommand), 'README.txt gives the same command');
  assert.match(readme, /--expect-fingerprint/);
  const x = path.join(dir, 'x');
  fs.mkdirSync(x);
  fs.writeFileSync(path.join(x, 'public-key.pem'), files['public-key.pem']!);
  if (spawnSync('openssl', ['version']).status !== 0) return t.skip('openssl is not installed');
  const r = spawnSync('sh', ['-c', v.json.fingerprintCommand], { cwd: x, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const hex = /([0-9a-f]{64})\s*$/.exec(r.stdout)?.[1];
  assert.equal(hex, noColons(fingerprint), r.stdout);
});

test('zips whose entries two readers could see differently are refused before any entry is trusted (exit 5)', () => {
  const { dir, out } = packFixture();
  const files = unzipSync(new Uint8Array(fs.readFileSync(out)));
  const genuine = Object.entries(files);
  const tampered = strToU8(Buffer.from(files['transcript.html']!).toString('utf8').replace('</body>', '<p>改过</p></body>'));
  // the control: the hand-written zip of the same entries verifies, so a refusal below is about the names
  const plain = path.join(dir, 'plain.zip');
  fs.writeFileSync(plain, rawZip(genuine));
  assert.equal(cli(['verify', plain, '--json']).code, 0);
  const cases: [string, [string, Uint8Array][], RegExp][] = [
    ['duplicate, tampered first', [['transcript.html', tampered], ...genuine], /duplicate entry: transcript\.html/],
    ['duplicate, tampered last', [...genuine, ['transcript.html', tampered]], /duplicate entry: transcript\.html/],
    ['case twin', [['Transcript.html', tampered], ...genuine], /differing only by case/],
    ['dot-dot', [...genuine, ['../evil.txt', strToU8('x')]], /\.\./],
    ['absolute', [...genuine, ['/etc/evil.txt', strToU8('x')]], /absolute path/],
    ['drive letter', [...genuine, ['C:/evil.txt', strToU8('x')]], /absolute path/],
    ['backslash', [...genuine, ['media\\evil.txt', strToU8('x')]], /backslash/],
    ['not in the manifest', [...genuine, ['extra.html', strToU8('x')]], /added: extra\.html/],
  ];
  for (const [what, entries, expect] of cases) {
    const f = path.join(dir, `${what.replace(/\W/g, '_')}.zip`);
    fs.writeFileSync(f, rawZip(entries));
    const v = cli(['verify', f, '--json']);
    assert.equal(v.code, 5, `${what}: ${v.stdout}`);
    assert.equal(v.json.valid, false, what);
    assert.ok(v.json.problems.some((p: string) => expect.test(p)), `${what}: ${v.json.problems}`);
    if (what !== 'not in the manifest') assert.ok(v.json.problems.every((p: string) => /zip structure refused/.test(p) && /压缩包结构不可信/.test(p)), `${what}: bilingual, and nothing read: ${v.json.problems}`);
  }
});

test('key rotate-signing: new packs get the new key, old packs keep verifying against their pinned old fingerprint; admin only, audited', () => {
  const { dir, db, out: oldPack, fingerprint: oldFp } = packFixture();
  const r = cli(['key', 'rotate-signing', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.previous, oldFp);
  assert.notEqual(r.json.fingerprint, oldFp);
  const newFp = r.json.fingerprint as string;
  const hits = cli(['hits', '--db', db, '--json']).json.filter((h: any) => h.category !== 'behaviour');
  const newPack = path.join(dir, 'new.zip');
  const e = cli(['evidence', '--db', db, '--hits', String(hits[0].id), '--out', newPack, '--no-pdf', '--json']);
  assert.equal(e.json.fingerprint, newFp);

  assert.equal(cli(['verify', oldPack, '--expect-fingerprint', oldFp]).code, 0, 'the old pack, pinned to the old key');
  assert.equal(cli(['verify', newPack, '--expect-fingerprint', oldFp]).code, 5, 'the new pack is not the old key');
  assert.equal(cli(['verify', newPack, '--expect-fingerprint', newFp]).code, 0);
  assert.equal(cli(['verify', oldPack, '--expect-fingerprint', newFp]).code, 5);
  const list = path.join(dir, 'signers.txt');
  fs.writeFileSync(list, `${oldFp} 总行 2024 (retired)\n${newFp} 总行 2025\n`);
  assert.equal(cli(['verify', oldPack, '--trusted-signers', list, '--json']).json.signer.label, '总行 2024 (retired)');
  assert.equal(cli(['verify', newPack, '--trusted-signers', list, '--json']).json.signer.label, '总行 2025');

  assert.ok(cli(['log', 'list', '--db', db, '--json']).json.some((x: any) => x.action === 'signing.rotate'), 'audited');
  const NEW_PW = 'officer-pass-1';
  assert.equal(cli(['users', 'add', 'li', '--role', 'risk_officer', '--db', db], { WECOM_AUDIT_NEW_PASSWORD: NEW_PW }).code, 0);
  assert.equal(cli(['key', 'rotate-signing', '--db', db, '--user', 'li'], { WECOM_AUDIT_PASSPHRASE: NEW_PW }).code, 6);
});
