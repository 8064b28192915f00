/** People: import a staff roster or contact list, the branch tree, and the staff and contact lists. */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ApiError, AppInfo, ContactRow, PeopleImportResult, StaffRow } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { BranchTree, totalStaff } from '../../shared/branches.js';
import { Card, ErrorAlert, StatTile } from '../../shared/components.js';
import { useDirectory } from '../../shared/directory.js';
import { basename, formatCount } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import { GuardButton } from '../../shared/session.js';

type Kind = 'staff' | 'contacts';
const SHOW_MAX = 500;

function joinPath(dir: string, ...names: string[]): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return [dir.replace(/[\\/]+$/, ''), ...names].join(sep);
}

export function PeopleScreen({ info, active }: { info: AppInfo; active: boolean }) {
  const { t, lang } = useI18n();
  const dir = useDirectory();
  const [kind, setKind] = useState<Kind>('staff');
  const [file, setFile] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: Kind; file: string; r: PeopleImportResult } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [branch, setBranch] = useState('');
  const [tab, setTab] = useState<Kind>('staff');
  const [filter, setFilter] = useState('');
  const [staffRows, setStaffRows] = useState<StaffRow[] | null>(null);

  // staff of the chosen branch, from the core (people.list with branch)
  useEffect(() => {
    if (!active) return;
    let stale = false;
    call('people.list', branch ? { kind: 'staff', branch } : { kind: 'staff' })
      .then((rows) => !stale && setStaffRows(rows as StaffRow[]))
      .catch((e: unknown) => !stale && setError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [active, branch, dir.version]);

  async function pick() {
    try {
      const r = await call('shell.pickPaths', { kind: 'files', title: t(kind === 'staff' ? 'people.kindStaff' : 'people.kindContacts') });
      if (r.paths[0]) setFile(r.paths[0]);
    } catch (e) {
      setError(errorOf(e));
    }
  }

  function fillSample() {
    setFile(joinPath(info.samplesDir, 'roster', kind === 'staff' ? 'staff.csv' : 'contacts.csv'));
    setError(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const path = file.trim();
    if (!path) return setError(localError('people.errNoFile'));
    setBusy(true);
    setError(null);
    try {
      const r = await call('people.import', { file: path, kind });
      setResult({ kind, file: path, r });
      setTab(kind);
      dir.invalidate();
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  const q = filter.trim().toLowerCase();
  const staffShown = useMemo(() => {
    const rows = staffRows ?? [];
    return q ? rows.filter((s) => [s.userid, s.name, s.department, s.position, s.branch, s.subBranch].some((v) => v.toLowerCase().includes(q))) : rows;
  }, [staffRows, q]);
  const contactsShown = useMemo(() => {
    let rows: ContactRow[] = dir.contactList;
    if (branch) {
      rows = rows.filter((c) => {
        const owner = dir.staff.get(c.owner);
        return !!owner && (owner.branch === branch || owner.subBranch === branch);
      });
    }
    if (q) rows = rows.filter((c) => [c.id, c.name, c.remark, c.tags, c.owner, dir.nameOf(c.owner)].some((v) => v.toLowerCase().includes(q)));
    return rows;
  }, [dir.contactList, dir.staff, branch, q]);

  const fmt = (n: number) => formatCount(n, lang);

  return (
    <div className="screen" data-testid="people-screen">
      <h1 className="screen-title">{t('people.heading')}</h1>
      <ErrorAlert error={error ?? dir.error} onClose={() => setError(null)} />

      <Card title={t('people.importTitle')} testId="people-import">
        <p className="muted intro">{t('people.importIntro')}</p>
        <form className="form" onSubmit={submit} noValidate>
          <div className="field">
            <span className="field-label">{t('people.kind')}</span>
            <div className="segmented" role="radiogroup" aria-label={t('people.kind')}>
              {(['staff', 'contacts'] as const).map((k) => (
                <button key={k} type="button" role="radio" aria-checked={kind === k} className={kind === k ? 'active' : ''} onClick={() => setKind(k)} data-testid={`people-kind-${k}`}>
                  {t(k === 'staff' ? 'people.kindStaff' : 'people.kindContacts')}
                </button>
              ))}
            </div>
          </div>
          <div className="field">
            <label htmlFor="people-file">{t('people.file')}</label>
            <div className="input-row">
              <input id="people-file" className="input mono" value={file} onChange={(e) => setFile(e.target.value)} spellCheck={false} autoComplete="off" placeholder={t('people.filePlaceholder')} data-testid="people-file" />
              {info.nativeDialogs && (
                <button type="button" className="btn" onClick={() => void pick()}>
                  {t('common.browse')}
                </button>
              )}
            </div>
            <p className="hint">{t(kind === 'staff' ? 'people.staffColumns' : 'people.contactColumns')}</p>
          </div>
          <div className="form-actions split">
            <button type="button" className="btn btn-ghost" onClick={fillSample} data-testid="people-sample">
              {t(kind === 'staff' ? 'people.sampleStaff' : 'people.sampleContacts')}
            </button>
            <GuardButton method="people.import" type="submit" className="btn btn-primary" disabled={busy} data-testid="people-import-start">
              {busy ? t('common.working') : t('people.importStart')}
            </GuardButton>
          </div>
        </form>

        {result && (
          <div className={`import-result ${result.r.rejected.length ? 'has-rejected' : ''}`} data-testid="people-result" data-kind={result.kind}>
            <h3 className="section-title">
              {t('people.resultTitle', { kind: t(result.kind === 'staff' ? 'people.kindStaff' : 'people.kindContacts'), file: basename(result.file) })}
            </h3>
            <div className="tiles tiles-4">
              <StatTile label={t('people.imported')} value={result.r.imported} tone="ok" testId="people-imported" />
              <StatTile label={t('people.updated')} value={result.r.updated} testId="people-updated" />
              <StatTile label={t('people.unchanged')} value={result.r.unchanged} tone="muted" testId="people-unchanged" />
              <StatTile label={t('people.rejected')} value={result.r.rejected.length} tone={result.r.rejected.length ? 'warn' : undefined} testId="people-rejected" />
            </div>
            {result.r.rejected.length > 0 && (
              <>
                <h3 className="section-title warn-text">{t('people.rejectedRows', { n: fmt(result.r.rejected.length) })}</h3>
                <div className="scroll-box">
                  <table className="table" data-testid="people-rejected-rows">
                    <thead>
                      <tr>
                        <th className="num">{t('people.row')}</th>
                        <th>{t('common.reason')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {result.r.rejected.map((r, i) => (
                        <tr key={`${r.row}:${i}`}>
                          <td className="num">{r.row}</td>
                          <td className="reason-cell">{r.reason}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </div>
        )}
      </Card>

      <div className="people-grid">
        <Card title={t('people.branches')} className="branch-card" testId="people-branches">
          {dir.branches.length ? <BranchTree branches={dir.branches} value={branch} onChange={setBranch} testId="branch-tree" /> : <p className="muted">{t('people.noBranches')}</p>}
        </Card>
        <Card
          testId="people-lists"
          title={
            <div className="segmented segmented-small" role="tablist">
              <button type="button" role="tab" aria-selected={tab === 'staff'} className={tab === 'staff' ? 'active' : ''} onClick={() => setTab('staff')} data-testid="people-tab-staff">
                {t('people.staffTab', { n: fmt(staffRows?.length ?? 0) })}
              </button>
              <button type="button" role="tab" aria-selected={tab === 'contacts'} className={tab === 'contacts' ? 'active' : ''} onClick={() => setTab('contacts')} data-testid="people-tab-contacts">
                {t('people.contactsTab', { n: fmt(branch ? contactsShown.length : dir.contactList.length) })}
              </button>
            </div>
          }
          actions={<input className="input input-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('people.filter')} aria-label={t('people.filter')} />}
        >
          {branch && (
            <p className="muted filter-note">
              {t('people.inBranch', { branch })}{' '}
              <button type="button" className="link-button" onClick={() => setBranch('')}>
                {t('common.clear')}
              </button>
            </p>
          )}
          {tab === 'staff' ? (
            staffRows && staffRows.length === 0 && !branch && totalStaff(dir.branches) === 0 ? (
              <p className="muted">{t('people.noStaff')}</p>
            ) : (
              <StaffTable rows={staffShown} />
            )
          ) : dir.contactList.length === 0 ? (
            <p className="muted">{t('people.noContacts')}</p>
          ) : (
            <ContactTable rows={contactsShown} nameOf={dir.nameOf} />
          )}
        </Card>
      </div>
    </div>
  );
}

function Capped({ total }: { total: number }) {
  const { t, lang } = useI18n();
  if (total <= SHOW_MAX) return null;
  return <p className="hint capped">{t('people.capped', { n: formatCount(SHOW_MAX, lang), total: formatCount(total, lang) })}</p>;
}

function StaffTable({ rows }: { rows: StaffRow[] }) {
  const { t } = useI18n();
  return (
    <>
      <div className="scroll-box tall">
        <table className="table" data-testid="staff-table">
          <thead>
            <tr>
              <th>{t('people.name')}</th>
              <th>{t('people.userid')}</th>
              <th>{t('people.branch')}</th>
              <th>{t('people.subBranch')}</th>
              <th>{t('people.department')}</th>
              <th>{t('people.position')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOW_MAX).map((s) => (
              <tr key={s.userid}>
                <td className="strong">{s.name}</td>
                <td className="mono small">{s.userid}</td>
                <td>{s.branch || '—'}</td>
                <td>{s.subBranch || '—'}</td>
                <td>{s.department || '—'}</td>
                <td>{s.position || '—'}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  {t('people.noMatch')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Capped total={rows.length} />
    </>
  );
}

function ContactTable({ rows, nameOf }: { rows: ContactRow[]; nameOf: (id: string) => string }) {
  const { t } = useI18n();
  return (
    <>
      <div className="scroll-box tall">
        <table className="table" data-testid="contact-table">
          <thead>
            <tr>
              <th>{t('people.contactName')}</th>
              <th>{t('people.remark')}</th>
              <th>{t('people.owner')}</th>
              <th>{t('people.tags')}</th>
              <th>{t('people.contactId')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOW_MAX).map((c) => (
              <tr key={c.id}>
                <td className="strong">{c.name || '—'}</td>
                <td>{c.remark || '—'}</td>
                <td title={c.owner}>{c.owner ? nameOf(c.owner) : '—'}</td>
                <td>
                  {c.tags
                    .split(/[;；,，]/)
                    .map((x) => x.trim())
                    .filter(Boolean)
                    .map((tag) => (
                      <span key={tag} className="chip">
                        {tag}
                      </span>
                    ))}
                </td>
                <td className="mono small id-cell" title={c.id}>
                  {c.id}
                </td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  {t('people.noMatch')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Capped total={rows.length} />
    </>
  );
}
