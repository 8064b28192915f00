/**
 * The bundled samples (resources/samples, made by scripts/make-samples.ts) through the real
 * importer and the real CLI, checked against an independent reading of the sample files:
 * every message type stored, raw records kept byte for byte, 64-bit seq kept as digits, texts
 * extracted, recalls, consents, media, conversations, idempotency, and the same messages from
 * every export shape.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { importExports } from '../../main/core/import/importer.js';
import { openStore, type Db } from '../../main/core/store/index.js';
import { cli, newStore, PASS, ROOT, SAMPLES, tmpDir, writeJsonl } from '../helpers/store.js';

const EXPORTS = path.join(SAMPLES, 'exports');
const MEDIA = path.join(SAMPLES, 'media');

/** Every msgtype of shared/spec/wecom-archive-format.md. */
const SPEC_TYPES = [
  'text', 'image', 'revoke', 'agree', 'disagree', 'voice', 'video', 'card', 'location', 'emotion', 'file', 'link', 'weapp',
  'chatrecord', 'todo', 'vote', 'collect', 'redpacket', 'external_redpacket', 'meeting', 'docmsg', 'markdown', 'news',
  'calendar', 'mixed', 'meeting_voice_call', 'voip_doc_share', 'sphfeed', 'voiptext', 'qydiskfile', 'meeting_notification',
];

type Obj = Record<string, any>;
/** One good record of the samples: its file, the line it starts on, its exact text. */
type SourceRec = { file: string; line: number; text: string; obj: Obj };

/** JSON.parse that keeps a bare top-level "seq" number as its digits (a double would round it). */
function safeParse(text: string): Obj {
  return JSON.parse(text.replace(/^(\s*\{\s*"seq"\s*:\s*)(\d+)/, '$1"$2"').replace(/,(\s*)"seq"(\s*):(\s*)(\d+)(\s*[,}])/g, ',$1"seq"$2:$3"$4"$5')) as Obj;
}

/** An independent reading of the bundled sample files, knowing how make-samples.ts lays them out. */
function readSamples(): { good: SourceRec[]; badLines: { file: string; line: number }[]; byFile: Map<string, SourceRec[]> } {
  const good: SourceRec[] = [];
  const badLines: { file: string; line: number }[] = [];
  const add = (file: string, line: number, text: string) => good.push({ file, line, text, obj: safeParse(text) });

  const f1 = path.join(EXPORTS, 'day1.jsonl');
  fs.readFileSync(f1, 'utf8')
    .split('\n')
    .forEach((line, i) => line && add(f1, i + 1, line));

  const f2 = path.join(EXPORTS, 'day2.json');
  const text2 = fs.readFileSync(f2, 'utf8');
  const arr = JSON.parse(text2) as Obj[];
  // elements start on the lines that are exactly "  {" (nested objects are indented deeper)
  const starts2 = text2.split('\n').flatMap((l, i) => (l === '  {' ? [i + 1] : []));
  assert.equal(starts2.length, arr.length);
  // each element as it stands in the pretty-printed array: indented by two more spaces after its first line
  arr.forEach((o, i) => add(f2, starts2[i]!, JSON.stringify(o, null, 2).split('\n').join('\n  ')));

  const f3 = path.join(EXPORTS, 'page3.json.gz');
  const lines3 = zlib.gunzipSync(fs.readFileSync(f3)).toString('utf8').split('\n');
  assert.equal(lines3[0], '{"errcode":0,"errmsg":"ok","chatdata":[');
  assert.equal(lines3.at(-2), ']}');
  lines3.slice(1, -2).forEach((line, i) => add(f3, i + 2, line.replace(/,$/, '')));

  const f4 = path.join(EXPORTS, 'day4-with-errors.jsonl');
  fs.readFileSync(f4, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line) return;
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        badLines.push({ file: f4, line: i + 1 });
        return;
      }
      const r = o as Obj;
      if (typeof r.msgid !== 'string' || typeof r.msgtime !== 'number') badLines.push({ file: f4, line: i + 1 });
      else add(f4, i + 1, line);
    });

  const f5 = path.join(EXPORTS, 'day5-crlf-bom.jsonl');
  const raw5 = fs.readFileSync(f5);
  assert.deepEqual([...raw5.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'day5 starts with a BOM');
  const text5 = raw5.subarray(3).toString('utf8');
  assert.ok(text5.includes('\r\n') && !/[^\r]\n/.test(text5), 'day5 has CRLF line endings only');
  text5.split('\r\n').forEach((line, i) => line && add(f5, i + 1, line));

  const byFile = new Map<string, SourceRec[]>();
  for (const r of good) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  return { good, badLines, byFile };
}

const typeOf = (o: Obj) => (o.action === 'switch' ? 'switch' : String(o.msgtype));
const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

type ExpectedMedia = { msgid: string; part: number; md5sum: string | null; status: 'linked' | 'missing' | 'md5_mismatch'; file: string | null };

