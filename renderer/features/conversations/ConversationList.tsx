/** The conversation list: fixed-height rows in a virtual list, so 100k conversations scroll as 20. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { ConversationRow } from '../../../preload/api.js';
import { conversationTitle } from '../../shared/conversation.js';
import { partyDetail } from '../../shared/directory.js';
import { beijingTime, formatCount } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';

const ROW_HEIGHT = 78;

export function ConversationList({ rows, selected, onSelect }: { rows: ConversationRow[]; selected: number | null; onSelect: (row: ConversationRow) => void }) {
  const { t, lang } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  // a new list (other filters): back to its top
  const firstRows = useRef(true);
  useEffect(() => {
    if (firstRows.current) {
      firstRows.current = false;
      return;
    }
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [rows]);

  // keep the chosen conversation in view when it is chosen from elsewhere (a search jump)
  useEffect(() => {
    if (selected === null) return;
    const i = rows.findIndex((r) => r.id === selected);
    if (i >= 0) v.scrollToIndex(i, { align: 'auto' });
    // rows change identity on every filter; only react to the selection
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const i = rows.findIndex((r) => r.id === selected);
    const next = rows[Math.max(0, Math.min(rows.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      onSelect(next);
      v.scrollToIndex(rows.indexOf(next), { align: 'auto' });
    }
  }

  return (
    <div ref={scrollRef} className="conv-scroll" role="listbox" aria-label={t('conv.list')} tabIndex={0} onKeyDown={onKey} data-testid="conv-list">
      <div className="conv-inner" style={{ height: v.getTotalSize() }}>
        {v.getVirtualItems().map((it) => {
          const r = rows[it.index];
          if (!r) return null;
          const title = conversationTitle(r, lang);
          const staffDetail = partyDetail(r.staff);
          const contactDetail = r.kind === 'single' ? partyDetail(r.contact) : '';
          return (
            <div
              key={r.id}
              role="option"
              aria-selected={selected === r.id}
              className={`conv-row ${selected === r.id ? 'selected' : ''}`}
              style={{ height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
              onClick={() => onSelect(r)}
              data-testid="conv-row"
              data-index={it.index}
              data-conversation={r.id}
              title={r.kind === 'group' ? r.roomid : r.parties.map((p) => `${p.name} (${p.id})`).join(' ↔ ')}
            >
              <div className="conv-line1">
                <span className={`kind-dot kind-${r.kind}`} aria-label={t(r.kind === 'group' ? 'conv.group' : 'conv.single')}>
                  {t(r.kind === 'group' ? 'conv.groupShort' : 'conv.singleShort')}
                </span>
                <span className="conv-title" data-testid="conv-title">
                  {title}
                </span>
                <span className="conv-count" title={t('conv.messages', { n: formatCount(r.messageCount, lang) })}>
                  {formatCount(r.messageCount, lang)}
                </span>
              </div>
              <div className="conv-line2">
                {r.kind === 'group' ? (
                  <span className="muted">{t('conv.groupHint')}</span>
                ) : (
                  <>
                    {staffDetail && <span className="conv-branch">{staffDetail}</span>}
                    {contactDetail && <span className="conv-remark">{contactDetail}</span>}
                    {!staffDetail && !contactDetail && <span className="muted">—</span>}
                  </>
                )}
              </div>
              <div className="conv-line3 mono">{beijingTime(r.lastTime) ?? t('msg.timeUnknown')}</div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
