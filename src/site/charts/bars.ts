/** Horizontal bars of one measure per item: top repositories, models, tools, phases. */
import { baseSpec, type Chart, type TableColumn } from '../chart.js';

export interface BarItem {
  label: string;
  value: number;
  /** Extra table cells after the value (already formatted). */
  extra?: string[];
}

export function barChart(options: { id: string; title: string; description: string; itemLabel: string; valueLabel: string; format: (value: number) => string; items: BarItem[]; extraColumns?: TableColumn[]; axisFormat?: string }): Chart {
  const { id, title, description, itemLabel, valueLabel, format, items } = options;
  const values = items.map((item) => ({ item: item.label, value: item.value, shown: format(item.value) }));
  return {
    id,
    title,
    description,
    spec: {
      ...baseSpec(560, Math.max(40, items.length * 22)),
      data: { values },
      mark: { type: 'bar', tooltip: true, color: '#4c78a8' },
      encoding: {
        y: { field: 'item', type: 'nominal', title: null, sort: null, axis: { labelLimit: 220 } },
        x: { field: 'value', type: 'quantitative', title: valueLabel, axis: { format: options.axisFormat ?? '~s' } },
        tooltip: [
          { field: 'item', type: 'nominal', title: itemLabel },
          { field: 'shown', type: 'nominal', title: valueLabel },
        ],
      },
    },
    table: {
      columns: [{ label: itemLabel }, { label: valueLabel, numeric: true }, ...(options.extraColumns ?? [])],
      rows: items.map((item) => [item.label, format(item.value), ...(item.extra ?? [])]),
      sortKeys: items.map((item) => [null, item.value, ...(item.extra ?? []).map(() => null)]),
    },
  };
}
