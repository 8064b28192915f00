/**
 * The Electron host's own rules, without the Electron binary (it is never downloaded here):
 * which file:// URLs the window may load (main/electron/appFiles.ts, on real files and symlinks),
 * and the IPC entry (main/electron/ipc.ts) against small stand-ins for ipcMain and the windows,
 * calling the real dispatch on a real Session. Last, the packaged app directory built by
 * electron-builder --dir, where a local Electron distribution is given (WECOM_ELECTRON_DIST).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Session } from '../../main/core/api/context.js';
import { isAppFile, requestAllowed } from '../../main/electron/appFiles.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, registerIpc, type FrameLike, type InvokeEventLike, type IpcMainLike, type WindowLike } from '../../main/electron/ipc.js';
import { ROOT, tmpDir } from '../helpers/store.js';

/** an app folder with a renderer inside, a sibling folder, a secret outside, and symlinks both ways */
function appLayout() {
  const root = tmpDir('wecom-appfiles-');
  const renderer = path.join(root, 'app', 'dist', 'renderer');
  fs.mkdirSync(path.join(renderer, 'fonts'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(renderer, 'fonts', 'a b.woff2'), 'font');
  fs.writeFileSync(path.join(renderer, '..hidden.js'), 'x');
  fs.mkdirSync(path.join(root, 'app', 'dist', 'electron'), { recursive: true });
  fs.writeFileSync(path.join(root, 'app', 'dist', 'electron', 'main.cjs'), 'code');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(root, 'app', 'dist', 'renderer-evil'));
  fs.writeFileSync(path.join(root, 'app', 'dist', 'renderer-evil', 'x.js'), 'x');
  // a link inside the renderer pointing out, and a link outside pointing in
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(renderer, 'leak.txt'));
  fs.symlinkSync(path.join(renderer, 'index.html'), path.join(root, 'into.html'));
  return { root, renderer, url: (p: string) => pathToFileURL(p).href };
}

test('isAppFile: the renderer folder’s own files, and nothing else', () => {
  const { root, renderer, url } = appLayout();
  const index = url(path.join(renderer, 'index.html'));
  assert.equal(isAppFile(index, renderer), true);
  assert.equal(isAppFile(`${index}#/hits`, renderer), true);
  assert.equal(isAppFile(`${index}?lang=en`, renderer), true);
  assert.equal(isAppFile(url(path.join(renderer, 'fonts', 'a b.woff2')), renderer), true);
  assert.equal(isAppFile(url(path.join(renderer, '..hidden.js')), renderer), true, 'a name that starts with two dots is still inside');
  // a link outside that points in is the file it points to: ours
  assert.equal(isAppFile(url(path.join(root, 'into.html')), renderer), true);
  // the appDir may itself be given through a symlink
  fs.symlinkSync(renderer, path.join(root, 'renderer-link'));
  assert.equal(isAppFile(index, path.join(root, 'renderer-link')), true);

  const refused: [string, string][] = [
    [url(path.join(root, 'secret.txt')), 'a file elsewhere on disk'],
    [url(path.join(root, 'app', 'dist', 'electron', 'main.cjs')), 'another folder of the app'],
    [url(path.join(root, 'app', 'dist', 'renderer-evil', 'x.js')), 'a sibling whose name starts with the folder’s'],
    [url(path.join(renderer, 'leak.txt')), 'a symlink inside that points outside'],
    [`${url(renderer)}/../../../secret.txt`, 'a ../ escape'],
    [`${url(renderer)}/%2e%2e/%2e%2e/%2e%2e/secret.txt`, 'a percent-encoded ../ escape'],
    [`${url(renderer)}/..%2f..%2f..%2fsecret.txt`, 'an encoded slash'],
    [url(renderer), 'the folder itself'],
    [url(path.join(renderer, 'missing.js')), 'a file that does not exist'],
    [`file://server/share${renderer}/index.html`, 'a host (UNC share)'],
    ['http://127.0.0.1:8080/index.html', 'http'],
    ['https://example.com/', 'https'],
    ['ws://localhost/', 'websocket'],
    ['devtools://devtools/bundled/inspector.html', 'devtools'],
    ['not a url', 'garbage'],
    ['', 'empty'],
  ];
  for (const [u, why] of refused) assert.equal(isAppFile(u, renderer), false, `${why}: ${u}`);
});

test('requestAllowed: in-page data: and blob: URLs, the renderer’s files; no network, no other file', () => {
  const { root, renderer, url } = appLayout();
  assert.equal(requestAllowed('data:image/png;base64,iVBOR', renderer), true);
  assert.equal(requestAllowed('blob:null/6f1c2a9e-0000-4000-8000-000000000000', renderer), true);
  assert.equal(requestAllowed(url(path.join(renderer, 'index.html')), renderer), true);
  assert.equal(requestAllowed(url(path.join(root, 'secret.txt')), renderer), false);
  assert.equal(requestAllowed('https://example.com/a.js', renderer), false);
  assert.equal(requestAllowed('http://localhost:3000/', renderer), false);
  assert.equal(requestAllowed('ftp://example.com/', renderer), false);
});

