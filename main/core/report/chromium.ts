/**
 * HostConfig.printPdf for the hosts without a browser of their own (CLI, test server): the
 * system's Chromium, headless, as a child process. No npm dependency and no download: Debian's
 * `chromium` package (scripts/setup.sh), or the binary named by CHROMIUM_PATH.
 *
 * The page never touches the disk: Chromium is driven over the DevTools protocol on a pipe
 * (`--remote-debugging-pipe`, fds 3 and 4; no port is opened), the transcript's HTML is set as the
 * content of a blank page from memory and the PDF comes back over the same pipe. The only thing on
 * disk is Chromium's throw-away profile folder (`wecom-pdf-<pid>-…`, no message content in it; its
 * config, cache and temp files go there too), removed on every path and, if a crash left it,
 * by the next start (main/core/tempFiles.ts).
 *
 * The page is the evidence transcript, built from untrusted archive content; it is escaped and
 * its CSP forbids every script and request, and Chromium adds its own walls: script execution
 * switched off for the page, every request other than inline data refused by the protocol's
 * request interception, every host name resolving to nothing (IP literals included), no
 * extensions, sync, component updates or background networking, and a time limit after which the
 * whole process group is killed. The core never calls this on its own: only a host injects it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { cleanStalePdfDirs, makePdfTempDir } from '../tempFiles.js';
import { CdpPipe, type CdpEvent } from './cdpPipe.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
/** a minute, and a second more for every 50 KB of page (a case of thousands of messages), at most ten */
const timeoutFor = (html: string) => Math.min(60_000 + Math.floor(html.length / 50), 600_000);
/** what `--print-to-pdf --no-pdf-header-footer` asked for (headless command handler), on A4 paper
 *  for a page without its own @page size; the transcript's @page sets A4, margins and the running header and footer */
const PRINT = { displayHeaderFooter: false, generateTaggedPDF: true, printBackground: true, preferCSSPageSize: true, paperWidth: 210 / 25.4, paperHeight: 297 / 25.4 };
/** after the PDF, how long Chromium may take to close before its group is killed */
const CLOSE_GRACE_MS = 5_000;

/** CHROMIUM_PATH when set (used as given, even when it does not exist), else Debian's chromium. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { binary: string | null; from: 'env' | 'system' } {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  if (fromEnv) return { binary: fromEnv, from: 'env' };
  return { binary: CANDIDATES.find((c) => isExecutable(c)) ?? null, from: 'system' };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The flags, each checked against this machine's Chromium (see test/unit/evidence.test.ts). */
