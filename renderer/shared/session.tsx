/**
 * Who is signed in (session.whoami) and what their role may do, from the core's own permission
 * table (session.permissions: no copy here to drift). The core enforces it; this only disables
 * buttons and says why. A button the role cannot use stays visible but disabled, with the reason
 * as its tooltip. Finer checks (branch scope, whose schedule) stay with the core.
 */
import { createContext, useContext, useEffect, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import type { Method, Role, Whoami } from '../../preload/api.js';
import { call } from '../platform/client.js';
import { useI18n } from './i18n.js';
import type { MessageKey } from './messages.js';

/** role-limited methods that only read: "read-only" would not explain why they are refused */
const READS = new Set<Method>(['users.list', 'log.list', 'log.verify', 'pii.unmask', 'dict.preview']);

export const ROLE_KEYS: Record<Role, MessageKey> = {
  admin: 'role.admin',
  compliance_manager: 'role.compliance_manager',
  risk_officer: 'role.risk_officer',
  auditor: 'role.auditor',
};

type Table = Partial<Record<Method, Role[] | 'open'>>;

function allowed(table: Table | null, who: Whoami, method: Method): boolean {
  const roles = table?.[method];
  if (!table || !roles || roles === 'open') return true; // not known yet: the core still checks every call
  return !!who && roles.includes(who.role);
}

type Session = { who: Whoami; loaded: boolean; can(method: Method): boolean; reason(method: Method): string | undefined };
const Ctx = createContext<Session>({ who: null, loaded: false, can: () => false, reason: () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [who, setWho] = useState<Whoami>(null);
  const [table, setTable] = useState<Table | null>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    Promise.all([call('session.whoami', {}).catch(() => null), call('session.permissions', {}).catch(() => null)])
      .then(([w, p]) => {
        setWho(w);
        setTable(p);
      })
      .finally(() => setLoaded(true));
  }, []);
  const value: Session = {
    who,
    loaded,
    can: (m) => allowed(table, who, m),
    reason: (m) => {
      // until whoami answers nothing is refused here (the core still checks every call)
      if (!loaded || allowed(table, who, m)) return undefined;
      if (!who) return t('role.denyUnknown');
      if (who.role === 'auditor' && !READS.has(m)) return t('role.denyAuditor');
      const entry = table?.[m];
      const roles = Array.isArray(entry) ? entry : [];
      return t('role.denyNeeds', { roles: roles.map((r) => t(ROLE_KEYS[r])).join(t('role.or')) });
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  return useContext(Ctx);
}

/** A button tied to a method: disabled with the reason as tooltip when the role may not call it. */
export function GuardButton({ method, disabled, title, children, ...rest }: { method: Method } & ButtonHTMLAttributes<HTMLButtonElement>) {
  const s = useSession();
  const reason = s.reason(method);
  return (
    <button type="button" {...rest} disabled={disabled || !!reason} title={reason ?? title} data-denied={reason ? 'true' : undefined} aria-description={reason}>
      {children}
    </button>
  );
}
