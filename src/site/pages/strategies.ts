/** Strategies: the list of experiments and a page per experiment (DESIGN.md §7). */
import type { Experiment } from '../../aggregate/experiments.js';
import type { StrategyComparison } from '../../aggregate/statistics/index.js';
import type { Chart, DataTable } from '../chart.js';
import { logHistogramChart } from '../charts/distribution.js';
import { intervalChart, type IntervalRow } from '../charts/interval.js';
import type { SiteContext } from '../context.js';
import { formatCount, formatInstant, formatRatio, formatTokens, formatUSD } from '../format.js';

export interface ExperimentSummary {
  slug: string;
  url: string;
  running: boolean;
  repositories: { name: string; url: string }[];
  /** One line: the tokens-per-session estimate with its interval, or why there is none. */
  estimate: string;
  /** -1 lower, 1 higher, 0 no clear change or no estimate: the colour of the estimate. */
  verdict: -1 | 0 | 1;
}

export interface ExperimentPage extends ExperimentSummary {
  windowDays: number;
  starts: { repository: string; url: string; startedAt: string; endedAt: string | null; sha: string }[];
  controlRepositories: { name: string; url: string }[];
  table: DataTable;
  charts: Chart[];
}

const METRIC_LABELS: Record<string, { label: string; short: string; format: (value: number) => string }> = {
  totalTokens: { label: 'Tokens per session', short: 'Tokens', format: formatTokens },
  costUSD: { label: 'Cost per session', short: 'Cost', format: formatUSD },
};

export function experimentUrl(slug: string): string {
  return `/strategies/${slug}/`;
}

export function summarizeExperiment(context: SiteContext, experiment: Experiment): ExperimentSummary {
  const tokens = experiment.metrics.find((metric) => metric.metric === 'totalTokens');
  return {
    slug: experiment.slug,
    url: experimentUrl(experiment.slug),
    running: experiment.repositories.some((repository) => repository.endedAt === null),
    repositories: experiment.repositories.map((repository) => ({ name: repository.repository, url: `/repositories/${context.repositorySlug(repository.repository)}/` })),
    estimate: tokens === undefined ? 'no estimate' : estimateLine(tokens),
    verdict: tokens?.status === 'ok' ? (tokens.interval.high < 1 ? -1 : tokens.interval.low > 1 ? 1 : 0) : 0,
  };
}

function estimateLine(metric: StrategyComparison): string {
  if (metric.status !== 'ok') return `insufficient data (${metric.nBefore} sessions before, ${metric.nAfter} after)`;
  return `${formatRatio(metric.ratio)} tokens per session (95% interval ${formatRatio(metric.interval.low)} to ${formatRatio(metric.interval.high)})`;
}

export function experimentPage(context: SiteContext, experiment: Experiment): ExperimentPage {
  const { timezone } = context.options;
  const repositoryUrl = (name: string) => `/repositories/${context.repositorySlug(name)}/`;
  const intervals: IntervalRow[] = [];
  for (const metric of experiment.metrics) {
    if (metric.status !== 'ok') continue;
    const label = METRIC_LABELS[metric.metric]?.short ?? metric.metric;
    intervals.push({ label: `${label}: after ÷ before`, ratio: metric.ratio, low: metric.interval.low, high: metric.interval.high });
    if (metric.did) intervals.push({ label: `${label}: diff-in-diff`, ratio: metric.did.ratio, low: metric.did.low, high: metric.did.high });
  }
  const charts: Chart[] = [];
  const { distribution } = experiment;
  if (distribution.edges.length > 0) {
    charts.push(
      logHistogramChart({
        id: 'distribution',
        title: 'Tokens per session, before and after',
        description: `Share of sessions per band of total tokens (log scale) in the ${experiment.windowDays} days before the strategy started and while it was active, in the repositories that adopted it${experiment.controlRepositories.length > 0 ? ' and, for comparison, in the repositories that did not' : ''}.`,
        unitLabel: 'Tokens per session',
        edges: distribution.edges,
        series: [
          { label: 'Before', panel: 'Adopting repositories', counts: distribution.before },
          { label: 'After', panel: 'Adopting repositories', counts: distribution.after },
          ...(experiment.controlRepositories.length > 0
            ? [
                { label: 'Before', panel: 'Control repositories', counts: distribution.controlBefore },
                { label: 'After', panel: 'Control repositories', counts: distribution.controlAfter },
              ]
            : []),
        ],
      }),
    );
  }
  if (intervals.length > 0) {
    charts.push(intervalChart({ id: 'estimates', title: 'Estimated change with 95% intervals', description: 'Ratio of geometric means after ÷ before (1 = no change; left of 1 is fewer tokens or dollars), with 95% bootstrap intervals resampled by developer; difference-in-differences divides by the same ratio in repositories without the strategy.', rows: intervals }));
  }
  return {
    ...summarizeExperiment(context, experiment),
    windowDays: experiment.windowDays,
    starts: experiment.repositories.map((entry) => ({
      repository: entry.repository,
      url: repositoryUrl(entry.repository),
      startedAt: formatInstant(entry.startedAt, timezone),
      endedAt: entry.endedAt === null ? null : formatInstant(entry.endedAt, timezone),
      sha: entry.startSha.slice(0, 12),
    })),
    controlRepositories: experiment.controlRepositories.map((name) => ({ name, url: repositoryUrl(name) })),
    table: metricsTable(experiment.metrics),
    charts,
  };
}

function metricsTable(metrics: readonly StrategyComparison[]): DataTable {
  const dash = '–';
  return {
    columns: [{ label: 'Metric' }, { label: 'n before', numeric: true }, { label: 'n after', numeric: true }, { label: 'Median before', numeric: true }, { label: 'Median after', numeric: true }, { label: 'Ratio (after ÷ before)', numeric: true }, { label: '95% interval' }, { label: 'Mann–Whitney p', numeric: true }, { label: 'Difference-in-differences' }],
    rows: metrics.map((metric) => {
      const meta = METRIC_LABELS[metric.metric] ?? { label: metric.metric, format: formatCount };
      const median = (value: number) => (Number.isNaN(value) ? dash : meta.format(value));
      if (metric.status !== 'ok') return [meta.label, formatCount(metric.nBefore), formatCount(metric.nAfter), median(metric.medianBefore), median(metric.medianAfter), 'insufficient data', metric.reason, dash, dash];
      const did = metric.did === null ? (metric.didReason ?? 'no control repositories') : `${formatRatio(metric.did.ratio)} (${formatRatio(metric.did.low)} to ${formatRatio(metric.did.high)})`;
      return [meta.label, formatCount(metric.nBefore), formatCount(metric.nAfter), median(metric.medianBefore), median(metric.medianAfter), `${metric.ratio.toFixed(3)} (${formatRatio(metric.ratio)})`, `${metric.interval.low.toFixed(3)} to ${metric.interval.high.toFixed(3)}`, metric.mannWhitneyP < 0.001 ? '< 0.001' : metric.mannWhitneyP.toFixed(3), did];
    }),
  };
}
