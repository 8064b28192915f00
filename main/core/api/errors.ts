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

export function toApiError(e: unknown): ApiError {
  if (e instanceof CoreError) return e.toApiError();
  if (isDiskFull(e)) {
    return new CoreError('disk_full', '磁盘已满，本次写入已回滚，已有数据未受影响', 'Disk is full; this write was rolled back and stored data is intact').toApiError();
  }
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
