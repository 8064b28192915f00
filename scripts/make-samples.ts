/**
 * Deterministic generator of the bundled sample data (resources/samples/):
 *   exports/  WeCom session-archive exports of a wealth-management sub-branch, in every shape the
 *             importer reads (JSON Lines, pretty JSON array, gzipped SDK page envelope with 64-bit
 *             seq, CRLF + BOM) and one file with deliberately broken lines;
 *   media/    one small but real-ish file per media item, named by md5sum / voiceid / voipid (the voice
 *             files are real SILK v3 and AMR-NB encodings of short tones, so they play),
 *             two deliberately missing and one whose bytes do not match its md5sum;
 *   roster/   staff.csv and contacts.csv (UTF-8 with BOM, Chinese headers).
 *
 * Run: node --import tsx scripts/make-samples.ts   [SAMPLES_OUT=dir]   (same bytes on every run: no clock, no
 * Math.random, a seeded PRNG, gzip with a fixed header).
 * Every msgtype of shared/spec/wecom-archive-format.md occurs at least once.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { encode as silkEncode } from 'silk-wasm';
import { encodeAmrNb } from '../main/core/media/amrnb.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/** SAMPLES_OUT: write elsewhere (the tests regenerate into a temp folder and compare with the committed files). */
const OUT = process.env.SAMPLES_OUT ? path.resolve(process.env.SAMPLES_OUT) : path.join(ROOT, 'resources', 'samples');

// ---------------------------------------------------------------- deterministic randomness
let seed = 0x5eed2026;
function rand(): number {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? randInt(1, 9) : randInt(0, 9))).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n: number) => Array.from({ length: n }, () => ALNUM[randInt(0, ALNUM.length - 1)]).join('');
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[randInt(0, 15)]).join('');
const randBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => randInt(0, 255)));
const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');

// ---------------------------------------------------------------- checks on the planted PII
function luhnOk(num: string): boolean {
  let sum = 0;
  for (let i = 0; i < num.length; i++) {
    let d = Number(num[num.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
function idCardOk(id: string): boolean {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const check = '10X98765432';
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(id[i]) * w[i]!;
  return check[s % 11] === id[17];
}
const ID_CARD = '11010519491231002X';
const BANK_CARD = '6222021001122334458';
const BANK_CARD_2 = '6217856100012345671';
for (const c of [BANK_CARD, BANK_CARD_2]) if (!luhnOk(c)) throw new Error(`bank card ${c} fails Luhn`);
if (!idCardOk(ID_CARD)) throw new Error('id card checksum');

// ---------------------------------------------------------------- people and places
const S = {
  zhangwei: 'zhangwei', // 张伟 客户经理
  lina: 'lina', // 李娜 理财经理
  wangfang: 'wangfang', // 王芳 支行行长
  liuyang: 'liuyang', // 刘洋 大堂经理
  chenjing: 'chenjing', // 陈静 合规专员
  zhaolei: '18002520162', // 赵磊 理财经理助理: a userid that is a phone number, fits no prefix
  sunli: '0000726', // 孙丽 客户经理 (新街口支行): an old staff number, fits no prefix
} as const;
const C = {
  wang: 'wmErxtDgAAhteCglUZH2kUt3rq431qmg', // 王建国 私行客户
  liu: 'wmErxtDgAAq7Wb3sYk1P0dZ5nV8cLm2x', // 刘秀英 退休客户
  chen: 'woAJ2GCAAAd1NPGHKSD4wKmE8Aabj9AA', // 陈明 代发工资客户
  zhao: 'wmErxtDgAAk3M9pQwE7rT2yU6iO0pLzX', // 赵敏 新客户
  huang: 'wmErxtDgAAxP4sH8vN2bQ6cJ9kL1mR5t', // 黄志强 小微企业主
  zhou: 'woAJ2GCAAA5tR8yU1iO4pA7sD0fG3hJ6', // 周婷 年轻客户
} as const;
const ROBOT = 'wbX6xMAAAAyC1nQ9vR3tU7wZ5aB8dE2f'; // 群机器人「理财播报」
const EXTERNAL = new Set<string>(Object.values(C));
type Room = { id: string; members: string[] };
const VIP: Room = { id: 'wrErxtDgAAyRZk4nHq8sT1vB2cX5dF7g', members: [S.wangfang, S.zhangwei, S.lina, C.wang, C.liu, C.zhao, ROBOT] }; // 河西支行财富VIP客户群
const TEAM: Room = { id: 'wrErxtDgAAp2Lw6cN0vB4xZ8qT3mK7sY', members: [S.wangfang, S.zhangwei, S.lina, S.liuyang, S.chenjing, S.zhaolei, ROBOT] }; // 河西支行工作群

// ---------------------------------------------------------------- time: Beijing wall clock → epoch ms
/** 2026-03-dd hh:mm:ss Beijing time (UTC+8) in epoch milliseconds, with deterministic milliseconds. */
function at(dd: number, hms: string): number {
  const [h, m, s = '0'] = hms.split(':');
  return Date.UTC(2026, 2, dd, Number(h) - 8, Number(m), Number(s)) + randInt(0, 999);
}
const secs = (ms: number) => Math.floor(ms / 1000);

// ---------------------------------------------------------------- media
type MediaPlan = { name: string; bytes: Buffer } | null;
const mediaFiles: { name: string; bytes: Buffer }[] = [];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A valid w×h RGB PNG with a deterministic pattern. */
function png(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const [r, g, b] = [randInt(0, 255), randInt(0, 255), randInt(0, 255)];
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      const on = (x + y) % 4 < 2;
      row[1 + x * 3] = on ? r : 255 - r;
      row[2 + x * 3] = on ? g : 255 - g;
      row[3 + x * 3] = on ? b : 255 - b;
    }
    rows.push(row);
  }
  const idat = zlib.deflateSync(Buffer.concat(rows), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}
/** A valid 1×1 GIF89a in a deterministic colour. */
function gif(): Buffer {
  return Buffer.concat([
    Buffer.from('GIF89a', 'ascii'),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0]), // 1x1, global colour table of 2
    Buffer.from([randInt(0, 255), randInt(0, 255), randInt(0, 255), 0, 0, 0]),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]),
  ]);
}
/** Advances the PRNG as if n random bytes were drawn (the voice files were noise once; drawing the same keeps every later id and time). */
function skipRandom(n: number): void {
  for (let i = 0; i < n; i++) rand();
}

