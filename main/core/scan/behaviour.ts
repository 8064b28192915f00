/**
 * Behaviour rules (category `behaviour`): what a risk officer sees in the pattern of messages
 * rather than in one message's words. Each has parameters a compliance manager can change;
 * each returns candidate hits that the scan reconciles with what is stored.
 */
import type { RuleSetting } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import type { Db } from '../store/index.js';
import { Kind, MessageTable, Parties, STAFF_TO_CUSTOMER } from './messageTable.js';

export type BehaviourHit = { messageId: number; rule: string; severity: 'high' | 'medium' | 'low'; match: string; escalate?: boolean };

export type RuleDef<P> = { id: string; zh: string; en: string; defaults: P; run: (ctx: Ctx, p: P) => BehaviourHit[] };

type Statement = ReturnType<Db['prepare']>;

export class Ctx {
  private table: MessageTable | null;
  private readonly textOf: Statement;
  constructor(
    readonly db: Db,
    readonly parties: Parties = new Parties(db),
    /** built by a full scan's dictionary pass; read here otherwise */
    table?: MessageTable,
  ) {
    this.table = table ?? null;
    this.textOf = db.prepare('SELECT text FROM messages WHERE id = ?').pluck();
  }
  get messages(): MessageTable {
    return (this.table ??= MessageTable.read(this.db, this.parties));
  }
  isStaff(id: string): boolean {
    return this.parties.isStaff(id);
  }
  isCustomer(id: string): boolean {
    return this.parties.isCustomer(id);
  }
  /** the stored record of row i, a red packet or a file */
  raw(i: number): Record<string, any> {
    return JSON.parse(this.messages.bodies.get(i) ?? '{}') as Record<string, any>;
  }
  text(i: number): string {
    return this.textOf.get(this.messages.id[i]!) as string;
  }
}

const BEIJING = 8 * 3600_000;
const DAY = 86_400_000;
const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
/** 'YYYY-MM-DD HH:MM' in Beijing time; consecutive messages share their minute, so the last one is kept */
let lastMinute = NaN;
let lastText = '';
const beijingTime = (t: number) => {
  const minute = Math.floor((t + BEIJING) / 60_000);
  if (minute !== lastMinute) {
    lastMinute = minute;
    lastText = new Date(minute * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  }
  return lastText;
};

const recallAfterHit: RuleDef<{ withinMinutes: number }> = {
  id: 'behaviour.recall_after_hit',
  zh: '敏感消息发出后撤回',
  en: 'Recall shortly after a sensitive message',
  defaults: { withinMinutes: 10 },
  run: (ctx, p) => {
    // indexes only: the msgid index holds the row id, hits_active the rule (behaviour rules are
    // named behaviour.*), so no message or hit row is read; the times come from the table
    const rows = ctx.db
      .prepare(
        `SELECT r.message_id AS id, o.id AS original, group_concat(DISTINCT h.rule) AS rules FROM recalls r
         JOIN messages o ON o.msgid = r.pre_msgid
         JOIN hits h ON h.message_id = o.id AND h.retired_scan_id IS NULL AND h.rule NOT LIKE 'behaviour.%'
         GROUP BY r.message_id`,
      )
      .all() as { id: number; original: number; rules: string }[];
    const t = ctx.messages;
    return rows.flatMap((r): BehaviourHit[] => {
      const at = t.time[t.indexOf(r.id)] ?? NaN;
      const sent = t.time[t.indexOf(r.original)] ?? NaN;
      if (Number.isNaN(at) || Number.isNaN(sent) || at - sent > p.withinMinutes * 60_000) return [];
      return [{ messageId: r.id, rule: recallAfterHit.id, severity: 'high', match: `撤回了命中 ${r.rules} 的消息 / recalled a message that hit ${r.rules}` }];
    });
  },
};

/** Row indices of staff-to-customer messages of one kind. */
function staffToCustomerOf(t: MessageTable, kind: Kind): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) if (t.kind[i] === kind && t.flags[i]! & STAFF_TO_CUSTOMER) out.push(i);
  return out;
}

