/**
 * Dictionaries in the store: each a list of versions (who, when, what), several active at once
 * (the head-office baseline plus branch additions). The active set compiles into one Detector,
 * cached by its version stamp, so a changed dictionary applies at the next call, no restart.
 */
import fs from 'node:fs';
import type { DictionaryInfo, DictVersion as VersionInfo } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import { Detector } from '../detect/engine.js';
import { jiebaSegmenter } from '../detect/segment.js';
import type { Entry } from '../detect/types.js';
import { parseDictionaryFile } from '../detect/dictionaryFile.js';
import type { Db } from '../store/index.js';

export const BASELINE = '总行基线词库';



/** Installs the bundled default dictionary as version 1 of the baseline, once. */
export async function seedDefault(db: Db, defaultFile: string | undefined): Promise<void> {
  if (db.prepare('SELECT 1 FROM dictionaries LIMIT 1').get()) return;
  if (!defaultFile || !fs.existsSync(defaultFile)) return;
  const parsed = await parseDictionaryFile(defaultFile);
  if (parsed.errors.length) {
    throw new CoreError('internal', `内置词库有错误行：${parsed.errors.map((e) => `${e.row}: ${e.reason}`).join('; ')}`, `The bundled dictionary has bad rows`);
  }
  addVersion(db, parsed.name ?? BASELINE, parsed.entries, 'system', '内置默认词库 / bundled default');
}

export function addVersion(db: Db, name: string, entries: Entry[], author: string, note = '', scope = ''): { dictionary: string; version: number } {
  return db.transaction(() => {
    let dict = db.prepare('SELECT id FROM dictionaries WHERE name = ?').get(name) as { id: number } | undefined;
    if (!dict) dict = { id: Number(db.prepare('INSERT INTO dictionaries(name, scope, active, created_at) VALUES (?, ?, 1, ?)').run(name, scope, Date.now()).lastInsertRowid) };
    const version = ((db.prepare('SELECT max(version) FROM dictionary_versions WHERE dictionary_id = ?').pluck().get(dict.id) as number | null) ?? 0) + 1;
    db.prepare('INSERT INTO dictionary_versions(dictionary_id, version, entries, author, created_at, note) VALUES (?, ?, ?, ?, ?, ?)').run(dict.id, version, JSON.stringify(entries), author, Date.now(), note);
    return { dictionary: name, version };
  })();
}

export function listDictionaries(db: Db): DictionaryInfo[] {
  return (
    db
      .prepare(
        `SELECT d.id, d.name, d.scope, d.active, v.version, v.entries, v.author, v.created_at FROM dictionaries d
         JOIN dictionary_versions v ON v.dictionary_id = d.id AND v.version = (SELECT max(version) FROM dictionary_versions WHERE dictionary_id = d.id)
         ORDER BY d.scope, d.name`,
      )
      .all() as Record<string, any>[]
  ).map((r) => ({ id: r.id, name: r.name, scope: r.scope, active: !!r.active, version: r.version, entries: (JSON.parse(r.entries) as unknown[]).length, author: r.author, updatedAt: r.created_at }));
}

export function setActive(db: Db, name: string, active: boolean): void {
  if (!db.prepare('UPDATE dictionaries SET active = ? WHERE name = ?').run(active ? 1 : 0, name).changes) {
    throw new CoreError('not_found', `没有名为「${name}」的词库`, `No dictionary named ${name}`);
  }
}

export function versionEntries(db: Db, name: string, version?: number): Entry[] {
  const row = db
    .prepare(
      `SELECT v.entries FROM dictionary_versions v JOIN dictionaries d ON d.id = v.dictionary_id WHERE d.name = ? ${version ? 'AND v.version = ?' : 'ORDER BY v.version DESC LIMIT 1'}`,
    )
    .get(...(version ? [name, version] : [name])) as { entries: string } | undefined;
  if (!row) throw new CoreError('not_found', `没有词库「${name}」${version ? ` 的第 ${version} 版` : ''}`, `No dictionary ${name}${version ? ` version ${version}` : ''}`);
  return JSON.parse(row.entries) as Entry[];
}

