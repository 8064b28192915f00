/**
 * Search: any substring (Chinese or Latin, one character or more) over every message, with
 * filters, the exact total, highlighted snippets and paging; a result opens its conversation at
 * that message (conversations.locate).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ApiError, In, SearchHit, SearchResult } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { BranchSelect } from '../../shared/branches.js';
import { ErrorAlert } from '../../shared/components.js';
import { conversationTitle } from '../../shared/conversation.js';
import { useDirectory } from '../../shared/directory.js';
import { DAY_MS, beijingMidnight, beijingTime, formatCount } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import { Icon } from '../../shared/icons.js';
import { typeLabel } from '../../shared/msgTypes.js';

const PAGE_SIZE = 50;

export type LocatedHit = { conversation: number; index: number; msgid: string };

export function SearchScreen({ active, onOpen }: { active: boolean; onOpen: (hit: LocatedHit) => void }) {
  const { t, lang } = useI18n();
  const dir = useDirectory();
  const [q, setQ] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [branch, setBranch] = useState('');
  const [staff, setStaff] = useState('');
  const [contact, setContact] = useState('');
  const [type, setType] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [asked, setAsked] = useState<In<'search.query'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [opening, setOpening] = useState<string | null>(null);

  // message types present in the store, for the type filter
  useEffect(() => {
    if (!active) return;
    let stale = false;
    call('store.stats', {})
      .then((s) => !stale && setTypes(Object.keys(s.byType).sort((a, b) => (s.byType[b] ?? 0) - (s.byType[a] ?? 0))))
      .catch(() => {});
    return () => {
      stale = true;
    };
  }, [active, dir.version]);

  // conversation titles for the results
  useEffect(() => {
    if (active && result && result.results.length && !dir.conversations) dir.loadConversations().catch(() => {});
  }, [active, result, dir.conversations, dir.loadConversations]);

  async function run(input: In<'search.query'>) {
    setBusy(true);
    setError(null);
    try {
      const r = await call('search.query', input);
      setResult(r);
      setAsked(input);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!q.length || !q.trim()) return setError(localError('search.errEmpty'));
    const input: In<'search.query'> = { q, limit: PAGE_SIZE, offset: 0 };
    const f = from ? beijingMidnight(from) : null;
    const tEnd = to ? beijingMidnight(to) : null;
    if (f !== null) input.from = f;
    if (tEnd !== null) input.to = tEnd + DAY_MS;
    if (f !== null && tEnd !== null && tEnd + DAY_MS <= f) return setError(localError('search.errRange'));
    if (branch) input.branch = branch;
    if (staff) input.staff = staff;
    if (contact) input.contact = contact;
    if (type) input.types = [type];
    void run(input);
  }

  function page(offset: number) {
    if (asked) void run({ ...asked, offset });
  }

  async function open(hit: SearchHit) {
    setOpening(hit.msgid);
    try {
      const at = await call('conversations.locate', { msgid: hit.msgid });
      if (!at) setError(localError('search.noConversation'));
      else onOpen({ conversation: at.conversation, index: at.index, msgid: hit.msgid });
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setOpening(null);
    }
  }

  const staffOptions = useMemo(() => (branch ? dir.staffList.filter((s) => s.branch === branch || s.subBranch === branch) : dir.staffList), [dir.staffList, branch]);
  const fmt = (n: number) => formatCount(n, lang);
  const offset = asked?.offset ?? 0;
  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 0;

  return (
    <div className="screen" data-testid="search-screen">
      <h1 className="screen-title">{t('search.heading')}</h1>
      <form className="search-form panel" onSubmit={submit} noValidate>
        <div className="search-box">
          <Icon name="search" size={18} className="search-icon" />
          <input className="input input-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('search.placeholder')} aria-label={t('search.placeholder')} spellCheck={false} autoFocus data-testid="search-q" />
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="search-submit">
            {busy ? t('common.working') : t('search.submit')}
          </button>
        </div>
        <div className="search-filters">
          <label className="mini-field">
            <span>{t('search.from')}</span>
            <input className="input" type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="search-from" />
          </label>
          <label className="mini-field">
            <span>{t('search.to')}</span>
            <input className="input" type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="search-to" />
          </label>
          <label className="mini-field">
            <span>{t('filter.branch')}</span>
            <BranchSelect
              branches={dir.branches}
              value={branch}
              onChange={(v) => {
                setBranch(v);
                setStaff('');
              }}
              testId="search-branch"
            />
          </label>
          <label className="mini-field">
            <span>{t('filter.staff')}</span>
            <select className="input select" value={staff} onChange={(e) => setStaff(e.target.value)} data-testid="search-staff">
              <option value="">{t('filter.allStaff')}</option>
              {staffOptions.map((s) => (
                <option key={s.userid} value={s.userid}>{`${s.name} · ${s.subBranch || s.branch || s.userid}`}</option>
              ))}
            </select>
          </label>
          <label className="mini-field">
            <span>{t('filter.contact')}</span>
            <select className="input select" value={contact} onChange={(e) => setContact(e.target.value)} data-testid="search-contact">
              <option value="">{t('filter.allContacts')}</option>
              {dir.contactList.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.remark && c.remark !== c.name ? `${c.name || c.id} · ${c.remark}` : c.name || c.id}
                </option>
              ))}
            </select>
          </label>
          <label className="mini-field">
            <span>{t('search.type')}</span>
            <select className="input select" value={type} onChange={(e) => setType(e.target.value)} data-testid="search-type">
              <option value="">{t('search.allTypes')}</option>
              {types.map((ty) => (
                <option key={ty} value={ty}>
                  {typeLabel(ty, lang)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="hint">{t('search.hint')}</p>
      </form>

      <ErrorAlert error={error} onClose={() => setError(null)} />

      {result && asked && (
        <section className="panel search-results" data-testid="search-results">
          <div className="results-head">
            <strong className="results-total" data-testid="search-total" data-value={result.total}>
              {t('search.total', { n: fmt(result.total) })}
            </strong>
            <span className="muted small">{t('search.took', { ms: result.tookMs })}</span>
            {result.total > 0 && (
              <span className="muted small">
                {t('search.range', { a: fmt(offset + 1), b: fmt(Math.min(result.total, offset + result.results.length)) })}
              </span>
            )}
            <span className="toolbar-spacer" />
            {pages > 1 && <Pager offset={offset} total={result.total} pages={pages} onPage={page} busy={busy} />}
          </div>
          {result.results.length === 0 ? (
            <p className="muted empty-note">{t('search.none', { q: asked.q })}</p>
          ) : (
            <ol className="hits" start={offset + 1}>
              {result.results.map((h) => {
                const conv = h.conversation !== null ? dir.conversationsById.get(h.conversation) : undefined;
                const s = dir.staff.get(h.from);
                return (
                  <li key={h.msgid}>
                    <button type="button" className="hit" onClick={() => void open(h)} disabled={opening !== null} data-testid="search-hit" data-msgid={h.msgid}>
                      <div className="hit-meta">
                        <span className="hit-time mono">{beijingTime(h.msgtime) ?? t('msg.timeUnknown')}</span>
                        <span className="hit-sender" title={h.from}>
                          {dir.nameOf(h.from)}
                          {s && <span className="muted"> · {s.subBranch || s.branch}</span>}
                        </span>
                        <span className="hit-conv">
                          {conv ? (
                            <>
                              <Icon name="chat" size={13} /> {conversationTitle(conv, lang)}
                            </>
                          ) : h.conversation === null ? (
                            t('search.noConversationShort')
                          ) : (
                            ''
                          )}
                        </span>
                        {h.msgtype !== 'text' && <span className={`type-tag type-${h.msgtype.replace(/[^a-z_]/g, '')}`}>{typeLabel(h.msgtype, lang)}</span>}
                        {opening === h.msgid && <span className="muted small">{t('common.working')}</span>}
                      </div>
                      <div className="hit-snippet">
                        <Snippet text={h.snippet} range={h.highlight} />
                      </div>
                    </button>
                  </li>
                );
              })}
            </ol>
          )}
          {pages > 1 && (
            <div className="results-foot">
              <Pager offset={offset} total={result.total} pages={pages} onPage={page} busy={busy} />
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function Snippet({ text, range }: { text: string; range: [number, number] | null }) {
  if (!range || range[0] < 0 || range[1] > text.length || range[0] >= range[1]) return <>{text}</>;
  return (
    <>
      {text.slice(0, range[0])}
      <mark data-testid="hit-mark">{text.slice(range[0], range[1])}</mark>
      {text.slice(range[1])}
    </>
  );
}

function Pager({ offset, total, pages, onPage, busy }: { offset: number; total: number; pages: number; onPage: (offset: number) => void; busy: boolean }) {
  const { t, lang } = useI18n();
  const current = Math.floor(offset / PAGE_SIZE) + 1;
  return (
    <div className="pager" data-testid="search-pager">
      <button type="button" className="btn btn-small" disabled={busy || current <= 1} onClick={() => onPage(0)} aria-label={t('search.firstPage')}>
        «
      </button>
      <button type="button" className="btn btn-small" disabled={busy || current <= 1} onClick={() => onPage(offset - PAGE_SIZE)} data-testid="search-prev">
        {t('search.prev')}
      </button>
      <span className="pager-pos small">{t('search.page', { i: formatCount(current, lang), n: formatCount(pages, lang) })}</span>
      <button type="button" className="btn btn-small" disabled={busy || offset + PAGE_SIZE >= total} onClick={() => onPage(offset + PAGE_SIZE)} data-testid="search-next">
        {t('search.next')}
      </button>
      <button type="button" className="btn btn-small" disabled={busy || current >= pages} onClick={() => onPage((pages - 1) * PAGE_SIZE)} aria-label={t('search.lastPage')}>
        »
      </button>
    </div>
  );
}
