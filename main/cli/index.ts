/**
 * wecom-audit: the command line face of the core (shared/spec/cli.md).
 * argv → one or more dispatch() calls → stdout (one JSON document with --json, else text for a
 * person) and an exit code from the contract. Progress and warnings go to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ApiError, Events, ImportProgress, ImportSummary, In, Method, MessageRow, Out, QuarantineEntry, Role, Stats } from '../../preload/api.js';
import { Session } from '../core/api/context.js';
import { dispatch } from '../core/api/dispatch.js';
import { CoreError, exitCodeFor } from '../core/api/errors.js';
import { defaultDbPath } from '../core/paths.js';
import { chromiumPrinter } from '../core/report/chromium.js';
import { readPassphrase } from './prompt.js';
import { formatTable, formatTime } from './format.js';

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

class UsageError extends Error {}

const COMMON = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  user: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS: Record<string, { options: Record<string, { type: 'string' | 'boolean' }>; usage: string; minArgs?: number; maxArgs?: number }> = {
  init: { options: {}, usage: 'init --db FILE', maxArgs: 0 },
  import: {
    options: { media: { type: 'string' }, 'batch-size': { type: 'string' }, 'max-record-bytes': { type: 'string' }, 'max-media-bytes': { type: 'string' }, 'no-scan': { type: 'boolean' }, wait: { type: 'string' } },
    usage: 'import --db FILE PATH… [--media DIR] [--max-media-bytes N] [--no-scan] [--wait SECONDS]',
    minArgs: 1,
  },
  quarantine: { options: { limit: { type: 'string' } }, usage: 'quarantine --db FILE [--limit N]', maxArgs: 0 },
  stats: { options: {}, usage: 'stats --db FILE', maxArgs: 0 },
  search: {
    options: {
      jsonl: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      conversation: { type: 'string' },
      staff: { type: 'string' },
      contact: { type: 'string' },
      branch: { type: 'string' },
      type: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
    },
    usage: 'search --db FILE QUERY [--from T] [--to T] [--staff ID] [--contact ID] [--branch B] [--conversation ID] [--type T,…] [--limit N]  |  search --db FILE --jsonl < queries',
    maxArgs: 1,
  },
  detect: { options: { jsonl: { type: 'boolean' } }, usage: 'detect --jsonl [--db FILE]  (stdin: {"id","text"[,"side"]} a line)', maxArgs: 0 },
  scan: { options: { full: { type: 'boolean' }, wait: { type: 'string' } }, usage: 'scan --db FILE [--full] [--wait SECONDS]', maxArgs: 0 },
  hits: {
    options: { category: { type: 'string' }, severity: { type: 'string' }, staff: { type: 'string' }, branch: { type: 'string' }, status: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string' } },
    usage: 'hits --db FILE [--category C] [--severity S] [--staff ID] [--branch B] [--status S] [--from T] [--to T] [--limit N]',
    maxArgs: 0,
  },
  'dict list': { options: { name: { type: 'string' } }, usage: 'dict list --db FILE [--name DICT]', maxArgs: 0 },
  'dict import': { options: { name: { type: 'string' }, note: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-invalid': { type: 'boolean' } }, usage: 'dict import --db FILE DICT.xlsx|.csv|.json [--name DICT] [--dry-run] [--skip-invalid]', minArgs: 1, maxArgs: 1 },
  'dict export': { options: { out: { type: 'string' }, name: { type: 'string' } }, usage: 'dict export --db FILE --out DICT.xlsx|.csv|.json [--name DICT]', maxArgs: 0 },
  'dict versions': { options: { name: { type: 'string' } }, usage: 'dict versions --db FILE [--name DICT]', maxArgs: 0 },
  'users add': { options: { role: { type: 'string' }, branch: { type: 'string' } }, usage: 'users add NAME --role admin|compliance_manager|risk_officer|auditor [--branch B] --db FILE  (password: WECOM_AUDIT_NEW_PASSWORD)', minArgs: 1, maxArgs: 1 },
  'users list': { options: {}, usage: 'users list --db FILE', maxArgs: 0 },
  'users disable': { options: {}, usage: 'users disable NAME --db FILE', minArgs: 1, maxArgs: 1 },
  'users passwd': { options: {}, usage: 'users passwd [NAME] --db FILE  (new password: WECOM_AUDIT_NEW_PASSWORD)', maxArgs: 1 },
  'users reset-password': {
    options: {},
    usage: 'users reset-password NAME --db FILE  (new password: WECOM_AUDIT_NEW_PASSWORD; every password lost: the recovery key in WECOM_AUDIT_RECOVERY_KEY resets an admin)',
    minArgs: 1,
    maxArgs: 1,
  },
  'key export': { options: {}, usage: 'key export --db FILE  (admin, audited: the raw data key and the cipher parameters)', maxArgs: 0 },
  'key recovery-create': { options: {}, usage: 'key recovery-create --db FILE  (admin, audited: a new recovery key, shown once; replaces an older one)', maxArgs: 0 },
  triage: { options: { status: { type: 'string' }, note: { type: 'string' }, reason: { type: 'string' } }, usage: 'triage HIT[,HIT…] --status confirmed|dismissed|escalated|new [--reason R] [--note TEXT] --db FILE', minArgs: 1, maxArgs: 1 },
  'cases create': { options: { title: { type: 'string' }, hits: { type: 'string' }, assignee: { type: 'string' }, due: { type: 'string' }, note: { type: 'string' } }, usage: 'cases create --title T --hits ID,… [--assignee U] [--due DATE] --db FILE', maxArgs: 0 },
  'cases list': { options: { status: { type: 'string' } }, usage: 'cases list --db FILE [--status open|investigating|closed]', maxArgs: 0 },
  'cases update': { options: { status: { type: 'string' }, conclusion: { type: 'string' }, assignee: { type: 'string' }, note: { type: 'string' }, hits: { type: 'string' } }, usage: 'cases update ID [--status S] [--conclusion violation_confirmed|not_confirmed] [--assignee U] [--note T] [--hits ID,…] --db FILE', minArgs: 1, maxArgs: 1 },
  'log verify': { options: {}, usage: 'log verify --db FILE', maxArgs: 0 },
  'store check': { options: {}, usage: 'store check --db FILE  (every page\'s authentication, SQLite\'s integrity check, the audit chain; exit 5 on any problem)', maxArgs: 0 },
  'log list': { options: { limit: { type: 'string' }, action: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, usage: 'log list --db FILE [--limit N] [--action A] [--from T] [--to T]', maxArgs: 0 },
  evidence: { options: { hits: { type: 'string' }, case: { type: 'string' }, out: { type: 'string' }, 'no-pdf': { type: 'boolean' } }, usage: 'evidence --db FILE (--hits ID,… | --case ID) --out FILE.zip [--no-pdf]  (transcript.pdf via Chromium: CHROMIUM_PATH)', maxArgs: 0 },
  'key rotate-signing': { options: {}, usage: 'key rotate-signing --db FILE  (admin: a new evidence-signing key; publish the new fingerprint; old packs keep their old one)', maxArgs: 0 },
  verify: { options: { 'expect-fingerprint': { type: 'string' }, 'trusted-signers': { type: 'string' } }, usage: 'verify FILE.zip [--expect-fingerprint FP] [--trusted-signers FILE]  (without either the signer is not pinned: exit 0 with a warning)', minArgs: 1, maxArgs: 1 },
  'schedule list': { options: {}, usage: 'schedule list --db FILE', maxArgs: 0 },
  'schedule add': {
    options: { kind: { type: 'string' }, cron: { type: 'string' }, folder: { type: 'string' }, media: { type: 'string' }, 'out-dir': { type: 'string' }, period: { type: 'string' }, branch: { type: 'string' } },
    usage: "schedule add NAME --kind import|scan|report --cron '0 7 * * *' [--folder DIR [--media DIR]] [--out-dir DIR --period daily|weekly|monthly [--branch B]] --db FILE",
    minArgs: 1,
    maxArgs: 1,
  },
  'schedule edit': {
    options: { name: { type: 'string' }, cron: { type: 'string' }, folder: { type: 'string' }, media: { type: 'string' }, 'out-dir': { type: 'string' }, period: { type: 'string' }, branch: { type: 'string' } },
    usage: "schedule edit ID [--name N] [--cron '0 7 * * *'] [--folder DIR] [--media DIR] [--out-dir DIR] [--period daily|weekly|monthly] [--branch B] --db FILE  (an empty value removes an option; the editor becomes the owner)",
    minArgs: 1,
    maxArgs: 1,
  },
  'schedule delete': { options: {}, usage: 'schedule delete ID --db FILE  (its runs stay in the history)', minArgs: 1, maxArgs: 1 },
  'schedule run': { options: {}, usage: 'schedule run ID --db FILE', minArgs: 1, maxArgs: 1 },
  'schedule runs': { options: { limit: { type: 'string' } }, usage: 'schedule runs [ID] --db FILE', maxArgs: 1 },
  report: { options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, branch: { type: 'string' }, category: { type: 'string' } }, usage: 'report --db FILE --from DATE --to DATE --out FILE.xlsx [--branch B] [--category C,…]  (--to exclusive)', maxArgs: 0 },
  'people import': { options: { kind: { type: 'string' } }, usage: 'people import --db FILE ROSTER.xlsx|.csv --kind staff|contacts', minArgs: 1, maxArgs: 1 },
  messages: {
    options: { conversation: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string' } },
    usage: 'messages --db FILE [--conversation ID] [--from T] [--to T] [--limit N]',
    maxArgs: 0,
  },
};

const HELP = `wecom-audit — 会话存档合规审计工作站 命令行 / WeCom Compliance Workstation CLI

用法 / usage: wecom-audit <command> [options]

${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

通用选项 / common options:
  --db FILE     加密存储库 / the encrypted store (default: ${defaultDbPath()})
  --json        只输出一个 JSON 文档 / print exactly one JSON document on stdout
  --user NAME   操作用户 / the acting user (default admin)
口令来自环境变量 WECOM_AUDIT_PASSPHRASE，或终端上的隐藏输入。
The passphrase comes from WECOM_AUDIT_PASSPHRASE or a hidden prompt on a terminal.
退出码 / exit codes: 0 done, 1 failed, 2 usage, 3 passphrase, 4 rejected, 5 integrity, 6 not permitted`;

/** What `verify` says when no fingerprint was pinned: the check proved integrity, not who signed. */
function notPinnedWarning(fingerprint: string, command: string): string {
  return [
    '⚠ 签名者未固定（未核对是谁签的名）：本次只证明包内文件与包内公钥一致，任何人都能改动文件后用自己的密钥重新签名。',
    '  请将下面的指纹与总行公布的指纹逐位核对，或用 --expect-fingerprint FP 或 --trusted-signers FILE 重新核验。',
    '⚠ Signer NOT pinned: this only shows the files match the public key inside the pack; anyone can edit a pack and re-sign it with a key of their own.',
    '  Compare the fingerprint below with the one head office published, or verify again with --expect-fingerprint FP or --trusted-signers FILE.',
    `  公钥指纹 fingerprint: ${fingerprint}`,
    '  用 OpenSSL 自行计算（在解压出的 public-key.pem 旁运行，输出同一串十六进制，不含冒号）/ compute it with OpenSSL (beside the unzipped public-key.pem; same hex, without colons):',
    `    ${command}`,
  ].join('\n');
}

