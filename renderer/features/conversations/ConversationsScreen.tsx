/**
 * Conversations: the list (server filters: branch, staff, contact, kind; a fuzzy text filter over
 * titles, names and ids with fuse.js) beside the viewer of the chosen conversation.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiError, ConversationRow, In } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { BranchSelect } from '../../shared/branches.js';
import { ErrorAlert } from '../../shared/components.js';
import { conversationTitle } from '../../shared/conversation.js';
import { useDirectory } from '../../shared/directory.js';
import { formatCount } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import { Icon } from '../../shared/icons.js';
import { ConversationList } from './ConversationList.js';
import { useFuzzy } from './useFuzzy.js';
import { Viewer, type JumpTarget } from './Viewer.js';

export type { JumpTarget } from './Viewer.js';

type Kind = '' | 'single' | 'group';

export function ConversationsScreen({ active, jump }: { active: boolean; jump: JumpTarget | null }) {
  const { t, lang } = useI18n();
  const dir = useDirectory();
  const [branch, setBranch] = useState('');
  const [staff, setStaff] = useState('');
  const [contact, setContact] = useState('');
  const [kind, setKind] = useState<Kind>('');
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<ConversationRow[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<ConversationRow | null>(null);
  const [target, setTarget] = useState<JumpTarget | null>(null);
  const serverFiltered = !!(branch || staff || contact || kind);

  // the list: the shared unfiltered one, or the core's filtered answer
  useEffect(() => {
    if (!active) return;
    let stale = false;
    setLoading(true);
    const input: In<'conversations.list'> = {};
    if (branch) input.branch = branch;
    if (staff) input.staff = staff;
    if (contact) input.contact = contact;
    if (kind) input.kind = kind;
    (serverFiltered ? call('conversations.list', input) : dir.loadConversations())
      .then((r) => {
        if (stale) return;
        setRows(r);
        setError(null);
      })
      .catch((e: unknown) => !stale && setError(errorOf(e)))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [active, branch, staff, contact, kind, serverFiltered, dir.version, dir.loadConversations]);

  // the fuzzy filter, debounced; its index is built on first use for a given list
  useEffect(() => {
    const h = window.setTimeout(() => setQuery(text.trim()), rows && rows.length > 20000 ? 300 : 120);
    return () => window.clearTimeout(h);
  }, [text, rows]);
  const fuzzy = useFuzzy(rows, query, lang);
  const shown = fuzzy.rows;

  // a jump from search: open that conversation at that message
  useEffect(() => {
    if (!jump) return;
    setTarget(jump);
    const here = rows?.find((r) => r.id === jump.conversation) ?? dir.conversationsById.get(jump.conversation);
    if (here) {
      setSelected(here);
      return;
    }
    let stale = false;
    dir
      .loadConversations()
      .then((all) => {
        const row = all.find((r) => r.id === jump.conversation);
        if (!stale && row) setSelected(row);
      })
      .catch((e: unknown) => !stale && setError(errorOf(e)));
    return () => {
      stale = true;
    };
    // only a new jump matters
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jump?.nonce]);

  const staffOptions = useMemo(() => (branch ? dir.staffList.filter((s) => s.branch === branch || s.subBranch === branch) : dir.staffList), [dir.staffList, branch]);
  const contactOptions = useMemo(() => (staff ? dir.contactList.filter((c) => c.owner === staff) : dir.contactList), [dir.contactList, staff]);
  const filtersOn = serverFiltered || !!text;
  const fmt = (n: number) => formatCount(n, lang);

  function clearFilters() {
    setBranch('');
    setStaff('');
    setContact('');
    setKind('');
    setText('');
  }

  return (
    <div className="screen screen-fill" data-testid="conversations-screen">
      <div className="screen-head">
        <h1 className="screen-title">{t('conv.heading')}</h1>
        <span className="muted">{dir.conversations ? t('conv.total', { n: fmt(dir.conversations.length) }) : ''}</span>
      </div>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <div className="conv-layout">
        <aside className="conv-pane panel" aria-label={t('conv.list')}>
          <div className="conv-filters">
            <label className="mini-field">
              <span>{t('filter.branch')}</span>
              <BranchSelect
                branches={dir.branches}
                value={branch}
                onChange={(v) => {
                  setBranch(v);
                  setStaff('');
                  setContact('');
                }}
                testId="conv-branch"
              />
            </label>
            <label className="mini-field">
              <span>{t('filter.kind')}</span>
              <select className="input select" value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="conv-kind">
                <option value="">{t('filter.allKinds')}</option>
                <option value="single">{t('conv.single')}</option>
                <option value="group">{t('conv.group')}</option>
              </select>
            </label>
            <label className="mini-field">
              <span>{t('filter.staff')}</span>
              <select
                className="input select"
                value={staff}
                onChange={(e) => {
                  setStaff(e.target.value);
                  setContact('');
                }}
                data-testid="conv-staff"
              >
                <option value="">{t('filter.allStaff')}</option>
                {staffOptions.map((s) => (
                  <option key={s.userid} value={s.userid}>{`${s.name} · ${s.subBranch || s.branch || s.userid}`}</option>
                ))}
              </select>
            </label>
            <label className="mini-field">
              <span>{t('filter.contact')}</span>
              <select className="input select" value={contact} onChange={(e) => setContact(e.target.value)} data-testid="conv-contact">
                <option value="">{t('filter.allContacts')}</option>
                {contactOptions.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.remark && c.remark !== c.name ? `${c.name || c.id} · ${c.remark}` : c.name || c.id}
                  </option>
                ))}
              </select>
            </label>
            <div className="fuzzy">
              <Icon name="search" size={15} className="fuzzy-icon" />
              <input
                className="input"
                type="search"
                value={text}
                onChange={(e) => setText(e.target.value)}
                placeholder={t('conv.fuzzy')}
                aria-label={t('conv.fuzzy')}
                spellCheck={false}
                data-testid="conv-filter"
              />
            </div>
          </div>
          <div className="conv-status small">
            <span data-testid="conv-shown" data-value={fuzzy.pending ? '' : (shown?.length ?? '')}>
              {loading && !rows ? t('common.loading') : shown ? (filtersOn ? t('conv.shownOf', { n: fmt(shown.length), total: fmt(dir.conversations?.length ?? rows?.length ?? 0) }) : t('conv.total', { n: fmt(shown.length) })) : ''}
            </span>
            {fuzzy.pending && (
              <span className="fuzzy-pending" data-testid="conv-fuzzy-pending">
                {t('conv.fuzzyPending', { pct: Math.round(fuzzy.progress * 100) })}
              </span>
            )}
            {filtersOn && (
              <button type="button" className="link-button" onClick={clearFilters} data-testid="conv-clear">
                {t('filter.clear')}
              </button>
            )}
          </div>
          {shown && shown.length === 0 ? (
            <p className="muted empty-note">{rows && rows.length === 0 && !filtersOn ? t('conv.none') : t('conv.noMatch')}</p>
          ) : shown ? (
            <ConversationList rows={shown} selected={selected?.id ?? null} onSelect={(r) => {
                setSelected(r);
                setTarget(null);
              }} />
          ) : null}
        </aside>
        <div className="viewer-pane panel">
          {selected ? (
            <Viewer key={selected.id} row={selected} target={target} title={conversationTitle(selected, lang)} />
          ) : (
            <div className="viewer-empty">
              <Icon name="chat" size={40} />
              <p>{t('conv.pick')}</p>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
