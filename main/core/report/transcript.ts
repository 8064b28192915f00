/**
 * The evidence pack's transcript: one self-contained HTML file (inline CSS, no script, no
 * external request) that any browser opens offline, Chinese first. Archive content is untrusted:
 * everything is escaped, and links are shown as text, never as links. The same HTML prints to
 * the pack's transcript.pdf: A4 pages with the pack id in the header and page numbers in the
 * footer (CSS page-margin boxes), no message cut across a page where it fits on one.
 */
import type { HitRow, Party, ViewMessage } from '../../../preload/api.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const time = (ms: number | null) => (ms ? new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ') : '时间未知');
/** A CSS string literal: every character that could end the string or the style element is escaped. */
const cssString = (s: string) => `"${s.replace(/[^\p{L}\p{N} #·:._\/-]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
const FONTS = `"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif,"Noto Color Emoji","Apple Color Emoji","Segoe UI Emoji"`;
const MONO = `"Noto Sans Mono CJK SC","DejaVu Sans Mono",ui-monospace,monospace`;
const who = (p: Party) => (p.kind === 'staff' ? `${p.name}（${[p.branch, p.subBranch].filter(Boolean).join(' ')}）` : p.kind === 'contact' ? `客户 ${p.name}` : p.name);

function highlighted(text: string, hits: HitRow[]): string {
  const spans = hits.filter((h) => h.end > h.start).sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const h of spans) {
    if (h.start < at) continue;
    out += esc(text.slice(at, h.start)) + `<mark title="${esc(`${h.category} · ${h.rule} · ${h.severity}`)}">${esc(text.slice(h.start, h.end))}</mark>`;
    at = h.end;
  }
  return out + esc(text.slice(at));
}

export type TranscriptInput = {
  messages: (ViewMessage & { conversationId: number | null })[];
  hits: HitRow[];
  mediaNames: Map<string, string>;
  createdAt: string;
  createdBy: string;
  fingerprint: string;
  packId: string;
  caseId: number | null;
  caseTitle: string | null;
  /** where an image's src points: the pack's own file by default; the PDF's HTML inlines it (data: URL) */
  imageSrc?: (name: string) => string;
};

