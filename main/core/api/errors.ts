import type { ApiError, ErrorCode } from '../../../preload/api.js';

/**
 * The one error type the core throws on purpose. Every message is bilingual because the same
 * text reaches a risk officer in the window and a script's stderr.
 */
export class CoreError extends Error {
  readonly code: ErrorCode;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly details?: unknown;
  constructor(code: ErrorCode, messageZh: string, messageEn: string, details?: unknown) {
    super(`${messageZh} / ${messageEn}`);
    this.code = code;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
    this.details = details;
  }
  toApiError(): ApiError {
    return { code: this.code, message: this.message, messageZh: this.messageZh, messageEn: this.messageEn, details: this.details };
  }
}

export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/** What to do about a damaged store, said the same way wherever damage is found. */
export function damagedRemedy(dbPath?: string): { zh: string; en: string } {
  const db = dbPath ?? '存储库文件';
  const dbEn = dbPath ?? 'FILE';
  return {
    zh: `请运行 wecom-audit store check --db ${db} 查看损坏之处，并从备份恢复存储库文件及其密钥环（${dbPath ? `${dbPath}.keyring` : '同名 .keyring 文件'}），两者须来自同一次备份`,
    en: `Run wecom-audit store check --db ${dbEn} to see where, and restore the store file together with its keyring (${dbPath ? `${dbPath}.keyring` : 'the .keyring file beside it'}) from the same backup`,
  };
}

/**
 * SQLite found a page it could not authenticate or parse, or could not read the file: the
 * store is damaged (SQLite3MC reports a page whose HMAC fails as SQLITE_CORRUPT, page 1 as
 * SQLITE_NOTADB).
 */
export function isStoreDamage(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|IOERR)/.test(code)) return true;
  // a stored JSON column that no longer parses (the app writes only JSON.stringify output there;
  // files a person gives are parsed where they are read and rejected there with their name)
  return e instanceof SyntaxError && (/JSON/.test(e.message) || /\bJSON\.parse\b/.test(e.stack ?? ''));
}

export function isStoreBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

export function busyError(): CoreError {
  return new CoreError(
    'busy',
    '存储库正被另一个进程使用（桌面应用或另一条命令正在写入），等待后仍未释放：请待其完成或关闭它后重试',
    'The store is in use by another process (the desktop app or another command is writing) and was not released in time: wait for it to finish or close it, then try again',
  );
}

export function damageError(e: unknown): CoreError {
  const sqlite = `SQLite: ${(e as Error).message} (${(e as { code?: string }).code})`;
  const json = e instanceof SyntaxError;
  const { zh, en } = damagedRemedy();
  return new CoreError(
    'integrity',
    `存储库已损坏，读到了无法认证或无法解析的数据（${json ? '存储的一行数据不是有效的 JSON' : sqlite}）。${zh}。`,
    `The store is damaged: it returned data that does not authenticate or parse (${json ? 'a stored row does not parse as JSON' : sqlite}). ${en}.`,
  );
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof CoreError) return e.toApiError();
  if (isDiskFull(e)) {
    return new CoreError('disk_full', '磁盘已满，本次写入已回滚，已有数据未受影响', 'Disk is full; this write was rolled back and stored data is intact').toApiError();
  }
  if (isStoreBusy(e)) return busyError().toApiError();
  if (isStoreDamage(e)) return damageError(e).toApiError();
  const text = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `内部错误 / internal error: ${text}`, messageZh: `内部错误：${text}`, messageEn: `Internal error: ${text}` };
}

/** Exit codes of the command-line contract (shared/spec/cli.md). */
export const exitCodeFor: Record<ErrorCode, number> = {
  usage: 2,
  passphrase: 3,
  rejected: 4,
  integrity: 5,
  forbidden: 6,
  locked: 1,
  exists: 1,
  not_found: 1,
  disk_full: 1,
  cancelled: 1,
  busy: 1,
  internal: 1,
};
