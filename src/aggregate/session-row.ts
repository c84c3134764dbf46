/**
 * A session summary -> its compact row in a partial, and the rule that picks one capture when
 * a session id was captured more than once (two machines, a re-capture on another day).
 */
import { PHASES } from '../sources/phase.js';
import type { SessionSummary } from '../summary/schema.js';
import type { PartialPhase, SessionRow } from './partial-schema.js';

/** Compares versions numerically (0.10.0 after 0.9.0). */
const VERSION_ORDER = new Intl.Collator('en', { numeric: true });

export function toSessionRow(repository: string, summary: SessionSummary, blob?: string): SessionRow {
  const phases: SessionRow['phases'] = {};
  for (const name of PHASES) {
    const phase = summary.phases[name];
    if (phase.toolCalls > 0 || phase.tokens.total > 0 || phase.costUSD > 0) phases[name] = { toolCalls: phase.toolCalls, tokens: { ...phase.tokens }, costUSD: phase.costUSD } satisfies PartialPhase;
  }
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const commit of summary.commits) {
    linesAdded += commit.added;
    linesRemoved += commit.removed;
  }
  return {
    id: summary.id,
    repository,
    developer: summary.developer,
    branch: summary.branch,
    agent: summary.agent,
    parser: summary.parser,
    priceTable: summary.priceTable,
    capturedBy: summary.capturedBy,
    startedAt: summary.startedAt,
    endedAt: summary.endedAt,
    durationSeconds: summary.durationSeconds,
    tokens: { ...summary.tokens },
    costUSD: summary.costUSD,
    requests: summary.requests,
    strategies: [...summary.strategies],
    commits: summary.commits.map((commit) => commit.sha),
    linesAdded,
    linesRemoved,
    models: summary.models.map((model) => ({ ...model, tokens: { ...model.tokens } })),
    subagentTokens: { ...summary.subagents.tokens },
    phases,
    tools: { ...summary.tools },
    detail: {
      series: summary.series.map((point) => ({ ...point })),
      activeSeconds: summary.activeSeconds,
      userTurns: summary.userTurns,
      subagents: summary.subagents.count,
    },
    ...(blob === undefined ? {} : { blob }),
  };
}

/** Sessions per repository that keep their `detail` (the site's session pages). */
export const DETAILED_SESSIONS = 50;

/**
 * Drops `detail` from all but each repository's `DETAILED_SESSIONS` newest sessions (by
 * `startedAt`, then id). The newest of a union are among the newest of each part, so trimming
 * after every build and merge keeps the same rows' details however shards were grouped.
 */
export function keepDetailOfNewest(sessions: SessionRow[]): SessionRow[] {
  const byRepository = new Map<string, SessionRow[]>();
  for (const row of sessions) {
    if (row.detail === undefined) continue;
    const list = byRepository.get(row.repository) ?? [];
    list.push(row);
    byRepository.set(row.repository, list);
  }
  const keep = new Set<SessionRow>();
  for (const rows of byRepository.values()) {
    rows.sort((a, b) => compareStrings(b.startedAt, a.startedAt) || compareStrings(b.id, a.id));
    for (const row of rows.slice(0, DETAILED_SESSIONS)) keep.add(row);
  }
  return sessions.map((row) => {
    if (row.detail === undefined || keep.has(row)) return row;
    const { detail: _dropped, ...rest } = row;
    return rest;
  });
}

/**
 * Which of two captures of one session id is newer: > 0 when `a` is. The newer parser wins
 * (it reads the transcript better), then the later `endedAt` (the capture saw more of the
 * session), then more requests. Captures equal on all three are ordered by their content, so
 * the choice is a total order: keeping the maximum gives the same row whatever order or
 * grouping the captures arrive in, which is what makes merging partials associative.
 */
export function compareCaptures(a: SessionRow, b: SessionRow): number {
  return (
    VERSION_ORDER.compare(a.parser, b.parser) ||
    Date.parse(a.endedAt) - Date.parse(b.endedAt) ||
    a.requests - b.requests ||
    compareStrings(canonicalJson(a), canonicalJson(b))
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted, so two equal rows read alike whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => compareStrings(a, b));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Keeps the newest capture of every session id (see `compareCaptures`), sorted by id.
 * `dropped` counts the captures left out.
 */
export function keepNewestCaptures(rows: Iterable<SessionRow>): { sessions: SessionRow[]; dropped: number } {
  const newest = new Map<string, SessionRow>();
  let dropped = 0;
  for (const row of rows) {
    const kept = newest.get(row.id);
    if (kept === undefined) newest.set(row.id, row);
    else {
      dropped++;
      if (compareCaptures(row, kept) > 0) newest.set(row.id, row);
    }
  }
  const sessions = [...newest.values()].sort((a, b) => compareStrings(a.id, b.id));
  return { sessions, dropped };
}
