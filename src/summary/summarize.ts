/**
 * Usage events of one session -> its summary (`tokenledger.session/1`). Pure: everything that
 * depends on the machine (developer hash, branch, commits, strategies, clock) comes in `context`.
 */
import { createHash } from 'node:crypto';
import { addTokens, totalTokens, TOKEN_TYPES, zeroTokens, type Agent, type TokenCounts, type UsageEvent } from '../sources/events.js';
import { PHASES } from '../sources/phase.js';
import { phaseShares, turnPhases } from './phases.js';
import { costOfResponse, PRICE_TABLE_VERSION } from './price.js';
import { SESSION_SCHEMA, type Commit, type ModelUsage, type PhaseUsage, type SeriesPoint, type SessionSummary, type SessionTokens } from './schema.js';

/** Compares versions numerically (2.1.10 after 2.1.9); one collator, since building one per call is slow. */
const VERSION_ORDER = new Intl.Collator('en', { numeric: true });

/** Gaps between activity longer than this are idle time, not active time. */
const IDLE_GAP_MS = 5 * 60_000;

export type TimeResolution = 'minute' | 'hour' | 'day';

export interface SummaryContext {
  agent: Agent;
  /** The agent's own session id (hashed into the summary id, never stored). */
  sessionId: string;
  parser: string;
  capturedBy: SessionSummary['capturedBy'];
  developer: string | null;
  branch: string | null;
  category?: string;
  /** Absolute times are rounded down to this; default `hour`. */
  timeResolution?: TimeResolution;
  commits?: Commit[];
  strategies?: string[];
}

/** `ses_` + 24 hex of SHA-256(agent:session id): stable, so a re-capture replaces the file. */
export function summaryId(agent: Agent, sessionId: string): string {
  return `ses_${createHash('sha256').update(`${agent}:${sessionId}`).digest('hex').slice(0, 24)}`;
}

export function withTotal(tokens: TokenCounts): SessionTokens {
  return { ...tokens, total: totalTokens(tokens) };
}

const RESOLUTION_MS: Record<TimeResolution, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function roundTime(ms: number, resolution: TimeResolution): string {
  const step = RESOLUTION_MS[resolution];
  return new Date(Math.floor(ms / step) * step).toISOString().replace('.000Z', 'Z');
}

/** Sum of gaps between consecutive activity, leaving out gaps longer than the idle threshold. */
export function activeMs(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let active = 0;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap <= IDLE_GAP_MS) active += gap;
  }
  return active;
}