// ---------------------------------------------------------------- voice: real SILK v3 and AMR-NB encodings of a tone
/** A sine tone with 20 ms fades, at `rate` Hz, amplitude 0.5 of full scale (plus `extra` trailing samples). */
function tone(hz: number, seconds: number, rate: number, extra = 0): Float32Array {
  const n = Math.round(seconds * rate) + extra;
  const fade = Math.round(0.02 * rate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.5 * Math.min(1, i / fade, (n - 1 - i) / fade) * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}
/** SILK v3 as WeChat / WeCom write it (0x02, "#!SILK_V3", frames), from a tone at 24 kHz; `plain` drops the 0x02. */
async function silkVoice(hz: number, seconds: number, plain = false): Promise<Buffer> {
  const pcm = Int16Array.from(tone(hz, seconds, 24000), (x) => Math.round(x * 32767));
  const out = Buffer.from((await silkEncode(pcm, 24000)).data);
  if (out[0] !== 0x02 || out.subarray(1, 10).toString('latin1') !== '#!SILK_V3') throw new Error('silk-wasm wrote no WeChat SILK header');
  return plain ? out.subarray(1) : out;
}
/** AMR-NB 12.2 kbit/s ("#!AMR\n", 32-byte frames) from a tone at 8 kHz (the encoder keeps whole 20 ms frames and needs one sample more). */
function amrVoice(hz: number, seconds: number): Buffer {
  return encodeAmrNb(tone(hz, seconds, 8000, 1));
}
type Clip = { bytes: Buffer; seconds: number };
const CLIPS = {
  /** SILK named .amr, as WeCom usually names it */
  silk: { bytes: await silkVoice(440, 2), seconds: 2 },
  /** the customer's voice that the export lacks */
  missing: { bytes: await silkVoice(523, 1), seconds: 1 },
  amr: { bytes: amrVoice(700, 1), seconds: 1 },
  /** the meeting recording, written without the 0x02 */
  meeting: { bytes: await silkVoice(350, 2, true), seconds: 2 },
} satisfies Record<string, Clip>;

/** An MP4 start: ftyp box, then an mdat box of noise. */
function mp4(n: number): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42', 'ascii'), Buffer.from([0, 0, 0, 0]), Buffer.from('mp42isom', 'ascii')]);
  const mdatHead = Buffer.alloc(8);
  mdatHead.writeUInt32BE(n + 8);
  mdatHead.write('mdat', 4, 'ascii');
  return Buffer.concat([ftyp, mdatHead, randBytes(n)]);
}
function pdf(title: string): Buffer {
  const body = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${Buffer.from(title).toString('base64')}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
/** Office files are zip archives: a local header signature and some deflated noise. */
function officeZip(n: number): Buffer {
  return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0]), randBytes(n), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
}

type MediaOpts = { ext?: string | null; missing?: boolean; wrongMd5?: boolean; nameBy?: string };
/** Registers the file for a media body; returns what the message body declares. */
function media(bytes: Buffer, opts: MediaOpts = {}): { md5sum: string; size: number; sdkfileid: string } {
  const sum = md5(bytes);
  let plan: MediaPlan = null;
  if (!opts.missing) {
    const stem = opts.nameBy ?? sum;
    const name = opts.ext ? `${stem}.${opts.ext}` : stem;
    // wrong md5: the file under that name holds other bytes (re-saved by some tool after export)
    const onDisk = opts.wrongMd5 ? Buffer.concat([bytes.subarray(0, Math.max(8, bytes.length - 16)), randBytes(16)]) : bytes;
    plan = { name, bytes: onDisk };
  }
  if (plan) mediaFiles.push(plan);
  return { md5sum: sum, size: bytes.length, sdkfileid: sdkfileid() };
}
function sdkfileid(): string {
  return Buffer.from(`CtYBMzA2OTAyMDEwMjA0NjIzMDYwMjAxMDAwMjA0${alnum(48)}EhBTDYiZ3ExwOTk${alnum(24)}`).toString('base64').slice(0, 120);
}

// ---------------------------------------------------------------- messages
type Rec = Record<string, unknown>;
type FileKey = 'day1' | 'day2' | 'page3' | 'day4' | 'day5';
const files: Record<FileKey, Rec[]> = { day1: [], day2: [], page3: [], day4: [], day5: [] };
let current: FileKey = 'day1';

function newMsgid(msgtime: number, from: string): string {
  const base = `${digits(19)}_${secs(msgtime) || 1772406000}`;
  return EXTERNAL.has(from) ? `${base}_external` : base;
}

/** One message. `to` is a person (one-to-one) or a room. */
function send(from: string, to: string | Room, time: number, msgtype: string, body: unknown, extra: Rec = {}): string {
  const room = typeof to === 'string' ? null : to;
  const msgid = (extra.msgid as string | undefined) ?? newMsgid(time, from);
  const rec: Rec = {
    msgid,
    action: extra.action ?? 'send',
    from,
    tolist: room ? room.members.filter((m) => m !== from) : [to as string],
    roomid: room ? room.id : '',
    msgtime: time,
    msgtype,
  };
  for (const [k, v] of Object.entries(extra)) if (k !== 'msgid' && k !== 'action' && k !== 'bodyKey' && k !== 'topLevel') rec[k] = v;
  if (extra.topLevel) Object.assign(rec, body as Rec);
  else rec[(extra.bodyKey as string | undefined) ?? msgtype] = body;
  files[current].push(rec);
  return msgid;
}
const text = (from: string, to: string | Room, time: number, content: string) => send(from, to, time, 'text', { content });

function image(from: string, to: string | Room, time: number, w: number, h: number, opts: MediaOpts = {}) {
  const m = media(png(w, h), { ext: 'png', ...opts });
  return send(from, to, time, 'image', { md5sum: m.md5sum, filesize: m.size, sdkfileid: m.sdkfileid });
}
/** `drawn`: how many random bytes the noise that stood here before drew (see skipRandom). */
function voice(from: string, to: string | Room, time: number, clip: Clip, drawn: number, opts: MediaOpts = {}) {
  skipRandom(drawn);
  const m = media(clip.bytes, { ext: 'amr', ...opts });
  return send(from, to, time, 'voice', { md5sum: m.md5sum, voice_size: m.size, play_length: clip.seconds, sdkfileid: m.sdkfileid });
}
function emotion(from: string, to: string | Room, time: number, opts: MediaOpts = {}) {
  const m = media(gif(), { ext: null, ...opts });
  return send(from, to, time, 'emotion', { type: 1, width: 240, height: 240, imagesize: m.size, md5sum: m.md5sum, sdkfileid: m.sdkfileid });
}
function file(from: string, to: string | Room, time: number, filename: string, bytes: Buffer, opts: MediaOpts = {}) {
  const ext = filename.slice(filename.lastIndexOf('.') + 1);
  const m = media(bytes, { ext, ...opts });
  return send(from, to, time, 'file', { md5sum: m.md5sum, filename, fileext: ext, filesize: m.size, sdkfileid: m.sdkfileid });
}