function int(v: string | boolean | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new UsageError(`--${name} 需要整数 / --${name} takes a whole number`);
  return Number(v);
}

/**
 * How long a command waits for another import, indexing or scan of the same store: half an hour
 * by default, so a scheduled run and a person's run follow each other instead of failing.
 */
const DEFAULT_WAIT_SECONDS = 1800;
function waitOption(v: string | boolean | undefined): number {
  return int(v, 'wait') ?? DEFAULT_WAIT_SECONDS;
}

/** Accepts epoch milliseconds, or a date/time read as Beijing time (UTC+8) when it has no zone. */
export function parseTime(v: string | boolean | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`--${name} 需要时间 / --${name} takes a time`);
  if (/^\d{10,}$/.test(v)) return Number(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (m) {
    const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
    return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`--${name} 无法识别的时间：${v} / --${name}: unrecognised time: ${v}`);
  return t;
}

class Cli {
  readonly session = new Session({
    version: VERSION,
    defaultDbPath: defaultDbPath(),
    samplesDir: samplesDir(),
    nativeDialogs: false,
    defaultDictionary: path.join(appRoot(), 'resources', 'dictionaries', 'default.json'),
    printPdf: chromiumPrinter(),
  });
  constructor(
    readonly json: boolean,
    readonly dbPath: string,
    readonly user: string | undefined,
  ) {}

  async call<M extends Method>(method: M, input: In<M>): Promise<Out<M>> {
    const res = await dispatch(method, input, this.session);
    if (!res.ok) throw new CliFailure(res.error);
    return res.value as Out<M>;
  }

  async unlock(): Promise<void> {
    const passphrase = await readPassphrase('口令 / passphrase: ');
    await this.call('store.unlock', { dbPath: this.dbPath, passphrase, ...(this.user && { user: this.user }) });
  }

  print(value: unknown, human: () => string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
  }
}

class CliFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

