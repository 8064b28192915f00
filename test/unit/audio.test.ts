/**
 * Voice decoding: the bundled sample voices (real SILK v3 and AMR-NB encodings of tones, see
 * scripts/make-samples.ts) decode in-process to a playable WAV with the tone still in it, also
 * through the 'media.audio' method on a store; anything else is refused in both languages.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { AudioData } from '../../preload/api.js';
import { Session } from '../../main/core/api/context.js';
import { dispatch } from '../../main/core/api/dispatch.js';
import { CoreError } from '../../main/core/api/errors.js';
import { importExports } from '../../main/core/import/importer.js';
import { decodeVoice, type DecodedVoice } from '../../main/core/media/audio.js';
import { newStore, SAMPLES } from '../helpers/store.js';

const MEDIA = path.join(SAMPLES, 'media');
const EXPORTS = path.join(SAMPLES, 'exports');
const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');

type Voice = { msgid: string; md5sum: string; play_length: number; voice_size: number };
/** The voice messages of the sample exports (all plain-text files; the gzipped page holds none). */
function sampleVoices(): Voice[] {
  const out: Voice[] = [];
  for (const f of fs.readdirSync(EXPORTS).filter((n) => !n.endsWith('.gz'))) {
    const text = fs.readFileSync(path.join(EXPORTS, f), 'utf8').replace(/^\ufeff/, '');
    const records: any[] = f.endsWith('.json') ? JSON.parse(text) : text.split(/\r?\n/).flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
    for (const r of records) if (r?.msgtype === 'voice') out.push({ msgid: r.msgid, ...r.voice });
  }
  return out;
}
const fileFor = (md5sum: string) => fs.readdirSync(MEDIA).find((n) => n.startsWith(md5sum));

/** The tones the generator encodes, by file. */
const TONES = [
  { what: 'SILK voice with the 0x02 prefix, named .amr', codec: 'silk', hz: 440, seconds: 2, first: 0x02 },
  { what: 'AMR-NB voice', codec: 'amr', hz: 700, seconds: 1, first: 0x23 },
] as const;
const MEETING = { file: 'grb8a4c48a3c094a70982c518d55e40557', hz: 350, seconds: 2 };

/** Checks the WAV header field by field and returns the samples. */
function readWav(v: DecodedVoice): Int16Array {
  const w = v.wav;
  assert.equal(w.toString('latin1', 0, 4), 'RIFF');
  assert.equal(w.readUInt32LE(4), w.length - 8);
  assert.equal(w.toString('latin1', 8, 16), 'WAVEfmt ');
  assert.equal(w.readUInt32LE(16), 16);
  assert.equal(w.readUInt16LE(20), 1, 'PCM');
  assert.equal(w.readUInt16LE(22), 1, 'mono');
  assert.equal(w.readUInt32LE(24), v.sampleRate);
  assert.equal(w.readUInt32LE(28), v.sampleRate * 2, 'byte rate');
  assert.equal(w.readUInt16LE(32), 2, 'block align');
  assert.equal(w.readUInt16LE(34), 16, '16-bit');
  assert.equal(w.toString('latin1', 36, 40), 'data');
  assert.equal(w.readUInt32LE(40), w.length - 44);
  const samples = new Int16Array((w.length - 44) / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = w.readInt16LE(44 + i * 2);
  assert.equal(v.durationMs, Math.round((samples.length * 1000) / v.sampleRate));
  return samples;
}

/** Loud, and the tone's pitch: zero crossings of the middle part (away from the fades and codec warm-up). */
function assertTone(samples: Int16Array, rate: number, hz: number, label: string): void {
  const mid = samples.subarray(Math.floor(samples.length * 0.2), Math.floor(samples.length * 0.8));
  const rms = Math.sqrt(mid.reduce((s, x) => s + x * x, 0) / mid.length);
  assert.ok(rms > 3000, `${label}: not silence (rms ${rms.toFixed(0)})`); // a 0.5 full-scale sine has rms ≈ 11585
  let crossings = 0;
  for (let i = 1; i < mid.length; i++) if (mid[i - 1]! < 0 !== mid[i]! < 0) crossings++;
  const f = crossings / 2 / (mid.length / rate);
  assert.ok(Math.abs(f - hz) < hz * 0.05, `${label}: ${f.toFixed(1)} Hz, expected about ${hz} Hz`);
}

test('the sample voice files are real SILK and AMR-NB whose md5sum, size and play_length the messages declare', async () => {
  const voices = sampleVoices();
  assert.equal(voices.length, 3);
  const onDisk = voices.filter((v) => fileFor(v.md5sum));
  assert.equal(onDisk.length, 2, 'one voice stays missing from the export');
  for (const tone of TONES) {
    const v = onDisk.find((x) => fs.readFileSync(path.join(MEDIA, fileFor(x.md5sum)!))[0] === tone.first)!;
    assert.ok(v, tone.what);
    const bytes = fs.readFileSync(path.join(MEDIA, fileFor(v.md5sum)!));
    assert.equal(md5(bytes), v.md5sum);
    assert.equal(bytes.length, v.voice_size);
    assert.equal(v.play_length, tone.seconds);
    const d = await decodeVoice(bytes);
    assert.equal(d.codec, tone.codec, tone.what);
    assert.equal(d.sampleRate, tone.codec === 'silk' ? 24000 : 8000);
    assert.ok(Math.abs(d.durationMs - tone.seconds * 1000) <= 60, `${tone.what}: ${d.durationMs} ms`);
    assertTone(readWav(d), d.sampleRate, tone.hz, tone.what);
  }
  assert.ok(fileFor(onDisk.find((v) => fs.readFileSync(path.join(MEDIA, fileFor(v.md5sum)!))[0] === 0x02)!.md5sum)!.endsWith('.amr'), 'SILK named .amr, as WeCom names it');
});

test('the meeting recording: SILK without the 0x02 prefix', async () => {
  const bytes = fs.readFileSync(path.join(MEDIA, MEETING.file));
  assert.equal(bytes.toString('latin1', 0, 9), '#!SILK_V3');
  const d = await decodeVoice(bytes);
  assert.equal(d.codec, 'silk');
  assert.ok(Math.abs(d.durationMs - MEETING.seconds * 1000) <= 60, `${d.durationMs} ms`);
  assertTone(readWav(d), d.sampleRate, MEETING.hz, 'meeting');
  // the same frames with the prefix decode to the same sound
  const prefixed = await decodeVoice(Buffer.concat([Buffer.from([0x02]), bytes]));
  assert.equal(Buffer.compare(prefixed.wav, d.wav), 0);
});

test("'media.audio' on a store: imported voice → WAV for the window; a non-voice medium is refused", async () => {
  const store = newStore();
  const session = new Session({ version: 'test', defaultDbPath: '', samplesDir: SAMPLES, nativeDialogs: false });
  try {
    await importExports(store, { paths: [EXPORTS], mediaDir: MEDIA });
    session.store = store;
    const rows = store.db
      .prepare(`SELECT mm.sha256, m.msgtype FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE mm.status = 'linked' AND m.msgtype IN ('voice', 'meeting_voice_call', 'image') ORDER BY m.msgtype`)
      .all() as { sha256: string; msgtype: string }[];
    const voices = rows.filter((r) => r.msgtype !== 'image');
    assert.equal(voices.length, 3, 'two voice messages and the meeting recording are linked');
    const codecs: string[] = [];
    for (const r of voices) {
      const res = await dispatch('media.audio', { sha256: r.sha256 }, session);
      assert.ok(res.ok, JSON.stringify(!res.ok && res.error));
      const a = res.value as AudioData;
      assert.equal(a.sha256, r.sha256);
      codecs.push(a.codec);
      const wav = Buffer.from(a.wavBase64, 'base64');
      const samples = readWav({ codec: a.codec, sampleRate: a.sampleRate, durationMs: a.durationMs, wav });
      assert.ok(a.durationMs >= 900 && a.durationMs <= 2100, `${a.durationMs} ms`);
      assert.ok(Math.sqrt(samples.reduce((s, x) => s + x * x, 0) / samples.length) > 2000, 'not silence');
    }
    assert.deepEqual(codecs.sort(), ['amr', 'silk', 'silk']);
    const img = rows.find((r) => r.msgtype === 'image')!;
    const bad = await dispatch('media.audio', { sha256: img.sha256 }, session);
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'rejected');
    assert.match(bad.error.messageZh, /语音/);
    assert.match(bad.error.messageEn, /AMR-NB or SILK/);
  } finally {
    session.close();
  }
});

