/**
 * The one handler table. Every method of preload/api.ts has exactly one handler here; a missing
 * or mistyped one fails tsc, and combine() refuses a name defined twice. Hosts never call the
 * core any other way.
 */
import type { In, Method, Out } from '../../../preload/api.js';
import { listMessages, listQuarantine, stats } from '../archive/queries.js';
import { ingest, type IngestOptions, type IngestResult } from '../import/ingest.js';
import { branchTree, importPeople, listContacts, listStaff } from '../people/people.js';
import { conversationWindow, listConversations, locateMessage } from '../viewer/conversations.js';
import { getMedia } from '../viewer/media.js';
import { decodeVoice } from '../media/audio.js';
import { Detector } from '../detect/engine.js';
import { parseDictionaryFile, toEntry, writeDictionaryFile } from '../detect/dictionaryFile.js';
import { jiebaSegmenter } from '../detect/segment.js';
import { activeSet, addVersion, BASELINE, detectorFor, diffEntries, listDictionaries, listVersions, seedDefault, setActive, versionEntries } from '../rules/dictionaries.js';
import { ruleSettings, setRuleSetting } from '../scan/behaviour.js';
import { listHits } from '../scan/hits.js';
import { scanStatus } from '../scan/status.js';
import { PERMISSIONS } from '../review/permissions.js';
import { buildEvidence } from '../report/evidence.js';
import { expectedSigner, readTrustedSigners } from '../report/trust.js';
import { rotateSigningKey } from '../report/signing.js';
import { verifyPack } from '../report/verify.js';
import { writeReport } from '../report/workbook.js';
import { dashboard } from '../report/dashboard.js';
import { addSchedule, fireSchedule, listRuns, listSchedules, removeSchedule, runSchedule, Scheduler, setScheduleEnabled, updateSchedule } from '../scheduler/schedules.js';
import { casesInScope, contactsInScope, maskContact, maskConversation, maskHit, maskMessage, maskText, policyOf, requireCaseInScope, requireConversationInScope, requireHitsInScope, requireMediaInScope, scopeWhere, type Policy } from '../review/policy.js';
import { appendAudit, listAudit, verifyAudit } from '../review/audit.js';
import { createCase, decideProposal, getCase, listCases, listProposals, reviewHistory, triage, updateCase } from '../review/triage.js';
import { addUser, changePassword, createRecoveryKey, getUser, listUsers, recoverWithKey, recoveryStatus, resetPassword, setDisabled } from '../review/users.js';
import { getSettings, setSettings } from '../viewer/settings.js';
import { search } from '../search/search.js';
import { CIPHER_DESCRIPTION, createStore, openStore } from '../store/index.js';
import { readKeyring } from '../store/keyring.js';
import { writerBusyError } from '../store/writerLock.js';
import { assertIntact, checkStore, explainDamage } from '../store/check.js';
import type { Actor, Session } from './context.js';
import { CoreError } from './errors.js';

export type Handler<M extends Method> = (input: In<M>, session: Session) => Promise<Out<M>> | Out<M>;
export type Handlers = { [M in Method]: Handler<M> };
type Slice = Partial<Handlers>;

export function combine(...slices: Slice[]): Handlers {
  const table: Record<string, unknown> = {};
  for (const slice of slices) {
    for (const [name, fn] of Object.entries(slice)) {
      if (name in table) throw new Error(`handler ${name} defined twice`);
      table[name] = fn;
    }
  }
  return table as Handlers;
}

const MIN_PASSPHRASE = 8;

/** The parameters main/core/store/index.ts applyKey sets, said for an independent reader (README "The store and its key"). */
const CIPHER_PARAMS: Out<'key.export'>['cipher'] = {
  name: 'sqlcipher',
  description: CIPHER_DESCRIPTION,
  sqlite3mc: { cipher: 'sqlcipher', legacy: 3, legacy_page_size: 16384 },
  sqlcipher: { compatibility: 3, cipher_page_size: 16384, cipher_hmac_algorithm: 'HMAC_SHA1', cipher_kdf_algorithm: 'PBKDF2_HMAC_SHA1', kdf_iter: 64000, rawKey: true },
  pragmas: [`PRAGMA key = "x'<key>'";`, 'PRAGMA cipher_page_size = 16384;'],
};