// ================================================================ day 1: Monday 2026-03-02 → day1.jsonl
current = 'day1';
{
  const d = 2;
  // 晨会 in the staff group
  text(S.wangfang, TEAM, at(d, '08:41:12'), '各位早，今天晨会说一下：本月理财销售任务还差800万，每人再认领100万，周五前报给我。');
  text(S.zhangwei, TEAM, at(d, '08:42:03'), '收到');
  text(S.lina, TEAM, at(d, '08:42:40'), '收到，我这边还有几个到期客户在跟，争取本周落地。');
  text(S.chenjing, TEAM, at(d, '08:45:18'), '提醒各位：企业微信对话全部存档，销售理财必须双录，不得承诺保本保收益，不得代客操作，不得私下收取客户资金。');
  text(S.liuyang, TEAM, at(d, '08:46:01'), '好的陈老师');
  text(S.zhaolei, TEAM, at(d, '08:47:30'), '收到，今天上午我在柜台协助开卡。');

  // the VIP customer group
  text(S.wangfang, VIP, at(d, '09:00:05'), '各位贵宾早上好！本周三下午3点在支行二楼举办《2026年家庭资产配置策略》沙龙，欢迎报名参加。');
  image(S.wangfang, VIP, at(d, '09:00:41'), 12, 16);
  text(C.liu, VIP, at(d, '09:05:22'), '王行长好，我报名，带我家老伴一起');
  text(C.zhao, VIP, at(d, '09:06:10'), '我也报名，可以带孩子吗？');
  text(S.lina, VIP, at(d, '09:08:33'), '可以的赵女士，每位客户可带一位家属，名额有限先到先得。');
  emotion(C.wang, VIP, at(d, '09:10:02'), { ext: 'gif' });
  send(S.wangfang, VIP, at(d, '09:30:00'), 'video', (() => {
    const m = media(mp4(900), { ext: 'mp4' });
    return { md5sum: m.md5sum, filesize: m.size, play_length: 32, sdkfileid: m.sdkfileid };
  })());
  send(S.lina, VIP, at(d, '10:00:16'), 'weapp', { title: '示例银行手机银行', description: '理财产品净值查询、大额存单预约', username: 'gh_3ba1c5e7a9d1@app', displayname: '示例银行' });

  // zhangwei ↔ 王建国 (私行客户): consent, a pitch, a recalled promise, a sale, then private channels at night
  send(C.wang, S.zhangwei, at(d, '09:04:50'), 'agree', { userid: C.wang, agree_time: at(d, '09:04:50') });
  text(S.zhangwei, C.wang, at(d, '09:06:14'), '王总您好，我是示例银行河西支行客户经理张伟，以后您在我们行的业务由我来对接，有事随时找我。');
  text(C.wang, S.zhangwei, at(d, '09:07:38'), '好的张经理。最近有什么稳健点的理财吗？定期利率又降了。');
  text(S.zhangwei, C.wang, at(d, '09:10:02'), '我们行这周新发一款一年持有期的固收+产品，业绩比较基准年化3.2%-3.8%，R2中低风险。');
  send(S.zhangwei, C.wang, at(d, '09:11:20'), 'link', {
    title: '睿盈稳健一年持有期理财产品说明书',
    description: '业绩比较基准不代表未来表现，理财非存款，产品有风险，投资须谨慎',
    link_url: 'https://wealth.example-bank.cn/product/RY2026031?from=wecom',
    image_url: 'https://wealth.example-bank.cn/static/ry-cover.jpg',
  });
  file(S.zhangwei, C.wang, at(d, '09:12:05'), '睿盈稳健一年持有期_产品说明书.pdf', pdf('睿盈稳健一年持有期产品说明书'));
  text(C.wang, S.zhangwei, at(d, '09:20:47'), '风险大不大？我这笔钱是孩子明年出国读书用的，一分都不能亏。');
  const promise = text(S.zhangwei, C.wang, at(d, '09:21:30'), '这款产品保本保收益，稳赚不赔');
  send(S.zhangwei, C.wang, at(d, '09:22:02'), 'revoke', { pre_msgid: promise }, { action: 'recall' });
  text(S.zhangwei, C.wang, at(d, '09:23:15'), '更正一下：理财产品不保本，历史业绩不代表未来表现。您的风险测评是平衡型，R2的产品和您的风险等级匹配。');
  image(C.wang, S.zhangwei, at(d, '09:30:08'), 16, 24, { ext: null });
  text(C.wang, S.zhangwei, at(d, '09:30:40'), '这是我上次做的风险测评结果，你看看还有效吗。');
  text(S.zhangwei, C.wang, at(d, '09:35:11'), '收到，您的测评是C3平衡型，有效期到今年6月，可以购买。');
  voice(S.zhangwei, C.wang, at(d, '09:40:26'), CLIPS.silk, 12 * 5 * 31);
  text(C.wang, S.zhangwei, at(d, '09:41:55'), '行，那我下午过来网点签一下。');
  send(S.zhangwei, C.wang, at(d, '14:28:40'), 'location', { longitude: 118.72941, latitude: 32.00438, address: '江苏省南京市建邺区江东中路100号', title: '示例银行河西支行', zoom: 15 });
  text(C.wang, S.zhangwei, at(d, '14:32:03'), '到门口了');
  text(S.zhangwei, C.wang, at(d, '16:05:44'), '王总，今天购买的50万已经确认，T+1起息，到期自动兑付到您尾号8821的卡上。');
  emotion(C.wang, S.zhangwei, at(d, '16:06:10'));
  text(S.zhangwei, C.wang, at(d, '22:40:19'), '王总，另外还有一款私募产品收益更高，行里不方便说，您加我私人微信 zw_wealth88 细聊。');
  send(S.zhangwei, C.wang, at(d, '22:41:02'), 'card', { corpname: '南京汇鑫财富投资管理有限公司', userid: 'wmHxCfDgAAm1Pz8LqW4tRk6Ys2Vn9Bc3' });
  text(C.wang, S.zhangwei, at(d, '22:50:37'), '私募起点多少？');
  text(S.zhangwei, C.wang, at(d, '22:52:10'), '100万起，年化12%左右。这个是我朋友公司的产品，不走行里系统，收益我这边单独返给您。');
  text(C.wang, S.zhangwei, at(d, '22:53:48'), '明天再说吧，太晚了。');

  // lina ↔ 刘秀英 (退休客户)
  send(C.liu, S.lina, at(d, '09:58:03'), 'agree', { userid: C.liu, agree_time: secs(at(d, '09:58:03')) });
  text(S.lina, C.liu, at(d, '10:02:11'), '刘阿姨早上好，您上个月到期的那笔定期，这次还续存吗？');
  voice(C.liu, S.lina, at(d, '10:15:37'), CLIPS.missing, 23 * 5 * 31, { missing: true });
  text(C.liu, S.lina, at(d, '10:16:20'), '小李啊，我想买点收益高一点的，你们那个基金行不行？');
  text(S.lina, C.liu, at(d, '10:20:02'), '阿姨，基金净值有波动，您之前的测评是C1保守型，只能买R1的产品。');
  text(S.lina, C.liu, at(d, '10:22:45'), '要不您考虑我们的大额存单，三年期年利率2.15%，受存款保险保护。');
  text(C.liu, S.lina, at(d, '10:25:13'), '那也行，我明天带身份证过来。');
  text(S.lina, C.liu, at(d, '10:26:00'), '好的阿姨，记得带上身份证原件和存折。');
  text(C.liu, S.lina, at(d, '11:00:19'), `我先把身份证号发你，你帮我查查：${ID_CARD}`);
  text(S.lina, C.liu, at(d, '11:02:34'), '阿姨，身份证号这类信息不要在微信里发，明天到网点办理就行，我帮您预约好。');

  // zhangwei ↔ 陈明 (代发工资客户)
  text(C.chen, S.zhangwei, at(d, '15:00:12'), '张经理，我工资卡的转账限额能调高吗？');
  text(S.zhangwei, C.chen, at(d, '15:05:30'), '可以的，手机银行里就能调，单日最高50万，我把步骤截图发您。');
  image(S.zhangwei, C.chen, at(d, '15:06:02'), 10, 20, { wrongMd5: true });
  text(C.chen, S.zhangwei, at(d, '15:10:45'), '好的谢谢');
  text(C.chen, S.zhangwei, at(d, '15:20:08'), '对了，我朋友做生意想借点钱周转，你们有没有什么办法？');
  text(S.zhangwei, C.chen, at(d, '15:25:40'), `让他直接转到我个人账户 ${BANK_CARD}（户名张伟），我帮他找人过个桥，利息好商量。`);
  text(C.chen, S.zhangwei, at(d, '15:27:02'), '这样合规吗？');
  text(S.zhangwei, C.chen, at(d, '15:28:19'), '没事，很多客户都这么弄。');

  // staff group, afternoon
  send(S.lina, TEAM, at(d, '17:40:22'), 'docmsg', { title: '3月理财到期客户名单', doc_creator: S.lina, link_url: 'https://doc.weixin.qq.com/sheet/e3_AKMA2gYHACkHx9qLwRbTmSsOq8cPz?scode=AJEAIQdfAAo' }, { bodyKey: 'doc' });
  send(S.wangfang, TEAM, at(d, '18:10:03'), 'todo', { title: '本周厅堂营销任务', content: '每人邀约5位到期客户参加周三沙龙，周二下班前在群里接龙' });
}