export function transcriptHtml(p: TranscriptInput): string {
  const src = p.imageSrc ?? ((name: string) => name);
  const running = `证据包 ${p.packId}${p.caseId !== null ? ` · 案件 #${p.caseId}` : ''}`;
  const byMsg = new Map<string, HitRow[]>();
  for (const h of p.hits) (byMsg.get(h.msgid) ?? byMsg.set(h.msgid, []).get(h.msgid)!).push(h);
  let lastConv: number | null | undefined;
  const rows = p.messages.map((m) => {
    const hits = byMsg.get(m.msgid) ?? [];
    const head = lastConv !== m.conversationId ? `<h2>会话 ${m.conversationId ?? '-'}</h2>` : '';
    lastConv = m.conversationId;
    const media = m.media
      .map((x) => {
        const name = x.sha256 ? p.mediaNames.get(x.sha256) : undefined;
        if (!name) return `<div class="media missing">[${esc(x.kind)}] 媒体缺失 / media missing${x.md5sum ? ` md5 ${esc(x.md5sum)}` : ''}</div>`;
        return /\.(png|jpg|gif|webp)$/.test(name) ? `<div class="media"><img src="${esc(src(name))}" alt="${esc(x.kind)}"><br><small>${esc(name)}</small></div>` : `<div class="media">[${esc(x.kind)}] <code>${esc(name)}</code></div>`;
      })
      .join('');
    const recall = m.recalledBy ? `<div class="note">已被撤回 / recalled ${esc(time(m.recalledBy.msgtime))}</div>` : '';
    const recallOf = m.recallOf ? `<div class="note">撤回了消息 ${esc(m.recallOf.msgid)}：${esc(m.recallOf.text ?? '（原消息不在存储库中）')}</div>` : '';
    const hitList = hits.length ? `<ul class="hits">${hits.map((h) => `<li>${esc(h.category)} · ${esc(h.rule)} · ${esc(h.severity)} · 「${esc(h.match)}」 · ${esc(h.status)}</li>`).join('')}</ul>` : '';
    return `${head}<div class="msg${hits.length ? ' hit' : ''} ${m.from.kind}"><div class="meta">${esc(time(m.msgtime))} · ${esc(who(m.from))} · ${esc(m.msgtype)} · <code>${esc(m.msgid)}</code></div><div class="text">${highlighted(m.text, hits) || '<span class="dim">（无文本）</span>'}</div>${media}${recall}${recallOf}${hitList}</div>`;
  });
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'">
<title>证据包会话记录 / Evidence transcript</title>
<style>
body{font-family:${FONTS};max-width:900px;margin:24px auto;color:#1f2933;line-height:1.55}
code{font-family:${MONO};font-size:.92em;word-break:break-all}
h1{font-size:20px}h2{font-size:15px;border-bottom:1px solid #d0d7de;margin-top:28px}
.msg{border:1px solid #e1e4e8;border-radius:6px;padding:8px 12px;margin:8px 0}.msg.staff{background:#f6f9ff}.msg.hit{border-color:#d93025;border-width:2px}
.meta{color:#57606a;font-size:12px}.text{white-space:pre-wrap;word-break:break-all}mark{background:#ffd8d3;color:#8a1c13;font-weight:600}
.note{color:#8a6d00;font-size:13px}.hits{color:#b42318;font-size:13px;margin:4px 0 0 18px;padding:0}.media img{max-width:240px;border:1px solid #ddd}.missing{color:#b42318}.dim{color:#999}
footer{margin-top:32px;font-size:12px;color:#57606a}
@page{size:A4;margin:20mm 16mm 18mm 16mm;
@top-left{content:${cssString(running)};font-family:${FONTS};font-size:8pt;color:#57606a}
@top-right{content:"会话存档合规审计工作站";font-family:${FONTS};font-size:8pt;color:#57606a}
@bottom-left{content:${cssString(`签名公钥指纹 ${p.fingerprint.slice(0, 16)}…`)};font-family:${FONTS};font-size:7pt;color:#8c959f}
@bottom-right{content:"第 " counter(page) " 页 / 共 " counter(pages) " 页";font-family:${FONTS};font-size:8pt;color:#57606a}}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{max-width:none;margin:0;font-size:10pt;line-height:1.5}
h1{font-size:15pt;margin:0 0 6pt}h2{font-size:11.5pt;margin-top:14pt;break-after:avoid;page-break-after:avoid}
.msg{break-inside:avoid;page-break-inside:avoid;margin:5pt 0;padding:5pt 8pt}
.meta{font-size:8pt}.note,.hits{font-size:9pt}
.media{break-inside:avoid}.media img{max-width:70mm;max-height:90mm}
footer{break-inside:avoid;margin-top:16pt;font-size:8pt}
}
</style></head><body>
<h1>证据包会话记录 / Evidence transcript${p.caseTitle ? ` · 案件：${esc(p.caseTitle)}` : ''}</h1>
<p>证据包编号 <code>${esc(p.packId)}</code>${p.caseId !== null ? ` · 案件 #${p.caseId}` : ''}<br>生成 ${esc(p.createdAt)} · ${esc(p.createdBy)} · 命中 ${p.hits.length} 条 · 消息 ${p.messages.length} 条（含前后各 5 条上下文）<br>签名公钥指纹 <code>${esc(p.fingerprint)}</code></p>
${rows.join('\n')}
<footer>本文件的完整性由 manifest.json 的 Ed25519 签名保证；链接只以文字显示。/ Integrity: the Ed25519-signed manifest.json. Links are shown as text only.</footer>
</body></html>
`;
}