const storeSlice = {
  'app.info': (_: In<'app.info'>, s: Session) => ({
    version: s.config.version,
    defaultDbPath: s.config.defaultDbPath,
    samplesDir: s.config.samplesDir,
    nativeDialogs: s.config.nativeDialogs,
    open: s.store ? { dbPath: s.store.dbPath, user: s.store.user, schemaVersion: s.store.schemaVersion, cipher: CIPHER_DESCRIPTION } : null,
  }),
  'store.create': (i: In<'store.create'>, s: Session) => {
    if (i.passphrase.length < MIN_PASSPHRASE) {
      throw new CoreError('usage', `口令至少 ${MIN_PASSPHRASE} 个字符`, `The passphrase needs at least ${MIN_PASSPHRASE} characters`);
    }
    s.close();
    s.store = createStore(i.dbPath, i.passphrase);
    s.actor = { user: 'admin', role: 'admin', branch: '' };
    appendAudit(s.store.db, s.store.dbPath, 'admin', 'store.create', i.dbPath);
    const recoveryKey = s.store.recoveryKey!;
    delete s.store.recoveryKey;
    return { created: i.dbPath, recoveryKey };
  },
  'store.unlock': (i: In<'store.unlock'>, s: Session) => {
    s.close();
    const store = openStore(i.dbPath, i.passphrase, i.user ?? 'admin');
    const row = explainDamage(store, () => getUser(store, store.user));
    if (!row || row.disabled) {
      store.close();
      throw new CoreError('forbidden', `用户已停用：${store.user}`, `The user is disabled: ${store.user}`);
    }
    s.store = store;
    s.actor = { user: row.user, role: row.role, branch: row.branch };
    if (s.config.runSchedules) {
      // schedules fire while the window is open, each with its creator's rights (not the signed-in user's)
      // a timer the store no longer matches (changed from the command line) runs nothing and resets the timers
      s.scheduler = new Scheduler(async (id, cron) => (await fireSchedule(store, { id, cron }, row.user, runContext(s))) ?? restartAfter(s, null));
      s.scheduler.restart(listSchedules(store));
    }
    explainDamage(store, () => appendAudit(store.db, store.dbPath, row.user, 'login', '', { ...(store.failedBefore && { failedAttemptsBefore: store.failedBefore }), ...(store.uncleanShutdown && { uncleanShutdownChecked: store.uncleanShutdown }) }));
    return { dbPath: s.store.dbPath, user: s.store.user, schemaVersion: s.store.schemaVersion, cipher: CIPHER_DESCRIPTION };
  },
  'store.lock': (_: In<'store.lock'>, s: Session) => {
    if (s.store && s.actor) appendAudit(s.store.db, s.store.dbPath, s.actor.user, 'logout');
    s.close();
    return { locked: true as const };
  },
  'store.stats': (_: In<'store.stats'>, s: Session) => stats(s.requireStore().db),
  'store.check': (_: In<'store.check'>, s: Session) => checkStore(s.requireStore(), 'full'),
} satisfies Slice;

const importSlice = {
  'import.run': async (i: In<'import.run'>, s: Session) => {
    const r = await runIngest(s, i.wait, {
      import: {
        paths: i.paths,
        ...(i.mediaDir !== undefined && { mediaDir: i.mediaDir }),
        ...(i.batchSize !== undefined && { batchSize: i.batchSize }),
        ...(i.maxRecordBytes !== undefined && { maxRecordBytes: i.maxRecordBytes }),
        ...(i.maxMediaBytes !== undefined && { maxMediaBytes: i.maxMediaBytes }),
        onProgress: (p) => s.emit('import.progress', p),
      },
      index: i.index !== false,
      scan: i.scan === false ? false : {},
      user: actorOf(s),
    });
    const summary = r.import!;
    return { ...summary, indexed: r.index, scan: r.scan && { scanned: r.scan.scanned, hits: r.scan.hits, byCategory: r.scan.byCategory } };
  },
  'import.cancel': (_: In<'import.cancel'>, s: Session) => {
    const running = !!s.importAbort;
    s.importAbort?.abort();
    return { cancelled: running };
  },
  'import.quarantine': (i: In<'import.quarantine'>, s: Session) => listQuarantine(s.requireStore().db, i.limit),
} satisfies Slice;