// ================================================================ day 2: Tuesday 2026-03-03 → day2.json (pretty JSON array)
current = 'day2';
{
  const d = 3;
  // lina ↔ 赵敏: the customer refuses archiving, the chat goes on anyway
  send(C.zhao, S.lina, at(d, '09:30:10'), 'disagree', { userid: C.zhao, disagree_time: at(d, '09:30:10') });
  text(S.lina, C.zhao, at(d, '09:31:25'), '赵女士您好，系统提示您未同意会话存档，按规定我们只能通过电话或到网点为您办理业务。');
  text(C.zhao, S.lina, at(d, '09:35:02'), '为什么要存档？我不喜欢聊天被记录。');
  text(S.lina, C.zhao, at(d, '09:36:40'), '这是金融监管的要求，聊天内容只用于合规检查，也是保护您的权益。');
  text(C.zhao, S.lina, at(d, '09:40:18'), '那算了，你就在这说吧，那个年化5%的产品还有额度吗？');
  text(S.lina, C.zhao, at(d, '09:42:55'), '那是一款挂钩黄金的结构性存款，最低收益1.5%，最高5%，不是固定收益哦。');
  text(C.zhao, S.lina, at(d, '09:45:31'), '买50万有没有返现？别的银行都送东西。');
  text(S.lina, C.zhao, at(d, '09:47:09'), '按规定不能返现，不过新客户可以参加积分兑换活动，我发您链接。');
  send(S.lina, C.zhao, at(d, '09:48:00'), 'link', {
    title: '新客户专享：积分兑换好礼',
    description: '开户即送积分，可兑换米面油等生活用品，活动截止3月31日',
    link_url: 'https://wealth.example-bank.cn/act/points2026',
    image_url: 'https://wealth.example-bank.cn/static/points.png',
  });
  text(C.zhao, S.lina, at(d, '09:50:44'), '隔壁行说买够100万返现2000，你们不返的话我就去他们那了。');
  text(S.lina, C.zhao, at(d, '09:52:13'), '这样吧，您买100万，我私下给您返现1000，您别声张。');
  send(S.lina, C.zhao, at(d, '09:53:02'), 'external_redpacket', { type: 1, wish: '感谢支持，返现先发您', totalcnt: 1, totalamount: 20000 }, { bodyKey: 'redpacket' });
  text(C.zhao, S.lina, at(d, '09:55:30'), '好，那我下午去网点。');

  // the staff group: a lucky-draw red packet, a vote started (fields at the top level) and cast (under "vote")
  send(S.wangfang, TEAM, at(d, '08:35:00'), 'redpacket', { type: 2, wish: '开门红，大家辛苦了', totalcnt: 6, totalamount: 66600 });
  const voteid = `${digits(19)}`;
  send(S.lina, TEAM, at(d, '08:40:12'), 'vote', { votetitle: '周三沙龙茶歇选哪家？', voteitem: ['星巴克', '瑞幸咖啡', '本地茶点'], votetype: 101, voteid }, { topLevel: true });
  send(S.zhangwei, TEAM, at(d, '08:41:40'), 'vote', { votetitle: '周三沙龙茶歇选哪家？', voteitem: ['本地茶点'], votetype: 102, voteid });
  send(ROBOT, TEAM, at(d, '18:00:00'), 'markdown', { content: '## 今日理财销售播报\n> 张伟 **120万**\n> 李娜 **85万**\n> 赵磊 **30万**\n距本月目标还差 **565万**，请大家加油！' }, { bodyKey: 'info' });
  text(S.chenjing, TEAM, at(d, '18:05:41'), '销售播报只能在内部群发，不要转发到客户群。');

  // the VIP group: a form (collect), news from the robot
  send(S.lina, VIP, at(d, '10:30:00'), 'collect', {
    room_name: '河西支行财富VIP客户群',
    creator: S.lina,
    create_time: '2026-03-03 10:30:00',
    title: '资产配置沙龙报名表',
    details: [
      { id: 1, ques: '客户姓名', type: 'Text' },
      { id: 2, ques: '联系电话', type: 'Number' },
      { id: 3, ques: '参加人数', type: 'Number' },
    ],
  });
  send(ROBOT, VIP, at(d, '12:00:00'), 'news', {
    item: [
      { title: '央行下调存款准备金率0.25个百分点', description: '释放长期流动性约5000亿元，存款利率或继续下行', url: 'https://news.example.cn/2026/0303/rrr.html', picurl: 'https://news.example.cn/img/rrr.jpg' },
      { title: '示例银行3月理财产品一览', description: '理财非存款，产品有风险，投资须谨慎', url: 'https://wealth.example-bank.cn/list/202603', picurl: 'https://wealth.example-bank.cn/img/list.jpg' },
    ],
  }, { bodyKey: 'info' });
  text(C.wang, VIP, at(d, '12:10:33'), '降准了，那是不是存款利率还要降？');
  text(S.zhangwei, VIP, at(d, '12:12:02'), '王总，利率走势不好说，有需要的话可以考虑先锁定大额存单的利率。');
  text(C.liu, VIP, at(d, '12:15:40'), '👍');

  // zhangwei ↔ 王建国: a meeting, a message with an unknown time (msgtime 0)
  text(C.wang, S.zhangwei, at(d, '10:05:17'), '张经理，昨晚你说的那个私募，能详细说说吗？');
  text(S.zhangwei, C.wang, at(d, '10:08:30'), '王总，微信里不方便，我们约个时间当面聊，我给您发个会议邀请。');
  const start = at(d, '16:00:00');
  send(S.zhangwei, C.wang, at(d, '10:09:12'), 'meeting', {
    topic: '王总家庭资产配置方案沟通',
    starttime: secs(start),
    endtime: secs(start) + 3600,
    address: '示例银行河西支行三楼贵宾室',
    remarks: '请带上身份证和银行卡，另外私募合同当面给您看',
    meetingtype: 102,
    meetingid: Number(digits(18)),
    status: 1,
  });
  text(S.zhangwei, C.wang, 0, '王总，资料已经发到您邮箱了，请查收。');
  text(C.wang, S.zhangwei, at(d, '10:20:05'), '好，下午见。');

  // lina ↔ 刘秀英: a calendar invitation and the visit
  const cal = at(d, '14:00:00');
  send(S.lina, C.liu, at(d, '09:15:00'), 'calendar', {
    title: '刘阿姨大额存单办理',
    creatorname: '李娜',
    attendeename: ['刘秀英', '李娜'],
    starttime: secs(cal),
    endtime: secs(cal) + 1800,
    place: '示例银行河西支行2号理财室',
    remarks: '请携带身份证原件和存折，三年期大额存单20万起',
  });
  text(C.liu, S.lina, at(d, '13:55:48'), '小李，我到了，在大厅等你。');
  text(S.lina, C.liu, at(d, '13:56:20'), '好的阿姨，我马上下来。');
  text(S.lina, C.liu, at(d, '14:40:02'), '阿姨，30万三年期大额存单已经办好，利率2.15%，凭证您收好。');

  // 赵磊 (18002520162) ↔ 黄志强: a business loan, a bribe offer, a complaint
  text(C.huang, S.zhaolei, at(d, '11:02:30'), '赵经理，我那笔经营贷什么时候能批下来？');
  text(S.zhaolei, C.huang, at(d, '11:05:12'), '黄总，材料已经报到分行了，这周内应该有结果。');
  text(C.huang, S.zhaolei, at(d, '11:06:40'), '能不能快点？我愿意出点好处费，你开个价。');
  text(S.zhaolei, C.huang, at(d, '11:10:03'), '好处费不用，您把公司最近6个月的对公流水补充一下就行。');
  file(C.huang, S.zhaolei, at(d, '11:30:27'), '2025年9月-2026年2月对公流水.xlsx', officeZip(600), { missing: true });
  text(S.zhaolei, C.huang, at(d, '11:31:50'), '收到。另外提醒您，经营贷资金不能用于买房和炒股。');
  text(C.huang, S.zhaolei, at(d, '16:45:12'), '都一个礼拜了还不批，我要投诉你们，再拖我就打12378了！');
  text(S.zhaolei, C.huang, at(d, '16:47:33'), '黄总别着急，我马上跟分行再催一下，有结果第一时间告诉您。');

  // liuyang ↔ 陈明: an ordinary errand
  text(C.chen, S.liuyang, at(d, '14:00:21'), '刘经理，我下午去网点换新的社保卡，需要带什么？');
  text(S.liuyang, C.chen, at(d, '14:05:09'), '带身份证和旧卡就行，今天下午人不多，来了直接找我。');
  text(C.chen, S.liuyang, at(d, '14:06:30'), '好的，谢谢');
}

