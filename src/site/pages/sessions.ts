/** Sessions: the newest sessions, and a page per session with its per-minute chart. */
import { primaryModel } from '../../aggregate/daily.js';
import type { SessionRow } from '../../aggregate/index.js';
import { PHASES } from '../../sources/phase.js';
import { barChart } from '../charts/bars.js';
import { sessionSeriesChart } from '../charts/series.js';
import type { Chart, DataTable } from '../chart.js';
import { newestFirst, type SiteContext } from '../context.js';
import { formatCount, formatDuration, formatInstant, formatShare, formatTokens, formatUSD } from '../format.js';
import { cacheReadShare } from './rollups.js';
import { TOKEN_TYPES } from '../../sources/events.js';
import { TOKEN_TYPE_LABELS } from '../chart.js';

/** Sessions listed on the sessions page, each with a page of its own. */
export const RECENT_SESSIONS = 50;

export interface SessionListItem {
  id: string;
  url: string;
  repository: string;
  repositoryUrl: string;
  startedAt: string;
  duration: string;
  agent: string;
  model: string;
  tokens: string;
  tokensValue: number;
  cost: string;
  requests: string;
}

export interface SessionPage extends SessionListItem {
  endedAt: string;
  strategies: { slug: string; url: string }[];
  facts: { label: string; value: string }[];
  charts: Chart[];
  models: DataTable;
  /** Why there is no per-minute chart, when there is none. */
  noSeries: string | null;
}

export function sessionUrl(id: string): string {
  return `/sessions/${id}/`;
}

export function sessionListItem(context: SiteContext, row: SessionRow): SessionListItem {
  return {
    id: row.id,
    url: sessionUrl(row.id),
    repository: row.repository,
    repositoryUrl: `/repositories/${context.repositorySlug(row.repository)}/`,
    startedAt: formatInstant(row.startedAt, context.options.timezone),
    duration: formatDuration(row.durationSeconds),
    agent: row.agent,
    model: primaryModel(row) ?? '–',
    tokens: formatTokens(row.tokens.total),
    tokensValue: row.tokens.total,
    cost: formatUSD(row.costUSD),
    requests: formatCount(row.requests),
  };
}

/** The newest sessions with a kept per-minute series (see DETAILED_SESSIONS), newest first. */
export function recentSessions(rows: readonly SessionRow[], count = RECENT_SESSIONS): SessionRow[] {
  return newestFirst(rows.filter((row) => row.detail !== undefined)).slice(0, count);
}

export function sessionPage(context: SiteContext, row: SessionRow): SessionPage {
  const detail = row.detail;
  const charts: Chart[] = [];
  if (detail && detail.series.length > 0) charts.push(sessionSeriesChart('per-minute', detail.series));
  const phases = PHASES.flatMap((name) => (row.phases[name] ? [{ label: name, value: row.phases[name].tokens, extra: [formatCount(row.phases[name].toolCalls)] }] : []));
  if (phases.length > 0) charts.push(barChart({ id: 'phases', title: 'Tokens by phase', description: 'Tokens of the session attributed to the phase of the tools each response called.', itemLabel: 'Phase', valueLabel: 'Tokens', format: formatTokens, items: phases, extraColumns: [{ label: 'Tool calls', numeric: true }] }));
  const facts = [
    { label: 'Requests', value: formatCount(row.requests) },
    { label: 'Cache-read share', value: formatShare(cacheReadShare(row.tokens)) },
    { label: 'Subagent tokens', value: `${formatTokens(row.subagentTokens.total)} (${formatShare(row.tokens.total === 0 ? 0 : row.subagentTokens.total / row.tokens.total)})` },
    ...(detail ? [{ label: 'Subagents', value: formatCount(detail.subagents) }, { label: 'User turns', value: formatCount(detail.userTurns) }, { label: 'Active time', value: formatDuration(detail.activeSeconds) }] : []),
    { label: 'Commits', value: formatCount(row.commits.length) },
    { label: 'Lines added / removed', value: `${formatCount(row.linesAdded)} / ${formatCount(row.linesRemoved)}` },
    ...TOKEN_TYPES.map((type) => ({ label: TOKEN_TYPE_LABELS[type], value: formatTokens(row.tokens[type]) })),
  ];
  return {
    ...sessionListItem(context, row),
    endedAt: formatInstant(row.endedAt, context.options.timezone),
    strategies: row.strategies.map((slug) => ({ slug, url: `/strategies/${slug}/` })),
    facts,
    charts,
    models: {
      columns: [{ label: 'Model' }, { label: 'Requests', numeric: true }, ...TOKEN_TYPES.map((type) => ({ label: TOKEN_TYPE_LABELS[type], numeric: true })), { label: 'Cost', numeric: true }],
      rows: row.models.map((model) => [model.model, formatCount(model.requests), ...TOKEN_TYPES.map((type) => formatTokens(model.tokens[type])), model.costUSD === null ? 'unpriced' : formatUSD(model.costUSD)]),
    },
    noSeries: detail ? (detail.series.length === 0 ? 'This session recorded no per-minute activity.' : null) : 'Per-minute series are kept for each repository’s newest sessions only.',
  };
}