const messagesSlice = {
  'messages.list': (i: In<'messages.list'>, s: Session) => {
    // the scope is part of the query: LIMIT counts rows the user may see
    const p = policy(s);
    return listMessages(s.requireStore().db, i, scopeWhere(p)).map((m) => ({ ...m, text: maskText(p, m.text) }));
  },
} satisfies Slice;

const peopleSlice = {
  'people.import': (i: In<'people.import'>, s: Session) => importPeople(s.requireStore().db, i.file, i.kind),
} satisfies Slice;

const searchSlice = {
  'search.query': (i: In<'search.query'>, s: Session) => {
    const p = policy(s);
    const r = search(s.requireStore().db, i);
    // a masked number keeps its length, so the highlight still points at the match
    return p.masks ? { ...r, results: r.results.map((h) => ({ ...h, snippet: maskText(p, h.snippet) })) } : r;
  },
  'search.index': async (i: In<'search.index'>, s: Session) => (await runIngest(s, i.wait, { index: true, scan: false, user: actorOf(s) })).index!,
} satisfies Slice;

const viewerSlice = {
  'conversations.list': (i: In<'conversations.list'>, s: Session) => {
    const p = policy(s);
    return listConversations(s.requireStore().db, i).map((c) => maskConversation(p, c));
  },
  'conversations.messages': (i: In<'conversations.messages'>, s: Session) => {
    const p = policy(s);
    requireConversationInScope(s.requireStore().db, p, i.conversation);
    const w = conversationWindow(s.requireStore().db, i.conversation, i.offset, i.limit);
    return p.masks ? { ...w, messages: w.messages.map((m) => maskMessage(p, m)) } : w;
  },
  'conversations.locate': (i: In<'conversations.locate'>, s: Session) => {
    const at = locateMessage(s.requireStore().db, i.msgid);
    if (at) requireConversationInScope(s.requireStore().db, policy(s), at.conversation);
    return at;
  },
  'media.get': (i: In<'media.get'>, s: Session) => {
    requireMediaInScope(s.requireStore().db, policy(s), i.sha256);
    const m = getMedia(s.requireStore().db, i.sha256);
    return { sha256: m.sha256, mime: m.mime, size: m.size, name: m.name, base64: m.bytes.toString('base64') };
  },
  'media.audio': async (i: In<'media.audio'>, s: Session) => {
    requireMediaInScope(s.requireStore().db, policy(s), i.sha256);
    const m = getMedia(s.requireStore().db, i.sha256);
    const a = await decodeVoice(m.bytes);
    return { sha256: m.sha256, codec: a.codec, sampleRate: a.sampleRate, durationMs: a.durationMs, wavBase64: a.wav.toString('base64') };
  },
  'people.list': (i: In<'people.list'>, s: Session) => {
    const db = s.requireStore().db;
    const p = policy(s);
    return i.kind === 'staff' ? listStaff(db, i.branch) : contactsInScope(db, p, listContacts(db)).map((c) => maskContact(p, c));
  },
  'people.branches': (_: In<'people.branches'>, s: Session) => branchTree(s.requireStore().db),
  'settings.get': (_: In<'settings.get'>, s: Session) => getSettings(s.requireStore().db),
  'settings.set': (i: In<'settings.set'>, s: Session) => setSettings(s.requireStore().db, i),
} satisfies Slice;

const defaultDetector = (s: Session) => {
  const file = s.config.defaultDictionary;
  if (!file) throw new CoreError('usage', '没有打开的存储库，也没有内置词库', 'No store is open and no bundled dictionary');
  return parseDictionaryFile(file).then((d) => new Detector(d.entries, jiebaSegmenter()));
};
let bundled: { file: string; detector: Promise<Detector> } | null = null;