test('corrupt or foreign input is refused with a bilingual error, never decoded to noise or thrown raw', async () => {
  const silk = fs.readFileSync(path.join(MEDIA, MEETING.file));
  const amrName = fs.readdirSync(MEDIA).find((n) => fs.readFileSync(path.join(MEDIA, n)).subarray(0, 6).toString('latin1') === '#!AMR\n')!;
  const amr = fs.readFileSync(path.join(MEDIA, amrName));
  const cases: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /AMR-NB or SILK v3/],
    ['text', Buffer.from('这不是语音 / not a voice file'), /AMR-NB or SILK v3/],
    ['a PNG', fs.readFileSync(path.join(MEDIA, fs.readdirSync(MEDIA).find((n) => n.endsWith('.png'))!)), /AMR-NB or SILK v3/],
    ['AMR magic only', Buffer.from('#!AMR\n'), /AMR-NB: no audio frames/],
    ['AMR magic then garbage', Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(64, 0xff)]), /AMR-NB: no audio frames/],
    ['AMR-WB', Buffer.from('#!AMR-WB\n\x04abcdefgh'), /AMR-WB/],
    ['SILK magic only', Buffer.from('\x02#!SILK_V3'), /SILK: no audio frames/],
    ['SILK with a first frame longer than the file', Buffer.concat([silk.subarray(0, 9), Buffer.from([0xff, 0x7f]), Buffer.alloc(20)]), /SILK: no audio frames/],
    ['SILK with a frame longer than any SILK frame', Buffer.concat([silk.subarray(0, 9), Buffer.from([0x88, 0x13]), Buffer.alloc(5000, 0x5a)]), /SILK: no audio frames/],
  ];
  for (const [label, bytes, en] of cases) {
    await assert.rejects(decodeVoice(bytes), (e: unknown) => {
      assert.ok(e instanceof CoreError, `${label}: a CoreError`);
      assert.equal(e.code, 'rejected', label);
      assert.match(e.messageZh, /[\u4e00-\u9fff]/, `${label}: Chinese message`);
      assert.match(e.messageEn, en, label);
      return true;
    });
  }
  // a truncated file plays what it holds
  const cutSilk = await decodeVoice(silk.subarray(0, Math.floor(silk.length / 2)));
  assert.ok(cutSilk.durationMs > 300 && cutSilk.durationMs < 1500, `truncated SILK: ${cutSilk.durationMs} ms`);
  const cutAmr = await decodeVoice(amr.subarray(0, 6 + 32 * 10 + 7));
  assert.equal(cutAmr.durationMs, 200, 'ten whole AMR frames');
});
