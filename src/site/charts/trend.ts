/** Charts over days and weeks: tokens by type with a rolling average, a measure by group, sparklines. */
import { TOKEN_TYPES, type TokenType } from '../../sources/events.js';
import { baseSpec, TOKEN_TYPE_COLORS, TOKEN_TYPE_LABELS, type Chart } from '../chart.js';
import { formatTokens, formatUSD } from '../format.js';

export type TokensByType = Record<TokenType, number>;

/** Daily stacked bars by token type, with the 7-day rolling average of the total as a line. */
export function tokensByTypeChart(id: string, title: string, days: readonly string[], byDay: ReadonlyMap<string, TokensByType>): Chart {
  const values = days.flatMap((day) => TOKEN_TYPES.map((type) => ({ day, type: TOKEN_TYPE_LABELS[type], tokens: byDay.get(day)?.[type] ?? 0 })));
  const totals = days.map((day) => ({ day, total: TOKEN_TYPES.reduce((sum, type) => sum + (byDay.get(day)?.[type] ?? 0), 0) }));
  const rolling = totals.map((entry, i) => {
    const window = totals.slice(Math.max(0, i - 6), i + 1);
    return { day: entry.day, average: Math.round(window.reduce((sum, item) => sum + item.total, 0) / window.length) };
  });
  const labels = TOKEN_TYPES.map((type) => TOKEN_TYPE_LABELS[type]);
  return {
    id,
    title,
    description: `Tokens per day by type over ${days.length} days (${days[0]} to ${days.at(-1)}), stacked, with the 7-day rolling average of the daily total as a line.`,
    spec: {
      ...baseSpec(),
      layer: [
        {
          data: { values },
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate', title: null, axis: { format: '%b %d' } },
            y: { field: 'tokens', type: 'quantitative', stack: 'zero', title: 'Tokens', axis: { format: '~s' } },
            color: { field: 'type', type: 'nominal', title: 'Token type', sort: labels, scale: { domain: labels, range: TOKEN_TYPES.map((type) => TOKEN_TYPE_COLORS[type]) } },
            order: { field: 'type', sort: 'ascending' },
          },
        },
        {
          data: { values: rolling },
          mark: { type: 'line', color: '#222', strokeWidth: 2, tooltip: true },
          encoding: {
            x: { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate' },
            y: { field: 'average', type: 'quantitative', title: null },
          },
        },
      ],
    },
    table: {
      columns: [{ label: 'Day' }, ...labels.map((label) => ({ label, numeric: true })), { label: 'Total', numeric: true }, { label: '7-day average', numeric: true }],
      rows: days.map((day, i) => [day, ...TOKEN_TYPES.map((type) => formatTokens(byDay.get(day)?.[type] ?? 0)), formatTokens(totals[i]!.total), formatTokens(rolling[i]!.average)]),
    },
  };
}

export interface GroupedValue {
  period: string;
  group: string;
  value: number;
}

/** Stacked bars of a measure per period (days or ISO weeks) and group (model, phase…). */
export function stackedByGroupChart(options: { id: string; title: string; description: string; periodLabel: string; valueLabel: string; unit: 'usd' | 'tokens' | 'share'; values: GroupedValue[]; periods: string[] }): Chart {
  const { id, title, description, periodLabel, valueLabel, unit, values, periods } = options;
  const groups = [...new Set(values.map((value) => value.group))].sort();
  const format = unit === 'usd' ? formatUSD : unit === 'share' ? (v: number) => `${(v * 100).toFixed(1)}%` : formatTokens;
  const cell = new Map(values.map((value) => [`${value.period}\0${value.group}`, value.value]));
  return {
    id,
    title,
    description,
    spec: {
      ...baseSpec(),
      data: { values },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'period', type: 'ordinal', title: periodLabel, sort: periods, axis: { labelAngle: -45, labelOverlap: true } },
        y: { field: 'value', type: 'quantitative', stack: unit === 'share' ? 'normalize' : 'zero', title: valueLabel, axis: { format: unit === 'usd' ? '$~s' : unit === 'share' ? '.0%' : '~s' } },
        // Legend in rows of four: one row of nine models made the SVG twice as wide as the plot,
        // so the whole chart, text included, was drawn at half size.
        color: { field: 'group', type: 'nominal', title: null, sort: groups, legend: { columns: 4 } },
      },
    },
    table: {
      columns: [{ label: periodLabel }, ...groups.map((group) => ({ label: group, numeric: true }))],
      rows: periods.map((period) => [period, ...groups.map((group) => format(cell.get(`${period}\0${group}`) ?? 0))]),
    },
  };
}

/** A word-sized line of daily totals for a table cell; its table is the numbers it draws. */
export function sparkline(id: string, label: string, days: readonly string[], values: readonly number[]): Chart {
  const points = days.map((day, i) => ({ day, tokens: values[i] ?? 0 }));
  return {
    id,
    title: `${label}: daily tokens`,
    description: `Daily tokens of ${label} from ${days[0]} to ${days.at(-1)}; peak ${formatTokens(Math.max(0, ...values))}.`,
    spec: {
      ...baseSpec(120, 24),
      padding: 0,
      data: { values: points },
      mark: { type: 'area', line: true, opacity: 0.6, tooltip: true },
      encoding: {
        x: { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate', axis: null },
        y: { field: 'tokens', type: 'quantitative', axis: null },
      },
    },
    table: { columns: [{ label: 'Day' }, { label: 'Tokens', numeric: true }], rows: points.map((point) => [point.day, formatTokens(point.tokens)]) },
  };
}
