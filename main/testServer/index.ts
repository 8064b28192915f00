/**
 * The loopback test server: the renderer in a plain browser, against the real core.
 *
 * - node:http on 127.0.0.1, a random port (listen(0)) and a random per-run token.
 * - `POST /api/<method>` with header `x-wecom-token` and a JSON body → dispatch() → JSON Result.
 * - `GET /api/events?token=…` → Server-Sent Events of the Session's events (name + JSON payload).
 * - Everything else: the built renderer from dist/renderer, with a strict CSP header.
 * - Requests without the token get 401; any Host other than 127.0.0.1:<port> gets 421 (a
 *   DNS-rebinding guard); a cross-origin Origin on an API call gets 403.
 *
 * It is a development and test host only, never packaged into the app.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ApiError, Result } from '../../preload/api.js';
import { Session } from '../core/api/context.js';
import { dispatch } from '../core/api/dispatch.js';
import { chromiumPrinter } from '../core/report/chromium.js';

export type TestServerOptions = {
  /** folder for the default store (defaultDbPath = <dataDir>/store.db); default: a fresh temp folder */
  dataDir?: string;
  /** bundled samples; default <cwd>/resources/samples */
  samplesDir?: string;
  /** the built renderer; default: dist/renderer found next to this file or under <cwd> */
  rendererDir?: string;
};

export type TestServer = { url: string; token: string; port: number; session: Session; close(): Promise<void> };

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MAX_BODY = 16 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function findRendererDir(): string {
  const here = import.meta.dirname;
  const candidates = [
    path.resolve(here, '../renderer'), // dist/testServer/index.js → dist/renderer
    path.resolve(here, '../../dist/renderer'), // main/testServer/index.ts (tsx) → dist/renderer
    path.resolve(process.cwd(), 'dist/renderer'),
  ];
  return candidates.find((c) => fs.existsSync(path.join(c, 'index.html'))) ?? candidates[candidates.length - 1]!;
}

function readVersion(): string {
  for (const dir of [process.cwd(), path.resolve(import.meta.dirname, '../..')]) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
    } catch {
      /* try the next */
    }
  }
  return '0.0.0';
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function failure(code: ApiError['code'], messageZh: string, messageEn: string): Result<never> {
  return { ok: false, error: { code, message: `${messageZh} / ${messageEn}`, messageZh, messageEn } };
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-testserver-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const samplesDir = path.resolve(opts.samplesDir ?? path.join(process.cwd(), 'resources', 'samples'));
  const rendererDir = path.resolve(opts.rendererDir ?? findRendererDir());
  const token = crypto.randomBytes(24).toString('base64url');
  const session = new Session({
    version: readVersion(),
    defaultDbPath: path.join(dataDir, 'store.db'),
    samplesDir,
    nativeDialogs: false,
    defaultDictionary: path.resolve(path.join(samplesDir, '..', 'dictionaries', 'default.json')),
    printPdf: chromiumPrinter(),
  });

  const streams = new Set<http.ServerResponse>();
  const unsubscribe = session.onEvent((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });
  const keepAlive = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();

  let port = 0;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, failure('internal', `内部错误：${String(e)}`, `Internal error: ${String(e)}`));
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS-rebinding guard: a page on another name that resolves to 127.0.0.1 sends its own Host.
    if (req.headers.host !== `127.0.0.1:${port}`) {
      send(res, 421, 'Misdirected request: wrong Host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}`) {
      send(res, 403, 'Forbidden: cross-origin request');
      return;
    }

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return send(res, 405, 'Method not allowed');
      if (!tokenMatches(url.searchParams.get('token'), token)) return send(res, 401, 'Unauthorized');
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(req.headers['x-wecom-token'] as string | undefined, token)) {
        sendJson(res, 401, failure('forbidden', '缺少或错误的访问令牌', 'Missing or wrong access token'));
        return;
      }
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed');
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      let body: unknown = {};
      try {
        const text = await readBody(req);
        body = text.trim() ? JSON.parse(text) : {};
      } catch (e) {
        sendJson(res, 400, failure('usage', `请求体不是有效的 JSON：${(e as Error).message}`, `The request body is not valid JSON: ${(e as Error).message}`));
        return;
      }
      const result = await dispatch(method, body, session);
      sendJson(res, 200, result);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    // The page itself needs the token (it arrives as ?token=…); its scripts and styles carry no data.
    let rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (rel === 'index.html' && !tokenMatches(url.searchParams.get('token'), token)) {
      return send(res, 401, 'Unauthorized: open the URL printed by the test server (it carries ?token=…)');
    }
    rel = path.normalize(rel);
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep)) return send(res, 404, 'Not found');
    let data: Buffer;
    try {
      data = await fs.promises.readFile(file);
    } catch {
      if (rel === 'index.html') return send(res, 503, `Renderer not built: run \`npm run build\` (looked in ${rendererDir})`);
      return send(res, 404, 'Not found');
    }
    send(res, 200, data, MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let closed = false;
  return {
    url,
    token,
    port,
    session,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(keepAlive);
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      session.importAbort?.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      session.close();
    },
  };
}

async function runAsScript(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, 'samples-dir': { type: 'string' }, 'renderer-dir': { type: 'string' } },
    strict: true,
  });
  const srv = await startTestServer({
    ...(values['data-dir'] !== undefined && { dataDir: path.resolve(values['data-dir']) }),
    ...(values['samples-dir'] !== undefined && { samplesDir: values['samples-dir'] }),
    ...(values['renderer-dir'] !== undefined && { rendererDir: values['renderer-dir'] }),
  });
  process.stdout.write(`${srv.url}/?token=${srv.token}\n`);
  process.stderr.write(`测试服务器已启动（仅限本机），按 Ctrl+C 结束 / test server running on loopback only; Ctrl+C to stop\n`);
  const stop = () => {
    void srv.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(fs.realpathSync(entry)).href) {
  runAsScript().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
