/**
 * Import of archive exports into the store: exactly once per msgid, in batches that each
 * commit as one transaction, so a crash or kill leaves every batch either whole or absent and
 * the same command run again completes the job (already-stored msgids count as duplicates).
 * Bad records go to quarantine with file, line and reason; the rest imports.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportFileError, ImportProgress, ImportSummary } from '../../../preload/api.js';
import { CoreError, isDiskFull } from '../api/errors.js';
import type { Store } from '../store/index.js';
import type { MediaRef } from './bodies.js';
import { DEFAULT_MAX_MEDIA_BYTES, loadMedia, MediaFolder, tooLarge } from './media.js';
import type { ParsedMessage } from './parse.js';
import { parsedBatches } from './parsedBatches.js';
import { collectGarbage } from '../memory.js';
import { DEFAULT_MAX_RECORD_BYTES, FileProblem, type RecordProblem } from './records.js';

export type ImportOptions = {
  paths: string[];
  mediaDir?: string;
  batchSize?: number;
  maxRecordBytes?: number;
  /** media files larger than this are not read; their messages record status too_large (default 512 MiB) */
  maxMediaBytes?: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** skip files already imported whole (same path and size, status done): for watched folders */
  skipDone?: boolean;
  /** test hook: runs before each file is opened */
  beforeFile?: (file: string) => void;
};

/**
 * An error one record caused, as opposed to one that ends the batch: anything thrown outside
 * SQLite (a TypeError on an odd shape) and the SQLite errors about a value (too big, a
 * constraint, a type). A full disk, I/O, a busy or corrupt store are never a record's fault.
 */
function isRecordError(e: unknown): boolean {
  if (isDiskFull(e)) return false;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH' || code === 'SQLITE_RANGE' || code.startsWith('SQLITE_CONSTRAINT');
  return !(e instanceof CoreError);
}

const EXPORT_EXTENSIONS = /\.(jsonl|ndjson|json|gz)$/i;
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
/** batches between full collections (memory.ts): the parsed records of a batch die in the old generation */
const GC_EVERY_BATCHES = 10;

/** Files and folders as given → the export files to read, sorted so runs are repeatable. */
export function listExportFiles(paths: string[], exclude?: string): string[] {
  const out: string[] = [];
  const missing: string[] = [];
  const skip = exclude ? path.resolve(exclude) : null;
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, ent.name);
      if (skip && full === skip) continue;
      if (ent.isDirectory()) walk(full);
      else if (ent.isFile() && EXPORT_EXTENSIONS.test(ent.name)) out.push(full);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(abs);
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else out.push(abs);
  }
  if (missing.length) {
    throw new CoreError('rejected', `找不到导入路径，未写入任何数据：${missing.join(', ')}`, `Import path not found, nothing was written: ${missing.join(', ')}`, { missing });
  }
  if (!out.length) {
    throw new CoreError('rejected', '所给路径中没有会话存档导出文件（.json/.jsonl/.gz），未写入任何数据', 'No archive export files (.json/.jsonl/.gz) in the given paths; nothing was written');
  }
  return out;
}

type ConvStat = { n: number; min: number | null; max: number | null };

/**
 * Two texts of one msgid are the same message when they are equal as JSON, whatever the
 * whitespace or key order, and leaving out the SDK envelope's `seq` (a page adds it to a
 * message that a JSON Lines export carried without it).
 */
