/**
 * Who is who, for every screen of an open store: the staff roster, the contact list and the
 * branch tree (people.*), and the whole conversation list (loaded on first need, since it may
 * hold 100k rows). `invalidate()` after an import makes every consumer reload.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiError, BranchNode, ContactRow, ConversationRow, Party, StaffRow } from '../../preload/api.js';
import { call, errorOf } from '../platform/client.js';

export type Directory = {
  /** bumps whenever people or the archive changed */
  version: number;
  staff: Map<string, StaffRow>;
  contacts: Map<string, ContactRow>;
  staffList: StaffRow[];
  contactList: ContactRow[];
  branches: BranchNode[];
  peopleLoaded: boolean;
  error: ApiError | null;
  /** the unfiltered conversation list; null until loadConversations() resolves */
  conversations: ConversationRow[] | null;
  conversationsById: Map<number, ConversationRow>;
  loadConversations(): Promise<ConversationRow[]>;
  invalidate(): void;
  /** a person's name for an id (staff, then contact name or remark), else the id itself */
  nameOf(id: string): string;
};

const EMPTY: Directory = {
  version: 0,
  staff: new Map(),
  contacts: new Map(),
  staffList: [],
  contactList: [],
  branches: [],
  peopleLoaded: false,
  error: null,
  conversations: null,
  conversationsById: new Map(),
  loadConversations: async () => [],
  invalidate: () => {},
  nameOf: (id) => id,
};

const Ctx = createContext<Directory>(EMPTY);

export function DirectoryProvider({ children }: { children: ReactNode }) {
  const [version, setVersion] = useState(0);
  const [staffList, setStaffList] = useState<StaffRow[]>([]);
  const [contactList, setContactList] = useState<ContactRow[]>([]);
  const [branches, setBranches] = useState<BranchNode[]>([]);
  const [peopleLoaded, setPeopleLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [conversations, setConversations] = useState<ConversationRow[] | null>(null);
  const pending = useRef<{ version: number; promise: Promise<ConversationRow[]> } | null>(null);
  const versionRef = useRef(version);
  versionRef.current = version;

  useEffect(() => {
    let stale = false;
    Promise.all([call('people.list', { kind: 'staff' }), call('people.list', { kind: 'contacts' }), call('people.branches', {})])
      .then(([s, c, b]) => {
        if (stale) return;
        setStaffList(s as StaffRow[]);
        setContactList(c as ContactRow[]);
        setBranches(b);
        setPeopleLoaded(true);
        setError(null);
      })
      .catch((e: unknown) => !stale && setError(errorOf(e)));
    return () => {
      stale = true;
    };
  }, [version]);

  const loadConversations = useCallback(() => {
    const v = versionRef.current;
    if (pending.current && pending.current.version === v) return pending.current.promise;
    const promise = call('conversations.list', {}).then((rows) => {
      if (versionRef.current === v) setConversations(rows);
      return rows;
    });
    promise.catch(() => {
      if (pending.current?.promise === promise) pending.current = null;
    });
    pending.current = { version: v, promise };
    return promise;
  }, []);

  const invalidate = useCallback(() => {
    pending.current = null;
    setConversations(null);
    setVersion((n) => n + 1);
  }, []);

  const value = useMemo<Directory>(() => {
    const staff = new Map(staffList.map((s) => [s.userid, s]));
    const contacts = new Map(contactList.map((c) => [c.id, c]));
    const conversationsById = new Map((conversations ?? []).map((c) => [c.id, c]));
    return {
      version,
      staff,
      contacts,
      staffList,
      contactList,
      branches,
      peopleLoaded,
      error,
      conversations,
      conversationsById,
      loadConversations,
      invalidate,
      nameOf: (id: string) => staff.get(id)?.name || contacts.get(id)?.name || contacts.get(id)?.remark || id,
    };
  }, [version, staffList, contactList, branches, peopleLoaded, error, conversations, loadConversations, invalidate]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useDirectory(): Directory {
  return useContext(Ctx);
}

/** "南京分行 · 河西支行" for staff, the remark for a contact, '' otherwise. */
export function partyDetail(p: Party | null | undefined): string {
  if (!p) return '';
  if (p.kind === 'staff') return [p.branch, p.subBranch].filter(Boolean).join(' · ');
  if (p.kind === 'contact') return p.remark && p.remark !== p.name ? p.remark : '';
  return '';
}

/** Whether a party's name is only its id (no roster or contact-list entry). */
export function isBareId(p: Party): boolean {
  return p.name === p.id;
}

/**
 * A party's name for display. Robots and people missing from the lists have only an id; a long
 * one is cut to its tail (the full id stays in the tooltip and the raw record).
 */
export function displayName(p: Party, robotLabel: string): string {
  if (p.name !== p.id) return p.name;
  const tail = p.id.length > 16 ? `…${p.id.slice(-8)}` : p.id;
  return p.kind === 'robot' ? `${robotLabel} ${tail}` : tail;
}
