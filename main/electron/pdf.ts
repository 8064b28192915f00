/**
 * HostConfig.printPdf in the desktop app: Chromium's own printToPDF in a hidden window that can
 * do nothing but show the one page. The page (the evidence transcript) never touches the disk: it
 * is held in memory and served to the window on the app's own `wecom-print:` scheme by the print
 * session's protocol handler (printPages.ts). The window has no preload, no Node, no JavaScript, a
 * sandbox, and a session of its own (in memory) whose every request other than that page and
 * inline images is refused, every permission denied. The app-wide guards in main.ts (no
 * navigation, no new windows) apply too.
 */
import { BrowserWindow, session } from 'electron';
import { PRINT_SCHEME, PrintPages } from './printPages.js';

const PARTITION = 'wecom-pdf-print'; // no "persist:": kept in memory only
const TIMEOUT_MS = 60_000;
/** the pages being printed right now: the only pages the print session may load */
const pages = new PrintPages();
let sessionReady = false;

function printSession(): Electron.Session {
  const ses = session.fromPartition(PARTITION, { cache: false });
  if (!sessionReady) {
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.protocol.handle(PRINT_SCHEME, (request) => pages.respond(request));
    ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !pages.isAllowed(details.url) }));
    sessionReady = true;
  }
  return ses;
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}超时 / ${what} timed out`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export async function printPdf(html: string): Promise<Uint8Array> {
  const page = pages.add(html);
  let win: BrowserWindow | null = null;
  try {
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
    await within(win.loadURL(page.url), TIMEOUT_MS, '载入 / loading');
    const pdf = await within(win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true }), TIMEOUT_MS, '打印 / printing');
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.length);
  } finally {
    page.release();
    if (win && !win.isDestroyed()) win.destroy();
  }
}
