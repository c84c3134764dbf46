/** Repositories: a sortable table with sparklines, and a page per repository. */
import { PHASES, type Phase } from '../../sources/phase.js';
import { barChart } from '../charts/bars.js';
import { sparkline, tokensByTypeChart } from '../charts/trend.js';
import type { Chart } from '../chart.js';
import { dayRange, type RepositoryRef, type SiteContext } from '../context.js';
import { formatChange, formatCount, formatTokens, formatUSD } from '../format.js';
import { TREND_DAYS } from './overview.js';
import { inDays, largestFirst, sumBy, tokensByDay } from './rollups.js';
import { recentSessions, sessionListItem, type SessionListItem } from './sessions.js';
import { summarizeExperiment, type ExperimentSummary } from './strategies.js';
import { totalTokens } from '../../sources/events.js';
import type { SessionRow } from '../../aggregate/index.js';

export interface RepositoryRow {
  name: string;
  slug: string;
  url: string;
  sessions: number;
  tokens: number;
  costUSD: number;
  /** Tokens of the last 30 days against the 30 before. */
  change: string;
  changeValue: number | null;
  developers: number | null;
  lastActive: string;
  display: { sessions: string; tokens: string; costUSD: string; developers: string };
  sparkline: Chart;
}

export interface RepositoryPage extends RepositoryRow {
  charts: Chart[];
  experiments: ExperimentSummary[];
  recentSessions: SessionListItem[];
  totals: { label: string; value: string }[];
}

const RECENT_PER_REPOSITORY = 5;

export function repositoryPages(context: SiteContext): RepositoryPage[] {
  const { today, daily } = context;
  const days = dayRange(today, TREND_DAYS);
  const month = dayRange(today, 30);
  const previousMonth = dayRange(month[0]!, 31).slice(0, 30);
  const byRepository = new Map<string, typeof daily>();
  for (const row of daily) {
    const list = byRepository.get(row.repository) ?? [];
    list.push(row);
    byRepository.set(row.repository, list);
  }
  return context.repositories.map((ref) => page(context, ref, byRepository.get(ref.name) ?? [], { days, month, previousMonth }));
}

function page(context: SiteContext, ref: RepositoryRef, rows: SiteContext['daily'], ranges: { days: string[]; month: string[]; previousMonth: string[] }): RepositoryPage {
  const { today, options } = context;
  const sessions = context.sessionsByRepository.get(ref.name) ?? [];
  const recent = inDays(rows, ranges.month[0]!, today);
  const before = inDays(rows, ranges.previousMonth[0]!, ranges.previousMonth.at(-1)!);
  const tokens = recent.reduce((sum, row) => sum + row.tokens.total, 0);
  const previousTokens = before.reduce((sum, row) => sum + row.tokens.total, 0);
  const costUSD = recent.reduce((sum, row) => sum + row.costUSD, 0);
  const monthSessions = sessions.filter((row) => context.startDay(row) >= ranges.month[0]!);
  const developers = options.developers === 'off' ? null : new Set(sessions.map((row) => row.developer).filter((id) => id !== null)).size;
  const perDay = tokensByDay(inDays(rows, ranges.days[0]!, today));
  const dailyTotals = ranges.days.map((day) => {
    const t = perDay.get(day);
    return t ? totalTokens(t) : 0;
  });
  const changeValue = previousTokens === 0 ? null : tokens / previousTokens - 1;
  const url = `/repositories/${ref.slug}/`;

  const models = largestFirst(sumBy(rows, (row) => row.model, (row) => row.tokens.total));
  const modelCost = sumBy(rows, (row) => row.model, (row) => row.costUSD);
  const phases = phaseTotals(sessions);
  const charts = [
    tokensByTypeChart('trend', `Daily tokens by type, last ${TREND_DAYS} days`, ranges.days, perDay),
    barChart({ id: 'models', title: 'Tokens by model, all time', description: `Tokens per model in ${ref.name} over all sessions in the data.`, itemLabel: 'Model', valueLabel: 'Tokens', format: formatTokens, items: models.map(([model, value]) => ({ label: model, value, extra: [formatUSD(modelCost.get(model) ?? 0)] })), extraColumns: [{ label: 'Cost', numeric: true }] }),
    barChart({ id: 'phases', title: 'Tokens by phase, all time', description: `Tokens per phase in ${ref.name}: each response's tokens go to the phases of the tools it called.`, itemLabel: 'Phase', valueLabel: 'Tokens', format: formatTokens, items: phases.map((entry) => ({ label: entry.phase, value: entry.tokens })) }),
  ];
  const allTokens = sessions.reduce((sum, row) => sum + row.tokens.total, 0);
  const allCost = sessions.reduce((sum, row) => sum + row.costUSD, 0);
  return {
    name: ref.name,
    slug: ref.slug,
    url,
    sessions: monthSessions.length,
    tokens,
    costUSD,
    change: formatChange(changeValue),
    changeValue,
    developers,
    lastActive: rows.length === 0 ? '–' : rows.reduce((last, row) => (row.date > last ? row.date : last), ''),
    display: { sessions: formatCount(monthSessions.length), tokens: formatTokens(tokens), costUSD: formatUSD(costUSD), developers: developers === null ? '' : formatCount(developers) },
    sparkline: sparkline(`spark-${ref.slug}`, ref.name, ranges.days, dailyTotals),
    charts,
    experiments: context.experiments.filter((experiment) => experiment.repositories.some((entry) => entry.repository === ref.name)).map((experiment) => summarizeExperiment(context, experiment)),
    recentSessions: recentSessions(sessions, RECENT_PER_REPOSITORY).map((row) => sessionListItem(context, row)),
    totals: [
      { label: 'Sessions, all time', value: formatCount(sessions.length) },
      { label: 'Tokens, all time', value: formatTokens(allTokens) },
      { label: 'Cost, all time', value: formatUSD(allCost) },
      { label: 'Main model', value: models[0]?.[0] ?? '–' },
      ...(developers === null ? [] : [{ label: 'Developers', value: formatCount(developers) }]),
    ],
  };
}

/**
 * Tokens per phase over `sessions`, in `PHASES` order, phases without tokens left out. One pass
 * over the rows: a pass per phase was a tenth of the time spent on page data.
 */
function phaseTotals(sessions: readonly SessionRow[]): { phase: Phase; tokens: number }[] {
  const totals = new Map<Phase, number>(PHASES.map((phase) => [phase, 0]));
  for (const row of sessions) {
    for (const phase in row.phases) totals.set(phase as Phase, totals.get(phase as Phase)! + row.phases[phase as Phase]!.tokens);
  }
  return PHASES.map((phase) => ({ phase, tokens: totals.get(phase)! })).filter((entry) => entry.tokens > 0);
}
