/**
 * The dashboard's bar charts (recharts, SVG: nothing the CSP forbids). Each bar segment is drawn
 * by our own shape, so it is a keyboard-reachable button that opens its hits, and carries its
 * number and filter as data attributes (what the e2e test reads).
 */
import type { KeyboardEvent } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps, type TooltipContentProps } from 'recharts';
import type { HitFilter } from '../../../preload/api.js';
import { formatCount } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';

/** quiet, distinguishable colours, one a category (the order of CATEGORIES) */
export const CATEGORY_COLORS: Record<string, string> = {
  guarantee: '#b3261e',
  diversion: '#d08a00',
  private_transfer: '#7b4fa8',
  off_book: '#1f5fae',
  pii: '#13808c',
  complaint: '#c2527a',
  gift: '#5f8f2a',
  behaviour: '#6b7a8a',
};
export const SEVERITY_COLORS: Record<string, string> = { high: '#c0392b', medium: '#e0a030', low: '#a9b6c4' };

/** What a bar segment stands for: its number and the hits filter that lists exactly those hits (null: not openable). */
export type Point = { hits: number; filter: HitFilter | null; title?: string };
export type Row = Record<string, number | string>;
/** One stacked series: `key` is its field in the rows (the drawn size); `point` what the segment opens. */
export type Series = { key: string; name: string; color: string; point: (row: Row) => Point | null };

const TICK = { fontSize: 12, fill: '#5d6b7a' };

export function BarPanel({
  chart,
  active,
  rows,
  series,
  layout,
  height,
  legend,
  total,
  onOpen,
}: {
  chart: string;
  active: boolean;
  rows: Row[];
  series: Series[];
  /** columns: time along the bottom; rows: one horizontal bar a name */
  layout: 'columns' | 'rows';
  height: number;
  legend?: boolean;
  /** the field shown at the end of each bar */
  total?: string;
  onOpen: (f: HitFilter) => void;
}) {
  const { lang } = useI18n();
  const fmt = (n: number) => formatCount(n, lang);
  const across = layout === 'rows';
  return (
    <div className="chart-box" style={{ height }} data-testid={`chart-${chart}`}>
      {/* a hidden screen has no size: the chart is drawn when shown */}
      {active && (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout={across ? 'vertical' : 'horizontal'} margin={{ top: 4, right: across ? 36 : 8, bottom: 0, left: 0 }} barCategoryGap={across ? 6 : '18%'} maxBarSize={across ? 22 : 48}>
            <CartesianGrid stroke="#e6ebf1" vertical={across} horizontal={!across} />
            {across ? <XAxis type="number" allowDecimals={false} tick={TICK} stroke="#c5ced9" /> : <XAxis dataKey="label" tick={TICK} stroke="#c5ced9" interval="preserveStartEnd" minTickGap={12} />}
            {across ? <YAxis type="category" dataKey="label" width={84} tick={TICK} stroke="#c5ced9" interval={0} /> : <YAxis allowDecimals={false} tick={TICK} stroke="#c5ced9" width={36} />}
            <Tooltip cursor={{ fill: 'rgba(31, 95, 174, 0.07)' }} content={(p: TooltipContentProps) => <ChartTip {...p} fmt={fmt} />} isAnimationActive={false} />
            {legend && <Legend verticalAlign="top" align="right" iconType="square" iconSize={10} itemSorter={null} wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span className="chart-legend-text">{value}</span>} />}
            {series.map((s, i) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} stackId="stack" fill={s.color} isAnimationActive={false} shape={(p: BarShapeProps) => <Segment {...p} chart={chart} series={s} onOpen={onOpen} />}>
                {total && i === series.length - 1 && <LabelList dataKey={total} position={across ? 'right' : 'top'} fontSize={12} fill="#1c2733" formatter={(v: unknown) => (typeof v === 'number' && v > 0 ? fmt(v) : '')} />}
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

function Segment({ chart, series, onOpen, ...p }: BarShapeProps & { chart: string; series: Series; onOpen: (f: HitFilter) => void }) {
  const row = p.payload as Row;
  const point = series.point(row);
  if (!point || !point.hits || !(p.width > 0) || !(p.height > 0)) return null;
  const filter = point.filter;
  const label = point.title ?? `${row.label} · ${series.name}: ${point.hits}`;
  const open = () => filter && onOpen(filter);
  const key = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  };
  return (
    <rect
      x={p.x}
      y={p.y}
      width={p.width}
      height={p.height}
      fill={series.color}
      className={filter ? 'chart-bar chart-bar-link' : 'chart-bar'}
      role={filter ? 'button' : 'img'}
      tabIndex={filter ? 0 : undefined}
      aria-label={label}
      onClick={filter ? open : undefined}
      onKeyDown={filter ? key : undefined}
      data-testid="chart-bar"
      data-chart={chart}
      data-series={series.key}
      data-key={String(row.key)}
      data-value={point.hits}
      data-filter={filter ? JSON.stringify(filter) : undefined}
    >
      {point.title && <title>{point.title}</title>}
    </rect>
  );
}

/** The tooltip: the row's non-empty series and, when stacked, their sum. */
function ChartTip({ active, payload, label, fmt }: TooltipContentProps & { fmt: (n: number) => string }) {
  const { t } = useI18n();
  const items = (payload ?? []).filter((x) => Number(x.value) > 0);
  if (!active || !items.length) return null;
  const sum = items.reduce((s, x) => s + Number(x.value), 0);
  return (
    <div className="chart-tip">
      <div className="chart-tip-label">{label}</div>
      {items.map((x) => (
        <div key={String(x.dataKey)} className="chart-tip-row">
          <span className="chart-tip-dot" style={{ background: x.color }} />
          <span>{x.name}</span>
          <strong>{fmt(Number(x.value))}</strong>
        </div>
      ))}
      {items.length > 1 && (
        <div className="chart-tip-row chart-tip-sum">
          <span />
          <span>{t('dash.hits')}</span>
          <strong>{fmt(sum)}</strong>
        </div>
      )}
    </div>
  );
}