// ---------- the IPC entry against stand-ins for ipcMain and the windows ----------

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    // Electron throws on a second handler for one channel; so does the stand-in
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** what ipcMain does for ipcRenderer.invoke(channel, ...args) from `frame` */
  async invoke(frame: FrameLike | null, ...args: unknown[]): Promise<any> {
    const h = this.handlers.get(INVOKE_CHANNEL);
    assert.ok(h, 'no handler registered');
    return h({ senderFrame: frame }, ...args);
  }
}

class FakeWindow implements WindowLike {
  readonly sent: unknown[][] = [];
  destroyed = false;
  readonly webContents: WindowLike['webContents'];
  constructor(url: string, parent: unknown = null) {
    const frame = { url, parent };
    this.webContents = { mainFrame: frame, send: (channel: string, ...args: unknown[]) => void this.sent.push([channel, ...args]) };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

const INDEX = 'file:///opt/wecom-audit/resources/app.asar/dist/renderer/index.html';

function host(windows: WindowLike[] = []) {
  const session = new Session({ version: '9.8.7-test', defaultDbPath: '/nonexistent/store.db', samplesDir: '', nativeDialogs: false });
  const ipc = new FakeIpcMain();
  const off = registerIpc(ipc, session, INDEX, () => windows);
  return { session, ipc, off };
}

test('ipc: a call from our top-level index.html reaches dispatch and returns its Result', async () => {
  const { ipc, session } = host();
  assert.deepEqual([...ipc.handlers.keys()], [INVOKE_CHANNEL]);
  const top = { url: INDEX, parent: null };
  const r = await ipc.invoke(top, 'app.info', {});
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.value.version, '9.8.7-test');
  assert.equal(r.value.defaultDbPath, '/nonexistent/store.db');
  // the hash routes of the app are the same page
  assert.equal((await ipc.invoke({ url: `${INDEX}#/search`, parent: null }, 'app.info', {})).ok, true);
  // dispatch's own rules still apply behind the sender check: a method that needs a store is refused as locked
  const locked = await ipc.invoke(top, 'store.stats', {});
  assert.equal(locked.ok, false);
  assert.equal(locked.error.code, 'locked');
  session.close();
});

test('ipc: a sender from another frame or URL is refused before dispatch', async () => {
  const { ipc, session } = host();
  const refusedFrom: [FrameLike | null, string][] = [
    [null, 'no frame (destroyed or navigated away)'],
    [{ url: INDEX, parent: { url: INDEX, parent: null } }, 'a subframe, even of our own page'],
    [{ url: 'file:///home/user/Downloads/evil.html', parent: null }, 'another file:// page'],
    [{ url: INDEX.replace('index.html', 'index.html.evil'), parent: null }, 'a URL that starts like ours'],
    [{ url: `${INDEX}/../../../../evil.html`, parent: null }, 'a URL that escapes from ours'],
    [{ url: 'https://example.com/', parent: null }, 'a web page'],
    [{ url: 'devtools://devtools/bundled/inspector.html', parent: null }, 'devtools'],
  ];
  for (const [frame, why] of refusedFrom) {
    const r = await ipc.invoke(frame, 'app.info', {});
    assert.equal(r.ok, false, why);
    assert.equal(r.error.code, 'forbidden', why);
    assert.match(r.error.messageEn, /untrusted page/, why);
    assert.ok(r.error.messageZh.length > 0, why);
  }
  session.close();
});

test('ipc: an unknown or malformed method is refused', async () => {
  const { ipc, session } = host();
  const top = { url: INDEX, parent: null };
  for (const name of ['no.such.method', 'constructor', '__proto__', 'toString', 42, null, undefined, { name: 'app.info' }]) {
    const r = await ipc.invoke(top, name, {});
    assert.equal(r.ok, false, String(name));
    assert.equal(r.error.code, 'usage', String(name));
  }
  // bad input to a real method is refused by the contract's schema
  const bad = await ipc.invoke(top, 'app.info', { extra: 1 });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'usage');
  session.close();
});

test('ipc: events reach only live windows that show our page; unregistering stops both directions', async () => {
  const ours = new FakeWindow(INDEX);
  const oursWithHash = new FakeWindow(`${INDEX}#/import`);
  const foreign = new FakeWindow('file:///tmp/other.html');
  const crashed = new FakeWindow('chrome-error://chromewebdata/');
  const closed = new FakeWindow(INDEX);
  closed.destroyed = true;
  const { ipc, session, off } = host([ours, oursWithHash, foreign, crashed, closed]);
  const payload = { done: 3, total: 10 };
  session.emit('import.progress', payload as never);
  assert.deepEqual(ours.sent, [[EVENT_CHANNEL, 'import.progress', payload]]);
  assert.deepEqual(oursWithHash.sent, [[EVENT_CHANNEL, 'import.progress', payload]]);
  assert.deepEqual(foreign.sent, []);
  assert.deepEqual(crashed.sent, []);
  assert.deepEqual(closed.sent, []);

  off();
  assert.equal(ipc.handlers.size, 0);
  session.emit('import.progress', payload as never);
  assert.equal(ours.sent.length, 1, 'no events after unregistering');
  // registering again works (Electron would throw on a second handler for the channel)
  const again = registerIpc(ipc, session, INDEX, () => [ours]);
  assert.equal((await ipc.invoke({ url: INDEX, parent: null }, 'app.info', {})).ok, true);
  again();
  session.close();
});