const detectSlice = {
  'detect.text': async (i: In<'detect.text'>, s: Session) => {
    let detector: Detector;
    if (s.store) {
      await seedDefault(s.store.db, s.config.defaultDictionary);
      detector = detectorFor(activeSet(s.store.db));
    } else {
      if (!bundled || bundled.file !== s.config.defaultDictionary) bundled = { file: s.config.defaultDictionary ?? '', detector: defaultDetector(s) };
      detector = await bundled.detector;
    }
    return detector.detect(i.text, i.side ?? 'both');
  },
  // a scan first indexes what an earlier, interrupted import left unindexed: the same pipeline
  'scan.run': async (i: In<'scan.run'>, s: Session) => (await runIngest(s, i.wait, { index: true, scan: { full: !!i.full }, user: actorOf(s) })).scan!,
  'scan.status': (_: In<'scan.status'>, s: Session) => scanStatus(s.requireStore().db),
  'hits.list': (i: In<'hits.list'>, s: Session) => {
    const p = policy(s);
    const r = listHits(s.requireStore().db, i);
    // auditors see PII masked; unmasking is its own, audited, act (pii.unmask)
    if (p.masks) r.hits = r.hits.map((h) => maskHit(p, h));
    return r;
  },
  'dict.list': async (_: In<'dict.list'>, s: Session) => {
    const db = s.requireStore().db;
    await seedDefault(db, s.config.defaultDictionary);
    return listDictionaries(db);
  },
  'dict.entries': async (i: In<'dict.entries'>, s: Session) => {
    const db = s.requireStore().db;
    await seedDefault(db, s.config.defaultDictionary);
    if (i.name) return versionEntries(db, i.name, i.version);
    return activeSet(db).entries;
  },
  'dict.versions': (i: In<'dict.versions'>, s: Session) => listVersions(s.requireStore().db, i.name),
  'dict.diff': (i: In<'dict.diff'>, s: Session) => {
    const db = s.requireStore().db;
    return diffEntries(versionEntries(db, i.name, i.from), versionEntries(db, i.name, i.to));
  },
  'dict.preview': async (i: In<'dict.preview'>, s: Session) => {
    const db = s.requireStore().db;
    await seedDefault(db, s.config.defaultDictionary);
    const parsed = await parseDictionaryFile(i.file);
    const name = i.name ?? parsed.name ?? BASELINE;
    const current = listDictionaries(db).some((d) => d.name === name) ? versionEntries(db, name) : [];
    return { dictionary: name, entries: parsed.entries.length, errors: parsed.errors, diff: diffEntries(current, parsed.entries) };
  },
  'dict.import': async (i: In<'dict.import'>, s: Session) => {
    const store = s.requireStore();
    await seedDefault(store.db, s.config.defaultDictionary);
    const parsed = await parseDictionaryFile(i.file);
    if (parsed.errors.length && !i.skipInvalid) {
      throw new CoreError(
        'rejected',
        `词库有 ${parsed.errors.length} 行错误，未应用任何内容：${parsed.errors.slice(0, 20).map((e) => `第 ${e.row} 行 ${e.reason}`).join('；')}`,
        `${parsed.errors.length} rows have errors; nothing was applied`,
        { errors: parsed.errors },
      );
    }
    if (!parsed.entries.length) throw new CoreError('rejected', '词库没有有效的词条，未应用', 'The dictionary has no valid entries; nothing was applied');
    const name = i.name ?? parsed.name ?? BASELINE;
    const current = listDictionaries(store.db).some((d) => d.name === name) ? versionEntries(store.db, name) : [];
    const v = addVersion(store.db, name, parsed.entries, store.user, i.note ?? `导入 ${i.file}`);
    return { ...v, entries: parsed.entries.length, skipped: parsed.errors, diff: diffEntries(current, parsed.entries) };
  },
  'dict.save': (i: In<'dict.save'>, s: Session) => {
    const store = s.requireStore();
    const errors: string[] = [];
    const entries = i.entries.map((e, n) => {
      try {
        return toEntry(e, `R${n + 1}`);
      } catch (err) {
        errors.push(`第 ${n + 1} 条 ${(err as Error).message}`);
        return null;
      }
    });
    if (errors.length) throw new CoreError('rejected', `词条有错误，未保存：${errors.slice(0, 20).join('；')}`, 'Some entries have errors; nothing was saved', { errors });
    const valid = entries.filter((e): e is NonNullable<typeof e> => e !== null);
    const current = listDictionaries(store.db).some((d) => d.name === i.name) ? versionEntries(store.db, i.name) : [];
    return { ...addVersion(store.db, i.name, valid, store.user, i.note ?? '', i.scope ?? ''), diff: diffEntries(current, valid) };
  },
  'dict.export': async (i: In<'dict.export'>, s: Session) => {
    const db = s.requireStore().db;
    await seedDefault(db, s.config.defaultDictionary);
    const entries = i.name ? versionEntries(db, i.name) : activeSet(db).entries.map(({ dictionary: _d, ...e }) => e);
    await writeDictionaryFile(i.out, i.name ?? BASELINE, entries);
    return { out: i.out, entries: entries.length };
  },
  'dict.setActive': (i: In<'dict.setActive'>, s: Session) => {
    setActive(s.requireStore().db, i.name, i.active);
    return { name: i.name, active: i.active };
  },
  'rules.list': (_: In<'rules.list'>, s: Session) => ruleSettings(s.requireStore().db),
  'rules.set': (i: In<'rules.set'>, s: Session) => {
    const store = s.requireStore();
    return setRuleSetting(store.db, i.rule, { ...(i.enabled !== undefined && { enabled: i.enabled }), ...(i.params !== undefined && { params: i.params }) }, store.user);
  },
} satisfies Slice;