/** Which media each sample message refers to and what should become of it, read from the files alone. */
function expectedMedia(good: SourceRec[]): ExpectedMedia[] {
  const byStem = new Map<string, string>();
  for (const name of fs.readdirSync(MEDIA)) byStem.set(name.toLowerCase().split('.')[0]!, path.join(MEDIA, name));
  const out: ExpectedMedia[] = [];
  const add = (msgid: string, part: number, md5sum: string | null, names: string[]) => {
    const file = [md5sum, ...names].map((k) => (k ? byStem.get(k.toLowerCase()) : undefined)).find(Boolean) ?? null;
    const status = !file ? 'missing' : md5sum && md5(fs.readFileSync(file)) !== md5sum ? 'md5_mismatch' : 'linked';
    out.push({ msgid, part, md5sum, status, file });
  };
  for (const { obj: o } of good) {
    const t = typeOf(o);
    if (['image', 'voice', 'video', 'emotion', 'file', 'voip_doc_share'].includes(t)) add(o.msgid, 0, o[t].md5sum, [o.msgid, o.voipid].filter(Boolean));
    if (t === 'meeting_voice_call') add(o.msgid, 0, null, [o.msgid, o.voiceid]);
    if (t === 'mixed' || t === 'chatrecord') {
      (o[t].item as Obj[]).forEach((it, i) => {
        const c = JSON.parse(it.content as string) as Obj;
        if (c.md5sum) add(o.msgid, i + 1, c.md5sum, []);
      });
    }
  }
  return out;
}

function conversationKey(o: Obj): string | null {
  if (o.action === 'switch') return null;
  if (o.roomid) return `room:${o.roomid}`;
  const [a, b] = [o.from as string, (o.tolist as string[])[0] ?? ''].sort();
  return `single:${a}|${b}`;
}

/** Words that must be found in messages.text, per msgtype (every body that carries words). */
const TEXT_WORDS: Record<string, string[][]> = {
  text: [['这款产品保本保收益，稳赚不赔'], ['加我私人微信'], ['转到我个人账户', '6222021001122334458'], ['11010519491231002X']],
  link: [['睿盈稳健一年持有期理财产品说明书', '理财非存款'], ['积分兑换好礼']],
  file: [['睿盈稳健一年持有期_产品说明书.pdf'], ['对公流水.xlsx'], ['大额存单产品说明.pdf']],
  chatrecord: [['王建国和张伟的聊天记录', '认购款先打到我这个账户', '汇鑫稳盈1号私募基金合同.pdf']],
  mixed: [['转到你给的那个个人账户', '合同记得给我']],
  news: [['央行下调存款准备金率', '示例银行3月理财产品一览', '理财非存款']],
  calendar: [['刘阿姨大额存单办理', '李娜', '刘秀英', '2号理财室', '携带身份证原件']],
  vote: [['周三沙龙茶歇选哪家', '星巴克', '瑞幸咖啡'], ['周三沙龙茶歇选哪家', '本地茶点']],
  redpacket: [['开门红']],
  external_redpacket: [['返现先发您']],
  collect: [['资产配置沙龙报名表', '联系电话']],
  meeting: [['王总家庭资产配置方案沟通', '三楼贵宾室', '私募合同']],
  docmsg: [['3月理财到期客户名单']],
  markdown: [['今日理财销售播报', '565万']],
  todo: [['本周厅堂营销任务', '每人邀约5位到期客户']],
  card: [['南京汇鑫财富投资管理有限公司']],
  weapp: [['示例银行手机银行', '净值查询']],
  location: [['示例银行河西支行', '江东中路100号']],
  sphfeed: [['理财避坑指南', '私募飞单']],
  qydiskfile: [['高净值客户名单（含身份证号）.xlsx']],
  meeting_notification: [['3月理财销售复盘会']],
  voip_doc_share: [['3月理财销售分析.pptx']],
  solitaire: [['周三沙龙到场客户接龙', '保温杯']],
};

