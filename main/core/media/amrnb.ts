/**
 * AMR-NB in Node: the opencore-amr codec compiled to asm.js, as shipped by benz-amr-recorder
 * (src/amrnb.js). That file is written as a Web Worker body: a function that sets `self.onmessage`
 * and answers with `self.postMessage`. Here it is instantiated once with its own `self` (an
 * object of ours, never a global) and called synchronously.
 */
import amrnbWorker from 'benz-amr-recorder/src/amrnb.js';

type WorkerSelf = { onmessage?: (e: { data: unknown }) => void; postMessage: (m: { amr: Float32Array | Uint8Array | null }) => void };

let worker: { call: (data: unknown) => Float32Array | Uint8Array | null } | null = null;

function amr(): NonNullable<typeof worker> {
  if (worker) return worker;
  let answer: Float32Array | Uint8Array | null = null;
  const self: WorkerSelf = { postMessage: (m) => void (answer = m.amr) };
  // the worker body binds `self` as a free name: rebuild it with `self` as a parameter
  const start = new Function('self', `(${amrnbWorker.toString()})();`) as (s: WorkerSelf) => void;
  start(self);
  const onmessage = self.onmessage;
  if (!onmessage) throw new Error('amrnb did not start');
  worker = {
    call: (data) => {
      answer = null;
      onmessage({ data });
      return answer;
    },
  };
  return worker;
}

/** Decodes an AMR-NB file ("#!AMR\n" + frames) to 8 kHz 16-bit PCM. */
export function decodeAmrNb(file: Uint8Array): Int16Array {
  const out = amr().call({ command: 'decode', buffer: file });
  if (!(out instanceof Float32Array)) throw new Error('amrnb decode failed');
  const pcm = new Int16Array(out.length);
  for (let i = 0; i < out.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(out[i]! * 32768)));
  return pcm;
}

/** Encodes 8 kHz mono samples in [-1, 1] to AMR-NB 12.2 kbit/s (used by the sample generator). */
export function encodeAmrNb(samples: Float32Array): Buffer {
  const out = amr().call({ command: 'encode', samples, sampleRate: 8000 });
  if (!(out instanceof Uint8Array)) throw new Error('amrnb encode failed');
  return Buffer.from(out);
}
