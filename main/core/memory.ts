/**
 * A full garbage collection on request, for the long batch jobs (import, index, scan). Their
 * batches live across awaits (read ahead while the detection thread works), so each one is
 * promoted to V8's old generation and dies there; V8 lets that garbage grow with the heap before
 * it collects, and a million-message scan peaked at ~200 MB of heap holding ~60 MB of live data.
 * Collecting every few batches keeps the peak near the live set, for ~50 ms a time.
 *
 * `gc` is V8's own, exposed at run time (the flag is read when `gc` is first compiled); where a
 * host cannot expose it this does nothing and memory is only higher, never wrong.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