const VERSION = (() => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** bin/wecom-audit.js sets WECOM_AUDIT_ROOT to the project (or unpacked app) folder. */
function appRoot(): string {
  return process.env.WECOM_AUDIT_ROOT ?? process.cwd();
}
function samplesDir(): string {
  return path.join(appRoot(), 'resources', 'samples');
}

function progressPrinter(): (p: ImportProgress) => void {
  const tty = process.stderr.isTTY;
  let last = 0;
  return (p) => {
    const now = Date.now();
    const pct = p.bytesTotal ? Math.min(100, Math.floor((p.bytesRead / p.bytesTotal) * 100)) : 0;
    const name = path.basename(p.file);
    if (tty) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% 文件 ${p.fileIndex + 1}/${p.fileCount} ${name} 已读 ${p.read} 导入 ${p.imported} 重复 ${p.duplicates} 隔离 ${p.quarantined}   `);
    } else if (now - last > 2000 || pct === 100) {
      last = now;
      process.stderr.write(`导入中 / importing: file ${p.fileIndex + 1}/${p.fileCount} ${name} ${pct}% read=${p.read} imported=${p.imported} duplicates=${p.duplicates} quarantined=${p.quarantined}\n`);
    }
  };
}

async function run(argv: string[]): Promise<number> {
  const first = argv[0];
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${HELP}\n`);
    return first ? 0 : 2;
  }
  // two-word commands: `people import`, `dict list`, …
  const command = COMMANDS[`${first} ${argv[1]}`] ? `${first} ${argv[1]}` : first;
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`未知命令：${argv.slice(0, 2).join(' ')} / unknown command\n\n${HELP}`);
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv.slice(command.split(' ').length), options: { ...COMMON, ...spec.options }, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n用法 / usage: wecom-audit ${spec.usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`wecom-audit ${spec.usage}\n`);
    return 0;
  }
  if (spec.minArgs !== undefined && positionals.length < spec.minArgs) throw new UsageError(`缺少参数 / missing argument\n用法 / usage: wecom-audit ${spec.usage}`);
  if (spec.maxArgs !== undefined && positionals.length > spec.maxArgs) throw new UsageError(`多余的参数：${positionals.join(' ')} / unexpected argument\n用法 / usage: wecom-audit ${spec.usage}`);

  const dbPath = path.resolve(typeof values.db === 'string' ? values.db : defaultDbPath());
  const cli = new Cli(!!values.json, dbPath, values.user as string | undefined);
  cli.session.onEvent((event, payload) => {
    if (event !== 'store.writerWait') return;
    const h = (payload as Events['store.writerWait']).holder;
    const who = h ? `${h.user}（进程 ${h.pid}，${h.op}）` : '另一个操作 / another run';
    process.stderr.write(`存储库正忙，等待中：${who} 正在写入；完成后自动继续（Ctrl-C 取消） / the store is busy with ${h ? `${h.op} by ${h.user} (process ${h.pid})` : 'another write'}; waiting, continues by itself (Ctrl-C cancels)\n`);
  });
  try {
    switch (command) {
      case 'init': {
        fs.mkdirSync(path.dirname(dbPath), { recursive: true });
        const passphrase = await readPassphrase('新口令 / new passphrase: ', true);
        const out = await cli.call('store.create', { dbPath, passphrase });
        cli.print(out, () => `已创建加密存储库 / created encrypted store: ${out.created}\n密钥环 / keyring: ${out.created}.keyring（请与存储库一起备份 / back it up with the store）\n\n${describeRecoveryKey(out.recoveryKey)}`);
        return 0;
      }
      case 'import': {
        await cli.unlock();
        const printer = progressPrinter();
        cli.session.onEvent((event, payload) => {
          if (event === 'import.progress') printer(payload as ImportProgress);
        });
        const input: In<'import.run'> = { paths: positionals };
        if (typeof values.media === 'string') input.mediaDir = values.media;
        const bs = int(values['batch-size'], 'batch-size');
        if (bs !== undefined) input.batchSize = bs;
        const mrb = int(values['max-record-bytes'], 'max-record-bytes');
        if (mrb !== undefined) input.maxRecordBytes = mrb;
        const mmb = int(values['max-media-bytes'], 'max-media-bytes');
        if (mmb !== undefined) input.maxMediaBytes = mmb;
        if (values['no-scan']) input.scan = false;
        input.wait = waitOption(values.wait);
        cli.session.onEvent((event, payload) => {
          if (event === 'import.phase' && (payload as { phase: string }).phase === 'index' && process.stderr.isTTY) process.stderr.write('\n');
        });
        const onSigint = () => void cli.call('import.cancel', {});
        process.once('SIGINT', onSigint);
        const t0 = Date.now();
        const s = await cli.call('import.run', input);
        process.off('SIGINT', onSigint);
        if (process.stderr.isTTY) process.stderr.write('\n');
        // the search index and the scan ran after the import, in the same pipeline as in the window
        if (s.indexed?.indexed) process.stderr.write(`搜索索引 / search index: ${s.indexed.indexed} 条 messages (${((Date.now() - t0) / 1000).toFixed(1)} s in all)\n`);
        if (s.scan) process.stderr.write(`检测 / scan: ${s.scan.scanned} 条消息，新增命中 ${s.scan.hits} / ${s.scan.hits} new hits\n`);
        for (const fe of s.fileErrors) process.stderr.write(`警告 / warning: ${fe.file}:${fe.line}: ${fe.reason}\n`);
        const { fileErrors: _fe, files: _f, cancelled: _c, tookMs: _t, ...contractFields } = s;
        cli.print(cli.json ? { ...contractFields, fileErrors: s.fileErrors, cancelled: s.cancelled, tookMs: s.tookMs, indexed: s.indexed ?? null, scan: s.scan ?? null } : s, () => describeImport(s));
        return s.fileErrors.length || s.cancelled ? 1 : 0;
      }
      case 'quarantine': {
        await cli.unlock();
        const limit = int(values.limit, 'limit');
        const rows = await cli.call('import.quarantine', limit !== undefined ? { limit } : {});
        cli.print(
          rows.map(({ file, line, reason }: QuarantineEntry) => ({ file, line, reason })),
          () => (rows.length ? formatTable(['文件 file', '行 line', '原因 reason'], rows.map((r) => [r.file, String(r.line), r.reason])) : '隔离区为空 / quarantine is empty'),
        );
        return 0;
      }
      case 'stats': {
        await cli.unlock();
        const st = await cli.call('store.stats', {});
        cli.print(
          cli.json ? { messages: st.messages, conversations: st.conversations, staff: st.staff, contacts: st.contacts, byType: st.byType, quarantined: st.quarantined, media: st.media } : st,
          () => describeStats(st),
        );
        return 0;
      }
      case 'search': {
        await cli.unlock();
        const filters: Omit<In<'search.query'>, 'q'> = {};
        const from = parseTime(values.from, 'from');
        if (from !== undefined) filters.from = from;
        const to = parseTime(values.to, 'to');
        if (to !== undefined) filters.to = to;
        const conv = int(values.conversation, 'conversation');
        if (conv !== undefined) filters.conversation = conv;
        for (const k of ['staff', 'contact', 'branch'] as const) if (typeof values[k] === 'string') filters[k] = values[k] as string;
        if (typeof values.type === 'string') filters.types = values.type.split(',').filter(Boolean);
        const limit = int(values.limit, 'limit');
        if (limit !== undefined) filters.limit = limit;
        const offset = int(values.offset, 'offset');
        if (offset !== undefined) filters.offset = offset;
        if (values.jsonl) {
          if (positionals.length) throw new UsageError('--jsonl 从标准输入读取查询，不接受 QUERY 参数 / --jsonl reads queries from stdin');
          await searchLines(cli, filters);
          return 0;
        }
        const q = positionals[0];
        if (!q) throw new UsageError(`缺少查询内容 / missing QUERY\n用法 / usage: wecom-audit ${spec.usage}`);
        const r = await cli.call('search.query', { ...filters, q });
        cli.print(r, () =>
          [
            `共 ${r.total} 条 / ${r.total} messages, ${r.tookMs} ms`,
            formatTable(
              ['时间 time', '发送者 from', '类型 type', '摘要 snippet'],
              r.results.map((h) => [formatTime(h.msgtime), h.from, h.msgtype, h.highlight ? `${h.snippet.slice(0, h.highlight[0])}【${h.snippet.slice(h.highlight[0], h.highlight[1])}】${h.snippet.slice(h.highlight[1])}` : h.snippet]),
            ),
          ].join('\n'),
        );
        return 0;
      }
      case 'detect': {
        if (!values.jsonl) throw new UsageError(`detect 需要 --jsonl / detect needs --jsonl\n用法 / usage: wecom-audit ${spec.usage}`);
        if (typeof values.db === 'string') await cli.unlock();
        await detectLines(cli);
        return 0;
      }
      case 'scan': {
        await cli.unlock();
        cli.session.onEvent((event, payload) => {
          if (event === 'scan.progress') {
            const p = payload as { scanned: number; total: number };
            if (process.stderr.isTTY) process.stderr.write(`\r检测中 / scanning ${p.scanned}/${p.total}   `);
          }
        });
        const r = await cli.call('scan.run', { full: !!values.full, wait: waitOption(values.wait) });
        if (process.stderr.isTTY) process.stderr.write('\n');
        cli.print(cli.json ? { scanned: r.scanned, hits: r.hits, byCategory: r.byCategory, retired: r.retired, active: r.active, appeared: r.appeared, disappeared: r.disappeared, dictionaries: r.dictionaries } : r, () =>
          [
            `扫描 scanned ${r.scanned}，新增命中 new hits ${r.hits}，消失 retired ${r.retired}，当前有效 active ${r.active}，用时 ${(r.tookMs / 1000).toFixed(1)} s`,
            `词库 dictionaries: ${r.dictionaries.map((d) => `${d.name} v${d.version}`).join(', ') || '-'}`,
            formatTable(['类别 category', '新增 new'], Object.entries(r.byCategory).map(([k, v]) => [k, String(v)])),
            ...(r.disappeared.length ? ['消失的命中 disappeared:', ...r.disappeared.slice(0, 20).map((d) => `  ${d.rule} ${d.msgid} ${d.match}`)] : []),
          ].join('\n'),
        );
        return 0;
      }
      case 'hits': {
        await cli.unlock();
        const input: In<'hits.list'> = {};
        for (const k of ['category', 'staff', 'branch', 'status'] as const) if (typeof values[k] === 'string') input[k] = values[k] as string;
        if (typeof values.severity === 'string') {
          if (!['high', 'medium', 'low'].includes(values.severity)) throw new UsageError('--severity 须为 high/medium/low');
          input.severity = values.severity as 'high' | 'medium' | 'low';
        }
        const from = parseTime(values.from, 'from');
        if (from !== undefined) input.from = from;
        const to = parseTime(values.to, 'to');
        if (to !== undefined) input.to = to;
        input.limit = int(values.limit, 'limit') ?? 100_000;
        const r = await cli.call('hits.list', input);
        cli.print(
          r.hits.map((h) => ({ id: String(h.id), msgid: h.msgid, category: h.category, rule: h.rule, severity: h.severity, match: h.match, start: h.start, end: h.end, staff: h.from.kind === 'staff' ? h.from.id : undefined, status: h.status, msgtime: h.msgtime })),
          () => [`共 ${r.total} 条命中 / ${r.total} hits`, formatTable(['编号 id', '时间 time', '类别 category', '级别 sev', '规则 rule', '命中 match'], r.hits.map((h) => [String(h.id), formatTime(h.msgtime), h.category, h.severity, h.rule, h.match.slice(0, 40)]))].join('\n'),
        );
        return 0;
      }
      case 'dict list': {
        await cli.unlock();
        const entries = await cli.call('dict.entries', typeof values.name === 'string' ? { name: values.name } : {});
        cli.print(
          entries.map((e) => ({ term: e.term, category: e.category, severity: e.severity, id: e.id, match: e.match, ...(e.termB && { termB: e.termB, window: e.window }), exclusions: e.exclusions ?? [], side: e.side, enabled: e.enabled !== false, note: e.note })),
          () => formatTable(['编号 id', '词条 term', '类别 category', '级别 sev', '排除 exclusions'], entries.map((e) => [e.id, e.match === 'proximity' ? `${e.term} ~${e.window}~ ${e.termB}` : e.term, e.category, e.severity, (e.exclusions ?? []).join('|').slice(0, 40)])),
        );
        return 0;
      }
      case 'dict import': {
        await cli.unlock();
        const file = path.resolve(positionals[0]!);
        const name = typeof values.name === 'string' ? values.name : undefined;
        const preview = await cli.call('dict.preview', { file, ...(name && { name }) });
        for (const e of preview.errors) process.stderr.write(`第 ${e.row} 行 / row ${e.row}: ${e.reason}\n`);
        if (values['dry-run']) {
          cli.print(preview, () => `预览 preview「${preview.dictionary}」: ${preview.entries} 条有效，${preview.errors.length} 行错误；新增 ${preview.diff.added.length}，删除 ${preview.diff.removed.length}，修改 ${preview.diff.changed.length}`);
          return preview.errors.length ? 4 : 0;
        }
        const r = await cli.call('dict.import', { file, ...(name && { name }), ...(typeof values.note === 'string' && { note: values.note }), ...(values['skip-invalid'] && { skipInvalid: true }) });
        cli.print(
          { dictionary: r.dictionary, version: r.version, entries: r.entries, skipped: r.skipped, added: r.diff.added.length, removed: r.diff.removed.length, changed: r.diff.changed.length },
          () => `已应用 applied「${r.dictionary}」第 ${r.version} 版 version: ${r.entries} 条；新增 ${r.diff.added.length}，删除 ${r.diff.removed.length}，修改 ${r.diff.changed.length}。运行 scan --full 查看命中变化 / run scan --full to see which hits change`,
        );
        return 0;
      }
      case 'dict export': {
        if (typeof values.out !== 'string') throw new UsageError(`缺少 --out / missing --out\n用法 / usage: wecom-audit ${spec.usage}`);
        await cli.unlock();
        const r = await cli.call('dict.export', { out: path.resolve(values.out), ...(typeof values.name === 'string' && { name: values.name }) });
        cli.print(r, () => `已导出 exported ${r.entries} 条 → ${r.out}`);
        return 0;
      }
      case 'dict versions': {
        await cli.unlock();
        const dicts = await cli.call('dict.list', {});
        const name = typeof values.name === 'string' ? values.name : dicts[0]?.name;
        const versions = name ? await cli.call('dict.versions', { name }) : [];
        cli.print({ dictionaries: dicts, name, versions }, () =>
          [formatTable(['词库 dictionary', '版本 ver', '词条 entries', '启用 active', '修改人 author'], dicts.map((d) => [d.name, String(d.version), String(d.entries), d.active ? '是' : '否', d.author])), '', `「${name ?? '-'}」`, formatTable(['版本 ver', '时间 time', '修改人 author', '词条 entries', '说明 note'], versions.map((v) => [String(v.version), formatTime(v.createdAt), v.author, String(v.entries), v.note]))].join('\n'),
        );
        return 0;
      }
      case 'users add': {
        const role = values.role;
        if (typeof role !== 'string' || !['admin', 'compliance_manager', 'risk_officer', 'auditor'].includes(role)) throw new UsageError(`--role 须为 admin/compliance_manager/risk_officer/auditor\n用法 / usage: wecom-audit ${spec.usage}`);
        await cli.unlock();
        const password = await readNewPassword();
        const r = await cli.call('users.add', { user: positionals[0]!, role: role as Role, password, ...(typeof values.branch === 'string' && { branch: values.branch }) });
        cli.print({ user: r.user, role: r.role, branch: r.branch }, () => `已添加用户 added ${r.user}（${r.role}${r.branch ? `，${r.branch}` : ''}）`);
        return 0;
      }
      case 'users list': {
        await cli.unlock();
        const rows = await cli.call('users.list', {});
        if (!(await cli.call('key.status', {})).recovery) {
          process.stderr.write('注意：此存储库没有恢复密钥，所有密码丢失将无法打开；请运行 key recovery-create / note: this store has no recovery key, so losing every password loses it: run key recovery-create\n');
        }
        cli.print(rows.map((u) => ({ user: u.user, role: u.role, branch: u.branch, disabled: u.disabled })), () => formatTable(['用户 user', '角色 role', '范围 branch', '停用 disabled'], rows.map((u) => [u.user, u.role, u.branch || '总行 all', u.disabled ? '是' : '否'])));
        return 0;
      }
      case 'users disable': {
        await cli.unlock();
        const r = await cli.call('users.setDisabled', { user: positionals[0]!, disabled: true });
        cli.print(r, () => `已停用 disabled ${r.user}`);
        return 0;
      }
      case 'users passwd': {
        await cli.unlock();
        const password = await readNewPassword();
        const r = await cli.call('users.changePassword', { password, ...(positionals[0] && { user: positionals[0] }) });
        cli.print(r, () => `已修改密码 password changed: ${r.user}`);
        return 0;
      }
      case 'users reset-password': {
        const user = positionals[0]!;
        const recoveryKey = process.env.WECOM_AUDIT_RECOVERY_KEY;
        if (recoveryKey) {
          // every password lost: no sign-in, the recovery key is the proof
          const password = await readNewPassword();
          const r = await cli.call('users.recover', { dbPath, recoveryKey, user, password });
          cli.print(r, () => `已用恢复密钥重置 ${r.user} 的密码（已记入审计日志）/ ${r.user}'s password reset with the recovery key (written to the audit log)`);
          return 0;
        }
        await cli.unlock();
        const password = await readNewPassword();
        const r = await cli.call('users.resetPassword', { user, password });
        cli.print({ user: r.user, lockoutCleared: r.lockoutCleared }, () => `已重置密码 password reset: ${r.user}${r.lockoutCleared ? '（已解除锁定 / lockout lifted）' : ''}`);
        return 0;
      }
      case 'key export': {
        await cli.unlock();
        const r = await cli.call('key.export', {});
        cli.print(r, () =>
          [
            '存储库数据密钥（明文！请按托管规程保管，用后销毁）/ the store\'s data key (in the clear: keep it as your escrow rules say)',
            r.key,
            '',
            `加密参数 / cipher: ${r.cipher.description}`,
            '用 sqlcipher 打开 / to open it in sqlcipher:',
            `  sqlcipher ${dbPath}`,
            ...r.cipher.pragmas.map((p) => `  ${p.replace('<key>', r.key)}`),
          ].join('\n'),
        );
        return 0;
      }
      case 'key recovery-create': {
        await cli.unlock();
        const r = await cli.call('key.recoveryCreate', {});
        cli.print(r, () => `${r.replaced ? '旧的恢复密钥已作废 / the old recovery key no longer works\n' : ''}${describeRecoveryKey(r.recoveryKey)}`);
        return 0;
      }
      case 'triage': {
        const status = values.status;
        if (typeof status !== 'string' || !['new', 'confirmed', 'dismissed', 'escalated'].includes(status)) throw new UsageError(`--status 须为 confirmed/dismissed/escalated/new\n用法 / usage: wecom-audit ${spec.usage}`);
        const ids = ids_(positionals[0]!, 'HIT');
        await cli.unlock();
        const reason = typeof values.reason === 'string' ? values.reason : status === 'dismissed' ? '其他' : '';
        const r = await cli.call('review.triage', { hits: ids, status: status as 'new', ...(reason && { reason }), ...(typeof values.note === 'string' && { note: values.note }) });
        for (const p of r.proposals) process.stderr.write(`建议排除词 / exclusion proposed: ${p.rule} 「${p.phrase}」(${p.dismissals})\n`);
        cli.print(ids.length === 1 ? { id: String(ids[0]), status: r.status } : { ids: ids.map(String), status: r.status }, () => `已更新 ${r.updated} 条命中为 ${r.status}`);
        return 0;
      }
      case 'cases create': {
        if (typeof values.title !== 'string' || typeof values.hits !== 'string') throw new UsageError(`需要 --title 和 --hits / --title and --hits are required\n用法 / usage: wecom-audit ${spec.usage}`);
        const hits = ids_(values.hits, '--hits');
        const due = parseTime(values.due, 'due');
        await cli.unlock();
        const r = await cli.call('cases.create', { title: values.title, hits, ...(typeof values.assignee === 'string' && { assignee: values.assignee }), ...(due !== undefined && { dueAt: due }), ...(typeof values.note === 'string' && { note: values.note }) });
        cli.print({ id: String(r.id) }, () => `已建案 case created: ${r.id}`);
        return 0;
      }
      case 'cases list': {
        await cli.unlock();
        const st = values.status;
        if (st !== undefined && !['open', 'investigating', 'closed'].includes(String(st))) throw new UsageError('--status 须为 open/investigating/closed');
        const rows = await cli.call('cases.list', st ? { status: st as 'open' } : {});
        cli.print(rows.map((c) => ({ id: String(c.id), title: c.title, status: c.status, hits: c.hits, assignee: c.assignee, conclusion: c.conclusion, dueAt: c.dueAt })), () => formatTable(['编号 id', '标题 title', '状态 status', '命中 hits', '负责人 assignee', '结论 conclusion'], rows.map((c) => [String(c.id), c.title, c.status, String(c.hits), c.assignee, c.conclusion])));
        return 0;
      }
      case 'cases update': {
        const id = ids_(positionals[0]!, 'ID')[0]!;
        await cli.unlock();
        const u: In<'cases.update'> = { id };
        if (typeof values.status === 'string') u.status = values.status as 'open';
        if (typeof values.conclusion === 'string') u.conclusion = values.conclusion as 'not_confirmed';
        if (typeof values.assignee === 'string') u.assignee = values.assignee;
        if (typeof values.note === 'string') u.note = values.note;
        if (typeof values.hits === 'string') u.addHits = ids_(values.hits, '--hits');
        const r = await cli.call('cases.update', u);
        cli.print({ ...r, id: String(r.id) }, () => `案件 ${r.id}：${r.status}${r.conclusion ? `，${r.conclusion}` : ''}`);
        return 0;
      }
      case 'log verify': {
        await cli.unlock();
        const r = await cli.call('log.verify', {});
        cli.print(r, () => (r.valid ? `审计日志完整 / audit log intact: ${r.entries} 条 entries` : [`审计日志被篡改 / AUDIT LOG TAMPERED (${r.entries} entries):`, ...r.problems.map((p) => `  #${p.seq ?? '-'} ${p.problem}`)].join('\n')));
        return r.valid ? 0 : 5;
      }
      case 'store check': {
        let r: Out<'store.check'>;
        try {
          await cli.unlock();
          r = await cli.call('store.check', {});
        } catch (e) {
          // damage found while opening: the error carries the check that found it
          const found = e instanceof CliFailure && e.error.code === 'integrity' ? (e.error.details as Out<'store.check'> | undefined) : undefined;
          if (!found || !Array.isArray(found.problems)) throw e;
          r = found;
        }
        cli.print(r, () =>
          r.ok
            ? `存储库完好 / store intact: ${r.pages} 页 pages（${r.checked.join(', ')}；${(r.tookMs / 1000).toFixed(1)} s）`
            : [`存储库有问题 / STORE DAMAGED (${r.pages} pages, ${r.problems.length} problems):`, ...r.problems.map((p) => `  ${p.problem}`), '请从备份恢复存储库及其密钥环 / restore the store and its keyring from the backup'].join('\n'),
        );
        return r.ok ? 0 : 5;
      }
      case 'log list': {
        await cli.unlock();
        const input: In<'log.list'> = { limit: int(values.limit, 'limit') ?? 100 };
        if (typeof values.action === 'string') input.action = values.action;
        const from = parseTime(values.from, 'from');
        if (from !== undefined) input.from = from;
        const to = parseTime(values.to, 'to');
        if (to !== undefined) input.to = to;
        const rows = await cli.call('log.list', input);
        cli.print(rows.map((r) => ({ seq: r.seq, at: new Date(r.at).toISOString(), user: r.user, action: r.action, target: r.target })), () => formatTable(['序号 seq', '时间 time', '用户 user', '操作 action', '对象 target'], rows.map((r) => [String(r.seq), formatTime(r.at), r.user, r.action, r.target.slice(0, 50)])));
        return 0;
      }
      case 'evidence': {
        if (typeof values.out !== 'string' || (typeof values.hits !== 'string' && typeof values.case !== 'string')) throw new UsageError(`需要 --out 以及 --hits 或 --case\n用法 / usage: wecom-audit ${spec.usage}`);
        const hits = typeof values.hits === 'string' ? ids_(values.hits, '--hits') : undefined;
        const caseId = typeof values.case === 'string' ? ids_(values.case, '--case')[0] : undefined;
        await cli.unlock();
        const r = await cli.call('evidence.create', { out: path.resolve(values.out), ...(hits && { hits }), ...(caseId !== undefined && { case: caseId }), ...(values['no-pdf'] === true && { pdf: false }) });
        cli.print(
          { out: r.out, files: r.files, sha256: r.sha256, fingerprint: r.fingerprint, packId: r.packId, pdf: r.pdf, ...(r.pdfReason !== undefined && { pdfReason: r.pdfReason }) },
          () =>
            `证据包 evidence pack: ${r.out}（${r.packId}）\n文件 files ${r.files}，SHA-256 ${r.sha256}\n公钥指纹 key fingerprint ${r.fingerprint}\n` +
            (r.pdf ? 'PDF 记录 transcript.pdf: 已包含 / included' : `PDF 记录 transcript.pdf: 未包含 / not included — ${r.pdfReason ?? ''}`),
        );
        return 0;
      }
      case 'report': {
        const from = parseTime(values.from, 'from');
        const to = parseTime(values.to, 'to');
        if (from === undefined || to === undefined || typeof values.out !== 'string') throw new UsageError(`需要 --from、--to 和 --out\n用法 / usage: wecom-audit ${spec.usage}`);
        await cli.unlock();
        const r = await cli.call('report.create', { from, to, out: path.resolve(values.out), ...(typeof values.branch === 'string' && { branch: values.branch }), ...(typeof values.category === 'string' && { categories: values.category.split(',').filter(Boolean) }) });
        cli.print({ out: r.out, sheets: r.sheets, hits: r.hits, fingerprint: r.fingerprint }, () => `报表 report: ${r.out}\n工作表 sheets: ${r.sheets.join('、')}\n命中 hits ${r.hits}`);
        return 0;
      }
      case 'schedule list': {
        await cli.unlock();
        const rows = await cli.call('schedules.list', {});
        cli.print(rows, () => formatTable(['编号 id', '名称 name', '类型 kind', '定时 cron', '启用 on', '上次 last run'], rows.map((s) => [String(s.id), s.name, s.kind, s.cron, s.enabled ? '是' : '否', s.lastRun ? `${formatTime(s.lastRun.startedAt)} ${s.lastRun.ok ? '成功' : `失败 ${s.lastRun.error}`}` : '-'])));
        return 0;
      }
      case 'schedule add': {
        const kind = values.kind;
        if (kind !== 'import' && kind !== 'scan' && kind !== 'report') throw new UsageError(`--kind 须为 import/scan/report\n用法 / usage: wecom-audit ${spec.usage}`);
        if (typeof values.cron !== 'string') throw new UsageError(`缺少 --cron\n用法 / usage: wecom-audit ${spec.usage}`);
        const params = scheduleParams(values, false);
        await cli.unlock();
        const r = await cli.call('schedules.add', { name: positionals[0]!, kind, cron: values.cron, params });
        cli.print(r, () => `已添加定时任务 schedule added: ${r.id} ${r.name}（${r.cron}，北京时间；窗口打开时运行 / runs while the app is open）`);
        return 0;
      }
      case 'schedule edit': {
        const id = ids_(positionals[0]!, 'ID')[0]!;
        const params = scheduleParams(values, true);
        const change: In<'schedules.update'> = { id, ...(typeof values.name === 'string' && { name: values.name }), ...(typeof values.cron === 'string' && { cron: values.cron }), ...(Object.keys(params).length && { params }) };
        if (Object.keys(change).length === 1) throw new UsageError(`没有要修改的选项 / nothing to change\n用法 / usage: wecom-audit ${spec.usage}`);
        await cli.unlock();
        const r = await cli.call('schedules.update', change);
        cli.print(r, () => `已修改定时任务 schedule changed: ${r.id} ${r.name}（${r.cron}）；以 ${r.createdBy} 的权限运行 / runs with ${r.createdBy}'s rights`);
        return 0;
      }
      case 'schedule delete': {
        const id = ids_(positionals[0]!, 'ID')[0]!;
        await cli.unlock();
        const r = await cli.call('schedules.remove', { id });
        cli.print(r, () => `已删除定时任务 schedule deleted: ${r.id}（运行记录保留 / its runs stay in the history）`);
        return 0;
      }
      case 'schedule run': {
        const id = ids_(positionals[0]!, 'ID')[0]!;
        await cli.unlock();
        const r = await cli.call('schedules.run', { id });
        cli.print(r, () => (r.ok ? `成功 done: ${r.summary}` : `失败 failed: ${r.error}`));
        return r.ok ? 0 : 1;
      }
      case 'schedule runs': {
        await cli.unlock();
        const rows = await cli.call('schedules.runs', { ...(positionals[0] && { id: ids_(positionals[0], 'ID')[0]! }), limit: int(values.limit, 'limit') ?? 50 });
        cli.print(rows, () =>
          formatTable(
            ['任务 job', '名称 name', '开始 started', '结果 result', '摘要 summary'],
            rows.map((r) => [String(r.scheduleId), r.scheduleDeleted ? `${r.scheduleName}（已删除 deleted）` : r.scheduleName, formatTime(r.startedAt), r.ok ? '成功' : r.ok === false ? '失败' : '运行中', r.ok ? r.summary : r.error]),
          ),
        );
        return 0;
      }
      case 'key rotate-signing': {
        await cli.unlock();
        const r = await cli.call('signing.rotate', {});
        cli.print(r, () => `已更换签名密钥 / signing key rotated\n旧指纹 previous ${r.previous}\n新指纹 new      ${r.fingerprint}\n请公布新指纹；已生成的证据包仍按旧指纹核验 / publish the new fingerprint; packs already made verify against the old one`);
        return 0;
      }
      case 'verify': {
        const expect = values['expect-fingerprint'];
        const signers = values['trusted-signers'];
        const r = await cli.call('evidence.verify', {
          file: path.resolve(positionals[0]!),
          ...(typeof expect === 'string' && { expectFingerprint: expect }),
          ...(typeof signers === 'string' && { trustedSigners: path.resolve(signers) }),
        });
        // an unpinned pack proves only that it matches the key inside it: said on stderr even with --json
        const notPinned = !r.pinned && r.fingerprint ? notPinnedWarning(r.fingerprint, r.fingerprintCommand) : '';
        if (notPinned) process.stderr.write(notPinned + '\n');
        cli.print({ valid: r.valid, problems: r.problems, fingerprint: r.fingerprint, trusted: r.trusted, pinned: r.pinned, signer: r.signer, files: r.files, fingerprintCommand: r.fingerprintCommand }, () =>
          r.valid
            ? [
                r.trusted
                  ? `✓ 证据包完整，签名有效，签名者受信任 / pack intact, signature valid, signer trusted (${r.files} files)`
                  : `✓ 证据包完整，包内签名有效 / pack intact, its own signature valid (${r.files} files)`,
                `公钥指纹 fingerprint ${r.fingerprint}`,
                ...(r.signer ? [`签名者 signer: ${r.signer.label || '—'}  (${r.signer.source})`] : []),
                ...(notPinned ? ['', notPinned] : []),
              ].join('\n')
            : ['✗ 证据包验证失败 / pack FAILED verification:', ...r.problems.map((p) => `  ${p}`)].join('\n'),
        );
        return r.valid ? 0 : 5;
      }
      case 'people import': {
        const kind = values.kind;
        if (kind !== 'staff' && kind !== 'contacts') throw new UsageError(`--kind 须为 staff 或 contacts / --kind must be staff or contacts\n用法 / usage: wecom-audit ${spec.usage}`);
        await cli.unlock();
        const r = await cli.call('people.import', { file: path.resolve(positionals[0]!), kind });
        for (const x of r.rejected) process.stderr.write(`第 ${x.row} 行 / row ${x.row}: ${x.reason}\n`);
        cli.print(
          { imported: r.imported, updated: r.updated, rejected: r.rejected, unchanged: r.unchanged },
          () => `新增 imported ${r.imported}，更新 updated ${r.updated}，未变 unchanged ${r.unchanged}，拒绝 rejected ${r.rejected.length}`,
        );
        return 0;
      }
      case 'messages': {
        await cli.unlock();
        const input: In<'messages.list'> = {};
        const conv = int(values.conversation, 'conversation');
        if (conv !== undefined) input.conversation = conv;
        const from = parseTime(values.from, 'from');
        if (from !== undefined) input.from = from;
        const to = parseTime(values.to, 'to');
        if (to !== undefined) input.to = to;
        const limit = int(values.limit, 'limit');
        if (limit !== undefined) input.limit = limit;
        const rows = await cli.call('messages.list', input);
        cli.print(
          rows.map((m: MessageRow) => ({ msgid: m.msgid, msgtime: m.msgtime ?? 0, from: m.from, msgtype: m.msgtype, text: m.text, conversation: m.conversation })),
          () => formatTable(['时间 time', '发送者 from', '类型 type', '内容 text'], rows.map((m) => [formatTime(m.msgtime), m.from, m.msgtype, m.text.replace(/\s+/g, ' ').slice(0, 80)])),
        );
        return 0;
      }
    }
    return 2;
  } finally {
    cli.session.close();
  }
}

