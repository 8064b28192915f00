/**
 * Every message type as a reviewer reads it, from ViewMessage.body (the stored record). Body keys
 * per type follow shared/spec/wecom-archive-format.md. Archive content is untrusted: URLs are shown
 * as text and never become links; markdown is shown as plain text; nothing is rendered as HTML.
 */
import type { ReactNode } from 'react';
import type { MediaItem } from '../../../preload/api.js';
import { useDirectory } from '../../shared/directory.js';
import { beijingTime, bodyTime, formatBytes, formatSeconds, yuanOf } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import type { MessageKey } from '../../shared/messages.js';
import { isKnownType, typeLabel } from '../../shared/msgTypes.js';
import { Icon, type IconName } from '../../shared/icons.js';
import { Hashes, ImageThumb, MediaStatus, VideoPlayer, VoicePlayer } from './MediaViews.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const BODY_KEYS: Record<string, string[]> = {
  docmsg: ['doc', 'docmsg'],
  markdown: ['info', 'markdown'],
  news: ['info', 'news'],
  voiptext: ['info', 'voiptext'],
  qydiskfile: ['info', 'qydiskfile'],
  meeting_notification: ['info', 'meeting_notification'],
  external_redpacket: ['redpacket', 'external_redpacket'],
};

/** The body of a record for its msgtype (vote may sit at the top level of the record). */
export function bodyOf(record: unknown, msgtype: string): Obj {
  if (!isObj(record)) return {};
  // own keys only: a stored msgtype such as "constructor" must not reach Object.prototype
  for (const key of (Object.hasOwn(BODY_KEYS, msgtype) ? BODY_KEYS[msgtype] : undefined) ?? [msgtype]) {
    const b = record[key];
    if (isObj(b)) return b;
  }
  if (msgtype === 'vote' || msgtype === 'switch') return record;
  return {};
}

/** chatrecord/mixed item content: a JSON string of the inner body (or already an object, or plain text). */
export function innerBody(content: unknown): Obj {
  if (isObj(content)) return content;
  if (typeof content !== 'string' || !content) return {};
  try {
    const v = JSON.parse(content) as unknown;
    return isObj(v) ? v : { content };
  } catch {
    return { content };
  }
}

/** 'ChatRecordText' → 'text', 'ChatRecordFile' → 'file', 'image' → 'image' */
export function innerType(type: unknown): string {
  const t = str(type);
  return t.startsWith('ChatRecord') ? t.slice('ChatRecord'.length).toLowerCase() : t.toLowerCase();
}

// ---------- small pieces ----------
function Field({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div className="kv">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{children}</dd>
    </div>
  );
}

/** A URL as inert text: selectable, never clickable (the app never navigates away). */
function UrlText({ url }: { url: unknown }) {
  const { t } = useI18n();
  const u = str(url);
  if (!u) return null;
  return (
    <span className="url-text mono" title={t('msg.urlNotOpened')} data-testid="url-text">
      {u}
    </span>
  );
}

function Time({ at }: { at: unknown }) {
  const ms = bodyTime(at);
  const s = beijingTime(ms);
  return s ? <span className="mono">{s}</span> : null;
}

function Span({ from, to }: { from: unknown; to: unknown }) {
  const a = beijingTime(bodyTime(from));
  const b = beijingTime(bodyTime(to));
  if (!a && !b) return null;
  // same day: "2026-03-03 16:00 – 17:00"
  const sameDay = a && b && a.slice(0, 10) === b.slice(0, 10);
  return <span className="mono">{`${a ?? '?'} – ${sameDay ? b!.slice(11) : (b ?? '?')}`}</span>;
}

/** A person named by id inside a body (creator, card owner…): name when known, id on hover. */
function Who({ id }: { id: unknown }) {
  const dir = useDirectory();
  const s = str(id);
  if (!s) return null;
  const name = dir.nameOf(s);
  return name === s ? <span className="mono">{s}</span> : <span title={s}>{name}</span>;
}

