/**
 * Staff rosters and external-contact lists. Headers in Chinese or English; the latest import
 * wins, and every earlier version is kept with the time it was valid from and to, so an old
 * message still shows the branch its sender belonged to at the time.
 */
import type { BranchNode, ContactRow, PeopleImportResult, StaffRow } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import type { Db } from '../store/index.js';
import { readTable, type Table } from './tabular.js';

export type PeopleKind = 'staff' | 'contacts';

type FieldSpec = { key: string; aliases: string[]; required: boolean };

const norm = (h: string) => h.replace(/[\s_\-（）()]/g, '').toLowerCase();

const STAFF_FIELDS: FieldSpec[] = [
  { key: 'userid', aliases: ['员工ID', '员工id', '员工账号', '账号', 'userid', 'user id', '成员ID', '工号'], required: true },
  { key: 'name', aliases: ['姓名', '员工姓名', 'name'], required: true },
  { key: 'branch', aliases: ['分行', '所属分行', 'branch'], required: false },
  { key: 'sub_branch', aliases: ['支行', '所属支行', '网点', 'subbranch', 'sub-branch', 'sub_branch'], required: false },
  { key: 'department', aliases: ['部门', 'department', 'dept'], required: false },
  { key: 'position', aliases: ['职位', '岗位', 'position', 'title'], required: false },
  { key: 'effective', aliases: ['生效日期', '生效时间', 'effective', 'effectivedate', 'validfrom'], required: false },
];
const CONTACT_FIELDS: FieldSpec[] = [
  { key: 'external_userid', aliases: ['外部联系人ID', '外部联系人id', '客户ID', 'externaluserid', 'external userid', 'external_userid', 'contactid'], required: true },
  { key: 'name', aliases: ['客户名称', '客户姓名', '名称', '姓名', 'name'], required: false },
  { key: 'remark', aliases: ['备注', '备注名', 'remark'], required: false },
  { key: 'owner_userid', aliases: ['所属员工', '跟进员工', '添加人', 'owner', 'owneruserid', 'followuser'], required: false },
  { key: 'tags', aliases: ['标签', '客户标签', 'tags', 'tag'], required: false },
  { key: 'effective', aliases: ['生效日期', '生效时间', 'effective', 'effectivedate', 'validfrom'], required: false },
];

function mapHeaders(table: Table, fields: FieldSpec[], file: string): Map<string, number> {
  const index = new Map<string, number>();
  table.headers.forEach((h, i) => {
    const f = fields.find((spec) => spec.aliases.some((a) => norm(a) === norm(h)));
    if (f && !index.has(f.key)) index.set(f.key, i);
  });
  const missing = fields.filter((f) => f.required && !index.has(f.key));
  if (missing.length) {
    const names = missing.map((f) => `${f.aliases[0]} (${f.key})`).join(', ');
    throw new CoreError('rejected', `${file}：缺少必需的列 ${names}，未写入任何数据`, `${file}: required column missing: ${names}; nothing was written`, {
      headers: table.headers,
    });
  }
  return index;
}

/** 2026-03-01, 2026/3/1, 2026-03-01 09:00, or an ISO time: read as Beijing time when it has no zone. */
function parseEffective(v: string): number | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v.trim());
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
    const pad = (x: string) => x.padStart(2, '0');
    return Date.parse(`${y}-${pad(mo!)}-${pad(d!)}T${pad(h)}:${pad(mi)}:${pad(s)}+08:00`);
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

const ID_RE = /^[^\s]{1,128}$/;

