import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../main/core/store/index.js';
import { cli, PASS, ROOT, textMsg, tmpDir } from '../helpers/store.js';

const TOTAL = 300_000;

function consistency(dbPath: string) {
  const s = openStore(dbPath, PASS);
  try {
    const one = (sql: string) => s.db.prepare(sql).pluck().get() as number;
    return {
      integrity: s.db.pragma('integrity_check', { simple: true }),
      messages: one('SELECT count(*) FROM messages'),
      distinct: one('SELECT count(DISTINCT msgid) FROM messages'),
      byConversation: one('SELECT coalesce(sum(message_count), 0) FROM conversations'),
      byFile: one('SELECT coalesce(sum(records), 0) FROM import_files'),
    };
  } finally {
    s.close();
  }
}

test('kill -9 midway: the store stays consistent and the same command completes without duplicates', { timeout: 240_000 }, async () => {
  const dir = tmpDir();
  const db = path.join(dir, 's.db');
  const file = path.join(dir, 'big.jsonl');
  const out = fs.createWriteStream(file);
  for (let i = 0; i < TOTAL; i++) {
    out.write(`${JSON.stringify(textMsg(i, { tolist: [`wmC${i % 500}`], text: { content: `第${i}条：您好，这款理财产品年化4.2%，${'详情'.repeat(i % 20)}` } }))}\n`);
  }
  await new Promise<void>((resolve) => out.end(resolve));
  assert.equal(cli(['init', '--db', db]).code, 0);

  const child = spawn(process.execPath, [path.join(ROOT, 'bin/wecom-audit.js'), 'import', '--db', db, file, '--batch-size', '5000'], {
    env: { ...process.env, WECOM_AUDIT_PASSPHRASE: PASS },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const killedAt = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /imported=(\d+)/g;
      let last = 0;
      for (let x = m.exec(stderr); x; x = m.exec(stderr)) last = Number(x[1]);
      if (last > 0 && child.exitCode === null) {
        child.kill('SIGKILL');
        resolve(last);
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? undefined : reject(new Error(`import ended before it was killed: ${code} ${stderr}`))));
  });
  await new Promise((r) => child.once('close', r));
  assert.equal(child.signalCode, 'SIGKILL');

  const after = consistency(db);
  assert.equal(after.integrity, 'ok');
  assert.ok(after.messages >= killedAt, `${after.messages} < ${killedAt}`);
  assert.ok(after.messages < TOTAL, 'the import finished before the kill: make the file bigger');
  assert.equal(after.distinct, after.messages);
  // derived counters were written in the same transactions as the messages
  assert.equal(after.byConversation, after.messages);
  assert.equal(after.byFile, after.messages);

  const rerun = cli(['import', '--db', db, file, '--json']);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.equal(rerun.json.read, TOTAL);
  assert.equal(rerun.json.duplicates, after.messages);
  assert.equal(rerun.json.imported, TOTAL - after.messages);
  const done = consistency(db);
  assert.deepEqual(done, { integrity: 'ok', messages: TOTAL, distinct: TOTAL, byConversation: TOTAL, byFile: TOTAL });
});