function Card({ kind, icon, badge, title, children, testId }: { kind: string; icon?: IconName; badge?: string; title?: ReactNode; children?: ReactNode; testId?: string }) {
  return (
    <div className={`mcard mcard-${kind}`} data-testid={testId}>
      {(icon || title) && (
        <div className="mcard-head">
          {icon && (
            <span className="mcard-icon" aria-hidden="true">
              {badge ? <span className="mcard-badge">{badge}</span> : <Icon name={icon} size={18} />}
            </span>
          )}
          {title && <span className="mcard-title">{title}</span>}
        </div>
      )}
      {children && <div className="mcard-body">{children}</div>}
    </div>
  );
}

/** Whether a parsed record holds an integer beyond 2^53 (its last digits were lost when parsed). */
function hasUnsafeInteger(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v);
  if (depth > 8 || typeof v !== 'object' || v === null) return false;
  return Object.values(v).some((x) => hasUnsafeInteger(x, depth + 1));
}

function Raw({ value }: { value: unknown }) {
  const { t } = useI18n();
  return (
    <>
      <pre className="raw-json" data-testid="raw-json">
        {JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}
      </pre>
      {hasUnsafeInteger(value) && <p className="hint warn-text">{t('msg.rawUnsafe')}</p>}
    </>
  );
}

/** An id that may be a number beyond 2^53: shown, but marked when its last digits cannot be trusted. */
function IdText({ value }: { value: unknown }) {
  const { t } = useI18n();
  const s = str(value);
  if (!s) return null;
  const unsafe = typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
  return unsafe ? (
    <span title={t('msg.unsafeId')}>
      {s} <span className="warn-text small">{t('msg.unsafeIdShort')}</span>
    </span>
  ) : (
    <>{s}</>
  );
}

const INVITE: Record<string, MessageKey> = { '1': 'msg.call.video1', '2': 'msg.call.voice1', '3': 'msg.call.videoN', '4': 'msg.call.voiceN' };
const PACKET: Record<string, MessageKey> = { '1': 'msg.packet.normal', '2': 'msg.packet.lucky', '3': 'msg.packet.incentive' };
const VOTE: Record<string, MessageKey> = { '101': 'msg.vote.start', '102': 'msg.vote.cast' };
const FEED: Record<string, MessageKey> = { '2': 'msg.feed.image', '4': 'msg.feed.video', '9': 'msg.feed.live' };

/**
 * The content of one message (or of one item inside a chatrecord/mixed message).
 * `media` is the message's media list; `part` is which item this body is (0 = the message itself).
 */
