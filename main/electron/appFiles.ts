/**
 * Which URLs the app window may load: its own packaged renderer files, and the page's own
 * in-memory data: and blob: URLs (images, voice and video it builds itself). Everything else is
 * refused: any http(s), ws, ftp, other schemes, UNC hosts, and every file:// path outside the
 * renderer folder — another folder of the app, the user's disk, the archive's media. No Electron
 * import here, so the rule is tested without the binary (test/unit/electron-host.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Real path, or null when it does not exist (a file that is not there is never "ours"). */
function realPath(p: string): string | null {
  try {
    // Electron's fs resolves paths inside app.asar too; in plain Node this resolves symlinks
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/**
 * True when `url` is a file:// URL of an existing file inside `appDir` after resolving `..`,
 * percent-encoding and symlinks on both sides. Query and fragment are ignored (the renderer may
 * add a #hash); a host (file://server/share, a UNC path on Windows) is refused.
 */
export function isAppFile(url: string, appDir: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  parsed.search = '';
  parsed.hash = '';
  let file: string;
  try {
    // throws on an encoded path separator (%2F, %5C) or a non-absolute path
    file = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const root = realPath(path.resolve(appDir));
  const target = realPath(path.resolve(file));
  if (!root || !target) return false;
  const rel = path.relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** The app window's request filter: its own renderer files and its in-page data:/blob: URLs. */
export function requestAllowed(url: string, rendererDir: string): boolean {
  if (url.startsWith('data:')) return true;
  // blob: URLs name objects the page made itself in memory (a file:// page's blob origin is opaque:
  // blob:null/…); they never reach the disk or the network
  if (url.startsWith('blob:')) return true;
  return isAppFile(url, rendererDir);
}
