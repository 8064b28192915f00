/**
 * Media of a message: image thumbnails (media.get → data: URL), voice playback (media.audio →
 * WAV → Web Audio, which needs no media-src in the CSP), video, and the status of every item
 * (linked, missing, MD5 mismatch), which must always be visible to a reviewer.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiError, MediaData, MediaItem } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';
import { formatBytes, formatSeconds } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import { Icon } from '../../shared/icons.js';

// ---------- a small cache, so scrolling back does not fetch the same thumbnail again ----------
const CACHE_MAX = 120;
const cache = new Map<string, Promise<MediaData>>();
function fetchMedia(sha256: string): Promise<MediaData> {
  let p = cache.get(sha256);
  if (p) {
    cache.delete(sha256);
    cache.set(sha256, p);
    return p;
  }
  p = call('media.get', { sha256 });
  p.catch(() => cache.delete(sha256));
  cache.set(sha256, p);
  while (cache.size > CACHE_MAX) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return p;
}

function useMedia(sha256: string | null, enabled = true): { data: MediaData | null; error: ApiError | null } {
  const [data, setData] = useState<MediaData | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!sha256 || !enabled) return;
    let stale = false;
    fetchMedia(sha256)
      .then((d) => !stale && setData(d))
      .catch((e: unknown) => !stale && setError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [sha256, enabled]);
  return { data, error };
}

/** A compact bilingual error inside a message. */
export function InlineError({ error, testId }: { error: ApiError; testId?: string }) {
  const { lang } = useI18n();
  const [first, second] = lang === 'zh' ? [error.messageZh, error.messageEn] : [error.messageEn, error.messageZh];
  return (
    <div className="inline-error" role="alert" data-testid={testId}>
      <span className="inline-error-primary">{first}</span>
      <span className="inline-error-secondary">{second}</span>
    </div>
  );
}

/** The state of one media item: missing and MD5 mismatch in warning colours, linked quietly. */
export function MediaStatus({ item }: { item: MediaItem | undefined }) {
  const { t } = useI18n();
  if (!item) return <span className="media-badge media-none">{t('media.noRecord')}</span>;
  if (item.status === 'missing')
    return (
      <span className="media-badge media-missing" data-testid="media-missing" title={item.md5sum ?? undefined}>
        {t('media.missing')}
      </span>
    );
  if (item.status === 'md5_mismatch')
    return (
      <span className="media-badge media-mismatch" data-testid="media-mismatch" title={t('media.mismatchHint')}>
        {t('media.mismatch')}
      </span>
    );
  if (item.status === 'too_large' || item.status === 'unreadable')
    return (
      <span className="media-badge media-missing" data-testid="media-not-stored" title={item.reason ?? undefined}>
        {t(item.status === 'too_large' ? 'media.tooLarge' : 'media.unreadable')}
      </span>
    );
  return <span className="media-badge media-linked">{t('media.linked')}</span>;
}

/** md5 (as the export declared it) and sha256 (of the bytes in the store), for evidence. */
export function Hashes({ md5, item }: { md5: string | null | undefined; item: MediaItem | undefined }) {
  const { t } = useI18n();
  const declared = md5 || item?.md5sum || null;
  return (
    <dl className="hashes">
      {declared && (
        <div>
          <dt>MD5</dt>
          <dd className="mono">{declared}</dd>
        </div>
      )}
      <div>
        <dt>SHA-256</dt>
        <dd className="mono">{item?.sha256 ?? <span className="muted">{t('media.notStored')}</span>}</dd>
      </div>
    </dl>
  );
}

export function ImageThumb({ item, label }: { item: MediaItem | undefined; label: string }) {
  const { t } = useI18n();
  const usable = !!item && item.status !== 'missing' && !!item.sha256;
  const { data, error } = useMedia(usable ? item.sha256 : null);
  if (!usable) {
    return (
      <div className="thumb thumb-missing" data-testid="thumb-missing">
        <Icon name="alert" size={20} className="thumb-icon" />
        <span>{item ? t('media.missingImage') : t('media.noRecord')}</span>
      </div>
    );
  }
  return (
    <figure className={`thumb ${item.status === 'md5_mismatch' ? 'thumb-mismatch' : ''}`}>
      {data ? (
        data.mime.startsWith('image/') ? (
          <img src={`data:${data.mime};base64,${data.base64}`} alt={label} className="thumb-img" data-testid="thumb-img" draggable={false} />
        ) : (
          <span className="muted small">{t('media.notImage', { mime: data.mime })}</span>
        )
      ) : error ? (
        <InlineError error={error} />
      ) : (
        <span className="muted small" data-testid="thumb-loading">
          {t('common.loading')}
        </span>
      )}
      {item.status === 'md5_mismatch' && <figcaption className="thumb-warn">{t('media.mismatch')}</figcaption>}
    </figure>
  );
}

