/**
 * Who may call what. Every method of the contract is listed (tsc checks it), so a new method
 * cannot slip in unguarded. Reads that show message content are audited like changes.
 */
import type { Method } from '../../../preload/api.js';
import type { Role } from './users.js';

const ANY: Role[] = ['admin', 'compliance_manager', 'risk_officer', 'auditor'];
const CHANGE_ARCHIVE: Role[] = ['admin', 'risk_officer', 'compliance_manager'];
const DICTIONARY: Role[] = ['admin', 'compliance_manager'];
const REVIEW: Role[] = ['admin', 'risk_officer', 'compliance_manager'];
const ADMIN: Role[] = ['admin'];

export const PERMISSIONS: Record<Method, Role[] | 'open'> = {
  'app.info': 'open',
  'store.create': 'open',
  'store.unlock': 'open',
  'store.lock': 'open',
  'store.stats': ANY,
  // who oversees integrity, as for log.verify: it shows no message content, only page numbers and audit findings
  'store.check': ['admin', 'auditor', 'compliance_manager'],
  'import.run': CHANGE_ARCHIVE,
  'import.cancel': 'open',
  'import.quarantine': ANY,
  'messages.list': ANY,
  'shell.pickPaths': 'open',
  'people.import': CHANGE_ARCHIVE,
  'search.query': ANY,
  'search.index': CHANGE_ARCHIVE,
  'conversations.list': ANY,
  'conversations.messages': ANY,
  'conversations.locate': ANY,
  'media.get': ANY,
  'media.audio': ANY,
  'people.list': ANY,
  'people.branches': ANY,
  'settings.get': ANY,
  'settings.set': ADMIN,
  'detect.text': 'open',
  'scan.run': [...CHANGE_ARCHIVE],
  'scan.status': ANY,
  'hits.list': ANY,
  'dict.list': ANY,
  'dict.entries': ANY,
  'dict.versions': ANY,
  'dict.diff': ANY,
  'dict.preview': DICTIONARY,
  'dict.import': DICTIONARY,
  'dict.save': DICTIONARY,
  'dict.export': ANY,
  'dict.setActive': DICTIONARY,
  'rules.list': ANY,
  'rules.set': DICTIONARY,
  'users.add': ADMIN,
  'signing.rotate': ADMIN,
  'users.list': ADMIN,
  'users.setDisabled': ADMIN,
  'users.changePassword': 'open',
  'users.resetPassword': ADMIN,
  // no one is signed in: holding the recovery key is the proof (main/core/review/users.ts recoverWithKey)
  'users.recover': 'open',
  'key.recoveryCreate': ADMIN,
  'key.status': ANY,
  'key.export': ADMIN,
  'session.whoami': 'open',
  'session.permissions': 'open',
  'review.triage': REVIEW,
  'review.history': ANY,
  'review.proposals': ANY,
  'review.proposalDecide': DICTIONARY,
  'cases.create': REVIEW,
  'cases.list': ANY,
  'cases.get': ANY,
  'cases.update': REVIEW,
  'log.list': ['admin', 'auditor', 'compliance_manager'],
  'log.verify': ['admin', 'auditor', 'compliance_manager'],
  'pii.unmask': ['admin', 'risk_officer', 'compliance_manager'],
  'evidence.create': ANY,
  'evidence.verify': 'open',
  'report.create': ANY,
  'dashboard.get': ANY,
  'schedules.list': ANY,
  // every role may schedule what it may do itself (an auditor: reports); the scheduler checks the
  // job's own permission, the branch scope, and whose schedule it is (main/core/scheduler)
  'schedules.add': ANY,
  'schedules.setEnabled': ANY,
  'schedules.update': ANY,
  'schedules.remove': ANY,
  'schedules.run': ANY,
  'schedules.runs': ANY,
};

/** Reads that show message content or personal data: written to the audit log like changes. */
export const AUDITED_READS = new Set<Method>([
  'messages.list', 'conversations.messages', 'search.query', 'hits.list', 'media.get', 'media.audio', 'people.list', 'import.quarantine', 'dict.export', 'cases.get', 'log.list', 'pii.unmask', 'key.export',
]);

export const ROLE_ZH: Record<Role, string> = { admin: '管理员', compliance_manager: '合规经理', risk_officer: '风险经理', auditor: '审计' };