/** Everything the bundled samples must have produced in a store, checked against readSamples(). */
function assertSamplesStore(db: Db): void {
  const { good, badLines } = readSamples();
  const one = (sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as any;
  const rows = db.prepare('SELECT * FROM messages').all() as Obj[];
  const byMsgid = new Map(rows.map((r) => [r.msgid as string, r]));
  assert.equal(rows.length, good.length, 'every good record stored once');

  // every type of the spec, plus the switch record and the unknown type
  const types = new Set(rows.map((r) => r.msgtype as string));
  for (const t of [...SPEC_TYPES, 'switch', 'solitaire']) assert.ok(types.has(t), `msgtype ${t} stored`);
  const expectedByType: Record<string, number> = {};
  for (const { obj } of good) expectedByType[typeOf(obj)] = (expectedByType[typeOf(obj)] ?? 0) + 1;
  const storedByType: Record<string, number> = {};
  for (const r of rows) storedByType[r.msgtype] = (storedByType[r.msgtype] ?? 0) + 1;
  assert.deepEqual(storedByType, expectedByType);

  // raw kept byte for byte (CRLF and BOM are framing, not part of a record), fields as in the source
  const fileIds = new Map((db.prepare('SELECT path, id FROM import_files').all() as Obj[]).map((f) => [f.path as string, f.id as number]));
  for (const { text, obj, file, line } of good) {
    const r = byMsgid.get(obj.msgid);
    assert.ok(r, `${obj.msgid} from ${path.basename(file)} stored`);
    assert.equal(r.file_id, fileIds.get(file), `${obj.msgid}: the file it came from`);
    assert.equal(r.line, line, `${obj.msgid}: the line it starts on in ${path.basename(file)}`);
    assert.equal(r.raw, text, `raw of ${obj.msgid} (${path.basename(file)}) equals the source text`);
    assert.equal(r.msgtype, typeOf(obj));
    if (obj.action !== 'switch') {
      assert.equal(r.sender, obj.from);
      assert.deepEqual(JSON.parse(r.tolist), obj.tolist);
      assert.equal(r.roomid, obj.roomid ?? '');
      assert.equal(r.msgtime, obj.msgtime === 0 ? null : obj.msgtime);
    }
    assert.equal(r.seq, obj.seq ?? null, `seq of ${obj.msgid}`);
  }

  // the unknown type: stored whole, its raw JSON byte for byte, its words searchable
  const unknown = good.find((g) => g.obj.msgtype === 'solitaire')!;
  const u = byMsgid.get(unknown.obj.msgid)!;
  assert.equal(u.raw, unknown.text);
  assert.equal(Buffer.compare(Buffer.from(u.raw, 'utf8'), Buffer.from(unknown.text, 'utf8')), 0);

  // 64-bit seq: kept as exact digits, never rounded through a double
  assert.equal(one(`SELECT seq FROM messages WHERE seq = '18446744073709551000'`), '18446744073709551000');
  assert.equal(one(`SELECT typeof(seq) FROM messages WHERE seq = '18446744073709551000'`), 'text');
  assert.equal(one(`SELECT count(*) FROM messages WHERE seq = '9007199254740993'`), 1, '2^53 + 1 not rounded to 2^53');
  assert.equal(one(`SELECT count(*) FROM messages WHERE seq = '9007199254740992'`), 0);
  const seqs = good.filter((g) => g.obj.seq !== undefined);
  assert.ok(seqs.length > 10);
  assert.equal(one('SELECT count(*) FROM messages WHERE seq IS NOT NULL'), seqs.length);

  // msgtime 0: kept, time unknown (NULL)
  const zero = good.filter((g) => g.obj.msgtime === 0);
  assert.equal(zero.length, 1);
  assert.equal(byMsgid.get(zero[0]!.obj.msgid)!.msgtime, null);
  assert.equal(one('SELECT count(*) FROM messages WHERE msgtime IS NULL'), 1);

  // the switch record
  const sw = good.find((g) => g.obj.action === 'switch')!;
  const swRow = byMsgid.get(sw.obj.msgid)!;
  assert.equal(swRow.action, 'switch');
  assert.equal(swRow.msgtype, 'switch');
  assert.equal(swRow.sender, sw.obj.user);
  assert.equal(swRow.msgtime, sw.obj.time);

  // scannable text of every body that carries words
  for (const [t, sets] of Object.entries(TEXT_WORDS)) {
    const texts = rows.filter((r) => r.msgtype === t).map((r) => r.text as string);
    for (const words of sets) {
      assert.ok(
        texts.some((x) => words.every((w) => x.includes(w))),
        `a ${t} message whose text holds ${words.join(' + ')}; got ${JSON.stringify(texts).slice(0, 400)}`,
      );
    }
  }
  // ids, hashes and urls of media are not text
  for (const r of rows.filter((x) => ['image', 'voice', 'video', 'emotion'].includes(x.msgtype))) assert.equal(r.text, '', `${r.msgtype} has no words`);

  // recall: the revoke notice points at the earlier, sensitive message
  const recalled = good.find((g) => g.obj.text?.content === '这款产品保本保收益，稳赚不赔')!;
  const revoke = good.find((g) => g.obj.msgtype === 'revoke')!;
  assert.equal(revoke.obj.revoke.pre_msgid, recalled.obj.msgid);
  const recallRows = db.prepare('SELECT m.msgid, r.pre_msgid FROM recalls r JOIN messages m ON m.id = r.message_id').all() as Obj[];
  assert.deepEqual(recallRows, [{ msgid: revoke.obj.msgid, pre_msgid: recalled.obj.msgid }]);
  assert.equal(one('SELECT action FROM messages WHERE msgid = ?', revoke.obj.msgid), 'recall');
  assert.ok(byMsgid.has(recalled.obj.msgid), 'the recalled message itself is kept');
  assert.ok(byMsgid.get(recalled.obj.msgid)!.msgtime < byMsgid.get(revoke.obj.msgid)!.msgtime);

  // consents: one row per agree/disagree, with the contact and the time in ms (agree_time in seconds accepted)
  const consents = db.prepare('SELECT m.msgid, c.contact, c.status, c.at FROM consents c JOIN messages m ON m.id = c.message_id ORDER BY m.msgid').all() as Obj[];
  const expectedConsents = good
    .filter((g) => g.obj.msgtype === 'agree' || g.obj.msgtype === 'disagree')
    .map(({ obj }) => {
      const b = obj[obj.msgtype];
      const t = Number(b.agree_time ?? b.disagree_time);
      return { msgid: obj.msgid, contact: b.userid, status: obj.msgtype, at: t < 1e11 ? t * 1000 : t };
    })
    .sort((a, b) => (a.msgid < b.msgid ? -1 : 1));
  assert.equal(expectedConsents.filter((c) => c.status === 'disagree').length, 1);
  assert.equal(expectedConsents.filter((c) => c.status === 'agree').length, 2);
  assert.deepEqual(consents, expectedConsents);

  // conversations: one per room, one per pair of people whatever the direction
  const expectedConv = new Map<string, number>();
  for (const { obj } of good) {
    const k = conversationKey(obj);
    if (k) expectedConv.set(k, (expectedConv.get(k) ?? 0) + 1);
  }
  const convRows = db.prepare('SELECT id, kind, key, roomid, party_a, party_b, message_count, first_time, last_time FROM conversations').all() as Obj[];
  assert.deepEqual(new Map(convRows.map((c) => [c.key, c.message_count])), expectedConv);
  const groups = convRows.filter((c) => c.kind === 'group');
  assert.equal(groups.length, 2);
  for (const g of groups) assert.equal(g.key, `room:${g.roomid}`);
  const wang = convRows.find((c) => c.key === 'single:wmErxtDgAAhteCglUZH2kUt3rq431qmg|zhangwei');
  assert.ok(wang, 'zhangwei ↔ 王建国 is one conversation');
  assert.equal(wang.kind, 'single');
  assert.equal(wang.party_a, 'wmErxtDgAAhteCglUZH2kUt3rq431qmg');
  assert.equal(wang.party_b, 'zhangwei');
  const senders = new Set(rows.filter((r) => r.conversation_id === wang.id).map((r) => r.sender));
  assert.deepEqual([...senders].sort(), ['wmErxtDgAAhteCglUZH2kUt3rq431qmg', 'zhangwei'], 'both directions in the one conversation');
  const convById = new Map(convRows.map((c) => [c.id as number, c]));
  for (const { obj } of good) {
    const r = byMsgid.get(obj.msgid)!;
    const k = conversationKey(obj);
    assert.equal(r.conversation_id === null ? null : convById.get(r.conversation_id)?.key, k, `conversation of ${obj.msgid}`);
  }
  for (const c of convRows) {
    const times = rows.filter((r) => r.conversation_id === c.id && r.msgtime !== null).map((r) => r.msgtime as number);
    assert.equal(c.first_time, Math.min(...times), `first_time of ${c.key}`);
    assert.equal(c.last_time, Math.max(...times), `last_time of ${c.key}`);
  }

  // quarantine: the three broken lines of day4, with file and line
  const q = db.prepare('SELECT file, line, reason FROM quarantine ORDER BY line').all() as Obj[];
  assert.deepEqual(q.map((x) => ({ file: x.file, line: x.line })), badLines);
  assert.match(q[0]!.reason, /JSON/);
  assert.match(q[1]!.reason, /msgid/);
  assert.match(q[2]!.reason, /msgtime/);
}

/** Media rows of a store checked against expectedMedia(): status, md5 verified, sha256 of the real bytes kept. */
function assertSamplesMedia(db: Db): { linked: number; missing: number; mismatched: number } {
  const { good } = readSamples();
  const expected = expectedMedia(good);
  assert.equal(expected.filter((e) => e.status === 'missing').length, 2, 'samples: two media missing');
  assert.equal(expected.filter((e) => e.status === 'md5_mismatch').length, 1, 'samples: one md5 mismatch');
  const rows = db
    .prepare(`SELECT m.msgid, mm.part, mm.md5sum, mm.status, mm.sha256, md.md5 AS media_md5, md.bytes FROM message_media mm
      JOIN messages m ON m.id = mm.message_id LEFT JOIN media md ON md.sha256 = mm.sha256`)
    .all() as Obj[];
  const got = new Map(rows.map((r) => [`${r.msgid}#${r.part}`, r]));
  assert.deepEqual([...got.keys()].sort(), expected.map((e) => `${e.msgid}#${e.part}`).sort(), 'one media row per referenced item');
  for (const e of expected) {
    const r = got.get(`${e.msgid}#${e.part}`)!;
    assert.equal(r.status, e.status, `status of ${e.msgid}#${e.part}`);
    assert.equal(r.md5sum, e.md5sum);
    if (e.file) {
      const bytes = fs.readFileSync(e.file);
      assert.equal(r.sha256, sha256(bytes), `sha256 recorded for ${path.basename(e.file)}`);
      assert.equal(r.media_md5, md5(bytes));
      assert.equal(Buffer.compare(r.bytes as Buffer, bytes), 0, 'the media bytes are in the store');
      if (e.status === 'linked' && e.md5sum) assert.equal(r.media_md5, e.md5sum, 'md5 verified');
      if (e.status === 'md5_mismatch') assert.notEqual(r.media_md5, e.md5sum);
    } else {
      assert.equal(r.sha256, null);
    }
  }
  // the ones the samples plant: the customer's voice and the loan statement missing, a re-saved screenshot
  const withType = db.prepare(`SELECT m.msgtype, m.sender, mm.status FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE mm.status != 'linked' ORDER BY m.msgtype`).all();
  assert.deepEqual(withType, [
    { msgtype: 'file', sender: 'wmErxtDgAAxP4sH8vN2bQ6cJ9kL1mR5t', status: 'missing' },
    { msgtype: 'image', sender: 'zhangwei', status: 'md5_mismatch' },
    { msgtype: 'voice', sender: 'wmErxtDgAAq7Wb3sYk1P0dZ5nV8cLm2x', status: 'missing' },
  ]);
  return {
    linked: expected.filter((e) => e.status === 'linked').length,
    missing: expected.filter((e) => e.status === 'missing').length,
    mismatched: expected.filter((e) => e.status === 'md5_mismatch').length,
  };
}

test('the samples cover every msgtype of the spec and the cases the brief asks for', () => {
  const { good, badLines } = readSamples();
  const types = new Set(good.map((g) => typeOf(g.obj)));
  for (const t of [...SPEC_TYPES, 'switch', 'solitaire']) assert.ok(types.has(t), `samples hold ${t}`);
  assert.ok(good.length >= 150 && good.length <= 300, `${good.length} messages`);
  assert.equal(badLines.length, 3);
  const votes = good.filter((g) => g.obj.msgtype === 'vote');
  assert.ok(votes.some((v) => v.obj.votetitle && !v.obj.vote), 'a vote with its fields at the top level');
  assert.ok(votes.some((v) => v.obj.vote?.votetitle && !v.obj.votetitle), 'a vote with its fields under "vote"');
  assert.ok(good.some((g) => g.obj.msgtype === 'docmsg' && g.obj.doc), 'docmsg body under "doc"');
  for (const t of ['markdown', 'news', 'voiptext', 'qydiskfile', 'meeting_notification']) assert.ok(good.some((g) => g.obj.msgtype === t && g.obj.info && !g.obj[t]), `${t} body under "info"`);
  assert.ok(good.some((g) => g.obj.msgtype === 'meeting_voice_call' && g.obj.voiceid && !g.obj.meeting_voice_call.md5sum));
  assert.ok(good.some((g) => g.obj.msgtype === 'voip_doc_share' && g.obj.voipid));
  assert.ok(good.some((g) => g.obj.roomid) && good.some((g) => g.obj.roomid === ''));
  assert.ok(good.some((g) => g.obj.from === '18002520162') && good.some((g) => g.obj.from === '0000726'), 'ids that fit no prefix');
  assert.ok(good.some((g) => typeof g.obj.seq === 'string' && BigInt(g.obj.seq) > 2n ** 53n));
  // a disagree followed by more chatting with the same customer
  const dis = good.find((g) => g.obj.msgtype === 'disagree')!.obj;
  assert.ok(good.filter((g) => g.obj.msgtype === 'text' && (g.obj.from === dis.from || g.obj.tolist[0] === dis.from) && g.obj.msgtime > dis.msgtime).length >= 3);
  // the ID card number and the bank cards are valid ones
  const all = good.map((g) => String(g.obj.text?.content ?? '')).join('\n');
  assert.ok(all.includes('11010519491231002X'));
  const cards = all.match(/(?<!\d)62\d{14,17}(?!\d)/g) ?? [];
  assert.ok(cards.length >= 2, 'bank card numbers in the chats');
  for (const card of cards) {
    const sum = [...card].reverse().reduce((s, ch, i) => {
      let d = Number(ch);
      if (i % 2) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      return s + d;
    }, 0);
    assert.equal(sum % 10, 0, `${card} passes Luhn`);
  }
  // every media file named by an md5sum belongs to a message
  for (const name of fs.readdirSync(MEDIA).filter((n) => /^[0-9a-f]{32}/.test(n))) {
    assert.ok(good.some((g) => g.text.includes(name.slice(0, 32))), `media ${name} is referenced by a message`);
  }
});

test('the committed samples are exactly what scripts/make-samples.ts generates (deterministic)', () => {
  const out = tmpDir('wecom-samples-');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/make-samples.ts')], { cwd: ROOT, env: { ...process.env, SAMPLES_OUT: out }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const list = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(dir, e.name)).map((x) => `${e.name}/${x}`) : [e.name])).sort();
  const files = list(out);
  assert.deepEqual(files, list(SAMPLES));
  for (const f of files) assert.equal(Buffer.compare(fs.readFileSync(path.join(out, f)), fs.readFileSync(path.join(SAMPLES, f))), 0, `${f} regenerates byte for byte`);
});

test('core import of the bundled samples: every type, raw, seq, texts, recalls, consents, media, conversations', async () => {
  const store = newStore();
  try {
    const summary = await importExports(store, { paths: [EXPORTS], mediaDir: MEDIA });
    const { good } = readSamples();
    assert.deepEqual(summary.fileErrors, []);
    assert.equal(summary.files, 5);
    assert.equal(summary.read, good.length + 3);
    assert.equal(summary.imported, good.length);
    assert.equal(summary.duplicates, 0);
    assert.equal(summary.quarantined, 3);
    const byType: Record<string, number> = {};
    for (const { obj } of good) byType[typeOf(obj)] = (byType[typeOf(obj)] ?? 0) + 1;
    assert.deepEqual(summary.byType, byType);
    assertSamplesStore(store.db);
    const m = assertSamplesMedia(store.db);
    assert.equal(summary.mediaLinked, m.linked);
    assert.equal(summary.mediaMissing, m.missing);
    assert.equal(summary.mediaMismatched, m.mismatched);
    assert.equal(summary.mediaLinked + summary.mediaMissing + summary.mediaMismatched, m.linked + m.missing + m.mismatched, 'every media item counted once');
  } finally {
    store.close();
  }
});

test('CLI import --json of the bundled samples: the contract fields, and the same store contents', () => {
  const dir = tmpDir();
  const db = path.join(dir, 'cli.db');
  assert.equal(cli(['init', '--db', db, '--json']).code, 0);
  const r = cli(['import', '--db', db, EXPORTS, '--media', MEDIA, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.json, `stdout is one JSON document: ${r.stdout.slice(0, 200)}`);
  const { good } = readSamples();
  const byType: Record<string, number> = {};
  for (const { obj } of good) byType[typeOf(obj)] = (byType[typeOf(obj)] ?? 0) + 1;
  for (const k of ['read', 'imported', 'duplicates', 'quarantined', 'mediaLinked', 'mediaMissing', 'byType']) assert.ok(k in r.json, `--json result has ${k}`);
  assert.equal(r.json.read, good.length + 3);
  assert.equal(r.json.imported, good.length);
  assert.equal(r.json.duplicates, 0);
  assert.equal(r.json.quarantined, 3);
  const media = expectedMedia(good);
  const linked = media.filter((m) => m.status === 'linked').length;
  assert.equal(r.json.mediaLinked, linked);
  const missing = media.filter((m) => m.status === 'missing').length;
  assert.equal(r.json.mediaMissing, missing);
  assert.equal(r.json.mediaMismatched, media.length - linked - missing);
  assert.deepEqual(r.json.byType, byType);

  const q = cli(['quarantine', '--db', db, '--json']);
  assert.equal(q.code, 0, q.stderr);
  assert.deepEqual(
    q.json.map((x: Obj) => [path.basename(x.file), x.line]),
    [['day4-with-errors.jsonl', 4], ['day4-with-errors.jsonl', 7], ['day4-with-errors.jsonl', 10]],
  );
  const st = cli(['stats', '--db', db, '--json']);
  assert.equal(st.code, 0, st.stderr);
  assert.equal(st.json.messages, good.length);
  assert.deepEqual(st.json.media, { linked, missing: 2, mismatched: 1, notStored: 0 });

  // a second run through the CLI adds nothing
  const again = cli(['import', '--db', db, EXPORTS, '--media', MEDIA, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.imported, 0);
  assert.equal(again.json.duplicates, good.length);
  assert.deepEqual(again.json.byType, {});

  const store = openStore(db, PASS);
  try {
    assertSamplesStore(store.db);
    assertSamplesMedia(store.db);
  } finally {
    store.close();
  }
});

function snapshot(db: Db): Obj {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    messages: all('SELECT id, msgid, seq, action, sender, tolist, roomid, msgtime, msgtype, conversation_id, text, raw FROM messages ORDER BY id'),
    conversations: all('SELECT * FROM conversations ORDER BY id'),
    recalls: all('SELECT * FROM recalls ORDER BY message_id'),
    consents: all('SELECT * FROM consents ORDER BY message_id'),
    messageMedia: all('SELECT * FROM message_media ORDER BY message_id, part'),
    media: all('SELECT sha256, md5, size FROM media ORDER BY sha256'),
    quarantine: all('SELECT file, line, reason FROM quarantine ORDER BY file, line'),
  };
}

test('importing the samples twice adds nothing and reports every message as a duplicate', async () => {
  const store = newStore();
  try {
    const first = await importExports(store, { paths: [EXPORTS], mediaDir: MEDIA });
    const before = snapshot(store.db);
    const second = await importExports(store, { paths: [EXPORTS], mediaDir: MEDIA });
    assert.equal(second.imported, 0);
    assert.equal(second.duplicates, first.imported);
    assert.deepEqual(second.byType, {});
    assert.equal(second.quarantined, 3, 'the broken lines are still broken');
    assert.deepEqual(second.fileErrors, []);
    assert.deepEqual(snapshot(store.db), before);
  } finally {
    store.close();
  }
});

test('an overlapping export (half already imported, half new) imports only the new half', async () => {
  const dir = tmpDir();
  const lines = fs.readFileSync(path.join(EXPORTS, 'day1.jsonl'), 'utf8').split('\n').filter(Boolean);
  const half = Math.floor(lines.length / 2);
  const quarter = Math.floor(lines.length / 4);
  const first = path.join(dir, 'export-1.jsonl');
  const second = path.join(dir, 'export-2.jsonl');
  fs.writeFileSync(first, lines.slice(0, half).join('\n') + '\n');
  fs.writeFileSync(second, lines.slice(half - quarter).join('\n') + '\n'); // a quarter old, the rest new
  const store = newStore(dir);
  try {
    const a = await importExports(store, { paths: [first] });
    assert.equal(a.imported, half);
    const b = await importExports(store, { paths: [second] });
    assert.equal(b.duplicates, quarter);
    assert.equal(b.imported, lines.length - half);
    assert.equal(b.quarantined, 0);
    assert.equal(store.db.prepare('SELECT count(*) FROM messages').pluck().get(), lines.length);
    const sum = store.db.prepare('SELECT sum(message_count) FROM conversations').pluck().get();
    assert.equal(sum, lines.length, 'conversation counts not inflated by the overlap');
    // the stored row of an overlapping message still points at the file it first came from
    const firstId = store.db.prepare('SELECT id FROM import_files WHERE path = ?').pluck().get(first);
    const overlapMsgid = (JSON.parse(lines[half - 1]!) as Obj).msgid;
    assert.equal(store.db.prepare('SELECT file_id FROM messages WHERE msgid = ?').pluck().get(overlapMsgid), firstId);
  } finally {
    store.close();
  }
});

type Row = { msgid: string; seq: string | null; action: string; sender: string; tolist: string; roomid: string; msgtime: number | null; msgtype: string; text: string; raw: string; conv: string | null };

function messagesOf(db: Db): Row[] {
  return db
    .prepare(`SELECT m.msgid, m.seq, m.action, m.sender, m.tolist, m.roomid, m.msgtime, m.msgtype, m.text, m.raw, c.key AS conv
      FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id ORDER BY m.msgid`)
    .all() as Row[];
}

/** Same messages: every field equal, and the raw records equal as JSON (whitespace may differ between shapes). */
function assertSameMessages(got: Row[], want: Row[], label: string): void {
  assert.equal(got.length, want.length, `${label}: count`);
  assert.ok(want.length > 0);
  for (let i = 0; i < want.length; i++) {
    const { raw: gr, ...g } = got[i]!;
    const { raw: wr, ...w } = want[i]!;
    assert.deepEqual(g, w, `${label}: ${w.msgid}`);
    assert.deepEqual(safeParse(gr), safeParse(wr), `${label}: raw of ${w.msgid}`);
  }
}

async function importAlone(file: string): Promise<{ rows: Row[]; extra: Obj }> {
  const store = newStore();
  try {
    const s = await importExports(store, { paths: [file] });
    assert.deepEqual(s.fileErrors, [], path.basename(file));
    assert.equal(s.quarantined, 0, `${path.basename(file)}: nothing quarantined`);
    const all = (sql: string) => store.db.prepare(sql).all();
    return {
      rows: messagesOf(store.db),
      extra: {
        recalls: all('SELECT m.msgid, r.pre_msgid FROM recalls r JOIN messages m ON m.id = r.message_id ORDER BY 1'),
        consents: all('SELECT m.msgid, c.contact, c.status, c.at FROM consents c JOIN messages m ON m.id = c.message_id ORDER BY 1'),
        media: all('SELECT m.msgid, mm.part, mm.kind, mm.md5sum, mm.sdkfileid, mm.status FROM message_media mm JOIN messages m ON m.id = mm.message_id ORDER BY 1, 2'),
        conversations: all('SELECT key, kind, message_count, first_time, last_time FROM conversations ORDER BY key'),
      },
    };
  } finally {
    store.close();
  }
}

test('JSON array, gzipped envelope and CRLF + BOM samples give the same messages as the equivalent JSON Lines', async () => {
  const dir = tmpDir();
  const { byFile } = readSamples();
  const cases: [string, (recs: SourceRec[]) => string][] = [
    ['day2.json', (recs) => recs.map((r) => JSON.stringify(r.obj)).join('\n') + '\n'], // no seq in day2: JSON.stringify is exact
    ['page3.json.gz', (recs) => recs.map((r) => r.text).join('\n') + '\n'], // items are one compact object a line, seq as bare digits
    ['day5-crlf-bom.jsonl', (recs) => recs.map((r) => r.text).join('\n') + '\n'],
  ];
  for (const [name, toJsonl] of cases) {
    const src = path.join(EXPORTS, name);
    const recs = byFile.get(src)!;
    const eq = path.join(dir, `${name}.equivalent.jsonl`);
    fs.writeFileSync(eq, toJsonl(recs));
    const a = await importAlone(src);
    const b = await importAlone(eq);
    assert.equal(a.rows.length, recs.length, name);
    assertSameMessages(a.rows, b.rows, name);
    assert.deepEqual(a.extra, b.extra, `${name}: recalls, consents, media, conversations`);
    if (name !== 'day2.json') {
      // compact shapes: the raw text is the very same bytes
      assert.deepEqual(a.rows.map((r) => r.raw), b.rows.map((r) => r.raw), `${name}: raw identical`);
    }
    if (name === 'page3.json.gz') assert.ok(a.rows.some((r) => r.seq === '18446744073709551000'));
  }
});

test('day1 written as a one-line JSON array, a one-line gzipped envelope, a pretty envelope and CRLF + BOM: the same messages', async () => {
  const dir = tmpDir();
  const lines = fs.readFileSync(path.join(EXPORTS, 'day1.jsonl'), 'utf8').split('\n').filter(Boolean);
  const withSeq = lines.map((l, i) => `{"seq":${18446744073709551000n + BigInt(i)},${l.slice(1)}`);
  const shapes: Record<string, Buffer> = {
    'a.jsonl': Buffer.from(withSeq.join('\n') + '\n'),
    'b.json': Buffer.from(`[${withSeq.join(',')}]`),
    'c.json.gz': zlib.gzipSync(`{"errcode":0,"errmsg":"ok","chatdata":[${withSeq.join(',')}],"next_cursor":"x"}`),
    'd.json': Buffer.from(`{\n  "errcode": 0,\n  "errmsg": "ok",\n  "chatdata": [\n    ${withSeq.join(',\n    ')}\n  ]\n}\n`),
    'e.jsonl': Buffer.from('\ufeff' + withSeq.join('\r\n') + '\r\n'),
    // a gzip with no telling extension: detected by its magic bytes
    'f.json': zlib.gzipSync(withSeq.join('\n') + '\n'),
  };
  const results: Record<string, Row[]> = {};
  for (const [name, bytes] of Object.entries(shapes)) {
    fs.writeFileSync(path.join(dir, name), bytes);
    results[name] = (await importAlone(path.join(dir, name))).rows;
  }
  const base = results['a.jsonl']!;
  assert.equal(base.length, lines.length);
  assert.ok(base.every((r) => r.seq !== null && BigInt(r.seq) >= 18446744073709551000n), 'seq kept as 64-bit digits');
  for (const [name, rows] of Object.entries(results)) {
    assertSameMessages(rows, base, name);
    assert.deepEqual(rows.map((r) => r.raw), base.map((r) => r.raw), `${name}: the raw record is the same text`);
  }
});

test('SDK pages written one envelope a line, a multi-member gzip, and a bare numeric msgid above 2^53', async () => {
  const dir = tmpDir();
  const lines = fs.readFileSync(path.join(EXPORTS, 'day1.jsonl'), 'utf8').split('\n').filter(Boolean);
  const item = (l: string, i: number) => `{"seq":${9007199254740993n + BigInt(i)},${l.slice(1)}`;
  const pageOf = (from: number, to: number) => `{"errcode":0,"errmsg":"ok","chatdata":[${lines.slice(from, to).map((l, k) => item(l, from + k)).join(',')}]}`;
  const third = Math.floor(lines.length / 3);
  const pages = path.join(dir, 'pages.jsonl');
  fs.writeFileSync(pages, [pageOf(0, third), pageOf(third, 2 * third), pageOf(2 * third, lines.length)].join('\n') + '\n');
  const multi = path.join(dir, 'multi.jsonl.gz');
  fs.writeFileSync(multi, Buffer.concat([zlib.gzipSync(lines.slice(0, third).join('\n') + '\n'), zlib.gzipSync(lines.slice(third).join('\n') + '\n')]));
  const numeric = path.join(dir, 'numeric.jsonl');
  fs.writeFileSync(numeric, '{"msgid":11788441727514772650,"action":"send","from":"zhangwei","tolist":["wmErxtDgAAhteCglUZH2kUt3rq431qmg"],"roomid":"","msgtime":1603875624476,"msgtype":"text","text":{"content":"您好，这款理财产品年化4.2%"}}\n');

  const a = await importAlone(pages);
  assert.equal(a.rows.length, lines.length);
  const seqs = a.rows.map((r) => BigInt(r.seq!)).sort((x, y) => (x < y ? -1 : 1));
  assert.equal(seqs[0], 9007199254740993n);
  assert.equal(seqs.at(-1), 9007199254740993n + BigInt(lines.length - 1));
  const b = await importAlone(multi);
  assert.equal(b.rows.length, lines.length, 'both gzip members read');
  const plain = (await importAlone(path.join(EXPORTS, 'day1.jsonl'))).rows;
  assertSameMessages(b.rows, plain, 'multi-member gzip');
  assert.deepEqual(b.rows.map((r) => r.raw), plain.map((r) => r.raw));

  const store = newStore(dir);
  try {
    const s = await importExports(store, { paths: [numeric] });
    assert.equal(s.imported, 1);
    assert.equal(store.db.prepare('SELECT msgid FROM messages').pluck().get(), '11788441727514772650', 'msgid digits kept, not 11788441727514772000');
    const again = await importExports(store, { paths: [numeric] });
    assert.equal(again.duplicates, 1);
  } finally {
    store.close();
  }
});

test('the top-level seq is the one kept, even when a body holds a nested "seq" before it', async () => {
  const dir = tmpDir();
  const rec = `{"msgid":"nested-seq-1","action":"send","from":"lina","tolist":["wangfang"],"roomid":"","msgtime":1772586030702,"msgtype":"solitaire","solitaire":{"title":"接龙","entries":[{"seq":1,"name":"张三"}]},"seq":18446744073709551000}`;
  const file = path.join(dir, 'p.json');
  fs.writeFileSync(file, `{"errcode":0,"errmsg":"ok","chatdata":[${rec}]}`);
  const store = newStore(dir);
  try {
    const s = await importExports(store, { paths: [file] });
    assert.equal(s.imported, 1);
    assert.equal(store.db.prepare(`SELECT seq FROM messages WHERE msgid = 'nested-seq-1'`).pluck().get(), '18446744073709551000');
  } finally {
    store.close();
  }
});

test('the same messages exported again in another shape (JSON Lines, then a pretty JSON array) are duplicates, not conflicts', async () => {
  const dir = tmpDir();
  const recs = fs.readFileSync(path.join(EXPORTS, 'day1.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Obj);
  const a = writeJsonl(path.join(dir, 'a.jsonl'), recs);
  const b = path.join(dir, 'b.json');
  fs.writeFileSync(b, JSON.stringify(recs, null, 2));
  const store = newStore(dir);
  try {
    await importExports(store, { paths: [a] });
    const s = await importExports(store, { paths: [b] });
    assert.equal(s.imported, 0);
    assert.equal(s.duplicates, recs.length);
    assert.equal(s.quarantined, 0);
  } finally {
    store.close();
  }
});
