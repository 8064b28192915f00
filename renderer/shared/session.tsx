/**
 * Who is signed in (session.whoami) and what their role may do. The table mirrors the core's
 * permissions (the core enforces them; this only disables buttons and says why). A button the
 * role cannot use stays visible but disabled, with the reason as its tooltip.
 */
import { createContext, useContext, useEffect, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import type { Method, Role, Whoami } from '../../preload/api.js';
import { call } from '../platform/client.js';
import { useI18n } from './i18n.js';
import type { MessageKey } from './messages.js';

const REVIEW: Role[] = ['admin', 'risk_officer', 'compliance_manager'];
const DICTIONARY: Role[] = ['admin', 'compliance_manager'];
const ADMIN: Role[] = ['admin'];
const LOG: Role[] = ['admin', 'auditor', 'compliance_manager'];

/** Methods not listed here are open to every role. */
const ALLOWED: Partial<Record<Method, Role[]>> = {
  'import.run': REVIEW,
  'people.import': REVIEW,
  'scan.run': REVIEW,
  'settings.set': ADMIN,
  'dict.preview': DICTIONARY,
  'dict.import': DICTIONARY,
  'dict.save': DICTIONARY,
  'dict.setActive': DICTIONARY,
  'rules.set': DICTIONARY,
  'review.proposalDecide': DICTIONARY,
  'review.triage': REVIEW,
  'cases.create': REVIEW,
  'cases.update': REVIEW,
  'users.add': ADMIN,
  'users.list': ADMIN,
  'users.setDisabled': ADMIN,
  'log.list': LOG,
  'log.verify': LOG,
  'pii.unmask': ['admin', 'risk_officer', 'compliance_manager'],
  // schedules.add / setEnabled / run: every role, for what it may do itself (an auditor: reports);
  // the core checks the job's kind, the branch scope and whose schedule it is
};

/** role-limited methods that only read: "read-only" would not explain why they are refused */
const READS = new Set<Method>(['users.list', 'log.list', 'log.verify', 'pii.unmask', 'dict.preview']);

export const ROLE_KEYS: Record<Role, MessageKey> = {
  admin: 'role.admin',
  compliance_manager: 'role.compliance_manager',
  risk_officer: 'role.risk_officer',
  auditor: 'role.auditor',
};

export function can(who: Whoami, method: Method): boolean {
  const roles = ALLOWED[method];
  if (!roles) return true;
  return !!who && roles.includes(who.role);
}

type Session = { who: Whoami; loaded: boolean; can(method: Method): boolean; reason(method: Method): string | undefined };
const Ctx = createContext<Session>({ who: null, loaded: false, can: () => false, reason: () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [who, setWho] = useState<Whoami>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    call('session.whoami', {})
      .then((w) => setWho(w))
      .catch(() => setWho(null))
      .finally(() => setLoaded(true));
  }, []);
  const value: Session = {
    who,
    loaded,
    can: (m) => can(who, m),
    reason: (m) => {
      // until whoami answers nothing is refused here (the core still checks every call)
      if (!loaded || can(who, m)) return undefined;
      if (!who) return t('role.denyUnknown');
      if (who.role === 'auditor' && !READS.has(m)) return t('role.denyAuditor');
      const roles = ALLOWED[m] ?? [];
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
