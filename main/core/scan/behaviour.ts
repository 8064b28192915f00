/**
 * Behaviour rules (category `behaviour`): what a risk officer sees in the pattern of messages
 * rather than in one message's words. Each has parameters a compliance manager can change;
 * each returns candidate hits that the scan reconciles with what is stored.
 */
import type { RuleSetting } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import type { Db } from '../store/index.js';

export type BehaviourHit = { messageId: number; rule: string; severity: 'high' | 'medium' | 'low'; match: string; escalate?: boolean };

export type RuleDef<P> = { id: string; zh: string; en: string; defaults: P; run: (ctx: Ctx, p: P) => BehaviourHit[] };

type Msg = { id: number; msgid: string; sender: string; conversation_id: number | null; msgtime: number | null; msgtype: string; text: string; raw: string; tolist: string; to: string[] };

export class Ctx {
  private staffIds: Set<string>;
  private contactIds: Set<string>;
  constructor(readonly db: Db) {
    this.staffIds = new Set(db.prepare('SELECT userid FROM staff').pluck().all() as string[]);
    this.contactIds = new Set(db.prepare('SELECT external_userid FROM contacts').pluck().all() as string[]);
  }
  /** staff or customer: the roster first, the id's prefix second */
  isStaff(id: string): boolean {
    if (this.staffIds.has(id)) return true;
    if (this.contactIds.has(id)) return false;
    return !/^w[omb]/.test(id);
  }
  isCustomer(id: string): boolean {
    return !this.isStaff(id) && !/^wb/.test(id);
  }
  /** a staff message that reaches at least one customer */
  staffToCustomer(m: Msg): boolean {
    return this.isStaff(m.sender) && m.to.some((t) => this.isCustomer(t));
  }
  /** Messages in time order; the raw record only for the rules that read their bodies (it is most of the bytes). */
  messages(where: string, ...args: unknown[]): Msg[] {
    return this.select(false, where, args);
  }
  messagesWithRaw(where: string, ...args: unknown[]): Msg[] {
    return this.select(true, where, args);
  }
  private select(raw: boolean, where: string, args: unknown[]): Msg[] {
    const rows = this.db.prepare(`SELECT id, msgid, sender, conversation_id, msgtime, msgtype, ${raw ? 'text, raw' : "'' AS text, '' AS raw"}, tolist FROM messages WHERE ${where} ORDER BY msgtime, id`).all(...args) as Msg[];
    for (const r of rows) r.to = r.tolist === '[]' ? [] : (JSON.parse(r.tolist) as string[]);
    return rows;
  }
}

const BEIJING = 8 * 3600_000;
const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

const recallAfterHit: RuleDef<{ withinMinutes: number }> = {
  id: 'behaviour.recall_after_hit',
  zh: '敏感消息发出后撤回',
  en: 'Recall shortly after a sensitive message',
  defaults: { withinMinutes: 10 },
  run: (ctx, p) =>
    (
      ctx.db
        .prepare(
          `SELECT r.message_id AS id, rv.msgtime AS at, o.msgtime AS sent, group_concat(DISTINCT h.rule) AS rules FROM recalls r
           JOIN messages rv ON rv.id = r.message_id JOIN messages o ON o.msgid = r.pre_msgid
           JOIN hits h ON h.message_id = o.id AND h.retired_scan_id IS NULL AND h.source != 'behaviour'
           GROUP BY r.message_id`,
        )
        .all() as { id: number; at: number | null; sent: number | null; rules: string }[]
    )
      .filter((r) => r.at !== null && r.sent !== null && r.at - r.sent <= p.withinMinutes * 60_000)
      .map((r) => ({ messageId: r.id, rule: recallAfterHit.id, severity: 'high', match: `撤回了命中 ${r.rules} 的消息 / recalled a message that hit ${r.rules}` })),
};

