/**
 * Synthetic archive export for benchmarks: a realistic mix of a branch's traffic (mostly text,
 * Chinese of varying length, some media, links, files, red packets, group chats, recalls),
 * deterministic for a given count.
 */
import fs from 'node:fs';

const PHRASES = [
  '您好，这款理财产品业绩比较基准年化4.2%，风险等级R2',
  '明天上午十点网点见，记得带身份证',
  '这个产品保本保收益，稳赚不赔',
  '加我私人微信吧，方便联系',
  '请把钱转到我个人账户，我帮您操作',
  '好的，谢谢张经理',
  '到期后本金和收益会自动回到您的银行卡',
  '基金有风险，投资需谨慎，过往业绩不代表未来表现',
  '您的定期存款下个月到期，需要续存吗',
  '我们支行这个月有存款活动，新客户有礼品',
  '收到，我再考虑一下',
  '这款保险产品和存款一样安全',
  'OK 没问题',
  '请问大额存单现在的利率是多少？',
];
const STAFF = ['zhangwei', 'lina', 'wangfang', 'liuyang', 'chenjing', 'zhaolei', 'sunli', 'zhouqiang'];

function rnd(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function messageAt(i: number, r: () => number): Record<string, unknown> {
  const staff = STAFF[i % STAFF.length]!;
  const contact = `wm${(i * 7919) % 20000}`.padEnd(20, 'x');
  const group = r() < 0.15;
  const fromStaff = r() < 0.6;
  const base = {
    msgid: `${1000000000000000000n + BigInt(i) * 7n}_${1700000000 + i}`,
    action: 'send',
    from: fromStaff ? staff : contact,
    tolist: [fromStaff ? contact : staff],
    roomid: group ? `wr${i % 3000}` : '',
    msgtime: 1767225600000 + i * 2500,
  };
  const p = r();
  if (p < 0.8) {
    const n = 1 + Math.floor(r() * 3);
    let content = '';
    for (let k = 0; k < n; k++) content += PHRASES[Math.floor(r() * PHRASES.length)]! + (k < n - 1 ? '。' : '');
    return { ...base, msgtype: 'text', text: { content } };
  }
  if (p < 0.88) return { ...base, msgtype: 'image', image: { md5sum: (i * 2654435761).toString(16).padStart(32, '0').slice(0, 32), filesize: 40000 + (i % 5000), sdkfileid: `CtYBMzA2OTAyMDEwMjA0NjMwNjA${i}` } };
  if (p < 0.92) return { ...base, msgtype: 'link', link: { title: '大额存单利率表', description: '点击查看最新利率', link_url: `https://example.com/rate?i=${i}`, image_url: '' } };
  if (p < 0.95) return { ...base, msgtype: 'file', file: { md5sum: (i * 40503).toString(16).padStart(32, '0'), filename: `客户资料${i % 100}.xlsx`, fileext: 'xlsx', filesize: 20480, sdkfileid: `sdk${i}` } };
  if (p < 0.97) return { ...base, msgtype: 'redpacket', redpacket: { type: 1, wish: '恭喜发财，大吉大利', totalcnt: 1, totalamount: 888 } };
  if (p < 0.985) return { ...base, action: 'recall', msgtype: 'revoke', revoke: { pre_msgid: `${1000000000000000000n + BigInt(Math.max(0, i - 1)) * 7n}_${1700000000 + i - 1}` } };
  return { ...base, msgtype: 'voice', voice: { md5sum: (i * 97).toString(16).padStart(32, '0'), voice_size: 3000, play_length: 5, sdkfileid: `v${i}` } };
}

export async function generateExport(file: string, count: number): Promise<number> {
  const r = rnd(42);
  const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
  let buf = '';
  for (let i = 0; i < count; i++) {
    buf += JSON.stringify(messageAt(i, r)) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res) => out.end(res));
  return fs.statSync(file).size;
}
