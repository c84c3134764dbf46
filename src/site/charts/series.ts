/** A session's per-minute tokens by type (from the summary's `series`). */
import type { SeriesPoint } from '../../summary/schema.js';
import { TOKEN_TYPES } from '../../sources/events.js';
import { baseSpec, TOKEN_TYPE_COLORS, TOKEN_TYPE_LABELS, type Chart } from '../chart.js';
import { formatTokens } from '../format.js';

export function sessionSeriesChart(id: string, series: readonly SeriesPoint[]): Chart {
  const labels = TOKEN_TYPES.map((type) => TOKEN_TYPE_LABELS[type]);
  const values = series.flatMap((point) => TOKEN_TYPES.map((type) => ({ minute: point.minute, end: point.minute + 1, type: TOKEN_TYPE_LABELS[type], tokens: point[type] })));
  return {
    id,
    title: 'Tokens per minute',
    description: `Tokens per minute of the session by type, over ${series.length} active minutes.`,
    spec: {
      ...baseSpec(640, 200),
      data: { values },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        // Each minute a bar from its start to the next, so a short session does not draw hairlines.
        x: { field: 'minute', type: 'quantitative', title: 'Minutes since start', axis: { tickMinStep: 1 } },
        x2: { field: 'end' },
        y: { field: 'tokens', type: 'quantitative', stack: 'zero', title: 'Tokens', axis: { format: '~s' } },
        color: { field: 'type', type: 'nominal', title: null, sort: labels, scale: { domain: labels, range: TOKEN_TYPES.map((type) => TOKEN_TYPE_COLORS[type]) } },
      },
    },
    table: {
      columns: [{ label: 'Minute', numeric: true }, ...labels.map((label) => ({ label, numeric: true }))],
      rows: series.map((point) => [String(point.minute), ...TOKEN_TYPES.map((type) => formatTokens(point[type]))]),
    },
  };
}