const redpacket: RuleDef<{ minYuan: number; highYuan: number }> = {
  id: 'behaviour.redpacket_to_customer',
  zh: '员工向客户发红包',
  en: 'Red packet from staff to a customer',
  defaults: { minYuan: 0, highYuan: 200 },
  run: (ctx, p) =>
    ctx
      .messagesWithRaw(`msgtype IN ('redpacket', 'external_redpacket')`)
      .filter((m) => ctx.staffToCustomer(m))
      .flatMap((m): BehaviourHit[] => {
        const body = (JSON.parse(m.raw) as Record<string, any>).redpacket ?? (JSON.parse(m.raw) as Record<string, any>).external_redpacket ?? {};
        const yuan = Number(body.totalamount ?? 0) / 100;
        if (yuan < p.minYuan) return [];
        return [{ messageId: m.id, rule: redpacket.id, severity: yuan >= p.highYuan ? 'high' : 'medium', match: `红包 ${yuan.toFixed(2)} 元 / red packet CNY ${yuan.toFixed(2)}` }];
      }),
};

const offHours: RuleDef<{ start: string; end: string; weekends: boolean }> = {
  id: 'behaviour.off_hours',
  zh: '非工作时间联系客户',
  en: 'Contact with a customer outside working hours',
  defaults: { start: '08:00', end: '20:00', weekends: true },
  run: (ctx, p) =>
    ctx
      .messages('msgtime IS NOT NULL AND conversation_id IS NOT NULL')
      .filter((m) => {
        if (!ctx.staffToCustomer(m)) return false;
        const d = new Date(m.msgtime! + BEIJING);
        const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
        const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
        return minutes < hm(p.start) || minutes >= hm(p.end) || (p.weekends && weekend);
      })
      .map((m) => {
        const d = new Date(m.msgtime! + BEIJING).toISOString().slice(0, 16).replace('T', ' ');
        return { messageId: m.id, rule: offHours.id, severity: 'low', match: `${d}（北京时间）/ Beijing time` };
      }),
};

