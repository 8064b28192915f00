/** Where the app keeps its data on each OS, shared by the CLI and the desktop window. */
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'wecom-audit';

export function defaultDataDir(): string {
  if (process.env.WECOM_AUDIT_HOME) return process.env.WECOM_AUDIT_HOME;
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), APP_DIR_NAME);
}

export function defaultDbPath(): string {
  return path.join(defaultDataDir(), 'store.db');
}
