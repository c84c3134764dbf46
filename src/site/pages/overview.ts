/** The overview: the last 7 days against the 7 before, daily trends, top repositories, experiments. */
import { weeklyDeltas, type Delta, type MetricDeltas } from '../../aggregate/index.js';
import { barChart } from '../charts/bars.js';
import { stackedByGroupChart, tokensByTypeChart } from '../charts/trend.js';
import type { Chart } from '../chart.js';
import { dayRange, type SiteContext } from '../context.js';
import { formatChange, formatShare, formatTokens, formatUSD, formatCount } from '../format.js';
import { inDays, largestFirst, sumBy, tokensByDay, weeksOf } from './rollups.js';
import { summarizeExperiment, type ExperimentSummary } from './strategies.js';
import { isoWeek } from '../../dates.js';

export interface Card {
  label: string;
  value: string;
  previous: string;
  change: string;
  direction: Delta['direction'];
  /** Whether "up" is good news (more cache reads is; more tokens is not); null: neither. */
  upIsGood: boolean | null;
}

export interface OverviewPage {
  window: { current: string; previous: string };
  cards: Card[];
  charts: Chart[];
  experiments: ExperimentSummary[];
  totals: { sessions: string; repositories: number; tokens: string; costUSD: string; firstDay: string | null; lastDay: string | null };
}

const CARDS: { key: keyof MetricDeltas; label: string; format: (value: number) => string; upIsGood: boolean | null }[] = [
  { key: 'tokens', label: 'Tokens', format: formatTokens, upIsGood: false },
  { key: 'costUSD', label: 'Cost', format: formatUSD, upIsGood: false },
  { key: 'sessions', label: 'Sessions', format: formatCount, upIsGood: null },
  { key: 'medianTokensPerSession', label: 'Median tokens per session', format: formatTokens, upIsGood: false },
  { key: 'cacheReadShare', label: 'Cache-read share', format: formatShare, upIsGood: true },
];

export const TREND_DAYS = 90;
const COST_WEEKS = 26;
const TOP_REPOSITORIES = 10;

export function overviewPage(context: SiteContext): OverviewPage {
  const { partial, daily, today, options } = context;
  const deltas = weeklyDeltas({ ...partial, timezone: options.timezone }, { now: options.now });
  const rolling = deltas.overall.rolling;
  const cards = CARDS.map(({ key, label, format, upIsGood }) => ({ label, value: format(rolling[key].current), previous: format(rolling[key].previous), change: formatChange(rolling[key].change), direction: rolling[key].direction, upIsGood }));

  const days = dayRange(today, TREND_DAYS);
  const trend = tokensByTypeChart('daily-tokens', `Daily tokens by type, last ${TREND_DAYS} days`, days, tokensByDay(inDays(daily, days[0]!, today)));

  const costDays = dayRange(today, COST_WEEKS * 7);
  const weeks = weeksOf(costDays);
  const costRows = inDays(daily, costDays[0]!, today);
  const costByWeekModel = sumBy(costRows, (row) => `${isoWeek(row.date)}\0${row.model}`, (row) => row.costUSD);
  const cost = stackedByGroupChart({
    id: 'cost-by-model',
    title: `Cost by model per week, last ${COST_WEEKS} weeks`,
    description: `Dollars per ISO week (${weeks[0]} to ${weeks.at(-1)}) stacked by model, at list prices from the price table of each session.`,
    periodLabel: 'Week',
    valueLabel: 'Cost (USD)',
    unit: 'usd',
    periods: weeks,
    values: [...costByWeekModel.entries()].map(([key, value]) => {
      const [period, group] = key.split('\0') as [string, string];
      return { period, group, value: Math.round(value * 100) / 100 };
    }),
  });

  const monthFrom = dayRange(today, 30)[0]!;
  const recent = inDays(daily, monthFrom, today);
  const top = largestFirst(sumBy(recent, (row) => row.repository, (row) => row.tokens.total)).slice(0, TOP_REPOSITORIES);
  const costOf = sumBy(recent, (row) => row.repository, (row) => row.costUSD);
  const topChart = barChart({
    id: 'top-repositories',
    title: 'Top repositories, last 30 days',
    description: `The ${top.length} repositories with the most tokens from ${monthFrom} to ${today}.`,
    itemLabel: 'Repository',
    valueLabel: 'Tokens',
    format: formatTokens,
    items: top.map(([name, tokens]) => ({ label: name, value: tokens, extra: [formatUSD(costOf.get(name) ?? 0)] })),
    extraColumns: [{ label: 'Cost', numeric: true }],
  });

  const dates = daily.map((row) => row.date).sort();
  const totalTokens = partial.sessions.reduce((sum, row) => sum + row.tokens.total, 0);
  const totalCost = partial.sessions.reduce((sum, row) => sum + row.costUSD, 0);
  return {
    window: { current: `${deltas.rolling.current.from} to ${deltas.rolling.current.to}`, previous: `${deltas.rolling.previous.from} to ${deltas.rolling.previous.to}` },
    cards,
    charts: [trend, cost, topChart],
    experiments: context.experiments.map((experiment) => summarizeExperiment(context, experiment)).filter((experiment) => experiment.running),
    totals: { sessions: formatCount(partial.sessions.length), repositories: context.repositories.length, tokens: formatTokens(totalTokens), costUSD: formatUSD(totalCost), firstDay: dates[0] ?? null, lastDay: dates.at(-1) ?? null },
  };
}