/** A schedule's params from its options; on an edit an empty value removes the option (null), else it is left out. */
function scheduleParams(values: Parsed['values'], emptyRemoves: boolean): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const take = (option: string, key: string, isPath: boolean) => {
    const v = values[option];
    if (typeof v !== 'string') return;
    if (v === '') {
      if (emptyRemoves) params[key] = null;
      return;
    }
    params[key] = isPath ? path.resolve(v) : v;
  };
  take('folder', 'folder', true);
  take('media', 'media', true);
  take('out-dir', 'outDir', true);
  take('period', 'period', false);
  take('branch', 'branch', false);
  return params;
}

function ids_(list: string, name: string): number[] {
  const ids = list.split(',').map((x) => x.trim()).filter(Boolean);
  if (!ids.length || ids.some((x) => !/^\d+$/.test(x))) throw new UsageError(`${name} 须为逗号分隔的编号 / ${name} takes comma-separated ids`);
  return ids.map(Number);
}

async function readNewPassword(): Promise<string> {
  const fromEnv = process.env.WECOM_AUDIT_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new UsageError('缺少新密码：请设置 WECOM_AUDIT_NEW_PASSWORD，或在终端中运行 / no new password: set WECOM_AUDIT_NEW_PASSWORD or run on a terminal');
  const saved = process.env.WECOM_AUDIT_PASSPHRASE;
  delete process.env.WECOM_AUDIT_PASSPHRASE;
  try {
    return await readPassphrase('新用户密码 / new password: ', true);
  } finally {
    if (saved !== undefined) process.env.WECOM_AUDIT_PASSPHRASE = saved;
  }
}

