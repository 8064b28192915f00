/**
 * The screens of an open store behind a left navigation. Screens mount on first visit and then
 * stay mounted (hidden), so a running import, a scrolled conversation or a search page survive a
 * look elsewhere. Search results jump into the conversation viewer through here (features never
 * import each other).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, AppInfo, HitFilter, Settings, StoreInfo } from '../../preload/api.js';
import { ConversationsScreen, type JumpTarget } from '../features/conversations/ConversationsScreen.js';
import { ImportScreen } from '../features/import/ImportScreen.js';
import { Overview } from '../features/overview/Overview.js';
import { PeopleScreen } from '../features/people/PeopleScreen.js';
import { SearchScreen, type LocatedHit } from '../features/search/SearchScreen.js';
import { SettingsScreen } from '../features/settings/SettingsScreen.js';
import { HitsScreen, type HitsPreset } from '../features/hits/HitsScreen.js';
import { DashboardScreen } from '../features/dashboard/DashboardScreen.js';
import { SchedulesScreen } from '../features/schedules/SchedulesScreen.js';
import { DictionaryScreen } from '../features/dictionary/DictionaryScreen.js';
import { CasesScreen } from '../features/cases/CasesScreen.js';
import { UsersScreen } from '../features/users/UsersScreen.js';
import { AuditScreen, VerifyScreen } from '../features/audit/AuditScreen.js';
import { call } from '../platform/client.js';
import { ErrorAlert } from '../shared/components.js';
import { useDirectory } from '../shared/directory.js';
import { useI18n } from '../shared/i18n.js';
import { Icon, type IconName } from '../shared/icons.js';
import type { MessageKey } from '../shared/messages.js';
import { ROLE_KEYS, useSession } from '../shared/session.js';
import { useIdleLock } from './useIdleLock.js';

export type Screen = 'import' | 'overview' | 'dashboard' | 'conversations' | 'search' | 'people' | 'hits' | 'dictionary' | 'cases' | 'schedules' | 'users' | 'audit' | 'verify' | 'settings';

const NAV: { id: Screen; label: MessageKey; icon: IconName }[] = [
  { id: 'import', label: 'nav.import', icon: 'import' },
  { id: 'overview', label: 'nav.overview', icon: 'overview' },
  { id: 'dashboard', label: 'nav.dashboard', icon: 'chart' },
  { id: 'conversations', label: 'nav.conversations', icon: 'chat' },
  { id: 'search', label: 'nav.search', icon: 'search' },
  { id: 'people', label: 'nav.people', icon: 'people' },
  { id: 'hits', label: 'nav.hits', icon: 'flag' },
  { id: 'cases', label: 'nav.cases', icon: 'folder' },
  { id: 'dictionary', label: 'nav.dictionary', icon: 'book' },
  { id: 'schedules', label: 'nav.schedules', icon: 'clock' },
  { id: 'users', label: 'nav.users', icon: 'user' },
  { id: 'audit', label: 'nav.audit', icon: 'list' },
  { id: 'verify', label: 'nav.verify', icon: 'shield' },
  { id: 'settings', label: 'nav.settings', icon: 'settings' },
];

export function Workspace({
  info,
  store,
  initial,
  importing,
  onImportingChange,
  onIdle,
  error,
  onCloseError,
}: {
  info: AppInfo;
  store: StoreInfo;
  initial: Screen;
  importing: boolean;
  onImportingChange: (running: boolean) => void;
  onIdle: (minutes: number) => void;
  error: ApiError | null;
  onCloseError: () => void;
}) {
  const { t } = useI18n();
  const dir = useDirectory();
  const session = useSession();
  const [screen, setScreenState] = useState<Screen>(initial);
  const [visited, setVisited] = useState<Set<Screen>>(() => new Set([initial]));
  const [settings, setSettings] = useState<Settings | null>(null);
  const [jump, setJump] = useState<JumpTarget | null>(null);
  const nonce = useRef(0);

  const go = useCallback((s: Screen) => {
    setScreenState(s);
    setVisited((v) => (v.has(s) ? v : new Set(v).add(s)));
  }, []);

  useEffect(() => {
    call('settings.get', {})
      .then(setSettings)
      .catch(() => setSettings({ idleLockMinutes: 15 }));
  }, []);

  useIdleLock(settings?.idleLockMinutes ?? null, importing, () => onIdle(settings?.idleLockMinutes ?? 0));

  // when an import ends, everything derived from the archive is stale
  const wasImporting = useRef(false);
  const importingChanged = useCallback(
    (running: boolean) => {
      if (wasImporting.current && !running) dir.invalidate();
      wasImporting.current = running;
      onImportingChange(running);
    },
    [dir.invalidate, onImportingChange],
  );

  const openHit = useCallback(
    (hit: LocatedHit) => {
      nonce.current += 1;
      setJump({ ...hit, nonce: nonce.current });
      go('conversations');
    },
    [go],
  );

  const [caseFocus, setCaseFocus] = useState<{ id: number; nonce: number } | null>(null);
  const openCase = useCallback(
    (id: number) => {
      nonce.current += 1;
      setCaseFocus({ id, nonce: nonce.current });
      go('cases');
    },
    [go],
  );

  // a dashboard chart opens the hits screen filtered as the chart counted
  const [hitsPreset, setHitsPreset] = useState<HitsPreset | null>(null);
  const openHits = useCallback(
    (filter: HitFilter) => {
      nonce.current += 1;
      setHitsPreset({ filter, nonce: nonce.current });
      go('hits');
    },
    [go],
  );

  const show = (s: Screen) => visited.has(s) || screen === s;

  return (
    <div className="shell">
      <nav className="sidenav" aria-label={t('nav.main')}>
        {NAV.map((n) => (
          <button
            key={n.id}
            type="button"
            className={`sidenav-item ${screen === n.id ? 'active' : ''}`}
            aria-current={screen === n.id ? 'page' : undefined}
            onClick={() => go(n.id)}
            data-testid={`nav-${n.id}`}
          >
            <Icon name={n.icon} size={18} />
            <span>{t(n.label)}</span>
          </button>
        ))}
        <div className="sidenav-foot small">
          {session.who && (
            <div className="sidenav-role" data-testid="nav-role" data-role={session.who.role}>
              {t(ROLE_KEYS[session.who.role])}
              {session.who.branch ? ` · ${session.who.branch}` : ''}
            </div>
          )}
          {settings && settings.idleLockMinutes > 0 ? t('idle.footer', { n: settings.idleLockMinutes }) : settings ? t('idle.footerOff') : ''}
        </div>
      </nav>
      <main className={`content ${screen === 'conversations' ? 'content-fill' : ''}`}>
        <ErrorAlert error={error} onClose={onCloseError} />
        {/* Import and overview stay mounted, so a running import keeps its progress when you look elsewhere. */}
        <div hidden={screen !== 'import'}>
          <ImportScreen info={info} onRunningChange={importingChanged} onShowOverview={() => go('overview')} />
        </div>
        <div hidden={screen !== 'overview'}>
          <Overview active={screen === 'overview'} />
        </div>
        {show('dashboard') && (
          <div hidden={screen !== 'dashboard'}>
            <DashboardScreen active={screen === 'dashboard'} onOpenHits={openHits} onOpenCases={() => go('cases')} onImport={() => go('import')} />
          </div>
        )}
        {show('conversations') && (
          <div hidden={screen !== 'conversations'} className="fill">
            <ConversationsScreen active={screen === 'conversations'} jump={jump} />
          </div>
        )}
        {show('search') && (
          <div hidden={screen !== 'search'}>
            <SearchScreen active={screen === 'search'} onOpen={openHit} />
          </div>
        )}
        {show('people') && (
          <div hidden={screen !== 'people'}>
            <PeopleScreen info={info} active={screen === 'people'} />
          </div>
        )}
        {show('hits') && (
          <div hidden={screen !== 'hits'}>
            <HitsScreen active={screen === 'hits'} onOpen={openHit} onCaseCreated={openCase} preset={hitsPreset} />
          </div>
        )}
        {show('cases') && (
          <div hidden={screen !== 'cases'}>
            <CasesScreen active={screen === 'cases'} focus={caseFocus} />
          </div>
        )}
        {show('dictionary') && (
          <div hidden={screen !== 'dictionary'}>
            <DictionaryScreen active={screen === 'dictionary'} />
          </div>
        )}
        {show('schedules') && (
          <div hidden={screen !== 'schedules'}>
            <SchedulesScreen active={screen === 'schedules'} />
          </div>
        )}
        {show('users') && (
          <div hidden={screen !== 'users'}>
            <UsersScreen active={screen === 'users'} />
          </div>
        )}
        {show('audit') && (
          <div hidden={screen !== 'audit'}>
            <AuditScreen active={screen === 'audit'} />
          </div>
        )}
        {show('verify') && (
          <div hidden={screen !== 'verify'}>
            <VerifyScreen />
          </div>
        )}
        {show('settings') && (
          <div hidden={screen !== 'settings'}>
            <SettingsScreen store={store} settings={settings} onSaved={setSettings} />
          </div>
        )}
      </main>
    </div>
  );
}