// ================================================================ day 3: Wednesday 2026-03-04 → page3.json.gz (SDK envelope with seq)
current = 'page3';
{
  const d = 4;
  // zhangwei ↔ 王建国: the private-account transfer, a mixed message with a screenshot
  text(S.zhangwei, C.wang, at(d, '09:12:40'), `王总，私募那个您定了的话，认购款先打到我这个账户：${BANK_CARD_2}，户名张伟，我帮您统一转给基金公司。`);
  text(C.wang, S.zhangwei, at(d, '09:20:02'), '打给你个人？不走银行柜台吗？');
  text(S.zhangwei, C.wang, at(d, '09:21:18'), '走柜台要等额度，放心吧，合同下午当面给您，飞单的事别跟别人说。');
  const shot = media(png(20, 36), { ext: 'png' });
  send(C.wang, S.zhangwei, at(d, '10:46:09'), 'mixed', {
    item: [
      { type: 'text', content: JSON.stringify({ content: '张经理，100万已经转到你给的那个个人账户了，这是转账截图' }) },
      { type: 'image', content: JSON.stringify({ md5sum: shot.md5sum, filesize: shot.size, sdkfileid: shot.sdkfileid }) },
      { type: 'text', content: JSON.stringify({ content: '合同记得给我' }) },
    ],
  });
  text(S.zhangwei, C.wang, at(d, '10:48:33'), '收到王总，下午给您送过去。');
  send(C.wang, S.zhangwei, at(d, '20:15:00'), 'sphfeed', { feed_type: 4, sph_name: '理财避坑指南', feed_desc: '银行理财经理不会告诉你的5件事：私募飞单、返现诱惑、承诺保本都是坑' });
  text(C.wang, S.zhangwei, at(d, '20:16:12'), '张经理，你看看这个视频，说的是不是你们这种？我那100万不会有问题吧？');

  // zhangwei forwards the chat to the sub-branch head (chatrecord with text, image and file items)
  const ctr = media(pdf('汇鑫稳盈1号私募基金合同'), { ext: 'pdf' });
  const cimg = media(png(14, 14), { ext: null });
  send(S.zhangwei, S.wangfang, at(d, '11:30:45'), 'chatrecord', {
    title: '王建国和张伟的聊天记录',
    item: [
      { type: 'ChatRecordText', msgtime: secs(at(d, '09:12:40')), content: JSON.stringify({ content: '王总，私募那个您定了的话，认购款先打到我这个账户' }), from_chatroom: false },
      { type: 'ChatRecordImage', msgtime: secs(at(d, '10:46:09')), content: JSON.stringify({ md5sum: cimg.md5sum, filesize: cimg.size, sdkfileid: cimg.sdkfileid }), from_chatroom: false },
      { type: 'ChatRecordFile', msgtime: at(d, '11:00:00'), content: JSON.stringify({ filename: '汇鑫稳盈1号私募基金合同.pdf', fileext: 'pdf', md5sum: ctr.md5sum, filesize: ctr.size, sdkfileid: ctr.sdkfileid }), from_chatroom: false },
    ],
  });
  text(S.wangfang, S.zhangwei, at(d, '11:45:20'), '张伟，你发这个给我是什么意思？私募产品不在我行代销名单上，马上停止，下午来我办公室。');
  text(S.zhangwei, S.wangfang, at(d, '11:47:02'), '王行，客户自己要买的，我只是帮忙介绍。');

  // the staff group: the review call, doc sharing, a disk file, a meeting notice, an unknown type (接龙)
  const callStart = at(d, '16:00:00');
  send(S.wangfang, TEAM, at(d, '16:58:40'), 'meeting_voice_call', {
    endtime: secs(callStart) + 3480,
    sdkfileid: sdkfileid(),
    demofiledata: [{ filename: '3月理财销售分析.pptx', demoter: S.wangfang, starttime: secs(callStart) + 120, endtime: secs(callStart) + 1500 }],
    sharescreendata: [{ share: S.lina, starttime: secs(callStart) + 1600, endtime: secs(callStart) + 2400 }],
  }, { voiceid: 'grb8a4c48a3c094a70982c518d55e40557' });
  skipRandom(1500);
  media(CLIPS.meeting.bytes, { ext: null, nameBy: 'grb8a4c48a3c094a70982c518d55e40557' });
  const voipid = 'gr2751c98b19300571f8afb3b74514bd1d';
  const ppt = media(officeZip(1200), { nameBy: voipid, ext: null });
  send(S.wangfang, TEAM, at(d, '16:05:12'), 'voip_doc_share', { filename: '3月理财销售分析.pptx', md5sum: ppt.md5sum, filesize: ppt.size, sdkfileid: ppt.sdkfileid }, { voipid });
  send(S.lina, TEAM, at(d, '15:20:00'), 'qydiskfile', { filename: '河西支行2026年一季度高净值客户名单（含身份证号）.xlsx' }, { bodyKey: 'info' });
  send(S.wangfang, TEAM, at(d, '15:30:00'), 'meeting_notification', { content: '王芳 将会议「3月理财销售复盘会」的开始时间修改为 2026-03-04 16:00', meeting_id: Number(digits(12)), notification_type: 1 }, { bodyKey: 'info' });
  send(S.lina, TEAM, at(d, '09:00:30'), 'solitaire', {
    title: '周三沙龙到场客户接龙',
    creator: S.lina,
    items: [
      { seq_no: 1, name: '李娜：刘秀英+老伴' },
      { seq_no: 2, name: '张伟：王建国' },
      { seq_no: 3, name: '李娜：赵敏+孩子' },
    ],
    deadline: secs(at(d, '14:00:00')),
    remark: '到场客户每人送定制保温杯一个',
  });
  text(S.chenjing, TEAM, at(d, '17:10:00'), '沙龙伴手礼单价不得超过100元，请按规定登记。');

  // the VIP group on the afternoon of the salon
  text(S.wangfang, VIP, at(d, '14:50:02'), '各位贵宾，沙龙15:00准时开始，地点在支行二楼多功能厅，停车凭小票免费。');
  text(C.liu, VIP, at(d, '15:05:37'), '我们到了');
  image(S.lina, VIP, at(d, '16:40:12'), 24, 16);
  text(S.lina, VIP, at(d, '16:42:30'), '感谢各位参加今天的沙龙，课件稍后发到群里，有问题随时私聊我们。');
  text(C.zhao, VIP, at(d, '16:45:03'), '讲得很好，学到不少');
  text(C.wang, VIP, at(d, '16:50:48'), '下次讲讲私募和信托吧');
  text(S.zhangwei, VIP, at(d, '16:52:20'), '好的王总，我们记下了。私募和信托需要先做合格投资者认证，有兴趣的客户可以到网点了解。');

  // lina ↔ 刘秀英: a voice call
  send(S.lina, C.liu, at(d, '10:03:05'), 'voiptext', { callduration: 185, invitetype: 2 }, { bodyKey: 'info' });
  text(C.liu, S.lina, at(d, '10:06:40'), '小李，刚才电话里说的沙龙我下午准时到。');

  // 孙丽 (0000726) switches enterprise, then chats with 周婷
  files.page3.push({ msgid: `${digits(20)}`, action: 'switch', time: at(d, '08:30:00'), user: S.sunli });
  text(C.zhou, S.sunli, at(d, '12:30:10'), '孙经理，我想每个月定投1000块基金，选哪只好？');
  text(S.sunli, C.zhou, at(d, '12:35:42'), '周小姐，定投建议选宽基指数基金，比如沪深300，长期坚持效果比较好。');
  text(C.zhou, S.sunli, at(d, '12:37:03'), '会不会亏啊？');
  text(S.sunli, C.zhou, at(d, '12:40:27'), '短期肯定有波动，基金不保本，定投是为了摊平成本，建议至少坚持三年。');
  text(C.zhou, S.sunli, at(d, '12:41:55'), '好的，我在手机银行上操作。');
  text(S.sunli, C.zhou, at(d, '12:43:10'), '有问题可以拨打我们的客服热线，我的工作手机是13912345678。');
}

