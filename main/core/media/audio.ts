/**
 * Voice messages: WeCom voice is AMR-NB or SILK v3 (often SILK even when named .amr), decoded
 * here, in-process, to a WAV the window can play. No ffmpeg on a bank PC.
 * (Being written: until the decoders land this refuses every input with a clear error.)
 */
import { CoreError } from '../api/errors.js';

export type DecodedVoice = { codec: 'silk' | 'amr'; sampleRate: number; durationMs: number; wav: Buffer };

export async function decodeVoice(bytes: Buffer): Promise<DecodedVoice> {
  void bytes;
  throw new CoreError('internal', '语音解码尚未实现', 'Voice decoding is not implemented yet');
}