/** The recovery key for a person: once, with what to do with it. */
function describeRecoveryKey(key: string): string {
  return [
    '恢复密钥 / RECOVERY KEY（只显示这一次 / shown only this once）:',
    '',
    `    ${key}`,
    '',
    '请立即打印或抄写，存放在保险柜中，不要存进电脑。所有密码都丢失时，可用它重置管理员密码：',
    '  WECOM_AUDIT_RECOVERY_KEY=… wecom-audit users reset-password admin --db 存储库',
    'Print or write it down now and keep it in the safe, not on a computer. If every password is lost, it resets the admin:',
    '  WECOM_AUDIT_RECOVERY_KEY=… wecom-audit users reset-password admin --db STORE',
  ].join('\n');
}

/** One query a line on stdin ({"q":"…"}), one result a line on stdout ({"q","total","tookMs"}). */
async function searchLines(cli: Cli, filters: Omit<In<'search.query'>, 'q'>): Promise<void> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    let q: unknown;
    try {
      q = (JSON.parse(line) as { q?: unknown }).q;
    } catch {
      q = undefined;
    }
    if (typeof q !== 'string' || !q.trim()) {
      process.stdout.write(`${JSON.stringify({ line: n, error: '需要 {"q":"…"} / expected {"q":"…"}' })}\n`);
      continue;
    }
    const r = await cli.call('search.query', { ...filters, q, limit: filters.limit ?? 1 });
    process.stdout.write(`${JSON.stringify({ q, total: r.total, tookMs: r.tookMs })}\n`);
  }
}