// ================================================================ day 4: Thursday 2026-03-05 → day4-with-errors.jsonl (good lines and deliberately broken ones)
current = 'day4';
const BROKEN: { after: number; line: string }[] = [];
{
  const d = 5;
  text(S.liuyang, C.chen, at(d, '09:10:05'), '陈先生您好，我是河西支行大堂经理刘洋，您预约的业务今天上午可以办理。');
  text(C.chen, S.liuyang, at(d, '09:12:30'), '好的，我十点左右到。');
  text(S.liuyang, C.chen, at(d, '09:13:02'), '到了直接取号，报我名字就行。');
  // invalid JSON: a line cut off in the middle
  BROKEN.push({ after: files.day4.length, line: `{"msgid":"${digits(19)}_${secs(at(d, '09:20:00'))}","action":"send","from":"${S.liuyang}","tolist":["${C.chen}"],"roomid":"","msgtime":${at(d, '09:20:00')},"msgtype":"text","text":{"content":"陈先生，您的新卡已经` });
  text(C.chen, S.liuyang, at(d, '10:05:44'), '我到了，几号窗口？');
  text(S.liuyang, C.chen, at(d, '10:06:10'), '3号贵宾窗口，不用排队。');
  // a JSON object that is not a message: no msgid
  BROKEN.push({ after: files.day4.length, line: JSON.stringify({ action: 'send', from: S.zhangwei, tolist: [C.wang], roomid: '', msgtime: at(d, '10:30:00'), msgtype: 'text', text: { content: '王总，合同的事我们再商量一下。' } }) });
  text(S.zhangwei, C.wang, at(d, '10:31:20'), '王总，您今天方便接电话吗？');
  text(C.wang, S.zhangwei, at(d, '10:40:03'), '我在开会，晚点说。钱到底什么时候能到基金公司？');
  // msgtime as a non-numeric string
  BROKEN.push({ after: files.day4.length, line: JSON.stringify({ msgid: `${digits(19)}_${secs(at(d, '10:45:00'))}`, action: 'send', from: S.zhangwei, tolist: [C.wang], roomid: '', msgtime: '2026-03-05 10:45:00', msgtype: 'text', text: { content: '快了快了，您别急。' } }) });
  text(S.chenjing, S.zhangwei, at(d, '14:00:00'), '张伟，合规部抽查到你3月2日晚上跟客户的聊天记录，请今天下班前到合规部说明情况。');
  text(S.zhangwei, S.chenjing, at(d, '14:05:31'), '好的陈老师，我四点过去。');
  text(S.lina, C.zhao, at(d, '15:00:12'), '赵女士，您的结构性存款已经起息，到期日是9月5日。');
  text(C.zhao, S.lina, at(d, '15:10:40'), '好的，返现什么时候给我？');
  text(S.lina, C.zhao, at(d, '15:12:00'), '这个我们电话里说。');
}

