/**
 * 词库: the dictionaries (dict.list, active toggle, versions and their diff, entries with a search),
 * a test box that runs detect.text as you type, import with a preview before anything is applied
 * (dict.preview → dict.import), export (dict.export), the exclusion proposals from repeated
 * dismissals (review.proposals / proposalDecide) and the behaviour rules (rules.list / rules.set).
 */
import { Fragment, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiError, DetectHit, DictDiff, DictEntry, DictPreview, DictVersion, DictionaryInfo, Proposal, RuleSetting } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { Card, ErrorAlert } from '../../shared/components.js';
import { beijingTime, formatCount } from '../../shared/format.js';
import { localError, useI18n, type Lang } from '../../shared/i18n.js';
import type { MessageKey } from '../../shared/messages.js';
import { PathField } from '../../shared/pathField.js';
import { SeverityBadge, categoryLabel } from '../../shared/review.js';
import { GuardButton, useSession } from '../../shared/session.js';

type Tab = 'dicts' | 'test' | 'import' | 'proposals' | 'rules';
const TABS: { id: Tab; label: MessageKey }[] = [
  { id: 'test', label: 'dict.tabTest' },
  { id: 'dicts', label: 'dict.tabDicts' },
  { id: 'import', label: 'dict.tabImport' },
  { id: 'proposals', label: 'dict.tabProposals' },
  { id: 'rules', label: 'dict.tabRules' },
];

export function DictionaryScreen({ active }: { active: boolean }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('test');
  const [dicts, setDicts] = useState<DictionaryInfo[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!active) return;
    let stale = false;
    call('dict.list', {})
      .then((d) => !stale && setDicts(d))
      .catch((e: unknown) => !stale && setError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [active, reload]);

  return (
    <div className="screen" data-testid="dictionary-screen">
      <div className="screen-head">
        <h1 className="screen-title">{t('dict.heading')}</h1>
      </div>
      <div className="segmented" role="tablist">
        {TABS.map((x) => (
          <button key={x.id} type="button" role="tab" aria-selected={tab === x.id} className={tab === x.id ? 'active' : ''} onClick={() => setTab(x.id)} data-testid={`dict-tab-${x.id}`}>
            {t(x.label)}
          </button>
        ))}
      </div>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {/* the test box and the import form keep what was typed when another tab is looked at */}
      <div hidden={tab !== 'test'}>
        <TestBox active={active && tab === 'test'} version={reload} />
      </div>
      {tab === 'dicts' && <Dictionaries dicts={dicts} onChanged={() => setReload((n) => n + 1)} onError={setError} />}
      <div hidden={tab !== 'import'}>
        <ImportExport dicts={dicts} onChanged={() => setReload((n) => n + 1)} onError={setError} />
      </div>
      {tab === 'proposals' && <Proposals onError={setError} />}
      {tab === 'rules' && <Rules onError={setError} />}
    </div>
  );
}

// ---------------------------------------------------------------- test box
type Side = 'staff' | 'customer' | 'both';

