/**
 * The messages of one conversation, fetched in windows by position (conversations.messages with
 * offset/limit) as the virtual list asks for them. The total is known from the first answer, so
 * the list has its full height at once; only windows near the visible range stay in memory.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ViewMessage } from '../../../preload/api.js';
import { call, errorOf } from '../../platform/client.js';

export const PAGE = 100;
/** windows kept in memory (x PAGE messages); the farthest from the visible range go first */
const KEEP_PAGES = 40;

export type Windows = {
  conversation: number;
  total: number | null;
  /** true once the total and the window around the anchor are in */
  ready: boolean;
  /** the index the list should first show (the anchor, or the last message) */
  anchor: number | null;
  get(index: number): ViewMessage | undefined;
  ensure(first: number, last: number): void;
  error: ApiError | null;
  /** changes whenever a window arrives (for memo dependencies) */
  tick: number;
};

export function useMessageWindows(conversation: number, initialIndex: number | null): Windows {
  const pages = useRef(new Map<number, ViewMessage[]>());
  const inflight = useRef(new Set<number>());
  const center = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [anchor, setAnchor] = useState<number | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  /** one generation per opened conversation: answers for an older one are dropped */
  const gen = useRef(0);

  const evict = useCallback(() => {
    if (pages.current.size <= KEEP_PAGES) return;
    const c = center.current;
    const far = [...pages.current.keys()].sort((a, b) => Math.abs(b - c) - Math.abs(a - c));
    for (const p of far.slice(0, pages.current.size - KEEP_PAGES)) pages.current.delete(p);
  }, []);

  const loadPage = useCallback(
    async (p: number): Promise<number | null> => {
      if (inflight.current.has(p)) return null;
      const g = gen.current;
      const flying = inflight.current;
      flying.add(p);
      try {
        const r = await call('conversations.messages', { conversation, offset: p * PAGE, limit: PAGE });
        if (gen.current !== g) return null;
        pages.current.set(p, r.messages);
        evict();
        setTotal(r.total);
        setTick((n) => n + 1);
        return r.total;
      } catch (e) {
        if (gen.current === g) setError(errorOf(e));
        return null;
      } finally {
        flying.delete(p);
      }
    },
    [conversation, evict],
  );

  // first: the window of the anchor (a located message), else page 0 for the total and then the last window
  useEffect(() => {
    const g = ++gen.current;
    const alive = () => gen.current === g;
    pages.current = new Map();
    inflight.current = new Set();
    setTotal(null);
    setReady(false);
    setError(null);
    void (async () => {
      const first = initialIndex !== null ? Math.floor(initialIndex / PAGE) : 0;
      const n = await loadPage(first);
      if (n === null || !alive()) return;
      let target = initialIndex !== null ? Math.min(initialIndex, Math.max(0, n - 1)) : Math.max(0, n - 1);
      const lastPage = Math.floor(target / PAGE);
      if (!pages.current.has(lastPage)) await loadPage(lastPage);
      if (!alive()) return;
      // the window before the anchor too, so the list above it has real heights
      if (target % PAGE < 20 && lastPage > 0 && !pages.current.has(lastPage - 1)) await loadPage(lastPage - 1);
      if (!alive()) return;
      center.current = lastPage;
      target = Math.max(0, target);
      setAnchor(n > 0 ? target : null);
      setReady(true);
    })();
    return () => {
      gen.current++;
    };
    // initialIndex only matters for the first load of this conversation
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conversation, loadPage]);

  const ensure = useCallback(
    (first: number, last: number) => {
      if (first < 0 || last < first) return;
      const a = Math.floor(first / PAGE);
      const b = Math.floor(last / PAGE);
      center.current = Math.floor((a + b) / 2);
      for (let p = a; p <= b; p++) if (!pages.current.has(p)) void loadPage(p);
    },
    [loadPage],
  );

  const get = useCallback((index: number) => (index < 0 ? undefined : pages.current.get(Math.floor(index / PAGE))?.[index % PAGE]), []);

  return { conversation, total, ready, anchor, get, ensure, error, tick };
}
