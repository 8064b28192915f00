/**
 * HostConfig.printPdf for the hosts without a browser of their own (CLI, test server): the
 * system's Chromium, headless, as a child process. No npm dependency and no download: Debian's
 * `chromium` package (scripts/setup.sh), or the binary named by CHROMIUM_PATH.
 *
 * The page is the evidence transcript, built from untrusted archive content; it is escaped and
 * its CSP forbids every script and request, and Chromium adds its own walls: a private profile
 * that is thrown away, every host name resolving to nothing (IP literals included), no
 * extensions, sync, component updates or background networking, and a time limit after which the
 * whole process group is killed. (Chromium's scriptEnabled=false blink setting would also stop
 * --print-to-pdf, so the CSP is what keeps scripts out.) The core never calls this on its own:
 * only a host injects it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
/** a minute, and a second more for every 50 KB of page (a case of thousands of messages), at most ten */
const timeoutFor = (html: string) => Math.min(60_000 + Math.floor(html.length / 50), 600_000);

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
export function chromiumArgs(profile: string, pdf: string, url: string, noSandbox: boolean): string[] {
  return [
    '--headless',
    ...(noSandbox ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--no-pdf-header-footer',
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
    `--print-to-pdf=${pdf}`,
    url,
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
    const dir = fs.mkdtempSync(path.join(opts.tmpDir ?? os.tmpdir(), 'wecom-pdf-'));
    try {
      fs.chmodSync(dir, 0o700);
      const page = path.join(dir, 'transcript.html');
      const out = path.join(dir, 'transcript.pdf');
      fs.writeFileSync(page, html, { mode: 0o600 });
      // Chromium refuses to start its sandbox as root; elsewhere it keeps it
      const noSandbox = process.getuid?.() === 0 || env.WECOM_CHROMIUM_NO_SANDBOX === '1';
      const args = chromiumArgs(path.join(dir, 'profile'), out, pathToFileURL(page).href, noSandbox);
      // its config (crash reports included) goes to the temp folder too, not the user's home
      await run(binary, args, { ...env, HOME: env.HOME ?? dir, XDG_CONFIG_HOME: path.join(dir, 'config') }, opts.timeoutMs ?? timeoutFor(html));
      let pdf: Buffer;
      try {
        pdf = fs.readFileSync(out);
      } catch {
        throw new Error('Chromium 没有生成 PDF / Chromium wrote no PDF');
      }
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // its own process group, so that a timeout ends Chromium's helpers too
    const child = spawn(binary, args, { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      stderr = (stderr + c).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`无法启动 Chromium / cannot start Chromium (${binary}): ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // helpers left behind by a crash go with the group
      if (process.platform !== 'win32') killGroup(child);
      if (timedOut) return reject(new Error(`Chromium 超时（${Math.round(timeoutMs / 1000)} 秒）/ Chromium timed out after ${Math.round(timeoutMs / 1000)} s`));
      if (code === 0) return resolve();
      const last = stderr
        .split('\n')
        .filter((l) => l.trim() && !/dbus|bytes written/i.test(l))
        .slice(-2)
        .join(' | ')
        .slice(0, 400);
      reject(new Error(`Chromium 打印失败 / Chromium failed (${signal ?? `exit ${code}`})${last ? `: ${last}` : ''}`));
    });
  });
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
