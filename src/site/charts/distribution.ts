/** Distributions on a log scale: sessions (or developers) per bin of tokens, one colour per group. */
import { baseSpec, type Chart } from '../chart.js';
import { formatCount, formatTokens } from '../format.js';

export interface HistogramSeries {
  label: string;
  /** Series with the same panel share one plot; panels are stacked vertically. */
  panel?: string;
  counts: readonly number[];
}

/**
 * Bars per geometric bin (`edges` ascending, one more than each series' counts), overlaid by
 * series, on a log x axis. Shares within each series, so arms of different sizes compare.
 */
export function logHistogramChart(options: { id: string; title: string; description: string; unitLabel: string; edges: readonly number[]; series: HistogramSeries[] }): Chart {
  const { id, title, description, unitLabel, edges, series } = options;
  const values = series.flatMap((entry) => {
    const total = entry.counts.reduce((sum, count) => sum + count, 0);
    return entry.counts.map((count, i) => ({ group: entry.label, panel: entry.panel ?? '', from: edges[i]!, to: edges[i + 1]!, count, share: total === 0 ? 0 : count / total }));
  });
  const panels = [...new Set(series.map((entry) => entry.panel ?? ''))];
  const { width, height, ...base } = baseSpec(640, panels.length > 1 ? 140 : 200);
  const layer = {
    width,
    height,
    mark: { type: 'rect', opacity: 0.55, tooltip: true },
    encoding: {
      x: { field: 'from', type: 'quantitative', scale: { type: 'log' }, title: `${unitLabel} (log scale)`, axis: { format: '~s' } },
      x2: { field: 'to' },
      y: { field: 'share', type: 'quantitative', stack: null, title: 'Share of the group', axis: { format: '.0%' } },
      color: { field: 'group', type: 'nominal', title: null, sort: [...new Set(series.map((entry) => entry.label))] },
      tooltip: [
        ...(panels.length > 1 ? [{ field: 'panel', type: 'nominal', title: 'Repositories' }] : []),
        { field: 'group', type: 'nominal', title: 'Group' },
        { field: 'from', type: 'quantitative', title: `${unitLabel} from`, format: '~s' },
        { field: 'to', type: 'quantitative', title: 'to', format: '~s' },
        { field: 'count', type: 'quantitative', title: 'Count' },
      ],
    },
  } as const;
  const label = (entry: HistogramSeries) => (entry.panel ? `${entry.panel}: ${entry.label}` : entry.label);
  return {
    id,
    title,
    description,
    spec: (panels.length > 1 ? { ...base, data: { values }, facet: { row: { field: 'panel', type: 'nominal', title: null, sort: panels } }, spec: layer } : { ...base, data: { values }, ...layer }) as Chart['spec'],
    table: {
      columns: [{ label: `${unitLabel} from` }, { label: 'to' }, ...series.map((entry) => ({ label: label(entry), numeric: true }))],
      rows: edges.slice(0, -1).map((edge, i) => [formatTokens(Math.round(edge)), formatTokens(Math.round(edges[i + 1]!)), ...series.map((entry) => formatCount(entry.counts[i] ?? 0))]),
    },
  };
}
