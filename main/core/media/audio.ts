/**
 * Voice messages: WeCom voice is AMR-NB or SILK v3 (often SILK even when named .amr), decoded
 * here, in-process, to a WAV the window can play. No ffmpeg on a bank PC.
 *   SILK v3 ("#!SILK_V3", with or without WeChat's leading 0x02): silk-wasm (Tencent's decoder in WASM);
 *   AMR-NB ("#!AMR\n"): opencore-amr in asm.js (./amrnb.ts).
 * The codec comes from the magic bytes, never from the file name or the chat.
 */
import { decode as silkDecode } from 'silk-wasm';
import { CoreError } from '../api/errors.js';
import { decodeAmrNb } from './amrnb.js';

export type DecodedVoice = { codec: 'silk' | 'amr'; sampleRate: number; durationMs: number; wav: Buffer };

/** WeCom records SILK at 24 kHz; the decoder resamples to whatever is asked. */
export const SILK_RATE = 24000;
export const AMR_RATE = 8000;
/** Both codecs carry 20 ms per frame; past this a file is not a voice message (WeCom caps those at 60 s). */
const MAX_FRAMES = (15 * 60 * 1000) / 20;

const AMR_MAGIC = Buffer.from('#!AMR\n', 'latin1');
const AMR_WB_MAGIC = Buffer.from('#!AMR-WB\n', 'latin1');
const SILK_MAGIC = Buffer.from('#!SILK_V3', 'latin1');
const SILK_MAX_FRAME = 1024;
/** bytes after the frame header, by frame type (RFC 4867 §5.3); 12–14 are not valid in a file */
const AMR_SIZES = [12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, -1, -1, -1, 0];

const startsWith = (b: Buffer, magic: Buffer, at = 0) => b.length >= at + magic.length && b.subarray(at, at + magic.length).equals(magic);

function corrupt(codec: string, why: string, whyEn: string, cause?: unknown): CoreError {
  const detail = cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause);
  return new CoreError('rejected', `语音文件已损坏，无法解码（${codec}：${why}）`, `The voice file is corrupt and cannot be decoded (${codec}: ${whyEn})`, detail);
}

function tooLong(): CoreError {
  return new CoreError('rejected', '语音超过 15 分钟，无法在此播放', 'The recording is longer than 15 minutes and cannot be played here');
}

export async function decodeVoice(bytes: Buffer): Promise<DecodedVoice> {
  if (startsWith(bytes, AMR_MAGIC)) return decodeAmr(bytes);
  if (startsWith(bytes, SILK_MAGIC)) return decodeSilk(bytes, SILK_MAGIC.length);
  if (bytes[0] === 0x02 && startsWith(bytes, SILK_MAGIC, 1)) return decodeSilk(bytes, 1 + SILK_MAGIC.length);
  if (startsWith(bytes, AMR_WB_MAGIC)) {
    throw new CoreError('rejected', '不支持 AMR-WB 宽带语音（企业微信语音为 AMR-NB 或 SILK）', 'AMR-WB voice is not supported (WeCom voice is AMR-NB or SILK)');
  }
  throw new CoreError('rejected', '不是可识别的语音文件（应为 AMR-NB 或 SILK v3）', 'Not a recognised voice file (expected AMR-NB or SILK v3)');
}

/** SILK v3: after the magic, frames of [uint16 LE length][payload], sometimes closed by 0xFFFF. */
async function decodeSilk(bytes: Buffer, start: number): Promise<DecodedVoice> {
  let at = start;
  let frames = 0;
  while (at + 2 <= bytes.length) {
    const n = bytes.readInt16LE(at);
    // stop at the 0xFFFF end mark, a truncated last frame, or a length beyond SILK's 1024-byte frame maximum
    // (the WASM decoder does not check it); an empty frame is passed on as it is
    if (n < 0 || n > SILK_MAX_FRAME || at + 2 + n > bytes.length) break;
    at += 2 + n;
    if (++frames > MAX_FRAMES) throw tooLong();
  }
  if (frames === 0) throw corrupt('SILK', '没有音频帧', 'no audio frames');
  // silk-wasm wants WeChat's form: 0x02, the magic, the frames
  const input = Buffer.concat([Buffer.from([0x02]), SILK_MAGIC, bytes.subarray(start, at)]);
  let pcm: Uint8Array;
  try {
    pcm = (await silkDecode(input, SILK_RATE)).data;
  } catch (e) {
    throw corrupt('SILK', '解码失败', 'decoding failed', e);
  }
  if (pcm.byteLength < 2) throw corrupt('SILK', '没有音频帧', 'no audio frames');
  const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.byteLength & ~1)));
  return { codec: 'silk', sampleRate: SILK_RATE, durationMs: Math.round((samples.length * 1000) / SILK_RATE), wav: wav(samples, SILK_RATE) };
}

/** AMR-NB storage format (RFC 4867 §5): the magic, then frames of [header byte 0 FT(4) Q 0 0][payload]. */
function decodeAmr(bytes: Buffer): DecodedVoice {
  let at = AMR_MAGIC.length;
  let frames = 0;
  while (at < bytes.length) {
    const head = bytes[at]!;
    const size = AMR_SIZES[(head >> 3) & 0x0f]!;
    if ((head & 0x83) !== 0 || size < 0 || at + 1 + size > bytes.length) break; // garbage or a truncated tail: play what came before
    at += 1 + size;
    if (++frames > MAX_FRAMES) throw tooLong();
  }
  if (frames === 0) throw corrupt('AMR-NB', '没有音频帧', 'no audio frames');
  let samples: Int16Array;
  try {
    samples = decodeAmrNb(bytes.subarray(0, at));
  } catch (e) {
    throw corrupt('AMR-NB', '解码失败', 'decoding failed', e);
  }
  if (samples.length === 0) throw corrupt('AMR-NB', '没有音频帧', 'no audio frames');
  return { codec: 'amr', sampleRate: AMR_RATE, durationMs: Math.round((samples.length * 1000) / AMR_RATE), wav: wav(samples, AMR_RATE) };
}

/** A canonical 44-byte-header WAV: PCM, 16-bit, mono, little-endian. */
export function wav(samples: Int16Array, sampleRate: number): Buffer {
  const data = samples.length * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16); // fmt chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, 44 + i * 2);
  return out;
}
