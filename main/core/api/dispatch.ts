/**
 * Every host's single entry into the core: check the name, validate the input against the
 * contract, run the handler, and return a Result; nothing is thrown across a host boundary.
 */
import { contract, isMethod, type ApiError, type Method, type Result } from '../../../preload/api.js';
import { appendAudit } from '../review/audit.js';
import { AUDITED_READS, PERMISSIONS } from '../review/permissions.js';
import { withinScope } from '../review/scope.js';
import type { Actor, Session } from './context.js';
import { CoreError, toApiError } from './errors.js';
import { handlers } from './handlers.js';

export async function dispatch(name: string, raw: unknown, session: Session): Promise<Result<unknown>> {
  if (!isMethod(name)) {
    return { ok: false, error: new CoreError('usage', `未知的方法：${name}`, `Unknown method: ${name}`).toApiError() };
  }
  const spec = contract[name];
  // who may call it comes before what they sent: a forbidden call is refused as forbidden, whatever its input
  try {
    if (spec.needsStore) session.requireStore();
    authorizeRole(name, session);
  } catch (e) {
    return { ok: false, error: refused(name, e, raw, session) };
  }
  const parsed = spec.input.safeParse(raw ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    return { ok: false, error: new CoreError('usage', `参数无效：${detail}`, `Invalid input: ${detail}`).toApiError() };
  }
  try {
    const input = applyScope(name, parsed.data as Record<string, unknown>, session);
    const handler = handlers[name] as (i: unknown, s: Session) => unknown;
    const value = await handler(input, session);
    // the one place that writes the audit log: every change, and every read that shows content
    if (session.store && session.actor && (spec.kind === 'write' || AUDITED_READS.has(name)) && name !== 'store.create') {
      appendAudit(session.store.db, session.store.dbPath, session.actor.user, name, targetOf(input), redact(input));
    }
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: refused(name, e, parsed.data, session) };
  }
}

/** The error to return; a refusal for lack of rights is written to the audit log as denied. */
function refused(name: Method, e: unknown, input: unknown, session: Session): ApiError {
  const error: ApiError = toApiError(e);
  if (error.code === 'forbidden' && session.store?.db.open && session.actor) {
    appendAudit(session.store.db, session.store.dbPath, session.actor.user, `denied:${name}`, targetOf(input), redact(input));
  }
  return error;
}

const ROLE_ZH: Record<string, string> = { admin: '管理员', compliance_manager: '合规经理', risk_officer: '风险经理', auditor: '审计' };

/** The role check: needs nothing of the input. */
function authorizeRole(name: Method, session: Session): void {
  const allowed = PERMISSIONS[name];
  if (allowed === 'open' || !session.store) return;
  // a host that set the store directly (tests, tools) acts as the store's user
  if (!session.actor) {
    const row = session.store.db.prepare('SELECT user, role, branch, disabled FROM users WHERE user = ?').get(session.store.user) as (Actor & { disabled: number }) | undefined;
    if (row && !row.disabled) session.actor = { user: row.user, role: row.role, branch: row.branch };
  }
  const actor = session.actor;
  if (!actor || !allowed.includes(actor.role)) {
    const role = actor ? ROLE_ZH[actor.role] : '未登录';
    throw new CoreError('forbidden', `无权操作：${role}不能执行 ${name}`, `Not permitted: the ${actor?.role ?? 'anonymous'} role cannot ${name}`);
  }
}

/** The branch scope, once the input is known: a scoped user's lists are limited to their branch. */
function applyScope(name: Method, input: Record<string, unknown>, session: Session): Record<string, unknown> {
  const actor = session.actor;
  if (PERMISSIONS[name] === 'open' || !session.store || !actor?.branch || !BRANCH_SCOPED.has(name)) return input;
  const asked = input.branch;
  if (asked === undefined || asked === '') return { ...input, branch: actor.branch };
  if (!withinScope(session.store.db, String(asked), actor.branch)) {
    throw new CoreError('forbidden', `无权查看 ${String(asked)}：您的范围是 ${actor.branch}`, `Not permitted to see ${String(asked)}: your scope is ${actor.branch}`);
  }
  return input;
}

const BRANCH_SCOPED = new Set<Method>(['search.query', 'hits.list', 'conversations.list', 'people.list', 'dashboard.get']);

function targetOf(input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  for (const k of ['hits', 'hit', 'id', 'conversation', 'msgid', 'user', 'q', 'name', 'file', 'out', 'sha256', 'paths', 'rule']) {
    if (i[k] !== undefined) return `${k}=${Array.isArray(i[k]) ? (i[k] as unknown[]).join(',') : String(i[k])}`.slice(0, 500);
  }
  return '';
}

/** Inputs as logged: never a password or a recovery key. */
function redact(input: unknown): unknown {
  if (!input || typeof input !== 'object') return input;
  return Object.fromEntries(Object.entries(input as Record<string, unknown>).map(([k, v]) => [k, /pass|recovery|secret/i.test(k) ? '***' : Array.isArray(v) && v.length > 50 ? `[${v.length} items]` : v]));
}
