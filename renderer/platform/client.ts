/**
 * The one way the renderer reaches the core: an `Api` (preload/api.ts). In Electron it is the
 * preload's `window.api` (IPC); in a plain browser it is the loopback test server over HTTP
 * (fetch for calls, EventSource for events), authorised by the `?token=…` in the page URL.
 * Types only from the contract: no zod, no Node modules at runtime.
 */
import type { Api, ApiError, EventName, Events, In, Method, Out, Result } from '../../preload/api.js';

declare global {
  interface Window {
    api?: Api;
  }
}

function transportError(e: unknown): ApiError {
  const detail = e instanceof Error ? e.message : String(e);
  return {
    code: 'internal',
    message: `无法连接到应用核心：${detail} / Cannot reach the application core: ${detail}`,
    messageZh: `无法连接到应用核心：${detail}`,
    messageEn: `Cannot reach the application core: ${detail}`,
  };
}

/** The Api over HTTP to main/testServer. */
export function httpApi(base: string, token: string): Api {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;

  function ensureSource(): void {
    if (source) return;
    source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`);
    for (const name of listeners.keys()) attach(name);
  }
  const attached = new Set<EventName>();
  function attach(name: EventName): void {
    if (!source || attached.has(name)) return;
    attached.add(name);
    source.addEventListener(name, (ev) => {
      let payload: unknown;
      try {
        payload = JSON.parse((ev as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const l of listeners.get(name) ?? []) l(payload);
    });
  }

  return {
    async invoke<M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>> {
      try {
        const res = await fetch(`${base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-wecom-token': token },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
        });
        const body = (await res.json()) as Result<Out<M>>;
        return body;
      } catch (e) {
        return { ok: false, error: transportError(e) };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as Listener;
      set.add(l);
      ensureSource();
      attach(event);
      return () => {
        set.delete(l);
      };
    },
  };
}

/** Wraps the preload's api so a rejected IPC call still comes back as a Result. */
function safeApi(inner: Api): Api {
  return {
    async invoke(method, input) {
      try {
        return await inner.invoke(method, input);
      } catch (e) {
        return { ok: false, error: transportError(e) };
      }
    },
    on: (event, listener) => inner.on(event, listener),
  };
}

function createApi(): Api {
  if (typeof window !== 'undefined' && window.api) return safeApi(window.api);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const api = httpApi(window.location.origin, token);
  // Open the event stream now, so progress from the first call is not missed.
  api.on('import.progress', () => {});
  return api;
}

export const api: Api = createApi();

/** Calls a method and returns the value, or throws the bilingual ApiError. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}
export async function call<M extends Method>(method: M, input: In<M>): Promise<Out<M>> {
  const r = await api.invoke(method, input);
  if (!r.ok) throw new ApiFailure(r.error);
  return r.value;
}

/** Any caught error as a bilingual ApiError, for display. */
export function errorOf(e: unknown): ApiError {
  if (e instanceof ApiFailure) return e.error;
  return transportError(e);
}