/** The acting user's scope and masking (review/policy.ts): decided once per request, from the signed-in user. */
const policy = (s: Session): Policy => policyOf(s.actor);

const actorOf = (s: Session) => s.actor?.user ?? s.requireStore().user;
/** the acting user with role and scope (dispatch has set it for every role-checked method) */
function actorOrDeny(s: Session): Actor {
  if (!s.actor) throw new CoreError('forbidden', '无权操作：未登录', 'Not permitted: nobody is signed in');
  return s.actor;
}

/**
 * The ingest pipeline (import → index → scan) for a window, CLI or test-server request: one
 * at a time per store (the writer lock), cancellable with import.cancel, progress as events.
 */
async function runIngest(s: Session, waitSeconds: number | undefined, opts: Omit<IngestOptions, 'signal' | 'onWait' | 'onPhase' | 'waitMs'>): Promise<IngestResult> {
  const store = s.requireStore();
  if (s.importAbort) throw writerBusyError({ pid: process.pid, host: '', op: 'ingest', user: actorOf(s), startedAt: Date.now(), token: '' }, 0);
  const abort = new AbortController();
  s.importAbort = abort;
  try {
    return await ingest(store, {
      ...opts,
      ...(s.config.defaultDictionary !== undefined && { defaultDictionary: s.config.defaultDictionary }),
      signal: abort.signal,
      waitMs: (waitSeconds ?? 0) * 1000,
      onWait: (holder) => s.emit('store.writerWait', { holder: holder && { pid: holder.pid, host: holder.host, op: holder.op, user: holder.user, startedAt: holder.startedAt } }),
      onPhase: (phase) => s.emit('import.phase', { phase }),
      onIndexProgress: (p) => s.emit('search.indexProgress', p),
      onScanProgress: (p) => s.emit('scan.progress', p),
    });
  } finally {
    s.importAbort = null;
  }
}

/** what a schedule's run needs from the host */
function runContext(s: Session): { defaultDictionary?: string; appVersion: string } {
  return { ...(s.config.defaultDictionary && { defaultDictionary: s.config.defaultDictionary }), appVersion: s.config.version };
}
/** the app's clock follows every change to the schedules (none outside the window or the test server) */
function restartAfter<T>(s: Session, result: T): T {
  s.scheduler?.restart(listSchedules(s.requireStore()));
  return result;
}

