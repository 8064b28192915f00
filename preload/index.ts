/**
 * The sandboxed preload: exposes `window.api` = { invoke, on } and nothing else (never
 * ipcRenderer itself). Fixed channels; method and event names are checked against the contract
 * before anything crosses to the main process.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { methodNames, type EventName } from './api.js';

const INVOKE_CHANNEL = 'api:invoke';
const EVENT_CHANNEL = 'api:event';

const methods = new Set<string>(methodNames);
/** Every event of the contract; a new one in Events fails tsc here until it is listed. */
const eventNames: Record<EventName, true> = { 'store.writerWait': true, 'import.phase': true, 'import.progress': true, 'search.indexProgress': true, 'scan.progress': true };
const events = new Set<string>(Object.keys(eventNames));

contextBridge.exposeInMainWorld('api', {
  invoke(name: unknown, input: unknown): Promise<unknown> {
    if (typeof name !== 'string' || !methods.has(name)) {
      return Promise.reject(new Error(`未知的方法 / unknown method: ${String(name)}`));
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, name, input);
  },
  on(event: unknown, listener: unknown): () => void {
    if (typeof event !== 'string' || !events.has(event)) throw new Error(`未知的事件 / unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
});