const redpacket: RuleDef<{ minYuan: number; highYuan: number }> = {
  id: 'behaviour.redpacket_to_customer',
  zh: '员工向客户发红包',
  en: 'Red packet from staff to a customer',
  defaults: { minYuan: 0, highYuan: 200 },
  run: (ctx, p) =>
    staffToCustomerOf(ctx.messages, Kind.RedPacket).flatMap((i): BehaviourHit[] => {
      const raw = ctx.raw(i);
      const body = raw.redpacket ?? raw.external_redpacket ?? {};
      const yuan = Number(body.totalamount ?? 0) / 100;
      if (yuan < p.minYuan) return [];
      return [{ messageId: ctx.messages.id[i]!, rule: redpacket.id, severity: yuan >= p.highYuan ? 'high' : 'medium', match: `红包 ${yuan.toFixed(2)} 元 / red packet CNY ${yuan.toFixed(2)}` }];
    }),
};

const offHours: RuleDef<{ start: string; end: string; weekends: boolean }> = {
  id: 'behaviour.off_hours',
  zh: '非工作时间联系客户',
  en: 'Contact with a customer outside working hours',
  defaults: { start: '08:00', end: '20:00', weekends: true },
  run: (ctx, p) => {
    const t = ctx.messages;
    const start = hm(p.start);
    const end = hm(p.end);
    const out: BehaviourHit[] = [];
    // one hit per conversation and off-hours stretch, on its first message: an evening's chat is
    // one contact to review, not forty (the night runs from the end of one working day to the
    // start of the next, so it is keyed by the day shifted back by the start of work)
    // (keyed as text, exact for any day: a packed conv·2^16 + (day & 0xffff) made days 65,536
    // apart, 1970 and 2149, one stretch)
    const seen = new Set<string>();
    for (const i of t.inTimeOrder((i) => t.conv[i]! >= 0 && (t.flags[i]! & STAFF_TO_CUSTOMER) !== 0)) {
      const local = t.time[i]! + BEIJING;
      const minutes = Math.floor((((local % DAY) + DAY) % DAY) / 60_000);
      const weekday = (((Math.floor(local / DAY) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
      if (minutes < start || minutes >= end || (p.weekends && (weekday === 0 || weekday === 6))) {
        const stretch = `${t.conv[i]!}:${Math.floor((local - start * 60_000) / DAY)}`;
        if (seen.has(stretch)) continue;
        seen.add(stretch);
        out.push({ messageId: t.id[i]!, rule: offHours.id, severity: 'low', match: `${beijingTime(t.time[i]!)} 起（北京时间）/ from then, Beijing time` });
      }
    }
    return out;
  },
};

/** Messages of each list sent to at least `min` distinct recipients within `windowMs`, in time order. */
function crowdedWindows(list: number[], t: MessageTable, min: number, windowMs: number): Set<number> {
  const flagged = new Set<number>();
  const count = new Map<number, number>(); // recipient → messages of the window to them
  let lo = 0;
  for (let hi = 0; hi < list.length; hi++) {
    const to = t.firstTo[list[hi]!]!;
    count.set(to, (count.get(to) ?? 0) + 1);
    while (t.time[list[hi]!]! - t.time[list[lo]!]! > windowMs) {
      const gone = t.firstTo[list[lo]!]!;
      const left = count.get(gone)! - 1;
      if (left) count.set(gone, left);
      else count.delete(gone);
      lo++;
    }
    if (count.size >= min) for (let k = lo; k <= hi; k++) flagged.add(list[k]!);
  }
  return flagged;
}

const massSend: RuleDef<{ minRecipients: number; windowMinutes: number; minLength: number }> = {
  id: 'behaviour.mass_send',
  zh: '短时间内向多名客户群发相同内容',
  en: 'The same text to many customers in a short window',
  defaults: { minRecipients: 10, windowMinutes: 60, minLength: 8 },
  run: (ctx, p) => {
    const t = ctx.messages;
    const windowMs = p.windowMinutes * 60_000;
    // group by sender and a 52-bit key of the text; a group that looks crowded is then checked on the texts themselves
    const groups = new Map<string, number[]>();
    for (const i of t.inTimeOrder((i) => t.kind[i] === Kind.Text && t.textLen[i]! >= p.minLength && (t.flags[i]! & STAFF_TO_CUSTOMER) !== 0)) {
      const key = `${t.sender[i]}:${t.textKey[i]}`;
      const list = groups.get(key);
      if (list) list.push(i);
      else groups.set(key, [i]);
    }
    const out: BehaviourHit[] = [];
    for (const list of groups.values()) {
      if (list.length < p.minRecipients) continue;
      const suspects = crowdedWindows(list, t, p.minRecipients, windowMs);
      if (!suspects.size) continue;
      const exact = new Map<string, number[]>();
      for (const i of list) {
        if (!suspects.has(i)) continue;
        const key = ctx.text(i).replace(/\s+/g, '');
        (exact.get(key) ?? exact.set(key, []).get(key)!).push(i);
      }
      for (const same of exact.values()) {
        for (const i of crowdedWindows(same, t, p.minRecipients, windowMs)) {
          out.push({ messageId: t.id[i]!, rule: massSend.id, severity: 'medium', match: `${p.windowMinutes} 分钟内向 ≥${p.minRecipients} 名客户发送相同内容 / same text to ≥${p.minRecipients} customers within ${p.windowMinutes} min` });
        }
      }
    }
    return out;
  },
};

const afterDisagree: RuleDef<Record<string, never>> = {
  id: 'behaviour.after_disagree',
  zh: '客户拒绝存档后继续沟通',
  en: 'Chatting on after the customer refused archiving',
  defaults: {},
  run: (ctx) => {
    const consents = ctx.db.prepare('SELECT contact, status, at FROM consents WHERE at IS NOT NULL ORDER BY at').all() as { contact: string; status: string; at: number }[];
    const byContact = new Map<string, { status: string; at: number }[]>();
    for (const c of consents) (byContact.get(c.contact) ?? byContact.set(c.contact, []).get(c.contact)!).push(c);
    const out: BehaviourHit[] = [];
    const messagesTo = ctx.db.prepare(`SELECT id, sender, msgtime FROM messages WHERE msgtime IS NOT NULL AND msgtype NOT IN ('agree', 'disagree') AND tolist LIKE ? ORDER BY msgtime, id`);
    for (const [contact, list] of byContact) {
      if (!list.some((c) => c.status === 'disagree')) continue;
      for (const m of messagesTo.all(`%"${contact}"%`) as { id: number; sender: string; msgtime: number }[]) {
        if (!ctx.isStaff(m.sender)) continue;
        const last = list.filter((c) => c.at <= m.msgtime).at(-1);
        if (last?.status === 'disagree') out.push({ messageId: m.id, rule: afterDisagree.id, severity: 'high', match: `客户 ${contact} 已拒绝存档 / ${contact} refused archiving` });
      }
    }
    return out;
  },
};

const customerFile: RuleDef<{ namePattern: string; extensions: string[] }> = {
  id: 'behaviour.customer_file',
  zh: '向客户发送含客户信息的文件',
  en: 'A file with customer data sent to an external contact',
  defaults: { namePattern: '客户|名单|身份证|明细|资料|信息表|通讯录|流水', extensions: ['xls', 'xlsx', 'csv', 'zip', 'rar', '7z', 'txt', 'db'] },
  run: (ctx, p) => {
    const re = new RegExp(p.namePattern);
    return staffToCustomerOf(ctx.messages, Kind.File).flatMap((i): BehaviourHit[] => {
      const f = ctx.raw(i).file ?? {};
      const name = String(f.filename ?? '');
      const ext = String(f.fileext ?? name.split('.').pop() ?? '').toLowerCase();
      const byName = re.test(name);
      const byExt = p.extensions.includes(ext);
      if (!byName && !byExt) return [];
      return [{ messageId: ctx.messages.id[i]!, rule: customerFile.id, severity: byName ? 'high' : 'medium', match: name }];
    });
  },
};

const linkDomain: RuleDef<{ allow: string[] }> = {
  id: 'behaviour.link_domain',
  zh: '发送非白名单域名链接',
  en: 'A link to a domain not on the allow list',
  defaults: { allow: ['weixin.qq.com', 'work.weixin.qq.com', 'qq.com', 'gov.cn', 'pbc.gov.cn', 'nfra.gov.cn'] },
  run: (ctx, p) => {
    const t = ctx.messages;
    const out: BehaviourHit[] = [];
    for (const [i, text] of t.httpText) {
      if (!t.isStaff(t.sender[i]!)) continue;
      const bad = (text.match(/https?:\/\/[^\s"'<>，。]+/g) ?? []).find((u) => {
        let host: string;
        try {
          host = new URL(u).hostname.toLowerCase();
        } catch {
          return true;
        }
        return !p.allow.some((d) => host === d || host.endsWith(`.${d}`));
      });
      if (bad) out.push({ messageId: t.id[i]!, rule: linkDomain.id, severity: 'medium', match: bad });
    }
    return out;
  },
};

const unanswered: RuleDef<{ hours: number }> = {
  id: 'behaviour.unanswered',
  zh: '客户消息长时间未回复',
  en: 'A customer left unanswered',
  defaults: { hours: 24 },
  run: (ctx, p) => {
    const t = ctx.messages;
    const limit = p.hours * 3600_000;
    const out: BehaviourHit[] = [];
    // an archive ends where its last message is: wait times are measured up to there, not to today
    let end = -Infinity;
    for (let i = 0; i < t.length; i++) if (t.time[i]! > end) end = t.time[i]!;
    if (end === -Infinity) end = Date.now();
    const byConv = new Map<number, number[]>();
    for (const i of t.inTimeOrder((i) => t.conv[i]! >= 0)) {
      const list = byConv.get(t.conv[i]!);
      if (list) list.push(i);
      else byConv.set(t.conv[i]!, [i]);
    }
    for (const list of byConv.values()) {
      // walking back, the next staff message after each position: one pass, not one search per message
      let nextStaff = -1;
      const replyAt = new Float64Array(list.length);
      for (let k = list.length - 1; k >= 0; k--) {
        replyAt[k] = nextStaff < 0 ? end : t.time[nextStaff]!;
        if (t.isStaff(t.sender[list[k]!]!)) nextStaff = list[k]!;
      }
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        if (!t.isCustomer(t.sender[i]!)) continue;
        const prev = k > 0 ? list[k - 1]! : -1;
        if (prev >= 0 && t.isCustomer(t.sender[prev]!) && t.time[i]! - t.time[prev]! < limit) continue;
        const waited = replyAt[k]! - t.time[i]!;
        if (waited > limit) out.push({ messageId: t.id[i]!, rule: unanswered.id, severity: 'low', match: `${Math.round(waited / 3600_000)} 小时未回复 / unanswered for ${Math.round(waited / 3600_000)} h` });
      }
    }
    return out;
  },
};

const complaintEscalation: RuleDef<Record<string, never>> = {
  id: 'behaviour.complaint_escalation',
  zh: '客户投诉或提及监管，自动升级',
  en: 'A customer complains or names a regulator: escalated',
  defaults: {},
  run: (ctx) =>
    (
      ctx.db
        .prepare(
          `SELECT m.id, m.sender, group_concat(DISTINCT h.match) AS words FROM hits h JOIN messages m ON m.id = h.message_id
           WHERE h.category = 'complaint' AND h.retired_scan_id IS NULL GROUP BY m.id`,
        )
        .all() as { id: number; sender: string; words: string }[]
    )
      .filter((r) => ctx.isCustomer(r.sender))
      .map((r) => ({ messageId: r.id, rule: complaintEscalation.id, severity: 'high', match: r.words, escalate: true })),
};

export const BEHAVIOUR_RULES: RuleDef<any>[] = [recallAfterHit, redpacket, offHours, massSend, afterDisagree, customerFile, linkDomain, unanswered, complaintEscalation];

export function ruleSettings(db: Db): RuleSetting[] {
  const stored = new Map((db.prepare('SELECT rule, enabled, params FROM rule_settings').all() as { rule: string; enabled: number; params: string }[]).map((r) => [r.rule, r]));
  return BEHAVIOUR_RULES.map((r) => {
    const s = stored.get(r.id);
    return { rule: r.id, zh: r.zh, en: r.en, enabled: s ? !!s.enabled : true, params: { ...r.defaults, ...(s ? (JSON.parse(s.params) as object) : {}) } };
  });
}

export function runBehaviour(db: Db, ctx: Ctx = new Ctx(db)): BehaviourHit[] {
  return [...behaviourByRule(db, ctx)].flat();
}

/**
 * The enabled rules' hits, one rule at a time: a scan writes each rule's hits before the next
 * rule runs, so only one rule's candidates are held at once (off-hours contact alone is a third
 * of a million on a million synthetic messages).
 */
export function* behaviourByRule(db: Db, ctx: Ctx = new Ctx(db)): Generator<BehaviourHit[]> {
  const settings = new Map(ruleSettings(db).map((s) => [s.rule, s]));
  for (const r of BEHAVIOUR_RULES) {
    const s = settings.get(r.id)!;
    if (s.enabled) yield r.run(ctx, s.params);
  }
}

export function setRuleSetting(db: Db, rule: string, patch: { enabled?: boolean; params?: Record<string, unknown> }, user: string): RuleSetting {
  const def = BEHAVIOUR_RULES.find((r) => r.id === rule);
  if (!def) throw new CoreError('usage', `没有这条行为规则：${rule}`, `No such behaviour rule: ${rule}`);
  const current = ruleSettings(db).find((r) => r.rule === rule)!;
  const params = { ...current.params };
  for (const [k, v] of Object.entries(patch.params ?? {})) {
    const dflt = (def.defaults as Record<string, unknown>)[k];
    if (dflt === undefined) throw new CoreError('usage', `规则 ${rule} 没有参数 ${k}`, `Rule ${rule} has no parameter ${k}`);
    const ok = Array.isArray(dflt) ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === typeof dflt;
    if (!ok) throw new CoreError('usage', `参数 ${k} 类型不对（应与默认值 ${JSON.stringify(dflt)} 相同）`, `Parameter ${k} has the wrong type (like ${JSON.stringify(dflt)})`);
    if (typeof v === 'number' && (!Number.isFinite(v) || v < 0)) throw new CoreError('usage', `参数 ${k} 须为非负数`, `Parameter ${k} must be a non-negative number`);
    if (k === 'namePattern') {
      try {
        new RegExp(String(v));
      } catch {
        throw new CoreError('usage', `参数 ${k} 不是有效的正则表达式`, `Parameter ${k} is not a valid regular expression`);
      }
    }
    params[k] = v;
  }
  const enabled = patch.enabled ?? current.enabled;
  db.prepare(
    `INSERT INTO rule_settings(rule, enabled, params, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(rule) DO UPDATE SET enabled = excluded.enabled, params = excluded.params, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  ).run(rule, enabled ? 1 : 0, JSON.stringify(params), user, Date.now());
  return { ...current, enabled, params };
}
