/**
 * Evidence packs: a zip that anyone can check offline. It holds the messages (JSON, and a
 * self-contained HTML transcript that opens in any browser), their media, the hits with their
 * review history, the audit-log excerpt, and a manifest of every file's SHA-256 signed with the
 * store's Ed25519 key; the public key and its fingerprint travel with it. Where the host can print
 * (HostConfig.printPdf: Electron's printToPDF, or headless Chromium for the CLI and test server)
 * the transcript is also a PDF, listed and signed like every other file; where it cannot, the
 * pack is written without it and the result says why. The PDF never fails a pack.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { HitRow, ViewMessage } from '../../../preload/api.js';
import { CoreError } from '../api/errors.js';
import { listAudit } from '../review/audit.js';
import { getCase, reviewHistory } from '../review/triage.js';
import { listHits } from '../scan/hits.js';
import type { Store } from '../store/index.js';
import { conversationWindow, locateMessage } from '../viewer/conversations.js';
import { getMedia, sniffMime } from '../viewer/media.js';
import { writeFileAtomic } from '../tempFiles.js';
import { maskHit, maskMessage, type Policy } from '../review/policy.js';
import { signingKey } from './signing.js';
import { FINGERPRINT_COMMAND } from './trust.js';
import { MANIFEST, PUBLIC_KEY, SIGNATURE, type PackManifest } from './verify.js';
import { transcriptHtml, type TranscriptInput } from './transcript.js';

const CONTEXT = 5;
const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'video/mp4': 'mp4', 'application/pdf': 'pdf', 'audio/amr': 'amr', 'audio/silk': 'silk', 'application/zip': 'zip' };

export const TRANSCRIPT_PDF = 'transcript.pdf';

export type EvidenceResult = { out: string; files: number; sha256: string; fingerprint: string; packId: string; pdf: boolean; pdfReason?: string };
export type EvidenceOptions = {
  /** the host's printer (HostConfig.printPdf); absent: no PDF */
  printPdf?: (html: string) => Promise<Uint8Array>;
  /** false: skip the PDF (CLI --no-pdf) */
  pdf?: boolean;
  /** whose pack: their masking applies to every file of it, as to their report (review/policy.ts) */
  policy?: Policy;
};

const MIME: Record<string, string> = Object.fromEntries(Object.entries(EXT).map(([mime, ext]) => [ext, mime]));

/** EP-YYYYMMDD-HHMMSS-xxxx, Beijing time: short enough to read out on a page header. */
function newPackId(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `EP-${t.slice(0, 10).replaceAll('-', '')}-${t.slice(11, 19).replaceAll(':', '')}-${crypto.randomBytes(2).toString('hex')}`;
}

