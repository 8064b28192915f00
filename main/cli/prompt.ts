/** The passphrase: from WECOM_AUDIT_PASSPHRASE, or typed at a hidden prompt. Never from argv. */
import { CoreError } from '../core/api/errors.js';

export async function readPassphrase(prompt: string, confirm = false): Promise<string> {
  const fromEnv = process.env.WECOM_AUDIT_PASSPHRASE;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new CoreError('usage', '缺少口令：请设置环境变量 WECOM_AUDIT_PASSPHRASE，或在终端中运行', 'No passphrase: set WECOM_AUDIT_PASSPHRASE or run on a terminal');
  }
  const first = await hidden(prompt);
  if (confirm && (await hidden('再次输入 / repeat: ')) !== first) {
    throw new CoreError('usage', '两次输入的口令不一致', 'The passphrases do not match');
  }
  return first;
}

function hidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new CoreError('cancelled', '已取消', 'Cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}
