/**
 * The one IPC entry: `api:invoke` (method name + input) → dispatch → Result, and Session events
 * out on `api:event`. Every call is checked against the sender frame (Electron security
 * checklist #17): only our own packaged index.html, in the top frame, may call the core.
 * Electron's ipcMain and the windows are passed in (main.ts) and only their shapes are imported
 * here, so the rules are unit-tested against small stand-ins without the Electron binary.
 */
import type { Result } from '../../preload/api.js';
import type { Session } from '../core/api/context.js';
import { dispatch } from '../core/api/dispatch.js';

export const INVOKE_CHANNEL = 'api:invoke';
export const EVENT_CHANNEL = 'api:event';

/** What the checks read of a frame (Electron's WebFrameMain). */
export type FrameLike = { readonly url: string; readonly parent: unknown };
/** What the handler reads of an invoke event (Electron's IpcMainInvokeEvent). */
export type InvokeEventLike = { readonly senderFrame: FrameLike | null };
/** The part of Electron's ipcMain used here. */
export type IpcMainLike = {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
};
/** The part of a BrowserWindow used to forward events. */
export type WindowLike = {
  isDestroyed(): boolean;
  readonly webContents: { readonly mainFrame: FrameLike; send(channel: string, ...args: unknown[]): void };
};

/** True when the frame is a top frame showing our index.html (optionally with ?query or #hash). */
export function senderOk(frame: FrameLike | null | undefined, indexUrl: string): boolean {
  if (!frame || frame.parent !== null) return false;
  const url = frame.url;
  return url === indexUrl || url.startsWith(`${indexUrl}?`) || url.startsWith(`${indexUrl}#`);
}

const denied: Result<never> = {
  ok: false,
  error: {
    code: 'forbidden',
    message: '调用来源不受信任，已拒绝 / Call from an untrusted page refused',
    messageZh: '调用来源不受信任，已拒绝',
    messageEn: 'Call from an untrusted page refused',
  },
};

/** Registers the invoke handler and the event forwarding; returns the function that undoes both. */
export function registerIpc(ipc: IpcMainLike, session: Session, indexUrl: string, windows: () => WindowLike[]): () => void {
  ipc.handle(INVOKE_CHANNEL, async (e: InvokeEventLike, name: unknown, input: unknown) => {
    if (!senderOk(e.senderFrame, indexUrl)) return denied;
    // a non-string name is an unknown method: dispatch refuses it as such
    return dispatch(typeof name === 'string' ? name : '', input, session);
  });
  const off = session.onEvent((event, payload) => {
    for (const w of windows()) {
      // a window that now shows anything but our page (it cannot navigate, but a crash page may) gets nothing
      if (!w.isDestroyed() && senderOk(w.webContents.mainFrame, indexUrl)) w.webContents.send(EVENT_CHANNEL, event, payload);
    }
  });
  return () => {
    off();
    ipc.removeHandler(INVOKE_CHANNEL);
  };
}
