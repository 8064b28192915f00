/**
 * What a handler may use besides its input: the open store, the host's configuration and a
 * way to emit events. Each host (Electron, CLI, test server) makes one Session.
 */
import type { EventName, Events } from '../../../preload/api.js';
import type { Store } from '../store/index.js';
import { CoreError } from './errors.js';

export type HostConfig = {
  version: string;
  defaultDbPath: string;
  samplesDir: string;
  nativeDialogs: boolean;
  /** the bundled default dictionary (resources/dictionaries/default.json), installed on first scan */
  defaultDictionary?: string;
  /** run schedules (node-cron) while a store is open: the desktop app only, never the CLI */
  runSchedules?: boolean;
  /** host-provided native dialogs (Electron only); core handlers never open windows */
  pickPaths?: (kind: 'files' | 'folder' | 'saveFile', title?: string) => Promise<string[]>;
  /**
   * Prints a self-contained HTML page (no script, no external request) to an A4 PDF: Electron's
   * printToPDF in the desktop app, headless Chromium for the CLI and test server. Absent where the
   * host cannot print; throws with a reason a person can read when printing fails.
   */
  printPdf?: (html: string) => Promise<Uint8Array>;
};

export type Actor = { user: string; role: 'admin' | 'compliance_manager' | 'risk_officer' | 'auditor'; branch: string };

export class Session {
  store: Store | null = null;
  /** who is acting, with role and branch scope, from the users table at unlock */
  actor: Actor | null = null;
  importAbort: AbortController | null = null;
  private listeners = new Set<(event: EventName, payload: unknown) => void>();

  constructor(readonly config: HostConfig) {}

  requireStore(): Store {
    if (!this.store) throw new CoreError('locked', '存储库未打开：请先创建或解锁', 'No store is open: create or unlock one first');
    return this.store;
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners) l(event, payload);
  }

  onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** the running schedules, when the host runs them */
  scheduler: { restart(list: unknown[]): void; stop(): void } | null = null;

  close(): void {
    this.scheduler?.stop();
    this.importAbort?.abort();
    this.store?.close();
    this.store = null;
    this.actor = null;
  }
}
