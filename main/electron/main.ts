/**
 * The desktop host: one window on the packaged renderer, the core behind one IPC dispatcher.
 * Follows Electron's security checklist: context isolation, sandbox, no Node in the page, a CSP
 * (in index.html), no navigation, no new windows, no openExternal (archive content is untrusted),
 * sender checks on every IPC call, all permission requests denied.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session as electronSession } from 'electron';
import { Session } from '../core/api/context.js';
import { defaultDataDir, defaultDbPath } from '../core/paths.js';
import { requestAllowed } from './appFiles.js';
import { registerIpc } from './ipc.js';
import { printPdf } from './pdf.js';
import { pickPaths } from './shell.js';

const PRODUCT = '会话存档合规审计工作站';

// The same per-user folder as the CLI, so both faces find the same default store.
const dataDir = defaultDataDir();
fs.mkdirSync(dataDir, { recursive: true });
app.setPath('userData', dataDir);
app.enableSandbox();

const appRoot = app.getAppPath();
/** the only folder whose files the window may load (appFiles.ts) */
const rendererDir = path.join(appRoot, 'dist', 'renderer');
const rendererIndex = path.join(rendererDir, 'index.html');
const preloadScript = path.join(appRoot, 'dist', 'preload', 'index.cjs');
const indexUrl = pathToFileURL(rendererIndex).href;

function samplesDir(): string {
  // Packaged: extraResources puts resources/ under process.resourcesPath; in development it is in the project.
  const packaged = path.join(process.resourcesPath ?? '', 'resources', 'samples');
  return app.isPackaged && fs.existsSync(packaged) ? packaged : path.join(appRoot, 'resources', 'samples');
}

const coreSession = new Session({
  version: app.getVersion(),
  defaultDbPath: defaultDbPath(),
  samplesDir: samplesDir(),
  nativeDialogs: true,
  pickPaths,
  printPdf,
  runSchedules: true,
  defaultDictionary: path.join(path.dirname(samplesDir()), 'dictionaries', 'default.json'),
});

let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    title: PRODUCT,
    backgroundColor: '#f3f5f8',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadScript,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadFile(rendererIndex);
  return win;
}

// Single instance: the store is one SQLite file; a second window would fight over it.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  // Checklist #13/#14/#15 for every web contents, including any created later.
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev) => ev.preventDefault());
    contents.on('will-redirect', (ev) => ev.preventDefault());
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    const ses = electronSession.defaultSession;
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    // Nothing in this app talks to the network, and the window reads no file but its own renderer's:
    // refuse any http(s) and any file:// outside dist/renderer (resolved, symlinks followed).
    ses.webRequest.onBeforeRequest((details, callback) => {
      const ok = requestAllowed(details.url, rendererDir) || (!app.isPackaged && details.url.startsWith('devtools://'));
      callback({ cancel: !ok });
    });
    if (app.isPackaged) Menu.setApplicationMenu(null);

    registerIpc(ipcMain, coreSession, indexUrl, () => BrowserWindow.getAllWindows());
    mainWindow = createWindow();

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', () => {
    coreSession.close();
  });
}
