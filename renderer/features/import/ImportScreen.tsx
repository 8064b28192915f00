/** Import: choose exports (and a media folder), run the import with live progress, show the summary. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiError, AppInfo, Events, ImportProgress, ImportSummary, In } from '../../../preload/api.js';
import { api, call, errorOf } from '../../platform/client.js';
import { Card, ErrorAlert, ProblemTable, ProgressBar, StatTile, TypeTable } from '../../shared/components.js';
import { basename, formatCount } from '../../shared/format.js';
import { localError, useI18n } from '../../shared/i18n.js';
import { GuardButton } from '../../shared/session.js';

type Phase = 'form' | 'running' | 'done';

function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

export function ImportScreen({ info, onRunningChange, onShowOverview }: { info: AppInfo; onRunningChange: (running: boolean) => void; onShowOverview: () => void }) {
  const { t, lang } = useI18n();
  const [paths, setPaths] = useState('');
  const [mediaDir, setMediaDir] = useState('');
  const [phase, setPhase] = useState<Phase>('form');
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const running = useRef(false);
  // the pipeline's phase (import → search index → scan) and the later phases' progress
  const [stage, setStage] = useState<Events['import.phase']['phase']>('import');
  const [stageProgress, setStageProgress] = useState<{ done: number; total: number } | null>(null);

  useEffect(() => {
    const offs = [
      api.on('import.progress', (p) => {
        if (running.current) setProgress(p);
      }),
      api.on('import.phase', (p) => {
        if (!running.current) return;
        setStage(p.phase);
        setStageProgress(null);
      }),
      api.on('search.indexProgress', (p) => running.current && setStageProgress({ done: p.indexed, total: p.indexed + p.pending })),
      api.on('scan.progress', (p) => running.current && setStageProgress({ done: p.scanned, total: p.total })),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  async function pick(kind: 'files' | 'folder', target: 'paths' | 'media') {
    try {
      const r = await call('shell.pickPaths', { kind, title: target === 'media' ? t('import.media') : t('import.paths') });
      if (!r.paths.length) return;
      if (target === 'media') setMediaDir(r.paths[0] ?? '');
      else setPaths((old) => [...old.split('\n').filter((l) => l.trim()), ...r.paths].join('\n'));
    } catch (e) {
      setError(errorOf(e));
    }
  }

  function fillSamples() {
    setPaths(joinPath(info.samplesDir, 'exports'));
    setMediaDir(joinPath(info.samplesDir, 'media'));
    setError(null);
  }

  async function start(e: FormEvent) {
    e.preventDefault();
    const list = paths
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (!list.length) return setError(localError('import.errNoPaths'));
    const input: In<'import.run'> = { paths: list };
    if (mediaDir.trim()) input.mediaDir = mediaDir.trim();
    setError(null);
    setSummary(null);
    setProgress(null);
    setCancelling(false);
    setStage('import');
    setStageProgress(null);
    setPhase('running');
    running.current = true;
    onRunningChange(true);
    try {
      const s = await call('import.run', input);
      setSummary(s);
      setPhase('done');
    } catch (err) {
      setError(errorOf(err));
      setPhase('form');
    } finally {
      running.current = false;
      onRunningChange(false);
    }
  }

  async function cancel() {
    setCancelling(true);
    try {
      await call('import.cancel', {});
    } catch (e) {
      setError(errorOf(e));
      setCancelling(false);
    }
  }

  const fmt = (n: number) => formatCount(n, lang);

  return (
    <div className="screen" data-testid="import-screen">
      <h1 className="screen-title">{t('import.heading')}</h1>
      <ErrorAlert error={error} onClose={() => setError(null)} />

      {phase === 'form' && (
        <Card>
          <p className="muted intro">{t('import.intro')}</p>
          <form className="form" onSubmit={start} noValidate>
            <div className="field">
              <label htmlFor="import-paths">{t('import.paths')}</label>
              <textarea id="import-paths" className="input mono" rows={4} value={paths} onChange={(e) => setPaths(e.target.value)} placeholder={t('import.pathsPlaceholder')} spellCheck={false} wrap="off" />
              {info.nativeDialogs && (
                <div className="button-row">
                  <button type="button" className="btn" onClick={() => void pick('files', 'paths')}>
                    {t('import.pickFiles')}
                  </button>
                  <button type="button" className="btn" onClick={() => void pick('folder', 'paths')}>
                    {t('import.pickFolder')}
                  </button>
                </div>
              )}
            </div>
            <div className="field">
              <label htmlFor="import-media">{t('import.media')}</label>
              <div className="input-row">
                <input id="import-media" className="input mono" value={mediaDir} onChange={(e) => setMediaDir(e.target.value)} spellCheck={false} autoComplete="off" />
                {info.nativeDialogs && (
                  <button type="button" className="btn" onClick={() => void pick('folder', 'media')}>
                    {t('common.browse')}
                  </button>
                )}
              </div>
              <p className="hint">{t('import.mediaHint')}</p>
            </div>
            <div className="form-actions split">
              <button type="button" className="btn btn-ghost" onClick={fillSamples} title={t('import.samplesHint')} data-testid="fill-samples">
                {t('import.samples')}
              </button>
              <GuardButton method="import.run" type="submit" className="btn btn-primary" data-testid="import-start">
                {t('import.start')}
              </GuardButton>
            </div>
          </form>
        </Card>
      )}

      {phase === 'running' && (
        <Card title={t('import.running')} testId="import-progress">
          <StageSteps stage={stage} progress={stageProgress} />
          {stage !== 'import' ? null : progress ? (
            <>
              <div className="progress-head">
                <span className="badge">{t('import.fileOf', { i: progress.fileIndex + 1, n: progress.fileCount })}</span>
                <span className="progress-file mono" title={progress.file}>
                  {basename(progress.file)}
                </span>
                <span className="progress-pct">{progress.bytesTotal ? Math.min(100, Math.floor((progress.bytesRead / progress.bytesTotal) * 100)) : 0}%</span>
              </div>
              <ProgressBar value={progress.bytesRead} max={progress.bytesTotal} label={t('import.running')} />
              <div className="tiles tiles-4">
                <StatTile label={t('import.read')} value={progress.read} />
                <StatTile label={t('import.imported')} value={progress.imported} tone="ok" />
                <StatTile label={t('import.duplicates')} value={progress.duplicates} tone="muted" />
                <StatTile label={t('import.quarantined')} value={progress.quarantined} tone={progress.quarantined ? 'warn' : undefined} />
              </div>
            </>
          ) : (
            <>
              <p className="muted">{t('import.starting')}</p>
              <ProgressBar value={0} max={1} label={t('import.running')} />
            </>
          )}
          <p className="hint progress-hint">{t('import.batchHint')}</p>
          <div className="form-actions">
            <button type="button" className="btn btn-danger" onClick={() => void cancel()} disabled={cancelling} data-testid="import-cancel">
              {cancelling ? t('import.cancelling') : t('import.cancel')}
            </button>
          </div>
        </Card>
      )}

      {phase === 'done' && summary && (
        <Card
          testId="import-summary"
          className={summary.cancelled || summary.fileErrors.length ? 'card-warn' : 'card-ok'}
          title={<span data-testid="import-status">{summary.cancelled ? t('import.cancelledTitle') : summary.fileErrors.length ? t('import.doneWithErrors') : t('import.doneTitle')}</span>}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setPhase('form')}>
                {t('import.again')}
              </button>
              <button type="button" className="btn btn-primary" onClick={onShowOverview} data-testid="to-overview">
                {t('import.toOverview')}
              </button>
            </>
          }
        >
          <p className="muted">{t('import.took', { files: fmt(summary.files), seconds: (summary.tookMs / 1000).toFixed(1) })}</p>
          <p className="muted" data-testid="sum-pipeline">
            {summary.indexed ? t('import.indexedDone', { n: fmt(summary.indexed.indexed) }) : t('import.indexSkipped')}
            {' · '}
            {summary.scan ? t('import.scanDone', { n: fmt(summary.scan.scanned), hits: fmt(summary.scan.hits) }) : t('import.scanSkipped')}
          </p>
          <div className="tiles tiles-6">
            <StatTile label={t('import.read')} value={summary.read} testId="sum-read" />
            <StatTile label={t('import.imported')} value={summary.imported} tone="ok" testId="sum-imported" />
            <StatTile label={t('import.duplicates')} value={summary.duplicates} tone="muted" testId="sum-duplicates" />
            <StatTile label={t('import.quarantined')} value={summary.quarantined} tone={summary.quarantined ? 'warn' : undefined} testId="sum-quarantined" />
            <StatTile label={t('import.mediaLinked')} value={summary.mediaLinked} testId="sum-media-linked" />
            <StatTile
              label={t('import.mediaMissing')}
              value={summary.mediaMissing}
              tone={summary.mediaMissing || summary.mediaMismatched ? 'warn' : undefined}
              testId="sum-media-missing"
              detail={
                summary.mediaMismatched > 0 && (
                  <span data-testid="sum-media-mismatched" data-value={summary.mediaMismatched}>
                    {t('import.mediaMismatched', { n: fmt(summary.mediaMismatched) })}
                  </span>
                )
              }
            />
          </div>
          <h3 className="section-title">{t('import.byType')}</h3>
          {Object.keys(summary.byType).length ? <TypeTable byType={summary.byType} testId="sum-bytype" /> : <p className="muted">{t('import.noTypes')}</p>}
          {summary.fileErrors.length > 0 && (
            <>
              <h3 className="section-title warn-text">
                {t('import.fileErrors')} ({fmt(summary.fileErrors.length)})
              </h3>
              <ProblemTable rows={summary.fileErrors} testId="sum-file-errors" />
            </>
          )}
        </Card>
      )}
    </div>
  );
}

/** Where the pipeline is: 导入 → 搜索索引 → 扫描, the current step with its progress. */
function StageSteps({ stage, progress }: { stage: Events['import.phase']['phase']; progress: { done: number; total: number } | null }) {
  const { t } = useI18n();
  const steps = ['import', 'index', 'scan'] as const;
  const at = steps.indexOf(stage as (typeof steps)[number]);
  return (
    <div className="stage-steps" data-testid="import-stage" data-stage={stage}>
      <ol className="steps">
        {steps.map((s, i) => (
          <li key={s} className={i < at || stage === 'done' ? 'step-done' : i === at ? 'step-current' : 'step-todo'}>
            {t(`import.stage.${s}`)}
          </li>
        ))}
      </ol>
      {stage !== 'import' && progress && <ProgressBar value={progress.done} max={Math.max(1, progress.total)} label={t(`import.stage.${stage === 'done' ? 'scan' : stage}`)} />}
    </div>
  );
}
