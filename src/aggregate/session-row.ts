/**
 * A session summary -> its compact row in a partial, and the rule that picks one capture when
 * a session id was captured more than once (two machines, a re-capture on another day).
 */
import { PHASES } from '../sources/phase.js';
import { interner } from '../sources/string-table.js';
import type { SessionSummary } from '../summary/schema.js';
import type { PartialPhase, SessionDetail, SessionRow } from './partial-schema.js';

/** Compares versions numerically (0.10.0 after 0.9.0). */
const VERSION_ORDER = new Intl.Collator('en', { numeric: true });

/** Repositories, developers, branches, models, tools, times: a million rows would hold a million copies of each. */
const intern = interner(1_000_000);

/**
 * Values most rows share, used by reference: no strategy, no commit, no subagent. Frozen, so code
 * that ever tried to change a row's value in place would fail loudly rather than change them all.
 */
const NO_STRINGS: string[] = Object.freeze([]) as unknown as string[];
const NO_TOKENS: SessionRow['subagentTokens'] = Object.freeze({ input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, total: 0 });

/**
 * The row of a summary, without its per-minute detail (`sessionDetail`). Rows are read, never
 * changed, so equal parts are shared (bench: a million rows): see NO_STRINGS and NO_TOKENS, and
 * a one-model session's model tokens are its tokens.
 */
export function toSessionRow(repository: string, summary: SessionSummary, blob?: string): SessionRow {
  const phases: SessionRow['phases'] = {};
  for (const name of PHASES) {
    const phase = summary.phases[name];
    if (phase.toolCalls > 0 || phase.tokens.total > 0 || phase.costUSD > 0) phases[name] = { toolCalls: phase.toolCalls, tokens: phase.tokens.total, costUSD: phase.costUSD } satisfies PartialPhase;
  }
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const commit of summary.commits) {
    linesAdded += commit.added;
    linesRemoved += commit.removed;
  }
  const tools: SessionRow['tools'] = {};
  // Keys in one order (sorted), so rows calling the same tools share one object shape: in the
  // order each summary lists them, a million rows had tens of thousands of shapes (bench: -14%
  // of the rows' memory).
  for (const tool of Object.keys(summary.tools).sort()) tools[intern(tool)] = summary.tools[tool]!;
  const tokens = { ...summary.tokens };
  const single = summary.models.length === 1;
  return {
    id: summary.id,
    repository: intern(repository),
    developer: intern(summary.developer),
    branch: intern(summary.branch),
    agent: summary.agent,
    parser: intern(summary.parser),
    priceTable: intern(summary.priceTable),
    capturedBy: summary.capturedBy,
    // Rounded to the hour by default (capture's timeResolution): a few thousand distinct times a year.
    startedAt: intern(summary.startedAt),
    endedAt: intern(summary.endedAt),
    durationSeconds: summary.durationSeconds,
    tokens,
    costUSD: summary.costUSD,
    requests: summary.requests,
    strategies: summary.strategies.length === 0 ? NO_STRINGS : summary.strategies.map(intern),
    commits: summary.commits.length === 0 ? NO_STRINGS : summary.commits.map((commit) => commit.sha),
    linesAdded,
    linesRemoved,
    models: summary.models.map((model) => ({ ...model, model: intern(model.model), tokens: single && sameTokens(model.tokens, tokens) ? tokens : { ...model.tokens } })),
    subagentTokens: summary.subagents.tokens.total === 0 && sameTokens(summary.subagents.tokens, NO_TOKENS) ? NO_TOKENS : { ...summary.subagents.tokens },
    phases,
    tools,
    ...(blob === undefined ? {} : { blob }),
  };
}

function sameTokens(a: SessionRow['tokens'], b: SessionRow['tokens']): boolean {
  return a.input === b.input && a.output === b.output && a.cacheWrite5m === b.cacheWrite5m && a.cacheWrite1h === b.cacheWrite1h && a.cacheRead === b.cacheRead && a.total === b.total;
}

/** What the site's session page draws of a summary; kept on few rows (`DETAILED_SESSIONS`). */
export function sessionDetail(summary: SessionSummary): SessionDetail {
  return {
    series: summary.series.map((point) => ({ ...point })),
    activeSeconds: summary.activeSeconds,
    userTurns: summary.userTurns,
    subagents: summary.subagents.count,
  };
}

/** Sessions per repository that keep their `detail` (the site's session pages). */
export const DETAILED_SESSIONS = 50;

/**
 * Drops `detail` from all but each repository's `DETAILED_SESSIONS` newest sessions (by
 * `startedAt`, then id). The newest of a union are among the newest of each part, so trimming
 * after every build and merge keeps the same rows' details however shards were grouped. Changes
 * `sessions` in place (rows losing their detail are replaced by copies) and returns it.
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
  // In place: a million rows need no second array.
  sessions.forEach((row, i) => {
    if (!keep.has(row)) sessions[i] = withoutDetail(row);
  });
  return sessions;
}

/** `row` with `detail`, placed before `blob` as the schema (and so a partial read back) has it. */
export function withDetail(row: SessionRow, detail: SessionDetail): SessionRow {
  const { blob, ...rest } = row;
  return { ...rest, detail, ...(blob === undefined ? {} : { blob }) };
}

/** `row` without its detail (itself when it has none). */
export function withoutDetail(row: SessionRow): SessionRow {
  if (row.detail === undefined) return row;
  const { detail: _dropped, ...rest } = row;
  return rest;
}

/**
 * Which of two captures of one session id is newer: > 0 when `a` is. The newer parser wins
 * (it reads the transcript better), then the later `endedAt` (the capture saw more of the
 * session), then more requests. Captures equal on all three are ordered by their content, so
 * the choice is a total order: keeping the maximum gives the same row whatever order or
 * grouping the captures arrive in, which is what makes merging partials associative. The
 * per-minute detail is left out of that content: a row may have lost it (see `SessionPool`),
 * and captures alike in everything else count alike.
 */
export function compareCaptures(a: SessionRow, b: SessionRow): number {
  return (
    VERSION_ORDER.compare(a.parser, b.parser) ||
    Date.parse(a.endedAt) - Date.parse(b.endedAt) ||
    a.requests - b.requests ||
    compareStrings(canonicalJson(withoutDetail(a)), canonicalJson(withoutDetail(b)))
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
