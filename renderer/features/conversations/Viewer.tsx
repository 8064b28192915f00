/**
 * One conversation, as a chat: staff on the right, customers on the left, system notices in the
 * middle. A virtual list over the whole conversation (the total is known from the first window),
 * so a 100k-message conversation opens at once; windows load by position as they scroll in.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationRow, Party, ViewMessage } from '../../../preload/api.js';
import { ErrorAlert } from '../../shared/components.js';
import { orderedParties } from '../../shared/conversation.js';
import { displayName, partyDetail, useDirectory } from '../../shared/directory.js';
import { beijingDate, beijingTime, formatCount } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import { Icon } from '../../shared/icons.js';
import { typeLabel } from '../../shared/msgTypes.js';
import { MessageBody, Raw, bodyOf, str } from './MessageBody.js';
import { useMessageWindows } from './useWindows.js';

export type JumpTarget = { conversation: number; index: number; msgid: string; nonce: number };

const WEEKDAYS_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function Viewer({ row, target, title }: { row: ConversationRow; target: JumpTarget | null; title: string }) {
  const { t, lang } = useI18n();
  const initial = target && target.conversation === row.id ? target.index : null;
  const w = useMessageWindows(row.id, initial);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [highlight, setHighlight] = useState<string | null>(initial !== null && target ? target.msgid : null);
  const v = useVirtualizer({
    // nothing until the window around the anchor is in, so the list never flashes the oldest messages first
    count: w.ready ? (w.total ?? 0) : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 96,
    overscan: 6,
  });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? -1;
  const last = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (first >= 0) w.ensure(first, last);
  }, [first, last, w.ensure]);

  // first position: the located message (centred), else the newest message
  const anchored = useRef(false);
  useEffect(() => {
    if (!w.ready || anchored.current) return;
    anchored.current = true;
    if (w.anchor !== null) v.scrollToIndex(w.anchor, { align: initial !== null ? 'center' : 'end' });
  }, [w.ready, w.anchor, initial, v]);

  // a later jump into this same conversation
  const nonce = target && target.conversation === row.id ? target.nonce : null;
  useEffect(() => {
    if (nonce === null || !target) return;
    setHighlight(target.msgid);
    if (anchored.current && w.total !== null) v.scrollToIndex(Math.min(target.index, w.total - 1), { align: 'center' });
    // only when a new jump arrives
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nonce]);

  // who is in a group: everyone the visible messages went from or to
  const members = useMemo(() => {
    if (row.kind !== 'group') return [];
    const ids = new Set<string>();
    for (let i = Math.max(0, first); i <= last; i++) {
      const m = w.get(i);
      if (!m) continue;
      if (m.from.id) ids.add(m.from.id);
      for (const id of m.tolist) ids.add(id);
    }
    return [...ids];
  }, [row.kind, first, last, w.tick, w.get]);
  const dirForMembers = useDirectory();
  const memberNames = useMemo(() => {
    const rank = (id: string) => (dirForMembers.staff.has(id) ? 0 : dirForMembers.contacts.has(id) ? 1 : /^wb/.test(id) ? 3 : 2);
    return [...members]
      .sort((a, b) => rank(a) - rank(b) || dirForMembers.nameOf(a).localeCompare(dirForMembers.nameOf(b), 'zh-CN'))
      .map((id) => {
        const name = dirForMembers.nameOf(id);
        if (name !== id) return name;
        const tail = id.length > 16 ? `…${id.slice(-8)}` : id;
        return rank(id) === 3 ? `${t('party.robot')} ${tail}` : tail;
      });
  }, [members, dirForMembers, t]);

  const fmt = (n: number) => formatCount(n, lang);
  const total = w.total ?? row.messageCount;
  // the messages actually in view (not the overscan) for "第 a–b 条"
  const top = v.scrollOffset ?? 0;
  const height = v.scrollRect?.height ?? 0;
  const inView = items.filter((it) => it.end > top + 1 && it.start < top + height - 1);
  const visFirst = inView[0]?.index ?? first;
  const visLast = inView[inView.length - 1]?.index ?? last;

  return (
    <section className="viewer" data-testid="viewer" data-conversation={row.id} aria-label={title}>
      <ViewerHead row={row} title={title} members={memberNames} />
      <div className="viewer-toolbar">
        <span className="muted small" data-testid="viewer-position">
          {!w.ready ? t('common.loading') : w.total === 0 ? t('viewer.empty') : t('viewer.position', { a: fmt(visFirst + 1), b: fmt(visLast + 1), n: fmt(total) })}
        </span>
        <span className="toolbar-spacer" />
        <button type="button" className="btn btn-small" disabled={!w.total} onClick={() => v.scrollToIndex(0, { align: 'start' })} data-testid="viewer-first">
          {t('viewer.first')}
        </button>
        <button type="button" className="btn btn-small" disabled={!w.total} onClick={() => v.scrollToIndex(Math.max(0, total - 1), { align: 'end' })} data-testid="viewer-last">
          {t('viewer.last')}
        </button>
      </div>
      <ErrorAlert error={w.error} />
      <div
        ref={scrollRef}
        className="viewer-scroll"
        tabIndex={0}
        data-testid="viewer-scroll"
        // the person takes over: stop steering toward the anchor (which moves as heights are measured)
        onPointerDown={() => v.cancelScroll()}
        onWheel={() => v.cancelScroll()}
        onKeyDown={() => v.cancelScroll()}
        onTouchStart={() => v.cancelScroll()}
      >
        <div className="viewer-inner" style={{ height: v.getTotalSize() }}>
          {items.map((it) => {
            const m = w.get(it.index);
            return (
              <div key={it.key} data-index={it.index} ref={v.measureElement} className="viewer-item" style={{ transform: `translateY(${it.start}px)` }}>
                {m ? <MessageRow m={m} prev={it.index > 0 ? w.get(it.index - 1) : null} index={it.index} highlighted={m.msgid === highlight} /> : <Placeholder />}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function ViewerHead({ row, title, members }: { row: ConversationRow; title: string; members: string[] }) {
  const { t, lang } = useI18n();
  const dir = useDirectory();
  const parties = orderedParties(row);
  return (
    <header className="viewer-head">
      <div className="viewer-title-row">
        <h2 className="viewer-title" data-testid="viewer-title">
          {title}
        </h2>
        <span className={`kind-badge kind-${row.kind}`}>{t(row.kind === 'group' ? 'conv.group' : row.kind === 'single' ? 'conv.single' : 'conv.system')}</span>
        <span className="muted small">{t('conv.messages', { n: formatCount(row.messageCount, lang) })}</span>
      </div>
      <div className="viewer-parties">
        {parties.map((p) => (
          <PartyChip key={p.id} p={p} nameOf={dir.nameOf} />
        ))}
        {row.kind === 'group' && (
          <span className="viewer-room">
            <span className="muted">{t('conv.roomId')}</span> <span className="mono small">{row.roomid}</span>
          </span>
        )}
      </div>
      {row.kind === 'group' && members.length > 0 && (
        <div className="viewer-members small" data-testid="viewer-members">
          <span className="muted">{t('viewer.members')}</span> {members.join('、')}
        </div>
      )}
      <div className="viewer-range small muted">
        {t('viewer.range')} <span className="mono">{beijingTime(row.firstTime) ?? t('msg.timeUnknown')}</span> — <span className="mono">{beijingTime(row.lastTime) ?? t('msg.timeUnknown')}</span>
      </div>
    </header>
  );
}

function PartyChip({ p, nameOf }: { p: Party; nameOf: (id: string) => string }) {
  const { t } = useI18n();
  const detail = partyDetail(p);
  return (
    <span className={`party-chip party-${p.kind}`} title={p.id}>
      <span className="party-role">{t(p.kind === 'staff' ? 'party.staff' : p.kind === 'contact' ? 'party.contact' : p.kind === 'robot' ? 'party.robot' : 'party.unknown')}</span>
      <span className="party-name">{p.name}</span>
      {detail && <span className="party-detail">{detail}</span>}
      {p.kind === 'contact' && p.owner && <span className="party-detail">{t('party.owner', { name: nameOf(p.owner) })}</span>}
    </span>
  );
}

function Placeholder() {
  return (
    <div className="msg-placeholder" aria-hidden="true">
      <span className="ph-line short" />
      <span className="ph-line" />
    </div>
  );
}

const SYSTEM_TYPES = new Set(['revoke', 'agree', 'disagree', 'switch']);

const MessageRow = memo(function MessageRow({ m, prev, index, highlighted }: { m: ViewMessage; prev: ViewMessage | null | undefined; index: number; highlighted: boolean }) {
  const { t, lang } = useI18n();
  const [raw, setRaw] = useState(false);
  const day = m.msgtime !== null ? beijingDate(m.msgtime) : null;
  const prevDay = prev ? (prev.msgtime !== null ? beijingDate(prev.msgtime) : null) : undefined;
  const showDay = index === 0 || (prev !== undefined && day !== prevDay);
  const msgtype = m.msgtype || (m.action === 'switch' ? 'switch' : '');
  const common = {
    'data-testid': 'msg',
    'data-msgid': m.msgid,
    'data-index': index,
    'data-msgtype': msgtype,
    'data-highlighted': highlighted ? 'true' : undefined,
  };

  const dayLine = showDay && (
    <div className="day-sep">
      <span>{day ? `${day} ${(lang === 'zh' ? WEEKDAYS_ZH : WEEKDAYS_EN)[new Date(`${day}T00:00:00Z`).getUTCDay()]}` : t('msg.timeUnknown')}</span>
    </div>
  );
  const time = beijingTime(m.msgtime);
  const timeEl = time ? (
    <time className="msg-time mono">{time}</time>
  ) : (
    <span className="msg-time time-unknown" data-testid="time-unknown">
      {t('msg.timeUnknown')}
    </span>
  );

  if (SYSTEM_TYPES.has(msgtype)) {
    return (
      <div className="msg-wrap">
        {dayLine}
        <div className={`msg msg-system sys-${msgtype} ${highlighted ? 'msg-highlight' : ''}`} {...common}>
          <SystemNotice m={m} msgtype={msgtype} />
          <div className="sys-meta">
            {timeEl}
            <button type="button" className="raw-toggle" onClick={() => setRaw((r) => !r)} aria-pressed={raw} title={t('msg.raw')}>
              {'{ }'}
            </button>
          </div>
          {raw && <Raw value={m.body} />}
        </div>
      </div>
    );
  }

  const side = m.from.kind === 'staff' ? 'right' : 'left';
  const detail = partyDetail(m.from);
  const body = bodyOf(m.body, msgtype);
  return (
    <div className="msg-wrap">
      {dayLine}
      <div className={`msg msg-${side} from-${m.from.kind} ${m.recalledBy ? 'msg-recalled' : ''} ${highlighted ? 'msg-highlight' : ''}`} {...common}>
        <div className={`avatar avatar-${m.from.kind}`} aria-hidden="true">
          {m.from.kind === 'robot' ? 'B' : initialOf(m.from.name)}
        </div>
        <div className="msg-main">
          <div className="msg-head">
            <span className="msg-sender" title={m.from.id} data-testid="msg-sender">
              {displayName(m.from, t('party.robot'))}
            </span>
            {detail && <span className="msg-detail">{detail}</span>}
            {m.from.kind === 'contact' && <span className="party-tag">{t('party.contact')}</span>}
            {m.from.kind === 'robot' && <span className="party-tag">{t('party.robot')}</span>}
            {timeEl}
            {msgtype !== 'text' && <span className={`type-tag type-${msgtype.replace(/[^a-z_]/g, '')}`}>{typeLabel(msgtype, lang)}</span>}
            <button type="button" className="raw-toggle" onClick={() => setRaw((r) => !r)} aria-pressed={raw} title={t('msg.raw')}>
              {'{ }'}
            </button>
          </div>
          <div className={`bubble bubble-${msgtype === 'text' ? 'text' : 'card'}`}>
            <MessageBody msgtype={msgtype} body={body} record={m.body} media={m.media} />
          </div>
          {m.recalledBy && (
            <div className="recall-mark" data-testid="recalled-mark">
              <Icon name="alert" size={14} />
              {t('msg.recalledAt', { time: beijingTime(m.recalledBy.msgtime) ?? t('msg.timeUnknown') })}
            </div>
          )}
          {raw && <Raw value={m.body} />}
        </div>
      </div>
    </div>
  );
});

function SystemNotice({ m, msgtype }: { m: ViewMessage; msgtype: string }) {
  const { t, lang } = useI18n();
  const dir = useDirectory();
  const who = m.from.name || t('party.unknown');
  switch (msgtype) {
    case 'revoke': {
      const r = m.recallOf;
      return (
        <div className="sys-body" data-testid="revoke-notice">
          <div className="sys-line">
            <Icon name="alert" size={14} />
            <span>{t('msg.revoked', { name: who })}</span>
          </div>
          {r && r.found ? (
            <div className="recall-original">
              <span className="recall-label">{t('msg.originalText')}</span>
              <span className="recall-text" data-testid="recall-original">
                {r.text || typeLabel(r.msgtype ?? '', lang)}
              </span>
              <span className="muted small">
                {typeLabel(r.msgtype ?? '', lang)} · {beijingTime(r.msgtime) ?? t('msg.timeUnknown')}
              </span>
            </div>
          ) : (
            <div className="recall-original missing">
              {t('msg.originalMissing')} <span className="mono small">{r?.msgid || '—'}</span>
            </div>
          )}
        </div>
      );
    }
    case 'agree':
    case 'disagree': {
      const b = bodyOf(m.body, msgtype);
      const person = str(b.userid) ? dir.nameOf(str(b.userid)) : who;
      const at = beijingTime(Number(b[msgtype === 'agree' ? 'agree_time' : 'disagree_time']) || null);
      return (
        <div className={`sys-body consent consent-${msgtype}`} data-testid={`consent-${msgtype}`}>
          <div className="sys-line">
            <Icon name={msgtype === 'agree' ? 'check' : 'alert'} size={14} />
            <span>{t(msgtype === 'agree' ? 'msg.agreed' : 'msg.disagreed', { name: person })}</span>
          </div>
          {at && <div className="muted small">{t('msg.consentAt', { time: at })}</div>}
        </div>
      );
    }
    case 'switch': {
      const b = bodyOf(m.body, 'switch');
      const user = str(b.user) || m.from.id;
      return (
        <div className="sys-body" data-testid="switch-notice">
          <div className="sys-line">
            <span>{t('msg.switched', { name: user ? dir.nameOf(user) : who })}</span>
          </div>
        </div>
      );
    }
    default:
      return null;
  }
}

function initialOf(name: string): string {
  const s = name.trim();
  if (!s) return '?';
  // Chinese names: the family name; latin: the first letter; ids: their first character
  return Array.from(s)[0]!.toUpperCase();
}