export function listVersions(db: Db, name: string): VersionInfo[] {
  return (
    db
      .prepare('SELECT v.version, v.author, v.created_at, v.note, v.entries FROM dictionary_versions v JOIN dictionaries d ON d.id = v.dictionary_id WHERE d.name = ? ORDER BY v.version DESC')
      .all(name) as Record<string, any>[]
  ).map((r) => ({ version: r.version, author: r.author, createdAt: r.created_at, note: r.note, entries: (JSON.parse(r.entries) as unknown[]).length }));
}

export type EntryDiff = { added: Entry[]; removed: Entry[]; changed: { before: Entry; after: Entry }[] };

/** What changed between two entry lists, by entry id. */
export function diffEntries(before: Entry[], after: Entry[]): EntryDiff {
  const a = new Map(before.map((e) => [e.id, e]));
  const b = new Map(after.map((e) => [e.id, e]));
  const same = (x: Entry, y: Entry) => JSON.stringify(x) === JSON.stringify(y);
  return {
    added: after.filter((e) => !a.has(e.id)),
    removed: before.filter((e) => !b.has(e.id)),
    changed: after.filter((e) => a.has(e.id) && !same(a.get(e.id)!, e)).map((e) => ({ before: a.get(e.id)!, after: e })),
  };
}

export type ActiveSet = { entries: (Entry & { dictionary: string })[]; stamp: string; sources: { name: string; version: number }[] };

/**
 * The active dictionaries' latest versions as one rule list. A rule id is one rule across the
 * active set: its exclusions are those of every active entry with that id, in any dictionary.
 * So a branch's additions dictionary can cancel false alarms of a head-office rule without
 * editing the baseline: it holds the rule as a disabled entry (detects nothing itself) with the
 * extra exclusions, which join the enabled rule here. Such carriers, once joined, are left out.
 * Done here, not in the detector: the engine keeps seeing plain entries.
 */
export function activeSet(db: Db): ActiveSet {
  const rows = db
    .prepare(
      `SELECT d.name, v.version, v.entries FROM dictionaries d JOIN dictionary_versions v ON v.dictionary_id = d.id
       WHERE d.active = 1 AND v.version = (SELECT max(version) FROM dictionary_versions WHERE dictionary_id = d.id) ORDER BY d.scope, d.name`,
    )
    .all() as { name: string; version: number; entries: string }[];
  const all = rows.flatMap((r) => (JSON.parse(r.entries) as Entry[]).map((e) => ({ ...e, dictionary: `${r.name}@${r.version}` })));
  const exclusionsOf = new Map<string, string[]>();
  const enabled = new Set<string>();
  for (const e of all) {
    if (e.enabled !== false) enabled.add(e.id);
    if (!e.exclusions?.length) continue;
    const list = exclusionsOf.get(e.id) ?? [];
    for (const x of e.exclusions) if (!list.includes(x)) list.push(x);
    exclusionsOf.set(e.id, list);
  }
  const entries = all
    .filter((e) => e.enabled !== false || !enabled.has(e.id))
    .map((e) => {
      const union = exclusionsOf.get(e.id);
      if (e.enabled === false || !union || union.length === (e.exclusions?.length ?? 0)) return e;
      // its own first, then those from the other dictionaries
      return { ...e, exclusions: [...(e.exclusions ?? []), ...union.filter((x) => !e.exclusions?.includes(x))] };
    });
  const sources = rows.map((r) => ({ name: r.name, version: r.version }));
  return { entries, sources, stamp: sources.map((s) => `${s.name}@${s.version}`).join(',') };
}

/**
 * The head-office baseline: the bundled default and its head-office file imports. It is replaced
 * wholesale by each import of the head office's file, so nothing is written into it from here
 * (an exclusion added in place would vanish at the next import).
 */
export function isBaseline(db: Db, name: string): boolean {
  if (name === BASELINE) return true;
  return db.prepare(`SELECT v.author FROM dictionary_versions v JOIN dictionaries d ON d.id = v.dictionary_id WHERE d.name = ? ORDER BY v.version LIMIT 1`).pluck().get(name) === 'system';
}

/** The additions dictionary of a scope: head office's for '', else the branch's own (created when first needed). */
export const additionsName = (branch: string) => (branch ? `${branch}补充词库` : '总行补充词库');

export type ExclusionResult = { dictionary: string; version: number; created: boolean; carrier: boolean };

