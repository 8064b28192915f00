/** Small building blocks shared by the screens. */
import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../../preload/api.js';
import { basename, dirname, formatCount } from './format.js';
import { useI18n } from './i18n.js';
import { typeLabel } from './msgTypes.js';

/** An error from the core (or a form check), always in both languages, current one first. */
export function ErrorAlert({ error, onClose }: { error: ApiError | null; onClose?: () => void }) {
  const { lang, t } = useI18n();
  if (!error) return null;
  const lines = lang === 'zh' ? [error.messageZh, error.messageEn] : [error.messageEn, error.messageZh];
  return (
    <div className="alert alert-error" role="alert" data-testid="error-alert">
      <div className="alert-body">
        <strong className="alert-title">{t('error.title')}</strong>
        <p className="alert-primary">{lines[0]}</p>
        <p className="alert-secondary">{lines[1]}</p>
        <p className="alert-code">
          {t('error.code')}: <code>{error.code}</code>
        </p>
      </div>
      {onClose && (
        <button type="button" className="alert-close" onClick={onClose} aria-label="×">
          ×
        </button>
      )}
    </div>
  );
}

export function Card({ title, actions, children, className, testId }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`card ${className ?? ''}`} data-testid={testId}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2 className="card-title">{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}

/**
 * A number (or a short text such as a time) with its label. With onClick the tile is a button
 * that opens what it counts.
 */
export function StatTile({ label, value, text, detail, tone, testId, onClick, title }: { label: string; value: number; text?: string; detail?: ReactNode; tone?: 'warn' | 'ok' | 'muted' | 'danger'; testId?: string; onClick?: () => void; title?: string }) {
  const { lang } = useI18n();
  const body = (
    <>
      <div className="tile-label">{label}</div>
      <div className={`tile-value ${text !== undefined ? 'tile-text' : ''}`} data-testid={testId} data-value={value}>
        {text ?? formatCount(value, lang)}
      </div>
      {detail && <div className="tile-detail">{detail}</div>}
    </>
  );
  const cls = `tile ${tone ? `tile-${tone}` : ''}`;
  return onClick ? (
    <button type="button" className={`${cls} tile-link`} onClick={onClick} title={title} data-testid={testId && `${testId}-open`}>
      {body}
    </button>
  ) : (
    <div className={cls} title={title}>
      {body}
    </div>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.floor(pct)}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

/** Message counts by type, with the Chinese (or English) label, the raw key and a share bar. */
export function TypeTable({ byType, testId }: { byType: Record<string, number>; testId?: string }) {
  const { lang, t } = useI18n();
  const rows = Object.entries(byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = rows.reduce((s, [, n]) => s + n, 0);
  return (
    <table className="table table-types" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('common.type')}</th>
          <th>{t('common.code')}</th>
          <th className="num">{t('common.count')}</th>
          <th className="share-col">{t('common.share')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([type, n]) => (
          <tr key={type}>
            <td>{typeLabel(type, lang)}</td>
            <td>
              <code className="code-key">{type}</code>
            </td>
            <td className="num">{formatCount(n, lang)}</td>
            <td className="share-col">
              <span className="share-bar">
                <span className="share-fill" style={{ width: `${total ? (n / total) * 100 : 0}%` }} />
              </span>
              <span className="share-pct">{total ? ((n / total) * 100).toFixed(1) : '0.0'}%</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** file / line / reason rows (file errors of an import, or the quarantine). */
export function ProblemTable({ rows, testId }: { rows: { file: string; line: number; reason: string }[]; testId?: string }) {
  const { t } = useI18n();
  return (
    <table className="table table-problems" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('common.file')}</th>
          <th className="num">{t('common.line')}</th>
          <th>{t('common.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.file}:${r.line}:${i}`}>
            <td className="path-cell" title={r.file}>
              <span className="path-name">{basename(r.file)}</span>
              {dirname(r.file) && <span className="path-dir">{dirname(r.file)}</span>}
            </td>
            <td className="num">{r.line > 0 ? r.line : '—'}</td>
            <td className="reason-cell">{r.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Asks before an action that cannot be taken back from the window (a deletion). In the page, not
 * window.confirm: the strict CSP window keeps one look and language, and tests can read it.
 * Cancel has the focus, Escape cancels.
 */
export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onCancel, busy, testId }: { title: string; message: string; confirmLabel: string; onConfirm: () => void; onCancel: () => void; busy?: boolean; testId?: string }) {
  const { t } = useI18n();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-message" data-testid={testId}>
        <h2 id="confirm-title" className="dialog-title">
          {title}
        </h2>
        <p id="confirm-message">{message}</p>
        <div className="button-row dialog-actions">
          <button ref={cancel} type="button" className="btn" onClick={onCancel} data-testid="confirm-cancel">
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={onConfirm} data-testid="confirm-ok">
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
