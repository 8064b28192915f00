/**
 * Parsed batches of one export file, from either of two sources with the same shape:
 * in this thread, or in a worker thread so that reading and parsing (one core) overlap with
 * the store's writes and encryption (the other core). The worker runs at most two batches
 * ahead, so memory stays bounded however large the file.
 */
import { Worker } from 'node:worker_threads';
import { parseRecord, type ParsedMessage } from './parse.js';
import { FileProblem, readRecords, type RecordProblem } from './records.js';

export type ParsedBatch = { bytesRead: number; messages: { line: number; item: number; msg: ParsedMessage }[]; problems: RecordProblem[]; read: number };

export function parseBatch(records: { line: number; item: number; text: string }[], problems: RecordProblem[], bytesRead: number): ParsedBatch {
  const messages: ParsedBatch['messages'] = [];
  const all = [...problems];
  for (const rec of records) {
    const parsed = parseRecord(rec.text);
    if (parsed.ok) messages.push({ line: rec.line, item: rec.item, msg: parsed.message });
    else all.push({ line: rec.line, item: rec.item, reason: parsed.reason, excerpt: rec.text.slice(0, 200) });
  }
  return { bytesRead, messages, problems: all, read: records.length + problems.length };
}

export async function* parsedBatchesInline(file: string, maxRecordBytes: number): AsyncGenerator<ParsedBatch> {
  for await (const b of readRecords(file, maxRecordBytes)) yield parseBatch(b.records, b.problems, b.bytesRead);
}

type WorkerMessage =
  | { kind: 'batch'; batch: ParsedBatch }
  | { kind: 'end' }
  | { kind: 'fileProblem'; line: number; reasonZh: string; reasonEn: string }
  | { kind: 'error'; message: string };

export async function* parsedBatchesInWorker(file: string, maxRecordBytes: number, workerPath: string): AsyncGenerator<ParsedBatch> {
  const worker = new Worker(workerPath, { workerData: { file, maxRecordBytes } });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (m: WorkerMessage) => {
    queue.push(m);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (e) => push({ kind: 'error', message: e.message }));
  worker.on('exit', (code) => push(code === 0 ? { kind: 'end' } : { kind: 'error', message: `parse worker exited with code ${code}` }));
  try {
    for (;;) {
      while (!queue.length) await new Promise<void>((r) => (wake = r));
      wake = null;
      const m = queue.shift()!;
      if (m.kind === 'batch') {
        worker.postMessage('more'); // one credit back: the worker stays at most two batches ahead
        yield m.batch;
      } else if (m.kind === 'end') return;
      else if (m.kind === 'fileProblem') throw new FileProblem(m.line, m.reasonZh, m.reasonEn);
      else throw new Error(m.message);
    }
  } finally {
    await worker.terminate();
  }
}