/**
 * Adds `phrase` to the exclusions of rule `rule` in a new version of a dictionary, by `author`
 * (scope `branch`, '' = head office):
 * - in the active dictionary holding the rule when the author may edit it (not the baseline, and
 *   head office or the dictionary's own branch);
 * - otherwise in the author's additions dictionary (the first active one of their scope, else
 *   `additionsName`, created), as the rule held disabled with the phrase as its exclusion: the
 *   active set joins it to the rule wherever that is defined.
 * No new version when the phrase is already there (created: false).
 */
export function addExclusion(db: Db, rule: string, phrase: string, author: { user: string; branch: string }, note: string): ExclusionResult {
  return db.transaction((): ExclusionResult => {
    const active = db
      .prepare(
        `SELECT d.name, d.scope, v.version, v.entries FROM dictionaries d JOIN dictionary_versions v ON v.dictionary_id = d.id
         WHERE d.active = 1 AND v.version = (SELECT max(version) FROM dictionary_versions WHERE dictionary_id = d.id) ORDER BY d.scope, d.name`,
      )
      .all()
      .map((r: any) => ({ name: r.name as string, scope: r.scope as string, version: r.version as number, entries: JSON.parse(r.entries) as Entry[] }));
    const holders = active.filter((d) => d.entries.some((e) => e.id === rule && e.enabled !== false));
    if (!holders.length) {
      throw new CoreError('not_found', `规则 ${rule} 不在任何启用的词库中，无法加入排除`, `Rule ${rule} is in no active dictionary; no exclusion can be added to it`);
    }
    const editable = (d: { name: string; scope: string }) => !isBaseline(db, d.name) && (!author.branch || d.scope === author.branch);
    const withPhrase = (e: Entry): Entry => ({ ...e, exclusions: [...(e.exclusions ?? []), phrase] });
    const save = (d: { name: string; scope: string; version: number }, entries: Entry[], carrier: boolean): ExclusionResult => {
      const v = addVersion(db, d.name, entries, author.user, note, d.scope);
      return { dictionary: v.dictionary, version: v.version, created: true, carrier };
    };

    const own = holders.find(editable);
    if (own) {
      const e = own.entries.find((x) => x.id === rule && x.enabled !== false)!;
      if (e.exclusions?.includes(phrase)) return { dictionary: own.name, version: own.version, created: false, carrier: false };
      return save(own, own.entries.map((x) => (x === e ? withPhrase(x) : x)), false);
    }

    // the baseline, or another scope's dictionary: the author's own additions carry the exclusion
    const name = additionsName(author.branch);
    let target = (author.branch && active.find((d) => d.scope === author.branch && !isBaseline(db, d.name))) || active.find((d) => d.name === name);
    if (!target) {
      if (db.prepare('SELECT 1 FROM dictionaries WHERE name = ?').get(name)) {
        throw new CoreError('rejected', `补充词库「${name}」已停用，请先启用后再采纳`, `The additions dictionary ${name} is switched off; switch it on first`);
      }
      target = { name, scope: author.branch, version: 0, entries: [] };
    }
    const base = holders[0]!.entries.find((x) => x.id === rule && x.enabled !== false)!;
    const carried = target.entries.find((x) => x.id === rule);
    if (carried?.exclusions?.includes(phrase)) return { dictionary: target.name, version: target.version, created: false, carrier: true };
    const carrier: Entry = carried
      ? withPhrase(carried)
      : (() => {
          // the rule's definition, held disabled: it detects nothing itself, its exclusions join the rule
          const { exclusions: _x, enabled: _e, note: _n, ...definition } = base;
          return { ...definition, exclusions: [phrase], enabled: false, note: `排除补充：只为 ${holders.map((h) => h.name).join('、')} 的规则 ${rule} 增加排除词，本条不单独检测 / exclusions for rule ${rule}; detects nothing itself` };
        })();
    return save(target, carried ? target.entries.map((x) => (x === carried ? carrier : x)) : [...target.entries, carrier], true);
  })();
}

const cache = new Map<string, Detector>();
/** The compiled detector for the active dictionaries (rebuilt only when a version changes). */
export function detectorFor(set: { entries: Entry[]; stamp: string }): Detector {
  let d = cache.get(set.stamp);
  if (!d) {
    d = new Detector(set.entries, jiebaSegmenter());
    cache.clear();
    cache.set(set.stamp, d);
  }
  return d;
}
