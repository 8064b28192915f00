/**
 * Every host's single entry into the core: check the name, validate the input against the
 * contract, run the handler, and return a Result; nothing is thrown across a host boundary.
 */
import { contract, isMethod, type ApiError, type Result } from '../../../preload/api.js';
import type { Session } from './context.js';
import { CoreError, toApiError } from './errors.js';
import { handlers } from './handlers.js';

export async function dispatch(name: string, raw: unknown, session: Session): Promise<Result<unknown>> {
  if (!isMethod(name)) {
    return { ok: false, error: new CoreError('usage', `未知的方法：${name}`, `Unknown method: ${name}`).toApiError() };
  }
  const spec = contract[name];
  const parsed = spec.input.safeParse(raw ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    return { ok: false, error: new CoreError('usage', `参数无效：${detail}`, `Invalid input: ${detail}`).toApiError() };
  }
  try {
    if (spec.needsStore) session.requireStore();
    const handler = handlers[name] as (i: unknown, s: Session) => unknown;
    const value = await handler(parsed.data, session);
    return { ok: true, value };
  } catch (e) {
    const error: ApiError = toApiError(e);
    return { ok: false, error };
  }
}