function TestBox({ active, version }: { active: boolean; version: number }) {
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [side, setSide] = useState<Side>('staff');
  const [hits, setHits] = useState<DetectHit[] | null>(null);
  const [asked, setAsked] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [notes, setNotes] = useState<Map<string, string>>(new Map());
  const seq = useRef(0);

  // notes of the active entries, by rule id
  useEffect(() => {
    if (!active) return;
    call('dict.entries', {})
      .then((es) => setNotes(new Map(es.map((e) => [e.id, e.note ?? '']))))
      .catch(() => {});
  }, [active, version]);

  useEffect(() => {
    if (!text) {
      setHits(null);
      setAsked('');
      return;
    }
    const n = ++seq.current;
    const timer = window.setTimeout(() => {
      call('detect.text', { text, side })
        .then((h) => {
          if (n !== seq.current) return;
          setHits(h);
          setAsked(text);
          setError(null);
        })
        .catch((e: unknown) => n === seq.current && setError(errorOf(e)));
    }, 250);
    return () => window.clearTimeout(timer);
  }, [text, side]);

  const sides: { id: Side; label: MessageKey }[] = [
    { id: 'staff', label: 'dict.sideStaff' },
    { id: 'customer', label: 'dict.sideCustomer' },
    { id: 'both', label: 'dict.sideBoth' },
  ];
  return (
    <Card title={t('dict.testTitle')} testId="dict-test">
      <p className="hint intro">{t('dict.testHint')}</p>
      <div className="detect-box">
        <div className="field">
          <div className="segmented segmented-small" role="group" aria-label={t('dict.side')}>
            {sides.map((s) => (
              <button key={s.id} type="button" className={side === s.id ? 'active' : ''} aria-pressed={side === s.id} onClick={() => setSide(s.id)} data-testid={`detect-side-${s.id}`}>
                {t(s.label)}
              </button>
            ))}
          </div>
          <textarea className="input" rows={5} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('dict.testPlaceholder')} data-testid="detect-input" />
        </div>
        <div className="field">
          <span className="field-label">{t('dict.testResult')}</span>
          <div className="detect-out" data-testid="detect-output" data-text={asked} data-count={hits?.length ?? ''}>
            {hits === null ? <span className="muted">{t('dict.testEmpty')}</span> : <Marked text={asked} hits={hits} />}
          </div>
          {hits && <span className="small muted" data-testid="detect-count">{hits.length ? t('dict.testHits', { n: hits.length }) : t('dict.testNoHits')}</span>}
        </div>
      </div>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {hits && hits.length > 0 && (
        <table className="table" data-testid="detect-table">
          <thead>
            <tr>
              <th>{t('dict.match')}</th>
              <th>{t('hits.rule')}</th>
              <th>{t('hits.category')}</th>
              <th>{t('hits.severity')}</th>
              <th>{t('dict.note')}</th>
            </tr>
          </thead>
          <tbody>
            {hits.map((h, i) => (
              <tr key={i} data-testid="detect-row" data-rule={h.rule}>
                <td>
                  <mark>{h.match}</mark>
                </td>
                <td>
                  <code>{h.rule}</code>
                </td>
                <td>{categoryLabel(h.category, lang)}</td>
                <td>
                  <SeverityBadge severity={h.severity} />
                </td>
                <td className="small">{notes.get(h.rule) || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** The text with every matched character marked; overlapping matches merge, the tooltip lists their rules. */
function Marked({ text, hits }: { text: string; hits: DetectHit[] }) {
  const cover: string[][] = Array.from({ length: text.length }, () => []);
  for (const h of hits) for (let i = Math.max(0, h.start); i < Math.min(text.length, h.end); i++) cover[i]!.push(h.rule);
  const parts: ReactNode[] = [];
  let i = 0;
  while (i < text.length) {
    const on = cover[i]!.length > 0;
    let j = i;
    const rules = new Set<string>();
    while (j < text.length && cover[j]!.length > 0 === on) {
      for (const r of cover[j]!) rules.add(r);
      j++;
    }
    const s = text.slice(i, j);
    parts.push(
      on ? (
        <mark key={i} title={[...rules].join(', ')} data-testid="detect-mark" data-rules={[...rules].join(',')}>
          {s}
        </mark>
      ) : (
        <Fragment key={i}>{s}</Fragment>
      ),
    );
    i = j;
  }
  return <>{parts}</>;
}

// ---------------------------------------------------------------- dictionaries, entries, versions
function Dictionaries({ dicts, onChanged, onError }: { dicts: DictionaryInfo[] | null; onChanged: () => void; onError: (e: ApiError) => void }) {
  const { t, lang } = useI18n();
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = chosen ?? dicts?.[0]?.name ?? null;

  async function toggle(d: DictionaryInfo) {
    setBusy(true);
    try {
      await call('dict.setActive', { name: d.name, active: !d.active });
      onChanged();
    } catch (e) {
      onError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Card title={t('dict.listTitle')} testId="dict-list">
        {!dicts ? (
          <p className="muted">{t('common.loading')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('dict.name')}</th>
                <th>{t('dict.scope')}</th>
                <th>{t('dict.active')}</th>
                <th className="num">{t('dict.version')}</th>
                <th className="num">{t('dict.entries')}</th>
                <th>{t('dict.author')}</th>
                <th>{t('dict.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {dicts.map((d) => (
                <tr key={d.id} className={d.name === name ? 'row-active' : ''} data-testid="dict-row" data-name={d.name}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setChosen(d.name)}>
                      {d.name}
                    </button>
                  </td>
                  <td>{d.scope || t('dict.scopeAll')}</td>
                  <td>
                    <ActiveToggle d={d} busy={busy} onToggle={() => void toggle(d)} />
                  </td>
                  <td className="num">v{d.version}</td>
                  <td className="num">{formatCount(d.entries, lang)}</td>
                  <td>{d.author}</td>
                  <td className="mono small">{beijingTime(d.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {name && <DictDetail key={name} name={name} onError={onError} version={dicts?.find((d) => d.name === name)?.version ?? 0} />}
    </>
  );
}

function ActiveToggle({ d, busy, onToggle }: { d: DictionaryInfo; busy: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  const s = useSession();
  const reason = s.reason('dict.setActive');
  return (
    <label className="toggle" title={reason}>
      <input type="checkbox" checked={d.active} disabled={busy || !!reason} onChange={onToggle} data-testid="dict-active" />
      {d.active ? t('dict.on') : t('dict.off')}
    </label>
  );
}

function DictDetail({ name, version, onError }: { name: string; version: number; onError: (e: ApiError) => void }) {
  const { t, lang } = useI18n();
  const [entries, setEntries] = useState<DictEntry[] | null>(null);
  const [versions, setVersions] = useState<DictVersion[] | null>(null);
  const [q, setQ] = useState('');
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(0);
  const [diff, setDiff] = useState<DictDiff | null>(null);

  useEffect(() => {
    let stale = false;
    Promise.all([call('dict.entries', { name }), call('dict.versions', { name })])
      .then(([e, v]) => {
        if (stale) return;
        setEntries(e);
        setVersions(v);
        const sorted = [...v].sort((a, b) => b.version - a.version);
        setTo(sorted[0]?.version ?? 0);
        setFrom(sorted[1]?.version ?? sorted[0]?.version ?? 0);
      })
      .catch((e: unknown) => !stale && onError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [name, version, onError]);

  async function showDiff() {
    try {
      setDiff(await call('dict.diff', { name, from, to }));
    } catch (e) {
      onError(errorOf(e));
    }
  }

  const needle = q.trim().toLowerCase();
  const shown = useMemo(
    () => (entries ?? []).filter((e) => !needle || [e.id, e.term, e.termB ?? '', e.category, categoryLabel(e.category, 'zh'), e.note ?? '', ...(e.exclusions ?? [])].some((v) => v.toLowerCase().includes(needle))),
    [entries, needle],
  );
  return (
    <div className="grid-2">
      <Card
        title={t('dict.entriesOf', { name })}
        actions={<input className="input input-filter" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('dict.searchEntries')} data-testid="dict-entry-search" />}
        testId="dict-entries"
      >
        {!entries ? (
          <p className="muted">{t('common.loading')}</p>
        ) : (
          <>
            <p className="small muted filter-note" data-testid="dict-entry-count" data-value={shown.length}>
              {t('dict.entriesShown', { n: formatCount(shown.length, lang), total: formatCount(entries.length, lang) })}
            </p>
            <div className="table-wrap">
              <EntryTable entries={shown.slice(0, 500)} />
            </div>
          </>
        )}
      </Card>
      <Card title={t('dict.versionsTitle')} testId="dict-versions">
        {!versions ? (
          <p className="muted">{t('common.loading')}</p>
        ) : (
          <>
            <table className="table">
              <thead>
                <tr>
                  <th>{t('dict.version')}</th>
                  <th>{t('dict.author')}</th>
                  <th>{t('dict.updated')}</th>
                  <th className="num">{t('dict.entries')}</th>
                  <th>{t('dict.note')}</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td>v{v.version}</td>
                    <td>{v.author}</td>
                    <td className="mono small">{beijingTime(v.createdAt)}</td>
                    <td className="num">{formatCount(v.entries, lang)}</td>
                    <td className="small">{v.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="inline-form" style={{ marginTop: 12 }}>
              <label>{t('dict.diffFrom')}</label>
              <select className="input select input-date" value={from} onChange={(e) => setFrom(Number(e.target.value))} data-testid="diff-from">
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
              <label>{t('dict.diffTo')}</label>
              <select className="input select input-date" value={to} onChange={(e) => setTo(Number(e.target.value))} data-testid="diff-to">
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
              <button type="button" className="btn btn-small" onClick={() => void showDiff()} disabled={versions.length < 2 || from === to} data-testid="diff-show">
                {t('dict.showDiff')}
              </button>
            </div>
            {versions.length < 2 && <p className="hint">{t('dict.oneVersion')}</p>}
            {diff && <DiffView diff={diff} />}
          </>
        )}
      </Card>
    </div>
  );
}

function EntryTable({ entries }: { entries: DictEntry[] }) {
  const { t, lang } = useI18n();
  return (
    <table className="table">
      <thead>
        <tr>
          <th>ID</th>
          <th>{t('dict.term')}</th>
          <th>{t('hits.category')}</th>
          <th>{t('hits.severity')}</th>
          <th>{t('dict.matchKind')}</th>
          <th>{t('dict.exclusions')}</th>
          <th>{t('dict.note')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-testid="dict-entry" className={e.enabled === false ? 'muted' : ''}>
            <td className="mono small">{e.id}</td>
            <td className="term-cell">
              {e.term}
              {e.termB ? ` … ${e.termB}` : ''}
              {e.window ? <span className="muted small">（≤{e.window}）</span> : null}
            </td>
            <td className="small">{categoryLabel(e.category, lang)}</td>
            <td>
              <SeverityBadge severity={e.severity} />
            </td>
            <td className="small">{t(`dict.kind.${e.match}` as MessageKey)}</td>
            <td className="small">{(e.exclusions ?? []).join('、') || '—'}</td>
            <td className="small">{e.note || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SEV: Record<string, [string, string]> = { high: ['高', 'high'], medium: ['中', 'medium'], low: ['低', 'low'] };
function entryLine(e: DictEntry, lang: Lang): string {
  const sev = SEV[e.severity] ? SEV[e.severity]![lang === 'zh' ? 0 : 1] : e.severity;
  return `${e.term}${e.termB ? ` … ${e.termB}` : ''} · ${categoryLabel(e.category, lang)} · ${sev}${e.note ? ` · ${e.note}` : ''}`;
}
const FIELDS: (keyof DictEntry)[] = ['term', 'termB', 'category', 'severity', 'match', 'window', 'exclusions', 'negatable', 'side', 'boundary', 'enabled', 'note'];
const FIELD_LABEL: Record<string, [string, string]> = {
  term: ['词条', 'term'],
  termB: ['邻近词', 'second term'],
  category: ['类别', 'category'],
  severity: ['风险等级', 'severity'],
  match: ['匹配方式', 'match'],
  window: ['距离', 'window'],
  exclusions: ['排除语境', 'exclusions'],
  negatable: ['否定排除', 'negatable'],
  side: ['适用方', 'side'],
  boundary: ['分词边界', 'word boundary'],
  enabled: ['启用', 'enabled'],
  note: ['说明', 'note'],
};
function showValue(f: keyof DictEntry, v: unknown, lang: Lang): string {
  if (v === undefined || v === '') return '—';
  if (f === 'severity' && typeof v === 'string' && SEV[v]) return SEV[v]![lang === 'zh' ? 0 : 1];
  if (f === 'category' && typeof v === 'string') return categoryLabel(v, lang);
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  return Array.isArray(v) ? v.join('、') : String(v);
}

function DiffView({ diff }: { diff: DictDiff }) {
  const { t, lang } = useI18n();
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  return (
    <div data-testid="dict-diff" style={{ marginTop: 12 }}>
      <p className="small">
        <span className="ok-text" data-testid="diff-added" data-value={diff.added.length}>
          + {t('dict.added', { n: diff.added.length })}
        </span>
        {'　'}
        <span className="invalid-text" data-testid="diff-removed" data-value={diff.removed.length}>
          − {t('dict.removed', { n: diff.removed.length })}
        </span>
        {'　'}
        <span className="warn-text strong" data-testid="diff-changed" data-value={diff.changed.length}>
          ~ {t('dict.changed', { n: diff.changed.length })}
        </span>
      </p>
      {total === 0 ? (
        <p className="muted small">{t('dict.noDiff')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th></th>
                <th>ID</th>
                <th>{t('dict.entry')}</th>
              </tr>
            </thead>
            <tbody>
              {diff.added.map((e) => (
                <tr key={`a${e.id}`} className="diff-added">
                  <td className="ok-text">+</td>
                  <td className="mono small">{e.id}</td>
                  <td>{entryLine(e, lang)}</td>
                </tr>
              ))}
              {diff.removed.map((e) => (
                <tr key={`r${e.id}`} className="diff-removed">
                  <td className="invalid-text">−</td>
                  <td className="mono small">{e.id}</td>
                  <td>{entryLine(e, lang)}</td>
                </tr>
              ))}
              {diff.changed.map(({ before, after }) => (
                <tr key={`c${after.id}`} className="diff-changed">
                  <td className="warn-text">~</td>
                  <td className="mono small">{after.id}</td>
                  <td>
                    {FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => (
                      <div key={f} className="diff-field">
                        <span className="muted">{FIELD_LABEL[f] ? FIELD_LABEL[f]![lang === 'zh' ? 0 : 1] : f}</span>
                        {lang === 'zh' ? '：' : ': '}
                        <del>{showValue(f, before[f], lang)}</del> → <ins>{showValue(f, after[f], lang)}</ins>
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- import / export
function ImportExport({ dicts, onChanged, onError }: { dicts: DictionaryInfo[] | null; onChanged: () => void; onError: (e: ApiError) => void }) {
  const { t, lang } = useI18n();
  const [file, setFile] = useState('');
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [preview, setPreview] = useState<DictPreview | null>(null);
  const [applied, setApplied] = useState<{ dictionary: string; version: number; entries: number; skipped: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [out, setOut] = useState('');
  const [exportName, setExportName] = useState('');
  const [exported, setExported] = useState<{ out: string; entries: number } | null>(null);

  async function doPreview() {
    if (!file.trim()) return onError(localError('dict.errFile'));
    setBusy(true);
    setApplied(null);
    try {
      setPreview(await call('dict.preview', { file: file.trim(), ...(name.trim() && { name: name.trim() }) }));
    } catch (e) {
      onError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }
  async function apply() {
    if (!preview) return;
    setBusy(true);
    try {
      const r = await call('dict.import', { file: file.trim(), ...(name.trim() && { name: name.trim() }), ...(note.trim() && { note: note.trim() }), ...(skipInvalid && { skipInvalid: true }) });
      setApplied({ dictionary: r.dictionary, version: r.version, entries: r.entries, skipped: r.skipped.length });
      setPreview(null);
      onChanged();
    } catch (e) {
      onError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }
  async function doExport() {
    if (!out.trim()) return onError(localError('dict.errOut'));
    setBusy(true);
    try {
      setExported(await call('dict.export', { out: out.trim(), ...(exportName && { name: exportName }) }));
    } catch (e) {
      onError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }
  const blocked = !!preview && preview.errors.length > 0 && !skipInvalid;
  return (
    <div className="grid-2">
      <Card title={t('dict.importTitle')} testId="dict-import">
        <div className="form">
          <div className="field">
            <label htmlFor="dict-file">{t('dict.file')}</label>
            <PathField id="dict-file" value={file} onChange={(v) => { setFile(v); setPreview(null); }} kind="files" placeholder="D:\词库\分行补充词库.xlsx" testId="dict-file" onError={onError} />
            <p className="hint">{t('dict.fileHint')}</p>
          </div>
          <div className="field-pair">
            <div className="field">
              <label htmlFor="dict-name">{t('dict.targetName')}</label>
              <input id="dict-name" className="input" value={name} onChange={(e) => { setName(e.target.value); setPreview(null); }} list="dict-names" placeholder={t('dict.targetNameHint')} data-testid="dict-name" />
              <datalist id="dict-names">{dicts?.map((d) => <option key={d.id} value={d.name} />)}</datalist>
            </div>
            <div className="field">
              <label htmlFor="dict-note">{t('dict.versionNote')}</label>
              <input id="dict-note" className="input" value={note} onChange={(e) => setNote(e.target.value)} data-testid="dict-note" />
            </div>
          </div>
          <div className="form-actions">
            <GuardButton method="dict.preview" className="btn" onClick={() => void doPreview()} disabled={busy} data-testid="dict-preview">
              {t('dict.preview')}
            </GuardButton>
          </div>
        </div>
        {applied && (
          <div className="notice notice-ok" role="status" data-testid="dict-applied">
            {t('dict.applied', { name: applied.dictionary, v: applied.version, n: formatCount(applied.entries, lang), skipped: applied.skipped })}
          </div>
        )}
        {preview && (
          <div data-testid="dict-preview-result" style={{ marginTop: 12 }}>
            <h3 className="section-title">{t('dict.previewOf', { name: preview.dictionary, n: formatCount(preview.entries, lang) })}</h3>
            {preview.errors.length > 0 && (
              <>
                <p className="invalid-text small" data-testid="dict-preview-errors" data-value={preview.errors.length}>
                  {t('dict.rowErrors', { n: preview.errors.length })}
                </p>
                <div className="table-wrap">
                  <table className="table table-problems">
                    <thead>
                      <tr>
                        <th className="num">{t('dict.row')}</th>
                        <th>{t('common.reason')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {preview.errors.map((e, i) => (
                        <tr key={i}>
                          <td className="num">{e.row}</td>
                          <td className="reason-cell">{e.reason}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <label className="toggle" style={{ marginTop: 8 }}>
                  <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} data-testid="dict-skip-invalid" />
                  {t('dict.skipInvalid')}
                </label>
              </>
            )}
            <DiffView diff={preview.diff} />
            <div className="form-actions">
              <button type="button" className="btn" onClick={() => setPreview(null)}>
                {t('common.cancel')}
              </button>
              <GuardButton method="dict.import" className="btn btn-primary" onClick={() => void apply()} disabled={busy || blocked} title={blocked ? t('dict.blocked') : undefined} data-testid="dict-apply">
                {t('dict.apply')}
              </GuardButton>
            </div>
          </div>
        )}
      </Card>
      <Card title={t('dict.exportTitle')} testId="dict-export">
        <div className="form">
          <div className="field">
            <label htmlFor="dict-export-name">{t('dict.exportWhich')}</label>
            <select id="dict-export-name" className="input select" value={exportName} onChange={(e) => setExportName(e.target.value)}>
              <option value="">{t('dict.exportActive')}</option>
              {dicts?.map((d) => (
                <option key={d.id} value={d.name}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="dict-out">{t('dict.out')}</label>
            <PathField id="dict-out" value={out} onChange={setOut} kind="saveFile" placeholder="D:\词库\导出.xlsx" testId="dict-out" onError={onError} />
            <p className="hint">{t('dict.outHint')}</p>
          </div>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={() => void doExport()} disabled={busy} data-testid="dict-export-run">
              {t('dict.export')}
            </button>
          </div>
          {exported && (
            <div className="notice notice-ok" data-testid="dict-exported">
              {t('dict.exported', { n: formatCount(exported.entries, lang) })} <code className="mono-wrap">{exported.out}</code>
            </div>
          )}
        </div>
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------- proposals
function Proposals({ onError }: { onError: (e: ApiError) => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Proposal[] | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    call('review.proposals', {})
      .then(setRows)
      .catch((e: unknown) => onError(errorOf(e)));
  }, [reload, onError]);
  async function decide(id: number, accept: boolean) {
    try {
      await call('review.proposalDecide', { id, accept });
      setReload((n) => n + 1);
    } catch (e) {
      onError(errorOf(e));
    }
  }
  return (
    <Card title={t('dict.proposalsTitle')} testId="dict-proposals">
      <p className="hint intro">{t('dict.proposalsHint')}</p>
      {!rows ? (
        <p className="muted">{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{t('dict.noProposals')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('hits.rule')}</th>
              <th>{t('dict.phrase')}</th>
              <th className="num">{t('dict.dismissCount')}</th>
              <th>{t('hits.status')}</th>
              <th>{t('dict.updated')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id} data-testid="proposal-row">
                <td>
                  <code>{p.rule}</code>
                </td>
                <td>“{p.phrase}”</td>
                <td className="num">{p.dismissals}</td>
                <td>
                  {t(p.status === 'accepted' ? 'dict.accepted' : p.status === 'rejected' ? 'dict.rejected' : 'dict.open')}
                  {p.version !== null && (
                    <span className="small muted" data-testid="proposal-version">
                      {' '}
                      → {p.dictionary} v{p.version}
                    </span>
                  )}
                </td>
                <td className="mono small">{beijingTime(p.createdAt)}</td>
                <td>
                  {p.status === 'open' && (
                    <span className="button-row">
                      <GuardButton method="review.proposalDecide" className="btn btn-small" onClick={() => void decide(p.id, true)} data-testid="proposal-accept">
                        {t('dict.accept')}
                      </GuardButton>
                      <GuardButton method="review.proposalDecide" className="btn btn-small" onClick={() => void decide(p.id, false)} data-testid="proposal-reject">
                        {t('dict.reject')}
                      </GuardButton>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- behaviour rules
const PARAM_LABELS: Record<string, [string, string]> = {
  withinMinutes: ['撤回时限（分钟）', 'Recall within (minutes)'],
  minYuan: ['起报金额（元）', 'Report from (CNY)'],
  highYuan: ['高风险金额（元）', 'High severity from (CNY)'],
  start: ['工作时间开始', 'Working hours start'],
  end: ['工作时间结束', 'Working hours end'],
  weekends: ['周末计为非工作时间', 'Weekends count as off hours'],
  minRecipients: ['最少客户数', 'Minimum customers'],
  windowMinutes: ['时间窗（分钟）', 'Window (minutes)'],
  minLength: ['最短字数', 'Minimum length'],
  namePattern: ['文件名关键词（正则）', 'File name pattern (regex)'],
  extensions: ['文件扩展名', 'File extensions'],
  allow: ['允许的域名', 'Allowed domains'],
  hours: ['未回复时限（小时）', 'Unanswered after (hours)'],
};

function Rules({ onError }: { onError: (e: ApiError) => void }) {
  const { t } = useI18n();
  const [rules, setRules] = useState<RuleSetting[] | null>(null);
  useEffect(() => {
    call('rules.list', {})
      .then(setRules)
      .catch((e: unknown) => onError(errorOf(e)));
  }, [onError]);
  return (
    <Card title={t('dict.rulesTitle')} testId="dict-rules">
      <p className="hint intro">{t('dict.rulesHint')}</p>
      {!rules ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('dict.ruleName')}</th>
              <th>{t('dict.enabled')}</th>
              <th>{t('dict.params')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <RuleRow key={r.rule} rule={r} onSaved={(n) => setRules((rs) => rs?.map((x) => (x.rule === n.rule ? n : x)) ?? null)} onError={onError} />
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function RuleRow({ rule, onSaved, onError }: { rule: RuleSetting; onSaved: (r: RuleSetting) => void; onError: (e: ApiError) => void }) {
  const { t, lang } = useI18n();
  const s = useSession();
  const reason = s.reason('rules.set');
  const [enabled, setEnabled] = useState(rule.enabled);
  const [params, setParams] = useState<Record<string, unknown>>(rule.params);
  const [saved, setSaved] = useState(false);
  // list parameters are edited as text (one per line) and parsed as typed, so a new line can be started
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const dirty = enabled !== rule.enabled || JSON.stringify(params) !== JSON.stringify(rule.params);
  async function save() {
    try {
      const r = await call('rules.set', { rule: rule.rule, enabled, params });
      onSaved(r);
      setParams(r.params);
      setDrafts({});
      setSaved(true);
    } catch (e) {
      onError(errorOf(e));
    }
  }
  const set = (k: string, v: unknown) => {
    setSaved(false);
    setParams((p) => ({ ...p, [k]: v }));
  };
  return (
    <tr data-testid="rule-row" data-rule={rule.rule}>
      <td>
        <div className="strong">{lang === 'zh' ? rule.zh : rule.en}</div>
        <div className="small muted">{lang === 'zh' ? rule.en : rule.zh}</div>
        <code className="small muted">{rule.rule}</code>
      </td>
      <td>
        <label className="toggle" title={reason}>
          <input type="checkbox" checked={enabled} disabled={!!reason} onChange={(e) => { setSaved(false); setEnabled(e.target.checked); }} data-testid="rule-enabled" />
          {enabled ? t('dict.on') : t('dict.off')}
        </label>
      </td>
      <td>
        {Object.keys(params).length === 0 ? (
          <span className="muted small">{t('dict.noParams')}</span>
        ) : (
          <div className="rule-params">
            {Object.entries(params).map(([k, v]) => {
              const label = PARAM_LABELS[k] ? (lang === 'zh' ? PARAM_LABELS[k][0] : PARAM_LABELS[k][1]) : k;
              return (
                <label key={k} className="mini-field" title={k}>
                  <span>{label}</span>
                  {typeof v === 'number' ? (
                    <input className="input input-number" type="number" value={String(v)} disabled={!!reason} onChange={(e) => set(k, e.target.value === '' ? 0 : Number(e.target.value))} data-param={k} />
                  ) : typeof v === 'boolean' ? (
                    <input type="checkbox" checked={v} disabled={!!reason} onChange={(e) => set(k, e.target.checked)} data-param={k} />
                  ) : Array.isArray(v) ? (
                    <textarea
                      className="input"
                      rows={4}
                      value={drafts[k] ?? (v as string[]).join('\n')}
                      disabled={!!reason}
                      onChange={(e) => {
                        const text = e.target.value;
                        setDrafts((d) => ({ ...d, [k]: text }));
                        set(k, text.split(/[\n,，、]/).map((x) => x.trim()).filter(Boolean));
                      }}
                      data-param={k}
                      title={t('dict.listHint')}
                    />
                  ) : (
                    <input className={`input ${String(v).length > 12 ? 'input-wide' : ''}`} value={String(v)} disabled={!!reason} onChange={(e) => set(k, e.target.value)} data-param={k} />
                  )}
                </label>
              );
            })}
          </div>
        )}
      </td>
      <td>
        <GuardButton method="rules.set" className="btn btn-small" disabled={!dirty} onClick={() => void save()} data-testid="rule-save">
          {t('common.save')}
        </GuardButton>
        {saved && !dirty && <div className="ok-text small">{t('settings.saved')}</div>}
      </td>
    </tr>
  );
}