/** The transcript as a PDF, or why there is none. Never throws. */
async function printTranscript(html: string, opts: EvidenceOptions): Promise<{ pdf: Uint8Array } | { reason: string }> {
  if (opts.pdf === false) return { reason: '已按要求跳过 / skipped on request (--no-pdf)' };
  if (!opts.printPdf) return { reason: '此程序无法打印 PDF / this host cannot print a PDF' };
  try {
    const pdf = await opts.printPdf(html);
    if (pdf.length < 5 || Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') return { reason: '打印结果不是 PDF / the printer did not return a PDF' };
    return { pdf };
  } catch (e) {
    return { reason: (e as Error).message || String(e) };
  }
}

export async function buildEvidence(store: Store, sel: { hits?: number[]; caseId?: number }, out: string, user: string, opts: EvidenceOptions = {}): Promise<EvidenceResult> {
  const db = store.db;
  let hitIds = sel.hits ?? [];
  let caseInfo: unknown = null;
  if (sel.caseId !== undefined) {
    const c = getCase(db, sel.caseId);
    caseInfo = { id: c.id, title: c.title, status: c.status, conclusion: c.conclusion, assignee: c.assignee, dueAt: c.dueAt, createdBy: c.createdBy, createdAt: c.createdAt, closedAt: c.closedAt, events: c.events };
    hitIds = [...new Set([...hitIds, ...c.hitRows.map((h) => h.id)])];
  }
  if (!hitIds.length) throw new CoreError('usage', '证据包需要至少一条命中或一个案件', 'An evidence pack needs hits or a case');
  const wanted = new Set(hitIds);
  const hits: HitRow[] = listHits(db, { includeRetired: true, limit: 1_000_000 }).hits.filter((h) => wanted.has(h.id));
  const missing = hitIds.filter((id) => !hits.some((h) => h.id === id));
  if (missing.length) throw new CoreError('not_found', `没有这些命中：${missing.join(', ')}`, `No such hits: ${missing.join(', ')}`);

  // each hit's message with a few messages of context, per conversation, in time order
  const messages = new Map<string, ViewMessage & { conversationId: number | null }>();
  for (const h of hits) {
    const at = locateMessage(db, h.msgid);
    if (!at) continue;
    const w = conversationWindow(db, at.conversation, Math.max(0, at.index - CONTEXT), CONTEXT * 2 + 1);
    for (const m of w.messages) messages.set(m.msgid, { ...m, conversationId: at.conversation });
  }
  const unmasked = [...messages.values()].sort((a, b) => (a.conversationId ?? 0) - (b.conversationId ?? 0) || (a.msgtime ?? 0) - (b.msgtime ?? 0) || a.id - b.id);

  // masked once here, so messages.json, hits.json, the HTML and the PDF all carry the same text
  const policy = opts.policy;
  const ordered = policy ? unmasked.map((m) => maskMessage(policy, m)) : unmasked;
  const shownHits = policy ? hits.map((h) => maskHit(policy, h)) : hits;
  const files: Record<string, Uint8Array> = {};
  const put = (name: string, data: string | Uint8Array) => (files[name] = typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  const mediaNames = new Map<string, string>();
  for (const m of ordered) {
    for (const item of m.media) {
      if (item.status === 'missing' || !item.sha256 || mediaNames.has(item.sha256)) continue;
      const media = getMedia(db, item.sha256);
      const name = `media/${item.sha256}.${EXT[sniffMime(media.bytes)] ?? 'bin'}`;
      mediaNames.set(item.sha256, name);
      put(name, media.bytes);
    }
  }
  const reviews = Object.fromEntries(hits.map((h) => [h.id, reviewHistory(db, h.id)]));
  const caseId = sel.caseId;
  const audit = listAudit(db, { limit: 100_000 }).filter((e) => {
    const t = e.target;
    return hitIds.some((id) => new RegExp(`(^|[=,])${id}(,|$)`).test(t) && /^(hits?|id)=/.test(t)) || (caseId !== undefined && t === `id=${caseId}`);
  });
  const key = signingKey(db);
  const now = new Date();
  const createdAt = now.toISOString();
  const packId = newPackId(now);
  put('messages.json', JSON.stringify(ordered.map(({ body, ...m }) => ({ ...m, raw: body })), null, 2));
  put('hits.json', JSON.stringify(shownHits.map((h) => ({ ...h, reviews: reviews[h.id] })), null, 2));
  put('audit-excerpt.json', JSON.stringify(audit, null, 2));
  if (caseInfo) put('case.json', JSON.stringify(caseInfo, null, 2));
  const transcript: TranscriptInput = { messages: ordered, hits: shownHits, mediaNames, createdAt, createdBy: user, fingerprint: key.fingerprint, packId, caseId: caseId ?? null, caseTitle: (caseInfo as { title?: string } | null)?.title ?? null };
  put('transcript.html', transcriptHtml(transcript));
  // the PDF's HTML carries its images inline: the printer sees one file and nothing else
  const printed = await printTranscript(
    transcriptHtml({ ...transcript, imageSrc: (name) => `data:${MIME[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream'};base64,${Buffer.from(files[name]!).toString('base64')}` }),
    opts,
  );
  if ('pdf' in printed) put(TRANSCRIPT_PDF, printed.pdf);
  put(
    'README.txt',
    [
      '会话存档合规审计工作站 · 证据包 / WeCom Compliance Workstation · evidence pack',
      '',
      `证据包编号 pack id: ${packId}`,
      `生成时间 created: ${createdAt}   生成人 by: ${user}`,
      `签名公钥指纹 public key fingerprint (SHA-256): ${key.fingerprint}`,
      '',
      '核验 / verify:',
      '  wecom-audit verify THIS.zip --expect-fingerprint <总行公布的指纹 the fingerprint head office published>',
      '  wecom-audit verify THIS.zip --trusted-signers trusted-signers.txt',
      '',
      '签名者 / who signed it:',
      '  包内公钥只能证明文件自签名后未被改动；任何人都能改动文件后用自己的密钥重新签名并换掉 public-key.pem。',
      '  所以必须把上面的指纹与总行合规部另行公布的指纹逐位核对（上面的 --expect-fingerprint 会自动核对）。',
      '  The key inside only proves the files are unchanged since someone signed them: anyone can edit a file, re-sign',
      '  with a key of their own and swap public-key.pem. Compare the fingerprint above with the one head office',
      '  published through another channel (--expect-fingerprint does it for you).',
      '  用 OpenSSL 计算指纹（解压后在 public-key.pem 旁运行，输出同一串十六进制，不含冒号）/',
      '  compute the fingerprint with OpenSSL (beside the unzipped public-key.pem; same hex, without colons):',
      `  ${FINGERPRINT_COMMAND}`,
      '',
      '或用 OpenSSL（无需本软件）/ or with OpenSSL alone:',
      '  base64 -d manifest.sig > manifest.sig.bin',
      '  openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig.bin',
      '  然后逐一核对 manifest.json 中每个文件的 sha256 / then check each file against its sha256 in manifest.json (sha256sum)',
      '',
      '打开 transcript.html 查看会话记录（离线可用）/ open transcript.html to read the conversation (works offline).',
      ...('pdf' in printed
        ? ['transcript.pdf 是同一记录的打印版（A4），同样列入签名清单 / transcript.pdf is the same record for print (A4), signed like every file.']
        : [`本证据包没有 PDF 版记录 / no PDF transcript in this pack: ${printed.reason}`]),
    ].join('\n'),
  );
  const manifest: PackManifest = {
    format: 'wecom-audit-evidence',
    version: 1,
    createdAt,
    createdBy: user,
    packId,
    storeId: store.storeId,
    publicKeyFingerprint: key.fingerprint,
    hits: hitIds,
    case: caseId ?? null,
    files: Object.entries(files)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([p, data]) => ({ path: p, sha256: crypto.createHash('sha256').update(data).digest('hex'), size: data.length })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
  put(MANIFEST, manifestBytes);
  put(SIGNATURE, crypto.sign(null, manifestBytes, key.privateKey).toString('base64') + '\n');
  put(PUBLIC_KEY, key.publicKeyPem);
  const zip = zipSync(files, { level: 6, mtime: new Date(createdAt) });
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  // whole or not at all: a full disk leaves neither a partial pack nor its temp file
  writeFileAtomic(out, zip);
  const pdf = 'pdf' in printed ? { pdf: true } : { pdf: false, pdfReason: printed.reason };
  return { out, files: Object.keys(files).length, sha256: crypto.createHash('sha256').update(zip).digest('hex'), fingerprint: key.fingerprint, packId, ...pdf };
}
