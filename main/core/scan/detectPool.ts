/**
 * Where a scan's detection runs: on a worker thread when the worker file is beside this code
 * (source: detectWorker.ts; bundles: detectWorker.js/.cjs built next to each entry), in this
 * thread otherwise. Either way the answer is the same hits: the worker builds the same Detector
 * from the same entries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Detector } from '../detect/engine.js';
import type { Entry, Speaker } from '../detect/types.js';
import type { WorkerReply, WorkerRequest } from './detectWorker.js';
import { packHits, type PackedHits } from './packedHits.js';

export interface DetectPool {
  /** the hits of the batch, packed (unpackHits gives them per text) */
  detect(texts: string[], speakers: Speaker[]): Promise<PackedHits>;
  close(): Promise<void>;
  readonly threaded: boolean;
  /** why batches are being detected on this thread after all (the worker failed), or null */
  readonly fallbackReason: string | null;
}

function here(): string {
  // ESM (source, CLI and test-server bundles) has import.meta.url; the Electron main bundle is CommonJS
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}

function workerFile(): string | null {
  const dir = path.dirname(here());
  for (const name of ['detectWorker.js', 'detectWorker.cjs', 'detectWorker.ts']) {
    const f = path.join(dir, name);
    if (fs.existsSync(f)) return f;
  }
  return null;
}

class InThread implements DetectPool {
  readonly threaded = false;
  readonly fallbackReason = null;
  constructor(private readonly detector: () => Detector) {}
  async detect(texts: string[], speakers: Speaker[]): Promise<PackedHits> {
    return packHits(this.detector(), texts, speakers);
  }
  async close(): Promise<void> {}
}

class Threaded implements DetectPool {
  readonly threaded = true;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (h: PackedHits) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  get fallbackReason(): string | null {
    return this.failure?.message ?? null;
  }

  constructor(
    private readonly worker: Worker,
    private readonly fallback: () => Detector,
  ) {
    worker.on('message', (m: WorkerReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (!this.waiting.size) worker.unref();
      if ('error' in m) w.reject(new Error(m.error));
      else w.resolve(m.hits);
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => code !== 0 && fail(new Error(`detection worker exited with ${code}`)));
  }

  /** Never rejects: should the worker fail (a native module that will not load there), this thread does the batch. */
  detect(texts: string[], speakers: Speaker[]): Promise<PackedHits> {
    if (this.failure) return Promise.resolve(packHits(this.fallback(), texts, speakers));
    const id = this.next++;
    const answer = new Promise<PackedHits>((resolve, reject) => {
      // referenced while an answer is awaited (an unreferenced worker would let the process end mid-scan)
      if (!this.waiting.size) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'detect', id, texts, speakers } satisfies WorkerRequest);
    });
    return answer.catch(() => packHits(this.fallback(), texts, speakers));
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Tests and benchmarks run the TypeScript sources through tsx, whose loader a worker does not
 * inherit on Node 20: a two-line module registers it, then imports the worker. Bundles (the app,
 * the CLI) never take this path.
 */
function fromSource(file: string): URL {
  // the ESM entry of tsx's API (require.resolve would give its CommonJS one, which cannot register here)
  const pkg = createRequire(here()).resolve('tsx/package.json');
  const entry = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const tsx = pathToFileURL(path.join(path.dirname(pkg), entry)).href;
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(pathToFileURL(file).href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * Starts the detection thread, or returns null where there is none to be had (no worker file
 * beside the code, a single core, WECOM_DETECT_THREADS=0). Started before the dictionaries are
 * read, so its own loading overlaps that work.
 */
export function spawnDetectWorker(): Worker | null {
  const file = workerFile();
  if (!file || os.availableParallelism() < 2 || process.env.WECOM_DETECT_THREADS === '0') return null;
  try {
    // a small young generation: the thread's garbage is each batch's texts and hits, short-lived,
    // and a large nursery only adds to the process's peak memory (about 25 MB measured at 1M)
    const worker = new Worker(file.endsWith('.ts') ? fromSource(file) : file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    // never what keeps a process alive (a scan that failed before handing it work need not end it)
    worker.unref();
    return worker;
  } catch {
    return null;
  }
}

/**
 * A pool for these entries on `worker` (from spawnDetectWorker), or in this thread without one.
 * `inThread` makes the detector for this thread, only when it is needed (no worker, or it failed).
 */
export function detectPool(entries: Entry[], inThread: () => Detector, worker: Worker | null): DetectPool {
  let made: Detector | null = null;
  const here = () => (made ??= inThread());
  if (!worker) return new InThread(here);
  worker.postMessage({ type: 'init', entries } satisfies WorkerRequest);
  return new Threaded(worker, here);
}