// ================================================================ day 5: Friday 2026-03-06 → day5-crlf-bom.jsonl (Windows line endings and a BOM)
current = 'day5';
{
  const d = 6;
  text(S.wangfang, VIP, at(d, '09:00:00'), '周五愉快！提醒各位：近期有不法分子冒充银行工作人员，以“账户异常”“高息理财”为由索要短信验证码，请勿泄露，有疑问请拨打本行客服热线。');
  text(C.liu, VIP, at(d, '09:05:11'), '收到，谢谢王行长提醒');
  text(C.zhao, VIP, at(d, '09:06:02'), '👍');
  text(S.lina, VIP, at(d, '09:20:40'), '另外本周新发的大额存单额度还有少量剩余，需要的客户请私聊我。');
  text(S.wangfang, TEAM, at(d, '08:40:00'), '通知：即日起所有客户资金必须通过本行柜台或手机银行办理，任何人不得以个人账户代收代付，违者严肃处理。');
  text(S.chenjing, TEAM, at(d, '08:42:18'), '另外，客户身份证号、银行卡号不要在群里和聊天里发，需要核对的请走内部系统。');
  text(S.zhangwei, TEAM, at(d, '08:45:02'), '收到');
  text(S.lina, TEAM, at(d, '08:45:40'), '收到');
  text(S.zhaolei, TEAM, at(d, '08:46:12'), '收到');
  text(C.wang, S.zhangwei, at(d, '09:30:22'), '张经理，银行的人给我打电话问那100万的事，到底怎么回事？');
  text(S.zhangwei, C.wang, at(d, '09:35:48'), '王总，非常抱歉，那笔钱我今天全额退回到您尾号8821的账户，以后一律走行里的正规产品。');
  text(C.wang, S.zhangwei, at(d, '09:40:10'), '你这样搞我很生气，我要向银保监投诉。');
  text(S.wangfang, C.wang, at(d, '10:00:05'), '王总您好，我是河西支行行长王芳，这件事由我亲自跟进，您的资金今天一定全额退回，给您添麻烦了。');
  text(C.wang, S.wangfang, at(d, '10:05:33'), '好，我等结果。');
  voice(S.wangfang, C.wang, at(d, '10:06:20'), CLIPS.amr, 30 * 5 * 31, { ext: null });
  text(S.wangfang, C.wang, at(d, '15:30:12'), '王总，100万已全额退回您尾号8821的账户，请查收。');
  text(C.wang, S.wangfang, at(d, '15:45:00'), '收到了，谢谢王行长。');
  text(S.lina, C.liu, at(d, '09:50:00'), '刘阿姨，下周一有一期新的大额存单额度，需要的话我帮您预约。');
  text(C.liu, S.lina, at(d, '10:10:31'), '好的，给我留20万的额度。');
  text(S.lina, C.liu, at(d, '10:11:05'), '好嘞阿姨，已经给您登记了。');
  file(S.lina, C.liu, at(d, '10:12:40'), '大额存单产品说明.pdf', pdf('大额存单产品说明'));
  text(C.zhou, S.sunli, at(d, '19:30:00'), '孙经理，我那个定投设置好了，第一笔已经扣款。');
  text(S.sunli, C.zhou, at(d, '19:32:20'), '好的周小姐，记得别因为短期下跌就停掉。');
  text(C.chen, S.zhangwei, at(d, '11:00:00'), '张经理，上次说的借钱那个事，我朋友不借了。');
  text(S.zhangwei, C.chen, at(d, '11:02:15'), '好的陈先生，之前是我说错了，资金往来请一律走银行正规渠道。');
  emotion(C.chen, S.zhangwei, at(d, '11:03:00'), { ext: 'gif' });
  text(S.chenjing, S.wangfang, at(d, '17:30:00'), '王行，张伟的事情合规部已经形成报告，涉及私售飞单、个人账户收款和承诺保本，已上报分行。');
  text(S.wangfang, S.chenjing, at(d, '17:35:12'), '收到，配合分行调查。');
}

// ---------------------------------------------------------------- write everything
function byTime(a: Rec, b: Rec): number {
  const ta = Number(a.msgtime ?? a.time ?? 0);
  const tb = Number(b.msgtime ?? b.time ?? 0);
  return (ta || Number.MAX_SAFE_INTEGER) - (tb || Number.MAX_SAFE_INTEGER);
}

function writeOut(rel: string, data: Buffer | string): void {
  const full = path.join(OUT, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, data);
}

fs.rmSync(path.join(OUT, 'exports'), { recursive: true, force: true });
fs.rmSync(path.join(OUT, 'media'), { recursive: true, force: true });
fs.rmSync(path.join(OUT, 'roster'), { recursive: true, force: true });

// day1: JSON Lines, in time order as an archive server writes them
const day1 = [...files.day1].sort(byTime);
writeOut('exports/day1.jsonl', day1.map((r) => JSON.stringify(r)).join('\n') + '\n');

