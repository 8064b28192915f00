/**
 * Shared pieces of the review screens: labels for categories, severities and statuses, the hit
 * text with its match highlighted (PII masked unless revealed), and a path field.
 */
import type { HitRow } from '../../preload/api.js';
import type { Lang } from './i18n.js';
import { useDirectory } from './directory.js';
import { useI18n } from './i18n.js';
import type { MessageKey } from './messages.js';

export const CATEGORIES = ['guarantee', 'diversion', 'private_transfer', 'off_book', 'pii', 'complaint', 'gift', 'behaviour'] as const;
const CATEGORY_LABEL: Record<string, [string, string]> = {
  guarantee: ['承诺保本保收益', 'Guaranteed principal or returns'],
  diversion: ['引流私下沟通', 'Moving the talk off-channel'],
  private_transfer: ['私人账户收款', 'Payment to a private account'],
  off_book: ['飞单私售', 'Off-book product sales'],
  pii: ['客户个人信息', 'Customer personal data'],
  complaint: ['投诉与监管', 'Complaints and regulators'],
  gift: ['违规返利馈赠', 'Improper rebates and gifts'],
  behaviour: ['行为规则', 'Behaviour rules'],
};
export function categoryLabel(c: string, lang: Lang): string {
  const l = CATEGORY_LABEL[c];
  return l ? (lang === 'zh' ? l[0] : l[1]) : c;
}

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export const SEVERITY_KEYS: Record<string, MessageKey> = { high: 'sev.high', medium: 'sev.medium', low: 'sev.low' };
export const STATUSES = ['new', 'confirmed', 'dismissed', 'escalated'] as const;
export const STATUS_KEYS: Record<string, MessageKey> = { new: 'status.new', confirmed: 'status.confirmed', dismissed: 'status.dismissed', escalated: 'status.escalated' };
export const DISMISS_REASONS = ['误报：否定或合规披露语境', '误报：非业务语境', '误报：词条过宽', '已核实无违规', '已整改', '其他'] as const;
const REASON_EN: Record<string, string> = {
  '误报：否定或合规披露语境': 'False alarm: negated or compliant disclosure',
  '误报：非业务语境': 'False alarm: not a business context',
  '误报：词条过宽': 'False alarm: the entry is too broad',
  已核实无违规: 'Checked: no violation',
  已整改: 'Remedied',
  其他: 'Other',
};
export function reasonLabel(r: string, lang: Lang): string {
  return lang === 'zh' ? r : (REASON_EN[r] ?? r);
}

export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useI18n();
  const key = SEVERITY_KEYS[severity];
  return <span className={`sev sev-${severity}`}>{key ? t(key) : severity}</span>;
}
export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = STATUS_KEYS[status];
  return (
    <span className={`st st-${status}`} data-testid="hit-status" data-status={status}>
      {key ? t(key) : status}
    </span>
  );
}

/** The masked form of a PII match, as the core masks it for auditors (idempotent on masked text). */
export function maskPii(rule: string, match: string): string {
  const digits = match.replace(/[^0-9Xx]/g, '');
  if (rule === 'pii.id_number') return `${digits.slice(0, 6)}********${digits.slice(-4)}`;
  if (rule === 'pii.bank_card') return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
  if (rule === 'pii.mobile') return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return '*'.repeat(match.length);
}

export function isPiiNumber(hit: { category: string; rule: string; start: number; end: number }): boolean {
  return hit.category === 'pii' && hit.rule.startsWith('pii.') && hit.start !== hit.end;
}

/** Long digit runs elsewhere in a shown text (phone, card and ID numbers): first 3 and last 4 kept. */
export function maskDigits(text: string): string {
  return text.replace(/\d(?:[ -]?\d){10,18}[Xx]?/g, (m) => {
    const d = m.replace(/[ -]/g, '');
    return `${d.slice(0, 3)}${'*'.repeat(Math.max(4, d.length - 7))}${d.slice(-4)}`;
  });
}

/**
 * The message text with the hit's [start, end) marked. A PII match is masked unless `revealed`
 * holds its unmasked form; other long numbers in the text are masked too. Behaviour hits
 * (start = end) show their description instead of a mark.
 */
export function HitText({ hit, revealed }: { hit: HitRow; revealed?: string | null }) {
  const { t } = useI18n();
  const dir = useDirectory();
  const behaviour = hit.start === hit.end;
  if (behaviour) {
    // behaviour descriptions name people by id: show the name where the roster or contact list has one
    const desc = hit.match.replace(/\b(w[mob][A-Za-z0-9_-]{8,}|[a-z][a-z0-9_.]{2,31})\b/g, (id) => {
      const name = dir.nameOf(id);
      return name !== id ? name : id;
    });
    return (
      <div className="hit-text" data-testid="hit-text">
        <span className="behaviour-desc" data-testid="hit-behaviour" title={hit.match}>
          {desc}
        </span>
        {hit.text && <span className="hit-text-body muted"> · {maskDigits(hit.text)}</span>}
      </div>
    );
  }
  const start = Math.max(0, Math.min(hit.start, hit.text.length));
  const end = Math.max(start, Math.min(hit.end, hit.text.length));
  const raw = hit.text.slice(start, end);
  // personal numbers found by the PII detectors (pii.*); dictionary entries of the pii category are words like 客户名单
  const isPii = isPiiNumber(hit);
  const shown = isPii ? (revealed ?? maskPii(hit.rule, raw)) : raw;
  return (
    <div className="hit-text" data-testid="hit-text">
      {maskDigits(hit.text.slice(0, start))}
      <mark data-testid="hit-mark" data-masked={isPii && !revealed ? 'true' : undefined} title={isPii && !revealed ? t('hits.maskedTip') : hit.rule}>
        {shown}
      </mark>
      {maskDigits(hit.text.slice(end))}
    </div>
  );
}