const reviewSlice = {
  'session.whoami': (_: In<'session.whoami'>, s: Session) => s.actor,
  'session.permissions': () => PERMISSIONS,
  'users.add': (i: In<'users.add'>, s: Session) => addUser(s.requireStore(), i.user, i.role, i.branch ?? '', i.password, actorOf(s)),
  'users.list': (_: In<'users.list'>, s: Session) => listUsers(s.requireStore()),
  'users.setDisabled': (i: In<'users.setDisabled'>, s: Session) => setDisabled(s.requireStore(), i.user, i.disabled, i.password),
  'users.changePassword': (i: In<'users.changePassword'>, s: Session) => {
    const user = i.user ?? actorOf(s);
    if (user !== actorOf(s) && s.actor?.role !== 'admin') throw new CoreError('forbidden', '只能修改自己的密码', 'You can change only your own password');
    changePassword(s.requireStore(), user, i.password);
    return { user };
  },
  'users.resetPassword': (i: In<'users.resetPassword'>, s: Session) => {
    const store = s.requireStore();
    const lockoutCleared = !!readKeyring(store.dbPath).failures?.[i.user];
    resetPassword(store, i.user, i.password);
    return { user: i.user, lockoutCleared };
  },
  'users.recover': (i: In<'users.recover'>, s: Session) => {
    s.close();
    // audited inside (users.recover); closed again so that the next step is a normal sign-in with the new password
    recoverWithKey(i.dbPath, i.recoveryKey, i.user ?? 'admin', i.password).close();
    return { user: i.user ?? 'admin', recovered: true as const };
  },
  'key.recoveryCreate': (_: In<'key.recoveryCreate'>, s: Session) => createRecoveryKey(s.requireStore()),
  'key.status': (_: In<'key.status'>, s: Session) => recoveryStatus(s.requireStore()),
  'key.export': (_: In<'key.export'>, s: Session) => ({ key: s.requireStore().dataKey.toString('hex'), cipher: CIPHER_PARAMS }),
  'review.triage': (i: In<'review.triage'>, s: Session) => (requireHitsInScope(s.requireStore().db, policy(s), i.hits), { ...triage(s.requireStore().db, i.hits, i.status, actorOf(s), i.reason ?? '', i.note ?? ''), status: i.status }),
  'review.history': (i: In<'review.history'>, s: Session) => (requireHitsInScope(s.requireStore().db, policy(s), [i.hit]), reviewHistory(s.requireStore().db, i.hit)),
  'review.proposals': (_: In<'review.proposals'>, s: Session) => listProposals(s.requireStore().db),
  'review.proposalDecide': (i: In<'review.proposalDecide'>, s: Session) => {
    const store = s.requireStore();
    const actor = actorOrDeny(s);
    const { proposal, exclusion } = decideProposal(store.db, i.id, i.accept, actor);
    // the dictionary version it produced, in the log beside the decision (dispatch logs that)
    if (exclusion?.created) {
      appendAudit(store.db, store.dbPath, actor.user, 'dict.exclusion', `dict=${exclusion.dictionary}@${exclusion.version}`, {
        proposal: proposal.id,
        rule: proposal.rule,
        phrase: proposal.phrase,
        dictionary: exclusion.dictionary,
        version: exclusion.version,
        carrier: exclusion.carrier,
      });
    }
    return proposal;
  },
  'cases.create': (i: In<'cases.create'>, s: Session) => (requireHitsInScope(s.requireStore().db, policy(s), i.hits), { id: createCase(s.requireStore().db, i.title, i.hits, actorOf(s), i.assignee ?? '', i.dueAt ?? null, i.note ?? '') }),
  'cases.list': (i: In<'cases.list'>, s: Session) => {
    const db = s.requireStore().db;
    const rows = listCases(db, i.status);
    const visible = casesInScope(db, policy(s), rows.map((c) => c.id));
    return rows.filter((c) => visible.has(c.id));
  },
  'cases.get': (i: In<'cases.get'>, s: Session) => {
    const p = policy(s);
    const c = getCase(s.requireStore().db, i.id);
    requireCaseInScope(s.requireStore().db, p, i.id);
    return p.masks ? { ...c, hitRows: c.hitRows.map((h) => maskHit(p, h)) } : c;
  },
  'cases.update': (i: In<'cases.update'>, s: Session) => {
    const { id, ...u } = i;
    const db = s.requireStore().db;
    requireCaseInScope(db, policy(s), id);
    if (u.addHits?.length) requireHitsInScope(db, policy(s), u.addHits);
    return updateCase(s.requireStore().db, id, u, actorOf(s));
  },
  'log.list': (i: In<'log.list'>, s: Session) => listAudit(s.requireStore().db, i),
  'log.verify': (_: In<'log.verify'>, s: Session) => {
    const store = s.requireStore();
    return verifyAudit(store.db, store.dbPath);
  },
  'pii.unmask': (i: In<'pii.unmask'>, s: Session) => {
    const row = s.requireStore().db.prepare(`SELECT match FROM hits WHERE id = ? AND category = 'pii'`).get(i.hit) as { match: string } | undefined;
    // revealing is scoped like everything else: only a hit of one's own branch
    if (row) requireHitsInScope(s.requireStore().db, policy(s), [i.hit]);
    if (!row) throw new CoreError('not_found', `没有这条个人信息命中：${i.hit}`, `No PII hit ${i.hit}`);
    return { hit: i.hit, match: row.match };
  },
  'evidence.create': (i: In<'evidence.create'>, s: Session) => {
    if (!i.hits?.length && i.case === undefined) throw new CoreError('usage', '需要 --hits 或 --case', 'Give hits or a case');
    const db = s.requireStore().db;
    const p = policy(s);
    // out of scope is refused before anything is read; the pack is masked for whoever makes it, like their report
    if (i.hits?.length) requireHitsInScope(db, p, i.hits);
    if (i.case !== undefined) requireCaseInScope(db, p, i.case);
    assertIntact(s.requireStore(), { zh: '证据包', en: 'evidence pack' });
    return buildEvidence(s.requireStore(), { ...(i.hits && { hits: i.hits }), ...(i.case !== undefined && { caseId: i.case }) }, i.out, actorOf(s), { printPdf: s.config.printPdf, pdf: i.pdf, policy: p });
  },
  'signing.rotate': (_: In<'signing.rotate'>, s: Session) => rotateSigningKey(s.requireStore().db),
  'evidence.verify': (i: In<'evidence.verify'>) =>
    verifyPack(i.file, [...(i.expectFingerprint !== undefined ? [expectedSigner(i.expectFingerprint)] : []), ...(i.trustedSigners !== undefined ? readTrustedSigners(i.trustedSigners) : [])]),
  'dashboard.get': (i: In<'dashboard.get'>, s: Session) => dashboard(s.requireStore().db, { from: i.from, to: i.to, ...(i.branch && { branch: i.branch }) }),
  'schedules.list': (_: In<'schedules.list'>, s: Session) => listSchedules(s.requireStore(), actorOrDeny(s)),
  'schedules.add': (i: In<'schedules.add'>, s: Session) => restartAfter(s, addSchedule(s.requireStore(), i.name, i.kind, i.cron, i.params, actorOrDeny(s))),
  'schedules.setEnabled': (i: In<'schedules.setEnabled'>, s: Session) => {
    setScheduleEnabled(s.requireStore(), i.id, i.enabled, actorOrDeny(s));
    return restartAfter(s, { id: i.id, enabled: i.enabled });
  },
  'schedules.update': (i: In<'schedules.update'>, s: Session) => restartAfter(s, updateSchedule(s.requireStore(), i.id, { name: i.name, cron: i.cron, params: i.params }, actorOrDeny(s))),
  'schedules.remove': (i: In<'schedules.remove'>, s: Session) => {
    removeSchedule(s.requireStore(), i.id, actorOrDeny(s));
    return restartAfter(s, { id: i.id, deleted: true as const });
  },
  'schedules.run': (i: In<'schedules.run'>, s: Session) => runSchedule(s.requireStore(), i.id, { how: 'manual', by: actorOrDeny(s) }, runContext(s)),
  'schedules.runs': (i: In<'schedules.runs'>, s: Session) => listRuns(s.requireStore(), i.id, i.limit, actorOrDeny(s)),
  'report.create': (i: In<'report.create'>, s: Session) => {
    if (i.to <= i.from) throw new CoreError('usage', '结束时间须晚于开始时间', 'The end must come after the start');
    const store = s.requireStore();
    assertIntact(store, { zh: '报表', en: 'report' });
    const branch = s.actor?.branch || i.branch; // a scoped user's report is their branch
    return writeReport(store, { from: i.from, to: i.to, out: i.out, ...(branch && { branch }), ...(i.categories && { categories: i.categories }), user: actorOf(s), role: s.actor?.role ?? 'admin', appVersion: s.config.version });
  },
} satisfies Slice;

const shellSlice = {
  'shell.pickPaths': async (i: In<'shell.pickPaths'>, s: Session) => {
    if (!s.config.pickPaths) {
      throw new CoreError('usage', '此环境没有文件对话框，请直接输入路径', 'No file dialog here; type the path instead');
    }
    return { paths: await s.config.pickPaths(i.kind, i.title) };
  },
} satisfies Slice;

// tsc fails here when a method of the contract has no handler
type Covered = keyof typeof storeSlice | keyof typeof importSlice | keyof typeof messagesSlice | keyof typeof peopleSlice | keyof typeof searchSlice | keyof typeof viewerSlice | keyof typeof detectSlice | keyof typeof reviewSlice | keyof typeof shellSlice;
const everyMethodHandled: Record<Exclude<Method, Covered>, never> = {};
void everyMethodHandled;

export const handlers: Handlers = combine(storeSlice, importSlice, messagesSlice, peopleSlice, searchSlice, viewerSlice, detectSlice, reviewSlice, shellSlice);
