/**
 * The Chrome DevTools protocol over a pipe (`--remote-debugging-pipe`): the browser reads JSON
 * messages, each ended by a NUL byte, from its fd 3 and writes its answers and events the same way
 * to fd 4. No port, no socket anyone else could reach. Requests carry an id and get one answer with
 * that id (`result` or `error`); events carry a method and, for a page attached with
 * `flatten: true`, the sessionId of that page.
 */
import type { Readable, Writable } from 'node:stream';

export type CdpEvent = { method: string; params: Record<string, unknown>; sessionId?: string };
type Pending = { method: string; resolve: (v: any) => void; reject: (e: Error) => void };

export class CdpPipe {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: CdpEvent) => void>();
  /** bytes of a message not yet ended by its NUL */
  private partial: Buffer[] = [];
  private failure: Error | null = null;
  private onFailure!: (e: Error) => void;
  /** settles (never rejects) when the pipe breaks or is closed: for waits that no request covers */
  readonly failed = new Promise<Error>((resolve) => (this.onFailure = resolve));

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
  ) {
    fromBrowser.on('data', (chunk: Buffer) => this.receive(chunk));
    fromBrowser.on('end', () => this.fail(new Error('DevTools pipe closed')));
    fromBrowser.on('error', (e) => this.fail(e));
    toBrowser.on('error', (e) => this.fail(e));
  }

  /** Sends one request; resolves with its result, rejects with the browser's error or a broken pipe. */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) })}\0`);
    });
  }

  /** Every event from now on; returns the function that stops listening. */
  onEvent(listener: (e: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rejects every request still waiting and every later one. */
  fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.onFailure(e);
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private receive(chunk: Buffer): void {
    let from = 0;
    for (let end = chunk.indexOf(0, from); end !== -1; end = chunk.indexOf(0, from)) {
      this.partial.push(chunk.subarray(from, end));
      const text = Buffer.concat(this.partial).toString('utf8');
      this.partial = [];
      from = end + 1;
      this.dispatch(text);
    }
    if (from < chunk.length) this.partial.push(chunk.subarray(from));
  }

  private dispatch(text: string): void {
    let msg: { id?: number; result?: unknown; error?: { message?: string; code?: number }; method?: string; params?: Record<string, unknown>; sessionId?: string };
    try {
      msg = JSON.parse(text);
    } catch {
      return this.fail(new Error('DevTools pipe: a message that is not JSON'));
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message ?? 'error'}${msg.error.code !== undefined ? ` (${msg.error.code})` : ''}`));
      else p.resolve(msg.result ?? {});
    } else if (typeof msg.method === 'string') {
      const event: CdpEvent = { method: msg.method, params: msg.params ?? {}, ...(msg.sessionId && { sessionId: msg.sessionId }) };
      for (const l of this.listeners) l(event);
    }
  }
}
