/**
 * Schema-valid session summaries built directly, for tests of what comes after capture
 * (aggregation, reports). Totals are derived from the per-model usage so they always add up,
 * and every summary is checked with `sessionSummarySchema` before it is returned.
 */
import { createHash } from 'node:crypto';
import { PHASES, type Phase } from '../../src/sources/phase.js';
import { sessionSummarySchema, type Commit, type SessionSummary, type SessionTokens } from '../../src/summary/schema.js';

type Tokens = Omit<SessionTokens, 'total'>;

export interface ModelSpec {
  model: string;
  requests?: number;
  tokens?: Partial<Tokens>;
  /** USD; null for a model missing from the price table. Default: 1e-6 per token. */
  costUSD?: number | null;
  /** Requests of this model made by subagents (counted in the subagent totals). */
  subagent?: boolean;
}

export interface SummarySpec {
  /** Any text; hashed into a `ses_` id. */
  session?: string;
  agent?: SessionSummary['agent'];
  parser?: string;
  capturedBy?: SessionSummary['capturedBy'];
  /** Any text; hashed into a `dev_` id. null for unknown. */
  developer?: string | null;
  branch?: string | null;
  startedAt?: string;
  endedAt?: string;
  models?: ModelSpec[];
  tools?: Record<string, number>;
  /** Tool calls per phase; the phase gets the primary model's tokens when it is the only one. */
  phases?: Partial<Record<Phase, { toolCalls: number; tokens?: Partial<Tokens>; costUSD?: number }>>;
  commits?: Commit[];
  strategies?: string[];
  priceTable?: string;
}

let counter = 0;

function hex(prefix: string, text: string): string {
  return `${prefix}_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

export function sessionId(session: string): string {
  return hex('ses', session);
}

export function developerId(developer: string): string {
  return hex('dev', developer);
}

function withTotal(t: Partial<Tokens> = {}): SessionTokens {
  const full = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, ...t };
  return { ...full, total: full.input + full.output + full.cacheWrite5m + full.cacheWrite1h + full.cacheRead };
}

function add(a: SessionTokens, b: SessionTokens): SessionTokens {
  return { input: a.input + b.input, output: a.output + b.output, cacheWrite5m: a.cacheWrite5m + b.cacheWrite5m, cacheWrite1h: a.cacheWrite1h + b.cacheWrite1h, cacheRead: a.cacheRead + b.cacheRead, total: a.total + b.total };
}

export function summary(spec: SummarySpec = {}): SessionSummary {
  const startedAt = spec.startedAt ?? '2026-05-04T10:00:00Z';
  const endedAt = spec.endedAt ?? new Date(Date.parse(startedAt) + 3_600_000).toISOString().replace('.000Z', 'Z');
  const models = (spec.models ?? [{ model: 'claude-opus-4-6', tokens: { input: 100, output: 50 } }]).map((m) => {
    const tokens = withTotal(m.tokens);
    return { spec: m, usage: { model: m.model, requests: m.requests ?? 1, tokens, costUSD: m.costUSD === undefined ? tokens.total * 1e-6 : m.costUSD } };
  });
  const zero = withTotal();
  const tokens = models.reduce((sum, m) => add(sum, m.usage.tokens), zero);
  const sub = models.filter((m) => m.spec.subagent);
  const phases = Object.fromEntries(
    PHASES.map((name) => {
      const p = spec.phases?.[name];
      return [name, { toolCalls: p?.toolCalls ?? 0, tokens: withTotal(p?.tokens), costUSD: p?.costUSD ?? 0 }];
    }),
  );
  const unpriced = models.filter((m) => m.usage.costUSD === null).map((m) => m.usage.model);
  const durationSeconds = Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
  return sessionSummarySchema.parse({
    schema: 'tokenledger.session/1',
    parser: spec.parser ?? '0.1.0',
    priceTable: spec.priceTable ?? '2026-05-01',
    capturedBy: spec.capturedBy ?? 'hook',
    id: sessionId(spec.session ?? `session-${++counter}`),
    agent: spec.agent ?? 'claude-code',
    agentVersion: null,
    entrypoint: null,
    developer: spec.developer === undefined ? developerId('alice') : spec.developer === null ? null : developerId(spec.developer),
    branch: spec.branch ?? null,
    startedAt,
    endedAt,
    durationSeconds,
    activeSeconds: durationSeconds,
    tokens,
    reasoningTokens: 0,
    webSearchRequests: 0,
    costUSD: Math.round(models.reduce((sum, m) => sum + (m.usage.costUSD ?? 0), 0) * 1e6) / 1e6,
    costComplete: unpriced.length === 0,
    unpricedModels: [...new Set(unpriced)].sort(),
    models: models.map((m) => m.usage),
    requests: models.reduce((sum, m) => sum + m.usage.requests, 0),
    userTurns: 1,
    tools: spec.tools ?? {},
    phases,
    subagents: {
      count: sub.length > 0 ? 1 : 0,
      requests: sub.reduce((sum, m) => sum + m.usage.requests, 0),
      tokens: sub.reduce((sum, m) => add(sum, m.usage.tokens), zero),
      costUSD: sub.reduce((sum, m) => sum + (m.usage.costUSD ?? 0), 0),
    },
    series: [],
    commits: spec.commits ?? [],
    strategies: spec.strategies ?? [],
  });
}