// ---------- the packaged app directory (electron-builder --dir) ----------

const require = createRequire(import.meta.url);
function resolvable(name: string): string | null {
  try {
    return require.resolve(name, { paths: [ROOT] });
  } catch {
    return null;
  }
}

const electronDist = process.env.WECOM_ELECTRON_DIST;
const builderCli = resolvable('electron-builder/cli.js');
const skipPackaging = !electronDist
  ? 'WECOM_ELECTRON_DIST is not set: point it at an unpacked Electron 39 for this platform (a folder holding the electron binary) to build the app directory'
  : !fs.existsSync(electronDist)
    ? `WECOM_ELECTRON_DIST=${electronDist} does not exist`
    : !builderCli
      ? 'electron-builder is not installed (npm ci installs it from the lockfile)'
      : false;

test('packaging: electron-builder --dir makes an app with its fuses set, natives unpacked, no test server', { skip: skipPackaging }, async () => {
  const out = tmpDir('wecom-dist-');
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  // npmRebuild needs Electron's headers (a mirror of them); off unless asked, the layout and fuses do not depend on it
  const rebuild = process.env.WECOM_ELECTRON_REBUILD === '1';
  const r = spawnSync(
    process.execPath,
    [builderCli!, '--dir', '--config', 'electron-builder.yml', `-c.electronDist=${electronDist}`, `-c.directories.output=${out}`, `-c.npmRebuild=${rebuild}`, '--publish', 'never'],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const unpackedDir = fs.readdirSync(out).find((d) => d.endsWith('-unpacked'));
  assert.ok(unpackedDir, `no *-unpacked folder in ${fs.readdirSync(out).join(', ')}`);
  const appDir = path.join(out, unpackedDir);
  const resources = path.join(appDir, 'resources');
  const asarFile = path.join(resources, 'app.asar');
  assert.ok(fs.existsSync(asarFile), 'app.asar');

  const asar = require(resolvable('@electron/asar')!) as { listPackage(p: string, o: object): string[] };
  const inAsar = asar.listPackage(asarFile, {}).map((f) => f.replaceAll('\\', '/'));
  for (const f of ['/dist/electron/main.cjs', '/dist/preload/index.cjs', '/dist/renderer/index.html', '/dist/electron/detectWorker.cjs']) assert.ok(inAsar.includes(f), `${f} in app.asar`);
  assert.ok(!inAsar.some((f) => f.startsWith('/dist/testServer')), 'the loopback test server is not packaged');
  assert.ok(!inAsar.some((f) => f.endsWith('.map')), 'no source maps');

  const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
  const files = (fs.readdirSync(unpacked, { recursive: true }) as string[]).map((f) => f.replaceAll('\\', '/'));
  assert.ok(files.some((f) => /^better-sqlite3-multiple-ciphers\/build\/Release\/better_sqlite3\.node$/.test(f)), 'SQLCipher binary unpacked');
  assert.ok(files.some((f) => /^@node-rs\/jieba-[^/]+\/jieba\.[^/]+\.node$/.test(f)), 'jieba binary unpacked');
  assert.ok(files.includes('silk-wasm/lib/silk.wasm'), 'silk.wasm unpacked');
  assert.ok(fs.existsSync(path.join(resources, 'resources', 'samples')), 'samples as real files');

  // the fuses as the binary now carries them (@electron/fuses comes with electron-builder)
  type Fuses = { getCurrentFuseWire(exe: string): Promise<Record<number, number>>; FuseV1Options: Record<string, number> & Record<number, string>; FuseState: Record<string, number> };
  const { getCurrentFuseWire, FuseV1Options, FuseState } = require(resolvable('@electron/fuses')!) as Fuses;
  const exe = fs.readdirSync(appDir).map((f) => path.join(appDir, f)).find((f) => /^(wecom-audit|会话存档合规审计工作站)(\.exe)?$/.test(path.basename(f)));
  assert.ok(exe, `the app executable in ${fs.readdirSync(appDir).join(', ')}`);
  const wire = await getCurrentFuseWire(exe);
  const want: [string, string][] = [
    ['RunAsNode', 'DISABLE'],
    ['EnableNodeOptionsEnvironmentVariable', 'DISABLE'],
    ['EnableNodeCliInspectArguments', 'DISABLE'],
    ['EnableEmbeddedAsarIntegrityValidation', 'ENABLE'],
    ['OnlyLoadAppFromAsar', 'ENABLE'],
    ['EnableCookieEncryption', 'ENABLE'],
  ];
  for (const [fuse, state] of want) assert.equal(wire[FuseV1Options[fuse]!], FuseState[state], `fuse ${fuse}`);
  fs.rmSync(out, { recursive: true, force: true });
});
