/**
 * The experiments section of the job summary: one row per experiment and metric. Slugs and
 * repository names come from commit messages and configuration anyone with push access can
 * write, so every cell goes through escapeMarkdown (the table is raw HTML).
 */
import type { Experiment } from '../aggregate/experiments.js';
import type { StrategyComparison } from '../aggregate/statistics/index.js';
import { escapeMarkdown } from '../report/pr-comment-escape.js';

const METRIC_LABELS: Record<string, { label: string; format: (value: number) => string }> = {
  totalTokens: { label: 'Tokens / session', format: (value) => Math.round(value).toLocaleString('en-US') },
  costUSD: { label: 'Cost / session', format: (value) => `$${value.toFixed(4)}` },
};

export function renderExperiments(experiments: readonly Experiment[], unreadable: readonly string[]): string {
  const lines = ['### Strategy experiments', ''];
  if (experiments.length === 0) lines.push('No `Token-Strategy` trailer on a default branch in the period read.');
  else {
    const header = ['Experiment', 'Repositories', 'Metric', 'n before / after', 'Median before / after', 'Ratio (95% interval)', 'Difference-in-differences'];
    const rows = experiments.flatMap((experiment) => experiment.metrics.map((comparison) => row(experiment, comparison)));
    const cell = (tag: 'th' | 'td', text: string) => `<${tag}>${escapeMarkdown(text)}</${tag}>`;
    lines.push(
      '<table>',
      `<tr>${header.map((text) => cell('th', text)).join('')}</tr>`,
      ...rows.map((cells) => `<tr>${cells.map((text) => cell('td', text)).join('')}</tr>`),
      '</table>',
      '',
      `Windows of ${experiments[0]!.windowDays} days before and from each start (AFTER stops at an end trailer). This is observational data: other changes in the same weeks can explain a difference as well as the strategy can.`,
    );
  }
  if (unreadable.length > 0) lines.push('', `Default branch not readable (no experiments from it): ${unreadable.map(escapeMarkdown).join(', ')}`);
  return lines.join('\n');
}

function row(experiment: Experiment, comparison: StrategyComparison): string[] {
  const metric = METRIC_LABELS[comparison.metric] ?? { label: comparison.metric, format: (value: number) => String(value) };
  const median = (value: number) => (Number.isNaN(value) ? '–' : metric.format(value));
  const repositories = experiment.repositories.map((entry) => `${entry.repository} (from ${entry.startedAt.slice(0, 10)}${entry.endedAt === null ? '' : ` to ${entry.endedAt.slice(0, 10)}`})`).join(', ');
  const common = [experiment.slug, repositories, metric.label, `${comparison.nBefore} / ${comparison.nAfter}`, `${median(comparison.medianBefore)} / ${median(comparison.medianAfter)}`];
  if (comparison.status === 'insufficient-data') return [...common, `insufficient data: ${comparison.reason}`, '–'];
  const ratio = `${comparison.ratio.toFixed(2)} (${comparison.interval.low.toFixed(2)}–${comparison.interval.high.toFixed(2)})`;
  const did = comparison.did === null ? (comparison.didReason === undefined ? 'no control repositories' : `insufficient data: ${comparison.didReason}`) : `${comparison.did.ratio.toFixed(2)} (${comparison.did.low.toFixed(2)}–${comparison.did.high.toFixed(2)})`;
  return [...common, ratio, did];
}