function round6(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

function perMinuteSeries(events: UsageEvent[], startMs: number): SeriesPoint[] {
  const buckets = new Map<number, SeriesPoint>();
  for (const event of events) {
    const minute = Math.max(0, Math.floor((event.timestampMs - startMs) / 60_000));
    let point = buckets.get(minute);
    if (!point) buckets.set(minute, (point = { minute, ...zeroTokens() }));
    for (const type of TOKEN_TYPES) point[type] += event.tokens[type];
  }
  return [...buckets.values()].sort((a, b) => a.minute - b.minute);
}

/** Builds the summary of one session from all its events (main thread and subagents). */
export function summarizeSession(events: UsageEvent[], context: SummaryContext): SessionSummary {
  if (events.length === 0) throw new Error(`session ${context.sessionId}: no billed responses to summarize`);
  const resolution = context.timeResolution ?? 'hour';
  const times = events.map((event) => event.timestampMs);
  const startMs = Math.min(...times);
  const endMs = Math.max(...times);

  const tokens = zeroTokens();
  const models = new Map<string, { requests: number; tokens: TokenCounts; cost: number | undefined }>();
  const unpriced = new Set<string>();
  const tools: Record<string, number> = {};
  const phases = Object.fromEntries(PHASES.map((phase) => [phase, { toolCalls: 0, tokens: zeroTokens(), costUSD: 0 }])) as Record<
    (typeof PHASES)[number],
    { toolCalls: number; tokens: TokenCounts; costUSD: number }
  >;
  const subagents = { ids: new Set<string>(), requests: 0, tokens: zeroTokens(), costUSD: 0 };
  const turns = new Set<number>();
  const turnPhase = turnPhases(events);
  let cost = 0;
  let reasoningTokens = 0;
  let webSearchRequests = 0;
  let agentVersion: string | null = null;
  let entrypoint: string | null = null;

  for (const event of events) {
    addTokens(tokens, event.tokens);
    reasoningTokens += event.reasoningOutput;
    webSearchRequests += event.webSearchRequests;
    const responseCost = costOfResponse(event.model, event.tokens, event.webSearchRequests, event.speed);
    if (responseCost === undefined) unpriced.add(event.model);
    else cost += responseCost;

    let model = models.get(event.model);
    if (!model) models.set(event.model, (model = { requests: 0, tokens: zeroTokens(), cost: 0 }));
    model.requests++;
    addTokens(model.tokens, event.tokens);
    model.cost = responseCost === undefined || model.cost === undefined ? undefined : model.cost + responseCost;

    for (const tool of event.tools) tools[tool.name] = (tools[tool.name] ?? 0) + 1;
    for (const share of phaseShares(event, turnPhase)) {
      const phase = phases[share.phase];
      phase.toolCalls += share.toolCalls;
      addTokens(phase.tokens, share.tokens);
      phase.costUSD += (responseCost ?? 0) * share.fraction;
    }

    if (event.isSidechain) {
      subagents.ids.add(event.agentId ?? 'inline');
      subagents.requests++;
      addTokens(subagents.tokens, event.tokens);
      subagents.costUSD += responseCost ?? 0;
    } else {
      if (event.turn > 0) turns.add(event.turn);
      // The newest version seen: a resumed session may span an upgrade.
      if (event.agentVersion && event.agentVersion !== agentVersion && (!agentVersion || VERSION_ORDER.compare(event.agentVersion, agentVersion) > 0)) agentVersion = event.agentVersion;
      entrypoint ??= event.entrypoint;
    }
  }

  const modelRows: ModelUsage[] = [...models.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, usage]) => ({ model, requests: usage.requests, tokens: withTotal(usage.tokens), costUSD: usage.cost === undefined ? null : round6(usage.cost) }));
  const phaseRows = Object.fromEntries(
    PHASES.map((name) => [name, { toolCalls: phases[name].toolCalls, tokens: withTotal(phases[name].tokens), costUSD: round6(phases[name].costUSD) }]),
  ) as Record<(typeof PHASES)[number], PhaseUsage>;

  return {
    schema: SESSION_SCHEMA,
    parser: context.parser,
    priceTable: PRICE_TABLE_VERSION,
    capturedBy: context.capturedBy,
    id: summaryId(context.agent, context.sessionId),
    agent: context.agent,
    agentVersion,
    entrypoint,
    developer: context.developer,
    branch: context.branch,
    ...(context.category ? { category: context.category } : {}),
    startedAt: roundTime(startMs, resolution),
    endedAt: roundTime(endMs, resolution),
    durationSeconds: Math.round((endMs - startMs) / 1000),
    activeSeconds: Math.round(activeMs(times) / 1000),
    tokens: withTotal(tokens),
    reasoningTokens,
    webSearchRequests,
    costUSD: round6(cost),
    costComplete: unpriced.size === 0,
    unpricedModels: [...unpriced].sort(),
    models: modelRows,
    requests: events.length,
    userTurns: turns.size,
    tools,
    phases: phaseRows,
    subagents: { count: subagents.ids.size, requests: subagents.requests, tokens: withTotal(subagents.tokens), costUSD: round6(subagents.costUSD) },
    series: perMinuteSeries(events, startMs),
    commits: context.commits ?? [],
    strategies: context.strategies ?? [],
  };
}
