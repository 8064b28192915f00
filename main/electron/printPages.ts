/**
 * The pages the desktop app's print window may load, held in memory only: the evidence transcript
 * is never written to disk to be printed. Each page gets an unguessable URL on the app's own
 * `wecom-print:` scheme, served by the print session's protocol handler while it is being printed
 * and forgotten after. No Electron import here, so the rules can be tested without the binary.
 */
import crypto from 'node:crypto';

export const PRINT_SCHEME = 'wecom-print';
const PAGE_URL = new RegExp(`^${PRINT_SCHEME}://([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?$`);
/** the transcript's own CSP again, as a header: nothing but inline styles and inline images */
const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

export class PrintPages {
  private readonly pages = new Map<string, string>();

  /** Holds `html` until `release` is called; `url` is what the print window loads. */
  add(html: string): { url: string; release: () => void } {
    const id = crypto.randomUUID();
    this.pages.set(id, html);
    return { url: `${PRINT_SCHEME}://${id}/`, release: () => void this.pages.delete(id) };
  }

  get size(): number {
    return this.pages.size;
  }

  private idOf(url: string): string | null {
    const id = PAGE_URL.exec(url)?.[1];
    return id && this.pages.has(id) ? id : null;
  }

  /** The print session's request filter: inline data, and the pages being printed right now; nothing else. */
  isAllowed(url: string): boolean {
    return url.startsWith('data:') || this.idOf(url) !== null;
  }

  /** The `wecom-print:` protocol handler: a page being printed, or 404. */
  respond(request: { url: string; method: string }): Response {
    const id = this.idOf(request.url);
    if (!id || request.method !== 'GET') return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    return new Response(this.pages.get(id)!, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CSP } });
  }
}
