/**
 * The fuzzy text filter over the conversation list, with fuse.js. On a large list Fuse costs
 * seconds, so it runs in slices (a Fuse per chunk of rows, one chunk per task) and never freezes
 * the window: exact substring matches show at once, the fuzzy ranking replaces them when done.
 */
import Fuse, { type IFuseOptions } from 'fuse.js';
import { useEffect, useRef, useState } from 'react';
import type { ConversationRow } from '../../../preload/api.js';
import { conversationTitle } from '../../shared/conversation.js';
import { partyDetail } from '../../shared/directory.js';
import type { Lang } from '../../shared/i18n.js';

type Doc = { title: string; details: string; ids: string };

const OPTIONS: IFuseOptions<Doc> = {
  keys: [
    { name: 'title', weight: 2 },
    { name: 'details', weight: 1 },
    { name: 'ids', weight: 1 },
  ],
  threshold: 0.32,
  ignoreLocation: true,
  includeScore: true,
};
/** rows per Fuse instance: about 50–150 ms of work per slice on an office PC */
const CHUNK = 4000;

function docOf(r: ConversationRow, lang: Lang): Doc {
  return {
    title: conversationTitle(r, lang),
    details: r.parties
      .map(partyDetail)
      .filter(Boolean)
      .join(' '),
    ids: [r.roomid, ...r.parties.map((p) => p.id)].filter(Boolean).join(' '),
  };
}

export type Fuzzy = { rows: ConversationRow[] | null; pending: boolean; progress: number };

const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function useFuzzy(rows: ConversationRow[] | null, query: string, lang: Lang): Fuzzy {
  const [state, setState] = useState<Fuzzy>({ rows, pending: false, progress: 1 });
  // per list: its documents and the Fuse of each chunk, built on first use
  const built = useRef<{ rows: ConversationRow[]; lang: Lang; docs: Doc[]; hay: string[]; fuses: (Fuse<Doc> | null)[] } | null>(null);

  useEffect(() => {
    if (!rows || !query) {
      setState({ rows, pending: false, progress: 1 });
      return;
    }
    let cancelled = false;
    void (async () => {
      if (!built.current || built.current.rows !== rows || built.current.lang !== lang) {
        // the documents, a chunk per task on a large list
        const docs: Doc[] = [];
        const hay: string[] = [];
        for (let start = 0; start < rows.length; start += CHUNK) {
          if (start > 0) await yieldToBrowser();
          if (cancelled) return;
          for (const r of rows.slice(start, start + CHUNK)) {
            const d = docOf(r, lang);
            docs.push(d);
            hay.push(`${d.title}\n${d.details}\n${d.ids}`.toLowerCase());
          }
        }
        built.current = { rows, lang, docs, hay, fuses: new Array(Math.ceil(rows.length / CHUNK)).fill(null) };
      }
      const b = built.current;
      const q = query.toLowerCase();
      // at once: the rows that contain the text as it is
      const exact: ConversationRow[] = [];
      for (let i = 0; i < b.hay.length; i++) if (b.hay[i]!.includes(q)) exact.push(rows[i]!);
      const chunks = b.fuses.length;
      if (chunks > 1) setState({ rows: exact, pending: true, progress: 0 });
      // then: Fuse, chunk by chunk
      const hits: { i: number; score: number }[] = [];
      for (let c = 0; c < chunks; c++) {
        if (chunks > 1) await yieldToBrowser();
        if (cancelled) return;
        let fuse = b.fuses[c];
        if (!fuse) {
          fuse = new Fuse(b.docs.slice(c * CHUNK, (c + 1) * CHUNK), OPTIONS);
          b.fuses[c] = fuse;
        }
        for (const r of fuse.search(query)) hits.push({ i: c * CHUNK + r.refIndex, score: r.score ?? 1 });
        if (chunks > 1 && c % 4 === 3) setState((s) => ({ ...s, progress: (c + 1) / chunks }));
      }
      if (cancelled) return;
      hits.sort((a, b2) => a.score - b2.score || a.i - b2.i);
      setState({ rows: hits.map((h) => rows[h.i]!), pending: false, progress: 1 });
    })();
    return () => {
      cancelled = true;
    };
  }, [rows, query, lang]);

  // no text: the list itself, without waiting for the effect
  return query && rows ? state : { rows, pending: false, progress: 1 };
}