// ---------- voice: decoded to WAV by the core, played through Web Audio ----------
let audioCtx: AudioContext | null = null;
let stopCurrent: (() => void) | null = null;

function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function VoicePlayer({ item, seconds }: { item: MediaItem | undefined; seconds: unknown }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'loading' | 'playing'>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const [pos, setPos] = useState(0);
  const [dur, setDur] = useState<number | null>(null);
  const source = useRef<AudioBufferSourceNode | null>(null);
  const raf = useRef<number | null>(null);
  const buffer = useRef<AudioBuffer | null>(null);

  const stop = () => {
    if (raf.current !== null) cancelAnimationFrame(raf.current);
    raf.current = null;
    try {
      source.current?.stop();
    } catch {
      /* already stopped */
    }
    source.current = null;
    setState('idle');
  };
  useEffect(() => () => stop(), []);

  async function play() {
    if (!item?.sha256) return;
    setError(null);
    try {
      if (!buffer.current) {
        setState('loading');
        const a = await call('media.audio', { sha256: item.sha256 });
        audioCtx ??= new AudioContext();
        buffer.current = await audioCtx.decodeAudioData(base64Bytes(a.wavBase64).buffer);
        setDur(buffer.current.duration);
      }
      audioCtx ??= new AudioContext();
      if (audioCtx.state === 'suspended') await audioCtx.resume();
      stopCurrent?.();
      const src = audioCtx.createBufferSource();
      src.buffer = buffer.current;
      src.connect(audioCtx.destination);
      const started = audioCtx.currentTime;
      const ctx = audioCtx;
      src.onended = () => {
        if (source.current === src) stop();
      };
      src.start();
      source.current = src;
      stopCurrent = stop;
      setState('playing');
      const tickFn = () => {
        setPos(ctx.currentTime - started);
        raf.current = requestAnimationFrame(tickFn);
      };
      tickFn();
    } catch (e) {
      setState('idle');
      setError(e instanceof Error && !('error' in e) ? decodeError(e) : errorOf(e));
    }
  }

  const declared = formatSeconds(seconds);
  const usable = !!item && item.status !== 'missing' && !!item.sha256;
  const length = dur !== null ? formatSeconds(dur) : declared;
  return (
    <div className="voice" data-testid="voice">
      <div className="voice-row">
        <button
          type="button"
          className={`btn btn-play ${state === 'playing' ? 'playing' : ''}`}
          onClick={() => (state === 'playing' ? stop() : void play())}
          disabled={!usable || state === 'loading'}
          aria-label={state === 'playing' ? t('media.stop') : t('media.play')}
          title={usable ? undefined : t('media.missing')}
          data-testid="voice-play"
        >
          {state === 'playing' ? '■' : '▶'}
        </button>
        <span className="voice-bar" aria-hidden="true">
          <span className="voice-fill" style={{ width: `${dur && state === 'playing' ? Math.min(100, (pos / dur) * 100) : 0}%` }} />
        </span>
        <span className="voice-time mono">
          {state === 'playing' ? `${formatSeconds(pos)} / ` : ''}
          {length ?? '—'}
        </span>
        {state === 'loading' && <span className="muted small">{t('media.decoding')}</span>}
      </div>
      {error && <InlineError error={error} testId="voice-error" />}
    </div>
  );
}

function decodeError(e: Error): ApiError {
  const messageZh = `无法解码语音：${e.message}`;
  const messageEn = `Cannot decode the voice message: ${e.message}`;
  return { code: 'internal', message: `${messageZh} / ${messageEn}`, messageZh, messageEn };
}

// ---------- video: played from a blob: URL on request ----------
export function VideoPlayer({ item }: { item: MediaItem | undefined }) {
  const { t } = useI18n();
  const [want, setWant] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const usable = !!item && item.status !== 'missing' && !!item.sha256;
  const { data, error } = useMedia(usable ? item.sha256 : null, want);
  useEffect(() => {
    if (!data) return;
    const u = URL.createObjectURL(new Blob([base64Bytes(data.base64)], { type: data.mime }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [data]);
  if (!want)
    return (
      <button type="button" className="btn btn-small" disabled={!usable} onClick={() => setWant(true)} data-testid="video-play">
        ▶ {t('media.playVideo')}
      </button>
    );
  if (error) return <InlineError error={error} />;
  if (!url) return <span className="muted small">{t('common.loading')}</span>;
  return (
    <div className="video">
      <video src={url} controls autoPlay className="video-el" onError={() => setFailed(true)} />
      {failed && <p className="warn-text small">{t('media.videoFailed')}</p>}
      {data && <span className="muted small">{`${data.mime} · ${formatBytes(data.size)}`}</span>}
    </div>
  );
}
