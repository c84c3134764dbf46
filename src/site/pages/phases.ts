/** Phases and tools: token share by phase over time, top tools, subagent share, recommendations. */
import { isoWeek } from '../../dates.js';
import { PHASES } from '../../sources/phase.js';
import { barChart } from '../charts/bars.js';
import { stackedByGroupChart } from '../charts/trend.js';
import type { Chart } from '../chart.js';
import { dayRange, type SiteContext } from '../context.js';
import { formatCount, formatShare, formatTokens } from '../format.js';
import { inDays, largestFirst, sumBy, weeksOf } from './rollups.js';
import { recommendations, type Recommendation } from './recommendations.js';

export interface PhasesPage {
  charts: Chart[];
  subagentShare: string;
  recommendations: Recommendation[];
  windowLabel: string;
}

const WEEKS = 26;
const TOP_TOOLS = 15;

export function phasesPage(context: SiteContext): PhasesPage {
  const { today, daily, partial } = context;
  const days = dayRange(today, WEEKS * 7);
  const weeks = weeksOf(days);
  const rows = inDays(daily, days[0]!, today);
  const byWeekPhase = new Map<string, number>();
  for (const row of rows) {
    const week = isoWeek(row.date);
    for (const phase of PHASES) {
      const tokens = row.phases[phase]?.tokens ?? 0;
      if (tokens === 0) continue;
      const key = `${week}\0${phase}`;
      byWeekPhase.set(key, (byWeekPhase.get(key) ?? 0) + tokens);
    }
  }
  const shareChart = stackedByGroupChart({
    id: 'phase-share',
    title: `Token share by phase per week, last ${WEEKS} weeks`,
    description: 'Each week’s tokens split by the phase of the tools each response called (exploration, planning, execution, testing, git, delegation, other), as shares of the week.',
    periodLabel: 'Week',
    valueLabel: 'Share of tokens',
    unit: 'share',
    periods: weeks,
    values: [...byWeekPhase.entries()].map(([key, value]) => {
      const [period, group] = key.split('\0') as [string, string];
      return { period, group, value };
    }),
  });

  const recentFrom = dayRange(today, 90)[0]!;
  const recentRows = inDays(rows, recentFrom, today);
  const tools = largestFirst(sumBy(recentRows.flatMap((row) => Object.entries(row.tools)), ([tool]) => tool, ([, calls]) => calls)).slice(0, TOP_TOOLS);
  const toolsChart = barChart({ id: 'top-tools', title: 'Top tools, last 90 days', description: `The ${tools.length} most called tools from ${recentFrom} to ${today} (MCP tools grouped by server).`, itemLabel: 'Tool', valueLabel: 'Calls', format: formatCount, items: tools.map(([tool, calls]) => ({ label: tool, value: calls })) });

  const monthFrom = dayRange(today, 30)[0]!;
  const month = partial.sessions.filter((row) => context.startDay(row) >= monthFrom && context.startDay(row) <= today);
  const subagent = month.reduce((sum, row) => sum + row.subagentTokens.total, 0);
  const total = month.reduce((sum, row) => sum + row.tokens.total, 0);
  const subagentChart = barChart({
    id: 'subagent-share',
    title: 'Main thread and subagents, last 30 days',
    description: `Tokens of the main conversation and of subagents (Task/Agent calls) from ${monthFrom} to ${today}.`,
    itemLabel: 'Thread',
    valueLabel: 'Tokens',
    format: formatTokens,
    items: [
      { label: 'Main thread', value: total - subagent },
      { label: 'Subagents', value: subagent },
    ],
  });
  const windowLabel = `last 30 days (${monthFrom} to ${today})`;
  return { charts: [shareChart, toolsChart, subagentChart], subagentShare: formatShare(total === 0 ? 0 : subagent / total), recommendations: recommendations(month, windowLabel), windowLabel };
}