/** One text a line on stdin ({"id","text"[,"side"]}), one result a line on stdout. */
async function detectLines(cli: Cli): Promise<void> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    let rec: { id?: unknown; text?: unknown; side?: unknown };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      process.stdout.write(`${JSON.stringify({ line: n, error: 'JSON 格式错误 / invalid JSON' })}\n`);
      continue;
    }
    if (typeof rec.text !== 'string') {
      process.stdout.write(`${JSON.stringify({ id: rec.id ?? null, line: n, error: '需要 text 字段 / expected a text field' })}\n`);
      continue;
    }
    const side = rec.side === 'staff' || rec.side === 'customer' ? rec.side : 'both';
    const hits = await cli.call('detect.text', { text: rec.text, side });
    process.stdout.write(`${JSON.stringify({ id: rec.id ?? null, hits: hits.map((h) => ({ category: h.category, rule: h.rule, severity: h.severity, start: h.start, end: h.end, match: h.match })) })}\n`);
  }
}

function describeImport(s: ImportSummary): string {
  const types = Object.entries(s.byType)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [
    `读取 read ${s.read}，导入 imported ${s.imported}，重复 duplicates ${s.duplicates}，隔离 quarantined ${s.quarantined}`,
    `媒体已关联 media linked ${s.mediaLinked}，缺失 missing ${s.mediaMissing}`,
    `按类型 by type: ${types || '-'}`,
    `文件 files ${s.files}，用时 took ${(s.tookMs / 1000).toFixed(1)} s${s.cancelled ? '，已取消 cancelled' : ''}`,
    ...(s.fileErrors.length ? [`文件错误 file errors: ${s.fileErrors.length}`] : []),
  ].join('\n');
}

function describeStats(st: Stats): string {
  return [
    `消息 messages ${st.messages}`,
    `会话 conversations ${st.conversations}`,
    `员工 staff ${st.staff}，客户 contacts ${st.contacts}`,
    `隔离 quarantined ${st.quarantined}`,
    `媒体 media: 已关联 linked ${st.media.linked}，缺失 missing ${st.media.missing}，校验不符 mismatched ${st.media.mismatched}`,
    `时间范围 range: ${formatTime(st.firstMessageAt)} — ${formatTime(st.lastMessageAt)}`,
    formatTable(['类型 type', '数量 count'], Object.entries(st.byType).map(([k, v]) => [k, String(v)])),
  ].join('\n');
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let code: number;
  try {
    code = await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      code = 2;
    } else if (e instanceof CliFailure || e instanceof CoreError) {
      const error = e instanceof CliFailure ? e.error : e.toApiError();
      process.stderr.write(`错误 / error: ${error.messageZh}\n${error.messageEn}\n`);
      code = exitCodeFor[error.code];
    } else {
      process.stderr.write(`错误 / error: ${(e as Error).stack ?? e}\n`);
      code = 1;
    }
  }
  process.exitCode = code;
}