export function chromiumArgs(profile: string, noSandbox: boolean): string[] {
  return [
    '--headless',
    ...(noSandbox ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--remote-debugging-pipe',
    `--user-data-dir=${profile}`,
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-crash-reporter',
    '--mute-audio',
    'about:blank',
  ];
}

export type ChromiumPrinterOptions = { env?: NodeJS.ProcessEnv; timeoutMs?: number; tmpDir?: string };

/**
 * A printer for HostConfig.printPdf. The binary is looked up on each call, so a browser
 * installed later is found; every failure throws an Error whose message a person can act on.
 */
export function chromiumPrinter(opts: ChromiumPrinterOptions = {}): (html: string) => Promise<Uint8Array> {
  return async (html) => {
    const env = opts.env ?? process.env;
    const { binary, from } = findChromium(env);
    if (!binary) throw new Error('未找到 Chromium（可设 CHROMIUM_PATH）/ no Chromium found (set CHROMIUM_PATH, or install chromium)');
    if (!isExecutable(binary)) throw new Error(`${from === 'env' ? 'CHROMIUM_PATH ' : ''}不可执行 / not an executable: ${binary}`);
    cleanStalePdfDirs(opts.tmpDir);
    const dir = makePdfTempDir(opts.tmpDir);
    try {
      // Chromium refuses to start its sandbox as root; elsewhere it keeps it
      const noSandbox = process.getuid?.() === 0 || env.WECOM_CHROMIUM_NO_SANDBOX === '1';
      // its config, cache, crash reports and temp files go to the private folder too, not the user's home
      const childEnv = { ...env, HOME: env.HOME ?? dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_CACHE_HOME: path.join(dir, 'cache'), TMPDIR: dir };
      const pdf = await run(binary, chromiumArgs(path.join(dir, 'profile'), noSandbox), childEnv, html, opts.timeoutMs ?? timeoutFor(html));
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** Starts Chromium, prints over the pipe, and leaves no process of its group behind. */
async function run(binary: string, args: string[], env: NodeJS.ProcessEnv, html: string, timeoutMs: number): Promise<Buffer> {
  // its own process group, so that a timeout ends Chromium's helpers too
  const child = spawn(binary, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => {
    stderr = (stderr + c).slice(-4000);
  });
  let startError: Error | null = null;
  const exited = new Promise<Exit>((resolve) => {
    child.on('error', (e) => {
      startError = e;
      resolve({ code: null, signal: null });
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const [toBrowser, fromBrowser] = [child.stdio[3], child.stdio[4]] as [Writable | null | undefined, Readable | null | undefined];
  if (!toBrowser || !fromBrowser) {
    // no pipes: the process did not start
    killGroup(child);
    await Promise.race([exited, delay(CLOSE_GRACE_MS)]);
    throw new Error(`无法启动 Chromium / cannot start Chromium (${binary})${startError ? `: ${(startError as Error).message}` : ''}`);
  }
  const cdp = new CdpPipe(toBrowser, fromBrowser);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const seconds = Math.round(timeoutMs / 1000);
  let printed = false;
  try {
    const outcome = await Promise.race([
      printOverPipe(cdp, html).then(
        (pdf) => ({ pdf }),
        (error: Error) => ({ error }),
      ),
      exited.then((exit) => ({ exit })),
      timedOut,
    ]);
    if (outcome === 'timeout') throw new Error(`Chromium 超时（${seconds} 秒）/ Chromium timed out after ${seconds} s`);
    if ('pdf' in outcome) {
      printed = true;
      return outcome.pdf;
    }
    // the pipe broke or the browser ended: its exit status (and last words) say more than the pipe does
    const exit = 'exit' in outcome ? outcome.exit : await Promise.race([exited, delay(2_000).then(() => null)]);
    if (startError) throw new Error(`无法启动 Chromium / cannot start Chromium (${binary}): ${(startError as Error).message}`);
    if (exit) throw failed(`${exit.signal ?? `exit ${exit.code}`}`, stderr);
    throw failed((outcome as { error: Error }).error.message, stderr);
  } finally {
    clearTimeout(timer);
    // printed: a clean close; otherwise (a hang, a crash) no waiting. Either way the group goes, and is
    // gone before its profile folder is removed
    if (printed) {
      cdp.send('Browser.close').catch(() => {});
      await Promise.race([exited, delay(CLOSE_GRACE_MS)]);
    }
    killGroup(child);
    await Promise.race([exited, delay(CLOSE_GRACE_MS)]);
    cdp.fail(new Error('closed'));
  }
}

function failed(what: string, stderr: string): Error {
  const last = stderr
    .split('\n')
    .filter((l) => l.trim() && !/dbus|bytes written|unexpected operator/i.test(l))
    .slice(-2)
    .join(' | ')
    .slice(0, 400);
  return new Error(`Chromium 打印失败 / Chromium failed (${what})${last ? `: ${last}` : ''}`);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** A blank page, its content set from memory, printed: the HTML and the PDF only ever cross the pipe. */
async function printOverPipe(cdp: CdpPipe, html: string): Promise<Buffer> {
  const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
  const page = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) => cdp.send<T>(method, params, sessionId);
  // every request of the page other than inline data (which is never intercepted) is refused here, before the network stack
  const stopRefusing = cdp.onEvent((e) => {
    if (e.sessionId === sessionId && e.method === 'Fetch.requestPaused') page('Fetch.failRequest', { requestId: e.params.requestId, errorReason: 'BlockedByClient' }).catch(() => {});
  });
  try {
    await page('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
    await page('Emulation.setScriptExecutionDisabled', { value: true });
    await page('Page.enable');
    const { frameTree } = await page<{ frameTree: { frame: { id: string } } }>('Page.getFrameTree');
    const loaded = loadAfterContent(cdp, sessionId);
    await page('Page.setDocumentContent', { frameId: frameTree.frame.id, html });
    loaded.contentSet();
    const broke = await Promise.race([loaded.done.then(() => null), cdp.failed]);
    if (broke) throw broke;
    const { data } = await page<{ data: string }>('Page.printToPDF', PRINT);
    return Buffer.from(data, 'base64');
  } finally {
    stopRefusing();
  }
}

/**
 * The page's load event for the content just set (images decoded), not the blank page's own:
 * one that comes after the content's document was opened, or after setDocumentContent answered.
 */
function loadAfterContent(cdp: CdpPipe, sessionId: string): { done: Promise<void>; contentSet: () => void } {
  let opened = false;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const stop = cdp.onEvent((e: CdpEvent) => {
    if (e.sessionId !== sessionId) return;
    if (e.method === 'Page.documentOpened') opened = true;
    else if (e.method === 'Page.loadEventFired' && opened) {
      stop();
      resolve();
    }
  });
  return {
    done,
    contentSet: () => {
      opened = true;
    },
  };
}

function killGroup(child: ChildProcess): void {
  if (!child.pid) return;
  try {
    // POSIX: the whole group; Windows has no groups here, so the browser process itself
    if (process.platform === 'win32') child.kill();
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
