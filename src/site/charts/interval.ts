/** Estimates with 95% intervals on a log scale around "no change" (ratio 1). */
import { baseSpec, type Chart } from '../chart.js';
import { formatRatio } from '../format.js';

export interface IntervalRow {
  label: string;
  ratio: number;
  low: number;
  high: number;
}

export function intervalChart(options: { id: string; title: string; description: string; rows: IntervalRow[] }): Chart {
  const { id, title, description, rows } = options;
  const values = rows.map((row) => ({ ...row, change: formatRatio(row.ratio), range: `${formatRatio(row.low)} to ${formatRatio(row.high)}` }));
  const extent = rows.flatMap((row) => [row.low, row.high, 1]).filter((value) => value > 0);
  const domain = [Math.min(...extent) / 1.1, Math.max(...extent) * 1.1];
  const label = { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } } as const;
  return {
    id,
    title,
    description,
    spec: {
      ...baseSpec(560, Math.max(60, rows.length * 36)),
      data: { values },
      layer: [
        { data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { x: { field: 'one', type: 'quantitative', scale: { type: 'log', domain, nice: false }, title: 'After ÷ before (log scale; 1 = no change)', axis: { format: '.2~f' } } } },
        { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: label, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
        {
          mark: { type: 'point', filled: true, size: 80, tooltip: true },
          encoding: {
            y: label,
            x: { field: 'ratio', type: 'quantitative' },
            tooltip: [
              { field: 'label', type: 'nominal', title: 'Estimate' },
              { field: 'change', type: 'nominal', title: 'Change' },
              { field: 'range', type: 'nominal', title: '95% interval' },
            ],
          },
        },
      ],
    },
    table: {
      columns: [{ label: 'Estimate' }, { label: 'Change', numeric: true }, { label: '95% interval' }],
      rows: values.map((row) => [row.label, row.change, row.range]),
    },
  };
}
