/**
 * Developers, pseudonymous and in aggregate: distributions of usage per developer, never a
 * ranking and never an id. A group (the team, a repository) with fewer developers than
 * `minGroupSize` is not shown on its own, since a small group's figures point at people.
 */
import { quantile } from '../../aggregate/statistics/index.js';
import { logHistogram } from '../../aggregate/experiments.js';
import { logHistogramChart } from '../charts/distribution.js';
import { stackedByGroupChart } from '../charts/trend.js';
import type { Chart, DataTable } from '../chart.js';
import { dayRange, type SiteContext } from '../context.js';
import { formatCount, formatTokens, formatUSD } from '../format.js';
import { isoWeek } from '../../dates.js';
import { weeksOf } from './rollups.js';

export interface DevelopersPage {
  /** Null when the team itself is smaller than the group minimum. */
  charts: Chart[];
  quantiles: DataTable | null;
  repositories: DataTable;
  suppressedRepositories: number;
  activeDevelopers: number;
  minGroupSize: number;
  windowLabel: string;
}

const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9];

export function developersPage(context: SiteContext): DevelopersPage | null {
  const { options, today, partial } = context;
  if (options.developers === 'off') return null;
  const monthFrom = dayRange(today, 30)[0]!;
  const windowLabel = `last 30 days (${monthFrom} to ${today})`;
  const month = partial.sessions.filter((row) => row.developer !== null && context.startDay(row) >= monthFrom && context.startDay(row) <= today);
  const perDeveloper = new Map<string, { tokens: number; cost: number; sessions: number }>();
  for (const row of month) {
    const entry = perDeveloper.get(row.developer!) ?? { tokens: 0, cost: 0, sessions: 0 };
    entry.tokens += row.tokens.total;
    entry.cost += row.costUSD;
    entry.sessions++;
    perDeveloper.set(row.developer!, entry);
  }
  const developers = [...perDeveloper.values()];
  const minGroupSize = options.minGroupSize;
  const charts: Chart[] = [];
  let quantiles: DataTable | null = null;
  if (developers.length >= minGroupSize) {
    const histogram = logHistogram({ developers: developers.map((entry) => entry.tokens) });
    charts.push(logHistogramChart({ id: 'tokens-per-developer', title: 'Tokens per developer, last 30 days', description: `How the ${developers.length} active developers spread over bands of tokens (log scale) in the ${windowLabel}. Shares, not names: no developer is identified.`, unitLabel: 'Tokens per developer', edges: histogram.edges, series: [{ label: 'Developers', counts: histogram.developers }] }));
    const metrics: [string, (entry: { tokens: number; cost: number; sessions: number }) => number, (value: number) => string][] = [
      ['Tokens', (entry) => entry.tokens, formatTokens],
      ['Cost', (entry) => entry.cost, formatUSD],
      ['Sessions', (entry) => entry.sessions, (value) => value.toFixed(1)],
      ['Tokens per session', (entry) => entry.tokens / Math.max(1, entry.sessions), formatTokens],
    ];
    quantiles = {
      columns: [{ label: 'Per developer' }, ...QUANTILES.map((q) => ({ label: q === 0.5 ? 'Median' : `P${q * 100}`, numeric: true }))],
      rows: metrics.map(([label, pick, format]) => [label, ...QUANTILES.map((q) => format(quantile(developers.map(pick), q)))]),
    };
  }

  const weeks = weeksOf(dayRange(today, 26 * 7));
  const activeByWeek = new Map<string, Set<string>>();
  for (const row of partial.sessions) {
    if (row.developer === null) continue;
    const week = isoWeek(context.startDay(row));
    if (week < weeks[0]!) continue;
    const set = activeByWeek.get(week) ?? new Set<string>();
    set.add(row.developer);
    activeByWeek.set(week, set);
  }
  charts.push(stackedByGroupChart({ id: 'active-developers', title: 'Active developers per week', description: 'Developers with at least one session in each ISO week of the last 26 weeks.', periodLabel: 'Week', valueLabel: 'Developers', unit: 'tokens', periods: weeks, values: weeks.map((week) => ({ period: week, group: 'Active developers', value: activeByWeek.get(week)?.size ?? 0 })) }));

  const rows: string[][] = [];
  let suppressedRepositories = 0;
  for (const ref of context.repositories) {
    const sessions = month.filter((row) => row.repository === ref.name);
    const tokensBy = new Map<string, number>();
    for (const row of sessions) tokensBy.set(row.developer!, (tokensBy.get(row.developer!) ?? 0) + row.tokens.total);
    if (tokensBy.size === 0) continue;
    if (tokensBy.size < minGroupSize) {
      suppressedRepositories++;
      continue;
    }
    const values = [...tokensBy.values()];
    rows.push([ref.name, formatCount(tokensBy.size), formatTokens(quantile(values, 0.25)), formatTokens(quantile(values, 0.5)), formatTokens(quantile(values, 0.75))]);
  }
  return {
    charts,
    quantiles,
    repositories: { columns: [{ label: 'Repository' }, { label: 'Developers', numeric: true }, { label: 'P25 tokens', numeric: true }, { label: 'Median tokens', numeric: true }, { label: 'P75 tokens', numeric: true }], rows },
    suppressedRepositories,
    activeDevelopers: developers.length,
    minGroupSize,
    windowLabel,
  };
}