const massSend: RuleDef<{ minRecipients: number; windowMinutes: number; minLength: number }> = {
  id: 'behaviour.mass_send',
  zh: '短时间内向多名客户群发相同内容',
  en: 'The same text to many customers in a short window',
  defaults: { minRecipients: 10, windowMinutes: 60, minLength: 8 },
  run: (ctx, p) => {
    const groups = new Map<string, { id: number; t: number; to: string }[]>();
    for (const m of ctx.messagesWithRaw(`msgtype = 'text' AND msgtime IS NOT NULL AND length(text) >= ?`, p.minLength)) {
      if (!ctx.staffToCustomer(m)) continue;
      const key = `${m.sender}\u0000${m.text.replace(/\s+/g, '')}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push({ id: m.id, t: m.msgtime!, to: m.to[0] ?? '' });
    }
    const out: BehaviourHit[] = [];
    for (const list of groups.values()) {
      if (list.length < p.minRecipients) continue;
      let lo = 0;
      const flagged = new Set<number>();
      for (let hi = 0; hi < list.length; hi++) {
        while (list[hi]!.t - list[lo]!.t > p.windowMinutes * 60_000) lo++;
        const window = list.slice(lo, hi + 1);
        if (new Set(window.map((x) => x.to)).size >= p.minRecipients) for (const x of window) flagged.add(x.id);
      }
      for (const id of flagged) out.push({ messageId: id, rule: massSend.id, severity: 'medium', match: `${p.windowMinutes} 分钟内向 ≥${p.minRecipients} 名客户发送相同内容 / same text to ≥${p.minRecipients} customers within ${p.windowMinutes} min` });
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
    for (const [contact, list] of byContact) {
      if (!list.some((c) => c.status === 'disagree')) continue;
      for (const m of ctx.messages(`msgtime IS NOT NULL AND msgtype NOT IN ('agree', 'disagree') AND tolist LIKE ?`, `%"${contact}"%`)) {
        if (!ctx.isStaff(m.sender)) continue;
        const last = list.filter((c) => c.at <= m.msgtime!).at(-1);
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
    return ctx
      .messagesWithRaw(`msgtype = 'file'`)
      .filter((m) => ctx.staffToCustomer(m))
      .flatMap((m): BehaviourHit[] => {
        const f = (JSON.parse(m.raw) as Record<string, any>).file ?? {};
        const name = String(f.filename ?? '');
        const ext = String(f.fileext ?? name.split('.').pop() ?? '').toLowerCase();
        const byName = re.test(name);
        const byExt = p.extensions.includes(ext);
        if (!byName && !byExt) return [];
        return [{ messageId: m.id, rule: customerFile.id, severity: byName ? 'high' : 'medium', match: name }];
      });
  },
};

const linkDomain: RuleDef<{ allow: string[] }> = {
  id: 'behaviour.link_domain',
  zh: '发送非白名单域名链接',
  en: 'A link to a domain not on the allow list',
  defaults: { allow: ['weixin.qq.com', 'work.weixin.qq.com', 'qq.com', 'gov.cn', 'pbc.gov.cn', 'nfra.gov.cn'] },
  run: (ctx, p) =>
    ctx
      .messagesWithRaw(`msgtype IN ('link', 'news', 'docmsg', 'text') AND text LIKE '%http%'`)
      .filter((m) => ctx.isStaff(m.sender))
      .flatMap((m): BehaviourHit[] => {
        const urls = m.text.match(/https?:\/\/[^\s"'<>，。]+/g) ?? [];
        const bad = urls.filter((u) => {
          let host: string;
          try {
            host = new URL(u).hostname.toLowerCase();
          } catch {
            return true;
          }
          return !p.allow.some((d) => host === d || host.endsWith(`.${d}`));
        });
        return bad.length ? [{ messageId: m.id, rule: linkDomain.id, severity: 'medium', match: bad[0]! }] : [];
      }),
};

const unanswered: RuleDef<{ hours: number }> = {
  id: 'behaviour.unanswered',
  zh: '客户消息长时间未回复',
  en: 'A customer left unanswered',
  defaults: { hours: 24 },
  run: (ctx, p) => {
    const out: BehaviourHit[] = [];
    // an archive ends where its last message is: wait times are measured up to there, not to today
    const end = (ctx.db.prepare('SELECT max(msgtime) FROM messages').pluck().get() as number | null) ?? Date.now();
    const byConv = new Map<number, Msg[]>();
    for (const m of ctx.messages('conversation_id IS NOT NULL AND msgtime IS NOT NULL')) (byConv.get(m.conversation_id!) ?? byConv.set(m.conversation_id!, []).get(m.conversation_id!)!).push(m);
    for (const list of byConv.values()) {
      for (let i = 0; i < list.length; i++) {
        const m = list[i]!;
        if (!ctx.isCustomer(m.sender) || (i > 0 && ctx.isCustomer(list[i - 1]!.sender) && m.msgtime! - list[i - 1]!.msgtime! < p.hours * 3600_000)) continue;
        const reply = list.slice(i + 1).find((x) => ctx.isStaff(x.sender));
        const waited = (reply?.msgtime ?? end) - m.msgtime!;
        if (waited > p.hours * 3600_000) out.push({ messageId: m.id, rule: unanswered.id, severity: 'low', match: `${Math.round(waited / 3600_000)} 小时未回复 / unanswered for ${Math.round(waited / 3600_000)} h` });
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

export function runBehaviour(db: Db): BehaviourHit[] {
  const ctx = new Ctx(db);
  const settings = new Map(ruleSettings(db).map((s) => [s.rule, s]));
  return BEHAVIOUR_RULES.flatMap((r) => {
    const s = settings.get(r.id)!;
    return s.enabled ? r.run(ctx, s.params) : [];
  });
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
