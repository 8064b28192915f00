/**
 * The one IPC entry: `api:invoke` (method name + input) → dispatch → Result, and Session events
 * out on `api:event`. Every call is checked against the sender frame (Electron security
 * checklist #17): only our own packaged index.html, in the top frame, may call the core.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import type { Result } from '../../preload/api.js';
import type { Session } from '../core/api/context.js';
import { dispatch } from '../core/api/dispatch.js';

export const INVOKE_CHANNEL = 'api:invoke';
export const EVENT_CHANNEL = 'api:event';

/** True when the frame shows our index.html (file://…/index.html, optionally with ?query or #hash). */
export function senderOk(frame: WebFrameMain | null, indexUrl: string): boolean {
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

export function registerIpc(session: Session, indexUrl: string, windows: () => BrowserWindow[]): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (e: IpcMainInvokeEvent, name: unknown, input: unknown) => {
    if (!senderOk(e.senderFrame, indexUrl)) return denied;
    if (typeof name !== 'string') return dispatch('', input, session);
    return dispatch(name, input, session);
  });
  const off = session.onEvent((event, payload) => {
    for (const w of windows()) {
      if (!w.isDestroyed() && senderOk(w.webContents.mainFrame, indexUrl)) w.webContents.send(EVENT_CHANNEL, event, payload);
    }
  });
  return () => {
    off();
    ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}