export async function importPeople(db: Db, file: string, kind: PeopleKind, now = Date.now()): Promise<PeopleImportResult> {
  const table = await readTable(file);
  const fields = kind === 'staff' ? STAFF_FIELDS : CONTACT_FIELDS;
  const index = mapHeaders(table, fields, file);
  const idKey = kind === 'staff' ? 'userid' : 'external_userid';
  const valueKeys = fields.map((f) => f.key).filter((k) => k !== idKey && k !== 'effective');
  const rejected: { row: number; reason: string }[] = [];
  const seen = new Map<string, number>();
  const valid: { row: number; id: string; values: Record<string, string>; effective: number }[] = [];
  for (const r of table.rows) {
    const get = (k: string) => {
      const i = index.get(k);
      return i === undefined ? '' : (r.cells[i] ?? '').trim();
    };
    const id = get(idKey);
    if (!id) {
      rejected.push({ row: r.row, reason: `缺少${kind === 'staff' ? '员工ID' : '外部联系人ID'} / ${idKey} is empty` });
      continue;
    }
    if (!ID_RE.test(id)) {
      rejected.push({ row: r.row, reason: `ID 含空白或过长：${id} / the id contains spaces or is too long` });
      continue;
    }
    if (kind === 'staff' && !get('name')) {
      rejected.push({ row: r.row, reason: `缺少姓名 / name is empty (${id})` });
      continue;
    }
    const prior = seen.get(id);
    if (prior !== undefined) {
      rejected.push({ row: r.row, reason: `与第 ${prior} 行 ID 重复：${id} / duplicate of row ${prior}` });
      continue;
    }
    let effective = now;
    const eff = get('effective');
    if (eff) {
      const t = parseEffective(eff);
      if (t === null) {
        rejected.push({ row: r.row, reason: `生效日期无法识别：${eff} / unrecognised effective date` });
        continue;
      }
      effective = t;
    }
    seen.set(id, r.row);
    const values: Record<string, string> = {};
    for (const k of valueKeys) values[k] = get(k);
    valid.push({ row: r.row, id, values, effective });
  }

  const table_ = kind === 'staff' ? 'staff' : 'contacts';
  const history = kind === 'staff' ? 'staff_history' : 'contact_history';
  const cols = valueKeys;
  const current = db.prepare(`SELECT ${cols.join(', ')} FROM ${table_} WHERE ${idKey} = ?`);
  const upsert = db.prepare(
    `INSERT INTO ${table_}(${idKey}, ${cols.join(', ')}, updated_at) VALUES (?, ${cols.map(() => '?').join(', ')}, ?)
     ON CONFLICT(${idKey}) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`,
  );
  const closeHistory = db.prepare(`UPDATE ${history} SET valid_to = ? WHERE ${idKey} = ? AND valid_to IS NULL`);
  const addHistory = db.prepare(`INSERT INTO ${history}(${idKey}, ${cols.join(', ')}, valid_from, valid_to, source) VALUES (?, ${cols.map(() => '?').join(', ')}, ?, NULL, ?)`);
  let imported = 0;
  let updated = 0;
  let unchanged = 0;
  db.transaction(() => {
    for (const v of valid) {
      const before = current.get(v.id) as Record<string, string> | undefined;
      const args = cols.map((c) => v.values[c] ?? '');
      if (!before) {
        imported++;
        upsert.run(v.id, ...args, now);
        // the first version we know of is taken to hold since before any message
        addHistory.run(v.id, ...args, 0, file);
      } else if (cols.some((c) => (before[c] ?? '') !== (v.values[c] ?? ''))) {
        updated++;
        upsert.run(v.id, ...args, now);
        closeHistory.run(v.effective, v.id);
        addHistory.run(v.id, ...args, v.effective, file);
      } else unchanged++;
    }
  })();
  return { imported, updated, unchanged, rejected };
}

export type StaffAt = { userid: string; name: string; branch: string; sub_branch: string; department: string; position: string };

/** The staff member as they were at a given time (the branch of their time, not today's). */
export function staffAt(db: Db, userid: string, at: number | null): StaffAt | null {
  const t = at ?? Date.now();
  return (
    (db
      .prepare(
        `SELECT userid, name, branch, sub_branch, department, position FROM staff_history
         WHERE userid = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1`,
      )
      .get(userid, t, t) as StaffAt | undefined) ?? null
  );
}

/** Staff or external: the roster first, the id's prefix second (spec: never the prefix alone). */
export function classifyId(db: Db, id: string): 'staff' | 'contact' | 'robot' | 'unknown' {
  if (db.prepare('SELECT 1 FROM staff WHERE userid = ?').get(id)) return 'staff';
  if (db.prepare('SELECT 1 FROM contacts WHERE external_userid = ?').get(id)) return 'contact';
  if (/^wb/.test(id)) return 'robot';
  if (/^w[om]/.test(id)) return 'contact';
  return 'unknown';
}

export function listStaff(db: Db, branch?: string): StaffRow[] {
  return db
    .prepare(
      `SELECT userid, name, branch, sub_branch AS subBranch, department, position FROM staff ${branch ? 'WHERE branch = ? OR sub_branch = ?' : ''} ORDER BY branch, sub_branch, name`,
    )
    .all(...(branch ? [branch, branch] : [])) as StaffRow[];
}

export function listContacts(db: Db): ContactRow[] {
  return db.prepare('SELECT external_userid AS id, name, remark, owner_userid AS owner, tags FROM contacts ORDER BY name').all() as ContactRow[];
}

/** Head office → branch → sub-branch, as the roster says. */
export function branchTree(db: Db): BranchNode[] {
  const rows = db.prepare(`SELECT branch, sub_branch, count(*) AS n FROM staff GROUP BY branch, sub_branch ORDER BY branch, sub_branch`).all() as { branch: string; sub_branch: string; n: number }[];
  const tree = new Map<string, BranchNode>();
  for (const r of rows) {
    let node = tree.get(r.branch);
    if (!node) tree.set(r.branch, (node = { branch: r.branch, staff: 0, subBranches: [] }));
    node.staff += r.n;
    node.subBranches.push({ name: r.sub_branch, staff: r.n });
  }
  return [...tree.values()];
}
