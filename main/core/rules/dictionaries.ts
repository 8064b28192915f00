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

export function activeSet(db: Db): ActiveSet {
  const rows = db
    .prepare(
      `SELECT d.name, v.version, v.entries FROM dictionaries d JOIN dictionary_versions v ON v.dictionary_id = d.id
       WHERE d.active = 1 AND v.version = (SELECT max(version) FROM dictionary_versions WHERE dictionary_id = d.id) ORDER BY d.scope, d.name`,
    )
    .all() as { name: string; version: number; entries: string }[];
  const entries = rows.flatMap((r) => (JSON.parse(r.entries) as Entry[]).map((e) => ({ ...e, dictionary: `${r.name}@${r.version}` })));
  const sources = rows.map((r) => ({ name: r.name, version: r.version }));
  return { entries, sources, stamp: sources.map((s) => `${s.name}@${s.version}`).join(',') };
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