export function MessageBody({ msgtype, body, record, media, part = 0, depth = 0 }: { msgtype: string; body: Obj; record?: unknown; media: MediaItem[]; part?: number; depth?: number }) {
  const { t, lang } = useI18n();
  const item = media.find((m) => m.part === part);
  const label = typeLabel(msgtype, lang);

  switch (msgtype) {
    case 'text':
      return <p className="msg-body-text">{str(body.content)}</p>;

    case 'markdown':
      return (
        <Card kind="markdown" icon="markdown" title={label}>
          <p className="msg-body-text plain-md">{str(body.content)}</p>
        </Card>
      );

    case 'image':
    case 'emotion': {
      const w = Number(body.width);
      const h = Number(body.height);
      return (
        <div className="media-block" data-testid={`body-${msgtype}`}>
          <ImageThumb item={item} label={label} />
          <div className="media-meta">
            <MediaStatus item={item} />
            <span className="muted small">
              {[msgtype === 'emotion' ? label : null, w && h ? `${w}×${h}` : null, formatBytes(Number(body.filesize ?? body.imagesize ?? item?.size ?? NaN))].filter(Boolean).join(' · ')}
            </span>
          </div>
        </div>
      );
    }

    case 'file':
    case 'voip_doc_share': {
      const name = str(body.filename) || item?.name || t('msg.file.unnamed');
      return (
        <Card kind="file" icon="file" badge={fileBadge(name)} title={<span data-testid="file-name">{name}</span>} testId="body-file">
          <div className="media-meta">
            <MediaStatus item={item} />
            <span className="muted small">{formatBytes(Number(body.filesize ?? item?.size ?? NaN))}</span>
            {msgtype === 'voip_doc_share' && <span className="muted small">{t('msg.file.inCall')}</span>}
          </div>
          <Hashes md5={str(body.md5sum)} item={item} />
        </Card>
      );
    }

    case 'voice':
      return (
        <Card kind="voice" icon="mic" title={`${label} · ${formatSeconds(body.play_length) ?? '—'}`} testId="body-voice">
          <VoicePlayer item={item} seconds={body.play_length} />
          <div className="media-meta">
            <MediaStatus item={item} />
            <span className="muted small">{formatBytes(Number(body.voice_size ?? item?.size ?? NaN))}</span>
          </div>
        </Card>
      );

    case 'video':
      return (
        <Card kind="video" icon="video" title={`${label} · ${formatSeconds(body.play_length) ?? '—'}`} testId="body-video">
          <div className="media-meta">
            <MediaStatus item={item} />
            <span className="muted small">{formatBytes(Number(body.filesize ?? item?.size ?? NaN))}</span>
          </div>
          <VideoPlayer item={item} />
        </Card>
      );

    case 'redpacket':
    case 'external_redpacket': {
      const amount = yuanOf(body.totalamount);
      const kindKey = PACKET[str(body.type)];
      return (
        <Card kind="redpacket" icon="gift" title={label} testId="body-redpacket">
          <div className="packet-amount" data-testid="redpacket-amount">
            {amount !== null ? t('msg.packet.amount', { yuan: amount }) : '—'}
          </div>
          {str(body.wish) && <p className="packet-wish">{str(body.wish)}</p>}
          <dl className="kvs">
            <Field label={t('msg.packet.count')}>{str(body.totalcnt) && t('msg.packet.countN', { n: str(body.totalcnt) })}</Field>
            <Field label={t('msg.packet.type')}>{kindKey ? t(kindKey) : str(body.type)}</Field>
          </dl>
        </Card>
      );
    }

    case 'link':
      return (
        <Card kind="link" icon="link" title={str(body.title) || label} testId="body-link">
          {str(body.description) && <p className="mcard-desc">{str(body.description)}</p>}
          <UrlText url={body.link_url} />
        </Card>
      );

    case 'card':
      return (
        <Card kind="card" icon="user" title={label} testId="body-card">
          <dl className="kvs">
            <Field label={t('msg.card.corp')}>{str(body.corpname)}</Field>
            <Field label={t('msg.card.user')}>
              <Who id={body.userid} />
            </Field>
          </dl>
        </Card>
      );

    case 'location':
      return (
        <Card kind="location" icon="pin" title={str(body.title) || label} testId="body-location">
          {str(body.address) && <p className="mcard-desc">{str(body.address)}</p>}
          <dl className="kvs">
            <Field label={t('msg.location.coords')} mono>
              {body.latitude !== undefined || body.longitude !== undefined ? `${t('msg.location.lat')} ${str(body.latitude)}, ${t('msg.location.long')} ${str(body.longitude)}` : ''}
            </Field>
          </dl>
        </Card>
      );

    case 'weapp':
      return (
        <Card kind="weapp" icon="app" title={str(body.title) || label} testId="body-weapp">
          {str(body.description) && <p className="mcard-desc">{str(body.description)}</p>}
          <dl className="kvs">
            <Field label={t('msg.weapp.name')}>{str(body.displayname)}</Field>
            <Field label={t('msg.weapp.id')} mono>
              {str(body.username)}
            </Field>
          </dl>
        </Card>
      );

    case 'chatrecord':
    case 'mixed': {
      const items = arr(body.item);
      return (
        <Card kind={msgtype} icon={msgtype === 'chatrecord' ? 'chat' : 'layers'} title={msgtype === 'chatrecord' ? str(body.title) || label : label} testId={`body-${msgtype}`}>
          {msgtype === 'chatrecord' && <p className="muted small">{t('msg.chatrecord.items', { n: items.length })}</p>}
          <ol className={`inner-items ${msgtype}`}>
            {items.map((raw, i) => {
              const it = isObj(raw) ? raw : {};
              const type = innerType(it.type);
              const inner = innerBody(it.content);
              const at = bodyTime(it.msgtime);
              return (
                <li key={i} className="inner-item" data-inner-type={type}>
                  {msgtype === 'chatrecord' && (
                    <div className="inner-head">
                      <span className="type-tag">{typeLabel(type, lang)}</span>
                      {at !== null && <span className="mono small muted">{beijingTime(at)}</span>}
                      {it.from_chatroom === true && <span className="muted small">{t('msg.chatrecord.fromGroup')}</span>}
                    </div>
                  )}
                  {depth < 4 ? <MessageBody msgtype={type} body={inner} media={media} part={i + 1} depth={depth + 1} /> : <Raw value={inner} />}
                </li>
              );
            })}
          </ol>
        </Card>
      );
    }

    case 'todo':
      return (
        <Card kind="todo" icon="check" title={str(body.title) || label} testId="body-todo">
          {str(body.content) && <p className="msg-body-text">{str(body.content)}</p>}
        </Card>
      );

    case 'vote': {
      const vt = VOTE[str(body.votetype)];
      return (
        <Card kind="vote" icon="vote" title={str(body.votetitle) || label} testId="body-vote">
          {vt && <p className="muted small">{t(vt)}</p>}
          <ul className="vote-items">
            {arr(body.voteitem).map((v, i) => (
              <li key={i}>{str(v)}</li>
            ))}
          </ul>
          <dl className="kvs">
            <Field label={t('msg.vote.id')} mono>
              <IdText value={body.voteid} />
            </Field>
          </dl>
        </Card>
      );
    }

    case 'collect':
      return (
        <Card kind="collect" icon="form" title={str(body.title) || label} testId="body-collect">
          <dl className="kvs">
            <Field label={t('msg.collect.room')}>{str(body.room_name)}</Field>
            <Field label={t('msg.collect.creator')}>{str(body.creator) && <Who id={body.creator} />}</Field>
            <Field label={t('msg.collect.created')} mono>
              {str(body.create_time)}
            </Field>
          </dl>
          {arr(body.details).length > 0 && (
            <ol className="collect-items">
              {arr(body.details).map((d, i) => (
                <li key={i}>
                  {str(isObj(d) ? d.ques : d)}
                  {isObj(d) && str(d.type) && <span className="muted small"> · {str(d.type)}</span>}
                </li>
              ))}
            </ol>
          )}
        </Card>
      );

    case 'meeting':
      return (
        <Card kind="meeting" icon="calendar" title={str(body.topic) || label} testId="body-meeting">
          <dl className="kvs">
            <Field label={t('msg.meeting.time')}>{(body.starttime !== undefined || body.endtime !== undefined) && <Span from={body.starttime} to={body.endtime} />}</Field>
            <Field label={t('msg.meeting.address')}>{str(body.address)}</Field>
            <Field label={t('msg.meeting.remarks')}>{str(body.remarks)}</Field>
            <Field label={t('msg.meeting.id')} mono>
              <IdText value={body.meetingid} />
            </Field>
          </dl>
        </Card>
      );

    case 'docmsg':
      return (
        <Card kind="doc" icon="doc" title={str(body.title) || label} testId="body-docmsg">
          <dl className="kvs">
            <Field label={t('msg.doc.creator')}>{str(body.doc_creator) && <Who id={body.doc_creator} />}</Field>
          </dl>
          <UrlText url={body.link_url} />
        </Card>
      );

    case 'news':
      return (
        <Card kind="news" icon="news" title={label} testId="body-news">
          <ol className="news-items">
            {arr(body.item).map((raw, i) => {
              const it = isObj(raw) ? raw : {};
              return (
                <li key={i}>
                  <div className="strong">{str(it.title)}</div>
                  {str(it.description) && <div className="mcard-desc">{str(it.description)}</div>}
                  <UrlText url={it.url} />
                </li>
              );
            })}
          </ol>
        </Card>
      );

    case 'calendar':
      return (
        <Card kind="calendar" icon="calendar" title={str(body.title) || label} testId="body-calendar">
          <dl className="kvs">
            <Field label={t('msg.meeting.time')}>{(body.starttime !== undefined || body.endtime !== undefined) && <Span from={body.starttime} to={body.endtime} />}</Field>
            <Field label={t('msg.calendar.creator')}>{str(body.creatorname)}</Field>
            <Field label={t('msg.calendar.attendees')}>{arr(body.attendeename).map(str).filter(Boolean).join('、')}</Field>
            <Field label={t('msg.calendar.place')}>{str(body.place)}</Field>
            <Field label={t('msg.meeting.remarks')}>{str(body.remarks)}</Field>
          </dl>
        </Card>
      );

    case 'meeting_voice_call':
      return (
        <Card kind="voicecall" icon="headset" title={label} testId="body-meeting_voice_call">
          <dl className="kvs">
            <Field label={t('msg.call.ended')}>{body.endtime !== undefined && <Time at={body.endtime} />}</Field>
          </dl>
          {arr(body.demofiledata).length > 0 && (
            <>
              <div className="sub-title">{t('msg.call.demos')}</div>
              <ul className="plain-list">
                {arr(body.demofiledata).map((raw, i) => {
                  const d = isObj(raw) ? raw : {};
                  return (
                    <li key={i}>
                      <span className="strong">{str(d.filename)}</span> · <Who id={d.demoter} /> · <Span from={d.starttime} to={d.endtime} />
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          {arr(body.sharescreendata).length > 0 && (
            <>
              <div className="sub-title">{t('msg.call.screens')}</div>
              <ul className="plain-list">
                {arr(body.sharescreendata).map((raw, i) => {
                  const d = isObj(raw) ? raw : {};
                  return (
                    <li key={i}>
                      <Who id={d.share} /> · <Span from={d.starttime} to={d.endtime} />
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          <div className="media-meta">
            <MediaStatus item={item} />
            {item?.size != null && <span className="muted small">{formatBytes(item.size)}</span>}
          </div>
          {item && item.status !== 'missing' && <VoicePlayer item={item} seconds={null} />}
        </Card>
      );

    case 'sphfeed': {
      const ft = FEED[str(body.feed_type)];
      return (
        <Card kind="sphfeed" icon="play" title={str(body.sph_name) || label} testId="body-sphfeed">
          {str(body.feed_desc) && <p className="mcard-desc">{str(body.feed_desc)}</p>}
          {ft && <p className="muted small">{t(ft)}</p>}
        </Card>
      );
    }

    case 'voiptext': {
      const it = INVITE[str(body.invitetype)];
      return (
        <Card kind="voiptext" icon="phone" title={it ? t(it) : label} testId="body-voiptext">
          <dl className="kvs">
            <Field label={t('msg.call.duration')} mono>
              {formatSeconds(body.callduration) ?? ''}
            </Field>
          </dl>
        </Card>
      );
    }

    case 'qydiskfile':
      return (
        <Card kind="file" icon="cloud" title={<span data-testid="file-name">{str(body.filename) || label}</span>} testId="body-qydiskfile">
          <p className="muted small">{label}</p>
        </Card>
      );

    case 'meeting_notification':
      return (
        <Card kind="notification" icon="bell" title={label} testId="body-meeting_notification">
          <p className="msg-body-text">{str(body.content)}</p>
          <dl className="kvs">
            <Field label={t('msg.meeting.id')} mono>
              <IdText value={body.meeting_id} />
            </Field>
            <Field label={t('msg.notification.type')} mono>
              {str(body.notification_type)}
            </Field>
          </dl>
        </Card>
      );

    default: {
      // an unknown type (or a known one inside a chatrecord we cannot place): show what is there
      if (isKnownType(msgtype) && depth > 0 && str(body.content)) return <p className="msg-body-text">{str(body.content)}</p>;
      return (
        <Card kind="unknown" icon="question" title={<span data-testid="unknown-type">{typeLabel(msgtype || '—', lang)}</span>} testId="body-unknown">
          <p className="muted small">{t('msg.unknownHint')}</p>
          <Raw value={depth > 0 ? body : (record ?? body)} />
        </Card>
      );
    }
  }
}

export { Raw };

function fileBadge(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  if (['xls', 'xlsx', 'csv'].includes(ext)) return 'XLS';
  if (['doc', 'docx'].includes(ext)) return 'DOC';
  if (['ppt', 'pptx'].includes(ext)) return 'PPT';
  if (ext === 'pdf') return 'PDF';
  if (['zip', 'rar', '7z'].includes(ext)) return 'ZIP';
  return 'FILE';
}