export function sameMessage(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = JSON.parse(a) as Record<string, unknown>;
    const y = JSON.parse(b) as Record<string, unknown>;
    delete x.seq;
    delete y.seq;
    return canonical(x) === canonical(y);
  } catch {
    return false;
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export async function importExports(store: Store, opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const { db } = store;
  const files = listExportFiles(opts.paths, opts.mediaDir);
  let media: MediaFolder | null = null;
  if (opts.mediaDir) {
    try {
      media = new MediaFolder(path.resolve(opts.mediaDir));
    } catch {
      throw new CoreError('rejected', `媒体文件夹无法读取，未写入任何数据：${opts.mediaDir}`, `The media folder cannot be read, nothing was written: ${opts.mediaDir}`);
    }
  }
  const batchSize = opts.batchSize ?? 20_000;
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const maxMediaBytes = opts.maxMediaBytes ?? DEFAULT_MAX_MEDIA_BYTES;

  const summary: ImportSummary = {
    read: 0,
    imported: 0,
    duplicates: 0,
    quarantined: 0,
    mediaLinked: 0,
    mediaMissing: 0,
    mediaMismatched: 0,
    mediaNotStored: 0,
    byType: {},
    fileErrors: [],
    files: files.length,
    cancelled: false,
    tookMs: 0,
  };

  // ---- prepared statements, made once ----
  const insMessage = db.prepare(`INSERT INTO messages(msgid, seq, action, sender, tolist, roomid, msgtime, msgtype, conversation_id, text, raw, file_id, line)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(msgid) DO NOTHING`);
  const rawOf = db.prepare('SELECT id, raw, seq FROM messages WHERE msgid = ?');
  const convByKey = db.prepare('SELECT id FROM conversations WHERE key = ?');
  const insConv = db.prepare('INSERT INTO conversations(kind, key, roomid, party_a, party_b) VALUES (?, ?, ?, ?, ?)');
  const updConv = db.prepare(`UPDATE conversations SET message_count = message_count + ?,
      first_time = CASE WHEN ? IS NULL THEN first_time WHEN first_time IS NULL OR ? < first_time THEN ? ELSE first_time END,
      last_time = CASE WHEN ? IS NULL THEN last_time WHEN last_time IS NULL OR ? > last_time THEN ? ELSE last_time END
    WHERE id = ?`);
  const insQuarantine = db.prepare(`INSERT INTO quarantine(file, line, item, reason, excerpt, at, kind) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(file, line, item) DO UPDATE SET reason = excluded.reason, excerpt = excluded.excerpt, at = excluded.at, kind = excluded.kind`);
  const delQuarantine = db.prepare('DELETE FROM quarantine WHERE file = ? AND line = ? AND item = ?');
  const delFileQuarantine = db.prepare(`DELETE FROM quarantine WHERE file = ? AND kind = 'file'`);
  const quarantinedLines = db.prepare(`SELECT line, item FROM quarantine WHERE file = ? AND kind = 'record'`);
  const setSeq = db.prepare('UPDATE messages SET seq = ? WHERE id = ? AND seq IS NULL');
  const upsertFile = db.prepare(`INSERT INTO import_files(path, size, first_at, last_at, status) VALUES (?, ?, ?, ?, 'running')
    ON CONFLICT(path) DO UPDATE SET size = excluded.size, last_at = excluded.last_at, status = 'running', error = NULL RETURNING id`);
  const updFile = db.prepare('UPDATE import_files SET records = records + ?, last_at = ?, status = ?, error = ? WHERE id = ?');
  const insRecall = db.prepare('INSERT OR IGNORE INTO recalls(message_id, pre_msgid) VALUES (?, ?)');
  const insConsent = db.prepare('INSERT OR IGNORE INTO consents(message_id, contact, status, at) VALUES (?, ?, ?, ?)');
  const insMedia = db.prepare('INSERT OR IGNORE INTO media(sha256, md5, size, name, bytes) VALUES (?, ?, ?, ?, ?)');
  const insMessageMedia = db.prepare(`INSERT OR REPLACE INTO message_media(message_id, part, kind, md5sum, sdkfileid, name_hint, declared_size, status, sha256, reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const unlinkedParts = db.prepare(`SELECT part FROM message_media WHERE message_id = ? AND status != 'linked'`);

  const convCache = new Map<string, number>();
  const conversationFor = (m: ParsedMessage): number | null => {
    if (m.action === 'switch') return null;
    let key: string, kind: string, a: string | null, b: string | null;
    if (m.roomid) {
      key = `room:${m.roomid}`;
      kind = 'group';
      a = null;
      b = null;
    } else {
      const other = m.tolist[0] ?? '';
      [a, b] = m.sender < other ? [m.sender, other] : [other, m.sender];
      key = `single:${a}|${b}`;
      kind = 'single';
    }
    let id = convCache.get(key);
    if (id === undefined) {
      const row = convByKey.get(key) as { id: number } | undefined;
      id = row ? row.id : Number(insConv.run(kind, key, m.roomid, a, b).lastInsertRowid);
      convCache.set(key, id);
    }
    return id;
  };

  const linkMedia = (messageId: number, refs: MediaRef[], onlyParts?: Set<number>) => {
    for (const ref of refs) {
      if (onlyParts && !onlyParts.has(ref.part)) continue;
      const file = media?.find(ref) ?? null;
      let status = 'missing';
      let sha: string | null = null;
      let reason: string | null = null;
      if (file) {
        let m = loadMedia(file, maxMediaBytes);
        if (m.ok) {
          try {
            insMedia.run(m.sha256, m.md5, m.bytes.length, m.name, m.bytes);
          } catch (e) {
            // more than SQLite holds in one value, whatever the option said
            if ((e as { code?: string }).code !== 'SQLITE_TOOBIG') throw e;
            m = tooLarge(m.bytes.length, maxMediaBytes);
          }
        }
        if (m.ok) {
          sha = m.sha256;
          status = ref.md5sum && ref.md5sum !== m.md5 ? 'md5_mismatch' : 'linked';
        } else {
          status = m.status;
          reason = m.reason;
        }
      }
      insMessageMedia.run(messageId, ref.part, ref.kind, ref.md5sum, ref.sdkfileid, ref.filename ?? ref.names[1] ?? null, ref.declaredSize, status, sha, reason);
      if (status === 'linked') summary.mediaLinked++;
      else if (status === 'missing') summary.mediaMissing++;
      else if (status === 'md5_mismatch') summary.mediaMismatched++;
      else summary.mediaNotStored++;
    }
  };

  // ---- per-file state ----
  let flushes = 0;
  let fileId: number | null = null;
  let filePath = '';
  let fileSize = 0;
  let staleLines = new Set<string>();
  let pending: { line: number; item: number; msg: ParsedMessage }[] = [];
  let pendingProblems: RecordProblem[] = [];
  let pendingBytes = 0;

  /** One parsed record into the store; what it adds to its conversation goes into `stats` last, once nothing more can fail. */
  const importOne = (line: number, item: number, msg: ParsedMessage, now: number, stats: Map<number, ConvStat>): void => {
    const conv = conversationFor(msg);
    const res = insMessage.run(msg.msgid, msg.seq, msg.action, msg.sender, JSON.stringify(msg.tolist), msg.roomid, msg.msgtime, msg.msgtype, conv, msg.text, msg.raw, fileId, line);
    if (staleLines.size && staleLines.has(`${line}:${item}`)) delQuarantine.run(filePath, line, item);
    if (res.changes === 0) {
      const existing = rawOf.get(msg.msgid) as { id: number; raw: string; seq: string | null };
      if (!sameMessage(existing.raw, msg.raw)) {
        // Never overwrite a stored message and never drop the new one silently.
        insQuarantine.run(filePath, line, item, 'msgid 已存在但内容不同，未覆盖已存储的消息 / msgid already stored with different content; the stored message was kept', msg.raw.slice(0, 200), now, 'record');
        summary.quarantined++;
      } else {
        // the same message from an SDK page carries its archive seq: record it, the raw stays as first stored
        if (existing.seq === null && msg.seq !== null) setSeq.run(msg.seq, existing.id);
        if (media && msg.media.length) {
          const parts = new Set((unlinkedParts.all(existing.id) as { part: number }[]).map((r) => r.part));
          if (parts.size) linkMedia(existing.id, msg.media, parts);
        }
        summary.duplicates++;
      }
      return;
    }
    const messageId = Number(res.lastInsertRowid);
    if (msg.recallOf) insRecall.run(messageId, msg.recallOf);
    if (msg.consent) insConsent.run(messageId, msg.consent.contact, msg.consent.status, msg.consent.at);
    if (msg.media.length) linkMedia(messageId, msg.media);
    summary.imported++;
    summary.byType[msg.msgtype] = (summary.byType[msg.msgtype] ?? 0) + 1;
    if (conv !== null) {
      let s = stats.get(conv);
      if (!s) stats.set(conv, (s = { n: 0, min: null, max: null }));
      s.n++;
      if (msg.msgtime !== null) {
        if (s.min === null || msg.msgtime < s.min) s.min = msg.msgtime;
        if (s.max === null || msg.msgtime > s.max) s.max = msg.msgtime;
      }
    }
  };

  /** One record alone, in a savepoint: a failure undoes its rows and quarantines it (a full disk or a broken store still ends the batch). */
  const importOneCarefully = (line: number, item: number, msg: ParsedMessage, now: number, stats: Map<number, ConvStat>): void => {
    const before = { ...summary, byType: { ...summary.byType } };
    try {
      db.transaction(() => importOne(line, item, msg, now, stats))();
    } catch (e) {
      if (!isRecordError(e)) throw e;
      Object.assign(summary, before);
      convCache.clear(); // it may name a conversation the savepoint just undid
      const why = String((e as Error)?.message ?? e).slice(0, 200);
      insQuarantine.run(filePath, line, item, `导入此记录时出错（${why}），已隔离 / importing this record failed (${why}); quarantined`, msg.raw.slice(0, 200), now, 'record');
      summary.quarantined++;
    }
  };

  const flushTx = db.transaction((final: { status: string; error: string | null } | null, careful: boolean) => {
    const now = Date.now();
    if (fileId === null) {
      fileId = (upsertFile.get(filePath, fileSize, now, now) as { id: number }).id;
    }
    const stats = new Map<number, ConvStat>();
    const importedBefore = summary.imported;
    for (const { line, item, msg } of pending) (careful ? importOneCarefully : importOne)(line, item, msg, now, stats);
    for (const p of pendingProblems) {
      insQuarantine.run(filePath, p.line, p.item, p.reason, p.excerpt, now, 'record');
      summary.quarantined++;
    }
    for (const [id, s] of stats) updConv.run(s.n, s.min, s.min, s.min, s.max, s.max, s.max, id);
    if (final?.status === 'done') delFileQuarantine.run(filePath);
    updFile.run(summary.imported - importedBefore, now, final?.status ?? 'running', final?.error ?? null, fileId);
    pending = [];
    pendingProblems = [];
    pendingBytes = 0;
  });

  /**
   * A batch as one transaction, with no per-record cost. Should a record throw (a value SQLite
   * refuses, a bug on a shape nobody foresaw), the batch is rolled back and written again one
   * savepoint a record, so that record alone is quarantined and the rest of the file imports.
   */
  const flush = (final: { status: string; error: string | null } | null) => {
    const before = { ...summary, byType: { ...summary.byType } };
    const fileBefore = fileId;
    try {
      flushTx(final, false);
    } catch (e) {
      if (!isRecordError(e)) throw e;
      Object.assign(summary, before);
      fileId = fileBefore;
      convCache.clear();
      flushTx(final, true);
    }
  };

  const fileProblems: (ImportFileError & { fileId: number | null })[] = [];
  const recordFileProblems = db.transaction(() => {
    const now = Date.now();
    for (const p of fileProblems) {
      insQuarantine.run(p.file, p.line, -1, p.reason, '', now, 'file');
      if (p.fileId !== null) updFile.run(0, now, 'failed', p.reason, p.fileId);
    }
  });

  const doneBefore = new Map((db.prepare(`SELECT path, size FROM import_files WHERE status = 'done'`).all() as { path: string; size: number }[]).map((r) => [r.path, r.size]));
  let lastProgress = 0;
  const progress = (fileIndex: number, bytesRead: number, force = false) => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    opts.onProgress({ file: filePath, fileIndex, fileCount: files.length, bytesRead, bytesTotal: fileSize, read: summary.read, imported: summary.imported, duplicates: summary.duplicates, quarantined: summary.quarantined });
  };

  try {
    for (let fi = 0; fi < files.length && !summary.cancelled; fi++) {
      filePath = files[fi]!;
      fileId = null;
      opts.beforeFile?.(filePath);
      try {
        fileSize = fs.statSync(filePath).size;
      } catch {
        fileSize = 0;
      }
      if (opts.skipDone && doneBefore.get(filePath) === fileSize) {
        summary.skippedFiles = (summary.skippedFiles ?? 0) + 1;
        continue;
      }
      staleLines = new Set((quarantinedLines.all(filePath) as { line: number; item: number }[]).map((r) => `${r.line}:${r.item}`));
      let bytesRead = 0;
      try {
        for await (const batch of parsedBatches(filePath, maxRecordBytes)) {
          bytesRead = batch.bytesRead;
          summary.read += batch.read;
          for (const p of batch.problems) pendingProblems.push(p);
          for (const m of batch.messages) {
            pending.push(m);
            pendingBytes += m.msg.raw.length;
          }
          if (pending.length + pendingProblems.length >= batchSize || pendingBytes > MAX_PENDING_BYTES) {
            flush(null);
            if (++flushes % GC_EVERY_BATCHES === 0) collectGarbage();
          }
          progress(fi, bytesRead);
          if (opts.signal?.aborted) {
            summary.cancelled = true;
            break;
          }
        }
        flush(summary.cancelled ? null : { status: 'done', error: null });
      } catch (e) {
        if (!(e instanceof FileProblem)) throw e;
        // keep what was read before the problem; the problem itself is recorded at the end
        if (pending.length || pendingProblems.length || fileId !== null) flush({ status: 'failed', error: e.message });
        const err: ImportFileError = { file: filePath, line: e.line, reason: e.message };
        summary.fileErrors.push(err);
        fileProblems.push({ ...err, fileId });
      }
      progress(fi, bytesRead, true);
    }
  } catch (e) {
    if (isDiskFull(e)) {
      throw new CoreError(
        'disk_full',
        `磁盘已满：正在写入的这一批已回滚，此前已导入的消息完好；腾出空间后重新运行同一命令即可续完（${filePath}）`,
        `Disk full: the batch being written was rolled back and messages imported before it are intact; free space and run the same command again to finish (${filePath})`,
        { summary },
      );
    }
    throw e;
  }
  summary.tookMs = Date.now() - started;
  if (summary.read === 0 && summary.fileErrors.length === files.length) {
    throw new CoreError(
      'rejected',
      `没有可导入的记录，未写入任何数据：${summary.fileErrors.map((f) => `${f.file}: ${f.reason}`).join('; ')}`,
      `Nothing importable, nothing was written: ${summary.fileErrors.map((f) => `${f.file}: ${f.reason}`).join('; ')}`,
      { fileErrors: summary.fileErrors },
    );
  }
  recordFileProblems();
  db.prepare(`INSERT INTO meta(key, value) VALUES ('last_import_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(Date.now()));
  return summary;
}