// day2: a pretty-printed JSON array (the msgtime-0 message stays where the server put it)
const day2 = [...files.day2].sort(byTime);
writeOut('exports/day2.json', JSON.stringify(day2, null, 2) + '\n');

// page3: the SDK page envelope, gzipped; every item carries seq (unsigned 64-bit, written as a bare number)
const page3 = [...files.page3].sort(byTime);
let seq = 9007199254740993n; // 2^53 + 1: a double would round it
const items = page3.map((r, i) => {
  const s = i === page3.length - 1 ? 18446744073709551000n : seq++;
  return `{"seq":${s},${JSON.stringify(r).slice(1)}`;
});
const envelope = `{"errcode":0,"errmsg":"ok","chatdata":[\n${items.join(',\n')}\n]}\n`;
// level 9 and no file name or time in the header: the same bytes on every run
writeOut('exports/page3.json.gz', zlib.gzipSync(Buffer.from(envelope, 'utf8'), { level: 9 }));

// day4: JSON Lines with three broken lines among good ones (order of writing, broken lines where planted)
{
  const lines: string[] = [];
  files.day4.forEach((r, i) => {
    for (const b of BROKEN) if (b.after === i) lines.push(b.line);
    lines.push(JSON.stringify(r));
  });
  for (const b of BROKEN) if (b.after >= files.day4.length) lines.push(b.line);
  writeOut('exports/day4-with-errors.jsonl', lines.join('\n') + '\n');
}

// day5: CRLF line endings and a UTF-8 BOM, as a Windows tool writes them
const day5 = [...files.day5].sort(byTime);
writeOut('exports/day5-crlf-bom.jsonl', '\ufeff' + day5.map((r) => JSON.stringify(r)).join('\r\n') + '\r\n');

for (const m of mediaFiles) writeOut(`media/${m.name}`, m.bytes);

// roster: Chinese headers, UTF-8 with BOM (what Excel writes and reads)
const csv = (rows: string[][]) => '\ufeff' + rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
writeOut(
  'roster/staff.csv',
  csv([
    ['员工ID', '姓名', '分行', '支行', '部门', '职位'],
    [S.zhangwei, '张伟', '南京分行', '河西支行', '个人金融部', '客户经理'],
    [S.lina, '李娜', '南京分行', '河西支行', '财富管理中心', '理财经理'],
    [S.wangfang, '王芳', '南京分行', '河西支行', '支行营业部', '支行行长'],
    [S.liuyang, '刘洋', '南京分行', '河西支行', '运营部', '大堂经理'],
    [S.chenjing, '陈静', '南京分行', '河西支行', '内控合规部', '合规专员'],
    [S.zhaolei, '赵磊', '南京分行', '河西支行', '财富管理中心', '理财经理助理'],
    [S.sunli, '孙丽', '南京分行', '新街口支行', '个人金融部', '客户经理'],
  ]),
);
writeOut(
  'roster/contacts.csv',
  csv([
    ['外部联系人ID', '客户名称', '备注', '所属员工', '标签'],
    [C.wang, '王建国', '王总（私行客户）', S.zhangwei, '私行客户;高净值;平衡型'],
    [C.liu, '刘秀英', '刘阿姨', S.lina, '退休客户;保守型;65岁以上'],
    [C.chen, '陈明', '陈先生（代发工资）', S.zhangwei, '代发客户;进取型'],
    [C.zhao, '赵敏', '赵女士', S.lina, '新客户;平衡型;未同意存档'],
    [C.huang, '黄志强', '黄老板（个体工商户）', S.zhaolei, '小微企业主;经营贷'],
    [C.zhou, '周婷', '周小姐', S.sunli, '年轻客户;基金定投'],
  ]),
);

const all = [...files.day1, ...files.day2, ...files.page3, ...files.day4, ...files.day5];
const byType: Record<string, number> = {};
for (const r of all) {
  const t = r.action === 'switch' ? 'switch' : String(r.msgtype);
  byType[t] = (byType[t] ?? 0) + 1;
}
const counts = Object.entries(byType)
  .sort((a, b) => b[1] - a[1])
  .map(([k, v]) => `| ${k} | ${v} |`)
  .join('\n');

writeOut(
  'README.md',
  `# 样例数据 / Sample data

由 \`scripts/make-samples.ts\` 确定性生成（\`node --import tsx scripts/make-samples.ts\`），请勿手工修改。
内容为虚构的示例银行南京分行河西支行（财富管理）企业微信会话存档导出：\`exports/\` 里有 ${all.length} 条消息，分布在 2026 年 3 月 2 日至 6 日，覆盖格式说明中的每一种消息类型（含一种未知类型「接龙」solitaire、切换企业记录、msgtime 为 0 的消息），文件形式包括 JSON Lines、格式化的 JSON 数组、gzip 压缩的 SDK 分页信封（seq 超过 2^53）、CRLF 换行加 BOM，另有 \`day4-with-errors.jsonl\` 故意包含 ${BROKEN.length} 行坏记录用于演示隔离区；\`media/\` 按 md5sum（或 voiceid、voipid）命名的小文件（语音是合成提示音的真实 SILK v3 与 AMR-NB 编码，可以播放），其中 2 个故意缺失、1 个 MD5 不符；\`roster/\` 是员工花名册与外部联系人名单（UTF-8 带 BOM，暂未被应用导入）。其中包含合规人员关心的内容：承诺保本保收益（已撤回）、引导加私人微信、个人账户收款、飞单私募、返现、身份证号与银行卡号、投诉监管等。所有人名、编号、卡号均为虚构。

Generated deterministically by \`scripts/make-samples.ts\` (do not edit by hand). Fictional WeCom session-archive exports of the wealth-management sub-branch of an example bank: ${all.length} messages over 2–6 March 2026 in \`exports/\`, covering every message type of the format spec (plus an unknown future type, a switch record and a message with msgtime 0), written as JSON Lines, a pretty-printed JSON array, a gzipped SDK page envelope (seq above 2^53) and CRLF + BOM, with \`day4-with-errors.jsonl\` carrying ${BROKEN.length} deliberately broken lines for the quarantine; \`media/\` holds small files named by md5sum (or voiceid / voipid; the voice files are real SILK v3 and AMR-NB encodings of synthetic tones, so they play), two deliberately missing and one with a wrong MD5; \`roster/\` has the staff roster and external-contact list (UTF-8 with BOM, not imported by the app yet). The chats include what a compliance officer looks for: a recalled promise of guaranteed returns, moves to personal WeChat, payment into a personal account, off-book private funds, cash-back, ID and bank card numbers, a regulator complaint. All names, ids and numbers are made up.

| msgtype | 条数 count |
| --- | --- |
${counts}
`,
);

console.error(`wrote ${all.length} messages (+${BROKEN.length} broken lines), ${mediaFiles.length} media files to ${path.relative(process.cwd(), OUT) || OUT}`);
