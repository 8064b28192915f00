/**
 * The detector on a second thread: a scan reads and writes the store on its own thread while
 * this one finds the hits of the next batch (the machines we run on have two cores or more).
 * Entries come once with `init`; every `detect` answers with the batch's hits, packed (packedHits.ts).
 */
import { parentPort } from 'node:worker_threads';
import { Detector } from '../detect/engine.js';
import { jiebaSegmenter } from '../detect/segment.js';
import type { Entry, Speaker } from '../detect/types.js';
import { packHits, type PackedHits } from './packedHits.js';
import { collectGarbage } from '../memory.js';

export type WorkerRequest = { type: 'init'; entries: Entry[] } | { type: 'detect'; id: number; texts: string[]; speakers: Speaker[] };
export type WorkerReply = { id: number; hits: PackedHits } | { id: number; error: string };

let detector: Detector | null = null;
let batches = 0;
const port = parentPort;
if (port) {
  port.on('message', (m: WorkerRequest) => {
    if (m.type === 'init') {
      detector = new Detector(m.entries, jiebaSegmenter());
      return;
    }
    try {
      const hits = packHits(detector!, m.texts, m.speakers);
      // the cells are moved to the scan's thread, not copied
      port.postMessage({ id: m.id, hits } satisfies WorkerReply, [hits.cells.buffer as ArrayBuffer]);
      // this thread's garbage too, between batches (memory.ts)
      if (++batches % 5 === 0) collectGarbage();
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
    }
  });
}
