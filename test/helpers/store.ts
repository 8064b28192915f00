/** Test helpers: real encrypted stores in fresh temp folders, and the real CLI as a child process. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore, openStore, type Store } from '../../main/core/store/index.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SAMPLES = path.join(ROOT, 'resources', 'samples');
export const PASS = 'test-passphrase-1';
/** cheap scrypt for tests that open many stores; the CLI tests use the real default */
export const FAST_KDF = { N: 1 << 12, r: 8, p: 1 };

export function tmpDir(prefix = 'wecom-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function newStore(dir = tmpDir()): Store {
  return createStore(path.join(dir, 'store.db'), PASS, { kdf: FAST_KDF });
}

export function reopen(store: Store): Store {
  store.close();
  return openStore(store.dbPath, PASS);
}

export type CliResult = { code: number; stdout: string; stderr: string; json: any };

export function cli(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [path.join(ROOT, 'bin/wecom-audit.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, WECOM_AUDIT_PASSPHRASE: PASS, ...env },
    input: input ?? '',
    maxBuffer: 256 * 1024 * 1024,
  });
  let json: any;
  if (args.includes('--json')) {
    try {
      json = JSON.parse(r.stdout);
    } catch {
      json = undefined;
    }
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

export function writeJsonl(file: string, records: unknown[]): string {
  fs.writeFileSync(file, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  return file;
}

/** A plain text message record with sensible defaults. */
export function textMsg(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    msgid: `m${i}`,
    action: 'send',
    from: 'zhangwei',
    tolist: ['wmCustomer0001'],
    roomid: '',
    msgtime: 1700000000000 + i * 1000,
    msgtype: 'text',
    text: { content: `测试消息 ${i}` },
    ...extra,
  };
}
