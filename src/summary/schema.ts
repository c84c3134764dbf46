/**
 * `tokenledger.session/1`: the anonymized per-session summary, the only thing that leaves a
 * developer's machine. Strict: unknown keys are rejected, so nothing can ride along unnoticed.
 * Free text never appears here; every string is an id, a hash, a model/tool name or an enum.
 */
import { z } from 'zod';
import { agentSchema } from '../sources/event-schema.js';
import { PHASES } from '../sources/phase.js';

export const SESSION_SCHEMA = 'tokenledger.session/1';

const count = z.number().int().nonnegative();
const usd = z.number().nonnegative();
/** ISO-8601 UTC, rounded to the configured resolution. */
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/, 'an ISO-8601 UTC time');

export const sessionTokensSchema = z.strictObject({
  input: count,
  output: count,
  cacheWrite5m: count,
  cacheWrite1h: count,
  cacheRead: count,
  total: count,
});
export type SessionTokens = z.infer<typeof sessionTokensSchema>;

/** Model ids as agents write them: letters, digits and a few separators, never free text. */
const modelId = z.string().min(1).max(120).regex(/^[A-Za-z0-9._:@\/\[\]-]+$/, 'a model id');
/** Tool names: built-in names or `mcp:<server>`. */
const toolName = z.string().min(1).max(80).regex(/^[A-Za-z0-9._:-]+$/, 'a tool name');
const hexId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-f]{12,32}$`), `${prefix}_ followed by hex`);

export const modelUsageSchema = z.strictObject({
  model: modelId,
  requests: count,
  tokens: sessionTokensSchema,
  /** USD, or null when the model is not in the price table. */
  costUSD: usd.nullable(),
});

export const phaseUsageSchema = z.strictObject({
  toolCalls: count,
  tokens: sessionTokensSchema,
  costUSD: usd,
});

export const subagentUsageSchema = z.strictObject({
  /** Distinct subagents (by agent id; inline sidechains of old versions count as one). */
  count,
  requests: count,
  tokens: sessionTokensSchema,
  costUSD: usd,
});

export const seriesPointSchema = z.strictObject({
  /** Minutes since `startedAt` (before rounding). */
  minute: count,
  input: count,
  output: count,
  cacheWrite5m: count,
  cacheWrite1h: count,
  cacheRead: count,
});

export const commitSchema = z.strictObject({
  sha: z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'a full commit SHA'),
  added: count,
  removed: count,
});

const phaseRecord = z.strictObject(Object.fromEntries(PHASES.map((phase) => [phase, phaseUsageSchema])) as Record<(typeof PHASES)[number], typeof phaseUsageSchema>);

export const sessionSummarySchema = z.strictObject({
  schema: z.literal(SESSION_SCHEMA),
  /** tokenledger version that parsed the transcript. */
  parser: z.string().min(1).max(40),
  priceTable: z.string().min(1).max(40),
  capturedBy: z.enum(['hook', 'sweep', 'backfill', 'cli']),
  /** Stable pseudonymous id from agent + session id: re-capturing replaces, never duplicates. */
  id: hexId('ses'),
  agent: agentSchema,
  agentVersion: z.string().max(40).regex(/^[0-9A-Za-z.+-]+$/, 'a version').nullable(),
  entrypoint: z.string().max(40).regex(/^[a-z0-9_-]+$/, 'an entrypoint name').nullable(),
  /** Keyed HMAC of the git e-mail; null when unknown. */
  developer: hexId('dev').nullable(),
  /** Keyed HMAC of the branch name, or the plain name where the repository opts in. */
  branch: z.string().max(200).nullable(),
  category: z.string().max(60).regex(/^[A-Za-z0-9._-]+$/, 'a category slug').optional(),
  startedAt: isoTime,
  endedAt: isoTime,
  durationSeconds: count,
  /** Time with activity, gaps longer than five minutes left out. */
  activeSeconds: count,
  tokens: sessionTokensSchema,
  /** Reasoning tokens, already inside `tokens.output` (agents that report them apart). */
  reasoningTokens: count,
  webSearchRequests: count,
  /** USD of the priced models. */
  costUSD: usd,
  /** False when some model was not in the price table: `costUSD` then leaves it out. */
  costComplete: z.boolean(),
  unpricedModels: z.array(modelId),
  models: z.array(modelUsageSchema),
  /** API responses after deduplication. */
  requests: count,
  /** User turns that got a response in the main thread. */
  userTurns: count,
  tools: z.record(toolName, count),
  phases: phaseRecord,
  subagents: subagentUsageSchema,
  series: z.array(seriesPointSchema),
  commits: z.array(commitSchema),
  strategies: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a strategy slug')),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;
export type ModelUsage = z.infer<typeof modelUsageSchema>;
export type PhaseUsage = z.infer<typeof phaseUsageSchema>;
export type SeriesPoint = z.infer<typeof seriesPointSchema>;
export type Commit = z.infer<typeof commitSchema>;
