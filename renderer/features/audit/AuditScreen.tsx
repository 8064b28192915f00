/**
 * 审计日志: the audit log (log.list) with filters, newest first, its hash chain checked on demand
 * (log.verify), and the rows shown saved as CSV (a download made in the page; cells that a
 * spreadsheet would run as formulas are neutralised, preload/csv.ts).
 */
import { useEffect, useState } from 'react';
import type { ApiError, AuditRow, AuditVerify, In } from '../../../preload/api.js';
import { csvCell } from '../../../preload/csv.js';
import { call, errorOf } from '../../platform/client.js';
import { Card, ErrorAlert } from '../../shared/components.js';
import { DAY_MS, beijingMidnight, beijingTime, formatCount } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import { PathField } from '../../shared/pathField.js';
import { GuardButton, useSession } from '../../shared/session.js';

const LIMIT = 2000;

function details(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && Object.keys(v as object).length === 0) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function AuditScreen({ active }: { active: boolean }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [user, setUser] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rows, setRows] = useState<AuditRow[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const reason = session.reason('log.list');

  useEffect(() => {
    if (!active || !session.loaded || reason) return;
    const q: In<'log.list'> = { limit: LIMIT };
    if (user.trim()) q.user = user.trim();
    if (action.trim()) q.action = action.trim();
    const f = from ? beijingMidnight(from) : null;
    const e = to ? beijingMidnight(to) : null;
    if (f !== null) q.from = f;
    if (e !== null) q.to = e + DAY_MS;
    let stale = false;
    const timer = window.setTimeout(() => {
      call('log.list', q)
        .then((r) => !stale && setRows([...r].sort((a, b) => b.seq - a.seq)))
        .catch((err: unknown) => !stale && setError(errorOf(err)));
    }, 200);
    return () => {
      stale = true;
      window.clearTimeout(timer);
    };
  }, [active, user, action, from, to, reload, reason, session.loaded]);

  async function runVerify() {
    setBusy(true);
    setVerify(null);
    try {
      setVerify(await call('log.verify', {}));
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }

  function exportCsv() {
    if (!rows?.length) return setError(localError('log.errEmpty'));
    const head = ['seq', 'time_beijing', 'user', 'action', 'target', 'details'];
    const lines = [head.join(','), ...rows.map((r) => [r.seq, beijingTime(r.at) ?? '', r.user, r.action, r.target, details(r.details)].map(csvCell).join(','))];
    const blob = new Blob([`\uFEFF${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `audit-log-${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <div className="screen" data-testid="audit-screen">
      <div className="screen-head">
        <h1 className="screen-title">{t('log.heading')}</h1>
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setReload((n) => n + 1)} disabled={!!reason}>
            {t('common.refresh')}
          </button>
          <button type="button" className="btn" onClick={exportCsv} disabled={!!reason || !rows?.length} title={reason} data-testid="log-export">
            {t('log.export')}
          </button>
          <GuardButton method="log.verify" className="btn btn-primary" onClick={() => void runVerify()} disabled={busy} data-testid="log-verify">
            {busy ? t('common.working') : t('log.verify')}
          </GuardButton>
        </div>
      </div>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {reason && <p className="notice">{reason}</p>}
      {verify && (
        <div className={verify.valid ? 'notice notice-ok' : 'alert alert-error'} role="status" data-testid="log-verify-result" data-valid={String(verify.valid)}>
          {verify.valid ? (
            <span className="valid-text">{t('log.valid', { n: formatCount(verify.entries, lang) })}</span>
          ) : (
            <div>
              <strong className="invalid-text">{t('log.invalid', { n: verify.problems.length })}</strong>
              <ul className="problems" data-testid="log-problems">
                {verify.problems.map((p, i) => (
                  <li key={i}>
                    {p.seq !== null ? `#${p.seq}：` : ''}
                    {p.problem}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
      <div className="panel filter-grid pad">
        <label className="mini-field">
          <span>{t('log.user')}</span>
          <input className="input" value={user} onChange={(e) => setUser(e.target.value)} placeholder={t('log.userHint')} data-testid="log-user" />
        </label>
        <label className="mini-field">
          <span>{t('log.action')}</span>
          <input className="input" value={action} onChange={(e) => setAction(e.target.value)} placeholder={t('log.actionHint')} list="log-actions" data-testid="log-action" />
          <datalist id="log-actions">
            {['login', 'logout', 'review.', 'cases.', 'dict.', 'users.', 'pii.unmask', 'evidence.', 'hits.list', 'scan.run', 'import.'].map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label className="mini-field">
          <span>{t('search.from')}</span>
          <input className="input" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="mini-field">
          <span>{t('search.to')}</span>
          <input className="input" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <Card title={rows ? t('log.shown', { n: formatCount(rows.length, lang) }) : t('log.heading')} testId="log-list">
        {!rows ? (
          <p className="muted">{reason ? '—' : t('common.loading')}</p>
        ) : rows.length === 0 ? (
          <p className="muted">{t('log.none')}</p>
        ) : (
          <div className="table-wrap tall">
            <table className="table">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>{t('log.at')}</th>
                  <th>{t('log.user')}</th>
                  <th>{t('log.action')}</th>
                  <th>{t('log.target')}</th>
                  <th>{t('log.details')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.seq} data-testid="log-row" data-action={r.action}>
                    <td className="num">{r.seq}</td>
                    <td className="mono small">{beijingTime(r.at)}</td>
                    <td>{r.user}</td>
                    <td>
                      <code>{r.action}</code>
                    </td>
                    <td className="small id-cell" title={r.target}>
                      {r.target}
                    </td>
                    <td className="small mono-wrap">{details(r.details).slice(0, 300)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {rows && rows.length >= LIMIT && <p className="hint capped">{t('log.capped', { n: LIMIT })}</p>}
      </Card>
    </div>
  );
}

/** 核验证据包: a pack's path → evidence.verify → valid, or every problem. Needs no store. */
export function VerifyScreen() {
  const { t, lang } = useI18n();
  const [file, setFile] = useState('');
  const [result, setResult] = useState<{ file: string; valid: boolean; problems: string[]; fingerprint: string | null; files: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    if (!file.trim()) return setError(localError('verify.errFile'));
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await call('evidence.verify', { file: file.trim() });
      setResult({ file: file.trim(), ...r });
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="screen" data-testid="verify-screen">
      <h1 className="screen-title">{t('verify.heading')}</h1>
      <Card title={t('verify.title')}>
        <p className="hint intro">{t('verify.hint')}</p>
        <form
          className="input-row"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <div style={{ flex: 1, minWidth: 0 }}>
            <PathField value={file} onChange={setFile} kind="files" placeholder="D:\证据\案件1.zip" testId="verify-file" onError={setError} />
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="verify-run">
            {busy ? t('common.working') : t('verify.run')}
          </button>
        </form>
      </Card>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {result && (
        <div className={result.valid ? 'notice notice-ok' : 'alert alert-error'} role="status" data-testid="verify-result" data-valid={String(result.valid)}>
          <div>
            <strong className={result.valid ? 'valid-text' : 'invalid-text'}>{result.valid ? t('verify.valid') : t('verify.invalid', { n: result.problems.length })}</strong>
            <dl className="kv-grid" style={{ marginTop: 6 }}>
              <dt>{t('cases.packPath')}</dt>
              <dd className="mono-wrap">{result.file}</dd>
              <dt>{t('cases.packFiles')}</dt>
              <dd>{formatCount(result.files, lang)}</dd>
              <dt>{t('cases.fingerprint')}</dt>
              <dd className="mono-wrap" data-testid="verify-fingerprint">
                {result.fingerprint ?? '—'}
              </dd>
            </dl>
            {result.problems.length > 0 && (
              <ul className="problems" data-testid="verify-problems">
                {result.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
