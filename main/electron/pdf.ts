/**
 * HostConfig.printPdf in the desktop app: Chromium's own printToPDF in a hidden window that can
 * do nothing but show the one page. The page (the evidence transcript) is written to a private
 * temp file; the window has no preload, no Node, no JavaScript, a sandbox, and a session of its
 * own (in memory) whose every request other than that file and inline images is refused, every
 * permission denied. The app-wide guards in main.ts (no navigation, no new windows) apply too.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';

const PARTITION = 'wecom-pdf-print'; // no "persist:": kept in memory only
const TIMEOUT_MS = 60_000;
/** the files being printed right now: the only pages the print session may load */
const allowed = new Set<string>();
let sessionReady = false;

function printSession(): Electron.Session {
  const ses = session.fromPartition(PARTITION, { cache: false });
  if (!sessionReady) {
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !(details.url.startsWith('data:') || isAllowedFile(details.url)) }));
    sessionReady = true;
  }
  return ses;
}

/** compared as paths, so that percent-encoding (a Windows user folder in Chinese) cannot differ */
function isAllowedFile(url: string): boolean {
  if (!url.startsWith('file:')) return false;
  try {
    return allowed.has(path.normalize(fileURLToPath(url)));
  } catch {
    return false;
  }
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}超时 / ${what} timed out`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export async function printPdf(html: string): Promise<Uint8Array> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wecom-pdf-'));
  const file = path.join(dir, `${crypto.randomUUID()}.html`);
  const url = pathToFileURL(file).href;
  let win: BrowserWindow | null = null;
  try {
    await fs.promises.writeFile(file, html, { mode: 0o600 });
    allowed.add(path.normalize(file));
    win = new BrowserWindow({
      show: false,
      width: 794,
      height: 1123,
      webPreferences: {
        session: printSession(),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        javascript: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        webgl: false,
        plugins: false,
        spellcheck: false,
        devTools: false,
      },
    });
    win.webContents.on('will-navigate', (e) => e.preventDefault());
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    await within(win.loadURL(url), TIMEOUT_MS, '载入 / loading');
    const pdf = await within(win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true }), TIMEOUT_MS, '打印 / printing');
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.length);
  } finally {
    allowed.delete(path.normalize(file));
    if (win && !win.isDestroyed()) win.destroy();
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
