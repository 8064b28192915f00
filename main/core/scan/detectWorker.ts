/**
 * The detector on a second thread: a scan reads and writes the store on its own thread while
 * this one finds the hits of the next batch (the machines we run on have two cores or more).
 * Entries come once with `init`; every `detect` answers with the hits of each text.
 */
import { parentPort } from 'node:worker_threads';
import { Detector } from '../detect/engine.js';
import { jiebaSegmenter } from '../detect/segment.js';
import type { Entry, Hit, Speaker } from '../detect/types.js';

export type WorkerRequest = { type: 'init'; entries: Entry[] } | { type: 'detect'; id: number; texts: string[]; speakers: Speaker[] };
export type WorkerReply = { id: number; hits: Hit[][] } | { id: number; error: string };

let detector: Detector | null = null;
const port = parentPort;
if (port) {
  port.on('message', (m: WorkerRequest) => {
    if (m.type === 'init') {
      detector = new Detector(m.entries, jiebaSegmenter());
      return;
    }
    try {
      const hits = m.texts.map((t, i) => (t ? detector!.detect(t, m.speakers[i]!) : []));
      port.postMessage({ id: m.id, hits } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
    }
  });
}
