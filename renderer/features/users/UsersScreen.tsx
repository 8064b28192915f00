/**
 * 用户: the users of this store (users.list, admin only), adding one with a role, an optional
 * branch scope and a password typed twice (users.add), disabling (users.setDisabled), and
 * changing one's own password (users.changePassword, every role).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError, Role, UserRow } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { BranchSelect } from '../../shared/branches.js';
import { Card, ErrorAlert } from '../../shared/components.js';
import { useDirectory } from '../../shared/directory.js';
import { beijingTime } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import { GuardButton, ROLE_KEYS, useSession } from '../../shared/session.js';

const ROLES: Role[] = ['risk_officer', 'compliance_manager', 'auditor', 'admin'];
const MIN_PASSWORD = 8;

export function UsersScreen({ active }: { active: boolean }) {
  const { t } = useI18n();
  const dir = useDirectory();
  const session = useSession();
  const [rows, setRows] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);
  const [user, setUser] = useState('');
  const [role, setRole] = useState<Role>('risk_officer');
  const [branch, setBranch] = useState('');
  const [p1, setP1] = useState('');
  const [p2, setP2] = useState('');
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const [mine1, setMine1] = useState('');
  const [mine2, setMine2] = useState('');
  const [changed, setChanged] = useState(false);
  const [pending, setPending] = useState<{ user: string; disable: boolean } | null>(null);
  const [pendingPass, setPendingPass] = useState('');
  const canList = session.can('users.list');

  useEffect(() => {
    if (!active || !session.loaded) return;
    if (!canList) return setRows([]);
    let stale = false;
    call('users.list', {})
      .then((r) => !stale && setRows(r))
      .catch((e: unknown) => !stale && setError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [active, reload, canList, session.loaded]);

  async function add(e: FormEvent) {
    e.preventDefault();
    if (!user.trim()) return setError(localError('users.errName'));
    if (p1.length < MIN_PASSWORD) return setError(localError('users.errShort'));
    if (p1 !== p2) return setError(localError('users.errMismatch'));
    setBusy(true);
    setError(null);
    try {
      const r = await call('users.add', { user: user.trim(), role, password: p1, ...(branch && { branch }) });
      setAdded(r.user);
      setUser('');
      setP1('');
      setP2('');
      setBranch('');
      setReload((n) => n + 1);
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }
  async function setDisabled(u: UserRow, disabled: boolean) {
    if (!disabled && pendingPass.length < MIN_PASSWORD) return setError(localError('users.errShort'));
    setError(null);
    try {
      await call('users.setDisabled', { user: u.user, disabled, ...(!disabled && { password: pendingPass }) });
      setPending(null);
      setPendingPass('');
      setReload((n) => n + 1);
    } catch (err) {
      setError(errorOf(err));
    }
  }
  async function changeMine(e: FormEvent) {
    e.preventDefault();
    if (mine1.length < MIN_PASSWORD) return setError(localError('users.errShort'));
    if (mine1 !== mine2) return setError(localError('users.errMismatch'));
    setError(null);
    try {
      await call('users.changePassword', { password: mine1 });
      setChanged(true);
      setMine1('');
      setMine2('');
    } catch (err) {
      setError(errorOf(err));
    }
  }

  const listReason = session.reason('users.list');
  return (
    <div className="screen" data-testid="users-screen">
      <div className="screen-head">
        <h1 className="screen-title">{t('users.heading')}</h1>
        {session.who && (
          <span className="role-note" data-testid="whoami" data-role={session.who.role}>
            {t('role.you', { user: session.who.user, role: t(ROLE_KEYS[session.who.role]) })}
            {session.who.branch && ` · ${t('role.scope', { branch: session.who.branch })}`}
          </span>
        )}
      </div>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <Card title={t('users.listTitle')} testId="users-list">
        {listReason ? (
          <p className="muted">{listReason}</p>
        ) : !rows ? (
          <p className="muted">{t('common.loading')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('users.name')}</th>
                <th>{t('users.role')}</th>
                <th>{t('users.scope')}</th>
                <th>{t('users.state')}</th>
                <th>{t('users.createdBy')}</th>
                <th>{t('log.at')}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.user} data-testid="user-row" data-user={u.user} data-role={u.role} className={u.disabled ? 'muted' : ''}>
                  <td className="strong">{u.user}</td>
                  <td>{t(ROLE_KEYS[u.role])}</td>
                  <td>{u.branch || t('users.allBranches')}</td>
                  <td>{u.disabled ? <span className="invalid-text">{t('users.disabled')}</span> : <span className="ok-text">{t('users.enabled')}</span>}</td>
                  <td>{u.createdBy}</td>
                  <td className="mono small">{beijingTime(u.createdAt)}</td>
                  <td>
                    {pending?.user === u.user ? (
                      <span className="button-row" data-testid="user-pending">
                        {!pending.disable && (
                          <input className="input" type="password" value={pendingPass} onChange={(e) => setPendingPass(e.target.value)} placeholder={t('users.newPasswordFor', { user: u.user })} autoComplete="new-password" style={{ width: 200 }} />
                        )}
                        <button type="button" className={`btn btn-small ${pending.disable ? 'btn-danger' : 'btn-primary'}`} onClick={() => void setDisabled(u, pending.disable)} data-testid="user-pending-ok">
                          {pending.disable ? t('users.confirmDisable', { user: u.user }) : t('users.enable')}
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setPending(null)}>
                          {t('common.cancel')}
                        </button>
                      </span>
                    ) : u.disabled ? (
                      <GuardButton method="users.setDisabled" className="btn btn-small" onClick={() => { setPendingPass(''); setPending({ user: u.user, disable: false }); }} data-testid="user-enable">
                        {t('users.enable')}
                      </GuardButton>
                    ) : (
                      <GuardButton method="users.setDisabled" className="btn btn-small btn-danger" disabled={u.user === session.who?.user} title={u.user === session.who?.user ? t('users.notSelf') : undefined} onClick={() => setPending({ user: u.user, disable: true })} data-testid="user-disable">
                        {t('users.disable')}
                      </GuardButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <div className="grid-2">
        <Card title={t('users.addTitle')} testId="users-add">
          <form className="form" onSubmit={add} noValidate>
            {added && (
              <div className="notice notice-ok" data-testid="user-added">
                {t('users.added', { user: added })}
              </div>
            )}
            <div className="field-pair">
              <div className="field">
                <label htmlFor="new-user">{t('users.name')}</label>
                <input id="new-user" className="input" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="off" spellCheck={false} data-testid="new-user" />
              </div>
              <div className="field">
                <label htmlFor="new-role">{t('users.role')}</label>
                <select id="new-role" className="input select" value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="new-role">
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(ROLE_KEYS[r])}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div className="field">
              <label>{t('users.scope')}</label>
              <BranchSelect branches={dir.branches} value={branch} onChange={setBranch} testId="new-branch" />
              <p className="hint">{t('users.scopeHint')}</p>
            </div>
            <div className="field-pair">
              <div className="field">
                <label htmlFor="new-pass">{t('users.password')}</label>
                <input id="new-pass" className="input" type="password" value={p1} onChange={(e) => setP1(e.target.value)} autoComplete="new-password" data-testid="new-pass" />
              </div>
              <div className="field">
                <label htmlFor="new-pass2">{t('users.password2')}</label>
                <input id="new-pass2" className="input" type="password" value={p2} onChange={(e) => setP2(e.target.value)} autoComplete="new-password" data-testid="new-pass2" />
              </div>
            </div>
            <p className="hint">{t('users.passwordHint')}</p>
            <div className="form-actions">
              <GuardButton method="users.add" type="submit" className="btn btn-primary" disabled={busy} data-testid="user-add">
                {t('users.add')}
              </GuardButton>
            </div>
          </form>
        </Card>
        <Card title={t('users.mineTitle')} testId="users-mine">
          <form className="form" onSubmit={changeMine} noValidate>
            {changed && (
              <div className="notice notice-ok" data-testid="password-changed">
                {t('users.changed')}
              </div>
            )}
            <div className="field-pair">
              <div className="field">
                <label htmlFor="mine-pass">{t('users.newPassword')}</label>
                <input id="mine-pass" className="input" type="password" value={mine1} onChange={(e) => setMine1(e.target.value)} autoComplete="new-password" />
              </div>
              <div className="field">
                <label htmlFor="mine-pass2">{t('users.password2')}</label>
                <input id="mine-pass2" className="input" type="password" value={mine2} onChange={(e) => setMine2(e.target.value)} autoComplete="new-password" />
              </div>
            </div>
            <p className="hint">{t('users.mineHint')}</p>
            <div className="form-actions">
              <button type="submit" className="btn">
                {t('users.change')}
              </button>
            </div>
          </form>
        </Card>
      </div>
    </div>
  );
}
