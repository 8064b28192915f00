/** Worker thread entry: reads and parses one export file, posting batches back (see parsedBatches.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { parseBatch } from './parsedBatches.js';
import { FileProblem, readRecords } from './records.js';

const { file, maxRecordBytes } = workerData as { file: string; maxRecordBytes: number };
const port = parentPort!;
let credits = 2;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
});

try {
  for await (const b of readRecords(file, maxRecordBytes)) {
    while (credits <= 0) await new Promise<void>((r) => (wake = r));
    wake = null;
    credits--;
    port.postMessage({ kind: 'batch', batch: parseBatch(b.records, b.problems, b.bytesRead) });
  }
  port.postMessage({ kind: 'end' });
} catch (e) {
  if (e instanceof FileProblem) port.postMessage({ kind: 'fileProblem', line: e.line, reasonZh: e.reasonZh, reasonEn: e.reasonEn });
  else port.postMessage({ kind: 'error', message: (e as Error).message });
}
port.close();
